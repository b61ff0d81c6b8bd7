"""Writes the assessment and child in need plan forms need beyond protection.services: saving an
assessment as a draft, and the needs of a child in need plan and their reviews (F19).

A child in need review is recorded as a versioned update of each need it looked at (the outcome,
the day it was met; its actions are marked done or cancelled one by one), not as a separate
meeting row: the CIN census has no review item, and every change keeps who, when and what it was
before in the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from cairn.access import policy
from cairn.core import audit, names
from cairn.core import services as core_services
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.core.services import clean, save_version

from . import selectors_assessment as selectors
from .models import (
    Assessment,
    AssessmentFactor,
    AssessmentUpdate,
    ChildProtectionPlan,
    CINPlan,
    CINPlanReview,
    PlanNeed,
)
from .services import CHILDS_WORDS_MISSING, _check_factors, _day, _not_future

PRACTICE_FIELDS = ("worries", "working_well", "needs_to_happen", "safety_scale", "childs_words",
                   "child_seen_on", "further_action")


@transaction.atomic
def assessment_save(
    *, assessment: Assessment, by, expected_version: int, factors: Iterable[str] = (),
    **fields,
) -> Assessment:
    """Save an assessment still with its worker, without submitting it; the factors chosen so
    far are kept so the worker can come back to them."""
    policy.require(by, policy.RECORD, assessment.child)
    if assessment.voided_at is not None:
        raise RecordError("This assessment has been removed from the record")
    if assessment.authorised_on is not None:
        raise RecordError("This assessment has been authorised and can no longer be changed")
    if assessment.submitted_on is not None:
        raise RecordError("This assessment is with a manager: it can be changed if they return "
                          "it")
    unknown = set(fields) - set(PRACTICE_FIELDS)
    if unknown:
        raise TypeError(f"assessment_save() got unexpected fields {sorted(unknown)}")
    seen = fields.get("child_seen_on")
    if seen is not None:
        if seen < assessment.referral.received_on:
            raise RecordError(f"The child cannot have been seen for this assessment before the "
                              f"referral ({_day(assessment.referral.received_on)})",
                              field="child_seen_on")
        _not_future(seen, "child_seen_on", "date the child was seen")
    factors = list(dict.fromkeys(factors))
    if factors:
        _check_factors(factors)
    before = audit.snapshot(assessment)
    for name, value in fields.items():
        setattr(assessment, name, value)
    clean(assessment)
    save_version(assessment, expected_version=expected_version, thing="assessment",
                 fields=list(fields))
    kept = {f.code: f for f in assessment.factors.current()}
    for code, factor in kept.items():
        if code not in factors:
            core_services.void(obj=factor, by=by, reason="Unticked while the assessment was a "
                                                         "draft")
    for code in factors:
        if code not in kept:
            factor = AssessmentFactor(child=assessment.child, assessment=assessment, code=code,
                                      recorded_by=by)
            clean(factor)
            factor.save()
    audit.record(by, "assessment.saved", assessment, kind=AuditEvent.Kind.CHANGED,
                 before=before, related={"factors": sorted(factors)})
    return assessment


def _need_dates(plan: CINPlan, due_on: date | None, met_on: date | None = None) -> None:
    if due_on is not None and due_on < plan.started_on:
        raise RecordError(f"An action cannot be due before the plan started "
                          f"({_day(plan.started_on)})", field="due_on")
    if met_on is not None:
        if met_on < plan.started_on:
            raise RecordError(f"The need cannot be met before the plan started "
                              f"({_day(plan.started_on)})", field="met_on")
        _not_future(met_on, "met_on", "date the need was met")


@transaction.atomic
def plan_need_add(
    *, plan: CINPlan, need: str, outcome: str, what: str, by, due_on: date | None,
    owner=None, owner_name: str = "",
) -> PlanNeed:
    """Add a need to a child in need plan: the outcome wanted and its first action, with who is
    responsible and by when (F19: every action has a timescale); more actions can follow."""
    policy.require(by, policy.RECORD, plan.child)
    if plan.ended_on is not None:
        raise RecordError(f"This plan ended on {_day(plan.ended_on)}", field="need")
    _need_dates(plan, due_on)
    item = PlanNeed(child=plan.child, cin_plan=plan, need=need.strip(), outcome=outcome.strip(),
                    recorded_by=by)
    clean(item)
    item.save()
    audit.record(by, "plan_need.added", item)
    core_services.action_add(source=item, what=what, owner=owner, owner_name=owner_name,
                             due_on=due_on, by=by)
    return item


@transaction.atomic
def plan_need_review(
    *, need: PlanNeed, by, expected_version: int, outcome: str, met_on: date | None = None,
) -> PlanNeed:
    """Record a child in need review of one need: the outcome as it now reads, and the day it
    was met. Its actions are marked done, cancelled or added one by one (core.Action)."""
    plan = need.cin_plan
    policy.require(by, policy.RECORD, need.child)
    if need.voided_at is not None:
        raise RecordError("This need has been removed from the plan")
    _need_dates(plan, None, met_on)
    before = audit.snapshot(need)
    need.outcome, need.met_on = outcome.strip(), met_on
    clean(need)
    save_version(need, expected_version=expected_version, thing="need",
                 fields=["outcome", "met_on"])
    audit.record(by, "cin_plan.reviewed", need, kind=AuditEvent.Kind.CHANGED, before=before)
    return need


@transaction.atomic
def plan_childs_words_record(*, plan: ChildProtectionPlan | CINPlan, childs_words: str, by,
                             expected_version: int) -> ChildProtectionPlan | CINPlan:
    """Record (or rewrite, as the child says more) the child's own words on a child protection
    or child in need plan (F19); the words before are kept in the audit trail."""
    policy.require(by, policy.RECORD, plan.child)
    if plan.voided_at is not None:
        raise RecordError("This plan has been removed from the record")
    childs_words = (childs_words or "").strip()
    if not childs_words:
        raise RecordError(CHILDS_WORDS_MISSING, field="childs_words")
    before = audit.snapshot(plan)
    plan.childs_words = childs_words
    clean(plan)
    save_version(plan, expected_version=expected_version, thing="plan", fields=["childs_words"])
    kind = "cp_plan" if isinstance(plan, ChildProtectionPlan) else "cin_plan"
    audit.record(by, f"{kind}.childs_words_recorded", plan, kind=AuditEvent.Kind.CHANGED,
                 before=before)
    return plan


@transaction.atomic
def cin_plan_review_record(*, plan: CINPlan, held_on: date, attendees: str, progress: str,
                           by) -> CINPlanReview:
    """Record a dated review of a child in need plan; the next falls due by the authority's
    rule (names.CIN_PLAN_REVIEW)."""
    policy.require(by, policy.RECORD, plan.child)
    if plan.voided_at is not None:
        raise RecordError("This plan has been removed from the record")
    if held_on < plan.started_on:
        raise RecordError(f"A review cannot be held before the plan started "
                          f"({_day(plan.started_on)})", field="held_on")
    if plan.ended_on is not None and held_on > plan.ended_on:
        raise RecordError(f"The plan ended on {_day(plan.ended_on)}, before this review",
                          field="held_on")
    _not_future(held_on, "held_on", "review date")
    for field, value, message in [
            ("attendees", attendees, "Enter who took part in the review"),
            ("progress", progress, "Enter what the review found: what has changed for the "
                                   "child and what happens next")]:
        if not (value or "").strip():
            raise RecordError(message, field=field)
    if plan.reviews.current().filter(held_on=held_on).exists():
        raise RecordError(f"A review of this plan on {_day(held_on)} is already recorded",
                          field="held_on")
    review = CINPlanReview(child=plan.child, plan=plan, held_on=held_on,
                           attendees=attendees.strip(), progress=progress.strip(),
                           recorded_by=by)
    clean(review)
    review.save()
    audit.record(by, names.CIN_PLAN_REVIEW_HELD, review)
    return review


# F1: the events that overtake an authorised assessment, by the audit action each is recorded
# under (a placement move is a new episode of care; the facts say which episodes are moves).
UPDATE_TRIGGERS = ("contact.received", "referral.received", names.STRATEGY_DISCUSSION_HELD,
                   names.MISSING_STARTED, "episode.started", "legal_order.made")


@transaction.atomic
def assessment_update_raise(*, child_id: int, by) -> AssessmentUpdate | None:
    """Raise the task to update the child's latest authorised assessment when a significant
    event has overtaken it (F1); it falls due by the local rule (names.ASSESSMENT_UPDATE) and is
    met when a new assessment starts. One task per overtaken assessment: later events before
    the update are part of the same task. Called whenever such an event is recorded."""
    due = selectors.updates_due([child_id]).get(child_id)
    if due is None:
        return None
    # updates_due reports an assessment only while no assessment has started since the first
    # event, so a task already raised for it is still open.
    if AssessmentUpdate.objects.current().filter(assessment_id=due.assessment_id).exists():
        return None
    first = due.events[0]
    update = AssessmentUpdate(child_id=child_id, assessment_id=due.assessment_id,
                              event=first.fact, event_label=first.label or first.fact,
                              event_on=first.on, recorded_by=by)
    clean(update)
    update.save()
    audit.record(by, names.ASSESSMENT_UPDATE_DUE, update)
    return update


def _on_significant_event(actor, obj) -> None:
    child_id = getattr(obj, "child_id", None)
    if child_id is not None:
        assessment_update_raise(child_id=child_id, by=actor)


for _action in UPDATE_TRIGGERS:
    audit.listen(_action, _on_significant_event)
