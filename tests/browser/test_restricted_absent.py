"""A restricted record, absent for those not named on it, in headless Chromium (issue 11): the
front door's duplicate check passes the contact on without naming the record, and the team page
says how many of its children the manager cannot open."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cairn.core.models import Action
from cairn.frontdoor.models import Contact
from cairn.people.models import Child

from .walk import overnight_if_out_of_hours

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_front_door_passes_on_a_contact_a_restricted_record_may_match(
        page, live_server, restricted_child, social_worker, front_door_worker, browser_log_in,
        axe):
    browser_log_in(front_door_worker)
    page.goto(live_server.url + "/front-door/contacts/new/")
    page.get_by_label("First name").fill("Robyn")
    page.get_by_label("Last name").fill("Hale")
    page.get_by_label("Day").fill(str(restricted_child.birth_date.day))
    page.get_by_label("Month").fill(str(restricted_child.birth_date.month))
    page.get_by_label("Year").fill(str(restricted_child.birth_date.year))
    page.get_by_role("button", name="Check for existing records").click()
    expect(page.locator("#hidden-match")).to_contain_text(
        "A restricted record you cannot see may match this child")
    expect(page.get_by_label("None of these: create a new record")).to_have_count(0)
    assert "Robin" not in page.content()
    axe(page)
    page.get_by_label("None of these: pass the contact to someone who can see the restricted "
                      "record").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Record a contact to pass on", level=1)
           ).to_be_visible()
    expect(page.get_by_text("Robyn Hale, born 1 June 2015")).to_be_visible()
    page.get_by_role("button", name="Save and pass on").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter who made the contact")
    axe(page)
    page.get_by_label("Who made the contact?").fill("Ms Reed")
    page.get_by_label("Their relationship to the child").fill("Class teacher")
    page.get_by_label("Source of the contact").select_option("2A")
    page.get_by_label("What are they worried about?").fill("Bruising seen at school")
    page.get_by_label("Consent given").check()
    page.get_by_label("Who gave consent?").fill("Mother")
    page.get_by_label("Who did they give it to?").fill("Ms Reed")
    today = timezone.localdate()
    for box, value in enumerate((today.day, today.month, today.year)):
        page.locator(f'[name="consent_given_on_{box}"]').fill(str(value))
    overnight_if_out_of_hours(page)
    page.get_by_role("button", name="Save and pass on").click()

    expect(page.get_by_text("A restricted record may match this child. The contact has been "
                            "passed to someone who can see it.")).to_be_visible()
    assert "Robin" not in page.content()
    axe(page)
    contact = Contact.objects.get()
    assert contact.child == restricted_child and Child.objects.count() == 1
    assert Action.objects.get().owner == social_worker


def test_the_team_page_says_how_many_records_the_manager_cannot_open(
        page, live_server, child, restricted_child, team, team_manager, browser_log_in, axe):
    browser_log_in(team_manager)
    page.goto(live_server.url + f"/teams/{team.pk}/")
    expect(page.get_by_text("including 1 record you cannot open")).to_be_visible()
    page.get_by_text("Children allocated in the team (1 and 1 record you cannot open)").click()
    expect(page.get_by_role("link", name="Alex Morgan", exact=True)).to_be_visible()
    assert "Robin" not in page.content()
    axe(page)
    page.goto(live_server.url + "/")
    expect(page.locator("#teams-at-a-glance")).to_contain_text("and 1 record you cannot open")
    axe(page)
