"""The registry of dated facts that timescales and the chronology are computed from.

Each app says, in its `facts.py`, which of its rows are facts: a name, the model, the field that
dates it, the child it concerns, and (where one fact answers another) the key that pairs them,
for example an assessment's referral. Rules (core.TimescaleRule) and the chronology refer to facts
by name, so neither needs to know any app's models.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Iterable

from django.db.models import Model, Q
from django.utils import timezone


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


REGISTRY: dict[str, Fact] = {}


def register(name: str, model: type[Model], *, date: str, child: str = "child_id",
             key: str | None = None, where: Q | None = None, label: str = "",
             detail: str | None = None, chronology: bool = True, amount: str | None = None
             ) -> None:
    REGISTRY[name] = Fact(name, model, date, child, key, where, label or name.replace("_", " ")
                          .capitalize(), detail, chronology, amount)


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _queryset(fact: Fact):
    manager = fact.model._default_manager
    qs = manager.current() if hasattr(manager, "current") else manager.all()
    if fact.where is not None:
        qs = qs.filter(fact.where)
    return qs.filter(**{f"{fact.date}__isnull": False})


def occurrences(names: Iterable[str], child_ids: Iterable[int] | None = None
                ) -> dict[str, dict[int, list[Occurrence]]]:
    """Every occurrence of the named facts, by fact then child, each list in date order.

    One query per fact, whatever the number of children.
    """
    out: dict[str, dict[int, list[Occurrence]]] = {}
    ids = None if child_ids is None else list(child_ids)
    for name in dict.fromkeys(names):
        fact = REGISTRY[name]
        qs = _queryset(fact)
        if ids is not None:
            qs = qs.filter(**{f"{fact.child}__in": ids})
        cols = [fact.child, fact.date, fact.key or "pk", "pk", fact.detail or "pk",
                fact.amount or "pk"]
        by_child: dict[int, list[Occurrence]] = defaultdict(list)
        for row in qs.values_list(*cols):
            by_child[row[0]].append(Occurrence(
                name, row[0], _as_date(row[1]), row[2] if fact.key else None, row[3],
                str(row[4]) if fact.detail and row[4] not in (None, "") else "", fact.label,
                (row[5] or 0) if fact.amount else 0))
        for items in by_child.values():
            items.sort(key=lambda o: (o.on, o.pk or 0))
        out[name] = by_child
    return out


def chronology(child_id: int) -> list[Occurrence]:
    """Every chronology fact about one child, newest first."""
    names = [n for n, f in REGISTRY.items() if f.chronology]
    found = occurrences(names, [child_id])
    items = [o for by_child in found.values() for o in by_child.get(child_id, [])]
    return sorted(items, key=lambda o: (o.on, o.pk or 0), reverse=True)
