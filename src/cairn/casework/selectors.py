"""Reads for casework pages: a worker's caseload, search among the records they may open, and
what the banner of a child's record shows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import F, IntegerField, Prefetch, Q, Value
from django.urls import reverse
from django.utils import timezone

from cairn.access import policy
from cairn.access.models import AccessGrant
from cairn.core import facts, open_dues, stages, timescales
from cairn.core.models import Action, AuditEvent
from cairn.core.services import short_date
from cairn.people import matching
from cairn.people import selectors as people_selectors
from cairn.people.models import Alert, Child, Disability, DisabilityCode
from cairn.workforce import selectors as workforce_selectors
from cairn.workforce.models import Allocation, Role, Staff

from . import banner

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


@dataclass(frozen=True)
class RecordedBy:
    """Who entered a chronology entry, and when (not when it happened)."""

    who: str  # "Imported" for a row a return or migration brought in, with no one to name
    at: datetime


def recorded_by(events: Sequence[facts.Occurrence]) -> dict[tuple[str, int], RecordedBy]:
    """Who recorded each of `events` and when, by (fact, pk): one query (a union over the kinds
    of record among them), one for the audit trail and one for the staff, however many entries
    the chronology holds.

    A fact is named as the audited action that recorded it, so the trail says who did that
    step and when: an assessment's authorisation is the manager's, at the moment they
    authorised it, though the row was recorded by the worker who started it. A row with no such
    event (imported, or recorded before the trail named its facts) is the row's recorder's."""
    def source(event) -> tuple[type, str, str]:
        fact = facts.REGISTRY[event.fact]
        return fact.model, fact.entered_by, fact.entered_at

    pks: dict[tuple[type, str, str], set[int]] = defaultdict(set)
    for event in events:
        model, by_field, _ = source(event)
        if event.pk is not None and any(f.name == by_field for f in model._meta.fields):
            pks[source(event)].add(event.pk)
    sources = list(pks)
    parts = [model._base_manager.filter(pk__in=pks[(model, by_field, at_field)]).order_by()
             .annotate(cairn_model=Value(i, output_field=IntegerField()))
             .values_list("pk", f"{by_field}_id", at_field, "cairn_model")
             for i, (model, by_field, at_field) in enumerate(sources)]
    rows = list(parts[0].union(*parts[1:], all=True)) if parts else []
    found = {(sources[kind], pk): (by, at) for pk, by, at, kind in rows}
    audited = {}
    if events:
        for action, kind, pk, by, at in (
                AuditEvent.objects.filter(child_id__in={e.child_id for e in events},
                                          action__in={e.fact for e in events})
                .exclude(actor=None).order_by("at", "pk")
                .values_list("action", "object_type", "object_id", "actor_id", "at")):
            audited[(action, kind, pk)] = (by, at)  # the latest time the step was recorded
    staff = Staff.objects.in_bulk({by for by, _ in [*found.values(), *audited.values()]
                                   if by is not None})
    out = {}
    for event in events:
        model = facts.REGISTRY[event.fact].model
        entry = audited.get((event.fact, model._meta.label_lower, str(event.pk))) or found.get(
            (source(event), event.pk))
        if entry is not None:
            by, at = entry
            out[(event.fact, event.pk)] = RecordedBy(
                str(staff[by]) if by in staff else "Imported", at)
    return out


def disability_codes(child: Child) -> list[str]:
    """The CIN census disability codes recorded for `child`, in the census's order."""
    return list(Disability.objects.current().filter(person=child)
                .order_by("code").values_list("code", flat=True))


# How many overdue items the banner names before pointing to the Timescales and Actions tabs.
BANNER_OVERDUE_SHOWN = 3


@dataclass(frozen=True)
class DueItem:
    """One thing due on the child's record, as the banner lists it: a timescale or an action."""

    what: str
    due_on: date
    overdue: bool
    who: str = ""  # who answers for it (an action's owner), where known


def _due_items(child: Child, today: date, due: list[timescales.Due] | None) -> list[DueItem]:
    """What is open and due on the child's record, overdue first, then soonest due."""
    if due is None:
        due = timescales.evaluate([child.pk], today=today)
    items = [DueItem(d.rule.name, d.due_on, d.status == timescales.Status.OVERDUE)
             for d in due if d.is_open]
    items += [DueItem(a.what, a.due_on, a.overdue, str(a.owner or a.owner_name or ""))
              for a in Action.objects.open().filter(child=child, due_on__isnull=False)
              .with_overdue(today).select_related("owner")]
    return sorted(items, key=lambda i: (not i.overdue, i.due_on, i.what))


def _lead(allocations: list[Allocation]) -> Allocation | None:
    """The lead worker among the child's current allocations (workforce.lead_allocation)."""
    return min(allocations, key=lambda a: (a.kind != Allocation.Kind.SOCIAL_WORKER,
                                           -a.started_on.toordinal(), -a.pk), default=None)


def _uasc(child: Child, today: date) -> str:
    """The child's unaccompanied asylum-seeking status as the banner says it, or ""."""
    if not child.uasc_from or child.uasc_from > today:
        return ""
    if child.uasc_ceased_on and child.uasc_ceased_on <= today:
        return ""
    return f"Unaccompanied asylum-seeking child since {short_date(child.uasc_from)}"


def child_summary(child: Child, *, today: date | None = None,
                  due: list[timescales.Due] | None = None) -> dict:
    """What the banner on every page of a child's record shows, so that a worker covering a
    colleague's case sees at once what matters: who works with the child (the lead worker, the
    IRO or conference chair), the legal status and plans, the alerts (those recorded, and
    those the record itself tells: missing, exploitation, disability, asylum-seeking,
    restriction, interpreter) and what is overdue or next due. A fixed number of queries.
    `due` is the child's timescales (timescales.evaluate of every rule in force, today), where
    the page has evaluated them already: the banner does not evaluate them again."""
    today = today or timezone.localdate()
    stages.open_for([child])
    allocations = list(Allocation.objects.current().active_on(today).filter(child=child)
                       .select_related("worker", "team"))
    disabilities = [DisabilityCode(code).label for code in disability_codes(child)]
    part = banner.parts(child, today)
    chairs = [(str(a.worker), "independent reviewing officer") for a in allocations
              if a.kind == Allocation.Kind.IRO]
    chairs += [c for c in part.chairs if c[0] not in {name for name, _ in chairs}]
    alerts = [alert.text for alert in Alert.objects.current().filter(
        child=child, ended_on__isnull=True).order_by("-started_on")]
    alerts += part.alerts
    if disabilities:
        alerts.append(f"Disability: {', '.join(disabilities)}")
    if uasc := _uasc(child, today):
        alerts.append(uasc)
    if child.interpreter_needed:
        language = f" ({child.first_language})" if child.first_language else ""
        alerts.append(f"Interpreter needed{language}")
    due = _due_items(child, today, due)
    overdue = [item for item in due if item.overdue]
    return {
        "allocation": _lead(allocations),
        "chairs": chairs,
        "plans": stages.describe_open(child) + part.plans,
        "alerts": alerts,
        "disabilities": disabilities,
        "uasc": uasc,
        "overdue": overdue[:BANNER_OVERDUE_SHOWN],
        "overdue_count": len(overdue),
        "next_due": next((item for item in due if not item.overdue), None),
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
    theirs = [r for r in rules if r not in mine]
    if staff.role in MANAGERS:
        # A manager answers across their teams' children (a service manager's line may hold
        # thousands): read from the open items kept beside the facts, the line joined in SQL.
        line = (Allocation.objects.current().active_on(today)
                .filter(team__in=workforce_selectors.managed_teams(staff).values("pk"))
                .filter(policy.visible_in_teams_q(staff)).values("child_id"))
        answerable = (Child.objects.filter(Q(pk__in=line) | Q(pk__in=list(held)))
                      .values_list("pk", flat=True))
        items = _urgent_first(open_dues.open_items(answerable, today=today, rules=mine))
        others = _urgent_first(timescales.evaluate(held, today=today, rules=theirs))
    else:
        # A worker answers for their own children: their facts are read once, for both lists.
        found = facts.occurrences(timescales.wanted(rules), held)
        items = _urgent_first(timescales.evaluate(held, today=today, rules=mine, found=found))
        others = _urgent_first(timescales.evaluate(held, today=today, rules=theirs,
                                                   found=found))
    missing = {d.child_id for d in items} - set(held)
    children = {**held, **Child.objects.in_bulk(missing)}
    return {
        "allocations": allocations,
        "items": [(d, children[d.child_id]) for d in items],
        "overdue": sum(1 for d in items if d.status == timescales.Status.OVERDUE),
        "others": [(d, children[d.child_id], responsible_label(d.rule)) for d in others],
    }
