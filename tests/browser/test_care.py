"""From a child protection plan into care, in headless Chromium: the team manager starts
pre-proceedings, the social worker records the proceedings and the interim care order hearing,
then starts the period of care (C1, prefilled from the hearing), moves the child, visits and
records the review. Axe runs on every page; the chronology and timescales move with each step."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cairn.care.models import CLAReview, LookedAfterEpisode, StatutoryVisit
from cairn.core.working_days import add_working_days

from .walk import Walk, last_weekday, on_a_protection_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()


@pytest.fixture
def leo(social_worker):
    """A child on a child protection plan for neglect since about six months ago."""
    return on_a_protection_plan(social_worker)


def row(page, name: str):
    return page.get_by_role("row").filter(has_text=name)


def test_cp_plan_to_care(page, live_server, social_worker, team_manager, leo, axe):
    walk = Walk(page, live_server.url, axe)
    walk.as_(team_manager)
    walk.pre_proceedings(leo, started_on=last_weekday(140), letter_on=last_weekday(138),
                         reviewed_on=last_weekday(45))
    walk.as_(social_worker)
    issued, hearing = last_weekday(40), last_weekday(38)
    walk.care_proceedings(leo, issued_on=issued, hearing_on=hearing)

    started = hearing
    walk.start_care(leo, on=started, placement_type="U3", provider="PR1",
                    placement_postcode="OX1 1DF", urn="SC123456", home_postcode="OX1 1DB")
    first = LookedAfterEpisode.objects.get(child=leo)
    assert (first.reason_new_episode, first.legal_status, first.placement_type) == (
        "S", "C1", "U3")
    expect(page.get_by_role("cell", name="Interim care order (C1)")).to_be_visible()

    # The timescales moved: the first review is due 20 working days after care started, the
    # first visit within a week of the placement; neither is met yet.
    review_due = add_working_days(started, 20)
    page.get_by_role("link", name="Timescales", exact=True).click()
    expect(row(page, "Looked-after child review").first).to_contain_text(
        f"{review_due:%-d %b %Y}")
    expect(row(page, "Statutory visit to a looked-after child").first).to_contain_text(
        f"{started + timedelta(days=7):%-d %b %Y}")
    expect(row(page, "Looked-after child review").first).to_contain_text("Overdue")
    axe(page)
    page.get_by_role("link", name="Chronology", exact=True).click()
    for label in ("Started to be looked after", "Placement started"):
        expect(page.get_by_role("cell", name=label, exact=True).first).to_be_visible()
    axe(page)

    moved = last_weekday(20)
    walk.change_placement(leo, on=moved, placement_type="U6", provider="PR1",
                          placement_postcode="OX1 1DL", urn="SC654321", reason="CARPL")
    first.refresh_from_db()
    assert (first.ended_on, first.reason_ceased, first.reason_place_change) == (
        moved, "X1", "CARPL")
    assert LookedAfterEpisode.objects.get(child=leo, ended_on__isnull=True).placement_type == "U6"
    visited, reviewed = last_weekday(3), last_weekday(2)
    walk.looked_after_visit(leo, on=visited)
    walk.looked_after_review(leo, on=reviewed)
    assert StatutoryVisit.objects.get(child=leo).seen_alone
    assert CLAReview.objects.get(child=leo).participation == "PN1"
    expect(page.get_by_role("cell", name="Change of placement and carer(s) only (P)")
           ).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Timescales", exact=True).click()
    expect(row(page, "Looked-after child review").last).to_contain_text(
        f"{reviewed:%-d %b %Y}")
    expect(row(page, "Statutory visit to a looked-after child").first).to_contain_text(
        f"{visited + timedelta(weeks=6):%-d %b %Y}")
    axe(page)
    page.get_by_role("link", name="Chronology", exact=True).click()
    for label in ("Looked-after review held", "Statutory visit (looked after)",
                  "Placement started"):
        expect(page.get_by_role("cell", name=label, exact=True).first).to_be_visible()
    axe(page)
