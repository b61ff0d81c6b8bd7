"""An authorised step moves the child: a step up opens (or joins) a referral and ends early help;
a step down closes the referral with the census reason and starts early help (F20)."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from cairn.core import facts
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.frontdoor import services
from cairn.frontdoor.models import (
    EarlyHelpEpisode,
    ReasonForClosure,
    Referral,
    ReferralSource,
    StepDecision,
)
from cairn.protection.models import Assessment, CINPlan

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def early_help(child, social_worker):
    return services.early_help_start(child=child, started_on=date(2026, 1, 5),
                                     organisation="Family Hub North", by=social_worker)


def ask(child, by, direction="up", **changes):
    values = dict(child=child, direction=direction, by=by, requested_at=at(date(2026, 3, 2)),
                  rationale="Attendance has fallen despite the plan")
    if direction == "down":
        values["early_help_organisation"] = "Family Hub North"
    values.update(changes)
    return services.step_decision_request(**values)


def test_an_authorised_step_up_opens_one_referral_and_ends_early_help(
        child, social_worker, team_manager, early_help):
    step = ask(child, social_worker, early_help_episode=early_help)
    services.step_decision_authorise(step=step, authorised_at=at(date(2026, 3, 4)),
                                     by=team_manager, reason="Agreed")
    referral = Referral.objects.get()
    assert (referral.child, referral.received_on, referral.source) == (
        child, date(2026, 3, 4), ReferralSource.EARLY_HELP)
    step.refresh_from_db()
    early_help.refresh_from_db()
    assert (step.referral, step.early_help_episode) == (referral, early_help)
    assert early_help.ended_on == date(2026, 3, 4)
    assert early_help.end_reason == "Stepped up to children's social care"
    assert [e.action for e in AuditEvent.objects.order_by("pk")][-3:] == [
        "referral.received", "early_help.ended", "step_decision.authorised"]
    found = facts.occurrences(["referral.received", "early_help.ended", "step_decision.authorised"],
                              [child.pk])
    assert [o.on for o in found["referral.received"][child.pk]] == [date(2026, 3, 4)]
    assert [o.on for o in found["early_help.ended"][child.pk]] == [date(2026, 3, 4)]
    assert [o.on for o in found["step_decision.authorised"][child.pk]] == [date(2026, 3, 4)]


def test_a_step_up_joins_the_open_referral_rather_than_opening_a_second(
        child, social_worker, team_manager, early_help):
    open_one = services.referral_record(child=child, received_on=date(2026, 2, 10),
                                        source=ReferralSource.SCHOOLS, by=social_worker)
    step = ask(child, social_worker)
    services.step_decision_authorise(step=step, authorised_at=at(date(2026, 3, 4)),
                                     by=team_manager)
    assert list(Referral.objects.all()) == [open_one]
    step.refresh_from_db()
    assert step.referral == open_one
    early_help.refresh_from_db()
    assert early_help.ended_on == date(2026, 3, 4)  # the open early help, found without a link


def test_a_declined_step_changes_nothing_but_is_kept(child, social_worker, team_manager,
                                                      early_help):
    step = ask(child, social_worker, early_help_episode=early_help)
    services.step_decision_decline(step=step, declined_at=at(date(2026, 3, 4)), by=team_manager,
                                   reason="Give the plan another month")
    assert not Referral.objects.exists()
    early_help.refresh_from_db()
    assert early_help.ended_on is None
    step.refresh_from_db()
    assert (step.status, step.referral, step.decision_reason) == (
        "Declined", None, "Give the plan another month")
    found = facts.occurrences(["step_decision.authorised"], [child.pk])
    assert not found["step_decision.authorised"]


def test_the_requester_cannot_authorise_and_nothing_moves(child, social_worker, team_manager,
                                                          early_help):
    step = ask(child, team_manager, early_help_episode=early_help)
    with pytest.raises(RecordError, match="Another manager must authorise"):
        services.step_decision_authorise(step=step, authorised_at=at(date(2026, 3, 4)),
                                         by=team_manager)
    assert not Referral.objects.exists()
    early_help.refresh_from_db()
    assert early_help.ended_on is None


def test_an_authorised_step_down_after_an_assessment_closes_with_rc9_and_starts_early_help(
        child, social_worker, team_manager):
    referral = services.referral_record(child=child, received_on=date(2026, 2, 2),
                                        source=ReferralSource.SCHOOLS, by=social_worker)
    Assessment.objects.create(child=child, referral=referral, started_on=date(2026, 2, 3),
                              submitted_on=date(2026, 2, 27), authorised_on=date(2026, 3, 2),
                              authorised_by=team_manager, recorded_by=social_worker)
    step = ask(child, social_worker, direction="down", referral=referral)
    services.step_decision_authorise(step=step, authorised_at=at(date(2026, 3, 4)),
                                     by=team_manager, reason="Needs met by the hub")
    referral.refresh_from_db()
    assert (referral.closed_on, referral.closure_reason) == (
        date(2026, 3, 4), ReasonForClosure.CLOSED_AFTER_ASSESSMENT_EARLY_HELP)
    episode = EarlyHelpEpisode.objects.get()
    assert (episode.started_on, episode.organisation) == (date(2026, 3, 4), "Family Hub North")
    step.refresh_from_db()
    assert (step.referral, step.early_help_episode) == (referral, episode)
    found = facts.occurrences(["referral.closed", "early_help.started"], [child.pk])
    assert found["referral.closed"][child.pk][0].on == date(2026, 3, 4)
    assert found["early_help.started"][child.pk][0].on == date(2026, 3, 4)


def test_a_step_down_waits_for_the_assessment_to_be_authorised(
        child, social_worker, team_manager):
    """CIN 8867: a closed episode whose assessment is not completed is an error in the census."""
    referral = services.referral_record(child=child, received_on=date(2026, 2, 2),
                                        source=ReferralSource.SCHOOLS, by=social_worker)
    assessment = Assessment.objects.create(child=child, referral=referral,
                                           started_on=date(2026, 2, 3),
                                           submitted_on=date(2026, 2, 27),
                                           recorded_by=social_worker)
    step = ask(child, social_worker, direction="down", referral=referral)
    with pytest.raises(RecordError, match="must authorise the single assessment") as error:
        services.step_decision_authorise(step=step, authorised_at=at(date(2026, 3, 4)),
                                         by=team_manager)
    assert error.value.field == "authorised_at"
    referral.refresh_from_db()
    step.refresh_from_db()
    assert (referral.closed_on, step.status) == (None, "Awaiting authorisation")
    assert not EarlyHelpEpisode.objects.exists()
    assert not AuditEvent.objects.filter(action="referral.closed").exists()
    # Authorised after the day of the step down is no better: the episode would close first.
    assessment.authorised_on, assessment.authorised_by = date(2026, 3, 5), team_manager
    assessment.save()
    with pytest.raises(RecordError, match="must authorise the single assessment"):
        services.step_decision_authorise(step=step, authorised_at=at(date(2026, 3, 4)),
                                         by=team_manager)
    assessment.authorised_on = date(2026, 3, 4)
    assessment.save()
    services.step_decision_authorise(step=step, authorised_at=at(date(2026, 3, 4)),
                                     by=team_manager)
    referral.refresh_from_db()
    assert referral.closed_on == date(2026, 3, 4)


def test_a_step_down_after_a_plan_closes_with_rc7_and_not_round_an_open_plan(
        child, social_worker, team_manager):
    referral = services.referral_record(child=child, received_on=date(2026, 1, 2),
                                        source=ReferralSource.SCHOOLS, by=social_worker)
    plan = CINPlan.objects.create(child=child, referral=referral, started_on=date(2026, 1, 20),
                                  recorded_by=social_worker)
    step = ask(child, social_worker, direction="down", referral=referral)
    with pytest.raises(RecordError, match="End the child in need plan before stepping down"):
        services.step_decision_authorise(step=step, authorised_at=at(date(2026, 3, 4)),
                                         by=team_manager)
    referral.refresh_from_db()
    assert referral.closed_on is None
    assert not EarlyHelpEpisode.objects.exists()
    plan.ended_on = date(2026, 3, 1)
    plan.save()
    step.refresh_from_db()
    services.step_decision_authorise(step=step, authorised_at=at(date(2026, 3, 4)),
                                     by=team_manager)
    referral.refresh_from_db()
    assert referral.closure_reason == ReasonForClosure.SERVICES_CEASED
    assert EarlyHelpEpisode.objects.get().ended_on is None


def test_a_step_down_names_who_leads_the_early_help(child, social_worker):
    with pytest.raises(RecordError, match="organisation that will lead") as error:
        ask(child, social_worker, direction="down", early_help_organisation=" ")
    assert error.value.field == "early_help_organisation"
    assert not StepDecision.objects.exists()


def test_the_childs_record_shows_what_the_step_did(child, social_worker, team_manager,
                                                   early_help):
    import support

    client = support.client_for(social_worker)
    page = client.post(f"/front-door/children/{child.pk}/steps/new/",
                       {"direction": "down", "rationale": "Stable"}).content.decode()
    assert "Enter the organisation that will lead the early help" in page
    assert "Stable" in page  # kept what was typed
    client.post(f"/front-door/children/{child.pk}/steps/new/",
                {"direction": "up", "rationale": "Worse despite the plan"})
    step = StepDecision.objects.get()
    support.client_for(team_manager).post(
        f"/front-door/step-decisions/{step.pk}/",
        {"outcome": "authorise", "reason": "Agreed", "version": step.version})
    received = f"{Referral.objects.get().received_on:%-d %b %Y}"
    page = client.get(f"/front-door/children/{child.pk}/early-help/").content.decode()
    assert f"referral received {received}" in page
    page = client.get(f"/front-door/step-decisions/{step.pk}/").content.decode()
    assert f"Referral to children's social care received {received}" in page
    assert "Early help from 5 Jan 2026 ended" in page


def test_a_step_up_for_a_child_with_no_social_worker_is_held_by_the_authorising_manager(
        child, social_worker, team_manager, early_help):
    from cairn.workforce.models import Allocation

    step = ask(child, social_worker, early_help_episode=early_help)
    # Known to the team through early help only: no social worker yet.
    Allocation.objects.filter(child=child).update(kind=Allocation.Kind.EARLY_HELP)
    services.step_decision_authorise(step=step, authorised_at=at(date(2026, 3, 4)),
                                     by=team_manager, reason="Agreed")
    held = Allocation.objects.get(child=child, kind=Allocation.Kind.SOCIAL_WORKER)
    assert (held.worker, held.kind, held.started_on) == (
        team_manager, Allocation.Kind.SOCIAL_WORKER, date(2026, 3, 4))
