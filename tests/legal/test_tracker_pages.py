"""Issue 13: the legal tracker a page at a time. A service manager's line and the authority can
hold hundreds of children in legal work, so the tracker counts and orders them in SQL, shows
one page, and finds them by stage, name and being past the limit; its count of those past the
limit agrees with the timescale engine's, extensions included."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.legal import selectors, services
from cairn.people.models import Child
from cairn.workforce.models import Allocation
from support import client_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def weeks_ago(n: int) -> date:
    return TODAY - timedelta(weeks=n)


@pytest.fixture
def caseload(team, social_worker, team_manager):
    """Five children of the team in legal work, longest running first: two in pre-proceedings
    (one past its 16 weeks), three in proceedings (one past 26 weeks, one past 26 but within an
    extension of 8, one early)."""
    def child(given, family):
        kid = Child.objects.create(given_name=given, family_name=family,
                                   la_child_id=f"L{given}", birth_date=date(2015, 1, 1))
        Allocation.objects.create(child=kid, worker=social_worker, team=team,
                                  started_on=date(2025, 1, 1))
        return kid

    def issue(kid, weeks):
        return services.care_proceedings_issue(child=kid, issued_on=weeks_ago(weeks),
                                               court="Family Court at Leeds",
                                               application="care", by=social_worker)

    issue(child("Pia", "Oak"), 30)
    extended = issue(child("Ned", "Ash"), 29)
    services.proceedings_extension_grant(proceedings=extended, granted_on=weeks_ago(2),
                                         weeks=8, reason="Expert report delayed",
                                         by=social_worker)
    services.pre_proceedings_start(child=child("Eve", "Elm"), started_on=weeks_ago(20),
                                   by=team_manager)
    issue(child("Rob", "Yew"), 5)
    services.pre_proceedings_start(child=child("Kit", "Fir"), started_on=weeks_ago(3),
                                   by=team_manager)


def everyone(viewer, **filters) -> list:
    """Every row on every page, in order."""
    rows, page = [], 1
    while True:
        tracker = selectors.legal_tracker(viewer=viewer, page=page, **filters)
        rows += tracker.rows
        if page >= tracker.pages:
            return rows
        page += 1


def test_pages_keep_the_order_and_the_totals_cover_every_page(
        monkeypatch, caseload, team_manager):
    monkeypatch.setattr(selectors, "TRACKER_PAGE", 2)
    first = selectors.legal_tracker(viewer=team_manager)
    assert (first.total, first.pages, first.page) == (5, 3, 1)
    assert [r.child.given_name for r in first.rows] == ["Pia", "Ned"]
    rows = everyone(team_manager)
    assert [r.child.given_name for r in rows] == ["Pia", "Ned", "Eve", "Rob", "Kit"]
    # Past the limit, as the engine judges each row (the extension moves Ned's on 8 weeks),
    # and as SQL counts across every page.
    assert [r.child.given_name for r in rows if r.past_limit] == ["Pia", "Eve"]
    assert first.past_limit == 2
    last = selectors.legal_tracker(viewer=team_manager, page=3)
    assert [r.child.given_name for r in last.rows] == ["Kit"]
    assert (last.first, last.last) == (5, 5)
    # A page past the end (the list shrank since the link was made) shows the first.
    assert selectors.legal_tracker(viewer=team_manager, page=9).page == 1


def test_filters_by_stage_name_and_past_the_limit(caseload, team_manager):
    proceedings = selectors.legal_tracker(viewer=team_manager, stage=selectors.PROCEEDINGS)
    assert [r.child.given_name for r in proceedings.rows] == ["Pia", "Ned", "Rob"]
    assert {r.stage for r in proceedings.rows} == {"Care proceedings"}
    plo = selectors.legal_tracker(viewer=team_manager, stage=selectors.PRE_PROCEEDINGS)
    assert [r.child.given_name for r in plo.rows] == ["Eve", "Kit"]
    assert plo.past_limit == 1
    past = selectors.legal_tracker(viewer=team_manager, past_only=True)
    assert [r.child.given_name for r in past.rows] == ["Pia", "Eve"]
    assert all(r.past_limit for r in past.rows) and past.total == past.past_limit == 2
    named = selectors.legal_tracker(viewer=team_manager, name="yew rob")
    assert [r.child.given_name for r in named.rows] == ["Rob"]
    assert selectors.legal_tracker(viewer=team_manager, name="Nobody").total == 0


def test_the_page_says_how_many_and_links_to_the_next_page_with_the_filters(
        monkeypatch, caseload, team_manager):
    monkeypatch.setattr(selectors, "TRACKER_PAGE", 2)
    c = client_for(team_manager)
    page = c.get(reverse("legal_tracker")).content.decode()
    assert "5 children: showing 1 to 2" in page
    assert "2 children past the expected time" in page
    assert "Page 1 of 3" in page and 'href="?page=2" rel="next"' in page
    found = c.get(reverse("legal_tracker"), {"stage": "proceedings", "page": "2"})
    html = found.content.decode()
    assert [r.child.given_name for r in found.context["rows"]] == ["Rob"]
    assert "3 children found: showing 3 to 3" in html
    assert 'href="?stage=proceedings&amp;page=1" rel="prev"' in html
    assert "Clear the filters" in html
    # Nonsense in the address is no error: the first page, every stage.
    odd = c.get(reverse("legal_tracker"), {"stage": "appeal", "page": "last"})
    assert odd.status_code == 200 and odd.context["tracker"].total == 5
    none = c.get(reverse("legal_tracker"), {"name": "Nobody"}).content.decode()
    assert "in pre-proceedings or care proceedings match what you chose" in none
