"""Reads about the workforce: the teams a manager oversees, caseloads, allocations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import WHOLE_AUTHORITY, Allocation, Role, Staff, Team


def managed_teams(staff) -> QuerySet[Team]:
    """The teams whose work `staff` oversees: their own, those they manage, their service's."""
    if staff.role == Role.SERVICE_MANAGER:
        return Team.objects.filter(Q(service__manager=staff) | Q(pk=staff.team_id))
    if staff.role == Role.TEAM_MANAGER:
        return Team.objects.filter(Q(manager=staff) | Q(pk=staff.team_id))
    if staff.role in WHOLE_AUTHORITY:
        return Team.objects.all()
    return Team.objects.filter(pk=staff.team_id) if staff.team_id else Team.objects.none()


@dataclass(frozen=True)
class WorkerCaseload:
    worker: Staff
    children: int  # every child allocated: a worker's load, whoever may open the records
    threshold: float  # the team's threshold scaled to the worker's hours
    hidden: int = 0  # of those, records the viewer cannot open (restricted), said beside it

    @property
    def high(self) -> bool:
        return self.children > self.threshold


def team_caseloads(team: Team, *, as_of: date | None = None,
                   visible: QuerySet | None = None) -> list[WorkerCaseload]:
    """Each member's number of allocated children, against the team's caseload threshold; with
    `visible` (the children the viewer may open), how many of each caseload are not among them."""
    return caseloads_by_team([team], as_of=as_of, visible=visible)[team.pk]


def caseloads_by_team(teams, *, as_of: date | None = None, visible: QuerySet | None = None
                      ) -> dict[int, list[WorkerCaseload]]:
    """Each team's caseloads (as team_caseloads gives them), by team id: one query, however
    many teams a service manager's line holds."""
    as_of = as_of or timezone.localdate()
    teams = {team.pk: team for team in teams}
    # A correlated count over each member's current allocations (the worker/ended_on index),
    # not a join through every allocation they ever had: a long-serving worker's history
    # would otherwise be read on every page that shows their caseload.
    current = (Allocation.objects.current().active_on(as_of).filter(worker=OuterRef("pk"))
               .order_by().values("worker"))

    def count(allocations):
        return Coalesce(Subquery(allocations.annotate(n=Count("child", distinct=True))
                                 .values("n")), 0)

    members = (Staff.objects.filter(team__in=list(teams), is_active=True)
               .annotate(children=count(current)))
    if visible is not None:
        # The count stays whole (a restricted child is work all the same); the page says how
        # many of them the viewer cannot open, so the count and the list beside it agree.
        members = members.annotate(hidden=count(
            current.exclude(child__in=visible.values("pk"))))
    members = members.order_by("-children", "last_name", "first_name")
    out: dict[int, list[WorkerCaseload]] = {pk: [] for pk in teams}
    for m in members:
        threshold = float(teams[m.team_id].caseload_threshold) * float(m.fte or 1)
        out[m.team_id].append(WorkerCaseload(m, m.children, threshold,
                                             getattr(m, "hidden", 0)))
    return out


def current_allocation(child, *, as_of: date | None = None) -> Allocation | None:
    """The child's social worker allocation open on `as_of` (today), the one reallocation ends."""
    as_of = as_of or timezone.localdate()
    return (Allocation.objects.current().active_on(as_of)
            .filter(child=child, kind=Allocation.Kind.SOCIAL_WORKER)
            .select_related("worker", "team").order_by("-started_on", "-pk").first())


def lead_allocation(child, *, as_of: date | None = None) -> Allocation | None:
    """The child's lead worker on `as_of` (today): their social worker, or else the latest other
    worker allocated (a personal adviser, an early help practitioner)."""
    as_of = as_of or timezone.localdate()
    allocations = (Allocation.objects.current().active_on(as_of).filter(child=child)
                   .select_related("worker", "team"))
    return min(allocations, key=lambda a: (a.kind != Allocation.Kind.SOCIAL_WORKER,
                                           -a.started_on.toordinal(), -a.pk), default=None)


def allocation_of(child, allocation_id) -> Allocation | None:
    return Allocation.objects.current().filter(child=child, pk=allocation_id).first()
