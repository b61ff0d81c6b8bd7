"""Reads at the front door: contacts awaiting a decision with their clock, recent decisions, a
child's early help, and the step decisions awaiting a manager. Every list is scoped by the access
policy; a record the viewer may not see is a 404, as a missing one is, and the refusal is logged."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from cairn.access import policy
from cairn.access.models import AccessGrant
from cairn.core import names, timescales
from cairn.core.selectors import attach_actions
from cairn.people.models import Child
from cairn.workforce.selectors import lead_allocation

from .models import (
    Contact,
    EarlyHelpAssessment,
    EarlyHelpEpisode,
    EarlyHelpPlan,
    EarlyHelpPlanNeed,
    EarlyHelpReview,
    EarlyHelpReviewNeedProgress,
    Referral,
    StepDecision,
)

CONTACT_DECISION_RULE = names.CONTACT_DECISION
RECENT_DECISIONS = 20


@dataclass(frozen=True)
class AwaitingContact:
    """A contact with no decision yet, and where its one-working-day clock stands (F16)."""

    contact: Contact
    due: timescales.Due | None

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due.status == timescales.Status.OVERDUE


def contacts_awaiting_decision(*, viewer) -> list[AwaitingContact]:
    """Undecided contacts about children `viewer` may see, oldest first, with their clock."""
    contacts = list(
        Contact.objects.current()
        .filter(decided_at__isnull=True, child__in=policy.visible_children(viewer))
        .select_related("child", "recorded_by").order_by("received_at", "pk"))
    if not contacts:
        return []
    rules = timescales.active_rules([CONTACT_DECISION_RULE])
    clocks = {}
    if rules:
        for due in timescales.evaluate({c.child_id for c in contacts}, rules=rules):
            if due.is_open:
                clocks[(due.child_id, due.clock_from)] = due
    return [AwaitingContact(c, clocks.get((c.child_id, timezone.localtime(c.received_at).date())))
            for c in contacts]


def recent_decisions(*, viewer, limit: int = RECENT_DECISIONS) -> list[Contact]:
    """The latest contact decisions on children `viewer` may see."""
    return list(
        Contact.objects.current()
        .filter(decided_at__isnull=False, child__in=policy.visible_children(viewer))
        .select_related("child", "decided_by").order_by("-decided_at", "-pk")[:limit])


def contact_for(viewer, contact_id: int, *, page: str, action: str = policy.VIEW) -> Contact:
    """The contact, if `viewer` may do `action` on its child's record; else 404 (logged)."""
    return policy.object_for(
        viewer, Contact.objects.current().select_related("child", "decided_by"), contact_id,
        page=page, action=action, message="No such contact")


def contacts_of(child) -> QuerySet[Contact]:
    return (Contact.objects.current().filter(child=child).select_related("decided_by")
            .order_by("-received_at", "-pk"))


def open_referral(child) -> Referral | None:
    return (Referral.objects.current().filter(child=child, closed_on__isnull=True, nfa=False)
            .order_by("-received_on").first())


def early_help_of(child) -> list[EarlyHelpEpisode]:
    """A child's early help episodes, newest first, with their assessments, plans and reviews;
    each need of a plan carries its progress at each review, latest first (`need.reviewed`),
    and its actions (`need.agreed_actions`)."""
    progress = (EarlyHelpReviewNeedProgress.objects.current()
                .filter(review__voided_at__isnull=True).select_related("review")
                .order_by("-review__held_on", "-review__pk"))
    needs = EarlyHelpPlanNeed.objects.current().order_by("pk").prefetch_related(
        Prefetch("progress", progress, to_attr="reviewed"))
    plans = EarlyHelpPlan.objects.current().order_by("started_on").prefetch_related(
        Prefetch("needs", needs, to_attr="current_needs"),
        Prefetch("reviews", EarlyHelpReview.objects.current().order_by("held_on"),
                 to_attr="current_reviews"))
    episodes = list(
        EarlyHelpEpisode.objects.current().filter(child=child).select_related("worker")
        .prefetch_related(
            Prefetch("assessments", EarlyHelpAssessment.objects.current().order_by("started_on"),
                     to_attr="current_assessments"),
            Prefetch("plans", plans, to_attr="current_plans"))
        .order_by("-started_on", "-pk"))
    # Each need's actions (`need.agreed_actions`), in one query for the whole page.
    attach_actions(need for episode in episodes for plan in episode.current_plans
                   for need in plan.current_needs)
    return episodes


def open_early_help(child) -> EarlyHelpEpisode | None:
    return (EarlyHelpEpisode.objects.current().filter(child=child, ended_on__isnull=True)
            .order_by("-started_on").first())


def episode_for(viewer, episode_id: int, *, page: str,
                action: str = policy.RECORD) -> EarlyHelpEpisode:
    return policy.object_for(
        viewer, EarlyHelpEpisode.objects.current().select_related("child"), episode_id,
        page=page, action=action, message="No such early help episode")


def plan_for(viewer, plan_id: int, *, page: str, action: str = policy.RECORD) -> EarlyHelpPlan:
    return policy.object_for(
        viewer, EarlyHelpPlan.objects.current().select_related("child", "episode"), plan_id,
        page=page, action=action, message="No such early help plan")


def step_decisions_of(child) -> QuerySet[StepDecision]:
    return (StepDecision.objects.current().filter(child=child)
            .select_related("requested_by", "authorised_by", "declined_by", "referral",
                            "early_help_episode")
            .order_by("-requested_at", "-pk"))


def step_decision_for(viewer, step_id: int, *, page: str,
                      action: str = policy.VIEW) -> StepDecision:
    return policy.object_for(
        viewer, StepDecision.objects.current().select_related(
            "child", "requested_by", "authorised_by", "declined_by", "referral",
            "early_help_episode"), step_id,
        page=page, action=action, message="No such step decision")


def step_decisions_awaiting(manager) -> QuerySet[StepDecision]:
    """Steps up and down `manager` may authorise: undecided, on children in their line, and not
    asked for by them (F20: a second pair of eyes), oldest first."""
    if not policy.allows(manager, policy.AUTHORISE):
        return StepDecision.objects.none()
    return (StepDecision.objects.current()
            .filter(authorised_at__isnull=True, declined_at__isnull=True,
                    closed_at__isnull=True, child__in=policy.visible_children(manager))
            .exclude(requested_by=manager)
            .select_related("child", "requested_by").order_by("requested_at", "pk"))


def restricted_holder(child):
    """Who a contact that may concern `child`'s restricted record is passed to: the lead worker
    allocated to the child, or else the member of staff named on the record longest, whoever
    of them may record on it; None if no one may."""
    allocation = lead_allocation(child)
    if allocation is not None and policy.can(allocation.worker, policy.RECORD, child):
        return allocation.worker
    grants = (AccessGrant.objects.open_on(timezone.localdate()).filter(child=child)
              .select_related("staff").order_by("granted_at", "pk"))
    return next((g.staff for g in grants if policy.can(g.staff, policy.RECORD, child)), None)


def passed_child(child_id) -> Child | None:
    """The restricted record a contact is being passed on for (its id kept in the session,
    never on a page), or None."""
    return Child.objects.filter(pk=child_id, restricted=True).first() if child_id else None
