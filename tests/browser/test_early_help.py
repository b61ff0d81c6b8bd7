"""Early help in headless Chromium: an early help worker starts early help, agrees a plan need by
need, reviews it need by need, asks to step the child up; a team manager authorises it, and the
referral it opens is on the child's record and chronology. axe-core checks every page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

import support
from cairn.core.models import Draft
from cairn.frontdoor.models import (
    EarlyHelpPlanNeed,
    EarlyHelpReviewNeedProgress,
    Referral,
    StepDecision,
)
from cairn.workforce.models import Allocation, Role, Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_date(scope, legend: str, day) -> None:
    group = scope.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _fill_need(page, number: int, need: str, outcome: str, actions: str, owner: str,
               due) -> None:
    group = page.get_by_role("group", name=f"Need {number}", exact=True)
    group.get_by_label("What the family needs help with").fill(need)
    group.get_by_label("Outcome wanted").fill(outcome)
    group.get_by_label("Actions").fill(actions)
    group.get_by_label("Who is responsible").fill(owner)
    if due is not None:
        _fill_date(group, "By when", due)


def test_early_help_plan_then_a_step_up_authorised_by_a_team_manager(
        page, live_server, teams, early_help_worker, browser_log_in, axe):
    help_team = teams[Team.Kind.EARLY_HELP]
    manager = support.make_staff("hana_lead", Role.TEAM_MANAGER, help_team)
    help_team.manager = manager
    help_team.save(update_fields=["manager"])
    social_team = teams[Team.Kind.ASSESSMENT]
    social_team.manager = support.make_staff("tom_lead", Role.TEAM_MANAGER, social_team)
    social_team.save(update_fields=["manager"])
    child = support.make_child("Mia", "Hart")
    support.allocate(child, early_help_worker, kind=Allocation.Kind.EARLY_HELP)
    today = timezone.localdate()

    browser_log_in(early_help_worker)
    page.goto(live_server.url + f"/children/{child.pk}/")
    page.get_by_role("link", name="Start early help").click()
    page.get_by_role("button", name="Start early help").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the lead organisation")
    axe(page)
    _fill_date(page, "Date early help started", today)
    page.get_by_label("Lead organisation").fill("Family Hub North")
    page.get_by_label("Why is early help needed?").fill("Mia is missing school")
    page.get_by_role("button", name="Start early help").click()
    expect(page.get_by_text("Early help started")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Record a plan").click()
    expect(page.get_by_role("heading", name="Record the early help plan")).to_be_visible()
    axe(page)
    _fill_date(page, "Date the plan was agreed", today)
    _fill_need(page, 1, "Mia is missing school", "Mia at school every day",
               "School rings home by 10am", "Ms Reed, Oak Primary", today + timedelta(days=28))
    page.get_by_role("button", name="Add another need").click()
    expect(page.get_by_role("group", name="Need 2", exact=True)).to_be_visible()
    expect(page.get_by_role("group", name="Need 1", exact=True).get_by_label("Actions")
           ).to_have_value("School rings home by 10am")
    axe(page)
    _fill_need(page, 2, "Mum is isolated", "", "Family worker goes with her to a group",
               "", None)
    # Enter in a field saves the plan (it does not add a third need).
    page.get_by_role("group", name="Need 1", exact=True).get_by_label(
        "Who is responsible").press("Enter")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Enter the outcome wanted for need 2")
    expect(page.get_by_role("alert")).to_contain_text("Enter who is responsible for need 2")
    expect(page.get_by_role("alert")).to_contain_text("Enter the date need 2 should be met by")
    expect(page.get_by_role("group", name="Need 2", exact=True).get_by_label("Actions")
           ).to_have_value("Family worker goes with her to a group")
    axe(page)
    _fill_need(page, 2, "Mum is isolated", "Mum goes to a parents' group each week",
               "Family worker goes with her to a group", "Jo Bell, Family Hub North",
               today + timedelta(days=42))
    page.get_by_role("button", name="Save plan").click()
    expect(page.get_by_text("Early help plan recorded")).to_be_visible()
    expect(page.get_by_role("cell", name="Mum goes to a parents' group each week")).to_be_visible()
    assert EarlyHelpPlanNeed.objects.filter(child=child).count() == 2
    axe(page)

    # The review says how each need is going; a need left without an answer is named.
    page.get_by_role("link", name="Record a review").click()
    expect(page.get_by_role("heading", name="Record a review of the early help plan")
           ).to_be_visible()
    axe(page)
    _fill_date(page, "Date of the review", today)
    school = page.get_by_role("group", name="Need 1: Mia is missing school")
    school.get_by_label("Progressing", exact=True).check()
    page.get_by_label("What has changed for need 1 (optional)").fill("Late twice this week")
    page.get_by_label("Overall progress against the plan").fill("Attendance is improving")
    page.get_by_role("button", name="Save review").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Select how need 2 is going")
    expect(page.get_by_label("What has changed for need 1 (optional)")).to_have_value(
        "Late twice this week")
    expect(school.get_by_label("Progressing", exact=True)).to_be_checked()
    axe(page)
    page.get_by_role("alert").get_by_role("link", name="Select how need 2 is going").click()
    page.get_by_role("group", name="Need 2: Mum is isolated").get_by_label(
        "Not progressing").check()
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_text("Early help review recorded")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("^Progressing at the review on .*: "
                                                    "Late twice this week"))).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("^Not progressing at the review"))
           ).to_be_visible()
    assert EarlyHelpReviewNeedProgress.objects.filter(child=child).count() == 2
    axe(page)

    # Circumstances change: a third need joins the plan already agreed.
    page.get_by_role("link", name=re.compile("^Add a need")).click()
    axe(page)
    page.get_by_label("What the family needs help with").fill("Rent arrears")
    page.get_by_label("Outcome wanted").fill("A repayment plan the family keeps to")
    page.get_by_label("Actions").fill("Debt adviser visits with mum")
    page.get_by_label("Who is responsible").fill("Citizens Advice")
    _fill_date(page, "By when", today + timedelta(days=42))
    page.get_by_role("button", name="Add need").click()
    expect(page.get_by_text("Need added to the early help plan")).to_be_visible()
    expect(page.get_by_role("cell", name="Rent arrears")).to_be_visible()
    axe(page)

    # A draft typed on another computer is offered on the step request form (opened afresh
    # from a link, the form is a new one: the draft comes back when asked for).
    step_path = f"/front-door/children/{child.pk}/steps/new/"
    Draft.objects.create(owner=early_help_worker, key=step_path,
                         data={"rationale": "Attendance has fallen to 40%"})
    page.get_by_role("link", name="Ask to step up or step down").click()
    page.get_by_role("button", name="Bring back the draft").click()
    expect(page.get_by_label("Why is this step right for the child?")).to_have_value(
        "Attendance has fallen to 40%")
    axe(page)
    page.get_by_label("Step up to children's social care").check()
    page.get_by_role("button", name="Ask for authorisation").click()
    expect(page.get_by_text("Awaiting authorisation")).to_be_visible()
    axe(page)
    step = StepDecision.objects.get(child=child)
    assert not Referral.objects.filter(child=child).exists()

    browser_log_in(manager)
    page.goto(live_server.url + "/front-door/")
    axe(page)
    page.get_by_role("link", name="Mia Hart: step up to children's social care").click()
    axe(page)
    page.get_by_label("Authorise the step").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your rationale")
    axe(page)
    page.get_by_label("Your rationale").fill("Agreed: the plan has not changed attendance")
    page.get_by_role("button", name="Save decision").click()
    # Early help's manager says which social care team takes the child.
    expect(page.get_by_role("alert")).to_contain_text(
        "Choose the social care team to take the child")
    page.get_by_label("Social care team to take the child").select_option(
        label=social_team.name)
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Step authorised")).to_be_visible()
    referral = Referral.objects.get(child=child)
    assert (referral.source, referral.received_on) == ("5D", today)
    step.refresh_from_db()
    assert (step.authorised_by, step.referral) == (manager, referral)
    axe(page)

    # The child is now the social care team's: its manager holds them to allocate.
    browser_log_in(social_team.manager)
    page.goto(live_server.url + f"/front-door/step-decisions/{step.pk}/")
    expect(page.get_by_text(f"Referral to children's social care received "
                            f"{today:%-d %b %Y}")).to_be_visible()
    page.goto(live_server.url + f"/front-door/children/{child.pk}/early-help/")
    expect(page.get_by_text(f"referral received {today:%-d %b %Y}")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Chronology").click()
    for label in ("Referral received", "Early help ended", "Step up or down authorised",
                  "Early help started"):
        expect(page.get_by_role("cell", name=label, exact=True).first).to_be_visible()
    axe(page)
