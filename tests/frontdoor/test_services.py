from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cairn.core import facts
from cairn.core.errors import RecordError, StaleRecord
from cairn.core.models import AuditEvent
from cairn.frontdoor import services
from cairn.frontdoor.models import (
    ConsentStatus,
    Contact,
    ContactDecision,
    ContactSource,
    PrimaryNeed,
    ReasonForClosure,
    Referral,
    ReferralSource,
    StepDecision,
)

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def make_contact(child, by, **changes):
    values = dict(child=child, received_at=at(date(2026, 3, 2)), source=ContactSource.SCHOOLS,
                  concerns="Bruising seen at school", consent=ConsentStatus.GIVEN, by=by,
                  caller_name="Ms Reed", caller_relationship="Class teacher")
    values.update(changes)
    return services.contact_record(**values)


def test_codes_are_the_dfe_codes():
    assert set(ReferralSource.values) == {
        "1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4", "5A", "5B",
        "5C", "5D", "6", "7", "8", "9", "10"}
    assert PrimaryNeed.values == [f"N{n}" for n in range(10)]
    assert ReasonForClosure.values == [f"RC{n}" for n in range(1, 10)]


def test_contact_record_keeps_the_contact_and_an_audit_row(child, front_door):
    contact = make_contact(child, front_door)
    assert [(c, c.caller_relationship) for c in Contact.objects.all()] == [
        (contact, "Class teacher")]
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.child_id) == ("contact.received", front_door,
                                                           child.pk)


def test_contact_cannot_be_received_in_the_future(child, front_door):
    with pytest.raises(RecordError, match="cannot be in the future") as error:
        make_contact(child, front_door, received_at=timezone.now() + timedelta(days=1))
    assert error.value.field == "received_at"
    assert not Contact.objects.exists()
    assert not AuditEvent.objects.exists()


def test_consent_dispensed_with_needs_a_manager_and_a_reason(child, front_door, team_manager):
    with pytest.raises(RecordError, match="dispensed with by a manager") as error:
        make_contact(child, front_door, consent=ConsentStatus.DISPENSED_WITH,
                     consent_dispensed_by=front_door, consent_dispensed_reason="Risk")
    assert error.value.field == "consent_dispensed_by"
    with pytest.raises(RecordError, match="Enter why consent was dispensed with"):
        make_contact(child, front_door, consent=ConsentStatus.DISPENSED_WITH,
                     consent_dispensed_by=team_manager)
    assert not Contact.objects.exists()
    contact = make_contact(child, front_door, consent=ConsentStatus.DISPENSED_WITH,
                           consent_dispensed_by=team_manager,
                           consent_dispensed_reason="Asking would alert the alleged abuser")
    assert contact.consent_dispensed_by == team_manager


def test_a_stranger_cannot_record_a_contact(child, stranger):
    with pytest.raises(PermissionDenied):
        make_contact(child, stranger)
    assert not Contact.objects.exists()


def test_contact_decide_keeps_who_when_and_why(child, front_door):
    contact = make_contact(child, front_door)
    services.contact_decide(contact=contact, decision=ContactDecision.REFERRAL,
                            decided_at=at(date(2026, 3, 2), 15), by=front_door,
                            reason="Unexplained injury", expected_version=1)
    contact.refresh_from_db()
    assert (contact.decision, contact.decided_by, contact.version) == ("referral", front_door, 2)
    event = AuditEvent.objects.get(action="contact.decided")
    assert event.kind == AuditEvent.Kind.DECIDED
    assert event.before["decision"] == "" and event.after["decision"] == "referral"


def test_contact_decision_cannot_precede_the_contact(child, front_door):
    contact = make_contact(child, front_door)
    with pytest.raises(RecordError, match="before the contact was received") as error:
        services.contact_decide(contact=contact, decision=ContactDecision.REFERRAL,
                                decided_at=at(date(2026, 3, 1)), by=front_door)
    assert error.value.field == "decided_at"
    contact.refresh_from_db()
    assert contact.decision == "" and contact.version == 1
    assert AuditEvent.objects.filter(action="contact.decided").count() == 0


def test_no_further_action_needs_a_reason(child, front_door):
    contact = make_contact(child, front_door)
    with pytest.raises(RecordError, match="Enter why"):
        services.contact_decide(contact=contact, decision=ContactDecision.NO_FURTHER_ACTION,
                                decided_at=at(date(2026, 3, 2), 12), by=front_door)


def test_two_people_deciding_the_same_contact_cannot_both_win(child, front_door):
    contact = make_contact(child, front_door)
    stale = Contact.objects.get(pk=contact.pk)
    services.contact_decide(contact=contact, decision=ContactDecision.EARLY_HELP,
                            decided_at=at(date(2026, 3, 2), 12), by=front_door)
    with pytest.raises(StaleRecord):
        services.contact_decide(contact=stale, decision=ContactDecision.REFERRAL,
                                decided_at=at(date(2026, 3, 2), 13), by=front_door)
    assert Contact.objects.get().decision == "early_help"


def test_referral_record_from_a_contact(child, front_door):
    contact = make_contact(child, front_door)
    referral = services.referral_record(child=child, contact=contact,
                                        received_on=date(2026, 3, 2),
                                        source=ReferralSource.SCHOOLS, by=front_door)
    assert Referral.objects.get() == referral
    assert AuditEvent.objects.filter(action="referral.received", object_id=str(referral.pk)
                                     ).exists()


def test_referral_cannot_precede_its_contact(child, front_door):
    contact = make_contact(child, front_door)
    with pytest.raises(RecordError, match="before its contact") as error:
        services.referral_record(child=child, contact=contact, received_on=date(2026, 3, 1),
                                 source=ReferralSource.SCHOOLS, by=front_door)
    assert error.value.field == "received_on"
    assert not Referral.objects.exists()


def test_one_open_episode_at_a_time(child, front_door):
    services.referral_record(child=child, received_on=date(2026, 3, 2),
                             source=ReferralSource.POLICE, by=front_door)
    with pytest.raises(RecordError, match="already has an open referral"):
        services.referral_record(child=child, received_on=date(2026, 3, 9),
                                 source=ReferralSource.POLICE, by=front_door)
    services.referral_record(child=child, received_on=date(2026, 3, 9), nfa=True,
                             source=ReferralSource.POLICE, by=front_door)
    assert Referral.objects.count() == 2


def test_referral_close_date_order_and_reason(child, front_door):
    referral = services.referral_record(child=child, received_on=date(2026, 3, 2),
                                        source=ReferralSource.POLICE, by=front_door)
    with pytest.raises(RecordError, match="referral cannot close before it was received") as error:
        services.referral_close(referral=referral, closed_on=date(2026, 3, 1),
                                reason=ReasonForClosure.SERVICES_CEASED, by=front_door)
    assert error.value.field == "closed_on"
    with pytest.raises(RecordError):  # CIN 8805: a closure needs its reason
        services.referral_close(referral=referral, closed_on=date(2026, 3, 20), reason="",
                                by=front_door)
    referral.refresh_from_db()
    assert referral.closed_on is None
    services.referral_close(referral=referral, closed_on=date(2026, 3, 20),
                            reason=ReasonForClosure.SERVICES_CEASED, by=front_door)
    assert Referral.objects.get().closure_reason == "RC7"


def test_early_help_cannot_end_before_it_started(child, social_worker):
    episode = services.early_help_start(child=child, started_on=date(2026, 2, 1),
                                        organisation="Family Hub North", by=social_worker)
    with pytest.raises(RecordError, match="cannot end before it started"):
        services.early_help_end(episode=episode, ended_on=date(2026, 1, 31), end_reason="x",
                                by=social_worker)
    services.early_help_end(episode=episode, ended_on=date(2026, 4, 1),
                            end_reason="Outcomes met", by=social_worker)
    assert [a.action for a in AuditEvent.objects.order_by("pk")] == [
        "early_help.started", "early_help.ended"]


def test_early_help_assessment_cannot_complete_before_it_starts(child, social_worker):
    with pytest.raises(RecordError, match="completed before it started") as error:
        services.early_help_assessment_record(
            child=child, started_on=date(2026, 2, 1), completed_on=date(2026, 1, 1),
            organisation="School", by=social_worker)
    assert error.value.field == "completed_on"


def test_step_up_is_authorised_by_another_manager(child, social_worker, team_manager,
                                                  second_manager):
    step = services.step_decision_request(
        child=child, direction=StepDecision.Direction.STEP_UP, by=team_manager,
        rationale="Concerns escalating despite the plan", requested_at=at(date(2026, 3, 2)))
    with pytest.raises(RecordError, match="Another manager"):
        services.step_decision_authorise(step=step, authorised_at=at(date(2026, 3, 3)),
                                         by=team_manager)
    with pytest.raises(PermissionDenied):
        services.step_decision_authorise(step=step, authorised_at=at(date(2026, 3, 3)),
                                         by=social_worker)
    with pytest.raises(RecordError, match="before it was asked for"):
        services.step_decision_authorise(step=step, authorised_at=at(date(2026, 3, 1)),
                                         by=second_manager)
    services.step_decision_authorise(step=step, authorised_at=at(date(2026, 3, 3)),
                                     by=second_manager)
    step.refresh_from_db()
    assert step.authorised_by == second_manager
    assert AuditEvent.objects.get(action="step_decision.authorised").kind == "decided"


def test_front_door_facts_are_registered(child, front_door):
    contact = make_contact(child, front_door)
    services.contact_decide(contact=contact, decision=ContactDecision.REFERRAL,
                            decided_at=at(date(2026, 3, 3)), by=front_door)
    referral = services.referral_record(child=child, received_on=date(2026, 3, 3), nfa=True,
                                        source=ReferralSource.SCHOOLS, by=front_door)
    found = facts.occurrences(["contact.received", "contact.decided", "referral.received",
                               "referral.nfa"], [child.pk])
    assert found["contact.received"][child.pk][0].on == date(2026, 3, 2)
    assert found["contact.decided"][child.pk][0].key == contact.pk
    assert found["referral.nfa"][child.pk][0].key == referral.pk
    for name in ("referral.closed", "early_help.started", "early_help.ended",
                 "step_decision.authorised"):
        assert name in facts.REGISTRY
