"""Date arithmetic in SQL that gives the same answer on PostgreSQL and SQLite, so an indicator
is counted by the database and never by reading every child's facts into Python."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta

from django.db import NotSupportedError
from django.db.models import Case, DateField, F, Func, IntegerField, Q, Value, When

from cairn.core import timescales
from cairn.core.models import TimescaleRule


class ShiftDate(Func):
    """`expression` moved by whole `years` and then `days`. A 29 February moved to a year
    without one falls on 1 March, as a birthday does (returns.selectors.birthday) and as
    SQLite's date() does; PostgreSQL would give 28 February, so it is moved on a day."""

    output_field = DateField()

    def __init__(self, expression, *, years: int = 0, days: int = 0):
        super().__init__(expression)
        self.years, self.days = int(years), int(days)

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return (f"date({sql}, '{self.years:+d} years', '{self.days:+d} days')", params)

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        moved = f"(({sql})::date + interval '{self.years} years')::date"
        leap = (f"CASE WHEN extract(month from ({sql})::date) = 2 AND "
                f"extract(day from ({sql})::date) = 29 AND extract(day from {moved}) = 28 "
                "THEN 1 ELSE 0 END")
        return f"({moved} + {leap} + {self.days})", params * 4

    def as_sql(self, compiler, connection, **extra):
        # Cairn runs on PostgreSQL (production) and SQLite (the demo) only.
        raise NotSupportedError(f"ShiftDate has no SQL for {connection.vendor}")


class DaysBetween(Func):
    """Whole days from `earlier` to `later` (negative when `later` comes first)."""

    output_field = IntegerField()

    def __init__(self, later, earlier):
        super().__init__(later, earlier)

    def as_sqlite(self, compiler, connection, **extra):
        (a, pa), (b, pb) = (compiler.compile(e) for e in self.source_expressions)
        return f"CAST(julianday({a}) - julianday({b}) AS INTEGER)", [*pa, *pb]

    def as_postgresql(self, compiler, connection, **extra):
        (a, pa), (b, pb) = (compiler.compile(e) for e in self.source_expressions)
        return f"(({a})::date - ({b})::date)", [*pa, *pb]

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError(f"DaysBetween has no SQL for {connection.vendor}")


# The rules read once for a page of many figures (rules_read_once), else None: asked anew.
_RULES: ContextVar[dict | None] = ContextVar("insight_rules", default=None)


@contextmanager
def rules_read_once():
    """Within the block, every rule is read in one query, once: a page counting many
    indicators over many periods would otherwise ask for the same rules again and again."""
    token = _RULES.set({r.code: r for r in TimescaleRule.objects.all()})
    try:
        yield
    finally:
        _RULES.reset(token)


def rule(code: str) -> TimescaleRule:
    """The timescale rule as the authority holds it (core.rules seeds the table)."""
    held = _RULES.get()
    found = (held.get(code) if held is not None
             else TimescaleRule.objects.filter(code=code).first())
    if found is None:
        raise LookupError(f"There is no timescale rule '{code}': the indicator needs it.")
    return found


def with_due(rows, start: str, code: str):
    """`rows` with `_due`: the day the timescale rule `code` falls due counted from `start`
    (working days from day 0, without weekends and bank holidays, by core.working_days through
    core.timescales). The due date of each distinct start date is worked out once, so a whole
    authority costs one small query more, whatever its size."""
    found = rule(code)
    starts = sorted(set(rows.exclude(**{f"{start}__isnull": True})
                        .values_list(start, flat=True).distinct()))
    if not starts:
        return rows.none().alias(_due=Value(None, output_field=DateField()))
    due = Case(*[When(**{start: day}, then=Value(
        timescales.add_period(day, found.first_limit, found.first_unit))) for day in starts],
        output_field=DateField())
    return rows.alias(_due=due)


def earliest_in_time(code: str, at: date, *, repeat: bool = False, then: bool = False) -> date:
    """The earliest day a clock of rule `code` (its first limit, or its repeat limit) can have
    started and not be overdue on `at` (`then`: the second limit, as of a second CLA review,
    3 months after the first): a clock from this day or later falls due on `at` or
    after. Due dates never go back as the start moves on (working days, weeks and months
    alike), so a cohort is then one date comparison a row in SQL."""
    found = rule(code)
    limit, unit = ((found.then_limit, found.then_unit) if then and found.then_limit
                   else (found.repeat_limit, found.repeat_unit)
                   if (repeat or then) and found.repeat_limit
                   else (found.first_limit, found.first_unit))
    day = at
    while timescales.add_period(day - timedelta(days=1), limit, unit) >= at:
        day -= timedelta(days=1)
    return day


def met(rows, start: str, finish: str, code: str):
    """`rows` whose `finish` date is on or before the rule `code`'s due date from `start`."""
    return with_due(rows, start, code).filter(Q(**{f"{finish}__lte": F("_due")}))


def within(field: str, start: date, end: date) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})
