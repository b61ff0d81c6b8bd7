"""Correcting a case note and reading a record's history, in headless Chromium with axe on each
page: the note says it was corrected and links to the earlier version; a manager reads a
removed entry's words, struck through, with who removed it and why."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cairn.casework import correction
from cairn.casework import services as casework
from cairn.core import names
from cairn.people.models import CaseNote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()


def test_a_worker_corrects_a_note_and_reads_the_earlier_version(page, live_server, child,
                                                                social_worker,
                                                                browser_log_in, axe):
    casework.case_note_add(child=child, by=social_worker, kind=CaseNote.Kind.VISIT,
                           occurred_on=TODAY, subject="Home visit",
                           body="Alex was seen with his brother Sam.")
    browser_log_in(social_worker)
    page.goto(f"{live_server.url}/children/{child.pk}/case-notes/")
    page.get_by_role("link", name="Correct this note").click()
    expect(page.get_by_role("heading", name="Correct a case note")).to_be_visible()
    expect(page.get_by_label("Note", exact=True)).to_have_value("Alex was seen with his brother Sam.")
    axe(page)
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_role("link", name="Enter why the case note is being corrected")
           ).to_be_visible()
    axe(page)
    page.get_by_label("Note", exact=True).fill("Alex was seen with his brother Jamie.")
    page.get_by_label("Why are you correcting this note?").fill("The brother's name was wrong")
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_text("Case note corrected.")).to_be_visible()
    expect(page.get_by_text("Alex was seen with his brother Jamie.")).to_be_visible()
    expect(page.get_by_text("Corrected on")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="See earlier versions").click()
    expect(page.get_by_role("heading", name="History", level=2)).to_be_visible()
    expect(page.get_by_role("cell", name="Alex was seen with his brother Sam.").first
           ).to_be_visible()
    expect(page.get_by_text("The brother's name was wrong")).to_be_visible()
    axe(page)


def test_a_manager_reads_what_a_removed_entry_said(page, live_server, child, social_worker,
                                                   team_manager, browser_log_in, axe):
    note = casework.case_note_add(child=child, by=social_worker, kind=CaseNote.Kind.VISIT,
                                  occurred_on=TODAY, subject="Wrong record",
                                  body="Words about another family.")
    correction.entry_remove(child=child, fact_name=names.CASE_NOTE_ADDED, entry=note,
                            by=team_manager, reason="Recorded on the wrong child's record",
                            expected_version=note.version)
    browser_log_in(team_manager)
    page.goto(f"{live_server.url}/children/{child.pk}/")
    page.get_by_role("link", name="History", exact=True).click()
    expect(page.get_by_role("heading", name="Case note removed")).to_be_visible()
    expect(page.get_by_text("because: Recorded on the wrong child's record")).to_be_visible()
    expect(page.locator("del", has_text="Words about another family.")).to_be_visible()
    axe(page)
