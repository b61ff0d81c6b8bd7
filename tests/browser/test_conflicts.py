"""Two people editing the same record in two browsers: the second to save sees what the first
saved, field by field beside their own typing, with who and when, chooses per field, and saving
again keeps the first person's change wherever the second did not choose their own. Three edit
forms: the child's details, a single assessment and a child in need review. Axe runs on each
conflict page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

import support
from cairn.core.audit import AuditEvent
from cairn.core.conflicts import _moment
from cairn.frontdoor.services import referral_record
from cairn.people.models import Child
from cairn.protection import services, services_assessment
from cairn.protection.models import Assessment, PlanNeed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()


@pytest.fixture
def manager_page(browser, live_server, team_manager):
    """A second browser, signed in as the team manager."""
    context = browser.new_context()
    page = context.new_page()
    support.log_in_browser(page, live_server.url, team_manager)
    yield page
    context.close()


@pytest.fixture
def referral(child, social_worker):
    return referral_record(child=child, received_on=TODAY - timedelta(days=20), source="2A",
                           primary_need="N1", by=social_worker)


def _when(obj) -> str:
    """When the audit trail says `obj` was last changed, as the conflict panel says it."""
    event = AuditEvent.objects.filter(object_type=obj._meta.label_lower,
                                      object_id=str(obj.pk)).latest("at", "id")
    return _moment(event.at)


def _conflict_shown(page, axe, label: str, by: str, when: str, theirs: str, mine: str):
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(f"{by} changed this")
    # The error summary leads to the first choice to make.
    alert.get_by_role("link").first.click()
    group = page.get_by_role("group", name=label, exact=True)
    expect(group).to_contain_text(f"{by} changed this on {when}: {theirs}")
    expect(group.get_by_label("Keep their value")).to_be_checked()
    expect(group.get_by_label(f"Use mine: {mine}")).not_to_be_checked()
    axe(page)
    return group


def test_childs_details_keep_the_managers_change(page, manager_page, live_server, child,
                                                 social_worker, team_manager, browser_log_in,
                                                 axe):
    url = f"{live_server.url}/children/{child.pk}/details/"
    browser_log_in(social_worker)
    page.goto(url)
    manager_page.goto(url)
    manager_page.get_by_label("First language").fill("Welsh")
    manager_page.get_by_label("Other names").fill("Al")
    manager_page.get_by_role("button", name="Save details").click()
    expect(manager_page.get_by_text("Details saved")).to_be_visible()

    # The worker, on the page opened before, changes the language and the UPN.
    page.get_by_label("First language").fill("Polish")
    page.get_by_label("Unique pupil number (UPN)").fill("A123456789012")
    page.get_by_label("Why there is no UPN").select_option("")
    page.get_by_role("button", name="Save details").click()
    group = _conflict_shown(page, axe, "First language", team_manager.get_full_name(),
                            _when(child), "Welsh", "Polish")
    other = page.get_by_role("group", name="Other names")
    expect(other).to_contain_text("Al")
    expect(other.get_by_label("Use mine: Not given")).to_be_visible()
    # The worker's own typing stays in the form.
    expect(page.get_by_label("Unique pupil number (UPN)")).to_have_value("A123456789012")
    group.get_by_label("Use mine: Polish").check()
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_text("Details saved")).to_be_visible()

    child = Child.objects.get(pk=child.pk)
    # Theirs kept where the worker did not choose their own; the worker's language chosen.
    assert (child.first_language, child.other_names, child.upn) == (
        "Polish", "Al", "A123456789012")


def test_an_assessment_keeps_the_managers_worries(page, manager_page, live_server, referral,
                                                  social_worker, team_manager, browser_log_in,
                                                  axe):
    assessment = services.assessment_start(referral=referral,
                                           started_on=TODAY - timedelta(days=19),
                                           by=social_worker)
    url = f"{live_server.url}/assessments/{assessment.pk}/"
    browser_log_in(social_worker)
    page.goto(url)
    manager_page.goto(url)
    manager_page.get_by_label("What are we worried about?").fill("Nobody takes Ada to school")
    manager_page.get_by_role("button", name="Save as draft").click()
    expect(manager_page.get_by_text("Assessment saved as a draft")).to_be_visible()

    page.get_by_label("What are we worried about?").fill("Ada is often late")
    page.get_by_label("What is working well?").fill("Nan helps in the mornings")
    page.get_by_role("button", name="Save as draft").click()
    _conflict_shown(page, axe, "What are we worried about?", team_manager.get_full_name(),
                    _when(assessment), "Nobody takes Ada to school", "Ada is often late")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("Assessment saved as a draft")).to_be_visible()

    assessment = Assessment.objects.get(pk=assessment.pk)
    assert (assessment.worries, assessment.working_well) == (
        "Nobody takes Ada to school", "Nan helps in the mornings")


def test_a_need_review_keeps_the_managers_outcome(page, manager_page, live_server, referral,
                                                  social_worker, team_manager, browser_log_in,
                                                  axe):
    plan = services.cin_plan_start(referral=referral, started_on=TODAY - timedelta(days=10),
                                   by=social_worker, childs_words="I like my school")
    need = services_assessment.plan_need_add(
        plan=plan, need="Getting to school", outcome="Ada in school every day",
        what="Nan to do the school run", owner_name="Nan", by=social_worker,
        due_on=TODAY + timedelta(days=28))
    url = f"{live_server.url}/cin-plans/{plan.pk}/needs/{need.pk}/"
    browser_log_in(social_worker)
    page.goto(url)
    manager_page.goto(url)
    manager_page.get_by_label("Outcome").fill("Ada in school on time every day")
    manager_page.get_by_role("button", name="Save review").click()
    expect(manager_page.get_by_text("Review of the need recorded")).to_be_visible()

    for box, value in zip(("Day", "Month", "Year"), (TODAY.day, TODAY.month, TODAY.year)):
        page.get_by_role("group", name="Date the outcome was met").get_by_label(
            box).fill(str(value))
    page.get_by_role("button", name="Save review").click()
    _conflict_shown(page, axe, "Outcome", team_manager.get_full_name(), _when(need),
                    "Ada in school on time every day", "Ada in school every day")
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_text("Review of the need recorded")).to_be_visible()

    need = PlanNeed.objects.get(pk=need.pk)
    assert (need.outcome, need.met_on) == ("Ada in school on time every day", TODAY)
