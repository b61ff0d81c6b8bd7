"""Indicators for a team, a service or the authority (insight.dashboard): on a synthetic
authority every indicator's lists add up to its figure, in every scope, with restricted children
counted but not listed; the pages, the home page's headlines, the filters and the export."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

import support
from cairn.access import policy
from cairn.care.models import LegalStatus
from cairn.insight import dashboard, indicators, selectors
from cairn.insight.indicators import MEAN_DAYS, Period
from cairn.insight.templatetags.insight_tags import counted, on_the_day
from cairn.people.models import Child
from cairn.synth.builder import Builder
from cairn.workforce.models import Allocation, Role, Service, Team

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 20)
YEAR = Period(2026)  # the last whole collection year of the synthetic authority
NOW = Period.containing(AS_OF)


@pytest.fixture(scope="module")
def authority(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction rolled back after it (each test's own
    transaction is a savepoint inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        support.seed_rows()  # an earlier test's flush may have emptied them
        yield _build()
        transaction.set_rollback(True)


def _build() -> dict:
    Builder(children=250, seed=7, years=5, as_of=AS_OF, progress=False).build()
    # The child protection team with most children allocated today: a team's figures are then
    # not all zero.
    team_id = (Allocation.objects.current().filter(kind__in=dashboard.TEAM_WORK,
                                                   team__kind=Team.Kind.CHILD_PROTECTION)
               .active_on(timezone.localdate()).values("team_id").annotate(n=Count("pk"))
               .order_by("-n").values_list("team_id", flat=True).first())
    team = Team.objects.get(pk=team_id)
    # Restrict a few children of the team (and so of the authority).
    restricted = list(Child.objects.filter(pk__in=dashboard.Scope(
        f"team:{team.pk}", team.name, (team.pk,)).children()).order_by("pk")[:5])
    Child.objects.filter(pk__in=[c.pk for c in restricted]).update(restricted=True)
    manager = support.make_staff("dash_tm", Role.TEAM_MANAGER, team)
    team.manager = manager
    team.save(update_fields=["manager"])
    analyst = support.make_staff("dash_analyst", Role.PERFORMANCE_ANALYST)
    director = support.make_staff("dash_director", Role.DIRECTOR)
    return {"team": team, "manager": manager, "analyst": analyst, "director": director,
            "restricted": restricted}


def _sides(ind, rows):
    if ind.unit == MEAN_DAYS:
        return [(rows.denominator, "denominator")]
    return [(rows.numerator, "numerator")] + (
        [(rows.denominator, "denominator")] if rows.denominator is not None else [])


def test_every_indicator_lists_as_many_as_its_figure_in_every_scope(authority):
    team = authority["team"]
    team_scope = dashboard.scope_for(authority["manager"], f"team:{team.pk}")
    scopes = [dashboard.WHOLE, team_scope]
    nonzero, wrong = set(), []
    for period in (YEAR, NOW):
        asks = [(ind, period) for ind in indicators.REGISTRY.values()]
        for scope in scopes:
            got = dashboard.figures(asks, scope)
            for (ind, _), figure in zip(asks, got):
                if scope.whole:  # the authority's figure is the indicator's own
                    own = indicators.figure(ind.id, period)
                    if own != figure:
                        wrong.append(f"{ind.id} {period}: {figure} against {own}")
                rows = dashboard.scoped(ind, period, scope)
                for viewer in (authority["analyst"], authority["manager"]):
                    for side_rows, side in _sides(ind, rows):
                        shown, hidden = selectors.behind(viewer, side_rows)
                        want = figure.numerator if side == "numerator" and \
                            ind.unit != MEAN_DAYS else figure.denominator
                        listed = shown.count() + hidden.count()
                        if listed != want:
                            wrong.append(f"{ind.id} {scope.key} {period} {side} as "
                                         f"{viewer.role}: {listed} listed, figure {want}")
                if figure.numerator or figure.denominator:
                    nonzero.add((ind.id, scope.whole))
    assert not wrong, "\n".join(wrong)
    # Not vacuous: most indicators have rows for the authority, several for the team.
    assert len({i for i, whole in nonzero if whole}) >= 30
    assert len({i for i, whole in nonzero if not whole}) >= 8


def test_restricted_children_are_counted_but_listed_only_to_those_who_may_see_them(authority):
    team, manager = authority["team"], authority["manager"]
    scope = dashboard.scope_for(manager, f"team:{team.pk}")
    ind = indicators.get("cin_cin_31mar")
    rows = dashboard.scoped(ind, NOW, scope)
    # Those the fixture restricted, and any the synthetic authority restricted itself.
    restricted = set(Child.objects.filter(restricted=True).values_list("pk", flat=True))
    in_list = set(rows.numerator.values_list("pk", flat=True))
    assert restricted & in_list, "the team's restricted children are children in need"
    shown, hidden = selectors.behind(manager, rows.numerator)
    assert set(hidden.values_list("pk", flat=True)) == restricted & in_list
    assert not restricted & set(shown.values_list("pk", flat=True))
    # The page says so, and never names them.
    response = support.client_for(manager).get(
        reverse("indicator_children", args=[ind.id]) + f"?scope=team:{team.pk}")
    html = response.content.decode()
    hidden_n = len(restricted & in_list)
    assert response.context["total"] == len(in_list)
    assert response.context["hidden"] == hidden_n
    assert f"{hidden_n} restricted record" in html
    for child in authority["restricted"]:  # (another child may share a family name)
        assert child.full_name not in html and child.la_child_id not in html


def test_a_manager_counts_over_their_team_and_no_other(authority):
    manager, team = authority["manager"], authority["team"]
    assert dashboard.home_scope(manager).key == f"team:{team.pk}"
    other = Team.objects.exclude(pk=team.pk).exclude(service=team.service).first() or \
        Team.objects.exclude(pk=team.pk).first()
    client = support.client_for(manager)
    assert client.get(reverse("indicators") + f"?scope=team:{other.pk}").status_code == 404
    assert client.get(reverse("indicators") + "?scope=authority").status_code == 404
    assert client.get(reverse("indicators")).status_code == 200
    # A social worker oversees no team: no dashboards.
    worker = support.make_staff("dash_sw", Role.SOCIAL_WORKER, team)
    assert support.client_for(worker).get(reverse("indicators")).status_code == 403
    assert dashboard.home_scope(worker) is None


def test_a_service_manager_counts_over_their_service(authority):
    service = authority["team"].service
    sm = support.make_staff("dash_sm", Role.SERVICE_MANAGER, authority["team"])
    service.manager = sm
    service.save(update_fields=["manager"])
    scope = dashboard.home_scope(sm)
    assert scope.key == f"service:{service.pk}"
    assert set(scope.teams) == set(service.teams.values_list("pk", flat=True))
    keys = {s.key for s in dashboard.scopes_for(sm)}
    assert f"service:{service.pk}" in keys and "authority" not in keys
    other = Service.objects.exclude(pk=service.pk).first()
    if other is not None:
        assert f"service:{other.pk}" not in keys


def test_the_director_sees_the_authority_read_only(authority):
    director = authority["director"]
    assert dashboard.home_scope(director) == dashboard.WHOLE
    client = support.client_for(director)
    html = client.get(reverse("home")).content.decode()
    assert "How the authority is doing" in html
    assert reverse("indicators") in html
    assert policy.allows(director, policy.VIEW) and not policy.allows(director, policy.RECORD)
    # Every indicator on the all-indicators page, under its stage.
    page = client.get(reverse("indicators")).content.decode()
    for ind in indicators.REGISTRY.values():
        assert reverse("indicator", args=[ind.id]) in page


def test_the_home_shows_headlines_with_their_change(authority):
    manager = authority["manager"]
    response = support.client_for(manager).get(reverse("home"))
    board = response.context["dashboard"]
    assert board["scope"].key == f"team:{authority['team'].pk}"
    assert [h.indicator.id for h in board["headlines"]] == dashboard.headline_ids(board["scope"])
    html = response.content.decode()
    assert 'id="headline-indicators"' in html
    for h in board["headlines"]:
        assert on_the_day(h.indicator.name) in html  # counted today: no "at 31 March"


def test_the_indicator_page_has_its_definition_trend_and_table(authority):
    client = support.client_for(authority["analyst"])
    ind = indicators.get("cla_31mar")
    response = client.get(reverse("indicator", args=[ind.id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert ind.definition in html and ind.source in html
    points = response.context["points"]
    assert len(points) == 12
    assert points[-1].figure == indicators.figure(ind.id, dashboard.as_of(points[-1].day))
    assert "<svg" in html and 'id="trend"' in html
    # Four months named under the chart, the last of them this month, so none overlap.
    assert [label for _, label in response.context["chart"].months] == [
        f"{points[i].day:%b %Y}" for i in (2, 5, 8, 11)]
    # A collection year asked for: the year's figure.
    response = client.get(reverse("indicator", args=[ind.id]) + "?period=2026")
    assert response.context["figure"] == indicators.figure(ind.id, Period(2026))
    assert client.get(reverse("indicator", args=["no_such"])).status_code == 404
    assert client.get(reverse("indicator", args=[ind.id]) + "?period=soon").status_code == 404


def test_filters_narrow_the_list_and_its_counts_together(authority):
    client = support.client_for(authority["analyst"])
    ind = indicators.get("cla_31mar")
    url = reverse("indicator_children", args=[ind.id]) + "?period=2026"
    whole = client.get(url).context["total"]
    parts = sum(client.get(url + f"&age={key}").context["total"]
                for key in selectors.AGE_BANDS)
    assert whole and parts == whole  # every child in one age band
    # Each child looked after on the day is in one period of care: one legal status.
    response = client.get(url)
    offered = [value for value, _ in response.context["legal_statuses"]]
    by_status = {code: client.get(url + f"&legal_status={code}").context for code in offered}
    assert sum(c["total"] for c in by_status.values()) == whole
    assert all(c["total"] == c["figure"].numerator for c in by_status.values())
    # Short breaks are not looked-after children in the figures: not offered, and a list asked
    # for one is not narrowed to nothing. The rest are named plainly.
    assert set(offered) == set(LegalStatus.values) - {"V3", "V4"}
    html = response.content.decode()
    assert '<option value="C2">C2 – Full care order</option>' in html
    assert 'value="V3"' not in html and 'value="V4"' not in html
    assert client.get(url + "&legal_status=V3").context["total"] == whole


def test_analysts_export_a_list_as_csv(authority):
    ind = indicators.get("cin_referrals")
    url = reverse("indicator_children_csv", args=[ind.id]) + "?period=2026"
    response = support.client_for(authority["analyst"]).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="cin_referrals-numerator.csv"'
    lines = response.content.decode().strip().splitlines()
    figure = indicators.figure(ind.id, Period(2026))
    hidden = [line for line in lines if "restricted record" in line]
    listed = len(lines) - 1 - len(hidden)
    restricted_rows = ind.rows(Period(2026)).numerator.filter(child__restricted=True).count()
    assert listed == figure.numerator - restricted_rows
    assert bool(hidden) == bool(restricted_rows)
    # Managers read the lists on the page; the export is the analysts'.
    assert support.client_for(authority["manager"]).get(url).status_code == 403


def test_a_number_reads_one_or_many():
    """"The 1 children counted" read wrong on the indicator page: one is singular."""
    plans, children, enquiries, proceedings = (
        indicators.get(i) for i in ("cin_cpp_started", "cla_31mar", "cin_s47_started",
                                    "proceedings_within_26wks"))
    assert counted(1, children) == "1 child" and counted(13, children) == "13 children"
    assert counted(1, plans) == "1 plan" and counted(1_200, plans) == "1,200 plans"
    assert counted(1, enquiries) == "1 section 47 enquiry"
    assert counted(1, proceedings) == "1 proceedings"
