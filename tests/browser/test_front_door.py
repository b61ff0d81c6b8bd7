"""A front door worker records a police notification about a new child, in headless Chromium:
the duplicate check, consent, the decision to refer, then the chronology and timescales, and
links the mother the contact names, already known to Cairn, to the new child."""

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

import support
from cairn.core.working_days import add_working_days
from cairn.frontdoor import services
from cairn.frontdoor.models import Contact, Referral
from cairn.people.models import Address, Child
from cairn.workforce.models import Allocation

from .walk import overnight_if_out_of_hours

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"



@pytest.fixture
def jayden(db):
    return support.make_child("Jayden", "Smith", la_child_id="C0000100",
                              birth_date=date(2019, 3, 27))


def test_police_notification_about_a_new_child_is_referred(page, live_server, jayden,
                                                            front_door_worker, team_manager,
                                                            browser_log_in, axe):
    browser_log_in(front_door_worker)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Front door", exact=True).click()
    expect(page.get_by_role("heading", name="Front door", level=1)).to_be_visible()
    expect(page.get_by_text("No contacts are awaiting a decision.")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Record a contact").click()
    page.get_by_role("button", name="Check for existing records").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the child's first name")
    expect(page).to_have_title(re.compile("^Error: "))
    axe(page)
    page.get_by_label("First name").fill("Jaydon")
    page.get_by_label("Last name").fill("Smith")
    page.get_by_label("Day").fill("27")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2019")
    page.get_by_label("Address line 1").fill("12 Mill Lane")
    page.get_by_label("Postcode").fill("LS6 1AA")
    page.get_by_label("Male", exact=True).check()
    page.get_by_role("button", name="Check for existing records").click()
    expect(page.get_by_role("cell", name="Jayden Smith")).to_be_visible()
    expect(page.get_by_role("cell", name="Similar name, same date of birth")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Select the child, or that none of these")
    axe(page)
    page.get_by_label("None of these: create a new record").check()
    page.get_by_role("button", name="Continue").click()

    child = Child.objects.get(given_name="Jaydon")
    assert child.la_child_id == "C0000101"
    expect(page.get_by_role("heading", name="Jaydon Smith", level=1)).to_be_visible()
    expect(page.get_by_text("LA child ID C0000101")).to_be_visible()
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter who made the contact")
    axe(page)
    page.get_by_label("Who made the contact?").fill("PC Lane, West Yorkshire Police")
    page.get_by_label("Their relationship to the child").fill("Attending officer")
    page.get_by_label("This is a police domestic abuse notification").check()
    page.get_by_label("What are they worried about?").fill(
        "Police called to the home at 2am: mother assaulted, Jaydon present and distressed.")
    page.get_by_label("Who lives with the child?").fill("Mother, her partner")
    page.get_by_label("Consent given").check()
    page.get_by_label("Who gave consent?").fill("Mother")
    page.get_by_label("Who did they give it to?").fill("Ms Reed")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "front_door_contact.png"), full_page=True)
    overnight_if_out_of_hours(page)
    page.get_by_role("button", name="Save contact").click()

    expect(page.get_by_text("Contact about Jaydon Smith recorded")).to_be_visible()
    contact = Contact.objects.get(child=child)
    assert (contact.source, contact.domestic_abuse_notification) == ("6", True)
    expect(page.get_by_text("Police: police domestic abuse notification")).to_be_visible()
    axe(page)
    page.get_by_label("Referral to children's social care").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Choose the child's primary need for the referral")
    axe(page)
    page.get_by_label("Primary need").select_option("N1")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose the team to pass the referral to")
    axe(page)
    page.get_by_label("Team to pass the referral to").select_option(label="Assessment")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Decision recorded: referral to children's social care")
           ).to_be_visible()
    referral = Referral.objects.get(child=child)
    assert (referral.source, referral.primary_need, referral.contact) == ("6", "N1", contact)
    assert Allocation.objects.get(child=child).worker == team_manager  # held until allocated
    axe(page)

    page.get_by_role("link", name="Chronology").click()
    for label in ("Contact received", "Contact decided", "Referral received"):
        expect(page.get_by_role("cell", name=label, exact=True).first).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Timescales", exact=True).click()
    expect(page.get_by_role("cell", name="Decision on a contact")).to_be_visible()
    expect(page.get_by_role("cell", name="Single assessment completed")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Front door", exact=True).click()
    # (The first: out of hours, the contact is listed again under "Out of hours since ...".)
    expect(page.get_by_role("cell", name="Referral to children's social care").first
           ).to_be_visible()
    axe(page)
    page.goto(live_server.url + f"/children/{child.pk}/")
    page.get_by_role("link", name="Early help, contacts and step decisions").click()
    expect(page.get_by_text("Referral to children's social care")).to_be_visible()
    axe(page)

    # The mother the contact names may already be on Cairn: the check looks at adults too.
    from cairn.people.models import Person, Relationship

    mother = Person.objects.create(given_name="Donna", family_name="Smith")
    Relationship.objects.create(child=jayden, person=mother, kind=Relationship.Kind.MOTHER)
    page.goto(live_server.url + f"/front-door/contacts/{contact.pk}/decision/")
    page.get_by_role("link", name="Check the people named against Cairn's records").click()
    axe(page)
    page.get_by_role("button", name="Check for people Cairn holds").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the person's first name")
    axe(page)
    page.get_by_label("First name").fill("Dona")
    page.get_by_label("Last name").fill("Smith")
    page.get_by_role("button", name="Check for people Cairn holds").click()
    expect(page.get_by_role("cell", name="Donna Smith")).to_be_visible()
    expect(page.get_by_role("cell", name="Mother of Jayden Smith")).to_be_visible()
    axe(page)

    # She is Jaydon's mother too: the worker links her, once.
    page.get_by_role("button", name="Link to Jaydon Smith").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Select the person to link to Jaydon Smith")
    axe(page)
    page.get_by_label("Donna Smith", exact=True).check()
    page.get_by_label("Their relationship to Jaydon Smith").select_option(label="Mother")
    page.get_by_role("button", name="Link to Jaydon Smith").click()
    expect(page.get_by_text("Donna Smith linked to Jaydon Smith as mother")).to_be_visible()
    expect(page.get_by_role("cell", name="Mother of Jayden Smith; Mother of Jaydon Smith")
           ).to_be_visible()
    assert Relationship.objects.get(child=child).person == mother
    axe(page)
    page.get_by_label("Donna Smith", exact=True).check()
    page.get_by_label("Their relationship to Jaydon Smith").select_option(label="Carer")
    page.get_by_role("button", name="Link to Jaydon Smith").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Donna Smith is already linked to Jaydon Smith as mother")
    assert Relationship.objects.filter(child=child).count() == 1
    axe(page)


def test_the_front_door_sees_history_waits_overnight_work_and_ends_a_referral_nfa(
        page, live_server, child, social_worker, front_door_worker, team_manager,
        browser_log_in, axe):
    """Issue 12's front door, through the pages: the new person form chooses no sex; search
    results tell two children apart; the awaiting list says how long each contact waited; last
    night's out-of-hours contact is on the day team's list; the decision page shows the history
    of concern; a referral ends with no further action and the next one is a re-referral."""
    today = timezone.localdate()
    twin = support.make_child("Alex", "Morgan", birth_date=date(2019, 3, 27))
    Address.objects.create(person=twin, line1="3 Rose Court", postcode="LS9 8DD",
                           started_on=date(2024, 1, 1))
    earlier = services.referral_record(child=child, received_on=today - timedelta(days=40),
                                       source="2A", by=social_worker, primary_need="N1")
    night = timezone.make_aware(datetime.combine(add_working_days(today, -1), time(21)))
    contact = services.contact_record(
        child=child, received_at=night, source="6", concerns="Police called at night",
        consent="refused", by=front_door_worker, out_of_hours_service=True,
        overnight_action="Emergency duty team visited; child safe with grandmother")

    browser_log_in(front_door_worker)
    page.goto(live_server.url + "/front-door/contacts/new/")
    for radio in page.locator('input[name="sex"]').all():
        expect(radio).not_to_be_checked()
    axe(page)

    page.goto(live_server.url + "/search?q=Alex+Morgan")
    expect(page.get_by_role("cell", name="3 Rose Court, LS9 8DD")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Age")).to_be_visible()
    axe(page)

    page.goto(live_server.url + "/front-door/")
    expect(page.get_by_role("columnheader", name="Waiting")).to_be_visible()
    expect(page.get_by_role("cell", name="Emergency duty team visited; child safe with "
                                          "grandmother")).to_be_visible()
    axe(page)

    page.goto(live_server.url + f"/front-door/contacts/{contact.pk}/decision/")
    expect(page.get_by_role("heading", name="History of concern")).to_be_visible()
    expect(page.get_by_text("Taken by the out-of-hours service")).to_be_visible()
    axe(page)

    browser_log_in(social_worker)
    page.goto(live_server.url + f"/front-door/referrals/{earlier.pk}/no-further-action/")
    page.get_by_role("button", name="End with no further action").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Enter why the referral needs no further action")
    axe(page)
    page.get_by_label("Why does the referral need no further action?").fill(
        "School nurse support is enough")
    page.get_by_role("button", name="End with no further action").click()
    expect(page.get_by_text("Referral ended with no further action")).to_be_visible()
    expect(page.get_by_text("no further action (School nurse support is enough)")
           ).to_be_visible()
    axe(page)
    earlier.refresh_from_db()
    assert earlier.nfa and earlier.closed_on == today
