"""The registry of dated facts that timescales and the chronology are computed from.

Each app says, in its `facts.py`, which of its rows are facts: a name, the model, the field that
dates it, the child it concerns, and (where one fact answers another) the key that pairs them,
for example an assessment's referral. Rules (core.TimescaleRule) and the chronology refer to facts
by name, so neither needs to know any app's models. Names are the constants in core/names.py.

A fact dated by a date and time (a return from missing) carries both: `on`, the day in local
time, and `at`, the moment, which clock-hour rules count from. A fact that starts a period may
name the fact that closes it (`closed_by`): every clock the start runs stops when it closes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import timezone as dt_timezone
from functools import lru_cache
from typing import Iterable

import psycopg
from django.db import connection, models
from django.db.models import F, Lookup, Model, Q, Value
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone
from django.utils.dateparse import parse_datetime


@dataclass(frozen=True)
class Fact:
    name: str
    model: type[Model]
    date: str  # field or lookup that dates the fact
    child: str = "child_id"
    key: str | None = None  # lookup whose value pairs this fact with another rule fact
    where: Q | None = None
    label: str = ""  # how the chronology names it
    detail: str | None = None  # a lookup shown beside the label in the chronology
    chronology: bool = True
    amount: str | None = None  # a number the fact carries (weeks an extension adds)
    closed_by: str | None = None  # the fact that closes what this one starts, paired by key
    # Who entered this fact and when, for the chronology: a decision kept on the record it
    # decides (a step authorised) was entered by the one who decided, not who wrote the record.
    entered_by: str = "recorded_by"
    entered_at: str = "recorded_at"


@dataclass(frozen=True)
class Occurrence:
    """One dated fact about one child."""

    fact: str
    child_id: int
    on: date
    key: object = None
    pk: int | None = None
    detail: str = ""
    label: str = field(default="", compare=False)
    amount: int = 0
    at: datetime | None = None  # the moment, where the fact is dated by a date and time


REGISTRY: dict[str, Fact] = {}


def register(name: str, model: type[Model], *, date: str, child: str = "child_id",
             key: str | None = None, where: Q | None = None, label: str = "",
             detail: str | None = None, chronology: bool = True, amount: str | None = None,
             closed_by: str | None = None, entered_by: str = "recorded_by",
             entered_at: str = "recorded_at") -> None:
    default_label = name.replace(".", " ").replace("_", " ").capitalize()
    REGISTRY[name] = Fact(name, model, date, child, key, where, label or default_label, detail,
                          chronology, amount, closed_by, entered_by, entered_at)
    _batch_sql.cache_clear()


def unknown(names) -> list[str]:
    """Those of `names` that no app registers (a rule naming one would never run)."""
    return [n for n in names if n not in REGISTRY]


def _as_moment(value) -> datetime | None:
    if isinstance(value, str):  # SQLite hands a cast date and time back as text, in UTC
        value = parse_datetime(value)
    if isinstance(value, datetime) and timezone.is_naive(value):
        value = timezone.make_aware(value, dt_timezone.utc)
    return value


def _as_date(value) -> date | None:
    if isinstance(value, str):  # SQLite hands a cast date back as text
        return date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _queryset(fact: Fact):
    manager = fact.model._default_manager
    qs = manager.current() if hasattr(manager, "current") else manager.all()
    if fact.where is not None:
        qs = qs.filter(fact.where)
    return qs.filter(**{f"{fact.date}__isnull": False})


# Facts are read as a few UNION ALL queries rather than one query each; a query's parameters
# (child ids times facts) stay under what SQLite and PostgreSQL accept.
MAX_PARAMETERS = 20_000


def _field(model, path: str):
    """The model field a lookup path ends on ("section47__strategy_discussion_id")."""
    *hops, last = path.split("__")
    for hop in hops:
        model = model._meta.get_field(hop).related_model
    if last == "pk":
        return model._meta.pk
    try:
        return model._meta.get_field(last)
    except Exception:  # an attname such as "child_id"
        return next(f for f in model._meta.concrete_fields if f.attname == last)


@lru_cache(maxsize=None)
def _labels(name: str) -> dict[str, str]:
    """A fact's detail codes and their labels ("2A" is "Schools"), when the field has choices."""
    fact = REGISTRY[name]
    if not isinstance(fact.detail, str):  # none, or an expression that writes its own words
        return {}
    return {str(code): str(label) for code, label in
            (_field(fact.model, fact.detail).flatchoices or [])}


def _rows(name: str, ids: list[int] | None):
    """One fact's occurrences as (name, child, on, key, pk, detail, amount, at), union-ready."""
    fact = REGISTRY[name]
    qs = _queryset(fact)
    if ids is not None:
        lookup = "any_of" if connection.vendor == "postgresql" else "in"
        qs = qs.filter(**{f"{fact.child}__{lookup}": ids})
    timed = isinstance(_field(fact.model, fact.date), models.DateTimeField)
    on = TruncDate(fact.date) if timed else F(fact.date)
    return qs.annotate(
        fact_name=Value(name, output_field=models.CharField()),
        fact_child=F(fact.child),
        fact_on=Cast(on, models.DateField()),
        # Literals are cast too: PostgreSQL types a bare NULL in a UNION as text.
        fact_key=Cast(fact.key if fact.key else Value(None), models.BigIntegerField()),
        fact_detail=Cast(fact.detail if fact.detail else Value(""), models.CharField()),
        fact_amount=Cast(fact.amount if fact.amount else Value(0), models.IntegerField()),
        fact_at=Cast(F(fact.date) if timed else Value(None), models.DateTimeField()),
    ).order_by().values_list("fact_name", "fact_child", "fact_on", "fact_key", "pk",
                             "fact_detail", "fact_amount", "fact_at")


class AnyOf(Lookup):
    """`column = ANY(%s)`, the values sent as one array (PostgreSQL): one parameter however
    many children a page asks about, where IN sends (and the driver parses) one each."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(self.rhs)]


models.ForeignKey.register_lookup(AnyOf)
models.IntegerField.register_lookup(AnyOf)

# Placeholder child ids the cached SQL is compiled with, swapped for the real ones on each read.
_PLACEHOLDER = -(10 ** 15)


@lru_cache(maxsize=256)
def _batch_sql(names: tuple[str, ...], children: int | None
               ) -> tuple[str, tuple, dict[int, int | None]]:
    """The UNION ALL of `names` for `children` child ids (None: every child), compiled once.

    Building and compiling some sixty querysets costs more than running their union, and the
    same shapes come back on every page; so the SQL is kept, with placeholder child ids and,
    for each parameter position that holds one, the index of the child id it stands for (None
    where the parameter is the whole list, as PostgreSQL's arrays take it)."""
    ids = None if children is None else [_PLACEHOLDER - k for k in range(children)]
    batch = [_rows(n, ids) for n in names]
    query = batch[0].union(*batch[1:], all=True) if len(batch) > 1 else batch[0]
    sql, params = query.query.sql_with_params()
    if connection.vendor == "postgresql":
        # PostgreSQL plans a union of this many index scans in parallel, and starting the
        # workers costs a page tens of milliseconds to save one or two: a read of a caseload's
        # facts took 40 ms, 10 without. A query that calls a function marked parallel unsafe
        # is never planned in parallel; current_schema() is one, and the filter always holds.
        sql = f"SELECT * FROM ({sql}) AS facts WHERE current_schema() IS NOT NULL"
    slots: dict[int, int | None] = {}
    for i, p in enumerate(params):
        if isinstance(p, list) and p == ids:
            slots[i] = None
        elif (isinstance(p, int) and not isinstance(p, bool)
              and _PLACEHOLDER - (children or 0) < p <= _PLACEHOLDER):
            slots[i] = _PLACEHOLDER - p
    return sql, tuple(params), slots


# A psycopg prepare_threshold no count of executions reaches.
NEVER_UNASKED = 2 ** 62


class _Prepared(psycopg.Cursor):
    """A cursor whose statements PostgreSQL prepares once per connection and keeps (bound on
    the server, as a prepared statement must be). Planning a union of some fifty reads costs
    PostgreSQL ten milliseconds or more, every time, where running it costs one or two: the
    same few unions come back on every page, so each connection plans each once."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


def _cursor():
    """A cursor for the facts' unions: prepared on PostgreSQL (_Prepared), and counted and
    logged as Django's own are."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        # Django turns psycopg's preparing off (for connection poolers that cannot keep a
        # statement). Nothing is prepared unless asked for by name (prepare=True): only these.
        connection.connection.prepare_threshold = NEVER_UNASKED
    raw = _Prepared(connection.connection)
    return (connection.make_debug_cursor(raw) if connection.queries_logged
            else connection.make_cursor(raw))


def occurrences(names: Iterable[str], child_ids: Iterable[int] | None = None
                ) -> dict[str, dict[int, list[Occurrence]]]:
    """Every occurrence of the named facts, by fact then child, each list in date order.

    A handful of queries whatever the number of children and facts.
    """
    names = list(dict.fromkeys(names))
    ids = None if child_ids is None else list(dict.fromkeys(child_ids))
    out: dict[str, dict[int, list[Occurrence]]] = {n: defaultdict(list) for n in names}
    if ids == [] or not names:
        return out  # nothing to read (a role that answers for no rule asks for no facts)
    arrays = connection.vendor == "postgresql"
    per_query = len(names) if arrays else max(1, MAX_PARAMETERS // max(1, len(ids or ())))
    for i in range(0, len(names), per_query):
        # With arrays the SQL is the same whatever the number of children: compile it once.
        shape = None if ids is None else (1 if arrays else len(ids))
        sql, params, slots = _batch_sql(tuple(names[i:i + per_query]), shape)
        params = [p if k not in slots else ids if slots[k] is None else ids[slots[k]]
                  for k, p in enumerate(params)]
        with _cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        for name, child, on, key, pk, detail, amount, at in rows:
            out[name][child].append(Occurrence(
                name, child, _as_date(on), key, pk, _labels(name).get(detail, detail or ""),
                REGISTRY[name].label, amount or 0, _as_moment(at)))
    for by_child in out.values():
        for items in by_child.values():
            items.sort(key=lambda o: (o.on, o.pk or 0))
    return out


def chronology_names() -> list[str]:
    """The facts a child's chronology shows."""
    return [n for n, f in REGISTRY.items() if f.chronology]


def chronology(child_id: int, found: dict[str, dict[int, list[Occurrence]]] | None = None
               ) -> list[Occurrence]:
    """Every chronology fact about one child, newest first. `found`: the child's occurrences
    of (at least) chronology_names(), where the page has read them with others in one query."""
    names = chronology_names()
    if found is None:
        found = occurrences(names, [child_id])
    items = [o for name in names for o in found[name].get(child_id, [])]
    return sorted(items, key=lambda o: (o.on, o.pk or 0), reverse=True)
