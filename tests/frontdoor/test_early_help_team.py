"""Early help as its team works it (issue 12): a front door decision of early help reaches the
early help manager's list to allocate, the practitioner allocated finds and opens the child; an
early help practitioner's route to social care is a step up a manager authorises, each step's
rationale and decider in the chronology, and a duplicate request closed when a step is decided;
the early help team page counts the children it lists."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

import support
from cairn.casework.selectors import recorded_by
from cairn.core import facts
from cairn.core.errors import RecordError
from cairn.frontdoor import services, services_early_help
from cairn.frontdoor.models import (
    ConsentStatus,
    Contact,
    ContactDecision,
    ContactSource,
    EarlyHelpEpisode,
    Referral,
)
from cairn.frontdoor.selectors import step_decisions_awaiting
from cairn.workforce.models import Allocation, Role, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def eh_team(team):
    return Team.objects.create(name="Early Help North", kind=Team.Kind.EARLY_HELP,
                               service=team.service)


@pytest.fixture
def eh_manager(eh_team):
    manager = support.make_staff("elena_marsh", Role.TEAM_MANAGER, eh_team)
    eh_team.manager = manager
    eh_team.save()
    return manager


@pytest.fixture
def eh_worker(eh_team, eh_manager):
    return support.make_staff("erin_hale", Role.EARLY_HELP, eh_team)


@pytest.fixture
def fresh_child(db):
    """A child nobody holds yet: the front door's contact is the first Cairn hears of them."""
    return support.make_child("Mia", "Hart")


def _date(prefix: str, day: date) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _contact(child, by) -> Contact:
    return services.contact_record(child=child, received_at=timezone.now() - timedelta(hours=2),
                                   source=ContactSource.SCHOOLS, concerns="Often late, tired",
                                   consent=ConsentStatus.GIVEN, by=by)


def _decide(client, contact, **changes):
    data = {"decision": ContactDecision.EARLY_HELP, "reason": "Needs met by early help",
            **_date("decided_on", timezone.localdate()),
            "decided_time": timezone.localtime().strftime("%H:%M"), "version": contact.version,
            **changes}
    return client.post(f"/front-door/contacts/{contact.pk}/decision/", data)


def test_an_early_help_decision_reaches_the_manager_then_the_practitioner(
        fresh_child, front_door, eh_team, eh_manager, eh_worker):
    child = fresh_child
    contact = _contact(child, front_door)
    fd = support.client_for(front_door)
    manager, worker = support.client_for(eh_manager), support.client_for(eh_worker)
    record = f"/children/{child.pk}/"
    # Before the decision, nobody in early help can open the child.
    assert manager.get(record).status_code == 404
    assert worker.get(record).status_code == 404

    # The front door must say which early help team takes the child.
    page = _decide(fd, contact).content.decode()
    assert "Choose the early help team to pass the child to" in page
    contact.refresh_from_db()
    assert contact.decided_at is None and not Allocation.objects.filter(child=child).exists()
    assert _decide(fd, contact, early_help_team=eh_team.pk).status_code == 302
    held = Allocation.objects.get(child=child)
    assert (held.worker, held.team, held.kind) == (eh_manager, eh_team, "EH")

    # The manager finds the child on their list to allocate, and can open the record.
    home = manager.get("/").content.decode()
    assert "Early help to allocate (1)" in home and "Mia Hart" in home
    assert manager.get(record).status_code == 200
    allocate = f"/front-door/children/{child.pk}/early-help/allocate/"
    assert "Erin Hale" in manager.get(allocate).content.decode()
    assert worker.get(allocate).status_code == 404  # a practitioner does not allocate
    response = manager.post(allocate, {"worker": eh_worker.pk,
                                       **_date("on", timezone.localdate())})
    assert response.status_code == 302
    now = Allocation.objects.get(child=child, ended_on__isnull=True)
    assert (now.worker, now.team, now.kind) == (eh_worker, eh_team, "EH")
    assert "Early help to allocate" not in manager.get("/").content.decode()

    # The practitioner finds the child on their list and opens the record and its early help.
    assert "Mia Hart" in worker.get("/").content.decode()
    assert worker.get(record).status_code == 200
    assert worker.get(f"/front-door/children/{child.pk}/early-help/").status_code == 200
    found = worker.get("/search", {"q": "Hart"}).content.decode()
    assert "Mia Hart" in found
    # Starting the early help names the allocated practitioner, even if the manager starts it.
    assert manager.post(f"/front-door/children/{child.pk}/early-help/new/", {
        **_date("started_on", timezone.localdate()), "organisation": "Family Hub North",
        "reason": "School attendance"}).status_code == 302
    assert EarlyHelpEpisode.objects.get(child=child).worker == eh_worker


def test_a_child_already_open_to_early_help_stays_with_their_practitioner(
        fresh_child, front_door, eh_worker):
    support.allocate(fresh_child, eh_worker, kind=Allocation.Kind.EARLY_HELP)
    contact = _contact(fresh_child, front_door)
    assert _decide(support.client_for(front_door), contact).status_code == 302
    assert list(Allocation.objects.filter(child=fresh_child).values_list("worker", "kind")) == [
        (eh_worker.pk, "EH")]


def test_an_early_help_practitioner_cannot_open_a_referral_directly(
        fresh_child, eh_worker, team):
    support.allocate(fresh_child, eh_worker, kind=Allocation.Kind.EARLY_HELP)
    contact = _contact(fresh_child, eh_worker)
    page = _decide(support.client_for(eh_worker), contact, decision=ContactDecision.REFERRAL,
                   primary_need="N1").content.decode()
    assert "ask for a step up, which a manager authorises" in page
    assert not Referral.objects.exists()
    with pytest.raises(RecordError, match="ask for a step up"):
        services.referral_record(child=fresh_child, received_on=timezone.localdate(),
                                 source=ContactSource.EARLY_HELP, by=eh_worker)


def _ask(child, by, rationale, *, hours_ago=3, direction="up"):
    return services.step_decision_request(
        child=child, direction=direction, rationale=rationale, by=by,
        requested_at=timezone.now() - timedelta(hours=hours_ago),
        early_help_organisation="" if direction == "up" else "Hub")


def test_a_duplicate_step_up_is_closed_when_one_is_authorised_and_the_chronology_says_why(
        fresh_child, eh_worker, eh_manager, eh_team, team, team_manager):
    child = fresh_child
    support.allocate(child, eh_worker, kind=Allocation.Kind.EARLY_HELP)
    services.early_help_start(child=child, started_on=timezone.localdate() - timedelta(days=40),
                              organisation="Family Hub North", by=eh_worker, worker=eh_worker)
    colleague = support.make_staff("priya_shah", Role.EARLY_HELP, eh_team)
    support.allocate(child, colleague, kind=Allocation.Kind.EARLY_HELP)
    first = _ask(child, eh_worker, "Neglect continues despite the plan", hours_ago=5)
    duplicate = _ask(child, colleague, "Attendance has fallen to 40%", hours_ago=4)
    assert list(step_decisions_awaiting(eh_manager)) == [first, duplicate]

    manager = support.client_for(eh_manager)
    assert manager.post(f"/front-door/step-decisions/{first.pk}/", {
        "outcome": "authorise", "reason": "Threshold met: assessment needed",
        "team": team.pk, "version": first.version}).status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.status == "Closed" and duplicate.closed_by_step_id == first.pk
    assert duplicate.closed_reason.startswith("Step up to children's social care "
                                              "authorised on")
    listed = support.client_for(team_manager).get(
        f"/front-door/children/{child.pk}/early-help/").content.decode()
    assert "Closed: Closed" not in listed and "Closed</strong>: Step up" in listed
    assert list(step_decisions_awaiting(eh_manager)) == []
    # The child has passed to the social care team: its manager reads the closed request.
    page = support.client_for(team_manager).get(
        f"/front-door/step-decisions/{duplicate.pk}/").content.decode()
    assert "Save decision" not in page and "the request decided" in page
    # A closed request cannot be authorised afterwards: the child stepped up once.
    with pytest.raises(RecordError, match="This request is closed"):
        services.step_decision_authorise(step=duplicate, authorised_at=timezone.now(),
                                         by=team_manager, reason="Also agreed")
    assert Referral.objects.filter(child=child).count() == 1
    # The early help allocation ended with the early help: the child left early help's list.
    assert not Allocation.objects.filter(child=child, kind="EH", ended_on__isnull=True).exists()

    lines = {(o.label, o.detail) for o in facts.chronology(child.pk)}
    assert ("Step up or down asked for", "Step up to children's social care. Asked for by "
            "Erin Hale: Neglect continues despite the plan") in lines
    assert ("Step up or down authorised", "Step up to children's social care. Authorised by "
            "Elena Marsh: Threshold met: assessment needed (asked for because: Neglect "
            "continues despite the plan)") in lines
    closed = [d for label, d in lines if label == "Step up or down request closed"]
    assert len(closed) == 1 and "Elena Marsh" in closed[0]
    # "Recorded by" names who decided each decision, not who asked for the step.
    events = facts.chronology(child.pk)
    entered = {(e.label, e.pk): recorded_by(events)[(e.fact, e.pk)].who for e in events
               if e.label.startswith("Step up or down")}
    assert entered[("Step up or down asked for", first.pk)] == "Erin Hale"
    assert entered[("Step up or down authorised", first.pk)] == "Elena Marsh"
    assert entered[("Step up or down request closed", duplicate.pk)] == "Elena Marsh"
    history = support.client_for(team_manager).get(
        f"/children/{child.pk}/chronology/").content.decode()
    assert "Authorised by Elena Marsh: Threshold met" in history


def test_a_declined_step_closes_its_duplicate_but_not_a_step_the_other_way(
        fresh_child, eh_worker, eh_manager, eh_team):
    child = fresh_child
    support.allocate(child, eh_worker, kind=Allocation.Kind.EARLY_HELP)
    colleague = support.make_staff("priya_shah", Role.EARLY_HELP, eh_team)
    first = _ask(child, eh_worker, "Worse", hours_ago=5)
    duplicate = _ask(child, colleague, "Worse still", hours_ago=4)
    other_way = _ask(child, colleague, "Better", hours_ago=4, direction="down")
    services.step_decision_decline(step=first, declined_at=timezone.now(), by=eh_manager,
                                   reason="Not yet: the plan has six weeks to run")
    duplicate.refresh_from_db()
    other_way.refresh_from_db()
    assert duplicate.status == "Closed" and "declined" in duplicate.closed_reason
    assert other_way.status == "Awaiting authorisation"
    lines = {(o.label, o.detail) for o in facts.chronology(child.pk)}
    assert ("Step up or down declined", "Step up to children's social care. Declined by "
            "Elena Marsh: Not yet: the plan has six weeks to run (asked for because: Worse)"
            ) in lines


def test_who_asked_for_a_step_can_withdraw_it(fresh_child, eh_worker, eh_manager, eh_team):
    support.allocate(fresh_child, eh_worker, kind=Allocation.Kind.EARLY_HELP)
    step = _ask(fresh_child, eh_worker, "Worse")
    url = f"/front-door/step-decisions/{step.pk}/withdraw/"
    assert "Withdraw the request" in support.client_for(eh_worker).get(
        f"/front-door/step-decisions/{step.pk}/").content.decode()
    page = support.client_for(eh_manager).post(url, {"reason": "Mine now",
                                                     "version": step.version}).content.decode()
    assert "Only the person who asked for the step can withdraw it" in page
    worker = support.client_for(eh_worker)
    assert "Enter why you are withdrawing" in worker.post(
        url, {"reason": "", "version": step.version}).content.decode()
    assert worker.post(url, {"reason": "Family moved to Leeds",
                             "version": step.version}).status_code == 302
    step.refresh_from_db()
    assert step.status == "Withdrawn" and step.closed_reason == "Withdrawn: Family moved to Leeds"
    assert not step_decisions_awaiting(eh_manager).exists()


def test_the_early_help_team_page_counts_the_children_it_lists(
        eh_team, eh_manager, eh_worker):
    children = [support.make_child(f"Kid{n}") for n in range(3)]
    for child in children:
        support.allocate(child, eh_worker, kind=Allocation.Kind.EARLY_HELP)
    page = support.client_for(eh_manager).get(f"/teams/{eh_team.pk}/").content.decode()
    assert "Children allocated in the team (3)" in page
    for child in children:
        assert child.full_name in page
    assert f"/front-door/children/{children[0].pk}/early-help/allocate/" in page


def test_allocating_needs_a_practitioner_in_the_managers_line(
        fresh_child, front_door, eh_team, eh_manager, social_worker):
    services_early_help.early_help_pass(child=fresh_child, team=eh_team,
                                        on=timezone.localdate(), by=front_door)
    with pytest.raises(RecordError, match="Choose an early help practitioner"):
        services_early_help.early_help_allocate(child=fresh_child, worker=social_worker,
                                                on=timezone.localdate(), by=eh_manager)


def test_early_help_timescales_are_local_rules_on_the_practitioners_list(
        fresh_child, eh_worker, eh_manager):
    from cairn.core import names, timescales
    from cairn.core.models import TimescaleRule

    for code in (names.EARLY_HELP_ASSESSMENT, names.EARLY_HELP_REVIEW):
        rule = TimescaleRule.objects.get(code=code)
        assert rule.local and rule.source.startswith("Local practice")
        assert rule.responsible == Role.EARLY_HELP
    child = fresh_child
    support.allocate(child, eh_worker, kind=Allocation.Kind.EARLY_HELP)
    today = timezone.localdate()
    episode = services.early_help_start(child=child, started_on=today - timedelta(days=60),
                                        organisation="Family Hub North", by=eh_worker,
                                        worker=eh_worker)
    due = {d.rule.code: d for d in timescales.evaluate([child.pk]) if d.is_open}
    assert due[names.EARLY_HELP_ASSESSMENT].status == timescales.Status.OVERDUE
    home = support.client_for(eh_worker).get("/").content.decode()
    assert "Early help assessment completed" in home

    services.early_help_assessment_record(
        child=child, episode=episode, started_on=today - timedelta(days=58),
        completed_on=today - timedelta(days=40), organisation="Family Hub North",
        summary="Strengths and needs agreed", by=eh_worker)
    services.early_help_plan_record(
        episode=episode, started_on=today - timedelta(days=35), by=eh_worker, needs=[
            {"need": "School attendance", "outcome": "Attends every day", "actions": "Walk",
             "owner": eh_worker, "owner_name": "", "due_on": today + timedelta(days=30)}])
    found = {d.rule.code: d for d in timescales.evaluate([child.pk])}
    assert found[names.EARLY_HELP_ASSESSMENT].status == timescales.Status.MET
    # The child's timescales page marks every local rule as local practice, and only those.
    page = support.client_for(eh_worker).get(f"/children/{child.pk}/timescales/")
    rows = page.content.decode().split('<tr class="govuk-table__row">')[2:]
    listed = timescales.evaluate([child.pk])
    assert len(rows) == len(listed) and any(d.rule.local for d in listed)
    marked = sum("Local practice</strong>" in row for row in rows)
    assert marked == sum(1 for d in listed if d.rule.local)
    review = found[names.EARLY_HELP_REVIEW]
    assert review.is_open and review.due_on == today - timedelta(days=35) + timedelta(weeks=12)
    # The end of the early help stops the review clock.
    services.early_help_end(episode=episode, ended_on=today, end_reason="Needs met",
                            by=eh_worker)
    assert not [d for d in timescales.evaluate([child.pk])
                if d.rule.code == names.EARLY_HELP_REVIEW and d.is_open]


def test_a_step_up_authorised_in_early_help_goes_to_the_social_care_teams_manager(
        fresh_child, front_door, eh_worker, eh_manager, eh_team, team, team_manager):
    child = fresh_child
    assert _decide(support.client_for(front_door), _contact(child, front_door),
                   early_help_team=eh_team.pk).status_code == 302  # the EH manager holds it
    services.early_help_start(child=child, started_on=timezone.localdate() - timedelta(days=9),
                              organisation="Family Hub North", by=eh_manager)
    step = _ask(child, eh_worker, "Neglect continues despite the plan")
    manager = support.client_for(eh_manager)
    authorise = {"outcome": "authorise", "reason": "Threshold met", "version": step.version}
    # Early help's manager must say which social care team takes the child.
    page = manager.post(f"/front-door/step-decisions/{step.pk}/", authorise).content.decode()
    assert "Choose the social care team to take the child" in page
    done = manager.post(f"/front-door/step-decisions/{step.pk}/", {**authorise, "team": team.pk})
    assert done.status_code == 302, done.content.decode()[:3000]
    open_now = Allocation.objects.filter(child=child, ended_on__isnull=True)
    assert [(a.worker, a.team, a.kind) for a in open_now] == [(team_manager, team, "SW")]
    assert "Mia Hart" in support.client_for(team_manager).get("/").content.decode()


def test_a_front_door_referral_passes_a_child_held_by_early_help_to_the_team(
        fresh_child, front_door, eh_manager, eh_team, team, team_manager):
    child = fresh_child
    fd = support.client_for(front_door)
    assert _decide(fd, _contact(child, front_door), early_help_team=eh_team.pk
                   ).status_code == 302
    assert _decide(fd, _contact(child, front_door), decision=ContactDecision.REFERRAL,
                   primary_need="N1", team=team.pk).status_code == 302
    open_now = Allocation.objects.filter(child=child, ended_on__isnull=True)
    assert [(a.worker, a.team, a.kind) for a in open_now] == [(team_manager, team, "SW")]
    # A hold by early help's manager as social work (as the demo left it) passes on too.
    other = support.make_child("Leo", "Hart")
    support.allocate(other, eh_manager)
    assert _decide(fd, _contact(other, front_door), decision=ContactDecision.REFERRAL,
                   primary_need="N1", team=team.pk).status_code == 302
    open_now = Allocation.objects.filter(child=other, ended_on__isnull=True)
    assert [(a.worker, a.team, a.kind) for a in open_now] == [(team_manager, team, "SW")]


def test_early_help_managers_hold_reads_to_allocate_not_practitioner(fresh_child, eh_manager,
                                                                      eh_worker):
    held = support.allocate(fresh_child, eh_manager, kind=Allocation.Kind.EARLY_HELP)
    assert held.get_kind_display() == "Team manager, to allocate"
    worked = support.allocate(fresh_child, eh_worker, kind=Allocation.Kind.EARLY_HELP)
    assert worked.get_kind_display() == "Early help practitioner"


def test_an_early_help_practitioner_is_not_offered_record_a_referral(
        fresh_child, eh_worker, team, social_worker):
    support.allocate(fresh_child, eh_worker, kind=Allocation.Kind.EARLY_HELP)
    support.allocate(fresh_child, social_worker)
    for page in (f"/children/{fresh_child.pk}/",
                 f"/children/{fresh_child.pk}/assessment-and-plans/"):
        helper = support.client_for(eh_worker).get(page)
        assert helper.status_code == 200
        assert "Record a referral" not in helper.content.decode()
    worker_page = support.client_for(social_worker).get(f"/children/{fresh_child.pk}/")
    assert "Record a referral" in worker_page.content.decode()
