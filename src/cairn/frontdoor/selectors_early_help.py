"""Reads for early help's own work: the children an early help manager holds to allocate, and
who a child's early help practitioner is. Scoped by the access policy like every list."""

from __future__ import annotations

from django.db.models import QuerySet

from cairn.access import policy
from cairn.workforce.models import Allocation, Role


def early_help_to_allocate(manager) -> QuerySet[Allocation]:
    """The children passed to early help that `manager` holds until they allocate a
    practitioner (services_early_help.early_help_pass), oldest first."""
    if not policy.allows(manager, policy.ALLOCATE):
        return Allocation.objects.none()
    return (Allocation.objects.current()
            .filter(kind=Allocation.Kind.EARLY_HELP, ended_on__isnull=True, worker=manager,
                    child__in=policy.visible_children(manager))
            .select_related("child", "team").order_by("started_on", "pk"))


def early_help_allocation(child) -> Allocation | None:
    """The child's open early help allocation, if any."""
    return (Allocation.objects.current()
            .filter(child=child, kind=Allocation.Kind.EARLY_HELP, ended_on__isnull=True)
            .select_related("worker", "team").order_by("-started_on", "-pk").first())


def practitioner(child, staff):
    """Who leads a new early help episode for `child`: the practitioner allocated to the child,
    or else `staff`, who is starting it."""
    allocation = early_help_allocation(child)
    if allocation is not None and allocation.worker.role == Role.EARLY_HELP:
        return allocation.worker
    return staff
