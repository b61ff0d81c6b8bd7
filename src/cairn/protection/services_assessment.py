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
from cairn.core import audit
from cairn.core import services as core_services
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.core.services import clean, save_version

from .models import Assessment, AssessmentFactor, CINPlan, PlanNeed
from .services import _check_factors, _day, _not_future

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
                 before=before)
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
