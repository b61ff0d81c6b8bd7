"""One shape for anything in a child's record that starts and ends: a referral, early help, a
plan, pre-proceedings and proceedings, an episode of care, an order, an approval, an arrangement.

Each kind keeps its own words for its dates, as the census and the return name them (a referral
is received_on/closed_on with its closure_reason, proceedings are issued_on/concluded_on), and
says once, in a `PeriodShape`, which field is its start, its end and its end reason, and whether
a child may have only one open at a time. From that one declaration come the database's
constraints, `open()` and `open_on(day)`, the message a double submit gets, and
`core.services.end_period`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from django.db import IntegrityError, models
from django.db.models import F, Q

from .models import Recorded, RecordedQuerySet


@dataclass(frozen=True)
class PeriodShape:
    """Which of a model's fields are its start, end and end reason, and what the database holds
    them to."""

    name: str  # the constraints' prefix: "referral" names referral_one_open
    what: str  # how messages name it: "referral", "care proceedings"
    start: str = "started_on"
    end: str = "ended_on"
    # The field that says why it ended, given once it ends and blank while it runs.
    reason: str | None = None
    # False where it must end after the day it starts (a CP plan: CIN 8840; a deprivation of
    # liberty order: SSDA903 702).
    same_day: bool = True
    # The field (usually "child") of which only one period may be open at a time: a partial
    # unique constraint, so a double submit cannot make two.
    one_open_per: str | None = None
    # Which rows that rule counts (a referral with no further action is not counted: CIN 8815).
    one_open_where: Q | None = None
    # The words messages and the audit trail use.
    plural: bool = False  # "care proceedings ... they were issued"
    verbs: tuple[str, str] = ("end", "ended")  # ("close", "closed"), ("conclude", "concluded")
    began: str = "started"  # after "before it": "was received", "were issued"
    # The audit action, and the fact, of its end (core.names: names.CP_PLAN_ENDED); without one
    # it is "<name>.<ended>".
    end_action: str = ""

    @property
    def ended_action(self) -> str:
        return self.end_action or f"{self.name}.{self.verbs[1]}"

    @property
    def open_message(self) -> str:
        """What a second open period is told: "This child already has an open referral"."""
        return (f"This {self.one_open_per} already has {'' if self.plural else 'an '}open "
                f"{self.what}")

    def constraints(self) -> list[models.BaseConstraint]:
        """The database's rules for this kind of period: it ends on or after it starts (after,
        where `same_day` is False); an ended period has its reason and a running one has none;
        and at most one open, not voided, per `one_open_per`."""
        after = f"{self.end}__gte" if self.same_day else f"{self.end}__gt"
        out: list[models.BaseConstraint] = [models.CheckConstraint(
            condition=Q(**{f"{self.end}__isnull": True}) | Q(**{after: F(self.start)}),
            name=f"{self.name}_ends_after_start",
            violation_error_message=self.before_start_message)]
        if self.reason:
            out.append(models.CheckConstraint(
                condition=Q(**{f"{self.end}__isnull": True, self.reason: ""})
                | (Q(**{f"{self.end}__isnull": False}) & ~Q(**{self.reason: ""})),
                name=f"{self.name}_end_has_reason",
                violation_error_message=f"Give the reason the {self.what} {self.verbs[1]}"))
        if self.one_open_per:
            condition = Q(**{f"{self.end}__isnull": True, "voided_at__isnull": True})
            if self.one_open_where is not None:
                condition &= self.one_open_where
            out.append(models.UniqueConstraint(
                fields=[self.one_open_per], condition=condition, name=f"{self.name}_one_open",
                violation_error_message=self.open_message))
        return out

    @property
    def pronoun(self) -> str:
        return "they" if self.plural else "it"

    @property
    def before_start_message(self) -> str:
        """What an end before the start is told (without the start's date)."""
        if self.same_day:
            return f"The {self.what} cannot {self.verbs[0]} before {self.pronoun} {self.began}"
        return (f"The {self.what} must {self.verbs[0]} after the day {self.pronoun} "
                f"{self.began}")

    def refused_second_open(self, model: type[models.Model], error: IntegrityError) -> bool:
        """Whether `error` is the database refusing a second open period of `model`."""
        if not self.one_open_per:
            return False
        name = f"{self.name}_one_open"
        diag = getattr(error.__cause__, "diag", None)
        if diag is not None:  # PostgreSQL names the constraint
            return diag.constraint_name == name
        # SQLite names the index's columns: "UNIQUE constraint failed: frontdoor_referral.child_id"
        column = model._meta.get_field(self.one_open_per).column
        return (f"{model._meta.db_table}.{column}" in str(error) or name in str(error))


class PeriodQuerySet(RecordedQuerySet):
    def open(self):
        """Periods not ended and not voided."""
        return self.current().filter(**{f"{self.model.period.end}__isnull": True})

    def open_on(self, day: date):
        """Periods running on `day`: started by then and not ended before it (a period is open
        on the day it ends, as an order is in force on its last day)."""
        shape = self.model.period
        return self.current().filter(
            Q(**{f"{shape.end}__isnull": True}) | Q(**{f"{shape.end}__gte": day}),
            **{f"{shape.start}__lte": day})


class Period(Recorded):
    """A recorded fact that starts and ends; `period` says which fields are which."""

    period: ClassVar[PeriodShape]

    objects = PeriodQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def period_start(self) -> date:
        return getattr(self, self.period.start)

    @property
    def period_end(self) -> date | None:
        return getattr(self, self.period.end)

    @property
    def period_end_reason(self) -> str:
        return getattr(self, self.period.reason) if self.period.reason else ""

    @property
    def is_open(self) -> bool:
        return self.period_end is None and self.voided_at is None
