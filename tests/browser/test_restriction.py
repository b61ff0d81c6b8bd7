"""Restricting a record in headless Chromium: a senior manager restricts it from the child's
summary, naming a team manager, reads who may see it, names and removes a person, and lifts it.
Axe runs on the restrict and who-may-see pages, with their errors showing too."""

import pytest
from playwright.sync_api import expect

from cairn.people.models import Child
from support import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_senior_manager_restricts_and_lifts_a_record(page, live_server, child, service_manager,
                                                       team_manager, browser_log_in, axe):
    colleague = make_staff("cole_colleague", team=team_manager.team)
    browser_log_in(service_manager)
    page.goto(f"{live_server.url}/children/{child.pk}/")
    page.get_by_role("link", name="Restrict this record").click()
    expect(page.get_by_role("heading", name="Restrict this record", level=2)).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Restrict record").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why this record is being restricted")
    axe(page)
    page.get_by_label("Why is this record being restricted?").fill(
        "The child of a member of staff in the team")
    page.get_by_label(f"{team_manager} ({team_manager.team})").check()
    page.get_by_role("button", name="Restrict record").click()

    expect(page.get_by_role("heading", name="Who may see this record")).to_be_visible()
    expect(page.get_by_text("Restricted record")).to_be_visible()
    named = page.get_by_role("table", name="The people named on the restriction")
    expect(named).to_contain_text(str(team_manager))
    expect(named).to_contain_text(str(service_manager))
    axe(page)
    assert Child.objects.get(pk=child.pk).restricted

    page.get_by_role("link", name="Name a person").click()
    page.get_by_role("button", name="Name person").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose the person")
    axe(page)
    page.get_by_label("Person").select_option(label=f"{colleague} ({colleague.team})")
    page.get_by_label("Why do they need to see this record?").fill("Covering the visits")
    page.get_by_role("button", name="Name person").click()
    expect(named).to_contain_text(str(colleague))

    page.get_by_role("link", name=f"Remove {colleague}").click()
    expect(page.get_by_role("heading", name="Remove a person from this record")).to_be_visible()
    axe(page)
    page.get_by_label("Why are they being removed?").fill("Cover ended")
    page.get_by_role("button", name="Remove person").click()
    expect(named).not_to_contain_text(str(colleague))
    expect(page.get_by_role("table", name="Decisions about who may see this record, newest first")
           ).to_contain_text("Cover ended")

    page.get_by_role("link", name="Lift restriction").click()
    axe(page)
    page.get_by_label("Why is the restriction being lifted?").fill("The member of staff left")
    page.get_by_role("button", name="Lift restriction").click()
    expect(page.get_by_text("This record is not restricted")).to_be_visible()
    axe(page)
    assert not Child.objects.get(pk=child.pk).restricted
