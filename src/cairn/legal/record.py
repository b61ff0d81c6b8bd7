"""What pre-proceedings, court and orders add to a child's record (core.stages)."""

from django.utils import timezone

from cairn.access import policy
from cairn.core import stages
from cairn.core.services import short_date

from . import selectors
from .models import CareProceedings, LegalOrder, OrderKind


def _describe_order(order) -> str:
    """An order in force (emergency, interim or final), as the banner gives the legal status."""
    until = f", until {short_date(order.ends_on)}" if order.ends_on else ""
    by = order.police_force if order.kind == OrderKind.POLICE_PROTECTION else order.court
    return f"{order.get_kind_display()} from {short_date(order.made_on)}{until}" + (
        f" ({by})" if by else "")


stages.open_period(
    "open_proceedings",
    lambda: CareProceedings.objects.current().filter(concluded_on__isnull=True)
    .order_by("-issued_on", "-pk"),
    lambda p: f"Care proceedings issued {short_date(p.issued_on)} "
              f"({p.get_application_display().lower()})",
    order=50, label="care proceedings")
stages.open_period(
    "orders_in_force",
    lambda: LegalOrder.objects.current().in_force_on(timezone.localdate())
    .order_by("-made_on", "-pk"),
    _describe_order, order=60, label="order")
stages.record_links("Court", "legal/child_actions.html", order=30,
                    fits=("open_proceedings", "orders_in_force"))
stages.tab("legal", "Court", "legal_record", order=30)


def _my_directions(request, child) -> dict:
    # Only those who may record own a direction: no query for anyone else.
    if not policy.allows(request.user, policy.RECORD):
        return {"my_directions": []}
    return {"my_directions": selectors.directions_owned(request.user)}


# Court directions a member of staff must see done, on their My work beside their actions.
stages.section("legal/_my_directions.html", order=16, where=stages.HOME, context=_my_directions)
