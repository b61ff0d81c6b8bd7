"""Writes at the front door: contacts and their decisions, referrals, early help, step decisions.

Each service is one transaction: the access check, the date-order rules (a plain-English
`RecordError` naming the field), `full_clean()`, the save and the audit row land together or not
at all.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from cairn.core import audit, policy
from cairn.core.errors import RecordError
from cairn.core.services import clean, save_version
from cairn.core.models import AuditEvent

from .models import (
    ConsentStatus,
    Contact,
    ContactDecision,
    EarlyHelpAssessment,
    EarlyHelpEpisode,
    Referral,
    StepDecision,
)


def _not_future(value: date | datetime, field: str, what: str) -> None:
    now = timezone.now() if isinstance(value, datetime) else timezone.localdate()
    if value > now:
        raise RecordError(f"The {what} cannot be in the future", field=field)


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


@transaction.atomic
def contact_record(
    *, child, received_at: datetime, source: str, concerns: str, consent: str, by,
    caller_name: str = "", caller_relationship: str = "", consent_dispensed_by=None,
    consent_dispensed_reason: str = "",
) -> Contact:
    """Record a contact received at the front door about `child`."""
    policy.require(by, policy.RECORD, child)
    _not_future(received_at, "received_at", "contact")
    if consent == ConsentStatus.DISPENSED_WITH:
        if consent_dispensed_by is None or not policy.allows(consent_dispensed_by,
                                                             policy.AUTHORISE):
            raise RecordError("Consent can only be dispensed with by a manager: choose who "
                              "decided", field="consent_dispensed_by")
        if not consent_dispensed_reason.strip():
            raise RecordError("Enter why consent was dispensed with",
                              field="consent_dispensed_reason")
    else:
        consent_dispensed_by, consent_dispensed_reason = None, ""
    contact = Contact(
        child=child, received_at=received_at, source=source, concerns=concerns.strip(),
        consent=consent, consent_dispensed_by=consent_dispensed_by,
        consent_dispensed_reason=consent_dispensed_reason.strip(), caller_name=caller_name,
        caller_relationship=caller_relationship, recorded_by=by)
    clean(contact)
    contact.save()
    audit.record(by, "contact.received", contact)
    return contact


@transaction.atomic
def contact_decide(
    *, contact: Contact, decision: str, decided_at: datetime, by, reason: str = "",
    expected_version: int | None = None,
) -> Contact:
    """Decide what happens next on a contact; the decision keeps who, when and why."""
    policy.require(by, policy.RECORD, contact.child)
    if contact.decided_at is not None:
        raise RecordError("This contact has already been decided", field="decision")
    if decided_at < contact.received_at:
        raise RecordError("The decision cannot be made before the contact was received",
                          field="decided_at")
    _not_future(decided_at, "decided_at", "decision")
    if decision in (ContactDecision.NO_FURTHER_ACTION, ContactDecision.INFORMATION_AND_ADVICE
                    ) and not reason.strip():
        raise RecordError("Enter why the contact needs no referral", field="reason")
    before = audit.snapshot(contact)
    contact.decision, contact.decided_at = decision, decided_at
    contact.decided_by, contact.decision_reason = by, reason.strip()
    clean(contact)
    save_version(contact, expected_version=expected_version, thing="contact",
                 fields=["decision", "decided_at", "decided_by", "decision_reason"])
    audit.record(by, "contact.decided", contact, kind=AuditEvent.Kind.DECIDED, before=before,
                 reason=reason.strip())
    return contact


@transaction.atomic
def referral_record(
    *, child, received_on: date, source: str, by, contact: Contact | None = None,
    primary_need: str = "", nfa: bool = False,
) -> Referral:
    """Record a referral to children's social care: the start of a CIN episode."""
    policy.require(by, policy.RECORD, child)
    _not_future(received_on, "received_on", "referral date")
    if contact is not None:
        if contact.child_id != child.pk:
            raise RecordError("The contact is about a different child", field="contact")
        if received_on < _day(contact.received_at):
            raise RecordError("The referral cannot be received before its contact",
                              field="received_on")
    # CIN 8815: one open episode at a time, unless the new one is a no-further-action referral.
    open_episode = (Referral.objects.current().select_for_update()
                    .filter(child=child, closed_on__isnull=True, nfa=False).first())
    if open_episode is not None and not nfa:
        raise RecordError(f"This child already has an open referral, received on "
                          f"{open_episode.received_on:%-d %B %Y}: close it first",
                          field="received_on")
    referral = Referral(child=child, contact=contact, received_on=received_on, source=source,
                        primary_need=primary_need, nfa=nfa, recorded_by=by)
    clean(referral)
    referral.save()
    audit.record(by, "referral.received", referral)
    return referral


@transaction.atomic
def referral_close(
    *, referral: Referral, closed_on: date, reason: str, by,
    expected_version: int | None = None,
) -> Referral:
    """Close a CIN episode with the census reason for closure."""
    policy.require(by, policy.RECORD, referral.child)
    if referral.closed_on is not None:
        raise RecordError("This referral is already closed", field="closed_on")
    if closed_on < referral.received_on:
        raise RecordError("The episode cannot close before the referral was received",
                          field="closed_on")
    _not_future(closed_on, "closed_on", "closure date")
    before = audit.snapshot(referral)
    referral.closed_on, referral.closure_reason = closed_on, reason
    clean(referral)
    save_version(referral, expected_version=expected_version, thing="referral",
                 fields=["closed_on", "closure_reason"])
    audit.record(by, "referral.closed", referral, kind=AuditEvent.Kind.CHANGED, before=before)
    return referral


@transaction.atomic
def early_help_start(
    *, child, started_on: date, organisation: str, by, reason: str = "", worker=None,
) -> EarlyHelpEpisode:
    """Start a period of early help."""
    policy.require(by, policy.RECORD, child)
    _not_future(started_on, "started_on", "start date")
    episode = EarlyHelpEpisode(child=child, started_on=started_on, organisation=organisation,
                               reason=reason, worker=worker, recorded_by=by)
    clean(episode)
    episode.save()
    audit.record(by, "early_help.started", episode)
    return episode


@transaction.atomic
def early_help_end(
    *, episode: EarlyHelpEpisode, ended_on: date, end_reason: str, by,
    expected_version: int | None = None,
) -> EarlyHelpEpisode:
    """End a period of early help."""
    policy.require(by, policy.RECORD, episode.child)
    if episode.ended_on is not None:
        raise RecordError("This early help has already ended", field="ended_on")
    if ended_on < episode.started_on:
        raise RecordError("Early help cannot end before it started", field="ended_on")
    _not_future(ended_on, "ended_on", "end date")
    before = audit.snapshot(episode)
    episode.ended_on, episode.end_reason = ended_on, end_reason
    clean(episode)
    save_version(episode, expected_version=expected_version, thing="early help episode",
                 fields=["ended_on", "end_reason"])
    audit.record(by, "early_help.ended", episode, kind=AuditEvent.Kind.CHANGED, before=before)
    return episode


@transaction.atomic
def early_help_assessment_record(
    *, child, started_on: date, organisation: str, by, episode: EarlyHelpEpisode | None = None,
    completed_on: date | None = None, summary: str = "",
) -> EarlyHelpAssessment:
    """Record an early help assessment (Annex A List 2)."""
    policy.require(by, policy.RECORD, child)
    _not_future(started_on, "started_on", "start date")
    if completed_on is not None:
        if completed_on < started_on:
            raise RecordError("The assessment cannot be completed before it started",
                              field="completed_on")
        _not_future(completed_on, "completed_on", "completion date")
    assessment = EarlyHelpAssessment(child=child, episode=episode, started_on=started_on,
                                     completed_on=completed_on, organisation=organisation,
                                     summary=summary, recorded_by=by)
    clean(assessment)
    assessment.save()
    audit.record(by, "early_help_assessment.recorded", assessment)
    return assessment


@transaction.atomic
def step_decision_request(
    *, child, direction: str, rationale: str, requested_at: datetime, by,
    early_help_episode: EarlyHelpEpisode | None = None, referral: Referral | None = None,
) -> StepDecision:
    """Ask to step a child up to social care or down to early help (F20)."""
    policy.require(by, policy.RECORD, child)
    if not rationale.strip():
        raise RecordError("Enter why the child should step " + (
            "up" if direction == StepDecision.Direction.STEP_UP else "down"), field="rationale")
    _not_future(requested_at, "requested_at", "request")
    step = StepDecision(child=child, direction=direction, rationale=rationale.strip(),
                        requested_at=requested_at, requested_by=by,
                        early_help_episode=early_help_episode, referral=referral,
                        recorded_by=by)
    clean(step)
    step.save()
    audit.record(by, "step_decision.requested", step)
    return step


@transaction.atomic
def step_decision_authorise(
    *, step: StepDecision, authorised_at: datetime, by, expected_version: int | None = None,
) -> StepDecision:
    """A manager authorises a step up or down; the person who asked cannot authorise it."""
    policy.require(by, policy.AUTHORISE, step.child)
    if step.authorised_at is not None:
        raise RecordError("This step has already been authorised", field="authorised_at")
    if step.requested_by_id == by.pk:
        raise RecordError("Another manager must authorise a step you asked for",
                          field="authorised_at")
    if authorised_at < step.requested_at:
        raise RecordError("The step cannot be authorised before it was asked for",
                          field="authorised_at")
    _not_future(authorised_at, "authorised_at", "authorisation")
    before = audit.snapshot(step)
    step.authorised_at, step.authorised_by = authorised_at, by
    clean(step)
    save_version(step, expected_version=expected_version, thing="step decision",
                 fields=["authorised_at", "authorised_by"])
    audit.record(by, "step_decision.authorised", step, kind=AuditEvent.Kind.DECIDED,
                 before=before)
    return step
