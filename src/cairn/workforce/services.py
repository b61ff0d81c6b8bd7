"""Writes in the workforce: allocating a child's work, and reallocating it to another worker.

Who may allocate is the access policy's to say, and the pages that call these (oversight's)
ask it first; here the workforce's own rules hold (a manager allocates within their line).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from cairn.core import audit
from cairn.core.errors import RecordError, StaleRecord
from cairn.core.models import AuditEvent
from cairn.core.services import clean, save_version
from cairn.core.services import long_date as _day

from . import selectors
from .models import Allocation, Role, Staff


def workers_in_line(manager):
    """The active staff a manager may allocate work to: members of the teams they oversee."""
    return (Staff.objects.filter(is_active=True, team__in=selectors.managed_teams(manager))
            .select_related("team").order_by("last_name", "first_name"))


@transaction.atomic
def allocation_change(
    *, allocation: Allocation, worker: Staff, on: date, end_reason: str, by,
    expected_version: int | None = None,
) -> Allocation:
    """Reallocate a child: end the current allocation on `on` with the SSDA903 SW_REASON and
    start the new worker's the same day, in the new worker's team. Returns the new allocation."""
    if allocation.voided_at is not None or allocation.ended_on is not None:
        raise StaleRecord("allocation")  # someone reallocated the child first
    if not workers_in_line(by).filter(pk=worker.pk).exists():
        raise RecordError("Choose a worker in a team you manage", field="worker")
    if worker.pk == allocation.worker_id:
        raise RecordError(f"{worker} is already the allocated worker", field="worker")
    if end_reason not in Allocation.EndReason.values:
        raise RecordError("Choose why the worker is changing", field="end_reason")
    if on < allocation.started_on:
        raise RecordError(f"The change cannot be before the current allocation started "
                          f"({_day(allocation.started_on)})", field="on")
    before = audit.snapshot(allocation)
    allocation.ended_on, allocation.end_reason = on, end_reason
    clean(allocation)
    save_version(allocation, expected_version=expected_version, thing="allocation",
                 fields=["ended_on", "end_reason"])
    audit.record(by, "allocation.ended", allocation, kind=AuditEvent.Kind.CHANGED,
                 before=before, reason=allocation.get_end_reason_display())
    new = Allocation(child=allocation.child, worker=worker, team=worker.team,
                     kind=allocation.kind, started_on=on, recorded_by=by)
    clean(new)
    new.save()
    audit.record(by, "allocation.started", new)
    return new


@transaction.atomic
def allocation_start(*, child, worker: Staff, kind: str, on: date, by) -> Allocation:
    """Allocate a worker to a child who has no open allocation of this kind (a first social
    worker, an IRO, a personal adviser). A change of worker is `allocation_change`."""
    if not worker.is_active or worker.team_id is None:
        raise RecordError(f"{worker} cannot be allocated work", field="worker")
    wanted = {Allocation.Kind.IRO: Role.IRO, Allocation.Kind.PERSONAL_ADVISER:
              Role.PERSONAL_ADVISER}.get(kind)
    if wanted and worker.role != wanted:
        raise RecordError(f"Choose a {Role(wanted).label.lower()}", field="worker")
    if (Allocation.objects.current().select_for_update()
            .filter(child=child, kind=kind, ended_on__isnull=True).exists()):
        raise RecordError(f"{child.full_name} already has an allocated "
                          f"{Allocation.Kind(kind).label.lower()}: reallocate instead",
                          field="worker")
    allocation = Allocation(child=child, worker=worker, team=worker.team, kind=kind,
                            started_on=on, recorded_by=by)
    clean(allocation)
    allocation.save()
    audit.record(by, "allocation.started", allocation)
    return allocation


def allocation_hold(*, child, manager: Staff, on: date, by) -> Allocation | None:
    """A child with no social worker is held by `manager` from `on` until they allocate one,
    so new work (a referral from the front door or a step up) is never nobody's; nothing
    changes for a child who has a social worker."""
    if selectors.current_allocation(child) is not None:
        return None
    return allocation_start(child=child, worker=manager, kind=Allocation.Kind.SOCIAL_WORKER,
                            on=on, by=by)

