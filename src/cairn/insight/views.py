"""An analyst's lists of children: those with a disability and those who are or were
unaccompanied asylum-seeking children (F22, F31). And the indicators for a team, a service or
the authority: every indicator, one indicator with its trend, the children behind a figure."""

from __future__ import annotations

import csv
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cairn.access import policy
from cairn.care.models import LegalStatus, PlacementType

from . import dashboard, indicators, selectors

PER_PAGE = 50
# What the children lists may be narrowed to, by code and plain name ("C2 – Full care order").
# Short breaks (V3/V4) are left out: the looked-after figures do not count them, so a list
# narrowed to one would always be empty.
LEGAL_STATUSES = [(value, f"{value} – {label}") for value, label in LegalStatus.choices
                  if value not in indicators.SHORT_BREAKS]
PLACEMENTS = [(value, f"{value} – {label}") for value, label in PlacementType.choices]


@login_required
def characteristics(request: HttpRequest) -> HttpResponse:
    """Children with a disability or unaccompanied asylum-seeking status, for those who
    produce the returns (the CIN census counts the first, the SSDA903 the second)."""
    policy.require_role(request.user, policy.RETURNS)
    show = request.GET.get("show", "")
    if show not in selectors.SHOWS:
        show = ""
    children = selectors.characteristics(viewer=request.user, show=show)
    page = Paginator(children, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "insight/characteristics.html", {
        "page": page, "show": show, "shows": selectors.SHOWS.items()})


# -- Indicators --------------------------------------------------------------------------------

def _scope(request: HttpRequest) -> dashboard.Scope:
    policy.require_role(request.user, policy.SEE_TEAMS)
    scope = dashboard.scope_for(request.user, request.GET.get("scope", ""))
    if scope is None:  # a manager with no team yet
        raise Http404("No team or service to count over")
    return scope


def _indicator(indicator_id: str) -> indicators.Indicator:
    try:
        return indicators.get(indicator_id)
    except LookupError:
        raise Http404("No such indicator") from None


def _period(request: HttpRequest, today: date) -> tuple[str, indicators.Period, str]:
    """The period a page asks for (?period=): "" today, "2026" the collection year ending 31
    March 2026, "2026-10-31" as of that date; with what it is called."""
    key = request.GET.get("period", "")
    if key.isdigit() and len(key) == 4:
        year = int(key)
        period = indicators.Period(year, today if date(year, 3, 31) > today else None)
        if period.start > today:
            raise Http404("That year has not begun")
        return key, period, f"Year {year - 1} to {year % 100:02d} (1 April to {period.end:%-d %B %Y})"
    if key:
        try:
            day = date.fromisoformat(key)
        except ValueError:
            raise Http404("No such period") from None
        if day > today:
            raise Http404("That date has not come yet")
        return key, dashboard.as_of(day), f"As of {day:%-d %B %Y}"
    return "", dashboard.as_of(today), f"As of today, {today:%-d %B %Y}"


def _periods(today: date) -> list[tuple[str, str]]:
    """The periods a page offers: today, the last 12 month-ends, the last 3 collection years."""
    out = [("", "Today")]
    out += [(d.isoformat(), f"As of {d:%-d %B %Y}")
            for d in reversed(dashboard.month_ends(today)[:-1])]
    this = dashboard.as_of(today).year
    out += [(str(y), f"Year {y - 1} to {y % 100:02d}") for y in (this, this - 1, this - 2)]
    return out


def _choosing(request, scope, today, period_key) -> dict:
    return {"scope": scope, "scopes": dashboard.scopes_for(request.user),
            "periods": _periods(today), "period_key": period_key}


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    """Every indicator for a team, a service or the authority, by stage of the journey, each
    figure as of today (one query for them all; the comparison with last month is on each
    indicator's page, to keep this one to a single count of each)."""
    scope = _scope(request)
    today = timezone.localdate()
    stages = dashboard.by_stage()
    every = [ind for _, inds in stages for ind in inds]
    found = dict(zip((ind.id for ind in every),
                     dashboard.figures([(ind, dashboard.as_of(today)) for ind in every], scope)))
    return render(request, "insight/indicators.html", {
        **_choosing(request, scope, today, ""),
        "stages": [(stage, [(ind, found[ind.id]) for ind in inds]) for stage, inds in stages]})


@login_required
def indicator(request: HttpRequest, indicator_id: str) -> HttpResponse:
    """One indicator: what it counts and after which publication, its figure for the scope and
    period asked, and its last 12 months as a chart and a table."""
    ind = _indicator(indicator_id)
    scope = _scope(request)
    today = timezone.localdate()
    period_key, period, period_name = _period(request, today)
    points = dashboard.trend(ind, scope, today)
    if period_key:
        figure = dashboard.figures([(ind, period)], scope)[0]
    else:
        figure = points[-1].figure
    before = points[-2].figure if len(points) > 1 else None
    headline = dashboard.Headline(ind, points[-1].figure, before, points[-2].day)
    return render(request, "insight/indicator.html", {
        **_choosing(request, scope, today, period_key),
        "ind": ind, "figure": figure, "period": period, "period_name": period_name,
        "headline": headline, "points": points, "chart": dashboard.chart(points, ind)})


def _filters(request: HttpRequest, scope: dashboard.Scope) -> selectors.Filters:
    worker = request.GET.get("worker", "")
    age = request.GET.get("age", "")
    legal = request.GET.get("legal_status", "")
    placement = request.GET.get("placement", "")
    return selectors.Filters(
        worker=int(worker) if worker.isdigit() and not scope.whole else None,
        age=age if age in selectors.AGE_BANDS else "",
        legal_status=legal if legal in dict(LEGAL_STATUSES) else "",
        placement=placement if placement in PlacementType.values else "")


def _side(request: HttpRequest, ind: indicators.Indicator) -> str:
    side = request.GET.get("side", selectors.NUMERATOR)
    if side not in (selectors.NUMERATOR, selectors.DENOMINATOR):
        raise Http404("No such list")
    if side == selectors.DENOMINATOR and ind.unit == indicators.COUNT:
        raise Http404("A count has no denominator")
    return side


def _listing(request, indicator_id):
    ind = _indicator(indicator_id)
    scope = _scope(request)
    today = timezone.localdate()
    period_key, period, period_name = _period(request, today)
    side = _side(request, ind)
    filters = _filters(request, scope)
    children = selectors.filtered_children(filters, period, scope)
    rows = dashboard.scoped(ind, period, scope, children=children)
    if ind.unit == indicators.MEAN_DAYS:  # a mean's rows are its denominator's, with days
        chosen = rows.denominator
    else:
        chosen = rows.numerator if side == selectors.NUMERATOR else rows.denominator
    shown, hidden = selectors.behind(request.user, chosen)
    return ind, scope, today, period_key, period, period_name, side, filters, children, \
        shown, hidden


@login_required
def indicator_children(request: HttpRequest, indicator_id: str) -> HttpResponse:
    """The children behind one side of a figure, a page at a time, each linking to the child;
    the figure's count on top (restricted records counted, not listed)."""
    (ind, scope, today, period_key, period, period_name, side, filters, children, shown,
     hidden) = _listing(request, indicator_id)
    figure = dashboard.figures([(ind, period)], scope, children=children)[0]
    page = Paginator(shown, PER_PAGE).get_page(request.GET.get("page"))
    total = (figure.denominator if side == selectors.DENOMINATOR
             or ind.unit == indicators.MEAN_DAYS else figure.numerator)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "insight/indicator_children.html", {
        **_choosing(request, scope, today, period_key),
        "ind": ind, "figure": figure, "period_name": period_name, "side": side,
        "filters": filters, "page": page, "total": total,
        "hidden": total - page.paginator.count,
        "rows": [(row, selectors.child_of(row), selectors.describe(row))
                 for row in selectors.with_children(list(page.object_list))],
        "query": query.urlencode(),
        "workers": selectors.workers_in(scope), "ages": selectors.AGE_BANDS.items(),
        "legal_statuses": LEGAL_STATUSES,
        "placements": PLACEMENTS,
        "may_export": policy.allows(request.user, policy.RETURNS)})


@login_required
def indicator_children_csv(request: HttpRequest, indicator_id: str) -> HttpResponse:
    """The same list as a CSV file, for analysts (those who produce the returns)."""
    policy.require_role(request.user, policy.RETURNS)
    (ind, scope, _today, _key, period, _name, side, _filters, _children, shown,
     hidden) = _listing(request, indicator_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ind.id}-{side}.csv"'
    out = csv.writer(response)
    out.writerow(["LA child ID", "Family name", "Given name", "Date of birth", "Record",
                  "Indicator", "List", "Scope", "Period end"])
    for row in shown.iterator(chunk_size=2000):
        child = selectors.child_of(row)
        if child is None:  # a worker
            out.writerow(["", row.last_name, row.first_name, "", selectors.describe(row),
                          ind.id, side, scope.name, period.end])
            continue
        out.writerow([child.la_child_id, child.family_name, child.given_name,
                      child.birth_date.isoformat() if child.birth_date else "",
                      selectors.describe(row), ind.id, side, scope.name, period.end])
    count = hidden.count()
    if count:
        out.writerow([f"{count} restricted record{'s' if count != 1 else ''} not shown"])
    return response
