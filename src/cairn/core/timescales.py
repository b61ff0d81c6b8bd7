"""The timescale engine: what is due, when, for whom, and whether it was met on time.

Rules are rows of core.TimescaleRule; facts come from core.facts. The engine pairs each clock's
starting fact with the facts that meet it, walks repeating chains from the *actual* previous
occurrence (regulations count intervals from the last review or visit, not from a schedule), and
stops a chain at its stopping facts, or when what started it closes (a referral closed, for any
reason, stops its assessment clock: core.facts' `closed_by`). Every list of due work, indicator
and return column that involves a timescale asks this module; pages say a limit in the rule's
own words (`Due.limit_label`, `TimescaleRule.describe()`), never in a number of their own.

Clock hours: a rule counted in hours runs from the moment its start was recorded where the fact
has a date and time (a return from missing), and its due item has a due *moment* (`due_at`);
a finishing fact with a date only (an interview offered "on 9 March") counts as in time if its
day is no later than the day of that moment, since the record cannot say it was after the hour.
A start with a date only gives whole days (72 hours is the end of the third day after it).

Ages: a rule with age limits (health reviews, PEPs) asks the child's age on each due date, not
on the day the clock started. A child who is too young when something would fall due comes under
the rule on the birthday that brings them into it (the first limit counts from that day); one
who is too old by a due date is no longer due it. The birth date is the people app's "born" fact.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterable

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from . import facts, names
from .models import TimescaleRule
from .working_days import add_working_days

Unit = TimescaleRule.Unit
DUE_SOON_DAYS = 7


class UnknownFacts(ImproperlyConfigured):
    """A rule names a fact no app records: it would never start, finish or stop a clock, and
    a statutory timescale would silently go missing from every list. Refused, never skipped."""


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
    limit: int = 0  # the limit this occurrence ran to, extensions included...
    unit: str = ""  # ...in this unit
    due_at: datetime | None = None  # the moment it falls due, for a rule counted in clock hours

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
    def responsible(self) -> str:
        return self.rule.responsible

    @property
    def limit_label(self) -> str:
        """The limit in words, as the rule says it: "16 weeks", "72 hours"."""
        return TimescaleRule.phrase(self.limit, self.unit)

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


def _birthday(birth: date, years: int) -> date:
    """The day a child born on `birth` turns `years` (29 February birthdays fall on 1 March)."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return date(birth.year + years, 3, 1)


@dataclass(frozen=True)
class _Clock:
    """Where an interval counts from: a day, and the moment where the fact has one."""

    on: date
    at: datetime | None = None


def _due(clock: _Clock, limit: int, unit: str) -> tuple[date, datetime | None]:
    if unit == Unit.HOURS and clock.at is not None:
        due_at = clock.at + timedelta(hours=limit)
        return timezone.localdate(due_at), due_at
    return add_period(clock.on, limit, unit), None


def _met(occurrence, due_on: date, due_at: datetime | None) -> bool:
    if due_at is not None and occurrence.at is not None:
        return occurrence.at <= due_at
    return occurrence.on <= due_on


def _status(due_on, due_at, occurrence, stopped: bool, today: date, now: datetime | None) -> str:
    if occurrence is not None:
        return Status.MET if _met(occurrence, due_on, due_at) else Status.LATE
    if stopped:
        return Status.MISSED
    if due_at is not None and now is not None:
        if now > due_at:
            return Status.OVERDUE
        return Status.DUE_SOON if due_at - now <= timedelta(days=DUE_SOON_DAYS) else Status.DUE
    if today > due_on:
        return Status.OVERDUE
    if (due_on - today).days <= DUE_SOON_DAYS:
        return Status.DUE_SOON
    return Status.DUE


def _chains(rule, starts, finishes, stops, birth, today, extensions=(), now=None) -> list[Due]:
    """Walk every clock this rule starts for one child."""
    aged = rule.min_age is not None or rule.max_age is not None
    if aged and birth is None:
        return []  # an age rule cannot be applied without the child's age
    begins = _birthday(birth, rule.min_age) if rule.min_age is not None else None
    ends = _birthday(birth, rule.max_age) if rule.max_age is not None else None
    out: list[Due] = []
    keyed = bool(starts and starts[0].key is not None)
    for i, start in enumerate(starts):
        extra = sum(e.amount for e in extensions if e.key in (None, start.key)
                    and e.on >= start.on)
        if keyed:
            mine = [f for f in finishes if f.key in (None, start.key) and f.on >= start.on]
            ends_on = [s.on for s in stops if s.key in (None, start.key) and s.on >= start.on]
            next_start = None
        else:
            next_start = next((s.on for s in starts[i + 1:] if s.on > start.on), None)
            ends_on = [s.on for s in stops if s.on >= start.on]
            mine = [f for f in finishes if f.on >= start.on]
        window_end = min(ends_on + ([next_start] if next_start else []), default=None)
        if window_end is not None:
            # A fact on the stopping day itself still counts (a review held the day care ends).
            mine = [f for f in mine if f.on <= window_end]
        clock, sequence = _Clock(start.on, start.at), 1
        pending = list(mine)
        while True:
            occurrence = pending[0] if pending else None
            interval = _interval(rule, sequence, clock.on, start.on)
            if interval is None:
                break
            if sequence == 1 and extra:
                interval = (interval[0] + extra, interval[1])
            due_on, due_at = _due(clock, *interval)
            if begins is not None and due_on < begins:
                if occurrence is not None and occurrence.on < begins:
                    # Done before the rule applied to the child: it moves the clock on, but
                    # was not this rule's to count.
                    pending.pop(0)
                    clock, sequence = _Clock(occurrence.on, occurrence.at), sequence + 1
                    continue
                if occurrence is None and today < begins:
                    break  # not yet old enough: nothing is due under this rule yet
                # The child comes under the rule on the birthday: the limit counts from there.
                clock = _Clock(begins)
                due_on, due_at = _due(clock, *interval)
            if ends is not None and due_on >= ends:
                break  # too old by the time it would fall due
            if occurrence is None and window_end is not None and window_end <= due_on:
                break  # the clock stopped before anything fell due
            stopped = occurrence is None and window_end is not None
            out.append(Due(rule, start.child_id, sequence, clock.on, due_on,
                           occurrence.on if occurrence else None,
                           _status(due_on, due_at, occurrence, stopped, today, now),
                           interval[0], interval[1], due_at))
            if occurrence is None:
                break
            pending.pop(0)
            clock, sequence = _Clock(occurrence.on, occurrence.at), sequence + 1
    return out


def refuse_unknown_facts(rules: Iterable[TimescaleRule]) -> None:
    """Raise UnknownFacts naming every rule here that names a fact no app records."""
    problems = []
    for r in rules:
        missing = [n for given in r.unknown_facts().values() for n in given]
        if missing:
            problems.append(f"{r.code}: {', '.join(missing)}")
    if problems:
        raise UnknownFacts("Timescale rules name facts that nothing records ("
                           + "; ".join(problems) + "). Correct the rules in the admin site; "
                           "`cairn check` lists them.")


def active_rules(codes: Iterable[str] | None = None) -> list[TimescaleRule]:
    """The rules in force (those of `codes` only, where given). A rule that names an unknown
    fact is an error, not a rule to leave out."""
    rules = TimescaleRule.objects.filter(active=True)
    if codes is not None:
        rules = rules.filter(code__in=list(codes))
    rules = list(rules)
    refuse_unknown_facts(rules)
    return rules


def rule(code: str) -> TimescaleRule | None:
    """One rule in force by its code (core.names), for pages that say its limit in words."""
    found = active_rules([code])
    return found[0] if found else None


def _closing(rule: TimescaleRule) -> list[str]:
    """The facts that stop this rule's clocks: its own stops, and whatever closes its start."""
    closed_by = facts.REGISTRY[rule.starts].closed_by
    extra = [closed_by] if closed_by and closed_by != rule.finishes else []
    return list(dict.fromkeys([*rule.stop_names, *extra]))


def _births(ids: list[int] | None) -> dict[int, date]:
    """Each child's birth date (core.open_dues reads them; evaluate reads them in its union)."""
    if names.BORN not in facts.REGISTRY:
        return {}
    found = facts.occurrences([names.BORN], ids)[names.BORN]
    return {child_id: items[0].on for child_id, items in found.items() if items}


def wanted(rules: Iterable[TimescaleRule]) -> set[str]:
    """Every fact `rules` read: what starts, meets, stops or extends their clocks, and the
    child's birth where a rule has age limits. A page that reads other facts of the same
    children (the chronology) reads these with them, in one query, and hands them to
    `evaluate`."""
    rules = list(rules)
    out: set[str] = set()
    for r in rules:
        out |= {r.starts, r.finishes, *_closing(r)}
        if r.extended_by:
            out.add(r.extended_by)
    if names.BORN in facts.REGISTRY and any(
            r.min_age is not None or r.max_age is not None for r in rules):
        out.add(names.BORN)
    return out


def evaluate(child_ids: Iterable[int] | None = None, *, today: date | None = None,
             rules: list[TimescaleRule] | None = None, now: datetime | None = None,
             found: dict[str, dict[int, list[facts.Occurrence]]] | None = None
             ) -> list[Due]:
    """Every expected occurrence for these children (all children if None), oldest first.

    `now` places clock-hour deadlines to the minute; given `today` alone, they are judged by
    the day (as a date-only fact is). `found` is facts.occurrences already read for (at least)
    these children, as a page that reads them for more than one purpose has them: the facts
    of `wanted(rules)` it lacks are read here, and its other children are left out."""
    if now is None and today is None:
        now = timezone.now()
    today = today or timezone.localdate(now)
    rules = active_rules() if rules is None else rules
    refuse_unknown_facts(rules)
    ids = None if child_ids is None else list(child_ids)
    if ids is not None and not ids:
        return []
    needed = wanted(rules)
    if found is None:
        found = facts.occurrences(needed, ids)  # one query, births among them
    elif needed - found.keys():
        found = {**found, **facts.occurrences(needed - found.keys(), ids)}
    only = None if ids is None else set(ids)
    births = {child_id: items[0].on for child_id, items in found.get(names.BORN, {}).items()
              if items}
    out: list[Due] = []
    for r in rules:
        closing = _closing(r)
        for child_id, starts in found[r.starts].items():
            if only is not None and child_id not in only:
                continue
            stops = sorted((o for name in closing for o in found[name].get(child_id, [])),
                           key=lambda o: o.on)
            extensions = found[r.extended_by].get(child_id, []) if r.extended_by else []
            out.extend(_chains(r, starts, found[r.finishes].get(child_id, []), stops,
                               births.get(child_id), today, extensions, now))
    out.sort(key=lambda d: (d.due_on, d.rule.code, d.child_id))
    return out


def due_for(code: str, child_id: int, started_on: date, *, today: date | None = None
          ) -> Due | None:
    """The first due item of the clock `code` started for one child on `started_on` (one
    assessment's 45 working days, one set of proceedings' 26 weeks), or None if the rule is not
    in force or nothing of it is due."""
    found = rule(code)
    if found is None:
        return None
    return next((d for d in evaluate([child_id], today=today, rules=[found])
                 if d.clock_from == started_on and d.sequence == 1), None)


def open_items(child_ids: Iterable[int] | None = None, *, today: date | None = None,
               responsible: str | None = None, now: datetime | None = None) -> list[Due]:
    """What is still to do: due, due soon and overdue, most urgent first. With `responsible`
    (a core.names role: names.IRO, names.PERSONAL_ADVISER...), only the items of the rules
    that name that person: what goes on their list."""
    rules = active_rules()
    if responsible is not None:
        rules = [r for r in rules if r.responsible == responsible]
    items = [d for d in evaluate(child_ids, today=today, now=now, rules=rules) if d.is_open]
    return sorted(items, key=lambda d: (d.due_on, d.rule.code, d.child_id))


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
