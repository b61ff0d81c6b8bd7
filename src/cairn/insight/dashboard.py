"""Indicators for what a manager manages: a team, a service or the whole authority, now and
month by month.

An indicator is defined once (insight.indicators) over the whole authority. A scope narrows the
rows behind its numerator and denominator to the children allocated in the scope's teams today
(a social worker's, early help practitioner's, personal adviser's or reviewing officer's),
so the same definition serves every scope and a team's figure is the authority's, counted over
the team's children. Restricted children are counted in every figure; only their rows are left
out of the lists shown to those who may not open them (insight.selectors).

Figures are computed when asked, never stored in the record (kept by each server process only
until the record changes: core.changes). Many figures are asked for at once (a home page's
headline indicators, now and a month ago; an indicator's twelve month-ends) in ONE query: each
count a scalar subquery of the same statement, so a page costs the same number of queries
whatever the authority's size.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from cairn.access import policy
from cairn.core import changes
from cairn.people.models import Child
from cairn.workforce.models import WHOLE_AUTHORITY, Allocation, Role, Service, Staff, Team
from cairn.workforce.selectors import managed_teams

from . import indicators
from .indicators import MEAN_DAYS, Figure, Indicator, Members, Period
from .sql import rules_read_once

# The allocations that make a child a team's work: a social worker's or early help
# practitioner's (as a team's caseload counts them), and a personal adviser's or reviewing
# officer's, so a leaving care or reviewing team counts the young people it holds. Each is
# counted in the team of the worker holding it, so a team of social workers counts as before.
TEAM_WORK = (Allocation.Kind.SOCIAL_WORKER, Allocation.Kind.EARLY_HELP,
             Allocation.Kind.PERSONAL_ADVISER, Allocation.Kind.IRO)
AUTHORITY = "authority"
SCOPE_TABLE = "insight_scope"  # the statement's name for a scope's children (figures)


@dataclass(frozen=True)
class Scope:
    """What a figure is counted over: the authority (teams None), a service or a team."""

    key: str  # "authority", "service:3", "team:12": what a page's ?scope= carries
    name: str
    teams: tuple[int, ...] | None = None
    kinds: tuple[str, ...] = ()  # the kinds of its teams (Team.Kind): its headlines

    @property
    def whole(self) -> bool:
        return self.teams is None

    def children(self, *, worker_id: int | None = None) -> QuerySet:
        """The ids of the children allocated in the scope's teams today (to one worker)."""
        work = (Allocation.objects.current().active_on(timezone.localdate())
                .filter(kind__in=TEAM_WORK))
        if self.teams is not None:
            work = work.filter(team_id__in=self.teams)
        if worker_id:
            work = work.filter(worker_id=worker_id)
        return work.values("child_id")


WHOLE = Scope(AUTHORITY, "the authority")


def may_see(viewer) -> bool:
    """Dashboards are for those who oversee teams: managers, analysts, auditors, the director."""
    return policy.allows(viewer, policy.SEE_TEAMS)


def scopes_for(viewer) -> list[Scope]:
    """Every scope `viewer` may count over: the authority and every service and team for the
    whole-authority roles; a service manager's services and teams; a team manager's teams."""
    if not may_see(viewer):
        return []
    whole = viewer.role in WHOLE_AUTHORITY
    teams = list(Team.objects.all() if whole else managed_teams(viewer))
    teams.sort(key=lambda t: t.name)
    out = [WHOLE] if whole else []
    services: dict[int, list[int]] = {}
    for team in teams:
        services.setdefault(team.service_id, []).append(team.pk)
    if whole or viewer.role == Role.SERVICE_MANAGER:
        names = dict(Service.objects.filter(pk__in=services).values_list("pk", "name"))
        if not whole:  # their own services whole, not the one team of another they are in
            mine = set(Service.objects.filter(manager=viewer).values_list("pk", flat=True))
            services = {pk: ids for pk, ids in services.items() if pk in mine}
        kinds = {t.pk: t.kind for t in teams}
        out += [Scope(f"service:{pk}", names[pk], tuple(ids), tuple(kinds[i] for i in ids))
                for pk, ids in sorted(services.items(), key=lambda kv: names[kv[0]])]
    out += [Scope(f"team:{t.pk}", t.name, (t.pk,), (t.kind,)) for t in teams]
    return out


def scope_for(viewer, key: str | None) -> Scope:
    """The scope `key` names, if `viewer` may count over it (else 404); without a key, what
    they manage: their team, their service, or the authority."""
    if not key:
        return home_scope(viewer)
    for scope in scopes_for(viewer):
        if scope.key == key:
            return scope
    raise Http404("No such team or service")


def home_scope(viewer) -> Scope | None:
    """What `viewer` manages, found in one query: the authority for the whole-authority roles,
    the service a service manager leads, the team a team manager manages (their own first)."""
    if not may_see(viewer):
        return None
    if viewer.role in WHOLE_AUTHORITY:
        return WHOLE
    if viewer.role == Role.SERVICE_MANAGER:
        service = Service.objects.filter(manager=viewer).order_by("name").first()
        if service is not None:
            teams = list(service.teams.values_list("pk", "kind"))
            return Scope(f"service:{service.pk}", service.name, tuple(t for t, _ in teams),
                         tuple(kind for _, kind in teams))
    # Their own team first, then the teams they manage by name (a manager has a few).
    teams = sorted(managed_teams(viewer), key=lambda t: (t.pk != viewer.team_id, t.name))
    team = teams[0] if teams else None
    return Scope(f"team:{team.pk}", team.name, (team.pk,), (team.kind,)) if team else None


def field_of(rows: QuerySet) -> str:
    """The field of a row of `rows` that is its child: the row itself, its `child`, or the
    child's id (an open item kept beside the facts)."""
    if issubclass(rows.model, Child):
        return "pk"
    names = {f.name for f in rows.model._meta.get_fields()}
    return "child" if "child" in names else "child_id"


def narrow(rows: QuerySet | None, children: QuerySet | None) -> QuerySet | None:
    if rows is None or children is None:
        return rows
    if issubclass(rows.model, Staff):
        # A figure about workers (caseloads): those holding one of the children today.
        holding = (Allocation.objects.current().active_on(timezone.localdate())
                   .filter(child__in=children).values("worker_id"))
        return rows.filter(pk__in=holding)
    return rows.filter(**{f"{field_of(rows)}__in": children})


def scoped(ind: Indicator, period: Period, scope: Scope, *,
           children: QuerySet | None = None, within=None) -> Members:
    """The rows behind `ind` for `period`, counted over `scope` (and, given, `children`: a
    query of child ids a list's filters leave). `within` stands for the scope's children where
    a statement computes them once (figures)."""
    rows = ind.rows(period)
    if within is None and not scope.whole:
        within = scope.children()
    num, den = narrow(narrow(rows.numerator, within), children), narrow(
        narrow(rows.denominator, within), children)
    return Members(num, den)


# -- Many figures in one query ---------------------------------------------------------------

def _scalar(rows: QuerySet, what: str) -> tuple[str, list]:
    """A scalar subquery counting `rows` (or summing their `days`), as SQL and parameters."""
    try:
        if what == "sum":
            sql, params = rows.order_by().values("days").query.sql_with_params()
            return f"(SELECT SUM(_r.days) FROM ({sql}) _r)", list(params)
        sql, params = rows.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing: Django builds no SQL for it
        return "0", []
    return f"(SELECT COUNT(*) FROM ({sql}) _r)", list(params)


def _count(statement: str, params: list) -> list:
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic() if postgresql else nullcontext(), connection.cursor() as cursor:
        if postgresql:
            # One statement of many counts is costed as their sum, past PostgreSQL's threshold
            # for compiling it (JIT): at 15,000 children compiling took 4 times as long as
            # counting (8 s against 2 s for every indicator). Off for this transaction only.
            cursor.execute("SELECT set_config('jit', 'off', true)")
        cursor.execute(statement, params)
        return list(cursor.fetchone())


def _statement_counted(asks: list[tuple[Indicator, Period]], scope: Scope,
                       children: QuerySet | None) -> list:
    """Every count figures() needs, from one statement."""
    parts: list[str] = []
    params: list = []
    # The scope's children, found once for the statement (a common table expression) rather
    # than again in each count: a service of 16 teams at 60,000 children took twice as long.
    within = None if scope.whole else RawSQL(f"SELECT child_id FROM {SCOPE_TABLE}", [])
    with rules_read_once():
        built = [(ind, scoped(ind, period, scope, children=children, within=within))
                 for ind, period in asks]
    for ind, rows in built:
        sides = ([(rows.denominator, "count"), (rows.denominator, "sum")]
                 if ind.unit == MEAN_DAYS else
                 [(rows.numerator, "count")]
                 + ([(rows.denominator, "count")] if rows.denominator is not None else []))
        for qs, what in sides:
            sql, ps = _scalar(qs, what)
            parts.append(sql)
            params += ps
    if not parts:
        return []
    head, head_params = "", []
    if within is not None:
        postgresql = connection.vendor == "postgresql"
        sql, head_params = scope.children().query.sql_with_params()
        head = f"WITH {SCOPE_TABLE} AS {'MATERIALIZED ' if postgresql else ''}({sql}) "
    return _count(head + "SELECT " + ", ".join(parts), [*head_params, *params])


def figures(asks: list[tuple[Indicator, Period]], scope: Scope, *,
            children: QuerySet | None = None) -> list[Figure]:
    """Each (indicator, period) of `asks` counted over `scope` (and `children`, given), as
    indicators.figure() counts it, in one query whatever their number (and a few to build
    them: the timescale rules some read)."""
    # Counting over a service or the whole authority grows with it (a second at 60,000
    # children): the answer is kept until anything in the record changes (core.changes), then
    # counted again when next asked. It depends besides on the asks, the scope, a list's filters
    # and the day (a scope's children are those allocated today): named without building the
    # statement, which costs more than looking its answer up.
    what = ("figures", [(ind.id, period) for ind, period in asks], scope.key, scope.teams,
            timezone.localdate(), None if children is None else str(children.query))
    values = list(changes.kept(what, lambda: _statement_counted(asks, scope, children)))
    out = []
    for ind, _period in asks:
        if ind.unit == MEAN_DAYS:
            n, total = values.pop(0), values.pop(0) or 0
            out.append(Figure(round(total / n, 1) if n else None, total, n))
            continue
        numerator = values.pop(0)
        if ind.unit == indicators.COUNT:
            out.append(Figure(numerator, numerator, None))
            continue
        denominator = values.pop(0)
        out.append(Figure(round(100 * numerator / denominator, 1) if denominator else None,
                          numerator, denominator))
    return out


# -- Periods, trends and direction -----------------------------------------------------------

def month_end(day: date) -> date:
    """The last day of `day`'s month."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def month_ends(today: date, n: int = 12) -> list[date]:
    """`n` points, oldest first, ending today: the ends of the n-1 months before, then today."""
    days = [today]
    day = today
    for _ in range(n - 1):
        day = day.replace(day=1) - timedelta(days=1)
        days.append(day)
    return days[::-1]


def as_of(day: date) -> Period:
    """The collection year containing `day`, as it stood at the end of `day`."""
    return Period.containing(day)


@dataclass(frozen=True)
class Point:
    day: date
    figure: Figure


@dataclass(frozen=True)
class Headline:
    """An indicator's figure for a scope now, with the one before it to compare."""

    indicator: Indicator
    now: Figure
    before: Figure | None  # at the end of last month
    before_on: date | None = None

    @property
    def change(self) -> float | None:
        if self.before is None or self.now.value is None or self.before.value is None:
            return None
        return round(self.now.value - self.before.value, 1)

    @property
    def direction(self) -> str:
        """"better", "worse", "same", "up", "down" (no better way), or "" (nothing to compare)."""
        change = self.change
        if change is None:
            return ""
        if change == 0:
            return "same"
        better = self.indicator.higher_is_better
        if better is None:
            return "up" if change > 0 else "down"
        return "better" if (change > 0) == better else "worse"


def headlines(inds: list[Indicator], scope: Scope, today: date) -> list[Headline]:
    """Each of `inds` over `scope` as of `today` and at the end of last month: one query."""
    before_on = today.replace(day=1) - timedelta(days=1)
    now, before = as_of(today), as_of(before_on)
    got = figures([(ind, p) for ind in inds for p in (now, before)], scope)
    return [Headline(ind, got[2 * i], got[2 * i + 1], before_on) for i, ind in enumerate(inds)]


def trend(ind: Indicator, scope: Scope, today: date, n: int = 12) -> list[Point]:
    """The indicator over `scope` at each of the last `n` month-ends (the last today)."""
    days = month_ends(today, n)
    return [Point(day, f) for day, f in zip(days, figures([(ind, as_of(d)) for d in days],
                                                            scope))]


# -- What each role sees first, and the journey's stages -----------------------------------------

# Cheap to count, each of them: the measures "within N working days" work out a due date for each
# row in SQL (a case for each day of the year), a second or more at 60,000 children, so they are
# one click away on All indicators rather than on every load of a manager's home page.
HEADLINES = {
    # A team manager: their children's visits and reviews, plans and proceedings.
    "team": ["cp_visits_in_time", "cla_visits_in_time", "cla_reviews_in_time", "cin_cin_31mar",
             "cin_cpp_open_31mar", "cla_31mar", "pre_proceedings_past_16wks"],
    # A service manager: the service's repeat work, visits, stability and court.
    "service": ["cin_rereferrals_12m", "cin_cpp_second_or_subsequent", "cp_visits_in_time",
                "cla_visits_in_time", "stability_short_term_3plus", "pre_proceedings_past_16wks",
                "cin_cpp_open_31mar", "cla_31mar"],
    # The authority (analyst, auditor, director): the journey end to end.
    AUTHORITY: ["cin_referrals", "cin_rereferrals_12m", "cin_cpp_second_or_subsequent",
                "cin_cpp_open_31mar", "cla_31mar", "stability_short_term_3plus",
                "proceedings_within_26wks", "cla_visits_in_time"],
}

# A team's headlines follow what it holds: a figure over children the team never holds is
# "No figure (0 of 0)" for ever (visits to children in care, for a child protection team). A
# scope counts the children its workers hold (Scope.children, TEAM_WORK): the front door,
# fostering and performance teams hold none to count and have no headlines; a service has those
# of its teams' that its own list names. A team of a kind not named here (or a scope built
# without its kinds) has the general "team" list.
TEAM_HEADLINES = {
    Team.Kind.ASSESSMENT: ["cin_referrals", "cin_rereferrals_12m", "cin_s47_started",
                           "cin_cin_31mar"],
    Team.Kind.CHILD_PROTECTION: ["cp_visits_in_time", "cin_cpp_open_31mar",
                                 "cin_cpp_second_or_subsequent", "cin_cin_31mar",
                                 "cin_rereferrals_12m", "pre_proceedings_past_16wks"],
    Team.Kind.CHILDREN_IN_CARE: ["cla_visits_in_time", "cla_reviews_in_time", "cla_31mar",
                                 "stability_short_term_3plus", "reviews_participation",
                                 "missing_children"],
    Team.Kind.EARLY_HELP: ["contacts", "cin_referrals"],
    Team.Kind.DISABLED_CHILDREN: ["cin_cin_31mar", "cin_cpp_open_31mar", "cla_31mar",
                                  "cp_visits_in_time", "cla_visits_in_time"],
    Team.Kind.LEAVING_CARE: ["care_leavers_age19_21_in_touch",
                             "care_leavers_age19_21_suitable_accom", "care_leavers_age19_21_eet"],
    Team.Kind.REVIEWING: ["cla_reviews_in_time", "reviews_participation", "cla_31mar",
                          "cin_cpp_open_31mar"],
    Team.Kind.FRONT_DOOR: [], Team.Kind.FOSTERING: [], Team.Kind.PERFORMANCE: [],
}

STAGES = [
    ("Front door", ["contacts", "contacts_decided_1wd", "cin_referrals", "cin_rereferrals_12m",
                    "cin_referrals_nfa"]),
    ("Assessment and child protection", [
        "cin_assessments_completed", "cin_assessments_within_45wd", "cin_s47_started",
        "cin_icpcs", "cin_icpcs_within_15wd", "cin_cpp_started", "cin_cpp_second_or_subsequent",
        "cin_cpp_open_31mar", "cin_cpp_ended_2yrs_plus", "cp_visits_in_time",
        "cp_first_core_group_10wd", "cin_cin_31mar"]),
    ("Court", ["pre_proceedings_past_16wks", "proceedings_within_26wks",
               "proceedings_duration_days", "directions_on_time"]),
    ("Children in care", [
        "cla_31mar", "cla_started_in_year", "cla_ceased_in_year", "stability_short_term_3plus",
        "stability_long_term_2yrs", "reviews_participation", "cla_reviews_in_time",
        "cla_visits_in_time", "health_assessments", "dental_checks", "immunisations",
        "missing_children", "return_interviews_72h"]),
    ("Permanence and care leavers", [
        "adopted_in_year", "adoption_a1_days_entry_to_placed",
        "adoption_a2_days_authority_to_match", "care_leavers_age19_21_in_touch",
        "care_leavers_age19_21_suitable_accom", "care_leavers_age19_21_eet"]),
]
OTHER_STAGE = "Other measures"


def by_stage() -> list[tuple[str, list[Indicator]]]:
    """Every indicator in the registry under its stage of the journey; any the stages do not
    name (a new indicator) under "Other measures", so none is ever missing from the list."""
    named: set[str] = set()
    out = []
    for stage, ids in STAGES:
        inds = [indicators.REGISTRY[i] for i in ids if i in indicators.REGISTRY]
        named.update(ids)
        if inds:
            out.append((stage, inds))
    rest = [ind for id, ind in indicators.REGISTRY.items() if id not in named]
    if rest:
        out.append((OTHER_STAGE, rest))
    return out


def headline_ids(scope: Scope) -> list[str]:
    """The headline indicators of `scope`: the authority's, or those of what its teams hold
    (TEAM_HEADLINES); none for a team or service that holds no children to count."""
    kind = AUTHORITY if scope.whole else scope.key.split(":")[0]
    ids = HEADLINES[kind]
    if not scope.whole and scope.kinds:
        held = [TEAM_HEADLINES.get(k, HEADLINES["team"]) for k in scope.kinds]
        ids = held[0] if kind == "team" else [i for i in ids if any(i in h for h in held)]
    return [i for i in ids if i in indicators.REGISTRY]


# -- A small chart, drawn on the server ----------------------------------------------------------

@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    line: str  # the polyline's points
    dots: list[tuple[float, float, str]]  # x, y and the label each point carries
    low: str
    high: str
    # Where the drawing sits inside the SVG: left of it the scale, below it the months.
    left: int = 0
    right: int = 0
    top: int = 0
    bottom: int = 0
    months: list[tuple[float, str]] = field(default_factory=list)  # x and label


LABEL_EVERY = 3  # months between the labels under a trend: twelve would run into each other


def chart(points: list[Point], ind: Indicator, *, width: int = 480,
          height: int = 150) -> Chart | None:
    """The points as a line in an SVG of `width` by `height`, its scale from the lowest figure
    to the highest (a percentage from 0 to 100) written on the left, and every third month
    counted back from the last written below; None when no point has a figure."""
    values = [p.figure.value for p in points]
    known = [v for v in values if v is not None]
    if not known:
        return None
    low, high = (0.0, 100.0) if ind.unit == indicators.PERCENT else (
        min(0.0, min(known)), max(known) or 1.0)
    left, right, top, bottom = 50, width - 30, 10, height - 30
    step = (right - left) / max(len(points) - 1, 1)
    coords = []
    for i, (point, value) in enumerate(zip(points, values)):
        if value is None:
            continue
        y = bottom - (value - low) / ((high - low) or 1) * (bottom - top)
        coords.append((round(left + i * step, 1), round(y, 1),
                       f"{point.day:%-d %b %Y}: {value}"))
    last = len(points) - 1
    months = [(round(left + i * step, 1), f"{points[i].day:%b %Y}")
              for i in range(last, -1, -LABEL_EVERY)][::-1]
    unit = "%" if ind.unit == indicators.PERCENT else ""
    return Chart(width, height, " ".join(f"{x},{y}" for x, y, _ in coords), coords,
                 f"{low:g}{unit}", f"{high:g}{unit}", left, right, top, bottom, months)
