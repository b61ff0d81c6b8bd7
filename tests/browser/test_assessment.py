"""A referral and a single assessment recorded, returned, resubmitted and authorised, in headless
Chromium as the social worker and the team manager, with axe on every page."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

import support
from cairn.protection.models import Assessment, AssessmentDecision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"
TODAY = timezone.localdate()


@pytest.fixture
def ada(social_worker):
    child = support.make_child("Ada", "Brook", la_child_id="C765432")
    support.allocate(child, social_worker)
    return child


def _fill_date(page, name, day=TODAY):
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def _manager_page(browser, live_server, manager):
    context = browser.new_context()
    page = context.new_page()
    support.log_in_browser(page, live_server.url, manager)
    return page


def test_assessment_from_referral_to_authorisation(page, browser, live_server, social_worker,
                                                   team_manager, ada, browser_log_in, axe):
    browser_log_in(social_worker)
    page.goto(f"{live_server.url}/children/{ada.pk}/")
    axe(page)

    # The referral, straight from the child's record.
    page.get_by_role("link", name="Record a referral").click()
    page.get_by_role("button", name="Save referral").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose who made the referral")
    expect(page).to_have_title(re.compile("^Error: "))
    axe(page)
    _fill_date(page, "received_on")
    page.get_by_label("Who made the referral").select_option("2A")
    page.get_by_label("Abuse or neglect").check()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save referral").click()
    expect(page.get_by_text("Referral recorded")).to_be_visible()
    axe(page)

    # The assessment, started on the referral (already chosen: it is the only open one).
    page.get_by_role("link", name="Start an assessment").click()
    expect(page.get_by_label(re.compile("^Received"))).to_be_checked()
    _fill_date(page, "started_on")
    axe(page)
    page.get_by_role("button", name="Start assessment").click()
    expect(page.get_by_text("Assessment started")).to_be_visible()
    expect(page.locator("#assessment-clock")).to_contain_text("Due")
    axe(page)

    # Submitting without the child's words is refused, and what was typed stays.
    page.get_by_label("What are we worried about?").fill("Nobody gets Ada up for school")
    page.get_by_label("What is working well?").fill("Her nan visits every Sunday")
    page.get_by_label("What needs to happen?").fill("A morning routine with Nan's help")
    page.locator("#id_safety_scale_6").check()
    _fill_date(page, "child_seen_on")
    page.get_by_label("Abuse or neglect: neglect (16A)").check()
    page.get_by_label("Mental health: concerns about the parent or carer (4B)").check()
    page.locator("#id_further_action").check()
    page.get_by_role("button", name="Submit to a manager").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the child's own words")
    expect(page.get_by_label("What are we worried about?")).to_have_value(
        "Nobody gets Ada up for school")
    axe(page)
    page.get_by_label("The child's own words").fill("Mornings are shouty")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "assessment_form.png"), full_page=True)
    page.get_by_role("button", name="Submit to a manager").click()
    expect(page.get_by_text("Assessment submitted to a manager")).to_be_visible()
    axe(page)
    assessment = Assessment.objects.get()

    # The team manager returns it from the tray with a comment.
    manager = _manager_page(browser, live_server, team_manager)
    manager.goto(live_server.url + "/")
    manager.get_by_role("link", name="Authorisations (1)").click()
    expect(manager.get_by_role("cell", name="Ada Brook", exact=True)).to_be_visible()
    axe(manager)
    manager.get_by_role("link", name="Single assessment for Ada Brook").click()
    manager.get_by_label("Return it to the worker").check()
    manager.get_by_role("button", name="Record decision").click()
    expect(manager.get_by_role("alert")).to_contain_text("Enter what the worker needs to change")
    axe(manager)
    manager.get_by_label("Comments").fill("Say more about what Ada told you")
    manager.get_by_role("button", name="Record decision").click()
    expect(manager.get_by_text("Assessment returned to the worker")).to_be_visible()
    expect(manager.get_by_role("link", name="Authorisations (0)")).to_be_visible()

    # Both open the returned assessment; the manager saves first, the worker gets the conflict.
    assessment_url = f"{live_server.url}/assessments/{assessment.pk}/"
    page.goto(assessment_url)
    expect(page.get_by_text("Say more about what Ada told you")).to_be_visible()
    manager.goto(assessment_url)
    manager.get_by_label("What is working well?").fill("Nan, and the school nurse")
    manager.get_by_role("button", name="Save as draft").click()
    expect(manager.get_by_text("Assessment saved as a draft")).to_be_visible()
    page.get_by_label("The child's own words").fill("Mornings are shouty. I like Nan's house.")
    page.get_by_role("button", name="Submit to a manager").click()
    expect(page.get_by_role("alert")).to_contain_text("changed this assessment while you were "
                                                      "editing it")
    expect(page.get_by_label("The child's own words")).to_have_value(
        "Mornings are shouty. I like Nan's house.")
    theirs = page.get_by_role("group", name="What is working well?", exact=True)
    expect(theirs).to_contain_text(  # theirs, shown, with who saved it
        f"{team_manager.get_full_name()} changed this on")
    expect(theirs).to_contain_text("Nan, and the school nurse")
    expect(theirs.get_by_label("Keep their value")).to_be_checked()
    axe(page)
    page.get_by_role("button", name="Submit to a manager").click()
    expect(page.get_by_text("Assessment submitted to a manager")).to_be_visible()
    saved = Assessment.objects.get(pk=assessment.pk)  # the manager's change was not reverted
    assert (saved.working_well, saved.childs_words) == (
        "Nan, and the school nurse", "Mornings are shouty. I like Nan's house.")

    # The manager authorises it.
    manager.goto(live_server.url + "/authorisations/")
    manager.get_by_role("link", name="Single assessment for Ada Brook").click()
    axe(manager)
    manager.get_by_label("Authorise the assessment").check()
    manager.get_by_label("Comments").fill("A clear analysis")
    manager.get_by_role("button", name="Record decision").click()
    expect(manager.get_by_text("Assessment authorised")).to_be_visible()
    assert list(AssessmentDecision.objects.values_list("outcome", flat=True)) == [
        "returned", "authorised"]

    # The clock is met, and the timescales and chronology show it.
    page.goto(assessment_url)
    expect(page.locator("#assessment-clock")).to_contain_text("Met")
    axe(page)
    page.get_by_role("link", name="Timescales").click()
    expect(page.get_by_role("row", name=re.compile("Single assessment completed"))
           ).to_contain_text("Met")
    axe(page)
    page.get_by_role("link", name="Chronology").click()
    chronology = page.locator("main table")
    for label in ("Assessment authorised", "Referral received"):
        expect(chronology.get_by_role("cell", name=label, exact=True)).to_be_visible()
    page.get_by_role("link", name="Summary").click()
    expect(page.get_by_role("heading", name="Cumulative concern")).to_be_visible()
    axe(page)

    # Every version opens: the one the manager returned, as they read it, with their comment.
    page.goto(assessment_url)
    returned = AssessmentDecision.objects.get(outcome="returned")
    decisions = page.get_by_role("list").filter(has_text="Returned to the worker").first
    decisions.get_by_role("link", name=re.compile(
        f"^version {returned.assessment_version}")).click()
    expect(page.get_by_role("heading", name=re.compile(
        f"Version {returned.assessment_version}: submitted to a manager"))).to_be_visible()
    expect(page.get_by_text("Say more about what Ada told you")).to_be_visible()
    expect(page.get_by_text("Mornings are shouty", exact=True)).to_be_visible()
    axe(page)
