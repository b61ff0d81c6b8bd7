"""Steps of the browser walks through the recording pages, each as the role that does it.

A step fills one page (or a page and the one it leads to), saves, checks the confirmation and
runs axe. The walks in this folder compose them; a step leaves the page where the next one can
start from the child's record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

import support
from cairn.frontdoor.selectors import out_of_hours


def last_weekday(before: int = 0) -> date:
    """The weekday at or before `before` days ago: conferences are not held at weekends."""
    day = timezone.localdate() - timedelta(days=before)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def on_a_protection_plan(social_worker, given: str = "Leo", family: str = "Hart",
                         held: date | None = None):
    """A child of `social_worker`'s on a child protection plan for neglect, made at an ICPC on
    `held` (about six months ago) after a strategy discussion, an enquiry and a safety plan."""
    from cairn.protection import services as protection
    from cairn.protection.models import CategoryOfAbuse, ChildProtectionConference, Section47Outcome

    held = held or last_weekday(200)
    child = support.make_child(given, family)
    support.allocate(child, social_worker, started_on=held - timedelta(days=200))
    discussion = protection.strategy_discussion_record(
        child=child, held_on=held, s47_agreed=True, agencies_present="Police, school",
        decision="Section 47 enquiry", by=social_worker)
    enquiry = protection.section47_enquiry_start(strategy_discussion=discussion,
                                                 started_on=held, by=social_worker)
    protection.section47_enquiry_complete(enquiry=enquiry, completed_on=held,
                                          outcome=Section47Outcome.ICPC, by=social_worker)
    protection.safety_plan_record(child=child, made_on=held, safety_goal="Fed and warm",
                                  arrangements="Daily checks",
                                  agreed_by="Mother", childs_words="I feel safe",
                                  if_breaks_down="Call the duty team", by=social_worker)
    icpc = protection.conference_record(
        kind=ChildProtectionConference.Kind.INITIAL, section47=enquiry, held_on=held,
        outcome=ChildProtectionConference.Outcome.PLAN, by=social_worker)
    protection.child_protection_plan_start(
        conference=icpc, initial_category_of_abuse=CategoryOfAbuse.NEGLECT, by=social_worker)
    return child


def fill_date(page: Page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def overnight_if_out_of_hours(page: Page) -> None:
    """A contact received out of hours asks what was done overnight. The form's date and time
    (the time is now's, and the suite's clock may stand at any hour) decide whether it asks."""
    group = page.get_by_role("group", name="Date the contact was received")
    parts = [group.get_by_label(name).input_value() for name in ("Year", "Month", "Day")]
    day = date(*map(int, parts)) if all(parts) else timezone.localdate()
    hours, _, minutes = (page.get_by_label("Time received").input_value() or "12:00").partition(":")
    received = timezone.make_aware(datetime.combine(day, time(int(hours), int(minutes))))
    if out_of_hours(received):
        page.get_by_label("Action taken out of hours").fill(
            "The emergency duty social worker rang the referrer and checked the child was safe")


def strategy_people(page: Page, time: str = "00:00") -> None:
    """The strategy discussion's time and who took part: police and school, named. The time
    is midnight, so that it is never later than the suite's clock, whatever it says."""
    page.get_by_label("Time of the strategy discussion").fill(time)
    first = page.get_by_role("group", name="Person 1", exact=True)
    first.get_by_label("Agency").select_option("police")
    first.get_by_label("Name").fill("DS Priya Rowe")
    second = page.get_by_role("group", name="Person 2", exact=True)
    second.get_by_label("Agency").select_option("education")
    second.get_by_label("Name").fill("Mark Evans")
    second.get_by_label("Role or organisation").fill("Oak Primary, safeguarding lead")


def safety_plan_words(page: Page) -> None:
    """The safety plan's questions besides its date, goal and arrangements (F37)."""
    page.get_by_label("Who agreed the safety plan").fill("Mother and maternal grandmother")
    page.get_by_label("What the child said").fill("I feel safe when Nan is here")
    page.get_by_label("What happens if the plan breaks down").fill(
        "Grandmother calls the duty team; the child stays with her")


def fill_date_by_id(page: Page, name: str, day: date) -> None:
    for part, value in enumerate((day.day, day.month, day.year)):
        page.locator(f"#id_{name}_{part}").fill(str(value))


def answer(page: Page, question: str, choice: str) -> None:
    """Choose `choice` ("Yes", "No", ...) among the radios of the fieldset `question`."""
    page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()


@dataclass
class Walk:
    """A browser signed in as one member of staff at a time, on the live server."""

    page: Page
    url: str
    axe: Callable[[Page], None]

    def as_(self, staff) -> Page:
        support.log_in_browser(self.page, self.url, staff)
        return self.page

    def child_page(self, child, tab: str = "") -> Page:
        self.page.goto(f"{self.url}/children/{child.pk}/{tab}")
        return self.page

    # The front door ----------------------------------------------------------------------------

    def new_child_at_front_door(self, *, given: str, family: str, born_on: date,
                                address: str, postcode: str, sex: str) -> None:
        """Search for the child, pass over any possible duplicates, create the record."""
        page = self.page
        page.goto(self.url + "/front-door/")
        page.get_by_role("link", name="Record a contact").click()
        page.get_by_label("First name").fill(given)
        page.get_by_label("Last name").fill(family)
        fill_date(page, "Date of birth", born_on)
        page.get_by_label("Address line 1").fill(address)
        page.get_by_label("Postcode").fill(postcode)
        page.get_by_label(sex, exact=True).check()
        page.get_by_role("button", name="Check for existing records").click()
        self.axe(page)
        page.get_by_label("None of these: create a new record").check()
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name=f"{given} {family}", level=1)).to_be_visible()

    def contact(self, *, on: date, source: str, worry: str) -> None:
        """The contact form the front door shows after the child is found or created."""
        page = self.page
        fill_date(page, "Date the contact was received", on)
        # The time is left as the form fills it, now: a fixed 09:15 is in the future on `on`,
        # today, whenever the suite runs before 09:15.
        page.get_by_label("Who made the contact?").fill("Ms Reed, Mill Lane Primary")
        page.get_by_label("Their relationship to the child").fill("Class teacher")
        page.get_by_label("Source of the contact").select_option(source)
        page.get_by_label("What are they worried about?").fill(worry)
        page.get_by_label("Who lives with the child?").fill("Mother, her partner")
        page.get_by_label("Consent given").check()
        page.get_by_label("Who gave consent?").fill("Mother")
        page.get_by_label("Who did they give it to?").fill("Ms Reed")
        overnight_if_out_of_hours(page)
        self.axe(page)
        page.get_by_role("button", name="Save contact").click()
        expect(page.get_by_text(re.compile(r"Contact about .* recorded"))).to_be_visible()

    def strategy_decision(self, contact, *, on: date, need: str, team) -> None:
        """Decide the contact: a strategy discussion, the referral passed to `team`."""
        page = self.page
        page.goto(f"{self.url}/front-door/contacts/{contact.pk}/decision/")
        page.get_by_label("Strategy discussion").check()
        page.get_by_label("Primary need").select_option(need)
        page.get_by_label("Team to pass the referral to").select_option(label=team.name)
        fill_date(page, "Date of the decision", on)  # at the time the form fills: now
        self.axe(page)
        page.get_by_role("button", name="Save decision").click()
        expect(page.get_by_text("Decision recorded: strategy discussion")).to_be_visible()

    # The team manager ---------------------------------------------------------------------------

    def allocate(self, child, *, social_worker, iro) -> None:
        """The manager holding the referral allocates a social worker and a reviewing officer."""
        page = self.child_page(child)
        page.get_by_role("link", name=f"Reallocate {child.full_name}").click()
        page.get_by_label("New worker").select_option(
            label=f"{social_worker}, {social_worker.team}")
        page.get_by_label("Management decision").check()
        self.axe(page)
        page.get_by_role("button", name="Reallocate").click()
        expect(page.get_by_text(f"is now allocated to {social_worker}")).to_be_visible()
        page.get_by_role("link", name="Allocate a reviewing officer or personal adviser").click()
        page.get_by_label("Who is to be allocated?").select_option(
            label=f"{iro} (independent reviewing officer)")
        page.get_by_role("button", name="Allocate").click()
        expect(page.get_by_text("Allocated", exact=True)).to_be_visible()

    def authorise_assessment(self, child) -> None:
        """From the "awaiting my authorisation" tray."""
        page = self.page
        page.goto(self.url + "/")
        page.get_by_role("link", name=re.compile(r"^Authorisations \(\d+\)")).click()
        page.get_by_role("link", name=f"Single assessment for {child.full_name}").click()
        page.get_by_label("Authorise the assessment").check()
        page.get_by_label("Comments").fill("Risk is clear; the conference should go ahead")
        self.axe(page)
        page.get_by_role("button", name="Record decision").click()
        expect(page.get_by_text("Assessment authorised")).to_be_visible()

    # Child protection ---------------------------------------------------------------------------

    def strategy_discussion_and_s47(self, child, *, on: date) -> None:
        page = self.child_page(child)
        page.get_by_role("link", name="Record a strategy discussion").click()
        fill_date(page, "Date of the strategy discussion", on)
        strategy_people(page)
        page.get_by_label("Information shared").fill("Bruise seen by the class teacher")
        page.get_by_label("Decision").fill("Joint section 47 enquiry by social care and police")
        page.get_by_label("Yes").check()
        self.axe(page)
        page.get_by_role("button", name="Save strategy discussion").click()
        expect(page.get_by_role("heading", name="Start a section 47 enquiry")).to_be_visible()
        page.get_by_role("button", name="Start enquiry").click()
        expect(page.get_by_text("Section 47 enquiry started").first).to_be_visible()

    def s47_outcome_and_safety_plan(self, child, *, on: date) -> None:
        page = self.child_page(child, "protection/")
        page.get_by_role("link", name=re.compile("Record the outcome")).click()
        fill_date(page, "Date the enquiry concluded", on)
        page.get_by_label(re.compile("Risk of significant harm")).check()
        self.axe(page)
        page.get_by_role("button", name="Save outcome").click()
        expect(page.get_by_role("heading", name="Record a safety plan")).to_be_visible()
        fill_date(page, "Date the safety plan was agreed", on)
        page.get_by_label("Safety goal").fill("The child is safe at home every night")
        page.get_by_label("Arrangements").fill("Partner moves out; grandmother stays overnight")
        safety_plan_words(page)
        page.get_by_role("button", name="Save safety plan").click()
        expect(page.get_by_text("Safety plan recorded")).to_be_visible()

    def submit_assessment(self, child, *, on: date) -> None:
        page = self.child_page(child)
        page.get_by_role("link", name="Start a single assessment").click()
        fill_date_by_id(page, "started_on", on)
        page.get_by_role("button", name="Start assessment").click()
        expect(page.get_by_text("Assessment started")).to_be_visible()
        page.get_by_label("The child's own words").fill("I don't like it when he shouts")
        page.get_by_label("What are we worried about?").fill("A bruise from mother's partner")
        page.get_by_label("What is working well?").fill("Grandmother is close and protective")
        page.get_by_label("What needs to happen?").fill("Partner out of the home; a plan")
        page.locator("#id_safety_scale_3").check()
        fill_date_by_id(page, "child_seen_on", on)
        page.get_by_label("Abuse or neglect: physical abuse, adult on child (18C)").check()
        page.get_by_label("Domestic abuse: concerns about the child (3A)").check()
        page.locator("#id_further_action").check()
        self.axe(page)
        page.get_by_role("button", name="Submit to a manager").click()
        expect(page.get_by_text("Assessment submitted to a manager")).to_be_visible()

    def icpc_with_plan(self, child, *, on: date, category: str) -> None:
        """The chair records the conference, its plan, and a need with what F19 asks."""
        page = self.child_page(child)
        page.get_by_role("link", name="Record an initial child protection conference").click()
        fill_date(page, "Date of the conference", on)
        page.get_by_label("Child protection plan", exact=True).check()
        page.get_by_label("Category of abuse (if a plan)").select_option(category)
        self.axe(page)
        page.get_by_role("button", name="Save conference").click()
        expect(page.get_by_role("heading", name=re.compile("Child protection plan from"))
               ).to_be_visible()
        # F19: the plan asks for the child's own words until they are recorded.
        page.get_by_role("link", name="Record the child's words").click()
        page.get_by_label("The child's own words").fill("I want my dad to stop shouting")
        self.axe(page)
        page.get_by_role("button", name="Save the child's words").click()
        expect(page.get_by_text("I want my dad to stop shouting")).to_be_visible()
        page.get_by_role("link", name="Add a need").click()
        page.get_by_label("Need", exact=True).fill("Safe care at home")
        page.get_by_label("Outcome").fill("The child is not hurt and feels safe at home")
        page.get_by_label("Action", exact=True).fill(
            "Partner lives away; unannounced visits weekly")
        page.get_by_label("Who is responsible").fill("Social worker and mother")
        fill_date(page, "Date the action is due", on + timedelta(days=28))
        page.get_by_role("button", name="Save need").click()
        expect(page.get_by_role("cell", name="Safe care at home")).to_be_visible()

    def visit(self, plan, *, on: date, seen_alone: bool) -> None:
        page = self.page
        page.goto(f"{self.url}/children/{plan.child_id}/protection-plans/{plan.pk}/")
        page.get_by_role("link", name="Record a visit").click()
        fill_date(page, "Date of the visit", on)
        answer(page, "Was the child seen?", "Yes")
        answer(page, "Was the child seen alone?", "Yes" if seen_alone else "No")
        if not seen_alone:
            page.get_by_label("Why was the child not seen alone?").fill(
                "The child asked for their mother to stay")
        answer(page, "Was the child's bedroom seen?", "Yes")
        page.get_by_label("Notes").fill("Home warm and tidy; the child showed me their room")
        self.axe(page)
        page.get_by_role("button", name="Save visit").click()
        expect(page.get_by_text("Visit recorded")).to_be_visible()

    # Pre-proceedings and court -----------------------------------------------------------------

    def pre_proceedings(self, child, *, started_on: date, letter_on: date,
                        reviewed_on: date) -> None:
        """The manager starts pre-proceedings, records the letter, and a review to issue."""
        page = self.child_page(child)
        page.get_by_role("link", name="Start pre-proceedings").click()
        fill_date(page, "Date of the legal gateway decision", started_on)
        self.axe(page)
        page.get_by_role("button", name="Start pre-proceedings").click()
        expect(page.get_by_text("Pre-proceedings started").first).to_be_visible()
        page.get_by_role("link", name="Record the letter").click()
        fill_date(page, "Date the letter before proceedings was sent", letter_on)
        page.get_by_role("button", name="Save letter").click()
        expect(page.get_by_text("Letter before proceedings recorded")).to_be_visible()
        page.get_by_role("link", name="Record a review").click()
        fill_date(page, "Date of the review", reviewed_on)
        page.get_by_label("Who attended").fill("Parents, their solicitor, team manager")
        page.get_by_label("Progress against the plan").fill("Home conditions have not improved")
        page.get_by_label("Issue proceedings").check()
        self.axe(page)
        page.get_by_role("button", name="Save review").click()
        expect(page.get_by_text("Pre-proceedings review recorded")).to_be_visible()

    def care_proceedings(self, child, *, issued_on: date, hearing_on: date) -> None:
        """The social worker records the application issued and the interim hearing."""
        page = self.child_page(child, "legal/")
        page.get_by_role("link", name="Record care proceedings issued").click()
        fill_date(page, "Date the application was issued", issued_on)
        page.get_by_label("Court", exact=True).fill("Family Court at Leeds")
        page.get_by_label("Case number").fill("LS26C00123")
        page.get_by_label("Care order", exact=True).check()
        expect(page.get_by_label("Yes")).to_be_checked()  # follows the pre-proceedings
        self.axe(page)
        page.get_by_role("button", name="Save proceedings").click()
        expect(page.get_by_text("Care proceedings recorded")).to_be_visible()
        page.get_by_role("link", name="Record a hearing").click()
        fill_date(page, "Date of the hearing", hearing_on)
        page.get_by_label("Interim care order hearing", exact=True).check()
        page.get_by_label("Interim care order", exact=True).check()  # the order made at it
        page.get_by_label("What happened").fill("Interim care order made; the child to stay "
                                                "with the grandmother as a foster carer")
        self.axe(page)
        page.get_by_role("button", name="Save hearing").click()
        expect(page.get_by_text("Hearing recorded")).to_be_visible()

    # Looked after -------------------------------------------------------------------------------

    def start_care(self, child, *, on: date, placement_type: str, provider: str,
                   placement_postcode: str, urn: str, home_postcode: str = "",
                   expect_legal_status: str = "C1", category: str = "N1") -> None:
        """Start a period of care from the child's record; the legal status is prefilled from
        the court record and, when the child has an address, the home postcode from it."""
        page = self.child_page(child)
        page.get_by_role("link", name="Start a period of care").click()
        expect(page.get_by_label("Legal status")).to_have_value(expect_legal_status)
        fill_date(page, "Date the child started to be looked after", on)
        page.locator(f'input[name="category_of_need"][value="{category}"]').check()
        page.get_by_label("Placement type").select_option(placement_type)
        page.locator(f'input[name="placement_provider"][value="{provider}"]').check()
        page.get_by_label("Placement postcode").fill(placement_postcode)
        if home_postcode:
            page.get_by_label("Home postcode").fill(home_postcode)
        else:
            expect(page.get_by_label("Home postcode")).not_to_have_value("")
        page.get_by_role("button", name="Start the period of care").click()
        # The URN is left for last: the page says it is needed, keeping what was typed.
        expect(page.get_by_role("alert")).to_contain_text("Enter the Ofsted URN of the placement")
        expect(page.get_by_label("Placement postcode")).to_have_value(placement_postcode)
        self.axe(page)
        page.get_by_label("Ofsted URN of the placement").fill(urn)
        page.get_by_role("button", name="Start the period of care").click()
        expect(page.get_by_text("Period of care started")).to_be_visible()
        self.axe(page)

    def change_placement(self, child, *, on: date, placement_type: str, provider: str,
                         placement_postcode: str, urn: str, reason: str) -> None:
        """A change of placement and carers (RNE P) from the care record."""
        page = self.child_page(child, "care/")
        page.get_by_role("link", name="Change placement or legal status").first.click()
        fill_date(page, "Date of the change", on)
        page.locator('input[name="reason_new_episode"][value="P"]').check()
        page.get_by_label("Placement type").select_option(placement_type)
        page.locator(f'input[name="placement_provider"][value="{provider}"]').check()
        page.get_by_label("Placement postcode").fill(placement_postcode)
        page.get_by_label("Ofsted URN of the placement").fill(urn)
        page.get_by_role("button", name="Save the change").click()
        expect(page.get_by_role("alert")).to_contain_text("Enter why the placement changed")
        self.axe(page)
        page.get_by_label("Reason for the placement change").select_option(reason)
        page.get_by_role("button", name="Save the change").click()
        expect(page.get_by_text("Change recorded")).to_be_visible()

    def looked_after_visit(self, child, *, on: date) -> None:
        page = self.child_page(child, "care/")
        page.get_by_role("link", name="Record a statutory visit").first.click()
        fill_date(page, "Date of the visit", on)
        answer(page, "Was the child seen?", "Yes")
        answer(page, "Was the child seen alone?", "Yes")
        page.get_by_label("Notes").fill("Settled; showed me their room and school books")
        self.axe(page)
        page.get_by_role("button", name="Save visit").click()
        expect(page.get_by_text("Statutory visit recorded")).to_be_visible()

    def looked_after_review(self, child, *, on: date) -> None:
        page = self.child_page(child, "care/")
        page.get_by_role("link", name="Record a looked-after review").first.click()
        fill_date(page, "Date of the review", on)
        page.locator('input[name="participation"][value="PN1"]').check()
        page.get_by_label("Notes").fill("Care plan endorsed; contact with mother twice weekly")
        self.axe(page)
        page.get_by_role("button", name="Save review").click()
        expect(page.get_by_text("Looked-after review recorded")).to_be_visible()

    def reallocate(self, child, *, to, on: date, reason: str) -> None:
        """The manager hands the child to `to` from `on` (as when care starts: 903 SW12)."""
        page = self.child_page(child)
        page.get_by_role("link", name=f"Reallocate {child.full_name}").click()
        page.get_by_label("New worker").select_option(label=f"{to}, {to.team}")
        page.get_by_label(reason, exact=True).check()
        fill_date(page, "Date of the change", on)
        self.axe(page)
        page.get_by_role("button", name="Reallocate").click()
        expect(page.get_by_text(f"is now allocated to {to}")).to_be_visible()
