"""Early help as its team works it, in headless Chromium: the front door decides early help and
names the early help team; the team's manager finds the child on My work and allocates a
practitioner, who opens the child's record. And a draft belongs to one form: after a refused
"add a need", the next need's form is not filled in from it. axe-core checks every page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

import support
from cairn.frontdoor import services
from cairn.frontdoor.models import ConsentStatus, ContactSource, EarlyHelpPlanNeed
from cairn.workforce.models import Allocation, Role, Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_date(scope, legend: str, day) -> None:
    group = scope.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


@pytest.fixture
def help_team(teams):
    team = teams[Team.Kind.EARLY_HELP]
    manager = support.make_staff("hana_lead", Role.TEAM_MANAGER, team)
    team.manager = manager
    team.save(update_fields=["manager"])
    return team


def test_an_early_help_decision_is_allocated_and_opened_by_the_practitioner(
        page, live_server, teams, help_team, early_help_worker, browser_log_in, axe):
    front_door = support.make_staff("fred_door", Role.FRONT_DOOR, teams[Team.Kind.FRONT_DOOR])
    child = support.make_child("Mia", "Hart")
    contact = services.contact_record(
        child=child, received_at=timezone.now() - timedelta(hours=3),
        source=ContactSource.SCHOOLS, concerns="Often late and tired",
        consent=ConsentStatus.GIVEN, by=front_door)

    browser_log_in(front_door)
    page.goto(live_server.url + f"/front-door/contacts/{contact.pk}/decision/")
    page.get_by_label("Early help", exact=True).check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Choose the early help team to pass the child to")
    axe(page)
    page.get_by_label("Early help team to pass the child to").select_option(
        label=help_team.name)
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Decision recorded: early help")).to_be_visible()
    axe(page)

    browser_log_in(help_team.manager)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Early help to allocate (1)")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Allocate a practitioner to Mia Hart").click()
    axe(page)
    page.get_by_label("Early help practitioner").select_option(
        label=f"{early_help_worker}, {help_team.name}")
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_text("Early help practitioner allocated")).to_be_visible()
    allocation = Allocation.objects.get(child=child, ended_on__isnull=True)
    assert (allocation.worker, allocation.kind) == (early_help_worker, "EH")
    axe(page)

    browser_log_in(early_help_worker)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Mia Hart").first.click()
    expect(page.get_by_role("heading", name=re.compile("Mia Hart"))).to_be_visible()
    expect(page).not_to_have_title(re.compile("not found", re.I))
    axe(page)


def test_a_refused_need_does_not_fill_the_next_needs_form(
        page, live_server, help_team, early_help_worker, browser_log_in, axe):
    child = support.make_child("Mia", "Hart")
    support.allocate(child, early_help_worker, kind=Allocation.Kind.EARLY_HELP)
    today = timezone.localdate()
    episode = services.early_help_start(child=child, started_on=today - timedelta(days=30),
                                        organisation="Family Hub North", by=early_help_worker,
                                        worker=early_help_worker)
    services.early_help_plan_record(episode=episode, started_on=today - timedelta(days=20),
                                    by=early_help_worker, needs=[
        {"need": "School attendance", "outcome": "At school every day", "actions": "Walk",
         "owner": None, "owner_name": "Oak Primary", "due_on": today + timedelta(days=30)}])

    browser_log_in(early_help_worker)
    page.goto(live_server.url + f"/front-door/children/{child.pk}/early-help/")
    page.get_by_role("link", name=re.compile("^Add a need")).click()
    page.get_by_label("What the family needs help with").fill("Rent arrears")
    page.get_by_label("Outcome wanted").fill("A repayment plan the family keeps to")
    page.wait_for_timeout(300)  # the typing's copy is written
    page.get_by_role("button", name="Add need").click()  # refused: no actions, owner or date
    expect(page).to_have_title(re.compile("^Error: "))
    page.get_by_role("link", name="Cancel").click()

    # The next need, on a form opened afresh: empty, with the earlier draft offered.
    page.get_by_role("link", name=re.compile("^Add a need")).click()
    expect(page.get_by_text("You have an unsaved draft of this form")).to_be_visible()
    expect(page.get_by_label("What the family needs help with")).to_have_value("")
    axe(page)
    page.get_by_label("What the family needs help with").fill("Mum is isolated")
    expect(page.get_by_text("You have an unsaved draft of this form")).to_have_count(0)
    page.get_by_label("Outcome wanted").fill("Mum goes to a parents' group each week")
    page.get_by_label("Actions").fill("Family worker goes with her")
    page.get_by_label("Who is responsible").fill("Jo Bell")
    _fill_date(page, "By when", today + timedelta(days=42))
    page.get_by_role("button", name="Add need").click()
    expect(page.get_by_text("Need added to the early help plan")).to_be_visible()
    added = EarlyHelpPlanNeed.objects.filter(child=child).order_by("pk").last()
    assert (added.need, added.outcome) == ("Mum is isolated",
                                           "Mum goes to a parents' group each week")
    assert not EarlyHelpPlanNeed.objects.filter(need="Rent arrears").exists()

    # A draft left on an earlier form comes back only when asked for.
    page.get_by_role("link", name=re.compile("^Add a need")).click()
    page.get_by_label("What the family needs help with").fill("Rent arrears")
    page.wait_for_timeout(300)
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name=re.compile("^Add a need")).click()
    page.get_by_role("button", name="Bring back the draft").click()
    expect(page.get_by_label("What the family needs help with")).to_have_value("Rent arrears")
    expect(page.get_by_text("Your unsaved draft has been brought back.")).to_be_visible()
    # Reloading the same form brings its draft back by itself.
    page.wait_for_timeout(300)
    page.reload()
    expect(page.get_by_label("What the family needs help with")).to_have_value("Rent arrears")
