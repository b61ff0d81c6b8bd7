"""Reads about legal work that returns and pages share."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from cairn.access import policy
from cairn.core import names, timescales
from cairn.core.models import TimescaleRule

from .models import (
    EMERGENCY_ORDERS,
    CareProceedings,
    CourtDirection,
    Hearing,
    LegalOrder,
    OrderKind,
    PreProceedings,
)

# Their limits are the rules' (an administrator may change the local pre-proceedings one): pages
# show `Due.limit_label` or `TimescaleRule.describe()`, never a number of their own.
PRE_PROCEEDINGS_RULE = names.PRE_PROCEEDINGS  # F21: the pre-proceedings flag
PROCEEDINGS_RULE = names.CARE_PROCEEDINGS  # F8: the time limit, plus extensions


def emergency_protection_children(*, as_of: date, months: int = 6) -> QuerySet:
    """Ids of children under an EPO or police protection at any time in the `months` before
    `as_of` (Annex A List 7), as a subquery to filter with."""
    since = _months_before(as_of, months)
    return (LegalOrder.objects.current().filter(kind__in=EMERGENCY_ORDERS, made_on__lte=as_of)
            .exclude(ended_on__lt=since).values("child_id"))


def _months_before(day: date, months: int) -> date:
    """The same day `months` earlier, or that month's last day (31 March less one month is the
    end of February)."""
    month = day.month - months
    year, month = day.year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def weeks_since(start: date, today: date | None = None) -> int:
    """Whole weeks from `start` to today: week 0 is the first seven days."""
    return ((today or timezone.localdate()) - start).days // 7


def progress(weeks: int, due: timescales.Due | None, rule: TimescaleRule | None) -> str:
    """How far along, against the rule's limit: "3 of 16 weeks" (the limit as the rule has it,
    extensions included), or "3 weeks, of 4 months" where the rule counts in another unit."""
    limit, unit = ((due.limit, due.unit) if due is not None else
                   (rule.first_limit, rule.first_unit) if rule is not None else (None, ""))
    if limit is None:
        return f"{weeks} week{'s' if weeks != 1 else ''}"
    if unit == TimescaleRule.Unit.WEEKS:
        return f"{weeks} of {limit} weeks"
    return f"{weeks} week{'s' if weeks != 1 else ''}, of {TimescaleRule.phrase(limit, unit)}"


def limit_label(due: timescales.Due | None, rule: TimescaleRule | None) -> str:
    """The limit in words ("16 weeks"), for the flag of a clock past it."""
    if due is not None:
        return due.limit_label
    return rule.describe() if rule is not None else ""


def rules() -> dict[str, TimescaleRule | None]:
    """The two legal rules in force, by code (None where an administrator switched one off)."""
    found = {r.code: r for r in timescales.active_rules([PRE_PROCEEDINGS_RULE, PROCEEDINGS_RULE])}
    return {code: found.get(code) for code in (PRE_PROCEEDINGS_RULE, PROCEEDINGS_RULE)}


def proceedings_due(proceedings: CareProceedings) -> timescales.Due | None:
    """The engine's due item for these proceedings: the date they are due to conclude by,
    moved on by every extension granted."""
    return timescales.due_for(PROCEEDINGS_RULE, proceedings.child_id, proceedings.issued_on)


def pre_proceedings_for(child, plo_id: int, *, staff, page: str) -> PreProceedings:
    return policy.object_for(staff, PreProceedings.objects.current(), plo_id, page=page,
                             child=child)


def proceedings_for(child, proceedings_id: int, *, staff, page: str) -> CareProceedings:
    return policy.object_for(staff, CareProceedings.objects.current(), proceedings_id,
                             page=page, child=child)


def emergency_protection_order_for(child, order_id: int, *, staff, page: str) -> LegalOrder:
    """One of the child's emergency protection orders (404, logged, for anything else)."""
    return policy.object_for(
        staff, LegalOrder.objects.current().filter(kind=OrderKind.EMERGENCY_PROTECTION),
        order_id, page=page, child=child)


def hearing_for(child, hearing_id: int, *, staff, page: str) -> Hearing:
    return policy.object_for(staff, Hearing.objects.current().select_related("proceedings"),
                             hearing_id, page=page, child=child)


def direction_for(child, direction_id: int, *, staff, page: str) -> CourtDirection:
    return policy.object_for(staff, CourtDirection.objects.current().select_related("hearing"),
                             direction_id, page=page, child=child)


def open_pre_proceedings(child) -> PreProceedings | None:
    return (PreProceedings.objects.current().filter(child=child, ended_on__isnull=True)
            .order_by("-started_on").first())


def _overdue(today: date) -> Q:
    return Q(due_on__lt=today, complied_on__isnull=True) & ~Q(met=True)


def legal_record(child) -> dict:
    """A child's pre-proceedings and proceedings with their meetings, reviews, hearings,
    directions and extensions, newest first."""
    today = timezone.localdate()
    hearings = Hearing.objects.current().order_by("-held_on", "-pk").prefetch_related(
        Prefetch("directions", CourtDirection.objects.current().order_by("due_on", "pk")))
    plos = (PreProceedings.objects.current().filter(child=child).order_by("-started_on", "-pk")
            .prefetch_related("meetings", "reviews"))
    proceedings = (CareProceedings.objects.current().filter(child=child)
                   .order_by("-issued_on", "-pk")
                   .prefetch_related(Prefetch("hearings", hearings), "extensions",
                                     Prefetch("orders", LegalOrder.objects.current()
                                              .order_by("made_on", "pk"), to_attr="court_orders")))
    legal_rules = rules()
    dues = {(d.rule.code, d.clock_from): d for d in _dues([child.pk], legal_rules)}
    for plo in plos:
        plo.weeks = weeks_since(plo.started_on, plo.ended_on or today)
        plo.due = dues.get((PRE_PROCEEDINGS_RULE, plo.started_on))
        plo.progress = progress(plo.weeks, plo.due, legal_rules[PRE_PROCEEDINGS_RULE])
        plo.limit_label = limit_label(plo.due, legal_rules[PRE_PROCEEDINGS_RULE])
    for item in proceedings:
        for order in item.court_orders:
            order.in_force = order.made_on <= today and (
                order.ends_on is None or order.ends_on >= today)
        item.weeks = weeks_since(item.issued_on, item.concluded_on or today)
        item.due = dues.get((PROCEEDINGS_RULE, item.issued_on))
        item.progress = progress(item.weeks, item.due, legal_rules[PROCEEDINGS_RULE])
    emergency = list(LegalOrder.objects.current()
                     .filter(child=child, kind__in=EMERGENCY_ORDERS).order_by("-made_on", "-pk"))
    for order in emergency:
        # s45(4)-(6): the court may extend an order in force once.
        order.can_extend = (order.kind == OrderKind.EMERGENCY_PROTECTION
                            and order.extended_to is None and order.ended_on is not None
                            and order.made_on <= today <= order.ended_on)
    return {"pre_proceedings": plos, "proceedings": proceedings, "today": today,
            "emergency_orders": emergency}


def _dues(child_ids, legal_rules: dict, today: date | None = None) -> list[timescales.Due]:
    return timescales.evaluate(child_ids, today=today,
                               rules=[r for r in legal_rules.values() if r is not None])


@dataclass
class TrackerRow:
    """One child in pre-proceedings or care proceedings, as the legal tracker shows them."""

    child: object
    stage: str
    started_on: date
    weeks: int
    progress: str  # "3 of 16 weeks": against the rule's limit, extensions included
    limit_label: str  # "16 weeks": what the flag says the clock is past
    due: timescales.Due | None
    next_hearing: Hearing | None = None
    overdue_directions: list = field(default_factory=list)

    @property
    def past_limit(self) -> bool:
        return self.due is not None and self.due.status == timescales.Status.OVERDUE


def legal_tracker(*, viewer, today: date | None = None) -> list[TrackerRow]:
    """Every child `viewer` may see who is in pre-proceedings or care proceedings, longest
    running first (F8, F21)."""
    today = today or timezone.localdate()
    visible = policy.visible_children(viewer).values("pk")
    plos = list(PreProceedings.objects.current().filter(
        child__in=visible, ended_on__isnull=True).select_related("child"))
    upcoming = Hearing.objects.current().filter(held_on__gte=today).order_by("held_on", "pk")
    overdue = CourtDirection.objects.current().filter(_overdue(today)).order_by("due_on")
    proceedings = list(CareProceedings.objects.current().filter(
        child__in=visible, concluded_on__isnull=True).select_related("child").prefetch_related(
        Prefetch("hearings", upcoming, to_attr="upcoming"),
        Prefetch("child__court_directions", overdue, to_attr="overdue_directions")))
    ids = {p.child_id for p in plos} | {p.child_id for p in proceedings}
    legal_rules = rules()
    dues = ({(d.child_id, d.rule.code, d.clock_from): d
             for d in _dues(ids, legal_rules, today)} if ids else {})

    def row(item, stage, code, started_on, **more) -> TrackerRow:
        due, weeks = dues.get((item.child_id, code, started_on)), weeks_since(started_on, today)
        return TrackerRow(item.child, stage, started_on, weeks,
                          progress(weeks, due, legal_rules[code]),
                          limit_label(due, legal_rules[code]), due, **more)

    rows = [row(p, "Pre-proceedings", PRE_PROCEEDINGS_RULE, p.started_on) for p in plos]
    for p in proceedings:
        rows.append(row(p, "Care proceedings", PROCEEDINGS_RULE, p.issued_on,
                        next_hearing=p.upcoming[0] if p.upcoming else None,
                        overdue_directions=p.child.overdue_directions))
    rows.sort(key=lambda r: (r.started_on, r.child.family_name))
    return rows
