"""Child protection pages: each form's happy path, its errors, access, and the edit conflict."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.core import services as core_services
from cairn.core.models import Action, AuditEvent, Draft
from cairn.protection import services
from cairn.protection.models import (
    CategoryOfAbuse,
    ChildProtectionConference,
    ChildProtectionPlan,
    CoreGroupMeeting,
    PlanCategoryChange,
    PlanNeed,
    SafetyPlan,
    Section47Enquiry,
    Section47Outcome,
    StrategyDiscussion,
    Visit,
)
from support import form_data

pytestmark = pytest.mark.django_db

Kind = ChildProtectionConference.Kind
Outcome = ChildProtectionConference.Outcome


def weekday(days_ago: int) -> date:
    """A weekday about `days_ago` days before today (conferences are not held at weekends)."""
    day = timezone.localdate() - timedelta(days=days_ago)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def client(staff) -> Client:
    c = Client()
    c.force_login(staff)
    return c


def errors(response) -> str:
    return " ".join(str(e) for field in response.context["form"].errors.values()
                    for e in field)


@pytest.fixture
def sw(social_worker):
    return client(social_worker)


@pytest.fixture
def discussion(child, social_worker):
    return services.strategy_discussion_record(
        child=child, held_on=weekday(20), s47_agreed=True, agencies_present="Police, school",
        decision="Section 47 enquiry", by=social_worker)


@pytest.fixture
def enquiry(discussion, social_worker):
    return services.section47_enquiry_start(strategy_discussion=discussion,
                                            started_on=discussion.held_on, by=social_worker)


@pytest.fixture
def risk_found(enquiry, social_worker):
    return services.section47_enquiry_complete(
        enquiry=enquiry, completed_on=enquiry.started_on + timedelta(days=3),
        outcome=Section47Outcome.ICPC, by=social_worker)


@pytest.fixture
def plan(risk_found, child, social_worker):
    services.safety_plan_record(child=child, made_on=risk_found.completed_on,
                                safety_goal="Safe at home", arrangements="Gran stays",
                                agreed_by="Mother", childs_words="I feel safe",
                                if_breaks_down="Call the duty team",
                                by=social_worker)
    icpc = services.conference_record(kind=Kind.INITIAL, section47=risk_found,
                                      held_on=weekday(5), outcome=Outcome.PLAN, by=social_worker)
    return services.child_protection_plan_start(
        conference=icpc, initial_category_of_abuse=CategoryOfAbuse.NEGLECT, by=social_worker)


# Strategy discussion and section 47


def test_strategy_discussion_recorded_and_s47_prefilled(sw, child):
    url = reverse("strategy_discussion_add", args=[child.pk])
    assert sw.get(url).status_code == 200
    held = weekday(3)
    response = sw.post(url, form_data(held_on=held, held_time="10:30", agency_0="police",
                                      name_0="DS Rowe", agency_1="health", name_1="Nurse Ali",
                                      information_shared="Bruising seen at school",
                                      decision="Start a section 47 enquiry", s47_agreed="yes"))
    assert response.status_code == 302
    assert response.url == reverse("section47_start", args=[child.pk])
    discussion = StrategyDiscussion.objects.get()
    assert discussion.s47_agreed and discussion.held_on == held
    page = sw.get(response.url)
    form = page.context["form"]
    assert form["started_on"].value() == held  # prefilled from the discussion
    assert form["strategy_discussion"].value() == str(discussion.pk)
    response = sw.post(response.url, form_data(strategy_discussion=discussion.pk,
                                               started_on=held))
    assert response.status_code == 302
    assert Section47Enquiry.objects.get().strategy_discussion == discussion


def test_strategy_discussion_errors_keep_what_was_typed(sw, child):
    url = reverse("strategy_discussion_add", args=[child.pk])
    response = sw.post(url, form_data(agency_0="police", name_0="DS Rowe"))
    assert response.status_code == 200
    assert response.context["form"]["name_0"].value() == "DS Rowe"
    text = errors(response)
    assert "Enter the date of the strategy discussion" in text
    assert "Enter the time of the strategy discussion" in text
    assert "Enter what the discussion decided" in text
    assert "Select yes if a section 47 enquiry is to start" in text
    assert b"Police" in response.content
    assert response.content.decode().startswith("<!DOCTYPE html>")
    assert "<title>Error: " in response.content.decode()
    assert not StrategyDiscussion.objects.exists()


def test_s47_cannot_start_before_its_discussion(sw, child, discussion):
    url = reverse("section47_start", args=[child.pk])
    response = sw.post(url, form_data(strategy_discussion=discussion.pk,
                                      started_on=discussion.held_on - timedelta(days=1)))
    assert response.status_code == 200
    assert "cannot start before the strategy discussion" in str(
        response.context["form"].errors["started_on"])
    assert not Section47Enquiry.objects.exists()


def _says_record_a_discussion_first(response, child) -> None:
    page = response.content.decode()
    assert response.status_code == 200
    assert "No strategy discussion has agreed an enquiry" in page
    assert f'href="{reverse("strategy_discussion_add", args=[child.pk])}"' in page
    assert "Record a strategy discussion" in page
    assert "form" not in response.context and "<form" not in page.split("<main", 1)[1]


def test_s47_start_without_an_agreeing_discussion_links_to_recording_one(sw, child,
                                                                        social_worker):
    url = reverse("section47_start", args=[child.pk])
    _says_record_a_discussion_first(sw.get(url), child)
    # A discussion that did not agree an enquiry does not make one startable.
    declined = services.strategy_discussion_record(
        child=child, held_on=weekday(2), s47_agreed=False, agencies_present="Police",
        decision="No further action", by=social_worker)
    _says_record_a_discussion_first(sw.get(url), child)
    response = sw.post(url, form_data(strategy_discussion=declined.pk, started_on=weekday(1)))
    _says_record_a_discussion_first(response, child)
    assert not Section47Enquiry.objects.exists()


def test_s47_start_once_the_agreed_enquiry_has_started_links_to_a_new_discussion(sw, child,
                                                                                enquiry):
    _says_record_a_discussion_first(sw.get(reverse("section47_start", args=[child.pk])), child)
    assert Section47Enquiry.objects.count() == 1


def test_s47_outcome_risk_found_leads_to_the_safety_plan(sw, child, enquiry):
    url = reverse("section47_outcome", args=[child.pk, enquiry.pk])
    response = sw.post(url, form_data(version=enquiry.version, outcome="icpc",
                                      completed_on=enquiry.started_on + timedelta(days=2)))
    assert response.status_code == 302
    assert response.url == reverse("safety_plan_add", args=[child.pk])
    enquiry.refresh_from_db()
    assert enquiry.outcome == Section47Outcome.ICPC and not enquiry.icpc_not_required


def test_s47_outcome_icpc_not_required(sw, child, enquiry):
    url = reverse("section47_outcome", args=[child.pk, enquiry.pk])
    sw.post(url, form_data(version=enquiry.version, outcome="nfa",
                           completed_on=enquiry.started_on + timedelta(days=2)))
    enquiry.refresh_from_db()
    assert enquiry.icpc_not_required


def test_s47_outcome_conflict_keeps_the_input(sw, child, enquiry, team_manager):
    url = reverse("section47_outcome", args=[child.pk, enquiry.pk])
    opened_at = enquiry.version
    core_services.update(obj=enquiry, by=team_manager, expected_version=opened_at,
                         changes={"started_on": enquiry.started_on})
    response = sw.post(url, form_data(version=opened_at, outcome="cin",
                                      completed_on=enquiry.started_on + timedelta(days=1)))
    assert response.status_code == 200
    assert "changed this section 47 enquiry while you were editing it" in errors(response)
    assert response.context["form"]["outcome"].value() == "cin"
    enquiry.refresh_from_db()
    assert enquiry.completed_on is None
    # Having seen the other change, saving again is allowed.
    assert response.context["form"].data["version"] == str(enquiry.version)


# Safety plan and the initial conference (F37, F18)


def test_icpc_refused_without_a_safety_plan(sw, child, risk_found):
    url = reverse("initial_conference_add", args=[child.pk])
    data = form_data(section47=risk_found.pk, held_on=weekday(5), outcome=Outcome.PLAN,
                     category=CategoryOfAbuse.NEGLECT)
    response = sw.post(url, data)
    assert response.status_code == 200
    assert "a safety plan must be recorded before the initial conference" in str(
        response.context["form"].errors["section47"])
    assert not ChildProtectionConference.objects.exists()
    assert not ChildProtectionPlan.objects.exists()

    response = sw.post(reverse("safety_plan_add", args=[child.pk]), form_data(
        made_on=risk_found.completed_on, safety_goal="Safe at night",
        arrangements="Gran stays over", agreed_by="Mother and Gran",
        childs_words="Gran reads to me", if_breaks_down="Gran calls the police"))
    assert response.status_code == 302
    assert SafetyPlan.objects.get().recorded_by_id is not None

    response = sw.post(url, data)
    assert response.status_code == 302
    plan = ChildProtectionPlan.objects.get()
    assert response.url == reverse("cp_plan", args=[child.pk, plan.pk])
    assert plan.initial_category_of_abuse == CategoryOfAbuse.NEGLECT
    assert plan.conference.kind == Kind.INITIAL


def test_late_icpc_needs_a_reason(sw, child, social_worker):
    discussion = services.strategy_discussion_record(
        child=child, held_on=weekday(40), s47_agreed=True, agencies_present="Police",
        decision="Section 47 enquiry", by=social_worker)
    enquiry = services.section47_enquiry_start(strategy_discussion=discussion,
                                               started_on=discussion.held_on, by=social_worker)
    url = reverse("initial_conference_add", args=[child.pk])
    page = sw.get(url)
    due = page.context["form"].due_on
    assert due is not None and "was due by" in page.content.decode()
    held = weekday(1)
    assert held > due  # 40 days ago is more than 15 working days
    response = sw.post(url, form_data(section47=enquiry.pk, held_on=held,
                                      outcome=Outcome.NO_PLAN))
    assert "The conference is late" in str(response.context["form"].errors["reason_late"])
    response = sw.post(url, form_data(section47=enquiry.pk, held_on=held,
                                      outcome=Outcome.NO_PLAN, reason_late="Police unavailable"))
    assert response.status_code == 302
    assert ChildProtectionConference.objects.get().reason_late == "Police unavailable"


def test_icpc_with_a_plan_needs_a_category(sw, child, risk_found):
    response = sw.post(reverse("initial_conference_add", args=[child.pk]), form_data(
        section47=risk_found.pk, held_on=weekday(5), outcome=Outcome.PLAN))
    assert "Select the category of abuse" in errors(response)


# The plan


def test_plan_page_flags_needs_without_actions_or_due_dates(sw, child, plan, social_worker):
    PlanNeed.objects.create(child=child, protection_plan=plan, need="School", outcome="Attends",
                            recorded_by=social_worker)
    undated = PlanNeed.objects.create(child=child, protection_plan=plan, need="Sleep",
                                      outcome="Own cot", recorded_by=social_worker)
    Action.objects.create(  # carried over from text that gave no date
        child=child, source_type=ContentType.objects.get_for_model(PlanNeed),
        source_id=undated.pk, what="Buy a cot", owner_name="Mum", recorded_by=social_worker)
    page = sw.get(reverse("cp_plan", args=[child.pk, plan.pk]))
    assert page.context["incomplete"] == 2
    text = page.content.decode()
    assert "Missing actions" in text and "Missing a due date" in text


def test_plan_need_added_with_its_first_action(sw, child, plan, social_worker):
    url = reverse("cp_plan_need_add", args=[child.pk, plan.pk])
    response = sw.post(url, form_data(need="Safe sleep"))
    text = errors(response)
    for message in ("Enter the outcome", "Enter what will be done",
                    "Choose the member of staff responsible, or enter who is responsible",
                    "Enter the date the action is due"):
        assert message in text
    due = plan.started_on + timedelta(days=14)
    response = sw.post(url, form_data(need="Safe sleep", outcome="Sleeps in own cot",
                                      what="Health visitor checks", owner=social_worker.pk,
                                      owner_name="Health visitor", due_on=due))
    assert response.status_code == 302
    need = PlanNeed.objects.get()
    assert (need.actions, need.owner) == ("", "")  # the action holds them now
    action = Action.objects.get()
    assert (action.source, action.child, action.what, action.owner, action.owner_name,
            action.due_on) == (need, child, "Health visitor checks", social_worker,
                               "Health visitor", due)
    page = sw.get(reverse("cp_plan", args=[child.pk, plan.pk])).content.decode()
    assert "Health visitor checks" in page and "Mark done" in page and "Add an action" in page


def test_core_group_and_visit(sw, child, plan):
    response = sw.post(reverse("core_group_add", args=[child.pk, plan.pk]),
                       form_data(held_on=plan.started_on - timedelta(days=1)))
    assert "cannot meet before the plan started" in errors(response)
    response = sw.post(reverse("core_group_add", args=[child.pk, plan.pk]),
                       form_data(held_on=plan.started_on, attendees="Mum, school"))
    assert response.status_code == 302 and CoreGroupMeeting.objects.count() == 1

    url = reverse("cp_visit_add", args=[child.pk, plan.pk])
    response = sw.post(url, form_data(visited_on=plan.started_on, child_seen="no",
                                      child_seen_alone="yes"))
    assert "unless the child was seen" in errors(response)
    response = sw.post(url, form_data(visited_on=plan.started_on, child_seen="yes",
                                      child_seen_alone="yes"))
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.child_seen_alone and visit.kind == Visit.Kind.CHILD_PROTECTION
    response = sw.post(url, form_data(visited_on=plan.started_on, child_seen="yes",
                                      child_seen_alone="no"))
    assert "Enter why the child was not seen alone" in errors(response)
    response = sw.post(url, form_data(visited_on=plan.started_on, child_seen="no",
                                      child_seen_alone="no"))
    assert "Enter why the child was not seen" in errors(response)
    response = sw.post(url, form_data(visited_on=plan.started_on, child_seen="yes",
                                      child_seen_alone="no",
                                      not_seen_alone_reason="Father would not leave the room"))
    assert response.status_code == 302
    page = sw.get(reverse("cp_plan", args=[child.pk, plan.pk])).content.decode()
    assert "No: Father would not leave the room" in page


def test_review_changes_category_and_ends_plan(sw, child, plan):
    url = reverse("review_conference_add", args=[child.pk, plan.pk])
    held = timezone.localdate()
    response = sw.post(url, form_data(held_on=held, outcome=Outcome.PLAN_ENDS))
    assert "Select why the plan ends" in errors(response)
    response = sw.post(url, form_data(held_on=held, outcome=Outcome.PLAN_ENDS,
                                      category=CategoryOfAbuse.EMOTIONAL,
                                      end_reason=ChildProtectionPlan.EndReason.NO_LONGER_AT_RISK))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.ended_on == held
    assert plan.latest_category_of_abuse == CategoryOfAbuse.EMOTIONAL
    assert PlanCategoryChange.objects.count() == 1


def test_plan_end_conflict(sw, child, plan, team_manager):
    url = reverse("cp_plan_end", args=[child.pk, plan.pk])
    opened_at = plan.version
    core_services.update(obj=plan, by=team_manager, expected_version=opened_at,
                         changes={"initial_category_of_abuse": CategoryOfAbuse.PHYSICAL})
    response = sw.post(url, form_data(version=opened_at, ended_on=timezone.localdate(),
                                      end_reason="safe"))
    assert "while you were editing it" in errors(response)
    plan.refresh_from_db()
    assert plan.ended_on is None


def test_draft_discarded_once_saved(sw, child, social_worker):
    url = reverse("safety_plan_add", args=[child.pk])
    Draft.objects.create(owner=social_worker, key=url, data={"safety_goal": "half typed"})
    assert b"half typed" in sw.get(url).content  # the server copy is offered to the page
    sw.post(url, form_data(made_on=timezone.localdate(), safety_goal="Safe",
                           arrangements="Dad leaves", agreed_by="Mother",
                           childs_words="I am safe", if_breaks_down="Call the police"))
    assert not Draft.objects.filter(owner=social_worker, key=url).exists()


# Access


@pytest.mark.parametrize("name", [
    "protection_record", "strategy_discussion_add", "section47_start", "safety_plan_add",
    "initial_conference_add"])
def test_stranger_gets_404_and_is_logged(stranger, child, name):
    response = client(stranger).get(reverse(name, args=[child.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED).exists()


def test_stranger_writes_nothing(stranger, child, plan, enquiry):
    c = client(stranger)
    posts = [
        (reverse("strategy_discussion_add", args=[child.pk]),
         form_data(held_on=weekday(1), held_time="10:00", agency_0="police", name_0="x",
                   information_shared="x", decision="y", s47_agreed="no")),
        (reverse("safety_plan_add", args=[child.pk]),
         form_data(made_on=weekday(1), safety_goal="x", arrangements="y")),
        (reverse("core_group_add", args=[child.pk, plan.pk]), form_data(held_on=weekday(1))),
        (reverse("cp_plan_end", args=[child.pk, plan.pk]),
         form_data(version=plan.version, ended_on=weekday(0), end_reason="safe")),
        (reverse("section47_outcome", args=[child.pk, enquiry.pk]),
         form_data(version=enquiry.version, completed_on=weekday(1), outcome="nfa")),
    ]
    before = (StrategyDiscussion.objects.count(), SafetyPlan.objects.count())
    for url, data in posts:
        assert c.post(url, data).status_code == 404
    assert (StrategyDiscussion.objects.count(), SafetyPlan.objects.count()) == before
    assert not CoreGroupMeeting.objects.exists()
    plan.refresh_from_db()
    assert plan.ended_on is None


def test_viewing_a_form_is_logged(sw, child, social_worker):
    url = reverse("strategy_discussion_add", args=[child.pk])
    sw.get(url)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.VIEWED, actor=social_worker,
                                     page=url).exists()
