"""Reads for the inspection pages: the plan's progress, cohorts to sample, what an inspector
opened. Each is a bounded number of queries, whatever the size of the authority."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.urls import Resolver404, resolve
from django.utils import timezone

from cairn.access import policy
from cairn.access.models import AccessGrant
from cairn.care.models import LookedAfterEpisode
from cairn.core.models import AuditEvent
from cairn.core.timescales import add_months
from cairn.frontdoor.models import Referral
from cairn.insight.indicators import REGISTRY
from cairn.leaving_care.models import LeavingCareEligibility
from cairn.people.models import Child
from cairn.protection.models import ChildProtectionPlan
from cairn.workforce.models import Role, Staff

from .models import (
    ActionStatus,
    AreaForImprovement,
    Cohort,
    ImprovementAction,
    Inspection,
    InspectorAccess,
)

PICK_LISTED = 50  # children a name search offers to tick
OPENED_LISTED = 200  # pages an inspector opened, newest first, on the access page


def inspections() -> QuerySet:
    return Inspection.objects.select_related("recorded_by").order_by("-started_on", "-id")


def inspection(pk) -> Inspection | None:
    try:
        return inspections().filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def latest_with_plan() -> Inspection | None:
    """The newest inspection whose areas for improvement the plan answers."""
    return (Inspection.objects.filter(areas_for_improvement__isnull=False)
            .order_by("-started_on", "-id").first())


# -- the improvement plan ---------------------------------------------------------------------

@dataclass
class AreaProgress:
    area: AreaForImprovement
    actions: list[ImprovementAction]
    by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0


@dataclass
class PlanProgress:
    inspection: Inspection
    areas: list[AreaProgress]
    by_status: list[tuple[str, str, int]]  # (status, label, count)
    total: int
    overdue: int
    today: date


def plan(inspection: Inspection) -> PlanProgress:
    """The inspection's areas for improvement, each with its actions (owner loaded), and the
    counts by status and overdue, for the plan's page: two queries."""
    today = timezone.localdate()
    areas = list(AreaForImprovement.objects.filter(inspection=inspection).order_by("id"))
    actions = list(ImprovementAction.objects.filter(area__inspection=inspection)
                   .select_related("owner").order_by("due_on", "id"))
    out = []
    for area in areas:
        mine = [a for a in actions if a.area_id == area.pk]
        progress = AreaProgress(area, mine)
        for status in ActionStatus.values:
            progress.by_status[status] = sum(1 for a in mine if a.status == status)
        progress.overdue = sum(1 for a in mine if a.overdue(today))
        for action in mine:
            action.is_overdue = action.overdue(today)
        out.append(progress)
    by_status = [(value, label, sum(1 for a in actions if a.status == value))
                 for value, label in ActionStatus.choices]
    return PlanProgress(inspection, out, by_status, len(actions),
                        sum(1 for a in actions if a.overdue(today)), today)


def plan_summary() -> dict | None:
    """For a senior manager's home: the newest plan's actions, open and overdue, by SQL
    aggregate (two queries)."""
    latest = latest_with_plan()
    if latest is None:
        return None
    today = timezone.localdate()
    this, still_open = Q(area__inspection=latest), ~Q(status=ActionStatus.COMPLETED)
    late = still_open & Q(due_on__lt=today)
    # An earlier plan's actions still open are not forgotten when a newer inspection comes.
    counts = ImprovementAction.objects.aggregate(
        total=Count("pk", filter=this),
        completed=Count("pk", filter=this & Q(status=ActionStatus.COMPLETED)),
        overdue=Count("pk", filter=this & late),
        earlier_open=Count("pk", filter=~this & still_open),
        earlier_overdue=Count("pk", filter=~this & late))
    return {"inspection": latest, **counts}


def earlier_plans(latest: Inspection) -> list[dict]:
    """Earlier inspections whose plans still have actions open: each with how many are open
    and overdue (one query)."""
    today = timezone.localdate()
    still_open = ~Q(status=ActionStatus.COMPLETED)
    rows = (ImprovementAction.objects.exclude(area__inspection=latest).filter(still_open)
            .values("area__inspection").annotate(
                open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
            .order_by())
    found = {row["area__inspection"]: row for row in rows}
    return [{"inspection": inspection, "open": found[inspection.pk]["open"],
             "overdue": found[inspection.pk]["overdue"]}
            for inspection in inspections().filter(pk__in=found)]


def action(pk) -> ImprovementAction | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return (ImprovementAction.objects.select_related("area__inspection", "owner", "recorded_by")
            .filter(pk=pk).first())


def area(pk) -> AreaForImprovement | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return AreaForImprovement.objects.select_related("inspection").filter(pk=pk).first()


def owned_actions(staff) -> QuerySet:
    """Improvement actions `staff` owns that are not completed, soonest due first."""
    return (ImprovementAction.objects.filter(owner=staff).exclude(status=ActionStatus.COMPLETED)
            .select_related("area__inspection").order_by("due_on", "id"))


def indicator_choices() -> list[tuple[str, str]]:
    return [("", "None")] + sorted(((i.id, i.name) for i in REGISTRY.values()),
                                   key=lambda pair: pair[1])


def indicator_link(indicator_id: str) -> tuple[str, str]:
    """(name, url) of an indicator an action's evidence names: its page on the dashboard if
    there is one, else no url."""
    found = REGISTRY.get(indicator_id)
    name = found.name if found else indicator_id
    url = f"/insight/indicators/{indicator_id}/"
    try:
        resolve(url)
    except Resolver404:
        url = ""
    return name, url


# -- inspector access -------------------------------------------------------------------------

def inspectors() -> QuerySet:
    return Staff.objects.filter(role=Role.INSPECTOR, is_active=True).order_by(
        "last_name", "first_name", "pk")


def cohort_children(cohort: str, today: date) -> QuerySet:
    """The children of a named cohort on `today`, restricted records left out (a restricted
    record is seen only by those named on it, never by a sample)."""
    if cohort == Cohort.IN_CARE:
        ids = LookedAfterEpisode.objects.current().filter(
            started_on__lte=today).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
    elif cohort == Cohort.PROTECTION_PLAN:
        ids = ChildProtectionPlan.objects.current().filter(
            started_on__lte=today).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
    elif cohort == Cohort.CARE_LEAVERS:
        ids = LeavingCareEligibility.objects.current().filter(
            category__in=["relevant", "former_relevant"], started_on__lte=today).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=today))
    elif cohort == Cohort.RECENT_REFERRALS:
        ids = Referral.objects.current().filter(received_on__gt=add_months(today, -6),
                                                received_on__lte=today)
    else:
        return Child.objects.none()
    return Child.objects.filter(pk__in=ids.values("child_id"), restricted=False,
                                la_child_id__isnull=False)


def sample(cohort: str, size: int, seed: int, today: date) -> list[int]:
    """`size` children of the cohort at random, the same for the same seed and cohort: the
    ids are read in order (one query of ids only) and drawn from with the seed."""
    ids = list(cohort_children(cohort, today).order_by("pk").values_list("pk", flat=True))
    return sorted(random.Random(seed).sample(ids, min(size, len(ids))))


def pickable(viewer, query: str, also=()) -> QuerySet:
    """Children `viewer` may open whose name matches `query` (the first PICK_LISTED), and those
    in `also` (already ticked), to tick for an inspector: a manager gives access only to
    records they may open themselves, and none restricted."""
    query = (query or "").strip()
    children = policy.visible_children(viewer).filter(restricted=False)
    found = children
    for word in query.split()[:3]:
        found = found.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word)
                             | Q(la_child_id__iexact=word))
    ids = list(found.order_by("family_name", "given_name", "pk")
               .values_list("pk", flat=True)[:PICK_LISTED]) if query else []
    return children.filter(pk__in=[*ids, *(c.pk for c in also)]).order_by(
        "family_name", "given_name", "pk")


def accesses(inspection: Inspection) -> list[InspectorAccess]:
    return list(InspectorAccess.objects.filter(inspection=inspection)
                .select_related("inspector", "granted_by", "ended_by")
                .annotate(children=Count("grants")).order_by("-starts_on", "-id"))


def access(pk) -> InspectorAccess | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return (InspectorAccess.objects.select_related("inspection", "inspector", "granted_by",
                                                   "ended_by").filter(pk=pk).first())


def sampled_children(access: InspectorAccess, viewer) -> list[Child]:
    """The children the access names, each marked `hidden` when their record has been
    restricted since and `viewer` is not named on it (its name is not shown)."""
    children = list(Child.objects.filter(pk__in=access.grants.values("child_id"))
                    .order_by("family_name", "given_name", "pk"))
    restricted = [c.pk for c in children if c.restricted]
    seen = (set(policy.visible_children(viewer).filter(pk__in=restricted)
                .values_list("pk", flat=True)) if restricted else set())
    for child in children:
        child.hidden = child.restricted and child.pk not in seen
    return children


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def opened(access: InspectorAccess) -> list[AuditEvent]:
    """The pages the inspector opened (and was refused) from the access's start to its end (or
    the day it was ended), newest first: read from the audit trail by actor and time."""
    last = access.ended_at or _day_start(access.ends_on + timedelta(days=1))
    # From when the access was given (not before, though it may start that day), the pages of
    # its own children, and every refusal: what the inspector tried beyond the sample.
    first = max(_day_start(access.starts_on), access.granted_at)
    return list(AuditEvent.objects.filter(
        Q(kind=AuditEvent.Kind.VIEWED, child_id__in=access.grants.values("child_id"))
        | Q(kind=AuditEvent.Kind.DENIED),
        actor=access.inspector, at__gte=first, at__lt=last).order_by("-at", "-id")
        [:OPENED_LISTED])


def open_accesses(today: date) -> QuerySet:
    """Inspectors' access open on `today` or still to begin, for a senior manager's home."""
    return (InspectorAccess.objects.filter(ended_at__isnull=True, ends_on__gte=today)
            .select_related("inspector", "inspection").annotate(children=Count("grants"))
            .order_by("starts_on", "id"))


def inspectors_own(staff) -> list[tuple[InspectorAccess, list[Child]]]:
    """An inspector's open access, each with the children it lets them read now (two
    queries)."""
    today = timezone.localdate()
    mine = list(InspectorAccess.objects.filter(inspector=staff, ended_at__isnull=True,
                                               ends_on__gte=today)
                .select_related("inspection").order_by("starts_on", "id"))
    if not mine:
        return []
    grants = (AccessGrant.objects.open_on(today).filter(staff=staff)
              .filter(pk__in=InspectorAccess.grants.through.objects
                      .filter(inspectoraccess__in=mine).values("accessgrant_id"))
              .select_related("child").order_by("child__family_name", "child__given_name"))
    links = {}
    for row in InspectorAccess.grants.through.objects.filter(inspectoraccess__in=mine):
        links[row.accessgrant_id] = row.inspectoraccess_id
    by_access: dict[int, list[Child]] = {a.pk: [] for a in mine}
    for grant in grants:
        by_access[links[grant.pk]].append(grant.child)
    return [(a, by_access[a.pk]) for a in mine]
