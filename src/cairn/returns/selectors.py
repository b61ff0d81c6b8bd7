"""Reads for the statutory returns: each table read once, grouped by child, so a return costs a
few queries whatever the size of the authority."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from django.conf import settings
from django.db.models import QuerySet

from cairn.people.models import Child

from .models import AuthorityIdentity


@dataclass(frozen=True)
class CollectionYear:
    """The collection year ending 31 March `year` (2026 is 1 April 2025 to 31 March 2026)."""

    year: int

    @property
    def start(self) -> date:
        return date(self.year - 1, 4, 1)

    @property
    def end(self) -> date:
        return date(self.year, 3, 31)

    def overlaps(self, started_on: date, ended_on: date | None) -> bool:
        return started_on <= self.end and (ended_on is None or ended_on >= self.start)

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def by_child(rows: Iterable, key: str = "child_id") -> dict[int, list]:
    """Rows grouped by child, in the order the query gave them."""
    out: dict[int, list] = defaultdict(list)
    for row in rows:
        out[getattr(row, key)].append(row)
    return out


def current(model, child_ids: Iterable[int] | None, *order: str, child: str = "child_id"
            ) -> QuerySet:
    """The model's rows that count (not voided), for these children, in order."""
    rows = model.objects.current()
    if child_ids is not None:
        rows = rows.filter(**{f"{child}__in": list(child_ids)})
    return rows.order_by(child, *order, "id")


def children(child_ids: Iterable[int]) -> dict[int, Child]:
    """The children, by primary key, in one query."""
    return {c.pk: c for c in Child.objects.current().filter(pk__in=list(child_ids))}


def age_on(birth: date | None, day: date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def birthday(birth: date, age: int) -> date:
    """The day a person born on `birth` turns `age` (29 February birthdays fall on 1 March)."""
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:
        return date(birth.year + age, 3, 1)


def authority() -> dict:
    """The identity the returns are made under: name, la_number, ons_code, and `adopted` (the
    import it came from, or "" when it is the configured one)."""
    configured = settings.CAIRN_AUTHORITY
    out = {"name": configured["name"], "la_number": configured["la_number"],
           "ons_code": configured["ons_code"], "adopted": ""}
    adopted = AuthorityIdentity.objects.order_by("-id").first()
    if adopted:
        out.update(la_number=adopted.la_number, ons_code=adopted.ons_code,
                   adopted=adopted.adopted_from)
        if (adopted.la_number, adopted.ons_code) != (configured["la_number"],
                                                     configured["ons_code"]):
            # The configured name belongs to the configured numbers, not to these.
            out["name"] = f"Local authority {adopted.la_number}"
    return out
