"""The child's record in headless Chromium: the chronology keeps each date on one line on a
narrow screen, the summary groups the work to record by stage, and starting a section 47
enquiry with no strategy discussion agreeing one points to recording the discussion. Axe runs
on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cairn.care import services as care
from cairn.casework import services as people
from cairn.people.models import CaseNote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()


def test_chronology_dates_stay_on_one_line_on_a_narrow_screen(page, live_server, child,
                                                             social_worker, browser_log_in,
                                                             axe):
    people.case_note_add(
        child=child, by=social_worker, kind=CaseNote.Kind.VISIT, occurred_on=TODAY,
        subject="Home visit after the school raised concerns about attendance and meals",
        body="Seen")
    page.set_viewport_size({"width": 360, "height": 800})
    browser_log_in(social_worker)
    page.goto(f"{live_server.url}/children/{child.pk}/chronology/")
    cell = page.locator("main table").first.get_by_role(
        "cell", name=f"{TODAY:%-d %b %Y}", exact=True)
    expect(cell).to_be_visible()
    assert cell.evaluate("c => getComputedStyle(c).whiteSpace") == "nowrap"
    line = cell.evaluate("c => parseFloat(getComputedStyle(c).lineHeight)")
    box = cell.evaluate("c => { const r = document.createRange(); r.selectNodeContents(c);"
                        " return r.getClientRects().length; }")
    assert box == 1, f"the date wraps onto {box} lines (line height {line}px)"
    axe(page)


def test_record_work_is_grouped_by_stage(page, live_server, child, social_worker,
                                         browser_log_in, axe):
    care.episode_start(
        child=child, started_on=TODAY - timedelta(days=30), reason_new_episode="S",
        legal_status="C1", category_of_need="N1", placement_type="U3",
        placement_provider="PR1", home_postcode="OX1 1DB", placement_postcode="OX1 1DF",
        urn="SC123456", by=social_worker)
    browser_log_in(social_worker)
    page.goto(f"{live_server.url}/children/{child.pk}/")
    # What fits the period of care comes first, set apart; the other stages' work follows.
    now = page.locator("#record-work-now")
    expect(now.get_by_role("heading", name="Looked after", level=3, exact=True)).to_be_visible()
    expect(now.get_by_role("link", name="Record a statutory visit")).to_be_visible()
    other = page.locator("#record-work-other")
    for stage in ("Front door and early help", "Referral, assessment and protection", "Court"):
        expect(other.get_by_role("heading", name=stage, level=3, exact=True)).to_be_visible()
    axe(page)


def test_details_banner_and_analyst_list(page, live_server, child, social_worker,
                                         performance_analyst, browser_log_in, axe):
    """A worker records a disability, asylum-seeking status and an interpreter on the child's
    details; the banner and summary show them; an analyst finds the child on their list."""
    browser_log_in(social_worker)
    page.goto(f"{live_server.url}/children/{child.pk}/details/")
    axe(page)
    page.get_by_label("Hearing").check()
    page.get_by_label("Autism or Asperger syndrome").check()
    page.locator("#id_interpreter_needed").check()
    page.locator("#id_uasc_from_0").fill("3")
    page.locator("#id_uasc_from_1").fill("2")
    page.locator("#id_uasc_from_2").fill(str(TODAY.year - 1))
    page.get_by_role("button", name="Save details").click()
    expect(page).to_have_url(f"{live_server.url}/children/{child.pk}/")
    alerts = page.locator(".cairn-alerts")
    expect(alerts).to_contain_text("Disability: Autism or Asperger syndrome, Hearing")
    expect(alerts).to_contain_text("Unaccompanied asylum-seeking child since 3 Feb")
    expect(alerts).to_contain_text("Interpreter needed")
    expect(page.locator(".cairn-banner")).to_contain_text("Nothing overdue")
    axe(page)
    browser_log_in(performance_analyst)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Children with a disability or unaccompanied "
                                  "asylum-seeking status").click()
    row = page.locator("#characteristics tbody tr").filter(has_text=child.full_name)
    expect(row).to_contain_text("Hearing (HEAR)")
    expect(row).to_contain_text("Still")
    axe(page)


def test_s47_start_with_no_agreed_discussion_leads_to_recording_one(page, live_server, child,
                                                                   social_worker,
                                                                   browser_log_in, axe):
    browser_log_in(social_worker)
    page.goto(f"{live_server.url}/children/{child.pk}/")
    page.get_by_role("link", name="Start a section 47 enquiry").click()
    expect(page.get_by_role("heading", name="Start a section 47 enquiry")).to_be_visible()
    expect(page.get_by_text("No strategy discussion has agreed an enquiry")).to_be_visible()
    expect(page.get_by_role("button", name="Start enquiry")).to_have_count(0)
    axe(page)
    page.get_by_role("link", name="Record a strategy discussion").click()
    expect(page.get_by_role("heading", name="Record a strategy discussion")).to_be_visible()
