"""What the front door and early help add to a child's record (core.stages)."""

from cairn.core import stages
from cairn.core.services import short_date

from .models import Referral

stages.open_period(
    "open_referrals",
    lambda: Referral.objects.current().filter(closed_on__isnull=True)
    .order_by("-received_on", "-pk"),
    lambda r: f"Open referral since {short_date(r.received_on)}",
    order=40, label="referral")
stages.record_links("Front door and early help", "frontdoor/child_actions.html", order=10)
stages.tab("early_help", "Early help", "frontdoor:early_help", order=10)
