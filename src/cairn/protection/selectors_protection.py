"""Reads for the child protection pages: what a child's protection record holds, what can be
recorded next, and when the engine says the next conference is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from cairn.access import policy
from cairn.core import names, timescales
from cairn.core.models import Action
from cairn.core.selectors import attach_actions
from cairn.core.working_days import working_days_between
from cairn.frontdoor.models import Referral
from cairn.workforce.models import Role, Staff

from .models import (
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceBooking,
    CoreGroupMeeting,
    PlanNeed,
    SafetyPlan,
    Section47Enquiry,
    StrategyAttendee,
    StrategyDiscussion,
    Visit,
)


def referral_open_on(child, day: date):
    """The child's referral open on `day` (the CIN episode a strategy discussion belongs to),
    the latest if several; None if no referral was open then."""
    return (Referral.objects.current()
            .filter(child=child, received_on__lte=day, nfa=False)
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=day))
            .order_by("-received_on", "-pk").first())


def discussions_awaiting_enquiry(child):
    """Strategy discussions that agreed a section 47 enquiry not yet started, newest first."""
    started = Section47Enquiry.objects.current().filter(strategy_discussion=OuterRef("pk"))
    return (StrategyDiscussion.objects.current()
            .filter(child=child, s47_agreed=True).exclude(Exists(started))
            .order_by("-held_on", "-pk"))


def enquiries_awaiting_conference(child):
    """Section 47 enquiries that may still lead to an initial conference, newest first."""
    held = ChildProtectionConference.objects.current().filter(section47=OuterRef("pk"))
    return (Section47Enquiry.objects.current()
            .filter(child=child, icpc_not_required=False).exclude(Exists(held))
            .select_related("strategy_discussion").order_by("-started_on", "-pk"))


def enquiry_for(child, enquiry_id: int, *, staff, page: str) -> Section47Enquiry:
    return policy.object_for(staff, Section47Enquiry.objects.current().select_related(
        "strategy_discussion"), enquiry_id, page=page, child=child)


def conference_chairs():
    """Who may be asked to chair a conference: active IROs and conference chairs."""
    today = timezone.localdate()
    return (Staff.objects.filter(role=Role.IRO, is_active=True)
            .filter(Q(access_until__isnull=True) | Q(access_until__gte=today))
            .order_by("last_name", "first_name", "pk"))


def conferences_to_book(child) -> list[tuple[str, str, object]]:
    """The conferences a chair can be asked to chair: each enquiry waiting for its initial
    conference, and the next review of each open plan (key, label, the enquiry or plan)."""
    out = [(f"s47-{e.pk}", f"Initial conference after the section 47 enquiry started "
                           f"{e.started_on:%-d %B %Y}", e)
           for e in enquiries_awaiting_conference(child)]
    out += [(f"plan-{p.pk}", f"Review of the child protection plan from "
                             f"{p.started_on:%-d %B %Y}", p)
            for p in ChildProtectionPlan.objects.current()
            .filter(child=child, ended_on__isnull=True).order_by("-started_on", "-pk")]
    return out


def bookings_for(child):
    """The child's conferences booked with a chair and not yet held, soonest first."""
    return (ConferenceBooking.objects.current()
            .filter(child=child, conference__isnull=True)
            .select_related("chair").order_by("booked_for", "pk"))


def conferences_to_chair(chair):
    """The conferences `chair` is asked to chair and has not yet recorded, soonest first, for
    the children whose records they may open."""
    return list(ConferenceBooking.objects.current()
                .filter(chair=chair, conference__isnull=True,
                        child__in=policy.visible_children(chair))
                .select_related("child").order_by("booked_for", "pk"))


def safety_plan_for(child, safety_plan_id: int, *, staff, page: str) -> SafetyPlan:
    return policy.object_for(staff, SafetyPlan.objects.current(), safety_plan_id, page=page,
                             child=child)


def safety_plans_in_force(child, *, on: date | None = None) -> list[SafetyPlan]:
    """The child's safety plans in force `on` (today): agreed by then and not ended."""
    on = on or timezone.localdate()
    return list(SafetyPlan.objects.current()
                .filter(child=child, made_on__lte=on)
                .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
                .order_by("-made_on", "-pk"))


def plan_for(child, plan_id: int, *, staff, page: str) -> ChildProtectionPlan:
    return policy.object_for(staff, ChildProtectionPlan.objects.current(), plan_id, page=page,
                             child=child)


def next_due(child, rule_code: str) -> date | None:
    """When the engine says the next occurrence of `rule_code` is due for `child`, if one is
    still to be done."""
    for item in timescales.evaluate([child.pk], rules=timescales.active_rules([rule_code])):
        if item.is_open:
            return item.due_on
    return None


@dataclass
class LateConference:
    """An initial conference held after the ICPC timescale, with the reason recorded."""

    conference: ChildProtectionConference
    discussion_on: date  # the strategy discussion that started the clock
    due_on: date
    working_days_late: int


def late_initial_conferences(viewer, *, since: date) -> tuple[list[LateConference], int]:
    """Initial conferences held since `since`, for the children `viewer` may see, that were
    held after the ICPC rule's limit from their strategy discussion (F18), latest first; and
    how many initial conferences were held in all. Conferences transferred in from another
    authority started no clock here and are left out."""
    rule = timescales.rule(names.ICPC)
    held = (ChildProtectionConference.objects.current()
            .filter(kind=ChildProtectionConference.Kind.INITIAL, transfer_in=False,
                    section47__isnull=False, held_on__gte=since,
                    child__in=policy.visible_children(viewer))
            .select_related("child", "chaired_by", "section47__strategy_discussion")
            .order_by("-held_on", "-pk"))
    held = list(held)
    if rule is None:
        return [], len(held)
    late = []
    for conference in held:
        started = conference.section47.strategy_discussion.held_on
        due = timescales.add_period(started, rule.first_limit, rule.first_unit)
        if conference.held_on > due:
            late.append(LateConference(conference, started, due,
                                       working_days_between(due, conference.held_on)))
    return late, len(held)


@dataclass
class NeedCheck:
    """A plan need and what it lacks of an outcome and actions with due dates (F19)."""

    need: PlanNeed
    missing: list[str]


def need_checks(plan: ChildProtectionPlan) -> list[NeedCheck]:
    """The plan's needs, each with its actions (`need.agreed_actions`) and what it lacks: an
    outcome, an action not cancelled, a due date on each open action."""
    needs = attach_actions(plan.needs.current().order_by("pk"))
    out = []
    for need in needs:
        live = [a for a in need.agreed_actions if a.status != Action.Status.CANCELLED]
        missing = [label for label, lacking in [
            ("outcome", not need.outcome.strip()),
            ("actions", not live),
            ("a due date", any(a.due_on is None for a in live
                               if a.status == Action.Status.OPEN))] if lacking]
        out.append(NeedCheck(need, missing))
    return out


def protection_record(child) -> dict:
    """Everything on a child's protection record, each list newest first."""
    current = ChildProtectionConference.objects.current()
    return {
        "discussions": attach_actions(
            StrategyDiscussion.objects.current().filter(child=child)
            .prefetch_related(Prefetch("attendees", to_attr="people",
                                       queryset=StrategyAttendee.objects.current().order_by("pk")))
            .order_by("-held_on", "-held_at", "-pk")),
        "enquiries": Section47Enquiry.objects.current().filter(child=child)
        .select_related("strategy_discussion").order_by("-started_on", "-pk"),
        "safety_plans": SafetyPlan.objects.current().filter(child=child)
        .order_by("-made_on", "-pk"),
        "conferences": current.filter(child=child).order_by("-held_on", "-pk"),
        "plans": ChildProtectionPlan.objects.current().filter(child=child)
        .order_by("-started_on", "-pk"),
    }


def plan_record(plan: ChildProtectionPlan) -> dict:
    """A plan's conferences, core groups, visits and category changes, newest first."""
    return {
        "conferences": ChildProtectionConference.objects.current()
        .filter(plan=plan).order_by("-held_on", "-pk"),
        "core_groups": CoreGroupMeeting.objects.current().filter(plan=plan)
        .order_by("-held_on", "-pk"),
        "visits": Visit.objects.current().filter(protection_plan=plan)
        .order_by("-visited_on", "-pk"),
        "category_changes": plan.category_changes.current().order_by("-changed_on", "-pk"),
        "needs": need_checks(plan),
    }
