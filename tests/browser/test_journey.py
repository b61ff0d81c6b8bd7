"""A social worker's journey through the keel's pages, in headless Chromium, with axe on each."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

import support
from cairn.core.models import Draft
from cairn.people.models import CaseNote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"


@pytest.fixture
def jayden(social_worker):
    child = support.make_child("Jayden", "Smith", la_child_id="C123456")
    support.allocate(child, social_worker)
    for given, family in [("Jade", "Smart"), ("Oliver", "Jones")]:
        support.allocate(support.make_child(given, family), social_worker)
    return child


def _sign_in(page, url, username="sam_worker"):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(support.PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _fill_case_note(page, *, subject="Home visit", body="Jayden showed me his room."):
    today = timezone.localdate()
    page.get_by_label("Visit", exact=True).check()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Subject").fill(subject)
    page.get_by_label("Note").fill(body)


def test_social_worker_finds_a_child_and_adds_a_case_note(page, live_server, social_worker,
                                                          jayden, axe):
    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("^Sign in"))
    axe(page)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your username")
    _sign_in(page, live_server.url)
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Search").click()
    page.get_by_label("Name, date of birth").fill("Jaiden Smyth")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Jayden Smith")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Jayden Smith").click()
    expect(page.get_by_role("heading", name="Jayden Smith", level=1)).to_be_visible()
    expect(page.get_by_text("Sam Worker")).to_be_visible()
    axe(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "child_record.png"), full_page=True)

    page.get_by_role("link", name="Add a case note").click()
    page.get_by_role("button", name="Save case note").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a subject")
    expect(page).to_have_title(re.compile("^Error: "))
    axe(page)
    _fill_case_note(page)
    page.get_by_role("button", name="Save case note").click()
    expect(page.get_by_text("Case note added")).to_be_visible()
    expect(page.get_by_text("Jayden showed me his room.")).to_be_visible()
    axe(page)
    assert CaseNote.objects.get().recorded_by == social_worker

    page.get_by_role("link", name="Chronology").click()
    expect(page.get_by_role("cell", name="Home visit")).to_be_visible()
    axe(page)
    for tab in ("Timescales", "Relationships", "Summary"):
        page.get_by_role("link", name=tab, exact=True).click()
        expect(page.get_by_role("heading", name=tab, level=2)).to_be_visible()
        axe(page)


def test_typing_survives_an_expired_session(page, live_server, social_worker, jayden,
                                            browser_log_in):
    browser_log_in(social_worker)
    form_path = f"/children/{jayden.pk}/case-notes/new/"
    page.goto(live_server.url + form_path)
    page.get_by_label("Subject").fill("Visit after school")
    page.get_by_label("Note").fill("Jayden talked about his new friend.")
    # The periodic save reaches the server within a few seconds.
    expect(page.get_by_text("Draft saved.")).to_be_visible(timeout=10_000)
    assert Draft.objects.get(owner=social_worker).data["subject"] == "Visit after school"

    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)  # the session expires
    page.goto(live_server.url + form_path)
    expect(page).to_have_title(re.compile("^Sign in"))
    _sign_in(page, live_server.url)
    expect(page).to_have_url(live_server.url + form_path)
    expect(page.get_by_label("Subject")).to_have_value("Visit after school")
    expect(page.get_by_label("Note")).to_have_value("Jayden talked about his new friend.")
    expect(page.get_by_text("Your unsaved draft has been brought back.")).to_be_visible()


def test_server_draft_is_restored_in_a_new_browser(page, live_server, social_worker, jayden,
                                                   browser_log_in):
    form_path = f"/children/{jayden.pk}/case-notes/new/"
    Draft.objects.create(owner=social_worker, key=form_path,
                         data={"subject": "From another computer", "kind": "phone"})
    browser_log_in(social_worker)
    page.goto(live_server.url + form_path)
    expect(page.get_by_label("Subject")).to_have_value("From another computer")
    expect(page.get_by_label("Phone call")).to_be_checked()
