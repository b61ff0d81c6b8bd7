"""Writes at the front door: contacts and their decisions, referrals, early help, step decisions.

Each service is one transaction: the access check, the date-order rules (a plain-English
`RecordError` naming the field), `full_clean()`, the save and the audit row land together or not
at all.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cairn.access import policy
from cairn.access.models import AccessGrant
from cairn.core import audit, stages
from cairn.core import services as core_services
from cairn.core.errors import RecordError, StaleRecord
from cairn.core.models import AuditEvent
from cairn.core.services import clean, end_period, long_date, save_period, save_version
from cairn.core.services import not_future as _not_future
from cairn.core.working_days import add_working_days
from cairn.people.models import Address, Child, Person, Sex
from cairn.workforce import selectors as workforce_selectors
from cairn.workforce import services as workforce_services
from cairn.workforce.models import Allocation, Role, Team

from . import selectors, services_early_help
from .models import (
    ConsentStatus,
    Contact,
    ContactDecision,
    ContactSource,
    EarlyHelpAssessment,
    EarlyHelpEpisode,
    EarlyHelpPlan,
    EarlyHelpPlanNeed,
    EarlyHelpReview,
    EarlyHelpReviewNeedProgress,
    ReasonForClosure,
    Referral,
    ReferralSource,
    StepDecision,
)


def _check_version(obj, expected_version: int | None, thing: str, saved_by) -> None:
    """A clear conflict, naming who saved first, before any other rule speaks."""
    if expected_version is not None and obj.version != expected_version:
        raise StaleRecord(thing, saved_by=saved_by.get_full_name() if saved_by else
                          "Someone else")


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


@transaction.atomic
def contact_record(
    *, child, received_at: datetime, source: str, concerns: str, consent: str, by,
    caller_name: str = "", caller_relationship: str = "", consent_dispensed_by=None,
    consent_dispensed_reason: str = "", domestic_abuse_notification: bool = False,
    household: str = "", consent_given_by: str = "", consent_given_to: str = "",
    consent_given_on: date | None = None, consent_dispensed_on: date | None = None,
    out_of_hours_service: bool = False, overnight_action: str = "",
) -> Contact:
    """Record a contact received at the front door about `child`."""
    policy.require(by, policy.RECORD, child)
    if (consent == ConsentStatus.DISPENSED_WITH and consent_dispensed_by is not None
            and child.restricted and not policy.can(consent_dispensed_by, policy.VIEW, child)):
        # A restricted record opens only to those named on it: the senior manager names the
        # manager first, rather than the front door opening it by naming them.
        raise RecordError("This record is restricted and the manager who dispensed with "
                          "consent is not named on it: ask the senior manager to name them "
                          "first", field="consent_dispensed_by")
    return _contact_save(
        child=child, received_at=received_at, source=source, concerns=concerns,
        consent=consent, by=by, caller_name=caller_name, caller_relationship=caller_relationship,
        consent_dispensed_by=consent_dispensed_by,
        consent_dispensed_reason=consent_dispensed_reason,
        domestic_abuse_notification=domestic_abuse_notification, household=household,
        consent_given_by=consent_given_by, consent_given_to=consent_given_to,
        consent_given_on=consent_given_on, consent_dispensed_on=consent_dispensed_on,
        out_of_hours_service=out_of_hours_service, overnight_action=overnight_action)


def _contact_save(*, child, received_at, source, concerns, consent, by, caller_name,
                  caller_relationship, consent_dispensed_by, consent_dispensed_reason,
                  domestic_abuse_notification, household, consent_given_by="",
                  consent_given_to="", consent_given_on=None, consent_dispensed_on=None,
                  out_of_hours_service=False, overnight_action="") -> Contact:
    _not_future(received_at, "received_at", "contact")
    if domestic_abuse_notification:
        source = ContactSource.POLICE  # F17: the notification is a police contact
    # Who gave consent, to whom and when are asked for by the contact form; a contact recorded
    # elsewhere (an import, another service's hand-over) may not know them, so they stay
    # optional here, but a date given is checked.
    if consent != ConsentStatus.GIVEN:
        consent_given_by, consent_given_to, consent_given_on = "", "", None
    elif consent_given_on is not None:
        _not_future(consent_given_on, "consent_given_on", "date consent was given")
    if consent == ConsentStatus.DISPENSED_WITH:
        if consent_dispensed_by is None or not policy.allows(consent_dispensed_by,
                                                             policy.AUTHORISE):
            raise RecordError("Consent can only be dispensed with by a manager: choose who "
                              "decided", field="consent_dispensed_by")
        if not consent_dispensed_reason.strip():
            raise RecordError("Enter why consent was dispensed with",
                              field="consent_dispensed_reason")
        # The manager's decision has a day: the contact's own day if none is given.
        consent_dispensed_on = consent_dispensed_on or _day(received_at)
        _not_future(consent_dispensed_on, "consent_dispensed_on",
                    "date consent was dispensed with")
    else:
        consent_dispensed_by, consent_dispensed_reason, consent_dispensed_on = None, "", None
    after_hours = selectors.out_of_hours(received_at) or out_of_hours_service
    if not after_hours and overnight_action.strip():
        raise RecordError("Only a contact received out of hours has an action taken "
                          "overnight: mark it as taken by the out-of-hours service, or leave "
                          "the action blank", field="overnight_action")
    contact = Contact(
        child=child, received_at=received_at, source=source, concerns=concerns.strip(),
        consent=consent, consent_dispensed_by=consent_dispensed_by,
        consent_dispensed_reason=consent_dispensed_reason.strip(),
        consent_dispensed_on=consent_dispensed_on, consent_given_by=consent_given_by.strip(),
        consent_given_to=consent_given_to.strip(), consent_given_on=consent_given_on,
        caller_name=caller_name, caller_relationship=caller_relationship, recorded_by=by,
        domestic_abuse_notification=domestic_abuse_notification, household=household.strip(),
        out_of_hours=after_hours, out_of_hours_service=out_of_hours_service,
        overnight_action=overnight_action.strip())
    clean(contact)
    contact.save()
    audit.record(by, "contact.received", contact)
    if consent == ConsentStatus.DISPENSED_WITH:
        _consent_manager_access(contact, by)
    return contact


# How long the manager named as dispensing with consent may open the child's record: time to
# confirm from their tray and see the contact decided, as a conference chair's booking gives.
CONSENT_ACCESS_AFTER = timedelta(days=28)


def _consent_manager_access(contact: Contact, by) -> None:
    """Let the manager named as dispensing with consent open the child's record, for a time,
    when nothing else does: the item reaches their tray while the contact waits, not only once
    the child comes to their team. A restricted record is left alone (only those named on it
    may open it; contact_record refuses that case, a contact passed on is decided by the
    record's holder)."""
    manager, child = contact.consent_dispensed_by, contact.child
    if child.restricted or policy.can(manager, policy.VIEW, child):
        return
    grant = AccessGrant(
        child=child, staff=manager, granted_by=by,
        until=contact.consent_dispensed_on + CONSENT_ACCESS_AFTER,
        reason=f"Named as dispensing with consent on contact ref {contact.pk} "
               f"({long_date(contact.consent_dispensed_on)})")
    grant.full_clean()
    grant.save()
    audit.record(by, "accessgrant.created", grant, reason=grant.reason)


@transaction.atomic
def consent_dispensal_seen(*, contact: Contact, by, seen_at: datetime) -> Contact:
    """The manager named as dispensing with consent confirms, from their tray, that they did:
    the worker recorded it, so the manager sees it and signs it (Working Together 2023 ch. 3)."""
    stored = Contact.objects.select_for_update().get(pk=contact.pk)
    if stored.consent != ConsentStatus.DISPENSED_WITH or stored.consent_dispensed_by_id != by.pk:
        raise RecordError("Only the manager named as dispensing with consent can confirm it")
    if stored.consent_dispensed_seen_at is not None:
        raise RecordError("You have already confirmed this")
    policy.require(by, policy.VIEW, stored.child)
    _not_future(seen_at, "consent_dispensed_seen_at", "confirmation")
    before = audit.snapshot(stored)
    stored.consent_dispensed_seen_at = seen_at
    stored.save(update_fields=["consent_dispensed_seen_at"])
    audit.record(by, "contact.consent_dispensal_seen", stored, kind=AuditEvent.Kind.DECIDED,
                 before=before)
    return stored


NO_ONE_TO_PASS_TO = ("A restricted record may match this child, and no one named on it can "
                     "take the contact: ask your manager to pass it on. No new record has been "
                     "made.")


@transaction.atomic
def contact_pass(*, child, described: str, by, **details) -> Contact:
    """Record a contact about a child who may be `child`, a restricted record `by` may not
    open (casework.selectors.hidden_match found it), and pass it to someone who can.

    A second, unrestricted record of a restricted child would show them to everyone, so the
    front door makes none: the contact is kept on the restricted record (`by` cannot open it
    afterwards) and an action, due today, asks the child's lead worker or the staff named on
    the record to check it is the same child and decide it. `described` is the child as the
    front door described them, for that check. Nothing returned to `by` names the child.
    """
    policy.require_role(by, policy.RECORD)
    if not child.restricted or policy.can(by, policy.VIEW, child):
        raise RecordError("Record the contact on the child's record")
    holder = selectors.restricted_holder(child)
    if holder is None:
        raise RecordError(NO_ONE_TO_PASS_TO)
    contact = _contact_save(child=child, by=by, **details)
    core_services.action_add(
        source=contact, by=by, owner=holder, due_on=timezone.localdate(),
        what=(f"A new contact may concern a restricted record you hold: contact ref "
              f"{contact.pk}. The front door could not see this record; they described the "
              f"child as {described}. Check the contact is about this child and decide it "
              "today; if it is about another child, record it on their record and remove "
              "this one as made in error."))
    audit.record(by, "contact.passed", contact)
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
    if not policy.allows(by, policy.REFER):
        raise RecordError(NO_REFERRAL_FROM_EARLY_HELP, field="decision")
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
    save_period(referral)
    audit.record(by, "referral.received", referral)
    return referral


@transaction.atomic
def referral_close(
    *, referral: Referral, closed_on: date, reason: str, by,
    expected_version: int | None = None,
) -> Referral:
    """Close a CIN episode with the census reason for closure."""
    policy.require(by, policy.RECORD, referral.child)
    return end_period(referral, on=closed_on, reason=reason, by=by,
                      expected_version=expected_version)


NFA_CLOSURE = ReasonForClosure.SERVICES_CEASED  # RC7: the census's reason for an NFA referral


def _no_activity(referral: Referral) -> None:
    """CIN 8866 and its kin: a referral with no further action has nothing recorded against
    it (an assessment, a plan, an enquiry). Every other app's record that points at the
    referral counts; the front door's own step decisions do not."""
    for relation in Referral._meta.related_objects:
        if relation.related_model is StepDecision or not relation.one_to_many:
            continue
        rows = relation.related_model._default_manager.filter(**{relation.field.name: referral})
        if "voided_at" in {f.name for f in relation.related_model._meta.get_fields()}:
            rows = rows.filter(voided_at__isnull=True)
        if rows.exists():
            what = relation.related_model._meta.verbose_name
            raise RecordError(f"This referral has a {what} recorded: it went further, so it "
                              "cannot end with no further action. Close it with the reason "
                              "that fits", field="closed_on")


@transaction.atomic
def referral_end_nfa(
    *, referral: Referral, closed_on: date, reason: str, by,
    expected_version: int | None = None,
) -> Referral:
    """End a referral with no further action (CIN ReferralNFA): nothing was done on it beyond
    the decision, which is kept with its reason. The child can be referred again (F20)."""
    policy.require(by, policy.RECORD, referral.child)
    if not reason.strip():
        raise RecordError("Enter why the referral needs no further action", field="reason")
    # CIN 8569Q: a referral carried into the census year (received over a working day before
    # 1 April) is not a no-further-action referral in that year's return.
    year_start = date(closed_on.year if closed_on.month >= 4 else closed_on.year - 1, 4, 1)
    if referral.received_on < add_working_days(year_start, -1):
        raise RecordError(f"A referral received before {long_date(year_start)} cannot end "
                          "with no further action in this census year: close it with the "
                          "reason that fits", field="closed_on")
    return end_period(referral, on=closed_on, reason=NFA_CLOSURE, by=by,
                      expected_version=expected_version, rules=_no_activity,
                      changes={"nfa": True, "nfa_reason": reason.strip()})


@transaction.atomic
def early_help_start(
    *, child, started_on: date, organisation: str, by, reason: str = "", worker=None,
) -> EarlyHelpEpisode:
    """Start a period of early help."""
    policy.require(by, policy.RECORD, child)
    _not_future(started_on, "started_on", "start date")
    open_episode = _open_early_help(child)
    if open_episode is not None:
        raise RecordError(f"This child already has early help from "
                          f"{open_episode.started_on:%-d %B %Y}: end it first",
                          field="started_on")
    episode = EarlyHelpEpisode(child=child, started_on=started_on, organisation=organisation,
                               reason=reason, worker=worker, recorded_by=by)
    clean(episode)
    save_period(episode)
    audit.record(by, "early_help.started", episode)
    return episode


@transaction.atomic
def early_help_end(
    *, episode: EarlyHelpEpisode, ended_on: date, end_reason: str, by,
    expected_version: int | None = None,
) -> EarlyHelpEpisode:
    """End a period of early help, saying why."""
    policy.require(by, policy.RECORD, episode.child)
    return end_period(episode, on=ended_on, reason=end_reason, by=by,
                      expected_version=expected_version)


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
    early_help_organisation: str = "",
) -> StepDecision:
    """Ask to step a child up to social care or down to early help (F20). A step down names
    the organisation that will lead the early help it starts."""
    policy.require(by, policy.RECORD, child)
    up = direction == StepDecision.Direction.STEP_UP
    if not rationale.strip():
        raise RecordError("Enter why the child should step " + ("up" if up else "down"),
                          field="rationale")
    if up:
        early_help_organisation = ""
    elif not early_help_organisation.strip():
        raise RecordError("Enter the organisation that will lead the early help",
                          field="early_help_organisation")
    _not_future(requested_at, "requested_at", "request")
    step = StepDecision(child=child, direction=direction, rationale=rationale.strip(),
                        requested_at=requested_at, requested_by=by,
                        early_help_episode=early_help_episode, referral=referral,
                        early_help_organisation=early_help_organisation.strip(),
                        recorded_by=by)
    clean(step)
    step.save()
    audit.record(by, "step_decision.requested", step)
    return step


@transaction.atomic
def step_decision_authorise(
    *, step: StepDecision, authorised_at: datetime, by, expected_version: int | None = None,
    reason: str = "", team=None,
) -> StepDecision:
    """A manager authorises a step up or down; the person who asked cannot authorise it. A step
    up passes the child to `team` (a social care team; by default the authorising manager's
    own, unless that is early help), whose manager holds the child until they allocate."""
    policy.require(by, policy.AUTHORISE, step.child)
    _check_version(step, expected_version, "step decision",
                   step.authorised_by or step.declined_by)
    if step.authorised_at is not None:
        raise RecordError("This step has already been authorised", field="authorised_at")
    if step.declined_at is not None:
        raise RecordError("This step has already been declined", field="authorised_at")
    if step.closed_at is not None:
        raise RecordError(f"This request is closed ({step.closed_reason})",
                          field="authorised_at")
    if step.requested_by_id == by.pk:
        raise RecordError("Another manager must authorise a step you asked for",
                          field="authorised_at")
    if authorised_at < step.requested_at:
        raise RecordError("The step cannot be authorised before it was asked for",
                          field="authorised_at")
    _not_future(authorised_at, "authorised_at", "authorisation")
    before = audit.snapshot(step)
    # The step itself moves the child, in this transaction: an authorised step that changed
    # nothing on the record would leave the child in neither service (F20).
    if step.direction == StepDecision.Direction.STEP_UP:
        step.referral, step.early_help_episode = _step_up(step, on=_day(authorised_at), by=by,
                                                          team=team)
    else:
        step.referral, step.early_help_episode = _step_down(step, on=_day(authorised_at), by=by)
    step.authorised_at, step.authorised_by = authorised_at, by
    step.decision_reason = reason.strip()
    clean(step)
    save_version(step, expected_version=expected_version, thing="step decision",
                 fields=["authorised_at", "authorised_by", "decision_reason", "referral",
                         "early_help_episode"])
    audit.record(by, "step_decision.authorised", step, kind=AuditEvent.Kind.DECIDED,
                 before=before, reason=reason.strip())
    services_early_help.steps_settled_by(step, at=authorised_at, by=by)
    return step


STEPPED_UP = "Stepped up to children's social care"
NO_REFERRAL_FROM_EARLY_HELP = ("Early help cannot open a referral to children's social care "
                               "directly: ask for a step up, which a manager authorises")


def _open_referral(child) -> Referral | None:
    """The child's open referral (CIN episode), locked for the step that closes or joins it."""
    return (Referral.objects.current().select_for_update()
            .filter(child=child, closed_on__isnull=True, nfa=False)
            .order_by("-received_on", "-pk").first())


def _open_early_help(child) -> EarlyHelpEpisode | None:
    return (EarlyHelpEpisode.objects.current().select_for_update()
            .filter(child=child, ended_on__isnull=True).order_by("-started_on", "-pk").first())


SOCIAL_CARE_TEAM_KINDS = (Team.Kind.ASSESSMENT, Team.Kind.CHILD_PROTECTION,
                          Team.Kind.DISABLED_CHILDREN, Team.Kind.CHILDREN_IN_CARE)
NO_SOCIAL_CARE_TEAM = "Choose the social care team to take the child"


def _pass_to_team(child, team, *, on: date, by) -> None:
    """Social care work for `child` goes to `team`, whose manager holds it until they allocate a
    social worker. A hold by a manager outside social care (early help's manager, who held the
    child as early help work) ends: the child must reach the team that will work with them."""
    current = workforce_selectors.current_allocation(child)
    if current is not None and current.team is not None and (
            current.team.kind not in SOCIAL_CARE_TEAM_KINDS) and current.worker.role in (
            Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.EARLY_HELP):
        if current.worker_id != team.manager_id:
            workforce_services.allocation_change(
                allocation=current, worker=team.manager, on=on, by=by,
                end_reason=Allocation.EndReason.TRANSFER)
    else:
        workforce_services.allocation_hold(child=child, manager=team.manager, on=on, by=by)
    services_early_help.early_help_hold_end(child=child, on=on, by=by)


def _step_up(step: StepDecision, *, on: date, by, team=None,
             ) -> tuple[Referral, EarlyHelpEpisode | None]:
    """The referral a step up opens (or the child's open one), and the early help it ends."""
    if team is None and by.team is not None and by.team.kind in SOCIAL_CARE_TEAM_KINDS:
        team = by.team
    if team is None or team.manager_id is None or team.kind not in SOCIAL_CARE_TEAM_KINDS:
        raise RecordError(NO_SOCIAL_CARE_TEAM, field="team")
    referral = _open_referral(step.child)
    if referral is None:
        # CIN census ReferralSource 5D "LA services: early help": the referral comes from the
        # authority's own early help service, not 5A (social care) or 5B (another department).
        referral = referral_record(child=step.child, received_on=on,
                                   source=ReferralSource.EARLY_HELP, by=by)
    episode = step.early_help_episode
    if episode is None or episode.voided_at is not None or episode.ended_on is not None:
        episode = _open_early_help(step.child)
    if episode is not None:
        early_help_end(episode=episode, ended_on=max(on, episode.started_on),
                       end_reason=STEPPED_UP, by=by)
    services_early_help.early_help_allocation_end(child=step.child, on=on, by=by)
    # As at the front door, the social care team's manager holds the child until they
    # allocate a social worker (never the early help manager who authorised the step). Last:
    # once passed on, the child may no longer be the authorising manager's to record on.
    _pass_to_team(step.child, team, on=on, by=by)
    return referral, episode


def _step_down(step: StepDecision, *, on: date, by) -> tuple[Referral | None, EarlyHelpEpisode]:
    """The referral a step down closes (if one is open), and the early help it starts (or the
    child's open early help)."""
    referral = _open_referral(step.child)
    if referral is not None:
        # CIN 8630-8640: an episode cannot close around an open plan; the plan ends first.
        for period in stages.open_within_referral(step.child):
            raise RecordError(f"End the {period.label} before stepping down to early help",
                              field="authorised_at")
        # CIN 8867: a closed episode's assessments are completed; the step down cannot close
        # the episode round an assessment still in progress.
        if referral.assessments.filter(voided_at__isnull=True).filter(
                Q(authorised_on__isnull=True) | Q(authorised_on__gt=on)).exists():
            raise RecordError("A manager must authorise the single assessment before the child "
                              "steps down to early help", field="authorised_at")
        # RC9 "case closed after assessment, referred to early help" is only right when the
        # episode went no further than an assessment (CIN 8825Q, 2990); after a plan it is RC7.
        assessed_only = (referral.assessments.filter(voided_at__isnull=True).exists()
                         and not referral.cin_plans.filter(voided_at__isnull=True).exists()
                         and not referral.protection_plans.filter(voided_at__isnull=True)
                         .exists())
        referral_close(referral=referral, closed_on=max(on, referral.received_on), by=by,
                       reason=(ReasonForClosure.CLOSED_AFTER_ASSESSMENT_EARLY_HELP
                               if assessed_only else ReasonForClosure.SERVICES_CEASED))
    episode = _open_early_help(step.child)
    if episode is None:
        if not step.early_help_organisation:
            raise RecordError("This step down names no organisation to lead the early help: "
                              "ask for it again, naming the organisation", field="authorised_at")
        episode = early_help_start(child=step.child, started_on=on, by=by,
                                   organisation=step.early_help_organisation,
                                   reason=f"Stepped down from children's social care: "
                                          f"{step.rationale}")
    return referral, episode


@transaction.atomic
def step_decision_decline(
    *, step: StepDecision, declined_at: datetime, reason: str, by,
    expected_version: int | None = None,
) -> StepDecision:
    """A manager declines a step up or down, saying why; the request stays on the record."""
    policy.require(by, policy.AUTHORISE, step.child)
    _check_version(step, expected_version, "step decision",
                   step.authorised_by or step.declined_by)
    if step.authorised_at is not None or step.declined_at is not None:
        raise RecordError("This step has already been decided", field="outcome")
    if step.closed_at is not None:
        raise RecordError(f"This request is closed ({step.closed_reason})", field="outcome")
    if step.requested_by_id == by.pk:
        raise RecordError("Another manager must decide a step you asked for", field="outcome")
    if not reason.strip():
        raise RecordError("Enter why you are declining the step", field="reason")
    if declined_at < step.requested_at:
        raise RecordError("The step cannot be declined before it was asked for",
                          field="declined_at")
    _not_future(declined_at, "declined_at", "decision")
    before = audit.snapshot(step)
    step.declined_at, step.declined_by, step.decision_reason = declined_at, by, reason.strip()
    clean(step)
    save_version(step, expected_version=expected_version, thing="step decision",
                 fields=["declined_at", "declined_by", "decision_reason"])
    audit.record(by, "step_decision.declined", step, kind=AuditEvent.Kind.DECIDED,
                 before=before, reason=reason.strip())
    services_early_help.steps_settled_by(step, at=declined_at, by=by)
    return step


@transaction.atomic
def contact_decision_record(
    *, contact: Contact, decision: str, decided_at: datetime, by, reason: str = "",
    primary_need: str = "", team=None, expected_version: int | None = None,
    early_help_team=None,
) -> tuple[Contact, Referral | None]:
    """Decide a contact; a referral or a strategy discussion opens a referral (CIN episode)
    whose source is the contact's, in the same transaction. A child with no social worker is
    passed to `team`, whose manager holds the work until they allocate it. Early help passes
    the child to `early_help_team` in the same way (services_early_help.early_help_pass)."""
    _check_version(contact, expected_version, "contact", contact.decided_by)
    needs_referral = decision in (ContactDecision.REFERRAL, ContactDecision.STRATEGY_DISCUSSION)
    if needs_referral and not policy.allows(by, policy.REFER):
        raise RecordError(NO_REFERRAL_FROM_EARLY_HELP, field="decision")
    if needs_referral and not primary_need:
        raise RecordError("Choose the child's primary need for the referral",
                          field="primary_need")
    contact = contact_decide(contact=contact, decision=decision, decided_at=decided_at, by=by,
                             reason=reason, expected_version=expected_version)
    if decision == ContactDecision.EARLY_HELP:
        services_early_help.early_help_pass(child=contact.child, team=early_help_team,
                                            on=_day(decided_at), by=by)
    current = workforce_selectors.current_allocation(contact.child)
    # A child held only by a manager outside social care (early help's) has no social worker.
    unallocated = current is None or (
        current.team is not None and current.team.kind not in SOCIAL_CARE_TEAM_KINDS
        and current.worker.role in (Role.TEAM_MANAGER, Role.SERVICE_MANAGER))
    if needs_referral and unallocated and (team is None or team.manager is None):
        raise RecordError("Choose the team to pass the referral to", field="team")
    referral = None
    if needs_referral:
        try:
            referral = referral_record(child=contact.child, received_on=_day(decided_at),
                                       source=contact.source, by=by, contact=contact,
                                       primary_need=primary_need)
        except RecordError as error:
            # The referral's date is the decision's: name the field the worker typed.
            raise RecordError(error.message, field="decided_at" if error.field == "received_on"
                              else error.field) from error
        if unallocated:
            _pass_to_team(contact.child, team, on=_day(decided_at), by=by)
    return contact, referral


def next_la_child_id() -> str:
    """The next free LA child ID in the authority's format, C and seven digits."""
    highest = (Person.objects.filter(la_child_id__regex=r"^C[0-9]{7}$")
               .order_by("-la_child_id").values_list("la_child_id", flat=True).first())
    return f"C{int(highest[1:]) + 1 if highest else 1:07d}"


@transaction.atomic
def child_create(
    *, given_name: str, family_name: str, by, birth_date: date | None = None, sex: str = "",
    address_line1: str = "", postcode: str = "",
):
    """Open a record for a child Cairn does not hold yet, with a fresh LA child ID.

    The caller has shown the worker the possible duplicates (people.matching) first.
    """
    policy.require_role(by, policy.RECORD)
    if not given_name.strip():
        raise RecordError("Enter the child's first name", field="given_name")
    if not family_name.strip():
        raise RecordError("Enter the child's last name", field="family_name")
    if birth_date is not None:
        _not_future(birth_date, "birth_date", "date of birth")
    if postcode.strip() and not address_line1.strip():
        raise RecordError("Enter the first line of the address with the postcode",
                          field="address_line1")
    for _ in range(5):
        child = Child(given_name=given_name.strip(), family_name=family_name.strip(),
                      birth_date=birth_date, sex=sex or Sex.UNKNOWN,
                      la_child_id=next_la_child_id(), recorded_by=by)
        clean(child)
        try:
            with transaction.atomic():  # another worker may take the same ID at the same moment
                child.save()
        except IntegrityError:
            continue
        break
    else:
        raise RecordError("Could not give the child an LA child ID: try again")
    if address_line1.strip():
        address = Address(person=child, line1=address_line1.strip(),
                          postcode=postcode.strip().upper(), recorded_by=by)
        clean(address)
        address.save()
    audit.record(by, "child.created", child, child_id=child.pk)
    return child


NEED_PARTS = (
    ("need", "Enter what need {n} is"),
    ("outcome", "Enter the outcome wanted for need {n}"),
    ("actions", "Enter the actions for need {n}"),
)
OWNER_MESSAGE = "Enter who is responsible for need {n}"
# The action's parts as core.services.action_add names them, as a need's fields name them.
ACTION_FIELDS = {"what": "actions", "owner": "owner", "owner_name": "owner_name",
                 "due_on": "due_on"}


@transaction.atomic
def early_help_plan_record(
    *, episode: EarlyHelpEpisode, started_on: date, needs: list[dict], by,
) -> EarlyHelpPlan:
    """Record the family's early help plan within an episode: each need with the outcome
    wanted, the actions, who is responsible and by when (F19).

    `needs` holds one dict per need (need, outcome, actions, owner: a member of staff or None,
    owner_name, due_on); the actions become the need's first core.Action. An error names the
    part and the need's place in the list, for example `owner_name_1` for the second need."""
    policy.require(by, policy.RECORD, episode.child)
    _not_future(started_on, "started_on", "plan date")
    if started_on < episode.started_on:
        raise RecordError("The plan cannot start before the early help started",
                          field="started_on")
    if episode.ended_on is not None and started_on > episode.ended_on:
        raise RecordError("The plan cannot start after the early help ended",
                          field="started_on")
    if not needs:
        raise RecordError("Enter at least one need, with its outcome, actions, who is "
                          "responsible and by when", field="need_0")
    plan = EarlyHelpPlan(child=episode.child, episode=episode, started_on=started_on,
                         recorded_by=by)
    clean(plan)
    plan.save()
    for index, item in enumerate(needs):
        _need_add(plan, item, place=item.get("place", index), by=by)
    audit.record(by, "early_help_plan.recorded", plan)
    return plan


def _need_add(plan: EarlyHelpPlan, item: dict, *, place: int, by) -> EarlyHelpPlanNeed:
    """One need of `plan` and its action; an error names the part and the need's place on the
    form."""
    n = place + 1
    for part, message in NEED_PARTS:
        if not (item.get(part) or "").strip():
            raise RecordError(message.format(n=n), field=f"{part}_{place}")
    if item.get("owner") is None and not (item.get("owner_name") or "").strip():
        raise RecordError(OWNER_MESSAGE.format(n=n), field=f"owner_name_{place}")
    due_on = item.get("due_on")
    if due_on is None:
        raise RecordError(f"Enter the date need {n} should be met by", field=f"due_on_{place}")
    if due_on < plan.started_on:
        raise RecordError(f"Need {n} cannot be due before the plan was agreed",
                          field=f"due_on_{place}")
    need = EarlyHelpPlanNeed(child=plan.child, plan=plan, need=item["need"].strip(),
                             outcome=item["outcome"].strip(), recorded_by=by)
    clean(need)
    need.save()
    audit.record(by, "early_help_plan.need_added", need)
    core_services.actions_add(
        source=need, by=by, field_names=ACTION_FIELDS,
        items=[{"what": item["actions"], "owner": item.get("owner"),
                "owner_name": item.get("owner_name") or "", "due_on": due_on, "place": place}])
    return need


@transaction.atomic
def early_help_plan_need_add(*, plan: EarlyHelpPlan, item: dict, by) -> EarlyHelpPlanNeed:
    """Add a need to a plan already agreed (the family's circumstances changed); the next
    review is asked how it is going."""
    policy.require(by, policy.RECORD, plan.child)
    if plan.ended_on is not None:
        raise RecordError("This plan has ended: record a new plan instead", field="need_0")
    number = EarlyHelpPlanNeed.objects.current().filter(plan=plan).count()
    try:
        return _need_add(plan, item, place=number, by=by)
    except RecordError as error:
        # The page shows one need: its fields carry place 0 whatever the need's number.
        raise RecordError(error.message, field=error.field.rsplit("_", 1)[0] + "_0") from error


def needs_to_review(plan: EarlyHelpPlan, held_on: date | None
                    ) -> list[tuple[int, EarlyHelpPlanNeed, bool]]:
    """The plan's needs in the order the plan shows them: each need's number, the need, and
    whether a review held on `held_on` must say how it is going (a need added to the plan after
    the review was held was not there to review)."""
    needs = list(EarlyHelpPlanNeed.objects.current().filter(plan=plan).order_by("pk"))
    return [(n, need, held_on is None or timezone.localtime(need.recorded_at).date() <= held_on)
            for n, need in enumerate(needs, start=1)]


@transaction.atomic
def early_help_review_record(
    *, plan: EarlyHelpPlan, held_on: date, progress: str, by,
    next_review_on: date | None = None, need_progress: dict[int, dict] | None = None,
) -> EarlyHelpReview:
    """Record a review of an early help plan (team around the family meeting): the overall
    progress, and how each need of the plan is going (met, progressing or not progressing).

    `need_progress` maps a need's id to its `status` and an optional `note`; an error names the
    need's field, for example `need_12`, and its number on the plan."""
    policy.require(by, policy.RECORD, plan.child)
    _not_future(held_on, "held_on", "review date")
    if held_on < plan.started_on:
        raise RecordError("The review cannot be held before the plan started", field="held_on")
    if next_review_on is not None and next_review_on <= held_on:
        raise RecordError("The next review must be after this one", field="next_review_on")
    need_progress = need_progress or {}
    needs = needs_to_review(plan, held_on)
    known = {need.pk for _, need, _ in needs}
    if set(need_progress) - known:
        raise RecordError("A need reviewed is not one of this plan's needs: reload the page "
                          "and try again")
    for n, need, required in needs:
        if required and not (need_progress.get(need.pk) or {}).get("status"):
            raise RecordError(f"Select how need {n} is going: met, progressing or not "
                              f"progressing", field=f"need_{need.pk}")
    review = EarlyHelpReview(child=plan.child, plan=plan, held_on=held_on,
                             progress=progress.strip(), next_review_on=next_review_on,
                             recorded_by=by)
    clean(review)
    review.save()
    audit.record(by, "early_help_review.recorded", review)
    for n, need, _ in needs:
        item = need_progress.get(need.pk) or {}
        if not item.get("status"):
            continue
        row = EarlyHelpReviewNeedProgress(child=plan.child, review=review, need=need,
                                          status=item["status"],
                                          note=(item.get("note") or "").strip(), recorded_by=by)
        try:
            clean(row)
        except RecordError as error:
            raise RecordError(f"Select how need {n} is going: met, progressing or not "
                              f"progressing", field=f"need_{need.pk}") from error
        row.save()
        audit.record(by, "early_help_review.need_progress", row)
    return review
