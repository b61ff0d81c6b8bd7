"""What assessment and child protection add to a child's record (core.stages)."""

from cairn.casework import actions
from cairn.core import stages
from cairn.core.services import long_date, short_date
from cairn.workforce.models import Role

from .models import ChildProtectionPlan, CINPlan, PlanNeed, StrategyDiscussion

stages.open_period(
    "open_protection_plans",
    lambda: ChildProtectionPlan.objects.current().filter(ended_on__isnull=True)
    .order_by("-started_on", "-pk"),
    lambda p: f"Child protection plan since {short_date(p.started_on)} "
              f"({p.get_initial_category_of_abuse_display().lower()})",
    order=20, within_referral=True, label="child protection plan")
stages.open_period(
    "open_cin_plans",
    lambda: CINPlan.objects.current().filter(ended_on__isnull=True)
    .order_by("-started_on", "-pk"),
    lambda p: f"Child in need plan since {short_date(p.started_on)}",
    order=30, within_referral=True, label="child in need plan")
stages.record_links("Referral, assessment and protection", "protection/child_actions.html",
                    order=20)
# An authorised assessment overtaken by events (F1), and the history of concern (F26).
stages.section("protection/_update_due.html", order=20)
stages.section("protection/_cumulative_concern.html", order=30)
# On My work, for the social worker, who answers for updating their children's assessments.
stages.section("protection/_my_work.html", order=10, where=stages.HOME,
               context=lambda request, child: {
                   "assessments_to_update": request.user.role == Role.SOCIAL_WORKER})
stages.tab("protection", "Protection", "protection_record", order=20)


def _need_closed(need) -> str:
    plan = need.protection_plan or need.cin_plan
    if plan is not None and plan.ended_on is not None:
        return f"The plan ended on {long_date(plan.ended_on)}: it takes no more actions"
    return ""


# Actions are agreed on a plan's needs and at strategy discussions (casework's action pages).
actions.register_source(PlanNeed, closed=_need_closed, describe=lambda need: f"Need: {need.need}")
actions.register_source(
    StrategyDiscussion, describe=lambda d: f"Strategy discussion of {long_date(d.held_on)}")
