"""Actions on the child protection pages: agreed at a strategy discussion, on a plan's need,
marked done (asking what came of it), cancelled (asking why), added later; through the Django
test client, with access and the edit conflict."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.core import services as core_services
from cairn.core.models import Action, AuditEvent
from cairn.protection import services
from cairn.protection.models import (
    CategoryOfAbuse,
    ChildProtectionConference,
    PlanNeed,
    Section47Outcome,
    StrategyDiscussion,
)
from support import client_for, form_data

pytestmark = pytest.mark.django_db

Kind = ChildProtectionConference.Kind


def weekday(days_ago: int) -> date:
    day = timezone.localdate() - timedelta(days=days_ago)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def errors(response) -> str:
    return " ".join(str(e) for field in response.context["form"].errors.values()
                    for e in field)


@pytest.fixture
def plan(child, social_worker):
    held = weekday(10)
    discussion = services.strategy_discussion_record(
        child=child, held_on=held, s47_agreed=True, agencies_present="Police",
        decision="Section 47", by=social_worker)
    enquiry = services.section47_enquiry_start(strategy_discussion=discussion, started_on=held,
                                               by=social_worker)
    services.section47_enquiry_complete(enquiry=enquiry, completed_on=held,
                                        outcome=Section47Outcome.ICPC, by=social_worker)
    services.safety_plan_record(child=child, made_on=held, safety_goal="Safe",
                                arrangements="Gran stays",
                                agreed_by="Mother", childs_words="I feel safe",
                                if_breaks_down="Call the duty team", by=social_worker)
    icpc = services.conference_record(kind=Kind.INITIAL, section47=enquiry, held_on=held,
                                      outcome=ChildProtectionConference.Outcome.PLAN,
                                      by=social_worker)
    return services.child_protection_plan_start(
        conference=icpc, initial_category_of_abuse=CategoryOfAbuse.NEGLECT, by=social_worker)


@pytest.fixture
def need(plan, social_worker):
    return services.plan_need_record(
        plan=plan, need="Safe care at home", outcome="Not hurt", what="Weekly visits",
        owner=social_worker, due_on=plan.started_on + timedelta(days=14), by=social_worker)


def plan_url(plan) -> str:
    return reverse("cp_plan", args=[plan.child_id, plan.pk])


# Agreed at a strategy discussion ----------------------------------------------------------------

def test_a_strategy_discussion_records_the_actions_agreed_at_it(child, social_worker,
                                                                team_manager):
    client = client_for(social_worker)
    url = reverse("strategy_discussion_add", args=[child.pk])
    held = weekday(2)
    base = form_data(held_on=held, held_time="09:15", agency_0="police", name_0="DS Rowe",
                     agency_1="education", name_1="Ms Khan", role_1="Oak Primary, DSL",
                     information_shared="Police hold two call-outs", s47_agreed="no",
                     decision="No section 47; a child in need assessment")
    first = form_data(what_0="Police check the partner's record", owner_name_0="DS Rowe",
                      due_on_0=held + timedelta(days=2))
    # "Add another action" brings the form back with a second action and no errors.
    page = client.post(url, {**base, **first, "actions": "1", "add_action": "1"})
    assert page.status_code == 200 and not page.context["form"].errors
    text = page.content.decode()
    assert "Action 2" in text and 'name="actions" value="2"' in text
    assert "Police check the partner&#x27;s record" in text
    assert not StrategyDiscussion.objects.exists()
    # A half-answered action is named by its number; what was typed stays.
    second = {"what_1": "School to report attendance daily"}
    page = client.post(url, {**base, **first, **second, "actions": "2"})
    text = errors(page)
    assert "Choose the member of staff responsible, or enter who is responsible for action 2" \
        in text
    assert "Enter the date action 2 is due" in text
    assert not StrategyDiscussion.objects.exists() and not Action.objects.exists()
    second |= form_data(owner_1=team_manager.pk, due_on_1=held + timedelta(days=7))
    response = client.post(url, {**base, **first, **second, "actions": "3",
                                 "what_2": "", "owner_name_2": ""})  # left empty: ignored
    assert response.status_code == 302
    discussion = StrategyDiscussion.objects.get()
    actions = list(Action.objects.order_by("pk"))
    assert [(a.source, a.what, a.owner, a.owner_name) for a in actions] == [
        (discussion, "Police check the partner's record", None, "DS Rowe"),
        (discussion, "School to report attendance daily", team_manager, "")]
    record = client.get(reverse("protection_record", args=[child.pk])).content.decode()
    assert "School to report attendance daily" in record and "Mark done" in record


def test_an_action_cannot_fall_due_before_the_discussion(child, social_worker):
    held = weekday(2)
    response = client_for(social_worker).post(
        reverse("strategy_discussion_add", args=[child.pk]),
        form_data(held_on=held, held_time="09:15", agency_0="police", name_0="DS Rowe",
                  information_shared="None", s47_agreed="no", decision="None",
                  what_0="Visit", owner_name_0="Police", due_on_0=held - timedelta(days=1),
                  actions="1"))
    assert "An action cannot be due before the strategy discussion" in errors(response)
    assert not StrategyDiscussion.objects.exists() and not Action.objects.exists()


# Marked done, cancelled, added ------------------------------------------------------------------

def test_an_action_is_marked_done_from_the_plan_asking_what_came_of_it(need, plan,
                                                                      social_worker):
    client = client_for(social_worker)
    action = Action.objects.get()
    page = client.get(plan_url(plan)).content.decode()
    done_url = reverse("action_done", args=[plan.child_id, action.pk])
    assert f'href="{done_url}' in page
    form_page = client.get(f"{done_url}?next={plan_url(plan)}")
    assert "Weekly visits" in form_page.content.decode()
    response = client.post(done_url, {"version": 1, "next": plan_url(plan), "outcome": ""})
    assert "Enter what was done and what came of it" in errors(response)
    response = client.post(done_url, {"version": 1, "next": plan_url(plan),
                                      "outcome": "Four visits; the home was warm"})
    assert response.status_code == 302 and response.url == plan_url(plan)
    action.refresh_from_db()
    assert (action.status, action.outcome, action.done_by) == (
        Action.Status.DONE, "Four visits; the home was warm", social_worker)
    page = client.get(plan_url(plan)).content.decode()
    assert "Four visits; the home was warm" in page and f'href="{done_url}' not in page


def test_an_action_is_cancelled_asking_why(need, plan, social_worker):
    client = client_for(social_worker)
    action = Action.objects.get()
    url = reverse("action_cancel", args=[plan.child_id, action.pk])
    response = client.post(url, {"version": 1, "reason": ""})
    assert "Enter why the action is cancelled" in errors(response)
    response = client.post(url, {"version": 1, "reason": "Partner has left the area"})
    assert response.url == reverse("child", args=[plan.child_id])  # no page to go back to
    action.refresh_from_db()
    assert (action.status, action.cancel_reason) == (Action.Status.CANCELLED,
                                                      "Partner has left the area")
    assert "Partner has left the area" in client.get(plan_url(plan)).content.decode()


def test_a_clash_keeps_what_was_typed_and_names_the_other_save(need, plan, social_worker,
                                                              team_manager):
    action = Action.objects.get()
    core_services.action_change_due(action=action, due_on=action.due_on + timedelta(days=7),
                                    by=team_manager, expected_version=1)
    response = client_for(social_worker).post(
        reverse("action_done", args=[plan.child_id, action.pk]),
        {"version": 1, "outcome": "Visited weekly"})
    assert response.status_code == 200
    assert "changed this action while you were editing it" in response.content.decode()
    assert response.context["form"].data["version"] == "2"
    assert "Visited weekly" in response.content.decode()
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


def test_a_closed_action_says_so(need, plan, social_worker):
    action = Action.objects.get()
    core_services.action_cancel(action=action, reason="Not needed", by=social_worker)
    response = client_for(social_worker).post(
        reverse("action_done", args=[plan.child_id, action.pk]),
        {"version": 2, "outcome": "Done anyway"})
    assert "was cancelled on" in errors(response)


def test_an_action_is_added_to_a_need_later(need, plan, social_worker):
    client = client_for(social_worker)
    url = reverse("action_add", args=[plan.child_id, "protection.planneed", need.pk])
    assert f"{url}?next=" in client.get(plan_url(plan)).content.decode()
    response = client.post(url, form_data(what="GP to check weight", next=plan_url(plan)))
    text = errors(response)
    assert "Choose the member of staff responsible" in text
    assert "Enter the date the action is due" in text
    response = client.post(url, form_data(what="GP to check weight", owner_name="Dr Patel",
                                          due_on=plan.started_on + timedelta(days=30),
                                          next=plan_url(plan)))
    assert response.url == plan_url(plan)
    added = Action.objects.latest("pk")
    assert (added.source, added.child, added.owner_name) == (need, plan.child, "Dr Patel")
    assert AuditEvent.objects.filter(action="action.added").count() == 2


def test_an_ended_plans_need_takes_no_more_actions(need, plan, social_worker):
    services.child_protection_plan_end(plan=plan, ended_on=timezone.localdate(),
                                       end_reason="safe", by=social_worker)
    client = client_for(social_worker)
    assert "Add an action" not in client.get(plan_url(plan)).content.decode()
    response = client.post(
        reverse("action_add", args=[plan.child_id, "protection.planneed", need.pk]),
        form_data(what="More", owner_name="Mum", due_on=timezone.localdate()))
    assert "The plan ended on" in errors(response)
    assert Action.objects.count() == 1


def test_only_registered_records_of_the_child_take_actions(need, plan, social_worker, child):
    client = client_for(social_worker)
    for source, pk in (("protection.visit", need.pk), ("core.auditevent", 1),
                       ("protection.planneed", need.pk + 99)):
        url = reverse("action_add", args=[child.pk, source, pk])
        assert client.get(url).status_code == 404


def test_the_way_back_is_one_of_cairns_own_pages(need, plan, social_worker):
    action = Action.objects.get()
    response = client_for(social_worker).post(
        reverse("action_cancel", args=[plan.child_id, action.pk]),
        {"version": 1, "reason": "Not needed", "next": "https://example.com/"})
    assert response.url == reverse("child", args=[plan.child_id])


def test_a_stranger_gets_404_and_changes_nothing(need, plan, stranger):
    action = Action.objects.get()
    client = client_for(stranger)
    for name in ("action_done", "action_cancel"):
        url = reverse(name, args=[plan.child_id, action.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"version": 1, "outcome": "x", "reason": "x"}
                           ).status_code == 404
    url = reverse("action_add", args=[plan.child_id, "protection.planneed", need.pk])
    assert client.post(url, {"what": "x"}).status_code == 404
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN and Action.objects.count() == 1
    assert PlanNeed.objects.count() == 1
