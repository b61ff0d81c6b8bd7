"""Drafts at a shared computer, in headless Chromium: what one person typed is not readable by
the next (signed out, or their session expired), comes back to its author, and a draft the
server refuses says "Draft not saved", never "Draft saved". Axe runs on the pages."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

import support
from cairn.core.models import Draft

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
