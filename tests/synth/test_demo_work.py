"""Every demo sign-in finds real work waiting: early help caseloads with plans and reviews,
assessments and steps waiting for a manager, and contacts waiting for the front door."""

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.access import policy
from cairn.frontdoor import selectors as frontdoor_selectors
from cairn.frontdoor import selectors_early_help as early_help_selectors
from cairn.frontdoor.models import EarlyHelpEpisode, EarlyHelpReviewNeedProgress, StepDecision
from cairn.insight import reports
from cairn.insight.models import PerformanceReport
from cairn.oversight import selectors as oversight
from cairn.synth.builder import Builder
from cairn.workforce.models import Allocation, Role, Staff

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 20)


@pytest.fixture
def authority():
    return Builder(children=300, seed=7, years=5, as_of=AS_OF, progress=False).build()


def test_the_early_help_worker_sees_a_caseload_with_plans(authority):
    worker = Staff.objects.get(username="earlyhelp.demo")
    mine = EarlyHelpEpisode.objects.filter(worker=worker, ended_on__isnull=True)
    assert 8 <= mine.count() <= 12
    allocated = Allocation.objects.active_on(AS_OF).filter(worker=worker,
                                                           kind=Allocation.Kind.EARLY_HELP)
    assert set(allocated.values_list("child_id", flat=True)) == set(
        mine.values_list("child_id", flat=True))
    visible = policy.visible_children(worker)
    assert visible.filter(pk__in=mine.values("child_id")).count() == mine.count()
    for episode in mine.prefetch_related("plans__needs"):
        plans = list(episode.plans.all())
        assert len(plans) == 1 and 2 <= len(plans[0].needs.all()) <= 4
    assert EarlyHelpReviewNeedProgress.objects.filter(review__plan__episode__in=mine).exists()
    # Every early help episode, open or closed, has its worker allocated for its span (the
    # children the front door passed yesterday are held by the manager, with no episode yet).
    assert Allocation.objects.filter(kind=Allocation.Kind.EARLY_HELP).exclude(
        worker__role=Role.TEAM_MANAGER).count() == EarlyHelpEpisode.objects.count()


def test_managers_have_assessments_and_steps_to_decide(authority):
    manager = Staff.objects.get(username="tm.demo")
    waiting = oversight.awaiting_authorisation(manager)
    kinds = [item.kind for item in waiting]
    assert 3 <= kinds.count("Single assessment") <= 5
    assert kinds.count(str(StepDecision.Direction.STEP_DOWN.label)) == 1
    # Steps up earlyhelp.demo asked for wait for the early help team's manager, who can see
    # those children; tm.demo cannot.
    early_help_manager = Staff.objects.get(username="ehm.demo")
    ups = frontdoor_selectors.step_decisions_awaiting(early_help_manager)
    assert 2 <= ups.count() <= 3
    assert {s.requested_by.username for s in ups} == {"earlyhelp.demo"}
    assert all(s.requested_at.date() < AS_OF for s in ups)
    # Children the front door passed to early help yesterday wait for ehm.demo to allocate.
    to_allocate = list(early_help_selectors.early_help_to_allocate(early_help_manager))
    assert 1 <= len(to_allocate) <= 2
    for held in to_allocate:
        contact = held.child.contacts.get(decision="early_help", decided_at__date=date(2026, 11, 19))
        assert contact.decided_by.username == "frontdoor.demo"


def test_the_front_door_has_contacts_from_the_last_working_day(authority):
    viewer = Staff.objects.get(username="frontdoor.demo")
    waiting = frontdoor_selectors.contacts_awaiting_decision(viewer=viewer)
    # Three to six from the day, last night's out-of-hours contact and one on which tm.demo
    # dispensed with consent.
    assert 5 <= len(waiting) <= 8
    assert {a.contact.received_at.date() for a in waiting} == {date(2026, 11, 19)}
    overnight = frontdoor_selectors.out_of_hours_for_day_team(
        viewer=viewer, now=timezone.make_aware(datetime(2026, 11, 20, 9, 30)))
    assert any(c.out_of_hours_service and c.overnight_action for c in overnight)
    manager = Staff.objects.get(username="tm.demo")
    assert [c.consent_dispensed_by for c in
            frontdoor_selectors.consent_dispensals_to_see(manager)] == [manager]


def test_the_demo_holds_a_signed_off_report_and_a_draft_to_finish(authority, client):
    past, draft = PerformanceReport.objects.order_by("month")
    assert (past.month, draft.month) == (date(2026, 10, 1), date(2026, 11, 1))
    assert past.signed_off_by.username == "sm.demo" and not draft.signed_off
    assert draft.as_of == AS_OF and past.as_of == date(2026, 10, 31)
    # The signed-off one has its needed commentary; the draft only some, so sign-off is refused.
    assert reports.uncommented(past) == []
    assert 0 < len(reports.uncommented(draft)) < len(reports.required())
    assert draft.figures.get(indicator="cin_referrals").numerator > 0
    client.force_login(Staff.objects.get(username="sm.demo"))
    home = client.get("/").content.decode()
    assert reverse("reports") in home
    listing = client.get(reverse("reports")).content.decode()
    assert "October 2026" in listing and "November 2026" in listing
    client.force_login(Staff.objects.get(username="analyst.demo"))
    assert reverse("reports") in client.get("/").content.decode()
