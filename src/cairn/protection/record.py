"""What assessment and child protection add to a child's record (core.stages)."""

from datetime import date

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from cairn.casework import actions, banner
from cairn.core import stages
from cairn.core.services import long_date, short_date
from cairn.workforce.models import Role

from . import selectors_protection as selectors
from . import services_assessment  # noqa: F401  (it listens for the events of F1)
from .models import (
    AssessmentFactor,
    AssessmentFactors,
    CategoryOfAbuse,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    PlanCategoryChange,
    PlanNeed,
    StrategyDiscussion,
)


def _open_protection_plans():
    """Open CP plans, each with its category now (LatestCategoryOfAbuse: the latest change, or
    the initial one), in the same query."""
    latest = (PlanCategoryChange.objects.current().filter(plan=OuterRef("pk"))
              .order_by("-changed_on", "-pk").values("category")[:1])
    return (ChildProtectionPlan.objects.current().filter(ended_on__isnull=True)
            .annotate(category_now=Coalesce(Subquery(latest), "initial_category_of_abuse"))
            .order_by("-started_on", "-pk"))


stages.open_period(
    "open_protection_plans", _open_protection_plans,
    lambda p: f"Child protection plan since {short_date(p.started_on)} "
              f"({CategoryOfAbuse(p.category_now).label.lower()})",
    order=20, within_referral=True, label="child protection plan")
stages.open_period(
    "open_cin_plans",
    lambda: CINPlan.objects.current().filter(ended_on__isnull=True)
    .order_by("-started_on", "-pk"),
    lambda p: f"Child in need plan since {short_date(p.started_on)}",
    order=30, within_referral=True, label="child in need plan")
stages.record_links("Referral, assessment and protection", "protection/child_actions.html",
                    order=20,
                    fits=("open_referrals", "open_protection_plans", "open_cin_plans"))
# An authorised assessment overtaken by events (F1), and the history of concern (F26).
stages.section("protection/_update_due.html", order=20)
stages.section("protection/_cumulative_concern.html", order=30)
# A safety plan in force stands out on the summary, for anyone covering the case (F37).
stages.section("protection/_safety_plan.html", order=15,
               context=lambda request, child: {
                   "safety_plans_in_force": selectors.safety_plans_in_force(child)})
# On My work the update is a task due by a rule (AssessmentUpdate, names.ASSESSMENT_UPDATE),
# listed with the worker's other due items, not a warning of its own.
# On My work, for a chair: the conferences they are asked to chair, on children who may not
# be on their caseload.
stages.section("protection/_conferences_to_chair.html", order=12, where=stages.HOME,
               context=lambda request, child: {
                   "chair_bookings": selectors.conferences_to_chair(request.user),
                   "show_chairing": True, "heading": True}
               if request.user.role == Role.IRO else {})
# On My work, for managers: the initial conferences held late in their line (F18).
stages.section("protection/_manager_links.html", order=90, where=stages.HOME)
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


# The assessment factors (CIN census) that name a risk of exploitation.
EXPLOITATION = (AssessmentFactors.CSE, AssessmentFactors.CCE, AssessmentFactors.TRAFFICKING,
                AssessmentFactors.GANGS)


def _banner(child, today: date) -> banner.Part:
    """A risk of exploitation the latest assessment found, and who chairs the child's
    conferences while a CP plan is open."""
    part = banner.Part()
    factors = list(AssessmentFactor.objects.current().filter(child=child)
                   .order_by("-assessment__started_on", "-assessment_id")
                   .values_list("assessment_id", "code"))
    latest = [code for assessment, code in factors if assessment == factors[0][0]] \
        if factors else []
    risks = [AssessmentFactors(code).label for code in EXPLOITATION if code in latest]
    if risks:
        part.alerts.append(f"Risk of exploitation: {', '.join(risks)} (latest assessment)")
    if getattr(child, "open_protection_plans", None):
        chair = (ChildProtectionConference.objects.current()
                 .filter(child=child, chaired_by__isnull=False)
                 .order_by("-held_on", "-pk").select_related("chaired_by").first())
        if chair is not None:
            part.chairs.append((str(chair.chaired_by), "child protection conference chair"))
    return part


banner.part("protection", _banner)
