"""The timescale engine: what is due, when, for whom, and whether it was met on time.

Rules are rows of core.TimescaleRule; facts come from core.facts. The engine pairs each clock's
starting fact with the facts that meet it, walks repeating chains from the *actual* previous
occurrence (regulations count intervals from the last review or visit, not from a schedule), and
stops a chain at its stopping fact. Every list of due work, indicator and return column that
involves a timescale asks this module.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

from django.utils import timezone

from . import facts
from .models import TimescaleRule
from .working_days import add_working_days

Unit = TimescaleRule.Unit
DUE_SOON_DAYS = 7


class Status:
    MET = "met"  # done on or before the due date
    LATE = "late"  # done, after the due date
    MISSED = "missed"  # never done, and the clock has since stopped
    OVERDUE = "overdue"  # not done, past the due date, clock still running
    DUE_SOON = "due_soon"  # not done, due within a week
    DUE = "due"  # not done, not yet due

    OPEN = {OVERDUE, DUE_SOON, DUE}
    LABELS = {MET: "Met", LATE: "Late", MISSED: "Missed", OVERDUE: "Overdue",
              DUE_SOON: "Due soon", DUE: "Due"}
    TAGS = {MET: "green", LATE: "orange", MISSED: "red", OVERDUE: "red", DUE_SOON: "yellow",
            DUE: "blue"}


@dataclass(frozen=True)
class Due:
    """One expected occurrence: the rule, the child, the clock's start, the due date, the outcome."""

    rule: TimescaleRule
    child_id: int
    sequence: int  # 1 for the first occurrence of a chain, 2 for the second...
    clock_from: date
    due_on: date
    met_on: date | None
    status: str

    @property
    def label(self) -> str:
        return Status.LABELS[self.status]

    @property
    def tag(self) -> str:
        return Status.TAGS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in Status.OPEN

    @property
    def days_late(self) -> int | None:
        end = self.met_on or timezone.localdate()
        return (end - self.due_on).days if end > self.due_on else None


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _term_end(day: date) -> date:
    """The last day of the school term containing `day` (autumn to 31 Dec, spring to 15 Apr,
    summer to 31 Jul; August counts with the autumn term that follows)."""
    if day.month >= 8:
        return date(day.year, 12, 31)
    if (day.month, day.day) <= (4, 15):
        return date(day.year, 4, 15)
    return date(day.year, 7, 31)


def add_period(day: date, limit: int, unit: str) -> date:
    if unit == Unit.WORKING_DAYS:
        return add_working_days(day, limit)
    if unit == Unit.DAYS:
        return day + timedelta(days=limit)
    if unit == Unit.HOURS:
        return day + timedelta(days=-(-limit // 24))
    if unit == Unit.WEEKS:
        return day + timedelta(weeks=limit)
    if unit == Unit.MONTHS:
        return add_months(day, limit)
    if unit == Unit.TERMS:
        end = _term_end(day)
        for _ in range(limit):
            end = _term_end(end + timedelta(days=1))
        return end
    raise ValueError(f"Unknown unit {unit!r}")


def _interval(rule: TimescaleRule, sequence: int, clock_from: date, chain_start: date):
    if sequence == 1:
        return rule.first_limit, rule.first_unit
    if sequence == 2 and rule.then_limit:
        return rule.then_limit, rule.then_unit
    if not rule.repeat_limit:
        return None
    if rule.later_limit and clock_from >= add_months(chain_start, 12):
        return rule.later_limit, rule.later_unit
    return rule.repeat_limit, rule.repeat_unit


def _age(birth: date | None, on: date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _applies(rule: TimescaleRule, birth: date | None, on: date) -> bool:
    if rule.min_age is None and rule.max_age is None:
        return True
    age = _age(birth, on)
    if age is None:
        return False
    return (rule.min_age is None or age >= rule.min_age) and (
        rule.max_age is None or age < rule.max_age)


def _status(due_on: date, met_on: date | None, stopped_on: date | None, today: date) -> str:
    if met_on is not None:
        return Status.MET if met_on <= due_on else Status.LATE
    if stopped_on is not None:
        return Status.MISSED
    if today > due_on:
        return Status.OVERDUE
    if (due_on - today).days <= DUE_SOON_DAYS:
        return Status.DUE_SOON
    return Status.DUE


def _chains(rule, starts, finishes, stops, birth, today, extensions=()) -> list[Due]:
    """Walk every clock this rule starts for one child."""
    out: list[Due] = []
    keyed = bool(starts and starts[0].key is not None)
    for i, start in enumerate(starts):
        extra = sum(e.amount for e in extensions if e.key in (None, start.key)
                    and e.on >= start.on)
        if keyed:
            mine = [f for f in finishes if f.key in (None, start.key) and f.on >= start.on]
            ends = [s.on for s in stops if s.key in (None, start.key) and s.on >= start.on]
            next_start = None
        else:
            next_start = next((s.on for s in starts[i + 1:] if s.on > start.on), None)
            ends = [s.on for s in stops if s.on >= start.on]
            mine = [f for f in finishes if f.on >= start.on]
        window_end = min(ends + ([next_start] if next_start else []), default=None)
        if window_end is not None:
            # A fact on the stopping day itself still counts (a review held the day care ends).
            mine = [f for f in mine if f.on <= window_end]
        clock_from, sequence = start.on, 1
        for occurrence in [*mine, None]:
            interval = _interval(rule, sequence, clock_from, start.on)
            if interval is None:
                break
            if sequence == 1 and extra:
                interval = (interval[0] + extra, interval[1])
            due_on = add_period(clock_from, *interval)
            met_on = occurrence.on if occurrence else None
            if met_on is None and window_end is not None and window_end <= due_on:
                break  # the clock stopped before anything fell due
            if _applies(rule, birth, clock_from):
                out.append(Due(rule, start.child_id, sequence, clock_from, due_on, met_on,
                               _status(due_on, met_on, window_end if met_on is None else None,
                                       today)))
            if occurrence is None:
                break
            clock_from, sequence = occurrence.on, sequence + 1
    return out


def active_rules() -> list[TimescaleRule]:
    return [r for r in TimescaleRule.objects.filter(active=True) if r.starts in facts.REGISTRY
            and r.finishes in facts.REGISTRY]


def evaluate(child_ids: Iterable[int] | None = None, *, today: date | None = None,
             rules: list[TimescaleRule] | None = None) -> list[Due]:
    """Every expected occurrence for these children (all children if None), oldest first."""
    from cairn.people.models import Person

    today = today or timezone.localdate()
    rules = active_rules() if rules is None else rules
    ids = None if child_ids is None else list(child_ids)
    if ids is not None and not ids:
        return []
    names = set()
    for rule in rules:
        names |= {rule.starts, rule.finishes, *_stop_names(rule)}
        if rule.extended_by in facts.REGISTRY:
            names.add(rule.extended_by)
    found = facts.occurrences(names, ids)
    births: dict[int, date | None] = {}
    if any(r.min_age is not None or r.max_age is not None for r in rules):
        people = Person.objects.filter(la_child_id__isnull=False)
        if ids is not None:
            people = people.filter(pk__in=ids)
        births = dict(people.values_list("pk", "birth_date"))
    out: list[Due] = []
    for rule in rules:
        starts_by_child = found[rule.starts]
        for child_id, starts in starts_by_child.items():
            stops = sorted((o for name in _stop_names(rule)
                            for o in found[name].get(child_id, [])), key=lambda o: o.on)
            extensions = (found[rule.extended_by].get(child_id, [])
                          if rule.extended_by in found else [])
            out.extend(_chains(rule, starts, found[rule.finishes].get(child_id, []), stops,
                               births.get(child_id), today, extensions))
    out.sort(key=lambda d: (d.due_on, d.rule.code, d.child_id))
    return out


def _stop_names(rule: TimescaleRule) -> list[str]:
    return [n.strip() for n in rule.stops.split(",") if n.strip() in facts.REGISTRY]


def open_items(child_ids: Iterable[int] | None = None, *, today: date | None = None) -> list[Due]:
    """What is still to do: due, due soon and overdue, most urgent first."""
    return [d for d in evaluate(child_ids, today=today) if d.is_open]


def by_child(items: Iterable[Due]) -> dict[int, list[Due]]:
    grouped: dict[int, list[Due]] = defaultdict(list)
    for item in items:
        grouped[item.child_id].append(item)
    return grouped


def summary(items: Iterable[Due]) -> dict[str, int]:
    counts = dict.fromkeys(Status.LABELS, 0)
    for item in items:
        counts[item.status] += 1
    return counts
