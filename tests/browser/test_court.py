"""From a child protection plan to care proceedings in headless Chromium, as the team manager
and the social worker, ending on the legal tracker, with axe on every page."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

import support
from cairn.legal import selectors, services
from cairn.legal.models import CareProceedings, CourtDirection, LegalOrder, PreProceedings

from .walk import fill_date, on_a_protection_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"

TODAY = timezone.localdate()


@pytest.fixture
def leo(social_worker):
    """A child on a child protection plan for neglect since about six months ago."""
    return on_a_protection_plan(social_worker)


def test_cp_plan_to_care_proceedings(page, live_server, browser_log_in, social_worker,
                                     team_manager, leo, axe):
    plo_start = TODAY - timedelta(weeks=17)
    issued = TODAY - timedelta(weeks=3)
    interim_on = issued + timedelta(days=1)

    browser_log_in(team_manager)
    page.goto(f"{live_server.url}/children/{leo.pk}/")
    page.get_by_role("link", name="Start pre-proceedings").click()
    axe(page)
    page.get_by_role("button", name="Start pre-proceedings").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the date pre-proceedings started")
    axe(page)
    fill_date(page, "Date of the legal gateway decision", plo_start)
    page.get_by_role("button", name="Start pre-proceedings").click()
    expect(page.get_by_text("Pre-proceedings started").first).to_be_visible()
    expect(page.get_by_text("Past 16 weeks")).to_be_visible()  # F21
    axe(page)

    page.get_by_role("link", name="Record the letter").click()
    fill_date(page, "Date the letter before proceedings was sent", plo_start - timedelta(days=1))
    page.get_by_role("button", name="Save letter").click()
    expect(page.get_by_role("alert")).to_contain_text("cannot be sent before pre-proceedings")
    axe(page)
    fill_date(page, "Date the letter before proceedings was sent", plo_start + timedelta(days=2))
    page.get_by_role("button", name="Save letter").click()
    expect(page.get_by_text("Letter before proceedings recorded")).to_be_visible()

    page.get_by_role("link", name="Record a review").click()
    fill_date(page, "Date of the review", TODAY - timedelta(weeks=4))
    page.get_by_label("Who attended").fill("Mother, Ms Khan (solicitor), team manager")
    page.get_by_label("Progress against the plan").fill("Home conditions have not improved")
    page.get_by_label("Issue proceedings").check()
    axe(page)
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_text("Pre-proceedings review recorded")).to_be_visible()
    # The review point the rule set (6 weeks from the gateway decision), met late, and the
    # next one (4 weeks on from the review).
    points = page.get_by_role("table", name="Review points")
    expect(points).to_contain_text(f"{plo_start + timedelta(weeks=6):%-d %b %Y} Late")
    expect(points).to_contain_text("Mother, Ms Khan (solicitor), team manager")
    expect(points).to_contain_text(f"{TODAY:%-d %b %Y} Due soon")
    axe(page)
    assert PreProceedings.objects.get().letter_before_proceedings_on is not None

    browser_log_in(social_worker)
    page.goto(f"{live_server.url}/children/{leo.pk}/legal/")
    page.get_by_role("link", name="Record care proceedings issued").click()
    fill_date(page, "Date the application was issued", issued)
    page.get_by_label("Court", exact=True).fill("Family Court at Leeds")
    page.get_by_label("Case number").fill("LS26C00123")
    page.get_by_label("Care order", exact=True).check()
    expect(page.get_by_label("Yes")).to_be_checked()  # prefilled: follows the pre-proceedings
    axe(page)
    page.get_by_role("button", name="Save proceedings").click()
    expect(page.get_by_text("Care proceedings recorded")).to_be_visible()
    expect(page.get_by_text("3 of 26")).to_be_visible()
    axe(page)

    # The interim care order made at the first hearing is recorded with it, and is the legal
    # status in the banner from then on.
    page.get_by_role("link", name="Record a hearing").click()
    fill_date(page, "Date of the hearing", issued + timedelta(days=1))
    page.get_by_label("Interim care order hearing", exact=True).check()
    expect(page.get_by_label("No order made")).to_be_checked()
    page.get_by_label("Interim care order", exact=True).check()
    fill_date(page, "Date the order runs to (if the court set one)", issued)
    page.get_by_role("button", name="Save hearing").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The order cannot run to a date before the hearing that made it")
    expect(page.get_by_label("Interim care order", exact=True)).to_be_checked()
    axe(page)
    for part in ("Day", "Month", "Year"):
        page.get_by_role("group", name="Date the order runs to").get_by_label(part).fill("")
    page.get_by_role("button", name="Save hearing").click()
    expect(page.get_by_text("Hearing recorded")).to_be_visible()
    expect(page.locator(".cairn-banner")).to_contain_text(
        f"Interim care order from {interim_on.day} {interim_on:%b %Y} (Family Court at Leeds)")
    expect(page.locator(".govuk-summary-card .govuk-summary-list__value").filter(
        has_text=f"Interim care order from {interim_on:%-d %b %Y}")).to_contain_text("In force")
    axe(page)
    assert LegalOrder.objects.get().hearing.kind == "ICO"

    page.get_by_role("link", name="Record a hearing").click()
    fill_date(page, "Date of the hearing", issued + timedelta(days=7))
    page.get_by_label("Case management hearing", exact=True).check()
    page.get_by_label("A direction the court made").fill("File the parenting assessment")
    expect(page.get_by_label("Member of staff responsible")).to_have_value(str(social_worker.pk))
    page.get_by_label("Who else must comply").fill("Local authority")
    page.get_by_role("button", name="Save hearing").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the date the direction is due")
    axe(page)
    fill_date(page, "Date the direction is due", TODAY - timedelta(days=1))
    page.get_by_role("button", name="Save hearing").click()
    expect(page.get_by_text("Hearing recorded")).to_be_visible()
    expect(page.get_by_role("cell", name=f"File the parenting assessment ({social_worker}, "
                                          "Local authority)")).to_be_visible()
    expect(page.get_by_role("cell", name="Overdue Record compliance")).to_be_visible()
    axe(page)
    assert CourtDirection.objects.get().hearing.proceedings == CareProceedings.objects.get()

    page.get_by_role("link", name="Record an extension").click()
    fill_date(page, "Date the court granted the extension", TODAY)
    page.get_by_label("8 weeks").check()
    page.get_by_label("The court's reason").fill("Awaiting an expert psychological report")
    axe(page)
    page.get_by_role("button", name="Save extension").click()
    expect(page.get_by_text("Extension recorded")).to_be_visible()
    due = selectors.proceedings_due(CareProceedings.objects.get()).due_on
    assert due == issued + timedelta(weeks=34)
    expect(page.get_by_text(f"3 of 34 weeks; due to conclude by {due:%-d %B %Y}")).to_be_visible()
    original = issued + timedelta(weeks=26)
    expect(page.get_by_text(f"{original:%-d %B %Y} (26 weeks from issue); extended to "
                            f"{due:%-d %B %Y}")).to_be_visible()
    expect(page.get_by_text("8 weeks, granted")).to_contain_text(
        "Awaiting an expert psychological report")
    axe(page)

    # The direction is on the worker's own list.
    page.goto(live_server.url + "/")
    mine = page.locator("table").filter(has_text="File the parenting assessment")
    expect(page.get_by_role("heading", name="Court directions you are responsible for (1)")
           ).to_be_visible()
    expect(mine).to_contain_text("Overdue")
    axe(page)
    # Met the day after it was due: met late by 1 day.
    mine.get_by_role("link", name="Record compliance").click()
    page.get_by_label("Yes").check()
    fill_date(page, "Date it was met", TODAY + timedelta(days=1))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_be_visible()
    fill_date(page, "Date it was met", TODAY)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Met late by 1 day")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Timescales", exact=True).click()
    expect(page.get_by_role("row").filter(has_text="Care proceedings concluded")
           ).to_contain_text(f"{due:%-d %b %Y}")
    expect(page.get_by_role("row").filter(has_text="Pre-proceedings concluded")
           ).to_contain_text("Overdue")
    axe(page)
    page.get_by_role("link", name="Chronology", exact=True).click()
    for label in ("Pre-proceedings started", "Pre-proceedings review", "Care proceedings issued",
                  "Court hearing", "Care proceedings extended"):
        expect(page.get_by_role("cell", name=label, exact=True).first).to_be_visible()
    axe(page)

    browser_log_in(team_manager)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Legal tracker").click()
    expect(page.get_by_role("heading", name="Legal tracker")).to_be_visible()
    proceedings_row = page.get_by_role("row").filter(has_text="Care proceedings")
    expect(proceedings_row).to_contain_text("3 of 34 weeks")  # 26 plus the extension
    expect(proceedings_row).to_contain_text("Leo Hart")
    expect(proceedings_row).to_contain_text(f"Original target {original:%-d %b %Y}")
    plo_row = page.get_by_role("row").filter(has_text="Pre-proceedings")
    expect(plo_row).to_contain_text("Past 16 weeks")
    expect(plo_row).to_contain_text(f"{TODAY - timedelta(weeks=4):%-d %b %Y}: Issue proceedings")
    axe(page)
    # Finding children: only those past the expected time, then by stage and name.
    page.get_by_label("Only those past the expected time").check()
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", name="1 child found")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Care proceedings")).to_have_count(0)
    page.get_by_label("Only those past the expected time").uncheck()
    page.get_by_label("Stage").select_option("Care proceedings")
    page.get_by_label("Child's name").fill("hart")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("row").filter(has_text="Care proceedings")).to_contain_text("Leo Hart")
    expect(page.get_by_role("row").filter(has_text="Pre-proceedings")).to_have_count(0)
    axe(page)
    page.get_by_role("link", name="Clear the filters").click()
    page.get_by_role("link", name="Court directions met on time").click()
    expect(page.get_by_text("0% met on time: 0 of 1")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="File the parenting assessment")
           ).to_contain_text("Met late by 1 day")
    axe(page)
    page.get_by_role("link", name="Back").click()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "legal_tracker.png"), full_page=True)


def test_a_final_care_order_closes_pre_proceedings_and_asks_about_the_plan(
        page, live_server, browser_log_in, social_worker, leo, axe):
    plo = services.pre_proceedings_start(child=leo, started_on=TODAY - timedelta(weeks=40),
                                         by=social_worker)
    services.care_proceedings_issue(child=leo, issued_on=TODAY - timedelta(weeks=25),
                                    court="Family Court at Leeds", application="care",
                                    pre_proceedings=plo, by=social_worker)
    browser_log_in(social_worker)
    page.goto(f"{live_server.url}/children/{leo.pk}/legal/")
    page.get_by_role("link", name="Record the final order").click()
    fill_date(page, "Date the proceedings concluded", TODAY)
    page.get_by_label("Final order").select_option("CO")
    page.get_by_role("button", name="Save final order").click()
    expect(page.get_by_text("Proceedings concluded")).to_be_visible()
    # Pre-proceedings left open end with the proceedings' issue; the open plan is a question.
    expect(page.locator(".govuk-summary-card").filter(has_text="Pre-proceedings from")
           ).to_contain_text("Care proceedings issued")
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "is still open, but Leo is in care under a care order")
    axe(page)
    page.get_by_role("link", name="End the child protection plan").click()
    expect(page).to_have_url(f"{live_server.url}/children/{leo.pk}/protection-plans/"
                             f"{leo.protection_plans.get().pk}/end/")
    axe(page)


def test_a_service_manager_sees_the_whole_authority_on_the_tracker(
        page, live_server, browser_log_in, social_worker, service_manager, stranger, leo, axe):
    services.pre_proceedings_start(child=leo, started_on=TODAY - timedelta(weeks=3),
                                   by=social_worker)
    far = support_child_of(stranger)
    services.pre_proceedings_start(child=far, started_on=TODAY - timedelta(weeks=2),
                                   by=stranger)
    browser_log_in(service_manager)
    page.goto(f"{live_server.url}/legal/")
    expect(page.get_by_role("table")).to_contain_text("Leo Hart")
    expect(page.get_by_role("table")).not_to_contain_text("Fay Stone")
    page.get_by_role("link", name="The whole authority").click()
    expect(page.get_by_role("table")).to_contain_text("Fay Stone")
    expect(page.get_by_role("row").filter(has_text="Fay Stone")).to_contain_text(
        "Outside your teams")
    axe(page)
    page.get_by_role("link", name="Court directions met on time").click()
    expect(page.get_by_text("No court directions fell due")).to_be_visible()
    axe(page)


def support_child_of(worker):
    child = support.make_child("Fay", "Stone")
    support.allocate(child, worker, started_on=TODAY - timedelta(days=100))
    return child
