"""What the front door and early help add to a child's record (core.stages)."""

from datetime import timedelta

from django.utils import timezone

from cairn.access import policy
from cairn.casework import actions
from cairn.core import stages
from cairn.core.services import long_date, short_date
from cairn.workforce.models import Role

from . import selectors, selectors_early_help
from .models import EarlyHelpPlanNeed, Referral

stages.open_period(
    "open_referrals",
    lambda: Referral.objects.current().filter(closed_on__isnull=True)
    .order_by("-received_on", "-pk"),
    lambda r: f"Open referral since {short_date(r.received_on)}",
    order=40, label="referral")
stages.record_links("Front door and early help", "frontdoor/child_actions.html", order=10,
                    fits=(stages.NOTHING_OPEN,))
stages.tab("early_help", "Early help", "frontdoor:early_help", order=10)


def _front_door_work(request, child) -> dict:
    """The front door's part of My work: the contacts waiting for a decision, for the role that
    answers for the contact decision (a front door worker holds no caseload)."""
    if getattr(request.user, "role", None) != Role.FRONT_DOOR:
        return {}
    # The first page of the queue, oldest first: the count is SQL's, and the overdue ones are
    # the oldest, so they are on it (the front door page says when there are more).
    awaiting = selectors.awaiting_page(viewer=request.user)
    return {"front_door_awaiting": awaiting.total, "front_door_overdue": awaiting.overdue,
            "front_door_overdue_at_least": awaiting.overdue_at_least}


stages.section("frontdoor/_my_work.html", order=5, where=stages.HOME, context=_front_door_work)


def _early_help_to_allocate(request, child) -> dict:
    """An early help manager's part of My work: the children passed to early help that they
    hold until they allocate a practitioner."""
    if not policy.allows(request.user, policy.ALLOCATE):
        return {}
    return {"early_help_to_allocate": list(
        selectors_early_help.early_help_to_allocate(request.user))}


stages.section("frontdoor/_early_help_to_allocate.html", order=6, where=stages.HOME,
               context=_early_help_to_allocate)
def _front_door_summary(request, child) -> dict:
    """The child's referrals, re-referrals flagged and counted (F20), and consent dispensed
    with on their contacts, by whom and why. Two queries."""
    referrals = selectors.referrals_of(child)
    year_ago = timezone.localdate() - timedelta(days=selectors.RE_REFERRAL_DAYS)
    return {"fd_referrals": referrals,
            "fd_referrals_12m": sum(1 for r in referrals if r.referral.received_on > year_ago),
            "fd_re_referrals": sum(1 for r in referrals if r.re_referral),
            "fd_dispensed": list(selectors.dispensed_consents_of(child))}


stages.section("frontdoor/_summary.html", order=35, context=_front_door_summary)


def _need_closed(need) -> str:
    if need.plan.ended_on is not None:
        return f"The plan ended on {long_date(need.plan.ended_on)}: it takes no more actions"
    return ""


# Actions are agreed on an early help plan's needs (casework's action pages).
actions.register_source(EarlyHelpPlanNeed, closed=_need_closed,
                        describe=lambda need: f"Need: {need.need}")
