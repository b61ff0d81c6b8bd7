"""Writes for early help's own work: a front door decision passed to the early help team, the
team manager allocating a practitioner, and the steps between early help and social care
settled when one of them is decided.

Each service runs inside its caller's transaction or its own (one transaction: the access check,
the rules, the save and the audit row land together or not at all)."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from cairn.access import policy
from cairn.core import audit
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.core.services import clean, save_version
from cairn.core.services import not_future as _not_future
from cairn.workforce import services as workforce_services
from cairn.workforce.models import Allocation, Role, Team

from .models import EarlyHelpEpisode, StepDecision

NO_EARLY_HELP_TEAM = "Choose the early help team to pass the child to"


def open_early_help_allocation(child) -> Allocation | None:
    """The child's open early help allocation (a practitioner's, or the manager holding it)."""
    return (Allocation.objects.current().select_for_update()
            .filter(child=child, kind=Allocation.Kind.EARLY_HELP, ended_on__isnull=True)
            .select_related("worker", "team").order_by("-started_on", "-pk").first())


def early_help_pass(*, child, team: Team | None, on: date, by) -> Allocation | None:
    """A front door decision of early help reaches the early help team: the team's manager
    holds the child (an early help allocation in their name) until they allocate a practitioner,
    so the manager sees the child on their list to allocate and can open the record. A child
    already open to early help stays with their practitioner (None is returned)."""
    if open_early_help_allocation(child) is not None:
        return None
    if team is None or team.kind != Team.Kind.EARLY_HELP or team.manager is None:
        raise RecordError(NO_EARLY_HELP_TEAM, field="early_help_team")
    allocation = workforce_services.allocation_start(
        child=child, worker=team.manager, kind=Allocation.Kind.EARLY_HELP, on=on, by=by)
    audit.record(by, "early_help.passed_to_team", allocation)
    return allocation


def early_help_practitioners(manager):
    """The early help practitioners a manager may allocate a child to: active, in their line."""
    return workforce_services.workers_in_line(manager).filter(role=Role.EARLY_HELP)


@transaction.atomic
def early_help_allocate(*, child, worker, on: date, by) -> Allocation:
    """A manager allocates an early help practitioner to a child: the manager's hold (or a
    previous practitioner's allocation) ends the same day and the practitioner's starts, so
    the practitioner finds the child on their list and can open the record; the open early
    help episode, if any, names them as its worker."""
    policy.require(by, policy.ALLOCATE, child)
    if worker is None or not early_help_practitioners(by).filter(pk=worker.pk).exists():
        raise RecordError("Choose an early help practitioner in a team you manage",
                          field="worker")
    _not_future(on, "on", "allocation date")
    current = open_early_help_allocation(child)
    if current is None:
        allocation = workforce_services.allocation_start(
            child=child, worker=worker, kind=Allocation.Kind.EARLY_HELP, on=on, by=by)
    else:
        allocation = workforce_services.allocation_change(
            allocation=current, worker=worker, on=on, by=by,
            end_reason=Allocation.EndReason.TRANSFER if current.worker.role != Role.EARLY_HELP
            else Allocation.EndReason.MANAGEMENT)
    episode = (EarlyHelpEpisode.objects.current().select_for_update()
               .filter(child=child, ended_on__isnull=True).first())
    if episode is not None and episode.worker_id != worker.pk:
        before = audit.snapshot(episode)
        episode.worker = worker
        save_version(episode, expected_version=None, thing="early help episode", fields=["worker"])
        audit.record(by, "early_help.worker_changed", episode, kind=AuditEvent.Kind.CHANGED,
                     before=before)
    return allocation


def early_help_allocation_end(*, child, on: date, by) -> None:
    """Early help ends for a child stepped up to social care: their early help allocations end
    too, so the child leaves the practitioners' lists and the early help team's count."""
    for current in (Allocation.objects.current().select_for_update()
                    .filter(child=child, kind=Allocation.Kind.EARLY_HELP,
                            ended_on__isnull=True)):
        _allocation_end(current, on=on, by=by)


def early_help_hold_end(*, child, on: date, by) -> None:
    """Social care takes the child: an early help manager's hold (the child waiting for an
    early help practitioner) ends, so the child leaves that manager's list to allocate. A
    practitioner's allocation stays: their early help goes on until it is ended."""
    for current in (Allocation.objects.current().select_for_update()
                    .filter(child=child, kind=Allocation.Kind.EARLY_HELP, ended_on__isnull=True)
                    .exclude(worker__role=Role.EARLY_HELP)):
        _allocation_end(current, on=on, by=by, reason="Passed to children's social care")


def _allocation_end(current: Allocation, *, on: date, by,
                    reason: str = "Stepped up to children's social care") -> None:
    before = audit.snapshot(current)
    current.ended_on = max(on, current.started_on)
    current.end_reason = Allocation.EndReason.CHILD_CHANGE
    clean(current)
    save_version(current, expected_version=None, thing="allocation", fields=["ended_on", "end_reason"])
    audit.record(by, "allocation.ended", current, kind=AuditEvent.Kind.CHANGED, before=before,
                 reason=reason)


# No "Closed:" of its own: every page showing it says so already (status "Closed").
CLOSED_BY_DECISION = "{what} {verb} on {day} by {who}"


def steps_settled_by(step: StepDecision, *, at: datetime, by) -> list[StepDecision]:
    """When a step is decided, the other requests still waiting on the same child that it
    answers are closed, saying which decision closed them: every pending request for the same
    direction (a duplicate), and on an authorised step every pending request (the child has
    moved: a request made before the move no longer fits). Returns the requests closed."""
    pending = (StepDecision.objects.current().select_for_update()
               .filter(child=step.child, authorised_at__isnull=True, declined_at__isnull=True,
                       closed_at__isnull=True)
               .exclude(pk=step.pk).order_by("requested_at", "pk"))
    if step.authorised_at is None:
        pending = pending.filter(direction=step.direction)
    verb = "authorised" if step.authorised_at is not None else "declined"
    reason = CLOSED_BY_DECISION.format(
        what=step.get_direction_display(), verb=verb, who=by.get_full_name() or by,
        day=f"{at:%-d %B %Y}")
    closed = []
    for other in pending:
        if other.requested_at > at:
            continue  # asked for after this decision was made: not answered by it
        before = audit.snapshot(other)
        other.closed_at, other.closed_by, other.closed_reason = at, by, reason
        other.closed_by_step = step
        clean(other)
        save_version(other, expected_version=None, thing="step decision",
                     fields=["closed_at", "closed_by", "closed_reason", "closed_by_step"])
        audit.record(by, "step_decision.closed", other, kind=AuditEvent.Kind.DECIDED,
                     before=before, reason=reason)
        closed.append(other)
    return closed


@transaction.atomic
def step_decision_withdraw(*, step: StepDecision, at: datetime, reason: str, by,
                           expected_version: int | None = None) -> StepDecision:
    """The person who asked for a step withdraws it before a manager decides, saying why."""
    policy.require(by, policy.RECORD, step.child)
    if step.requested_by_id != by.pk:
        raise RecordError("Only the person who asked for the step can withdraw it",
                          field="reason")
    if step.authorised_at or step.declined_at or step.closed_at:
        raise RecordError("This step has already been decided or closed", field="reason")
    if not reason.strip():
        raise RecordError("Enter why you are withdrawing the request", field="reason")
    before = audit.snapshot(step)
    step.closed_at, step.closed_by = at, by
    step.closed_reason = f"Withdrawn: {reason.strip()}"
    clean(step)
    save_version(step, expected_version=expected_version, thing="step decision",
                 fields=["closed_at", "closed_by", "closed_reason"])
    audit.record(by, "step_decision.withdrawn", step, kind=AuditEvent.Kind.DECIDED,
                 before=before, reason=reason.strip())
    return step
