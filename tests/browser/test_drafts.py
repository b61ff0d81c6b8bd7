"""Drafts at a shared computer, in headless Chromium: what one person typed is not readable by
the next (signed out, or their session expired), comes back to its author, and a draft the
server refuses says "Draft not saved", never "Draft saved". Axe runs on the pages."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

import support
from cairn.core.models import Draft
from cairn.frontdoor import services as eh_services
from cairn.frontdoor.models import EarlyHelpPlanNeed
from cairn.workforce.models import Allocation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = "Alex said his uncle shouts at night."


def form_url(live_server, child) -> str:
    return f"{live_server.url}/children/{child.pk}/case-notes/new/"


def stored(page) -> dict:
    """Every cairn draft this browser holds, by name."""
    return page.evaluate("""() => Object.fromEntries(Object.keys(localStorage)
        .filter(k => k.startsWith('cairn-draft:')).map(k => [k, localStorage.getItem(k)]))""")


def sign_in(page, live_server, staff):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(staff.username)
    page.get_by_label("Password").fill(support.PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def type_a_note(page):
    page.get_by_label("Subject").fill("Home visit")
    page.get_by_label("Note").fill(TYPED)
    # The browser's copy is written as the worker types (encrypted: an entry with no words).
    page.wait_for_function("() => Object.keys(localStorage).some("
                           "k => k.startsWith('cairn-draft:v2:'))")


def test_signing_out_leaves_nothing_for_the_next_person(page, live_server, child,
                                                        social_worker, team_manager,
                                                        browser_log_in, axe):
    browser_log_in(social_worker)
    page.goto(form_url(live_server, child))
    type_a_note(page)
    assert stored(page) and not any(TYPED in v or "Home visit" in v
                                    for v in stored(page).values())
    axe(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_title(re.compile("^Sign in"))
    assert stored(page) == {}
    # The next person at the computer signs in and opens the same form.
    sign_in(page, live_server, team_manager)
    page.goto(form_url(live_server, child))
    expect(page.get_by_label("Note")).to_have_value("")
    expect(page.get_by_label("Subject")).to_have_value("")
    assert TYPED not in page.content()
    assert not any(TYPED in v for v in stored(page).values())


def test_an_expired_session_leaves_only_unreadable_copies_that_come_back_to_their_author(
        page, live_server, child, social_worker, team_manager, browser_log_in):
    browser_log_in(social_worker)
    page.goto(form_url(live_server, child))
    type_a_note(page)
    page.wait_for_timeout(200)  # the last keystroke's copy is written
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)  # the session expires
    Draft.objects.all().delete()  # and the server never had the typing: only this browser
    page.goto(form_url(live_server, child))
    expect(page).to_have_title(re.compile("^Sign in"))
    copies = stored(page)
    assert copies, "the author's encrypted copy stays, for the author"
    assert not any(TYPED in v or "Home visit" in v for v in copies.values())
    assert page.evaluate("() => document.body.getAttribute('data-draft-secret')") is None
    # Someone else signs in at the same computer: the form is empty for them.
    sign_in(page, live_server, team_manager)
    page.goto(form_url(live_server, child))
    expect(page.get_by_label("Note")).to_have_value("")
    page.wait_for_timeout(300)  # the script has read (and failed to open) what is stored
    expect(page.get_by_label("Note")).to_have_value("")
    # The author signs in again: their typing comes back.
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    sign_in(page, live_server, social_worker)
    page.goto(form_url(live_server, child))
    expect(page.get_by_label("Note")).to_have_value(TYPED)
    expect(page.get_by_text("Your unsaved draft has been brought back.")).to_be_visible()


def test_a_draft_the_server_refuses_says_not_saved(page, live_server, child, social_worker,
                                                   browser_log_in, axe):
    browser_log_in(social_worker)
    page.goto(form_url(live_server, child))
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)  # the session expires
    page.get_by_label("Note").fill(TYPED)
    status = page.locator("[data-draft-status]")
    expect(status).to_have_text(re.compile("^Draft not saved: you have been signed out"),
                                timeout=10_000)
    assert not Draft.objects.exists()
    axe(page)


def test_a_draft_too_long_to_keep_says_not_saved(page, live_server, child, social_worker,
                                                 browser_log_in):
    browser_log_in(social_worker)
    page.goto(form_url(live_server, child))
    page.get_by_label("Note").fill("x" * 210_000)
    status = page.locator("[data-draft-status]")
    expect(status).to_have_text(re.compile("^Draft not saved: it is too long"), timeout=10_000)
    expect(page.get_by_text("Draft saved.")).to_have_count(0)
    assert not Draft.objects.exists()


def _fill_date(scope, legend: str, day) -> None:
    group = scope.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_a_need_saved_after_a_refusal_leaves_no_draft_for_the_next_need(
        page, live_server, teams, early_help_worker, browser_log_in, axe):
    child = support.make_child("Mia", "Hart")
    support.allocate(child, early_help_worker, kind=Allocation.Kind.EARLY_HELP)
    today = timezone.localdate()
    episode = eh_services.early_help_start(
        child=child, started_on=today - timedelta(days=30), organisation="Family Hub North",
        by=early_help_worker, worker=early_help_worker)
    eh_services.early_help_plan_record(episode=episode, started_on=today - timedelta(days=20),
                                       by=early_help_worker, needs=[
        {"need": "School attendance", "outcome": "At school every day", "actions": "Walk",
         "owner": None, "owner_name": "Oak Primary", "due_on": today + timedelta(days=30)}])

    browser_log_in(early_help_worker)
    page.goto(live_server.url + f"/front-door/children/{child.pk}/early-help/")
    page.get_by_role("link", name=re.compile("^Add a need")).click()
    page.get_by_label("What the family needs help with").fill("Rent arrears")
    page.get_by_label("Outcome wanted").fill("A repayment plan the family keeps to")
    page.get_by_role("button", name="Add need").click()  # refused: no actions, owner or date
    expect(page).to_have_title(re.compile("^Error: "))
    page.get_by_label("Actions").fill("Money adviser visits")
    page.get_by_label("Who is responsible").fill("Jo Bell")
    _fill_date(page, "By when", today + timedelta(days=42))
    page.wait_for_timeout(3500)  # the typing reached the server's copy too
    page.get_by_role("button", name="Add need").click()
    expect(page.get_by_text("Need added to the early help plan")).to_be_visible()
    assert EarlyHelpPlanNeed.objects.filter(need="Rent arrears").count() == 1
    page.wait_for_timeout(3500)  # a late copy from the form just saved would land by now
    assert not Draft.objects.exists()

    # The next need's form is a new, empty one: nothing brought back, nothing offered.
    page.get_by_role("link", name=re.compile("^Add a need")).click()
    page.wait_for_timeout(500)  # the script has looked for a draft
    expect(page.get_by_label("What the family needs help with")).to_have_value("")
    expect(page.get_by_label("Outcome wanted")).to_have_value("")
    expect(page.get_by_label("Actions")).to_have_value("")
    expect(page.get_by_text("Your unsaved draft has been brought back.")).to_have_count(0)
    expect(page.get_by_text("You have an unsaved draft of this form")).to_have_count(0)
    # Even reloaded (the same path), the saved need does not come back.
    page.reload()
    page.wait_for_timeout(500)
    expect(page.get_by_label("Outcome wanted")).to_have_value("")
    axe(page)


def test_a_new_persons_details_do_not_come_back_on_the_next_contact(
        page, live_server, front_door_worker, browser_log_in):
    browser_log_in(front_door_worker)
    page.goto(live_server.url + "/front-door/")
    page.get_by_role("link", name="Record a contact").click()
    page.get_by_label("First name").fill("Jaydon")
    page.get_by_role("button", name="Check for existing records").click()  # refused
    expect(page).to_have_title(re.compile("^Error: "))
    page.get_by_label("Last name").fill("Smith")
    page.get_by_label("Day").fill("27")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2019")
    page.get_by_label("Address line 1").fill("12 Mill Lane")
    page.get_by_label("Postcode").fill("LS6 1AA")
    page.get_by_label("Male", exact=True).check()
    page.get_by_role("button", name="Check for existing records").click()
    page.get_by_label("None of these: create a new record").check()
    page.wait_for_timeout(3500)  # the typing reached the server's copy too
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Jaydon Smith", level=1)).to_be_visible()
    page.wait_for_timeout(3500)
    assert not Draft.objects.filter(key="/front-door/contacts/new/").exists()

    page.goto(live_server.url + "/front-door/")
    page.get_by_role("link", name="Record a contact").click()
    page.wait_for_timeout(500)
    expect(page.get_by_label("First name")).to_have_value("")
    expect(page.get_by_label("Last name")).to_have_value("")
    expect(page.get_by_text("Your unsaved draft has been brought back.")).to_have_count(0)
    expect(page.get_by_text("You have an unsaved draft of this form")).to_have_count(0)
