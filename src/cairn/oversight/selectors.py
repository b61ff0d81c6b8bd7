"""Reads for managers' oversight: the teams they see, their caseloads and overdue work, and the
work waiting for their authorisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cairn.access import policy
from cairn.core import open_dues, timescales
from cairn.frontdoor import selectors as frontdoor_selectors
from cairn.protection.models import Assessment
from cairn.workforce.models import Allocation, Role, Team
from cairn.workforce.selectors import caseloads_by_team, managed_teams


def teams_for(viewer) -> QuerySet[Team]:
    """The teams whose caseloads `viewer` may see."""
    if not policy.allows(viewer, policy.SEE_TEAMS):
        return Team.objects.none()
    return managed_teams(viewer).select_related("service", "manager").order_by("name")


def team_for(viewer, team_id) -> Team:
    """One team `viewer` may see, or 404."""
    team = teams_for(viewer).filter(pk=team_id).first()
    if team is None:
        raise Http404("No such team")
    return team


def _in_line(viewer, allocations: QuerySet[Allocation]) -> QuerySet[Allocation]:
    """Only the allocations in teams `viewer` manages, whose children visible_in_teams_q
    decides for them."""
    return allocations.filter(team__in=managed_teams(viewer).values("pk"))


def visible_among(viewer, candidates: QuerySet) -> QuerySet:
    """The children `viewer` may open among `candidates` (a query of child ids): the answer
    visible_children gives for them, but the database tests only these children, where a bare
    `child__in=visible_children(...)` had it build the set of every child the viewer may open
    (reading every child of the authority to do so: the cost grew with the authority)."""
    return policy.visible_children(viewer).filter(pk__in=candidates)


def team_overdue(team: Team, *, viewer, as_of: date | None = None) -> list[tuple]:
    """Every overdue item across the children allocated in `team`, most overdue first, with
    the child and the allocated worker."""
    as_of = as_of or timezone.localdate()
    active = _in_line(viewer, Allocation.objects.current().active_on(as_of).filter(team=team))
    allocations = {a.child_id: a for a in (
        active.filter(policy.visible_in_teams_q(viewer))
        .select_related("child", "worker"))}
    items = [d for d in open_dues.open_items(list(allocations), today=as_of)
             if d.status == timescales.Status.OVERDUE]
    items.sort(key=lambda d: (d.due_on, d.rule.code))
    return [(d, allocations[d.child_id].child, allocations[d.child_id].worker) for d in items]


# The allocations that make a child a team's work: a social worker's, or an early help
# practitioner's (an early help team's children have no social worker: counting only social
# workers left the early help team's list empty beside its workers' caseloads).
TEAM_WORK = (Allocation.Kind.SOCIAL_WORKER, Allocation.Kind.EARLY_HELP)


def team_allocations(team: Team, *, viewer, as_of: date | None = None) -> QuerySet[Allocation]:
    """The children allocated in `team` that `viewer` may see, with their workers."""
    as_of = as_of or timezone.localdate()
    work = _in_line(viewer, Allocation.objects.current().active_on(as_of)
                    .filter(team=team, kind__in=TEAM_WORK))
    return (work.filter(policy.visible_in_teams_q(viewer))
            .select_related("child", "worker")
            .order_by("worker__last_name", "child__family_name", "child__given_name"))


def hidden_by_team(teams, *, viewer, as_of: date | None = None) -> dict[int, int]:
    """For each of `teams`, how many children allocated in it (TEAM_WORK) `viewer`
    cannot open: restricted records they are not named on. A list of the team's children leaves
    them out; its count says "and 1 record you cannot open", so the two agree. One query."""
    as_of = as_of or timezone.localdate()
    work = _in_line(viewer, Allocation.objects.current().active_on(as_of)
                    .filter(team__in=teams, kind__in=TEAM_WORK))
    return dict(work.exclude(policy.visible_in_teams_q(viewer))
                .values("team_id").annotate(n=Count("child", distinct=True))
                .values_list("team_id", "n"))


def _overdue_by_team(work: QuerySet[Allocation], as_of: date) -> dict[int, int]:
    """Overdue items of the children of `work` (allocations), by team, from the engine: for
    when the open items kept beside the facts are not built for the rules in force yet."""
    team_of = dict(work.values_list("child_id", "team_id"))
    overdue: dict[int, int] = {}
    for item in timescales.open_items(list(team_of), today=as_of):
        if item.status == timescales.Status.OVERDUE:
            overdue[team_of[item.child_id]] = overdue.get(team_of[item.child_id], 0) + 1
    return overdue


@dataclass(frozen=True)
class TeamAtAGlance:
    """One team a manager oversees, as their home page shows it."""

    team: Team
    children: int  # those the manager may open
    overdue: int
    high_caseloads: int
    hidden: int = 0  # children allocated in the team whose records the manager cannot open


LINE_MANAGERS = {Role.TEAM_MANAGER, Role.SERVICE_MANAGER}


def teams_at_a_glance(viewer, *, as_of: date | None = None) -> list[TeamAtAGlance]:
    """For a team or service manager, each team in their line: children allocated, overdue
    work across them (whoever answers for it), workers above the caseload threshold. Counted
    in SQL, from each child's open items kept beside the facts (core.open_dues): a service
    manager's line may hold thousands of children."""
    if viewer.role not in LINE_MANAGERS:
        return []
    as_of = as_of or timezone.localdate()
    teams = list(teams_for(viewer))
    work = _in_line(viewer, Allocation.objects.current().active_on(as_of)
                    .filter(team__in=teams, kind__in=TEAM_WORK))
    # One pass over the line's allocations, each child tested once against what the viewer
    # may open: the children they can open, those they cannot, and the overdue work of the
    # first, by team.
    seen = policy.visible_in_teams_q(viewer)
    rows = open_dues.overdue(None, today=as_of)
    counts = {"children": Count("child", distinct=True, filter=seen),
              "hidden": Count("child", distinct=True, filter=~seen)}
    if rows is not None:
        per_child = (rows.filter(child_id=OuterRef("child_id")).order_by()
                     .values("child_id").annotate(n=Count("pk")).values("n"))
        counts["overdue"] = Sum(Coalesce(Subquery(per_child), 0), filter=seen)
    by_team = {row["team_id"]: row for row in
               work.order_by().values("team_id").annotate(**counts)}
    children = {pk: row["children"] for pk, row in by_team.items()}
    hidden = {pk: row["hidden"] for pk, row in by_team.items()}
    overdue = ({pk: row["overdue"] for pk, row in by_team.items()} if rows is not None
               else _overdue_by_team(work.filter(seen), as_of))
    caseloads = caseloads_by_team(teams, as_of=as_of)
    return [TeamAtAGlance(team, children.get(team.pk, 0), overdue.get(team.pk, 0),
                          sum(1 for c in caseloads[team.pk] if c.high), hidden.get(team.pk, 0))
            for team in teams]


@dataclass(frozen=True)
class Awaiting:
    """One piece of work waiting for a manager's decision."""

    kind: str
    child: object
    submitted_by: object
    submitted_on: date
    url: str
    detail: str = ""

    @property
    def days_waiting(self) -> int:
        return (timezone.localdate() - self.submitted_on).days


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def assessments_awaiting(manager):
    """Submitted assessments not yet authorised on children in `manager`'s line, oldest first."""
    if not policy.allows(manager, policy.AUTHORISE):
        return Assessment.objects.none()
    return (Assessment.objects.current()
            .filter(policy.visible_row_q(manager), submitted_on__isnull=False,
                    authorised_on__isnull=True)
            .select_related("child", "submitted_by").order_by("submitted_on", "pk"))


def awaiting_authorisation(manager) -> list[Awaiting]:
    """Everything waiting for `manager`'s authorisation, longest waiting first. Three
    queries."""
    items = [Awaiting("Single assessment", a.child, a.submitted_by, a.submitted_on,
                      reverse("assessment_decide", args=[a.pk]),
                      f"Started {a.started_on:%-d %b %Y}")
             for a in assessments_awaiting(manager)]
    items += [Awaiting(s.get_direction_display(), s.child, s.requested_by, _day(s.requested_at),
                       reverse("frontdoor:step_decide", args=[s.pk]), s.rationale[:120])
              for s in frontdoor_selectors.step_decisions_awaiting(manager)]
    # Consent the manager was recorded as dispensing with, for them to see and confirm.
    items += [Awaiting("Consent dispensed with: confirm", c.child, c.recorded_by,
                       c.consent_dispensed_on or _day(c.received_at),
                       reverse("frontdoor:contact_decide", args=[c.pk]),
                       c.consent_dispensed_reason[:120])
              for c in frontdoor_selectors.consent_dispensals_to_see(manager)]
    items.sort(key=lambda item: (item.submitted_on, item.kind))
    return items


def awaiting_count(manager) -> int:
    if not policy.allows(manager, policy.AUTHORISE):
        return 0
    return (assessments_awaiting(manager).count()
            + frontdoor_selectors.step_decisions_awaiting(manager).count()
            + frontdoor_selectors.consent_dispensals_to_see(manager).count())
