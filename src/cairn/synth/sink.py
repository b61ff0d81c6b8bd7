"""Bulk writing for the synthetic authority: rows as tuples straight into the tables.

Building model instances and saving them one by one would take hours for a large authority, and
even `bulk_create` spends most of its time making objects. The builder instead assigns primary
keys itself (so rows can point at each other before anything is written) and hands tuples to a
`Table`, which writes them with COPY on PostgreSQL and `executemany` elsewhere. Recorded's own
columns (recorded_by, recorded_at, version, voiding) are filled in here.
"""

from __future__ import annotations

from datetime import date, datetime, time
from datetime import timezone as dt_timezone
from typing import Iterable, Sequence

from django.core.exceptions import FieldDoesNotExist
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max, Model

from cairn.core.models import Recorded


def moment(day: date, hour: int = 10) -> datetime:
    """An event's time of day: a fixed hour, so rows never carry the time they were built."""
    return datetime.combine(day, time(hour), tzinfo=dt_timezone.utc)


RECORDED_COLUMNS = ("recorded_by_id", "recorded_at", "version", "voided_at", "voided_by_id",
                    "void_reason")
BATCH = 20_000


def next_id(model: type[Model]) -> int:
    """The first free primary key: the builder numbers rows itself from here."""
    return (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1


class Table:
    """Rows for one model, buffered and written in batches.

    `fields` are attribute names (`child_id`, not `child`); a Recorded model gets its shared
    columns appended from `recorded_by` and `recorded_at` (the moment the row was "entered").
    """

    def __init__(self, model: type[Model], fields: Sequence[str], *, recorded_by: int | None = None,
                 counts: dict[str, int] | None = None):
        self.model = model
        self.recorded = issubclass(model, Recorded)
        self.recorded_by = recorded_by
        meta = model._meta
        columns = [_column(meta, name) for name in fields]
        if self.recorded:
            columns += list(RECORDED_COLUMNS)
        # Columns the builder does not name get their model default, fixed once: COPY and
        # INSERT know nothing of Django's defaults.
        self.tail = []
        for f in meta.concrete_fields:
            if f.column in columns or f.primary_key:
                continue
            if f.has_default():
                if callable(f.default) and f.default not in (dict, list, str):
                    raise ValueError(f"{self.label}.{f.name}: a time-dependent default; "
                                     "the builder must give it")
                value = f.get_default()
            elif f.null:
                value = None
            elif f.blank:
                value = ""
            else:
                raise ValueError(f"{self.label}.{f.name} is required and was not given")
            columns.append(f.column)
            self.tail.append(value)
        self.tail = tuple(self.tail)
        # Rows the builder does not number are numbered here, not by the database's sequence,
        # which a rolled-back build would leave moved on: the same seed gives the same keys.
        self.next_pk = None
        if meta.pk.column not in columns:
            self.next_pk = next_id(model)
            columns.append(meta.pk.column)
        self.columns = columns
        self.width = len(fields)
        self.rows: list[tuple] = []
        self.counts = counts if counts is not None else {}
        self.label = meta.label
        self.sqlite = connection.vendor == "sqlite"

    def add(self, row: tuple, recorded_at: datetime) -> None:
        if len(row) != self.width:
            raise ValueError(f"{self.label}: {len(row)} values for {self.width} fields")
        if self.recorded:
            row = (*row, self.recorded_by, recorded_at, 1, None, None, "", *self.tail)
        elif self.tail:
            row = (*row, *self.tail)
        if self.next_pk is not None:
            row = (*row, self.next_pk)
            self.next_pk += 1
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()

    def extend(self, rows: Iterable[tuple], recorded_at: datetime) -> None:
        for row in rows:
            self.add(row, recorded_at)

    def flush(self) -> None:
        if not self.rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                rows = [tuple(_sqlite_value(v) for v in row) for row in self.rows] \
                    if self.sqlite else self.rows
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        self.counts[self.label] = self.counts.get(self.label, 0) + len(self.rows)
        self.rows = []


def _column(meta, name: str) -> str:
    """The column for a field name or a foreign key's attname (`child_id`)."""
    try:
        return meta.get_field(name).column
    except FieldDoesNotExist:
        if name.endswith("_id"):
            return meta.get_field(name[:-3]).column
        raise


def _sqlite_value(value):
    # SQLite keeps datetimes as naive UTC text, which is how Django reads them back.
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(dt_timezone.utc).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, bool) or value is None or isinstance(value, (int, float, str)):
        return value
    return str(value)


def reset_sequences(models: Iterable[type[Model]]) -> None:
    """Move PostgreSQL's id sequences past the keys the builder assigned."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
