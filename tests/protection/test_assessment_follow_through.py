"""Issue 12, assessment and plans: late authorisation asks why; every version of an assessment
opens as it was; a significant event raises a dated update task (F1); plans carry the child's
own words (F19) and their actions reach their owners' lists; a visit where the child was not
seen alone says why; a child in need plan has dated reviews with the next due by a local rule."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.core import names, timescales
from cairn.core import services as core_services
from cairn.core.errors import RecordError
from cairn.core.models import TimescaleRule
from cairn.core.timescales import add_months, add_working_days
from cairn.frontdoor.services import contact_record, referral_record
from cairn.protection import selectors_assessment as selectors
from cairn.protection import services, services_assessment
from cairn.protection.models import (
    Assessment,
    AssessmentUpdate,
    CategoryOfAbuse,
    ChildProtectionPlan,
    CINPlanReview,
)
from cairn.workforce.models import Role, Staff

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _date(name: str, day: date) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def _submitted(referral, worker, *, started_on, **changes) -> Assessment:
    assessment = services.assessment_start(referral=referral, started_on=started_on, by=worker)
    values = dict(assessment=assessment, submitted_on=started_on + timedelta(days=1), by=worker,
                  factors=["16A"], further_action=True, childs_words="I like my nan's house",
                  worries="Nobody takes Ada to school")
    values.update(changes)
    return services.assessment_submit(**values)


@pytest.fixture
def old_referral(child, social_worker):
    """A referral received 80 days ago: its 45 working days have run out."""
    return referral_record(child=child, received_on=TODAY - timedelta(days=80), source="2A",
                           primary_need="N1", by=social_worker)


@pytest.fixture
def referral(child, social_worker):
    return referral_record(child=child, received_on=TODAY - timedelta(days=20), source="2A",
                           primary_need="N1", by=social_worker)


# Late authorisation ----------------------------------------------------------------------------


def test_authorising_late_asks_for_the_reason_which_is_kept_and_shown(
        log_in, social_worker, team_manager, old_referral):
    assessment = _submitted(old_referral, social_worker, started_on=TODAY - timedelta(days=79))
    due_on = add_working_days(old_referral.received_on, 45)
    assert due_on < TODAY
    client = log_in(team_manager)
    url = reverse("assessment_decide", args=[assessment.pk])
    page = client.get(url).content.decode()
    assert f"The assessment was due by {due_on:%-d %B %Y}" in page
    response = client.post(url, {"outcome": "authorise", "version": assessment.version})
    assert f"The assessment is late (it was due by {due_on:%-d %B %Y}): enter the reason" in (
        response.content.decode())
    assert Assessment.objects.get().authorised_on is None
    # The service asks too, whatever page calls it.
    with pytest.raises(RecordError, match="enter the reason for the delay") as error:
        services.assessment_authorise(assessment=assessment, authorised_on=TODAY,
                                      by=team_manager)
    assert error.value.field == "reason_late"
    response = client.post(url, {"outcome": "authorise", "version": assessment.version,
                                 "reason_late": "The father was in hospital for three weeks"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.reason_late == "The father was in hospital for three weeks"
    for page_url in (reverse("assessment", args=[assessment.pk]),):
        page = log_in(social_worker).get(page_url).content.decode()
        assert "Reason for the delay" in page
        assert "The father was in hospital for three weeks" in page


def test_authorising_in_time_asks_for_no_reason(social_worker, team_manager, referral):
    assessment = _submitted(referral, social_worker, started_on=TODAY - timedelta(days=19))
    services.assessment_authorise(assessment=assessment, authorised_on=TODAY, by=team_manager,
                                  reason_late="Typed by mistake")
    assert Assessment.objects.get().reason_late == ""


# Every version readable -------------------------------------------------------------------------


def test_a_returned_version_opens_as_it_was_with_the_managers_comments(
        log_in, social_worker, team_manager, referral):
    assessment = _submitted(referral, social_worker, started_on=TODAY - timedelta(days=19),
                            worries="First draft of the worries")
    read = assessment.version
    services.assessment_return(assessment=assessment, by=team_manager,
                               comments="Say what Ada said about the nights")
    services.assessment_submit(assessment=assessment, submitted_on=TODAY, by=social_worker,
                               factors=["16A", "4B"], further_action=True,
                               childs_words="I am scared at night",
                               worries="Second draft of the worries")
    services.assessment_authorise(assessment=assessment, authorised_on=TODAY, by=team_manager)
    client = log_in(social_worker)
    page = client.get(reverse("assessment", args=[assessment.pk])).content.decode()
    returned_url = reverse("assessment_version", args=[assessment.pk, read])
    assert f'href="{returned_url}"' in page  # the decision's version number is a link
    versions = selectors.assessment_versions(Assessment.objects.get())
    # Every version listed, and every number a decision names, opens.
    for version in versions:
        url = reverse("assessment_version", args=[assessment.pk, version.number])
        assert f'href="{url}"' in page
        assert client.get(url).status_code == 200
    assert [v.what for v in versions] == [
        "Started", "Submitted to a manager", "Returned to the worker",
        "Submitted to a manager", "Authorised"]
    returned = client.get(returned_url).content.decode()
    assert "First draft of the worries" in returned
    assert "Second draft of the worries" not in returned
    assert "Say what Ada said about the nights" in returned
    assert "Returned to the worker" in returned
    assert "4B" not in returned  # the factors as they were then
    latest = client.get(reverse("assessment_version", args=[assessment.pk, versions[-1].number])
                        ).content.decode()
    assert "Second draft of the worries" in latest and "4B" in latest
    # A number never offered is not found.
    assert client.get(reverse("assessment_version", args=[assessment.pk, 99])).status_code == 404


def test_a_stranger_cannot_open_a_version(log_in, social_worker, stranger, referral):
    assessment = _submitted(referral, social_worker, started_on=TODAY - timedelta(days=19))
    url = reverse("assessment_version", args=[assessment.pk, assessment.version])
    assert log_in(stranger).get(url).status_code == 404


# Update due after a significant event (F1) --------------------------------------------------------


def test_an_event_after_authorisation_raises_an_update_task_due_by_the_rule(
        log_in, child, social_worker, team_manager, team, old_referral):
    assessment = _submitted(old_referral, social_worker, started_on=TODAY - timedelta(days=79),
                            submitted_on=TODAY - timedelta(days=60))
    services.assessment_authorise(assessment=assessment, authorised_on=TODAY - timedelta(days=60),
                                  by=team_manager, reason_late="")
    assert not AssessmentUpdate.objects.exists()
    received = timezone.now() - timedelta(days=30)
    contact_record(child=child, received_at=received, source="2A", concerns="Bruise on arm",
                   consent="given", by=social_worker)
    update = AssessmentUpdate.objects.get()
    assert (update.assessment, update.event, update.event_on) == (
        assessment, names.CONTACT_RECEIVED, timezone.localtime(received).date())
    rule = TimescaleRule.objects.get(code=names.ASSESSMENT_UPDATE)
    assert rule.local and rule.responsible == names.SOCIAL_WORKER
    [due] = [d for d in timescales.open_items([child.pk]) if d.rule.code == rule.code]
    assert due.due_on == add_working_days(update.event_on, 10)
    assert due.status == timescales.Status.OVERDUE
    # A second event before the update is part of the same task.
    contact_record(child=child, received_at=timezone.now() - timedelta(days=2), source="2A",
                   concerns="Missed school", consent="given", by=social_worker)
    assert AssessmentUpdate.objects.count() == 1
    # On the worker's list, and on the team manager's team view.
    home = log_in(social_worker).get(reverse("home")).content.decode()
    assert "Assessment updated after a significant event" in home
    team_page = log_in(team_manager).get(reverse("team", args=[team.pk])).content.decode()
    assert "Assessment updated after a significant event" in team_page
    # Starting the new assessment meets it.
    services.assessment_start(referral=old_referral, started_on=TODAY, by=social_worker)
    assert not [d for d in timescales.open_items([child.pk]) if d.rule.code == rule.code]
    home = log_in(social_worker).get(reverse("home")).content.decode()
    assert "Assessment updated after a significant event" not in home


def test_no_task_without_an_authorised_assessment(child, social_worker, referral):
    services.assessment_start(referral=referral, started_on=TODAY - timedelta(days=19),
                              by=social_worker)
    contact_record(child=child, received_at=timezone.now(), source="2A", concerns="Bruise",
                   consent="given", by=social_worker)
    assert not AssessmentUpdate.objects.exists()


# Plans: the child's own words (F19) ---------------------------------------------------------------


@pytest.fixture
def cp_plan(child, social_worker):
    plan = ChildProtectionPlan(child=child, started_on=TODAY - timedelta(days=10),
                               initial_category_of_abuse=CategoryOfAbuse.NEGLECT,
                               recorded_by=social_worker)
    plan.save()
    return plan


def test_a_cp_plan_asks_for_the_childs_words_until_they_are_recorded(log_in, child,
                                                                      social_worker, cp_plan):
    client = log_in(social_worker)
    plan_url = reverse("cp_plan", args=[child.pk, cp_plan.pk])
    page = client.get(plan_url).content.decode()
    assert "Required: the child's own words are not recorded on this plan" in page
    url = reverse("cp_plan_childs_words", args=[child.pk, cp_plan.pk])
    response = client.post(url, {"version": cp_plan.version, "childs_words": " "})
    assert "Enter the child&#x27;s own words" in response.content.decode()
    response = client.post(url, {"version": cp_plan.version,
                                 "childs_words": "I want my dad to stop shouting"})
    assert response.status_code == 302
    page = client.get(plan_url).content.decode()
    assert "I want my dad to stop shouting" in page and "Required:" not in page
    # Someone else's change since the page was read is a conflict, not lost.
    response = client.post(url, {"version": cp_plan.version, "childs_words": "Older words"})
    assert "while you were editing" in response.content.decode()
    assert ChildProtectionPlan.objects.get().childs_words == "I want my dad to stop shouting"


def test_a_stranger_cannot_record_a_plans_words(log_in, child, stranger, cp_plan):
    url = reverse("cp_plan_childs_words", args=[child.pk, cp_plan.pk])
    assert log_in(stranger).post(url, {"version": 1, "childs_words": "x"}).status_code == 404
    assert ChildProtectionPlan.objects.get().childs_words == ""


# Plan actions on their owner's list, flagged when overdue ----------------------------------------


def test_a_plan_action_is_on_its_owners_list_flagged_when_overdue(log_in, child, social_worker,
                                                                  team, referral):
    colleague = Staff.objects.create_user("fsw", password="x", role=Role.SOCIAL_WORKER,
                                          team=team, first_name="Fran", last_name="Support")
    plan = services.cin_plan_start(referral=referral, started_on=TODAY - timedelta(days=20),
                                   by=social_worker, childs_words="School is fine")
    need = services_assessment.plan_need_add(
        plan=plan, need="Getting to school", outcome="In school every day",
        what="Arrange the breakfast club", owner=colleague,
        due_on=TODAY - timedelta(days=3), by=social_worker)
    core_services.action_add(source=need, what="Check attendance with the school",
                             owner=colleague, due_on=TODAY + timedelta(days=7),
                             by=social_worker)
    home = log_in(colleague).get(reverse("home")).content.decode()
    mine = home[home.index('id="my-actions"'):]
    assert "Arrange the breakfast club" in mine and "Check attendance with the school" in mine
    late = mine[mine.index("Arrange the breakfast club"):mine.index("</tr>",
                                                                     mine.index("Arrange"))]
    assert "Overdue" in late
    soon = mine[mine.index("Check attendance"):mine.index("</tr>", mine.index("Check att"))]
    assert "Overdue" not in soon
    # Overdue first.
    assert mine.index("Arrange the breakfast club") < mine.index("Check attendance")


# Child in need plan reviews ----------------------------------------------------------------------


def test_a_cin_plan_has_dated_reviews_and_the_next_due_by_the_local_rule(
        log_in, child, social_worker, referral):
    rule = TimescaleRule.objects.get(code=names.CIN_PLAN_REVIEW)
    assert rule.local and "Local practice" in rule.source
    started = TODAY - timedelta(days=15)
    plan = services.cin_plan_start(referral=referral, started_on=started, by=social_worker,
                                   childs_words="I want to see my brother")
    client = log_in(social_worker)
    plan_url = reverse("cin_plan", args=[plan.pk])
    page = client.get(plan_url).content.decode()
    assert f"Next review due by <strong>{add_months(started, 3):%-d %B %Y}</strong>" in page
    assert "I want to see my brother" in page
    url = reverse("cin_plan_review_add", args=[plan.pk])
    response = client.post(url, {**_date("held_on", started - timedelta(days=1)),
                                 "attendees": "Ada, Nan, school", "progress": "Better"})
    assert "A review cannot be held before the plan started" in response.content.decode()
    response = client.post(url, {**_date("held_on", TODAY - timedelta(days=2)),
                                 "attendees": "", "progress": ""})
    page = response.content.decode()
    assert "Enter who took part in the review" in page
    held = TODAY - timedelta(days=2)
    response = client.post(url, {**_date("held_on", held), "attendees": "Ada, Nan, school",
                                 "progress": "Ada in school four days in five"})
    assert response.status_code == 302
    review = CINPlanReview.objects.get()
    assert (review.plan, review.held_on) == (plan, held)
    page = client.get(plan_url).content.decode()
    assert "Ada in school four days in five" in page
    assert f"Next review due by <strong>{add_months(held, 3):%-d %B %Y}</strong>" in page
    # Once the plan ends, no review is due.
    services.cin_plan_end(plan=plan, ended_on=TODAY, by=social_worker)
    plan.refresh_from_db()
    assert selectors.next_cin_review(plan) is None


def test_the_review_rule_is_the_authoritys_to_change(child, social_worker, referral):
    plan = services.cin_plan_start(referral=referral, started_on=TODAY - timedelta(days=15),
                                   by=social_worker, childs_words="Fine")
    TimescaleRule.objects.filter(code=names.CIN_PLAN_REVIEW).update(first_limit=6,
                                                                   first_unit="W")
    assert selectors.next_cin_review(plan).due_on == plan.started_on + timedelta(weeks=6)

