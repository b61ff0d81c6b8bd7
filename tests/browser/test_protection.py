"""From strategy discussion to child protection plan in headless Chromium, as the social worker
and the conference chair, checking the child's timescales and chronology move, with axe on
every page."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

import support
from cairn.core.models import Action
from cairn.protection.models import ChildProtectionPlan, CoreGroupMeeting, PlanNeed
from cairn.workforce.models import Allocation

from .walk import safety_plan_words, strategy_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"



def last_weekday():
    """Conferences are not held at weekends; the whole journey happens on one weekday."""
    day = timezone.localdate()
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def fill_date(page, legend, day):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def timescale_row(page, live_server, child, name):
    page.goto(f"{live_server.url}/children/{child.pk}/timescales/")
    return page.get_by_role("row").filter(has_text=name).first


def expect_chronology(page, live_server, child, label, axe):
    page.goto(f"{live_server.url}/children/{child.pk}/chronology/")
    expect(page.get_by_role("cell", name=label, exact=True).first).to_be_visible()
    axe(page)


@pytest.fixture
def maya(social_worker, iro):
    child = support.make_child("Maya", "Okafor")
    support.allocate(child, social_worker)
    support.allocate(child, iro, kind=Allocation.Kind.IRO)
    return child


def test_strategy_discussion_to_child_protection_plan(page, live_server, browser_log_in,
                                                      social_worker, iro, maya, axe):
    day = last_weekday()
    browser_log_in(social_worker)
    page.goto(f"{live_server.url}/children/{maya.pk}/")
    page.get_by_role("link", name="Record a strategy discussion").click()
    axe(page)
    page.get_by_role("button", name="Save strategy discussion").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Enter the date of the strategy discussion")
    axe(page)
    fill_date(page, "Date of the strategy discussion", day)
    strategy_people(page)
    page.get_by_label("Information shared").fill("Bruising seen at school")
    page.get_by_label("Decision").fill("Section 47 enquiry by social care and police")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save strategy discussion").click()

    # The section 47 form comes next, prefilled from the discussion.
    expect(page.get_by_role("heading", name="Start a section 47 enquiry")).to_be_visible()
    group = page.get_by_role("group", name="Date the enquiry started")
    expect(group.get_by_label("Day")).to_have_value(str(day.day))
    axe(page)
    page.get_by_role("button", name="Start enquiry").click()
    expect(page.get_by_text("Section 47 enquiry started").first).to_be_visible()
    axe(page)
    expect(timescale_row(page, live_server, maya, "Initial child protection conference")
           ).to_contain_text(re.compile("Due"))
    axe(page)
    expect_chronology(page, live_server, maya, "Section 47 enquiry started", axe)

    page.goto(f"{live_server.url}/children/{maya.pk}/protection/")
    page.get_by_role("link", name=re.compile("Record the outcome")).click()
    fill_date(page, "Date the enquiry concluded", day)
    page.get_by_label(re.compile("Risk of significant harm")).check()
    axe(page)
    page.get_by_role("button", name="Save outcome").click()
    expect(page.get_by_role("heading", name="Record a safety plan")).to_be_visible()

    # Straight to the conference without the safety plan: refused, in plain English (F37).
    page.goto(f"{live_server.url}/children/{maya.pk}/conferences/initial/new/")
    fill_date(page, "Date of the conference", day)
    page.get_by_label("Child protection plan", exact=True).check()
    page.get_by_label("Category of abuse (if a plan)").select_option("NEG")
    page.get_by_role("button", name="Save conference").click()
    expect(page.get_by_role("alert")).to_contain_text("a safety plan must be recorded before "
                                                      "the initial conference")
    axe(page)
    assert not ChildProtectionPlan.objects.exists()

    page.goto(f"{live_server.url}/children/{maya.pk}/safety-plans/new/")
    fill_date(page, "Date the safety plan was agreed", day)
    page.get_by_label("Safety goal").fill("Maya is safe at home every night")
    page.get_by_label("Arrangements").fill("Grandmother stays overnight; father lives away")
    safety_plan_words(page)
    page.get_by_role("button", name="Save safety plan").click()
    expect(page.get_by_text("Safety plan recorded")).to_be_visible()
    axe(page)
    expect_chronology(page, live_server, maya, "Safety plan made", axe)

    # The conference chair records the conference and the plan's needs.
    browser_log_in(iro)
    page.goto(f"{live_server.url}/children/{maya.pk}/")
    page.get_by_role("link", name="Record an initial child protection conference").click()
    fill_date(page, "Date of the conference", day)
    page.get_by_label("Child protection plan", exact=True).check()
    page.get_by_label("Category of abuse (if a plan)").select_option("NEG")
    axe(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "initial_conference.png"), full_page=True)
    page.get_by_role("button", name="Save conference").click()
    expect(page.get_by_role("heading", name=re.compile("Child protection plan from"))
           ).to_be_visible()
    expect(page.get_by_text("No needs recorded yet")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Add a need").click()
    page.get_by_role("button", name="Save need").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the outcome")
    axe(page)
    page.get_by_label("Need", exact=True).fill("Safe care at night")
    page.get_by_label("Outcome").fill("Maya sleeps safely at home every night")
    page.get_by_label("Action", exact=True).fill("Grandmother stays; unannounced visits")
    page.get_by_label("Member of staff responsible").select_option(
        label=f"{social_worker}, {social_worker.team}")
    page.get_by_label("Who is responsible").fill("Grandmother")
    fill_date(page, "Date the action is due", day + timedelta(days=28))
    page.get_by_role("button", name="Save need").click()
    expect(page.get_by_role("cell", name="Safe care at night")).to_be_visible()
    expect(page.get_by_text(f"{social_worker} and Grandmother")).to_be_visible()
    axe(page)
    plan = ChildProtectionPlan.objects.get()
    assert plan.initial_category_of_abuse == "NEG" and plan.conference.chaired_by == iro
    assert PlanNeed.objects.get().protection_plan == plan
    assert Action.objects.get().owner == social_worker
    expect(timescale_row(page, live_server, maya, "Initial child protection conference")
           ).to_contain_text("Met")
    expect(timescale_row(page, live_server, maya, "First core group meeting")
           ).to_contain_text(re.compile("Due"))
    expect(timescale_row(page, live_server, maya, "Review child protection conference")
           ).to_contain_text(re.compile("Due"))
    axe(page)

    # The social worker holds the first core group.
    browser_log_in(social_worker)
    page.goto(f"{live_server.url}/children/{maya.pk}/protection-plans/{plan.pk}/")
    page.get_by_role("link", name="Record a core group meeting").click()
    fill_date(page, "Date of the core group meeting", day)
    page.get_by_label("Who attended").fill("Mother, grandmother, school, health visitor")
    axe(page)
    page.get_by_role("button", name="Save meeting").click()
    expect(page.get_by_text("Core group meeting recorded")).to_be_visible()
    assert CoreGroupMeeting.objects.get().plan == plan
    expect(timescale_row(page, live_server, maya, "First core group meeting")
           ).to_contain_text("Met")
    expect(timescale_row(page, live_server, maya, "Review child protection conference")
           ).to_contain_text(re.compile("Due"))
    axe(page)
    expect_chronology(page, live_server, maya, "Core group meeting held", axe)
    expect_chronology(page, live_server, maya, "Child protection plan started", axe)
