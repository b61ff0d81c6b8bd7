"""The managers' tray: what waits for their authorisation, from their line only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

import support
from cairn.frontdoor.models import StepDecision
from cairn.frontdoor.services import referral_record
from cairn.oversight import selectors
from cairn.protection.services import assessment_start, assessment_submit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _submitted(child, worker, days_ago=3):
    referral = referral_record(child=child, received_on=TODAY - timedelta(days=10),
                               source="2A", primary_need="N1", by=worker)
    assessment = assessment_start(referral=referral, started_on=TODAY - timedelta(days=9),
                                  by=worker)
    return assessment_submit(assessment=assessment, submitted_on=TODAY - timedelta(days=days_ago),
                             by=worker, factors=["16A"], further_action=True,
                             childs_words="I want to stay")


@pytest.fixture
def waiting(child, social_worker, team_manager):
    assessment = _submitted(child, social_worker)
    step = StepDecision.objects.create(
        child=child, direction=StepDecision.Direction.STEP_DOWN, rationale="Needs met by EH",
        requested_at=timezone.now() - timedelta(days=1), requested_by=social_worker)
    return assessment, step


def test_tray_lists_assessments_and_steps_oldest_first(log_in, team_manager, social_worker,
                                                       child, waiting):
    assessment, step = waiting
    items = selectors.awaiting_authorisation(team_manager)
    assert [i.kind for i in items] == ["Single assessment", "Step down to early help"]
    assert items[0].child == child and items[0].submitted_by == social_worker
    assert items[0].days_waiting == 3
    body = log_in(team_manager).get(reverse("authorisations")).content.decode()
    assert reverse("assessment_decide", args=[assessment.pk]) in body
    assert reverse("frontdoor:step_decide", args=[step.pk]) in body
    assert "Authorisations (2)" in body
    assert selectors.awaiting_count(team_manager) == 2


def test_service_manager_sees_their_services_work(service_manager, child, social_worker,
                                                  waiting):
    assert len(selectors.awaiting_authorisation(service_manager)) == 2


def test_another_lines_manager_sees_nothing(log_in, child, social_worker, waiting, other_team):
    outsider = support.make_staff("olly_other", "team_manager", other_team)
    other_team.manager = outsider
    other_team.save()
    assert selectors.awaiting_authorisation(outsider) == []
    body = log_in(outsider).get(reverse("authorisations")).content.decode()
    assert "Nothing is waiting for your authorisation" in body
    assert "Authorisations (0)" in body


def test_workers_have_no_tray_and_no_link(log_in, social_worker, child, waiting):
    client = log_in(social_worker)
    assert client.get(reverse("authorisations")).status_code == 403
    assert "Authorisations (" not in client.get(reverse("home")).content.decode()


def test_tray_queries_do_not_grow_with_the_work(team_manager, social_worker, team,
                                                django_assert_max_num_queries):
    for n in range(5):
        child = support.make_child(f"Kid{n}")
        support.allocate(child, social_worker)
        _submitted(child, social_worker)
    with django_assert_max_num_queries(3):
        assert len(selectors.awaiting_authorisation(team_manager)) == 5
