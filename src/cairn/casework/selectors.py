"""Reads for casework pages: a worker's caseload, search among the records they may open, and
what the banner of a child's record shows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db.models import F, Prefetch
from django.urls import reverse
from django.utils import timezone

from cairn.access import policy
from cairn.access.models import AccessGrant
from cairn.core import stages, timescales
from cairn.people import matching
from cairn.people import selectors as people_selectors
from cairn.people.models import Alert, Child
from cairn.workforce import selectors as workforce_selectors
from cairn.workforce.models import Allocation, Role

# Allocations, alerts, then one query per kind of open period a stage registers.
CASELOAD_FIXED_QUERIES = 2


def caseload_queries() -> int:
    """How many queries a caseload costs, whatever the number of children."""
    return CASELOAD_FIXED_QUERIES + len(stages.open_periods())


def caseload(*, worker, viewer, as_of: date | None = None) -> list[Allocation]:
    """Children allocated to `worker` on `as_of` (today) that `viewer` may see, each with its
    `plans` (legal status, open plans): caseload_queries() queries, whatever the caseload."""
    as_of = as_of or timezone.localdate()
    allocations = list(
        Allocation.objects.current().active_on(as_of)
        .filter(worker=worker, child__in=policy.visible_children(viewer))
        .select_related("child", "team")
        .prefetch_related(Prefetch(
            "child__alerts", Alert.objects.current().filter(ended_on__isnull=True),
            to_attr="open_alerts"), *stages.prefetches("child__"))
        .order_by("child__family_name", "child__given_name", "child_id")
    )
    for allocation in allocations:
        allocation.plans = stages.describe_open(allocation.child)
    return allocations


def search_children(*, viewer, query: str) -> Sequence[people_selectors.SearchResult]:
    """Children `viewer` may open who match `query`, best first (people.search_children)."""
    if not policy.allows(viewer, policy.SEARCH):
        return []
    return people_selectors.search_children(visible=policy.visible_children(viewer),
                                            query=query)


def visible_people(viewer, kind: str):
    """The people `viewer` may be offered (people.matching.visible_people)."""
    return matching.visible_people(policy.visible_children(viewer), kind)


def possible_duplicates(*, viewer, **described) -> list[matching.PossibleDuplicate]:
    """People `viewer` may see who may be the person described (people.matching)."""
    if not policy.allows(viewer, policy.SEARCH):
        return []
    return matching.possible_duplicates(children=policy.visible_children(viewer), **described)


def hidden_match(*, viewer, **described) -> Child | None:
    """A restricted record `viewer` may not open that may be the child described
    (people.matching.hidden_match): never to be shown, only acknowledged and routed."""
    if not policy.allows(viewer, policy.SEARCH):
        return None
    return matching.hidden_match(children=policy.visible_children(viewer), **described)


def child_summary(child: Child) -> dict:
    """What the banner on every page of a child's record shows."""
    stages.open_for([child])
    return {
        "allocation": workforce_selectors.lead_allocation(child),
        "plans": stages.describe_open(child),
        "alerts": list(Alert.objects.current().filter(child=child, ended_on__isnull=True)
                       .order_by("-started_on")),
        # The parts of the record each stage adds, after casework's own tabs.
        "tabs": [{"key": t.key, "label": t.label, "url": reverse(t.url_name, args=[child.pk])}
                 for t in stages.tabs()],
    }


def granted_records(staff, *, as_of: date | None = None):
    """The records `staff` has been given access to (an inspector's sample, say), open grants
    only, soonest to lapse first."""
    as_of = as_of or timezone.localdate()
    return (AccessGrant.objects.open_on(as_of).filter(staff=staff).select_related("child")
            .order_by(F("until").asc(nulls_last=True), "child__family_name", "child_id"))


# A service manager answers with the team managers of their line for what a rule asks of one.
ANSWERS_WITH = {Role.SERVICE_MANAGER: {Role.TEAM_MANAGER}}
MANAGERS = {Role.TEAM_MANAGER, Role.SERVICE_MANAGER}


def answers_for(staff, rule) -> bool:
    """Whether `staff` answers for what `rule` asks: the rule names who is responsible (the
    social worker, the reviewing officer, the personal adviser, the team manager...)."""
    return rule.responsible == staff.role or rule.responsible in ANSWERS_WITH.get(staff.role, ())


def responsible_label(rule) -> str:
    """Who answers for a rule, as a person reads it ("Independent reviewing officer")."""
    return rule.get_responsible_display()


def _urgent_first(items):
    return sorted((d for d in items if d.is_open),
                  key=lambda d: (d.status != timescales.Status.OVERDUE, d.due_on, d.rule.code))


def my_work(staff, *, today: date | None = None) -> dict:
    """My work: the children `staff` holds; what falls due for them that `staff` answers for
    (for a manager, across the children of the teams they manage); and what falls due for
    their children that someone else answers for (a review the reviewing officer arranges)."""
    today = today or timezone.localdate()
    allocations = caseload(worker=staff, viewer=staff, as_of=today)
    held = {a.child_id: a.child for a in allocations}
    rules = timescales.active_rules()
    mine = [r for r in rules if answers_for(staff, r)]
    answerable = set(held)
    if staff.role in MANAGERS:
        answerable |= set(
            Allocation.objects.current().active_on(today)
            .filter(team__in=workforce_selectors.managed_teams(staff),
                    child__in=policy.visible_children(staff))
            .values_list("child_id", flat=True))
    items = _urgent_first(timescales.evaluate(answerable, today=today, rules=mine))
    others = _urgent_first(timescales.evaluate(
        held, today=today, rules=[r for r in rules if r not in mine]))
    missing = {d.child_id for d in items} - set(held)
    children = {**held, **Child.objects.in_bulk(missing)}
    return {
        "allocations": allocations,
        "items": [(d, children[d.child_id]) for d in items],
        "overdue": sum(1 for d in items if d.status == timescales.Status.OVERDUE),
        "others": [(d, children[d.child_id], responsible_label(d.rule)) for d in others],
    }
