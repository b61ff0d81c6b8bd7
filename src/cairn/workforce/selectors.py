"""Reads for team pages: the teams a manager oversees, caseloads and overdue work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cairn.core import policy, timescales

from .models import Allocation, Staff, Team


def teams_for(viewer) -> QuerySet[Team]:
    """The teams whose caseloads `viewer` may see."""
    if not policy.allows(viewer, policy.SEE_TEAMS):
        return Team.objects.none()
    return policy.managed_teams(viewer).select_related("service", "manager").order_by("name")


def team_for(viewer, team_id) -> Team:
    """One team `viewer` may see, or 404."""
    team = teams_for(viewer).filter(pk=team_id).first()
    if team is None:
        raise Http404("No such team")
    return team


@dataclass(frozen=True)
class WorkerCaseload:
    worker: Staff
    children: int
    threshold: float  # the team's threshold scaled to the worker's hours

    @property
    def high(self) -> bool:
        return self.children > self.threshold


def team_caseloads(team: Team, *, as_of: date | None = None) -> list[WorkerCaseload]:
    """Each member's number of allocated children, against the team's caseload threshold."""
    as_of = as_of or timezone.localdate()
    active = (Q(allocations__voided_at__isnull=True, allocations__started_on__lte=as_of)
              & (Q(allocations__ended_on__isnull=True) | Q(allocations__ended_on__gt=as_of)))
    members = (Staff.objects.filter(team=team, is_active=True)
               .annotate(children=Count("allocations__child", filter=active, distinct=True))
               .order_by("-children", "last_name", "first_name"))
    return [WorkerCaseload(m, m.children, float(team.caseload_threshold) * float(m.fte or 1))
            for m in members]


def team_overdue(team: Team, *, viewer, as_of: date | None = None) -> list[tuple]:
    """Every overdue item across the children allocated in `team`, most overdue first, with
    the child and the allocated worker."""
    as_of = as_of or timezone.localdate()
    allocations = {a.child_id: a for a in (
        Allocation.objects.current().active_on(as_of)
        .filter(team=team, child__in=policy.visible_children(viewer))
        .select_related("child", "worker"))}
    items = [d for d in timescales.open_items(allocations, today=as_of)
             if d.status == timescales.Status.OVERDUE]
    items.sort(key=lambda d: (d.due_on, d.rule.code))
    return [(d, allocations[d.child_id].child, allocations[d.child_id].worker) for d in items]


def current_allocation(child, *, as_of: date | None = None) -> Allocation | None:
    """The child's social worker allocation open on `as_of` (today), the one reallocation ends."""
    as_of = as_of or timezone.localdate()
    return (Allocation.objects.current().active_on(as_of)
            .filter(child=child, kind=Allocation.Kind.SOCIAL_WORKER)
            .select_related("worker", "team").order_by("-started_on", "-pk").first())


def team_allocations(team: Team, *, viewer, as_of: date | None = None) -> QuerySet[Allocation]:
    """The children allocated in `team` that `viewer` may see, with their workers."""
    as_of = as_of or timezone.localdate()
    return (Allocation.objects.current().active_on(as_of)
            .filter(team=team, kind=Allocation.Kind.SOCIAL_WORKER,
                    child__in=policy.visible_children(viewer))
            .select_related("child", "worker")
            .order_by("worker__last_name", "child__family_name", "child__given_name"))


def allocation_of(child, allocation_id) -> Allocation | None:
    return Allocation.objects.current().filter(child=child, pk=allocation_id).first()
