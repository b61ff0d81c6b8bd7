"""Recording inspections, keeping the improvement plan, and giving inspectors access: each write
in one transaction with its audit rows. Nothing is deleted."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cairn.access import policy
from cairn.access.models import AccessGrant
from cairn.core import audit
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.insight.indicators import REGISTRY
from cairn.workforce.models import Role, Staff

from . import selectors
from .models import (
    GRADED,
    ActionStatus,
    AreaForImprovement,
    Cohort,
    Evidence,
    ImprovementAction,
    Inspection,
    InspectorAccess,
    Judgement,
    ProgressUpdate,
)

MAX_SAMPLE = 100


def _text(value: str, message: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise RecordError(message, field=field)
    return value


def _saved(row, by, action: str, **kwargs):
    row.full_clean()
    row.save()
    audit.record(by, action, row, **kwargs)
    return row


def _first(problems: list[RecordError]) -> None:
    """Refuse with the first problem: the forms show them all at once before asking."""
    if problems:
        raise problems[0]


def inspection_problems(*, kind: str | None, started_on: date | None, ended_on: date | None,
                        published_on: date | None, grades: dict[str, str] | None,
                        today: date) -> list[RecordError]:
    """Everything wrong with an inspection's dates and grades together, so that a form can
    show every problem at once; a date not given (or not real) is not compared."""
    problems = []
    if started_on and ended_on and ended_on < started_on:
        problems.append(RecordError("The last day on site must be the same as or after the "
                                    "first day on site", field="ended_on"))
    if published_on and published_on > today:
        problems.append(RecordError("The date the report was published must be today or in "
                                    "the past", field="published_on"))
    elif published_on and ended_on and published_on < ended_on:
        problems.append(RecordError("The report cannot be published before the last day on "
                                    "site", field="published_on"))
    if kind and kind not in GRADED and any((grades or {}).values()):
        problems.append(RecordError("Only ILACS inspections are graded: leave the judgements "
                                    "as not graded for this type of inspection", field="kind"))
    return problems


@transaction.atomic
def record_inspection(*, by, kind: str, started_on: date, ended_on: date,
                      published_on: date | None = None, summary: str = "",
                      grades: dict[str, str] | None = None,
                      areas: Iterable[str] = ()) -> Inspection:
    """An inspection with its dates, grades by area (ILACS only) and areas for improvement."""
    policy.require_role(by, policy.INSPECTIONS)
    _first(inspection_problems(kind=kind, started_on=started_on, ended_on=ended_on,
                               published_on=published_on, grades=grades,
                               today=timezone.localdate()))
    grades = {area: grade for area, grade in (grades or {}).items() if grade}
    inspection = _saved(Inspection(kind=kind, started_on=started_on, ended_on=ended_on,
                                   published_on=published_on, summary=(summary or "").strip(),
                                   recorded_by=by, recorded_at=timezone.now()),
                        by, "inspection.recorded")
    _grade(inspection, grades, by)
    for text in areas:
        if text.strip():
            add_area(inspection=inspection, text=text, by=by)
    return inspection


def _grade(inspection: Inspection, grades: dict[str, str], by) -> None:
    existing = {j.area: j for j in inspection.judgements.all()}
    for area, grade in grades.items():
        judgement = existing.get(area)
        if judgement is None:
            _saved(Judgement(inspection=inspection, area=area, grade=grade, recorded_by=by,
                             recorded_at=timezone.now()), by, "inspection.judged")
        elif judgement.grade != grade:
            before = audit.snapshot(judgement)
            judgement.grade, judgement.recorded_by = grade, by
            judgement.recorded_at = timezone.now()
            judgement.full_clean()
            judgement.save()
            audit.record(by, "inspection.judgement_changed", judgement,
                         kind=AuditEvent.Kind.CHANGED, before=before)


@transaction.atomic
def record_judgements(*, inspection: Inspection, grades: dict[str, str], by) -> None:
    """Grades given (or corrected when the report is published); a grade once given is changed,
    not removed."""
    policy.require_role(by, policy.INSPECTIONS)
    if not inspection.graded:
        raise RecordError("Only ILACS inspections give grades")
    grades = {area: grade for area, grade in grades.items() if grade}
    if not grades:
        raise RecordError("Select at least one grade", field="overall")
    _grade(inspection, grades, by)


@transaction.atomic
def add_area(*, inspection: Inspection, text: str, by) -> AreaForImprovement:
    policy.require_role(by, policy.INSPECTIONS)
    text = _text(text, "Enter the area for improvement", "text")
    return _saved(AreaForImprovement(inspection=inspection, text=text, recorded_by=by,
                                     recorded_at=timezone.now()), by, "inspection.area_added")


def _owner(owner) -> Staff:
    if owner is None or not owner.is_active or owner.role in (Role.INSPECTOR,
                                                              Role.ADMINISTRATOR):
        raise RecordError("Choose a member of the authority's staff to own the action",
                          field="owner")
    return owner


def action_problems(*, due_on: date | None, today: date) -> list[RecordError]:
    """A new action is due today or later: one born overdue says nothing about when it will
    be done. (An action already recorded that passes its date is flagged overdue instead.)"""
    if due_on and due_on < today:
        return [RecordError("The due date must be today or in the future: if the work is "
                            "already late, enter the date it will now be done by",
                            field="due_on")]
    return []


@transaction.atomic
def add_action(*, area: AreaForImprovement, description: str, owner, due_on: date,
               by) -> ImprovementAction:
    policy.require_role(by, policy.INSPECTIONS)
    description = _text(description, "Enter what will be done", "description")
    _first(action_problems(due_on=due_on, today=timezone.localdate()))
    return _saved(ImprovementAction(area=area, description=description, owner=_owner(owner),
                                    due_on=due_on, recorded_by=by, recorded_at=timezone.now()),
                  by, "improvement.action_added")


def may_update(staff, action: ImprovementAction) -> bool:
    """The plan's keepers, and the action's owner, report its progress."""
    return policy.allows(staff, policy.INSPECTIONS) or (
        action.owner_id == staff.pk and staff.role != Role.INSPECTOR
        and policy.allows(staff, policy.VIEW))


@transaction.atomic
def update_progress(*, action: ImprovementAction, text: str, status: str,
                    by) -> ProgressUpdate:
    """A progress update, which moves the action's status (completed: on today)."""
    if not may_update(by, action):
        raise PermissionDenied("Not this action's owner")
    text = _text(text, "Enter the progress made", "text")
    if status not in ActionStatus.values:
        raise RecordError("Select the action's status", field="status")
    locked = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    update = _saved(ProgressUpdate(action=locked, text=text, status=status, recorded_by=by,
                                   recorded_at=timezone.now()), by, "improvement.progress")
    if locked.status != status:
        before = audit.snapshot(locked)
        locked.status = status
        locked.completed_on = timezone.localdate() if status == ActionStatus.COMPLETED else None
        locked.full_clean()
        locked.save(update_fields=["status", "completed_on"])
        audit.record(by, "improvement.status_changed", locked, kind=AuditEvent.Kind.CHANGED,
                     before=before)
    action.status, action.completed_on = locked.status, locked.completed_on
    return update


def evidence_problems(*, indicator: str, text: str) -> list[RecordError]:
    if not (indicator or "").strip() and not (text or "").strip():
        return [RecordError("Choose an indicator or describe the evidence", field="text")]
    return []


@transaction.atomic
def add_evidence(*, action: ImprovementAction, by, indicator: str = "",
                 text: str = "") -> Evidence:
    if not may_update(by, action):
        raise PermissionDenied("Not this action's owner")
    indicator, text = (indicator or "").strip(), (text or "").strip()
    if indicator and indicator not in REGISTRY:
        raise RecordError("Choose an indicator from the list", field="indicator")
    _first(evidence_problems(indicator=indicator, text=text))
    return _saved(Evidence(action=action, indicator=indicator, text=text, recorded_by=by,
                           recorded_at=timezone.now()), by, "improvement.evidence_added")


# -- inspector access -------------------------------------------------------------------------

def access_problems(*, by, inspector, starts_on: date | None, ends_on: date | None,
                    cohort: str | None, sample_size: int | None, children: Iterable,
                    today: date) -> list[RecordError]:
    """Everything wrong with an inspector's access together (see inspection_problems); a
    question not answered is not checked here (the form says it is missing)."""
    problems = []
    if inspector is not None and (inspector.role != Role.INSPECTOR or not inspector.is_active):
        problems.append(RecordError("Choose an inspector", field="inspector"))
    if starts_on and starts_on < today:
        problems.append(RecordError("Access must start today or later", field="starts_on"))
    if starts_on and ends_on and ends_on < starts_on:
        problems.append(RecordError("Access must end on or after the day it starts",
                                    field="ends_on"))
    if cohort == Cohort.CHOSEN:
        wanted = {child.pk for child in children}
        visible = policy.visible_children(by).filter(restricted=False, pk__in=wanted)
        if not wanted:
            problems.append(RecordError("Find children by name and tick at least one, or "
                                        "choose a cohort to sample", field="children"))
        elif visible.count() != len(wanted):
            problems.append(RecordError("You can give access only to records you may open "
                                        "that are not restricted", field="children"))
    elif cohort:
        if any(True for _ in children):
            problems.append(RecordError("You ticked children by name: choose “Chosen by name”, "
                                        "or untick them to sample a cohort", field="cohort"))
        elif cohort not in Cohort.values:
            problems.append(RecordError("Select how the children are chosen", field="cohort"))
        elif not selectors.cohort_children(cohort, today).exists():
            problems.append(RecordError("There are no children in that cohort to sample: "
                                        "choose another", field="cohort"))
        if not sample_size or not 1 <= sample_size <= MAX_SAMPLE:
            problems.append(RecordError(f"Enter a sample size from 1 to {MAX_SAMPLE}",
                                        field="sample_size"))
    return problems


@transaction.atomic
def grant_access(*, inspection: Inspection, inspector, starts_on: date, ends_on: date,
                 by, children: Iterable = (), cohort: str = Cohort.CHOSEN,
                 sample_size: int | None = None, seed: int | None = None) -> InspectorAccess:
    """Let `inspector` read the children chosen (or a random sample of `cohort`), read-only,
    from `starts_on` to `ends_on`. A sample's seed is kept, so the same sample can be drawn
    again to show how it was made."""
    policy.require_role(by, policy.GRANT_INSPECTION)
    today = timezone.localdate()
    if inspector is None:
        raise RecordError("Choose an inspector", field="inspector")
    if cohort not in Cohort.values:
        raise RecordError("Select how the children are chosen", field="cohort")
    children = list(children)
    _first(access_problems(by=by, inspector=inspector, starts_on=starts_on, ends_on=ends_on,
                           cohort=cohort, sample_size=sample_size, children=children,
                           today=today))
    if cohort == Cohort.CHOSEN:
        ids = sorted(child.pk for child in children)
        sample_size = seed = None
    else:
        if seed is None:
            seed = random.SystemRandom().randrange(1, 2**31)
        ids = selectors.sample(cohort, sample_size, seed, today)
    access = _saved(InspectorAccess(inspection=inspection, inspector=inspector,
                                    starts_on=starts_on, ends_on=ends_on, cohort=cohort,
                                    sample_size=sample_size, seed=seed, granted_by=by,
                                    granted_at=timezone.now()),
                    by, "inspection.access_granted")
    # A grant counts from its granted_at (AccessGrant.open_on): one given ahead begins on the
    # first day of access.
    start = timezone.now() if starts_on == today else datetime.combine(
        starts_on, time.min, tzinfo=timezone.get_current_timezone())
    reason = f"Sampled for the {inspection} ({access.get_cohort_display().lower()})"
    grants = AccessGrant.objects.bulk_create([
        AccessGrant(child_id=pk, staff=inspector, granted_by=by, granted_at=start,
                    until=ends_on, reason=reason) for pk in ids])
    access.grants.add(*grants)
    for grant in grants:
        audit.record(by, "accessgrant.created", grant, reason=reason)
    # The inspector's account lasts as long as their latest access.
    if inspector.access_until is None or inspector.access_until < ends_on:
        before = audit.snapshot(inspector)
        Staff.objects.filter(pk=inspector.pk).update(access_until=ends_on)
        inspector.access_until = ends_on
        audit.record(by, "staff.access_until", inspector, kind=AuditEvent.Kind.CHANGED,
                     before=before)
    return access


@transaction.atomic
def end_access(*, access: InspectorAccess, reason: str, by) -> InspectorAccess:
    """End an inspector's access before its end date: every grant it made ends now."""
    policy.require_role(by, policy.GRANT_INSPECTION)
    reason = _text(reason, "Enter why the access is ending early", "reason")
    locked = InspectorAccess.objects.select_for_update().get(pk=access.pk)
    if locked.ended_at is not None:
        raise RecordError("This access has already been ended")
    now = timezone.now()
    before = audit.snapshot(locked)
    locked.ended_at, locked.ended_by, locked.end_reason = now, by, reason
    locked.save(update_fields=["ended_at", "ended_by", "end_reason"])
    audit.record(by, "inspection.access_ended", locked, kind=AuditEvent.Kind.CHANGED,
                 before=before, reason=reason)
    for grant in locked.grants.filter(revoked_at__isnull=True):
        before = audit.snapshot(grant)
        grant.revoked_at, grant.revoked_by, grant.revoke_reason = now, by, reason
        grant.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        audit.record(by, "accessgrant.ended", grant, kind=AuditEvent.Kind.CHANGED,
                     before=before, reason=reason)
    access.ended_at, access.ended_by, access.end_reason = now, by, reason
    return access
