"""One child from a contact at the front door to a child protection plan, in headless Chromium,
each step by the role that does it, the timescales and chronology checked as they move, ending
with the analyst's CIN census check finding no error for the child; axe on every page."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

import support
from cairn.frontdoor.models import Contact, Referral
from cairn.people.models import Child
from cairn.protection.models import Assessment, ChildProtectionPlan, PlanNeed
from cairn.returns.forms import collection_years
from cairn.returns.models import ValidationFailure
from cairn.workforce.models import Allocation

from .test_returns import validators_venv  # noqa: F401  (the validators' own venv, a fixture)
from .walk import (
    fill_date,
    fill_date_by_id,
    last_weekday,
    overnight_if_out_of_hours,
    safety_plan_words,
    strategy_people,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("validators_venv")]


class Record:
    """The child's Timescales and Chronology tabs, checked after each step."""

    def __init__(self, page, live_server, axe):
        self.page, self.url, self.axe = page, live_server.url, axe
        self.child = None

    def moved(self, fact: str, clock: str, status: str | re.Pattern) -> None:
        """The chronology shows `fact`; the timescale `clock` reads `status`."""
        page = self.page
        page.goto(f"{self.url}/children/{self.child.pk}/chronology/")
        expect(page.get_by_role("cell", name=fact, exact=True).first).to_be_visible()
        self.axe(page)
        page.get_by_role("link", name="Timescales", exact=True).click()
        expect(page.get_by_role("row").filter(has_text=clock).first).to_contain_text(status)
        self.axe(page)


DUE = re.compile(r"\bDue\b")


@pytest.fixture
def jaydon_smith(db):
    """A child already on the record whom the front door's duplicate check will offer."""
    return support.make_child("Jayden", "Smith", la_child_id="C0000100",
                              birth_date=date(2019, 3, 27))


def test_contact_to_child_protection_plan(
        page, live_server, browser_log_in, axe, front_door_worker, social_worker, team_manager,
        iro, performance_analyst, jaydon_smith):
    day = last_weekday()
    record = Record(page, live_server, axe)

    # The front door: the duplicate check, then a new child with what the census needs.
    browser_log_in(front_door_worker)
    page.goto(live_server.url + "/front-door/")
    page.get_by_role("link", name="Record a contact").click()
    axe(page)
    page.get_by_label("First name").fill("Jaydon")
    page.get_by_label("Last name").fill("Smith")
    fill_date(page, "Date of birth", date(2019, 3, 27))
    page.get_by_label("Address line 1").fill("12 Mill Lane")
    page.get_by_label("Postcode").fill("LS6 1AA")
    page.get_by_label("Male", exact=True).check()
    page.get_by_role("button", name="Check for existing records").click()
    expect(page.get_by_role("cell", name="Jayden Smith")).to_be_visible()
    axe(page)
    page.get_by_label("None of these: create a new record").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Jaydon Smith", level=1)).to_be_visible()
    child = record.child = Child.objects.get(given_name="Jaydon")
    axe(page)

    fill_date(page, "Date the contact was received", day)
    # The time is left as the form fills it, now: a fixed 09:15 is in the future on `day`,
    # today, whenever the suite runs before 09:15 (and 11:00 for the decision).
    page.get_by_label("Who made the contact?").fill("Ms Reed, Mill Lane Primary")
    page.get_by_label("Their relationship to the child").fill("Class teacher")
    page.get_by_label("Source of the contact").select_option("2A")
    page.get_by_label("What are they worried about?").fill(
        "Jaydon has a hand-shaped bruise on his cheek and says he is scared to go home.")
    page.get_by_label("Who lives with the child?").fill("Mother, her partner")
    page.get_by_label("Consent given").check()
    page.get_by_label("Who gave consent?").fill("Mother")
    page.get_by_label("Who did they give it to?").fill("Ms Reed")
    overnight_if_out_of_hours(page)
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_text("Contact about Jaydon Smith recorded")).to_be_visible()
    axe(page)
    contact = Contact.objects.get(child=child)
    record.moved("Contact received", "Decision on a contact", DUE)

    page.goto(f"{live_server.url}/front-door/contacts/{contact.pk}/decision/")
    page.get_by_label("Strategy discussion").check()
    page.get_by_label("Primary need").select_option("N1")
    page.get_by_label("Team to pass the referral to").select_option(label="Assessment")
    fill_date(page, "Date of the decision", day)  # at the time the form fills: now
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Decision recorded: strategy discussion")).to_be_visible()
    expect(page.get_by_role("link", name="Record the strategy discussion")).to_be_visible()
    axe(page)
    referral = Referral.objects.get(child=child)
    assert (referral.source, referral.primary_need, referral.contact) == ("2A", "N1", contact)
    record.moved("Referral received", "Decision on a contact", "Met")
    record.moved("Contact decided", "Single assessment completed", DUE)

    # The team manager holds the referral: they allocate a social worker and a reviewing officer.
    assert Allocation.objects.get(child=child).worker == team_manager
    browser_log_in(team_manager)
    page.goto(f"{live_server.url}/children/{child.pk}/")
    page.get_by_role("link", name=f"Reallocate {child.full_name}").click()
    axe(page)
    page.get_by_label("New worker").select_option(label=f"{social_worker}, {social_worker.team}")
    page.get_by_label("Management decision").check()
    page.get_by_role("button", name="Reallocate").click()
    expect(page.get_by_text(f"is now allocated to {social_worker}")).to_be_visible()
    page.get_by_role("link", name="Allocate a reviewing officer or personal adviser").click()
    axe(page)
    page.get_by_label("Who is to be allocated?").select_option(
        label=f"{iro} (independent reviewing officer)")
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_text("Allocated", exact=True)).to_be_visible()
    assert Allocation.objects.get(child=child, kind=Allocation.Kind.IRO,
                                  ended_on__isnull=True).worker == iro

    # The social worker: strategy discussion, section 47, its outcome, the safety plan.
    browser_log_in(social_worker)
    page.goto(f"{live_server.url}/children/{child.pk}/")
    axe(page)
    page.get_by_role("link", name="Record a strategy discussion").click()
    fill_date(page, "Date of the strategy discussion", day)
    strategy_people(page)
    page.get_by_label("Information shared").fill("Bruise seen by the class teacher")
    page.get_by_label("Decision").fill("Joint section 47 enquiry by social care and police")
    page.get_by_label("Yes").check()
    axe(page)
    page.get_by_role("button", name="Save strategy discussion").click()
    expect(page.get_by_role("heading", name="Start a section 47 enquiry")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Start enquiry").click()
    expect(page.get_by_text("Section 47 enquiry started").first).to_be_visible()
    axe(page)
    record.moved("Strategy discussion held", "Initial child protection conference", DUE)
    record.moved("Section 47 enquiry started", "Initial child protection conference", DUE)

    page.goto(f"{live_server.url}/children/{child.pk}/protection/")
    page.get_by_role("link", name=re.compile("Record the outcome")).click()
    fill_date(page, "Date the enquiry concluded", day)
    page.get_by_label(re.compile("Risk of significant harm")).check()
    axe(page)
    page.get_by_role("button", name="Save outcome").click()
    expect(page.get_by_role("heading", name="Record a safety plan")).to_be_visible()
    axe(page)
    fill_date(page, "Date the safety plan was agreed", day)
    page.get_by_label("Safety goal").fill("Jaydon is safe at home every night")
    page.get_by_label("Arrangements").fill("Partner moves out; grandmother stays overnight")
    safety_plan_words(page)
    page.get_by_role("button", name="Save safety plan").click()
    expect(page.get_by_text("Safety plan recorded")).to_be_visible()
    axe(page)
    record.moved("Safety plan made", "Initial child protection conference", DUE)

    # The single assessment on the referral, submitted to the manager.
    page.goto(f"{live_server.url}/children/{child.pk}/")
    page.get_by_role("link", name="Start a single assessment").click()
    expect(page.get_by_label(re.compile("^Received"))).to_be_checked()
    fill_date_by_id(page, "started_on", day)
    axe(page)
    page.get_by_role("button", name="Start assessment").click()
    expect(page.get_by_text("Assessment started")).to_be_visible()
    page.get_by_label("The child's own words").fill("I don't like it when he shouts")
    page.get_by_label("What are we worried about?").fill("A bruise from mother's partner")
    page.get_by_label("What is working well?").fill("Grandmother is close and protective")
    page.get_by_label("What needs to happen?").fill("Partner out of the home; a plan")
    page.locator("#id_safety_scale_3").check()
    fill_date_by_id(page, "child_seen_on", day)
    page.get_by_label("Abuse or neglect: physical abuse, adult on child (18C)").check()
    page.get_by_label("Domestic abuse: concerns about the child (3A)").check()
    page.locator("#id_further_action").check()
    axe(page)
    page.get_by_role("button", name="Submit to a manager").click()
    expect(page.get_by_text("Assessment submitted to a manager")).to_be_visible()
    axe(page)
    record.moved("Assessment started", "Single assessment completed", DUE)

    # The team manager authorises it from the tray.
    browser_log_in(team_manager)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Authorisations (1)").click()
    expect(page.get_by_role("cell", name="Jaydon Smith", exact=True)).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Single assessment for Jaydon Smith").click()
    page.get_by_label("Authorise the assessment").check()
    page.get_by_label("Comments").fill("Risk is clear; the conference should go ahead")
    axe(page)
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Assessment authorised")).to_be_visible()
    axe(page)
    assert Assessment.objects.get(child=child).authorised_on == timezone.localdate()
    record.moved("Assessment authorised", "Single assessment completed", "Met")

    # The conference chair: the ICPC makes a plan, and each need has what F19 asks.
    browser_log_in(iro)
    page.goto(f"{live_server.url}/children/{child.pk}/")
    page.get_by_role("link", name="Record an initial child protection conference").click()
    fill_date(page, "Date of the conference", day)
    page.get_by_label("Child protection plan", exact=True).check()
    page.get_by_label("Category of abuse (if a plan)").select_option("PHY")
    axe(page)
    page.get_by_role("button", name="Save conference").click()
    expect(page.get_by_role("heading", name=re.compile("Child protection plan from"))
           ).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Add a need").click()
    page.get_by_label("Need", exact=True).fill("Safe care at home")
    page.get_by_label("Outcome").fill("Jaydon is not hurt and feels safe at home")
    page.get_by_label("Action", exact=True).fill("Partner lives away; unannounced visits weekly")
    page.get_by_label("Who is responsible").fill("Social worker and mother")
    fill_date(page, "Date the action is due", day + timedelta(days=28))
    axe(page)
    page.get_by_role("button", name="Save need").click()
    expect(page.get_by_role("cell", name="Safe care at home")).to_be_visible()
    axe(page)
    plan = ChildProtectionPlan.objects.get(child=child)
    assert (plan.initial_category_of_abuse, plan.conference.chaired_by) == ("PHY", iro)
    assert plan.referral == referral  # else the census leaves the enquiry and plan out
    assert PlanNeed.objects.get().protection_plan == plan
    record.moved("Initial child protection conference held",
                 "Initial child protection conference", "Met")
    record.moved("Child protection plan started", "First core group meeting", DUE)
    expect(page.get_by_role("row").filter(has_text="Review child protection conference").first
           ).to_contain_text(DUE)

    # The analyst checks the CIN census for the current collection year.
    browser_log_in(performance_analyst)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Returns").click()
    axe(page)
    year = collection_years()[0][0]
    page.get_by_label("Collection year").select_option(str(year))
    page.get_by_label("Children in Need census").check()
    page.get_by_role("button", name="Check the return").click()
    support.finish_return_in_browser(page)
    expect(page.get_by_role("heading", name=f"Children in Need census {year}: check results")
           ).to_be_visible(timeout=90_000)
    axe(page)
    errors = ValidationFailure.objects.filter(child=child, rule_type="ERROR")
    assert not errors.exists(), [f"{f.rule}: {f.message}" for f in errors]
    for section in page.locator("h2").filter(has=page.locator(".govuk-tag--red")).all():
        rule = section.get_attribute("id")
        expect(page.locator(f"#{rule} + p + table")).not_to_contain_text("Jaydon Smith")
