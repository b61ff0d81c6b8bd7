"""Reads about legal work that returns and pages share."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import (
    Case,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cairn.access import policy
from cairn.core import names, timescales
from cairn.core.models import TimescaleRule
from cairn.protection.models import ChildProtectionPlan
from cairn.workforce.models import Allocation

from .models import (
    EMERGENCY_ORDERS,
    CareProceedings,
    CourtDirection,
    Hearing,
    LegalOrder,
    OrderKind,
    PreProceedings,
    PreProceedingsReview,
    ProceedingsExtension,
)

# Their limits are the rules' (an administrator may change the local pre-proceedings one): pages
# show `Due.limit_label` or `TimescaleRule.describe()`, never a number of their own.
PRE_PROCEEDINGS_RULE = names.PRE_PROCEEDINGS  # F21: the pre-proceedings flag
PROCEEDINGS_RULE = names.CARE_PROCEEDINGS  # F8: the time limit, plus extensions
REVIEW_RULE = names.PRE_PROCEEDINGS_REVIEW  # the review points, due as the authority sets
RULE_CODES = (PRE_PROCEEDINGS_RULE, PROCEEDINGS_RULE, REVIEW_RULE)


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
    """The legal rules in force, by code (None where an administrator switched one off)."""
    found = {r.code: r for r in timescales.active_rules(RULE_CODES)}
    return {code: found.get(code) for code in RULE_CODES}


def original_target(proceedings: CareProceedings, rule: TimescaleRule | None) -> date | None:
    """The date the proceedings were due to conclude by before any extension: the rule's first
    limit from issue (26 weeks), shown beside the extended date so drift stays visible."""
    if rule is None:
        return None
    return timescales.add_period(proceedings.issued_on, rule.first_limit, rule.first_unit)


def _first_limit(rule: TimescaleRule | None) -> str:
    return TimescaleRule.phrase(rule.first_limit, rule.first_unit) if rule is not None else ""


@dataclass
class ReviewPoint:
    """One pre-proceedings review point: when it was due under the rule, and the review that
    met it (held on, who attended, the decision), or neither yet."""

    due: timescales.Due | None
    review: object | None = None

    @property
    def held_on(self) -> date | None:
        return self.review.held_on if self.review is not None else None


def review_points(plo: PreProceedings, dues: list[timescales.Due], reviews: list
                  ) -> list[ReviewPoint]:
    """The review points of one pre-proceedings: each due date the review rule set, beside the
    review held for it; a review held on a day nothing fell due (two in one week) is listed as
    held, with no due date of its own."""
    end = plo.ended_on
    mine = [d for d in dues if d.clock_from >= plo.started_on
            and (end is None or d.clock_from <= end)]
    left = sorted((r for r in reviews if r.voided_at is None), key=lambda r: (r.held_on, r.pk))
    points = []
    for due in mine:
        review = next((r for r in left if r.held_on == due.met_on), None)
        if review is not None:
            left.remove(review)
        points.append(ReviewPoint(due, review))
    points.extend(ReviewPoint(None, r) for r in left)
    points.sort(key=lambda p: p.due.due_on if p.due else p.held_on)
    return points


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
    every = _dues([child.pk], legal_rules)
    dues = {(d.rule.code, d.clock_from): d for d in every if d.sequence == 1}
    review_dues = [d for d in every if d.rule.code == REVIEW_RULE]
    for plo in plos:
        plo.weeks = weeks_since(plo.started_on, plo.ended_on or today)
        plo.due = dues.get((PRE_PROCEEDINGS_RULE, plo.started_on))
        plo.progress = progress(plo.weeks, plo.due, legal_rules[PRE_PROCEEDINGS_RULE])
        plo.limit_label = limit_label(plo.due, legal_rules[PRE_PROCEEDINGS_RULE])
        plo.review_points = review_points(plo, review_dues, list(plo.reviews.all()))
    for item in proceedings:
        item.original_due_on = original_target(item, legal_rules[PROCEEDINGS_RULE])
        item.original_limit = _first_limit(legal_rules[PROCEEDINGS_RULE])
        item.granted = sorted((e for e in item.extensions.all() if e.voided_at is None),
                              key=lambda e: (e.granted_on, e.pk))
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
            "emergency_orders": emergency,
            "final_order_questions": final_order_questions(child, proceedings)}


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
    last_review: PreProceedingsReview | None = None
    next_review: timescales.Due | None = None  # the review point the rule has falling due
    original_due_on: date | None = None  # before extensions (proceedings)
    extensions: list = field(default_factory=list)
    can_open: bool = True  # False for a child outside the viewer's line (authority view)

    @property
    def past_limit(self) -> bool:
        return self.due is not None and self.due.status == timescales.Status.OVERDUE

    @property
    def extended(self) -> bool:
        return bool(self.extensions)


# The tracker's scopes: the children of the teams the viewer manages, or the whole authority.
TEAMS, AUTHORITY = "teams", "authority"
# Its stages, as the filter names them.
PRE_PROCEEDINGS, PROCEEDINGS = "pre-proceedings", "proceedings"
# A service manager's line (and the authority) can hold hundreds of children in legal work: the
# tracker shows a page of them at a time, counted and ordered in SQL, so its cost stays that of
# one page however large the authority grows.
TRACKER_PAGE = 50


@dataclass
class Tracker:
    """One page of the legal tracker, with what the filters matched across every page."""

    rows: list[TrackerRow]
    total: int  # children matching the filters, on every page
    past_limit: int  # of those, how many are past the rule's limit
    page: int
    pages: int
    per_page: int

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def _past_by(rule: TimescaleRule | None, extra: int, today: date) -> date | None:
    """The first start date whose clock is not yet past the limit today: a clock that started
    before it is overdue (the engine's own add_period, which never goes back as the start moves
    on, so the boundary is found by halving). None when the rule is off."""
    if rule is None:
        return None
    limit = rule.first_limit + extra
    low, high = today - timedelta(days=40 * 366), today + timedelta(days=1)
    while low < high:  # the least start whose due date is today or later
        middle = low + (high - low) // 2
        if timescales.add_period(middle, limit, rule.first_unit) < today:
            low = middle + timedelta(days=1)
        else:
            high = middle
    return low


def _extension_weeks():
    """The weeks every extension granted since issue adds to proceedings' time limit, as the
    engine counts them (care_proceedings.extended facts on or after the day of issue)."""
    return Coalesce(Subquery(
        ProceedingsExtension.objects.current()
        .filter(proceedings=OuterRef("pk"), granted_on__gte=OuterRef("issued_on"))
        .values("proceedings").annotate(weeks_added=Sum("weeks")).values("weeks_added")),
        Value(0))


def _tracker_sets(children, *, stage: str, name: str, legal_rules: dict, today: date):
    """The open pre-proceedings and open proceedings of `children` that the filters keep, each
    annotated with whether it is past its limit (as 1 or 0, for SQL to add up)."""
    plos = PreProceedings.objects.current().filter(ended_on__isnull=True)
    pros = CareProceedings.objects.current().filter(concluded_on__isnull=True)
    # Only the children in legal work are tested against who the viewer may see: asked of
    # every child the viewer may open, the database built that whole set first (a service
    # manager's line is thousands of children).
    plos = plos.filter(child__in=children.filter(pk__in=plos.values("child_id")).values("pk"))
    pros = pros.filter(child__in=children.filter(pk__in=pros.values("child_id")).values("pk"))
    if name:
        for word in name.split():
            match = Q(child__family_name__icontains=word) | Q(child__given_name__icontains=word)
            plos, pros = plos.filter(match), pros.filter(match)
    plo_by = _past_by(legal_rules[PRE_PROCEEDINGS_RULE], 0, today)
    plos = plos.annotate(past=Case(When(started_on__lt=plo_by, then=Value(1)), default=Value(0))
                         if plo_by else Value(0))
    pros = pros.annotate(extra=_extension_weeks())
    rule = legal_rules[PROCEEDINGS_RULE]
    if rule is None:
        pros = pros.annotate(past=Value(0))
    else:
        # One boundary for each total of extension weeks that open proceedings carry (across
        # the authority, a few small numbers whatever its size).
        extras = set(CareProceedings.objects.current().filter(concluded_on__isnull=True)
                     .annotate(extra=_extension_weeks()).order_by()
                     .values_list("extra", flat=True).distinct()) | {0}
        whens = [When(extra=extra, issued_on__lt=_past_by(rule, extra, today), then=Value(1))
                 for extra in sorted(extras)]
        pros = pros.annotate(past=Case(*whens, default=Value(0)))
    return (plos if stage != PROCEEDINGS else None), (pros if stage != PRE_PROCEEDINGS else None)


def legal_tracker(*, viewer, today: date | None = None, scope: str = TEAMS, stage: str = "",
                  name: str = "", past_only: bool = False, page: int = 1) -> Tracker:
    """Children in pre-proceedings or care proceedings, longest running first (F8, F21): in
    the viewer's line, or (scope AUTHORITY, for those the policy lets oversee the authority's
    legal work) across the authority, restricted records left out as everywhere. Filtered by
    stage, the child's name and being past the limit; one page of TRACKER_PAGE rows, with the
    totals across every page counted in SQL."""
    today = today or timezone.localdate()
    visible = policy.visible_children(viewer)
    children = (policy.legal_oversight_children(viewer) if scope == AUTHORITY else visible)
    legal_rules = rules()
    plos, pros = _tracker_sets(children, stage=stage, name=name, legal_rules=legal_rules,
                               today=today)
    columns = ("kind", "pk", "start", "child__family_name", "child__given_name", "past")
    parts = []
    for kind, items, start in (("plo", plos, "started_on"), ("pro", pros, "issued_on")):
        if items is None:
            continue
        if past_only:
            items = items.filter(past=1)
        parts.append(items.annotate(kind=Value(kind), start=F(start)).order_by()
                     .values_list(*columns))
    found = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    page = max(page, 1)
    listed, total, past = _one_page(found, page)
    if not listed and page > 1:  # past the last page (the list shrank): show the last
        listed, total, past = _one_page(found, 1)
        page = 1
    pages = max(1, -(-total // TRACKER_PAGE))
    return Tracker(_tracker_rows(listed, visible, scope, legal_rules, today), total, past,
                   page, pages, TRACKER_PAGE)


def _one_page(found, page: int) -> tuple[list, int, int]:
    """One page of the union of open legal work, in the tracker's order, with the count and the
    number past the limit across all of it: one query (window functions over the union)."""
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.*, COUNT(*) OVER (), SUM(t.past) OVER () FROM ({sql}) t "
            "ORDER BY 3, 4, 5, 1, 2 LIMIT %s OFFSET %s",
            (*params, TRACKER_PAGE, (page - 1) * TRACKER_PAGE))
        listed = cursor.fetchall()
    if not listed:
        return [], 0, 0
    return [(kind, pk) for kind, pk, *_ in listed], listed[0][6], int(listed[0][7] or 0)


def _tracker_rows(listed, visible, scope, legal_rules, today) -> list[TrackerRow]:
    """The tracker's rows for one page of (kind, pk): their hearings, extensions, directions,
    reviews and the engine's due dates read for those children only."""
    plo_ids = [pk for kind, pk in listed if kind == "plo"]
    pro_ids = [pk for kind, pk in listed if kind == "pro"]
    plos = {p.pk: p for p in PreProceedings.objects.filter(pk__in=plo_ids)
            .select_related("child")} if plo_ids else {}
    upcoming = Hearing.objects.current().filter(held_on__gte=today).order_by("held_on", "pk")
    overdue = CourtDirection.objects.current().filter(_overdue(today)).order_by("due_on")
    live = ProceedingsExtension.objects.current().order_by("granted_on", "pk")
    proceedings = {p.pk: p for p in CareProceedings.objects.filter(pk__in=pro_ids)
                   .select_related("child").prefetch_related(
        Prefetch("hearings", upcoming, to_attr="upcoming"),
        Prefetch("extensions", live, to_attr="granted"),
        Prefetch("child__court_directions", overdue, to_attr="overdue_directions"))
    } if pro_ids else {}
    last_reviews = {}
    if plo_ids:
        for review in (PreProceedingsReview.objects.current()
                       .filter(pre_proceedings__in=plo_ids)
                       .order_by("pre_proceedings_id", "held_on", "pk")):
            last_reviews[review.pre_proceedings_id] = review  # ordered: the last one stays
    ids = {p.child_id for p in plos.values()} | {p.child_id for p in proceedings.values()}
    openable = (set(visible.filter(pk__in=ids).values_list("pk", flat=True))
                if scope == AUTHORITY and ids else ids)
    every = _dues(ids, legal_rules, today) if ids else []
    dues = {(d.child_id, d.rule.code, d.clock_from): d for d in every if d.sequence == 1}
    # One pre-proceedings open per child: its open review point is the child's.
    next_reviews = {d.child_id: d for d in every if d.rule.code == REVIEW_RULE and d.is_open}

    def row(item, stage, code, started_on, **more) -> TrackerRow:
        due, weeks = dues.get((item.child_id, code, started_on)), weeks_since(started_on, today)
        return TrackerRow(item.child, stage, started_on, weeks,
                          progress(weeks, due, legal_rules[code]),
                          limit_label(due, legal_rules[code]), due,
                          can_open=item.child_id in openable, **more)

    rows = []
    for kind, pk in listed:
        if kind == "plo":
            p = plos[pk]
            rows.append(row(p, "Pre-proceedings", PRE_PROCEEDINGS_RULE, p.started_on,
                            last_review=last_reviews.get(p.pk),
                            next_review=next_reviews.get(p.child_id)))
        else:
            p = proceedings[pk]
            rows.append(row(p, "Care proceedings", PROCEEDINGS_RULE, p.issued_on,
                            next_hearing=p.upcoming[0] if p.upcoming else None,
                            overdue_directions=p.child.overdue_directions,
                            original_due_on=original_target(p, legal_rules[PROCEEDINGS_RULE]),
                            extensions=p.granted))
    return rows


@dataclass
class DirectionCompliance:
    """Court directions due in a year, and how many were met by their due date (F8)."""

    since: date
    rows: list  # CourtDirection, each with `status` and `late_by` set, latest due first
    on_time: int
    late: int
    not_met: int
    overdue: int

    @property
    def due(self) -> int:
        return len(self.rows)

    @property
    def share_on_time(self) -> int | None:
        """Per cent met on time, rounded; None with nothing due."""
        return round(100 * self.on_time / self.due) if self.rows else None


ON_TIME, LATE, NOT_MET, OVERDUE = "on_time", "late", "not_met", "overdue"


def direction_compliance(*, viewer, today: date | None = None, scope: str = TEAMS
                         ) -> DirectionCompliance:
    """The directions that fell due in the last 12 months (or were met in them early) for the
    children in the viewer's line (or, scope AUTHORITY, the authority's), each judged: met on
    time, met late (by how many days), not met, or still outstanding past its due date. A
    direction due today is not yet late."""
    today = today or timezone.localdate()
    since = _months_before(today, 12)
    children = (policy.legal_oversight_children(viewer) if scope == AUTHORITY
                else policy.visible_children(viewer)).values("pk")
    rows = list(CourtDirection.objects.current().filter(child__in=children)
                .filter(Q(due_on__lt=today) | Q(complied_on__isnull=False) | Q(met=False))
                .filter(due_on__gte=since)
                .select_related("child", "owner", "hearing").order_by("-due_on", "-pk"))
    counts = dict.fromkeys((ON_TIME, LATE, NOT_MET, OVERDUE), 0)
    ids = {item.child_id for item in rows}
    openable = (set(policy.visible_children(viewer).filter(pk__in=ids)
                    .values_list("pk", flat=True)) if scope == AUTHORITY else ids)
    for item in rows:
        item.can_open = item.child_id in openable
        if item.complied_on is not None:
            item.status = LATE if item.days_late else ON_TIME
            item.late_by = item.days_late
        elif item.met is False:
            item.status, item.late_by = NOT_MET, None
        else:
            item.status, item.late_by = OVERDUE, (today - item.due_on).days
        counts[item.status] += 1
    return DirectionCompliance(since, rows, counts[ON_TIME], counts[LATE], counts[NOT_MET],
                               counts[OVERDUE])


def directions_owned(staff) -> list[CourtDirection]:
    """The court directions `staff` must see done that are not yet complied with (one found
    not met by its date is still to do), soonest due first, each with `overdue` set: their list
    on My work."""
    today = timezone.localdate()
    items = list(CourtDirection.objects.current()
                 .filter(owner=staff, complied_on__isnull=True,
                         child__in=policy.visible_children(staff))
                 .select_related("child", "hearing").order_by("due_on", "pk"))
    for item in items:
        item.overdue = item.due_on < today
    return items


def allocated_worker(child):
    """The member of staff the child is allocated to today, or None."""
    allocation = (Allocation.objects.current().active_on(timezone.localdate())
                  .filter(child=child, kind=Allocation.Kind.SOCIAL_WORKER)
                  .select_related("worker").order_by("-started_on").first())
    return allocation.worker if allocation is not None else None


# A final order under which the child is looked after: a child protection plan left open
# beside it is a question for the conference (Working Together 2023 ch. 4: a plan usually ends
# when the child becomes looked after).
LOOKED_AFTER_ORDERS = (OrderKind.CARE, OrderKind.PLACEMENT)


def final_order_questions(child, proceedings: list) -> list[tuple]:
    """What a final order leaves to be decided: each child protection plan still open while the
    child is in care under a final care or placement order in force, with that order."""
    today = timezone.localdate()
    orders = [o for p in proceedings if p.concluded_on and p.final_order in LOOKED_AFTER_ORDERS
              for o in p.court_orders if o.kind == p.final_order and o.in_force]
    if not orders:
        return []
    plans = ChildProtectionPlan.objects.current().filter(child=child, ended_on__isnull=True,
                                                        started_on__lte=today)
    return [(plan, orders[0]) for plan in plans]
