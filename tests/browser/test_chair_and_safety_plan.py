"""Issue 12's child protection lines in headless Chromium, with axe on every page: the
strategy discussion with who took part, the safety plan on the summary and printed, a
conference chair outside the child's caseload asked, opening and recording the conference,
and the manager's list of initial conferences held late."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

import support
from cairn.protection import services
from cairn.protection.models import ChildProtectionConference, ConferenceBooking

from .walk import fill_date, last_weekday, safety_plan_words, strategy_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_discussion_safety_plan_chair_and_late_list(page, live_server, browser_log_in,
                                                     social_worker, team_manager, iro, child,
                                                     axe):
    day = last_weekday()
    browser_log_in(social_worker)
    page.goto(f"{live_server.url}/children/{child.pk}/strategy-discussions/new/")
    fill_date(page, "Date of the strategy discussion", day)
    strategy_people(page)
    page.get_by_role("button", name="Add another person").click()
    fourth = page.get_by_role("group", name="Person 4", exact=True)
    fourth.get_by_label("Agency").select_option("other")
    fourth.get_by_label("Name").fill("Lee Grant")
    page.get_by_label("Information shared").fill("Police: two call-outs in May")
    page.get_by_label("Decision").fill("Joint section 47 enquiry")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save strategy discussion").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the agency person 4 attended for")
    axe(page)
    page.get_by_role("group", name="Person 4", exact=True).get_by_label(
        "Role or organisation").fill("Riverside Housing")
    page.get_by_role("button", name="Save strategy discussion").click()
    page.get_by_role("button", name="Start enquiry").click()
    expect(page.get_by_text("Section 47 enquiry started").first).to_be_visible()
    page.goto(f"{live_server.url}/children/{child.pk}/protection/")
    expect(page.get_by_role("heading", name=re.compile(r"Strategy discussion, .* at 00:00"))
           ).to_be_visible()
    expect(page.get_by_text("Riverside Housing: Lee Grant")).to_be_visible()
    axe(page)
    page.get_by_role("link", name=re.compile("Record the outcome")).click()
    fill_date(page, "Date the enquiry concluded", day)
    page.get_by_label(re.compile("Risk of significant harm")).check()
    page.get_by_role("button", name="Save outcome").click()
    fill_date(page, "Date the safety plan was agreed", day)
    page.get_by_label("Safety goal").fill("Alex is safe at home every night")
    page.get_by_label("Arrangements").fill("Grandmother stays overnight")
    safety_plan_words(page)
    axe(page)
    page.get_by_role("button", name="Save safety plan").click()
    expect(page.get_by_text("Safety plan recorded")).to_be_visible()

    # On the summary while in force, and printed on a page of its own.
    page.goto(f"{live_server.url}/children/{child.pk}/")
    section = page.locator("#safety-plan-in-force")
    expect(section).to_contain_text("I feel safe when Nan is here")
    axe(page)
    section.get_by_role("link", name=re.compile("View and print the safety plan")).click()
    expect(page.get_by_role("heading", name=f"Safety plan for {child.full_name}")).to_be_visible()
    expect(page.get_by_role("button", name="Print this safety plan")).to_be_visible()
    axe(page)

    # A chair from the reviewing team, who does not hold the child, is asked.
    page.goto(f"{live_server.url}/children/{child.pk}/protection/")
    page.get_by_role("link", name="Ask a chair to chair a conference").click()
    page.get_by_label(re.compile("Initial conference after the section 47 enquiry")).check()
    page.get_by_label("Chair", exact=True).select_option(label=str(iro))
    on = day + timedelta(days=7)
    fill_date(page, "Date of the conference", on)
    axe(page)
    page.get_by_role("button", name="Book conference").click()
    expect(page.get_by_text("Conference booked with the chair")).to_be_visible()
    expect(page.locator("#conference-bookings")).to_contain_text(f"chaired by {iro}")
    axe(page)

    browser_log_in(iro)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Conferences you are asked to chair")).to_be_visible()
    axe(page)
    page.get_by_role("link", name=re.compile("Record the conference")).click()
    fill_date(page, "Date of the conference", day)
    page.get_by_label("No plan: child in need support").check()
    page.get_by_role("button", name="Save conference").click()
    expect(page.get_by_text("Initial child protection conference recorded")).to_be_visible()
    conference = ChildProtectionConference.objects.get()
    assert conference.chaired_by == iro
    assert ConferenceBooking.objects.get().conference == conference

    # The manager's list: a late conference, with the reason given.
    late = support.make_child("Bea", "Late")
    support.allocate(late, social_worker)
    start = day - timedelta(days=60)
    while start.weekday() >= 5:
        start -= timedelta(days=1)
    discussion = services.strategy_discussion_record(
        child=late, held_on=start, agencies_present="Police", decision="s47", s47_agreed=True,
        by=social_worker)
    enquiry = services.section47_enquiry_start(strategy_discussion=discussion, started_on=start,
                                               by=social_worker)
    services.section47_enquiry_complete(enquiry=enquiry, completed_on=start, outcome="icpc",
                                        by=social_worker)
    services.safety_plan_record(child=late, made_on=start, safety_goal="Safe",
                                arrangements="Gran", agreed_by="Mother", childs_words="Fine",
                                if_breaks_down="Call us", by=social_worker)
    services.conference_record(kind="initial", section47=enquiry, held_on=day,
                               outcome="no_plan", reason_late="The medical report was late",
                               by=social_worker)
    browser_log_in(team_manager)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Initial conferences held late").click()
    expect(page.get_by_role("row").filter(has_text="Bea Late")).to_contain_text(
        "The medical report was late")
    axe(page)
