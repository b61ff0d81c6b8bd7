"""Referral, assessment, authorisation and child in need plan pages: each form's happy path, its
errors, access (a stranger gets 404 and writes nothing) and the concurrent-edit conflict."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.core.models import Action, AuditEvent
from cairn.frontdoor.models import Contact, Referral
from cairn.frontdoor.services import referral_record
from cairn.protection import selectors_assessment as selectors
from cairn.protection.models import (
    Assessment,
    AssessmentDecision,
    AssessmentFactor,
    CINPlan,
    PlanNeed,
    Visit,
)
from cairn.protection.services import assessment_start, cin_plan_start

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _date(name: str, day: date) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.fixture
def referral(child, social_worker):
    return referral_record(child=child, received_on=TODAY - timedelta(days=20), source="2A",
                           primary_need="N1", by=social_worker)


@pytest.fixture
def assessment(referral, social_worker):
    return assessment_start(referral=referral, started_on=TODAY - timedelta(days=19),
                            by=social_worker)


def _assessment_post(assessment, action="submit", **changes):
    data = {"version": str(assessment.version), "action": action,
            "childs_words": "I like it when Mum walks me to school",
            "worries": "Nobody gets up to take Ada to school",
            "working_well": "Her nan visits every Sunday",
            "needs_to_happen": "A morning routine with Nan's help",
            "safety_scale": "6", "factors": ["16A", "4B"], "further_action": "yes",
            **_date("child_seen_on", TODAY - timedelta(days=10))}
    data.update(changes)
    return data


# Referrals


def test_referral_from_the_childs_record(log_in, social_worker, child):
    client = log_in(social_worker)
    url = reverse("referral_add", args=[child.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {**_date("received_on", TODAY), "source": "3B",
                                 "primary_need": "N4", "nfa": "no"})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.source, referral.primary_need, referral.nfa) == ("3B", "N4", False)
    assert AuditEvent.objects.filter(action="referral.received").exists()


def test_referral_is_prefilled_from_its_contact(log_in, social_worker, child):
    contact = Contact.objects.create(
        child=child, received_at=timezone.now() - timedelta(days=2), source="6",
        concerns="Police called to the house", consent="given")
    response = log_in(social_worker).get(
        reverse("referral_add", args=[child.pk]) + f"?contact={contact.pk}")
    body = response.content.decode()
    assert '<option value="6" selected>' in body
    day = timezone.localtime(contact.received_at).date()
    assert f'value="{day.day}"' in body


def test_referral_errors_are_shown_and_typing_kept(log_in, social_worker, child):
    response = log_in(social_worker).post(reverse("referral_add", args=[child.pk]), {
        **_date("received_on", TODAY + timedelta(days=3)), "primary_need": "N1"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Date the referral was received must be today or in the past" in body
    assert "Choose who made the referral" in body
    assert 'value="N1" checked' in body
    assert not Referral.objects.exists()


def test_second_open_referral_is_refused_on_its_field(log_in, social_worker, child, referral):
    response = log_in(social_worker).post(reverse("referral_add", args=[child.pk]), {
        **_date("received_on", TODAY), "source": "3B", "primary_need": "N4", "nfa": "no"})
    assert "already has an open referral" in response.content.decode()
    assert Referral.objects.count() == 1


def test_a_stranger_gets_404_and_writes_nothing(log_in, stranger, child, assessment):
    client = log_in(stranger)
    for url in (reverse("referral_add", args=[child.pk]),
                reverse("assessment_start", args=[child.pk]),
                reverse("assessment", args=[assessment.pk]),
                reverse("assessment_decide", args=[assessment.pk]),
                reverse("cin_plan_start", args=[child.pk]),
                reverse("protection_child_work", args=[child.pk])):
        assert client.get(url).status_code == 404
        assert client.post(url, {"source": "3B"}).status_code == 404
    assert Referral.objects.count() == 1
    assert Assessment.objects.get().version == assessment.version
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED, actor=stranger).exists()


# Assessments


def test_start_an_assessment_on_the_open_referral(log_in, social_worker, child, referral):
    client = log_in(social_worker)
    url = reverse("assessment_start", args=[child.pk])
    assert f'value="{referral.pk}" checked' in client.get(url).content.decode()
    response = client.post(url, {"referral": referral.pk,
                                 **_date("started_on", referral.received_on - timedelta(days=1))})
    assert "cannot start before the referral was received" in response.content.decode()
    response = client.post(url, {"referral": referral.pk, **_date("started_on", TODAY)})
    assessment = Assessment.objects.get()
    assert response["Location"] == reverse("assessment", args=[assessment.pk])


def test_save_as_draft_keeps_the_work_and_the_clock_shows(log_in, social_worker, assessment):
    client = log_in(social_worker)
    url = reverse("assessment", args=[assessment.pk])
    response = client.post(url, _assessment_post(assessment, action="save", childs_words=""))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.worries == "Nobody gets up to take Ada to school"
    assert assessment.submitted_on is None and assessment.version == 2
    assert set(assessment.factors.current().values_list("code", flat=True)) == {"16A", "4B"}
    body = client.get(url).content.decode()
    assert "Single assessment completed" in body and "Due" in body
    assert 'value="16A" checked' in body


def test_submit_requires_the_childs_words(log_in, social_worker, assessment):
    response = log_in(social_worker).post(reverse("assessment", args=[assessment.pk]),
                                          _assessment_post(assessment, childs_words=""))
    body = response.content.decode()
    assert "Enter the child&#x27;s own words" in body
    assert "Nobody gets up to take Ada to school" in body  # what was typed is kept
    assessment.refresh_from_db()
    assert assessment.submitted_on is None


def test_factor_rules_are_shown_on_the_factors(log_in, social_worker, assessment):
    response = log_in(social_worker).post(
        reverse("assessment", args=[assessment.pk]),
        _assessment_post(assessment, factors=["21", "16A"]))
    assert "cannot be chosen with other factors" in response.content.decode()
    assert 'href="#id_factors"' in response.content.decode()


def test_child_seen_after_submission_is_refused(log_in, social_worker, assessment):
    response = log_in(social_worker).post(
        reverse("assessment", args=[assessment.pk]),
        _assessment_post(assessment, **_date("child_seen_on", TODAY),
                         **_date("submitted_on", TODAY - timedelta(days=2))))
    assert "cannot be after the assessment was submitted" in response.content.decode()


def test_submit_return_resubmit_authorise(log_in, social_worker, team_manager, assessment):
    worker, manager = log_in(social_worker), log_in(team_manager)
    url = reverse("assessment", args=[assessment.pk])
    assert worker.post(url, _assessment_post(assessment)).status_code == 302
    assessment.refresh_from_db()
    assert assessment.submitted_on == TODAY and assessment.submitted_by == social_worker

    tray = manager.get(reverse("authorisations")).content.decode()
    assert "Ada Brook" in tray and reverse("assessment_decide", args=[assessment.pk]) in tray
    assert "Authorisations (1)" in tray

    decide = reverse("assessment_decide", args=[assessment.pk])
    response = manager.post(decide, {"version": assessment.version, "outcome": "return"})
    assert "Enter what the worker needs to change" in response.content.decode()
    response = manager.post(decide, {"version": assessment.version, "outcome": "return",
                                     "comments": "Say what Ada told you about mornings"})
    assert response["Location"] == reverse("authorisations")
    assessment.refresh_from_db()
    assert assessment.submitted_on is None
    assert "Say what Ada told you about mornings" in worker.get(url).content.decode()

    data = _assessment_post(assessment, childs_words="Ada: 'Mornings are shouty'")
    assert worker.post(url, data).status_code == 302
    assessment.refresh_from_db()
    assert manager.post(decide, {"version": assessment.version, "outcome": "authorise",
                                 "comments": "Good analysis"}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.authorised_on == TODAY and assessment.authorised_by == team_manager
    outcomes = list(AssessmentDecision.objects.values_list("outcome", "decided_by"))
    assert outcomes == [("returned", team_manager.pk), ("authorised", team_manager.pk)]
    assert "Met" in worker.get(url).content.decode()
    assert AssessmentFactor.objects.current().filter(assessment=assessment).count() == 2


def test_a_worker_cannot_decide_their_own_assessment(log_in, social_worker, assessment):
    client = log_in(social_worker)
    assert client.get(reverse("assessment_decide", args=[assessment.pk])).status_code == 404
    assert client.get(reverse("authorisations")).status_code == 403


def test_two_people_saving_the_same_assessment_get_a_conflict(log_in, social_worker,
                                                              team_manager, assessment):
    first, second = log_in(social_worker), log_in(team_manager)
    url = reverse("assessment", args=[assessment.pk])
    stale = _assessment_post(assessment, action="save", worries="Second person's worries")
    assert first.post(url, _assessment_post(assessment, action="save")).status_code == 302
    response = second.post(url, stale)
    body = response.content.decode()
    assert response.status_code == 200
    assert "changed this assessment while you were editing it" in body
    assert "Second person&#x27;s worries" in body  # their typing is kept
    assert 'name="version" value="2"' in body  # saving again is now deliberate
    assessment.refresh_from_db()
    assert assessment.worries == "Nobody gets up to take Ada to school"


def test_manager_decision_conflict(log_in, team_manager, second_manager, social_worker,
                                   assessment):
    log_in(social_worker).post(reverse("assessment", args=[assessment.pk]),
                               _assessment_post(assessment))
    assessment.refresh_from_db()
    decide = reverse("assessment_decide", args=[assessment.pk])
    version = assessment.version
    assert log_in(team_manager).post(decide, {"version": version, "outcome": "authorise"}
                                     ).status_code == 302
    response = log_in(second_manager).post(decide, {"version": version, "outcome": "return",
                                                    "comments": "More please"})
    assert response.status_code == 200
    assert AssessmentDecision.objects.count() == 1


# Update due (F1) and cumulative concern (F26)


def test_an_event_after_authorisation_makes_the_assessment_due_an_update(
        log_in, social_worker, team_manager, child, assessment):
    from cairn.protection.services import assessment_authorise, assessment_submit

    assessment_submit(assessment=assessment, submitted_on=TODAY - timedelta(days=5),
                      by=social_worker, factors=["16A"], further_action=True,
                      childs_words="Fine")
    assessment_authorise(assessment=assessment, authorised_on=TODAY - timedelta(days=4),
                         by=team_manager)
    assert selectors.updates_due([child.pk]) == {}
    Contact.objects.create(child=child, received_at=timezone.now() - timedelta(days=1),
                           source="2A", concerns="Bruise", consent="given")
    due = selectors.updates_due([child.pk])[child.pk]
    assert [e.fact for e in due.events] == ["contact.received"]
    assert "needs updating" in log_in(social_worker).get(
        reverse("protection_child_work", args=[child.pk])).content.decode()


def test_cumulative_concern_counts_re_referrals(child, social_worker, referral,
                                                django_assert_num_queries):
    from cairn.frontdoor.services import referral_close

    referral_close(referral=referral, closed_on=TODAY - timedelta(days=10), reason="RC8",
                   by=social_worker)
    referral_record(child=child, received_on=TODAY - timedelta(days=5), source="6",
                    primary_need="N1", by=social_worker)
    old = Referral.objects.create(child=child, received_on=TODAY - timedelta(days=900),
                                  source="3A", closed_on=TODAY - timedelta(days=800),
                                  closure_reason="RC7")
    with django_assert_num_queries(3):
        concern = selectors.cumulative_concern(child)
    assert concern.referrals_12m == 2
    assert concern.re_referrals == 1  # the one 15 days after the last; not the one 900 days on
    assert [e.re_referral for e in concern.events if e.kind == "Referral"] == [True, False,
                                                                              False]
    assert old.pk


# Child in need plans


def test_cin_plan_needs_reviews_visits_and_end(log_in, social_worker, child, referral):
    client = log_in(social_worker)
    response = client.post(reverse("cin_plan_start", args=[child.pk]),
                           {"referral": referral.pk, **_date("started_on", TODAY)})
    assert "Enter the child&#x27;s own words" in response.content.decode()
    assert not CINPlan.objects.exists()
    response = client.post(reverse("cin_plan_start", args=[child.pk]),
                           {"referral": referral.pk, **_date("started_on", TODAY),
                            "childs_words": "I want Nan to take me to school"})
    plan = CINPlan.objects.get()
    assert plan.childs_words == "I want Nan to take me to school"
    assert response["Location"] == reverse("cin_plan", args=[plan.pk])

    add = reverse("plan_need_add", args=[plan.pk])
    need = {"need": "Getting to school", "outcome": "Ada in school every day",
            "what": "Nan to do the school run", "owner_name": "Nan"}
    response = client.post(add, need)
    assert "Enter the date the action is due" in response.content.decode()
    due = TODAY + timedelta(days=28)
    assert client.post(add, {**need, **_date("due_on", due)}).status_code == 302
    item = PlanNeed.objects.get()
    action = Action.objects.get()
    assert (action.source, action.what, action.owner_name, action.due_on) == (
        item, "Nan to do the school run", "Nan", due)
    page = client.get(reverse("cin_plan", args=[plan.pk])).content.decode()
    assert "Nan to do the school run" in page and "Mark done" in page

    review = reverse("plan_need_review", args=[plan.pk, item.pk])
    data = {"outcome": "Ada in school every day", "version": item.version,
            **_date("met_on", TODAY)}
    assert client.post(review, data).status_code == 302
    response = client.post(review, {**data, "outcome": "Someone else's"})
    assert "changed this need while you were editing it" in response.content.decode()
    item.refresh_from_db()
    assert item.met_on == TODAY and item.version == 2

    visit = reverse("cin_visit_add", args=[plan.pk])
    response = client.post(visit, {**_date("visited_on", TODAY), "child_seen": "no",
                                   "child_seen_alone": "yes"})
    assert "seen alone was seen" in response.content.decode()
    response = client.post(visit, {**_date("visited_on", TODAY), "child_seen": "yes",
                                   "child_seen_alone": "no"})
    assert "Enter why the child was not seen alone" in response.content.decode()
    assert client.post(visit, {**_date("visited_on", TODAY), "child_seen": "yes",
                               "child_seen_alone": "no",
                               "not_seen_alone_reason": "Ada asked for Nan to stay"}
                       ).status_code == 302
    assert Visit.objects.get().kind == Visit.Kind.CHILD_IN_NEED
    page = client.get(reverse("cin_plan", args=[plan.pk])).content.decode()
    assert "child seen, not alone (Ada asked for Nan to stay)" in page

    url = reverse("cin_plan", args=[plan.pk])
    response = client.post(url, {"version": plan.version,
                                 **_date("ended_on", TODAY - timedelta(days=1))})
    assert "cannot end before it started" in response.content.decode()
    assert client.post(url, {"version": plan.version, **_date("ended_on", TODAY)}
                       ).status_code == 302
    plan.refresh_from_db()
    assert plan.ended_on == TODAY


def test_stranger_cannot_touch_a_cin_plan(log_in, stranger, social_worker, referral):
    plan = cin_plan_start(referral=referral, started_on=TODAY, by=social_worker,
                          childs_words="Fine")
    client = log_in(stranger)
    for url in (reverse("cin_plan", args=[plan.pk]), reverse("plan_need_add", args=[plan.pk]),
                reverse("cin_visit_add", args=[plan.pk])):
        assert client.get(url).status_code == 404
        assert client.post(url, {"need": "x"}).status_code == 404
    assert not PlanNeed.objects.exists() and not Visit.objects.exists()
