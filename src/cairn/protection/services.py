"""Writes in protection: assessments and their authorisation, child in need plans, strategy
discussions, section 47 enquiries, conferences, child protection plans, core groups, visits and
safety plans.

Each service is one transaction: the access check, the date-order rules (a plain-English
`RecordError` naming the field), `full_clean()`, the save and the audit row land together or not
at all. Date-order rules cite the CIN census validation rule they keep the record clear of.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone

from cairn.access import policy
from cairn.access.models import AccessGrant
from cairn.core import audit, names, timescales
from cairn.core import services as core_services
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.core.services import clean, end_period, save_period, save_version
from cairn.core.services import long_date as _day
from cairn.core.services import not_future as _not_future
from cairn.frontdoor.models import Referral
from cairn.workforce.models import Role

from .models import (
    Agency,
    Assessment,
    AssessmentDecision,
    AssessmentFactor,
    AssessmentFactors,
    CategoryOfAbuse,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    ConferenceBooking,
    CoreGroupMeeting,
    PlanCategoryChange,
    PlanNeed,
    SafetyPlan,
    Section47Enquiry,
    Section47Outcome,
    StrategyAttendee,
    StrategyDiscussion,
    Visit,
)

Kind = ChildProtectionConference.Kind




# Assessments


@transaction.atomic
def assessment_start(*, referral: Referral, started_on: date, by) -> Assessment:
    """Start a single assessment on a referral; the DfE duration counts from `started_on`."""
    policy.require(by, policy.RECORD, referral.child)
    if referral.nfa:
        raise RecordError("This referral was closed with no further action, so it cannot have "
                          "an assessment", field="referral")
    if started_on < referral.received_on:  # CIN 1103
        raise RecordError(f"The assessment cannot start before the referral was received "
                          f"({_day(referral.received_on)})", field="started_on")
    _not_future(started_on, "started_on", "assessment start date")
    if Assessment.objects.current().filter(referral=referral,  # CIN 8896
                                           authorised_on__isnull=True).exists():
        raise RecordError("An assessment on this referral is still open: finish it first",
                          field="started_on")
    assessment = Assessment(child=referral.child, referral=referral, started_on=started_on,
                            recorded_by=by)
    clean(assessment)
    assessment.save()
    audit.record(by, "assessment.started", assessment, related={"factors": []})
    return assessment


def _factor_codes(assessment: Assessment) -> list[str]:
    """The factors an assessment holds now, kept with each version in the audit trail."""
    return sorted(assessment.factors.current().values_list("code", flat=True))


def _check_factors(factors: list[str]) -> None:
    if not factors:  # CIN 8897Q
        raise RecordError("Choose the factors identified, or 'No factors identified'",
                          field="factors")
    if len(set(factors)) != len(factors):  # CIN 8898
        raise RecordError("Each factor can be chosen only once", field="factors")
    if AssessmentFactors.NO_FACTORS in factors and len(factors) > 1:  # CIN 8869
        raise RecordError("'No factors identified' cannot be chosen with other factors",
                          field="factors")
    if set(factors) & {AssessmentFactors.PHYSICAL_ABUSE, AssessmentFactors.SEXUAL_ABUSE}:
        # CIN 8945Q, 8950Q
        raise RecordError("Say whether the abuse was by a child or an adult (18B/18C, 19B/19C)",
                          field="factors")
    unknown = set(factors) - set(AssessmentFactors.values)
    if unknown:
        raise RecordError(f"{', '.join(sorted(unknown))} is not a CIN census factor code",
                          field="factors")


@transaction.atomic
def assessment_submit(
    *, assessment: Assessment, submitted_on: date, by, factors: Iterable[str],
    further_action: bool, worries: str = "", working_well: str = "", needs_to_happen: str = "",
    safety_scale: int | None = None, childs_words: str = "", child_seen_on: date | None = None,
    expected_version: int | None = None,
) -> Assessment:
    """Submit an assessment to a manager, with the factors identified (one row each)."""
    policy.require(by, policy.RECORD, assessment.child)
    factors = list(factors)
    if assessment.authorised_on is not None:
        raise RecordError("This assessment has already been authorised", field="submitted_on")
    if assessment.submitted_on is not None:
        raise RecordError("This assessment is already with a manager", field="submitted_on")
    if submitted_on < assessment.started_on:
        raise RecordError(f"The assessment cannot be submitted before it started "
                          f"({_day(assessment.started_on)})", field="submitted_on")
    _not_future(submitted_on, "submitted_on", "submission date")
    if child_seen_on is not None and child_seen_on > submitted_on:
        raise RecordError("The date the child was seen cannot be after the assessment was "
                          "submitted", field="child_seen_on")
    if safety_scale is not None and not 0 <= safety_scale <= 10:
        raise RecordError("Enter a safety scale from 0 to 10", field="safety_scale")
    _check_factors(factors)
    before = audit.snapshot(assessment)
    for old in assessment.factors.current():  # a resubmission replaces the earlier factors
        core_services.void(obj=old, by=by, reason="Replaced when the assessment was resubmitted")
    assessment.submitted_on, assessment.submitted_by = submitted_on, by
    assessment.further_action, assessment.worries = further_action, worries
    assessment.working_well, assessment.needs_to_happen = working_well, needs_to_happen
    assessment.safety_scale, assessment.childs_words = safety_scale, childs_words
    assessment.child_seen_on = child_seen_on
    clean(assessment)
    save_version(assessment, expected_version=expected_version, thing="assessment", fields=[
        "submitted_on", "submitted_by", "further_action", "worries", "working_well",
        "needs_to_happen", "safety_scale", "childs_words", "child_seen_on"])
    for code in factors:
        factor = AssessmentFactor(child=assessment.child, assessment=assessment, code=code,
                                  recorded_by=by)
        clean(factor)
        factor.save()
    audit.record(by, "assessment.submitted", assessment, kind=AuditEvent.Kind.CHANGED,
                 before=before, related={"factors": list(factors)})
    return assessment


def _decision_checks(assessment: Assessment, by) -> None:
    policy.require(by, policy.AUTHORISE, assessment.child)
    if assessment.authorised_on is not None:
        raise RecordError("This assessment has already been authorised", field="authorised_on")
    if assessment.submitted_on is None:
        raise RecordError("This assessment has not been submitted to a manager",
                          field="authorised_on")


def assessment_due_on(assessment: Assessment) -> date | None:
    """The day the assessment's 45 working days (the rule's limit) run out, or None if the
    rule is not in force."""
    due = timescales.due_for(names.ASSESSMENT, assessment.child_id,
                             assessment.referral.received_on)
    return due.due_on if due is not None else None


@transaction.atomic
def assessment_authorise(
    *, assessment: Assessment, authorised_on: date, by, comments: str = "",
    reason_late: str = "", expected_version: int | None = None,
) -> Assessment:
    """A manager authorises a submitted assessment (AssessmentAuthorisationDate); after its 45
    working days, with the reason for the delay, which is kept and shown."""
    _decision_checks(assessment, by)
    if authorised_on < assessment.submitted_on:
        raise RecordError(f"The assessment cannot be authorised before it was submitted "
                          f"({_day(assessment.submitted_on)})", field="authorised_on")
    _not_future(authorised_on, "authorised_on", "authorisation date")
    due_on = assessment_due_on(assessment)
    reason_late = (reason_late or "").strip()
    if due_on is not None and authorised_on > due_on and not reason_late:
        raise RecordError(f"The assessment is late (it was due by {_day(due_on)}): enter the "
                          f"reason for the delay", field="reason_late")
    before = audit.snapshot(assessment)
    assessment.authorised_on, assessment.authorised_by = authorised_on, by
    assessment.reason_late = reason_late if due_on is not None and authorised_on > due_on else ""
    clean(assessment)
    save_version(assessment, expected_version=expected_version, thing="assessment",
                 fields=["authorised_on", "authorised_by", "reason_late"])
    AssessmentDecision.objects.create(
        child=assessment.child, assessment=assessment, recorded_by=by, decided_by=by,
        outcome=AssessmentDecision.Outcome.AUTHORISED, decided_at=timezone.now(),
        comments=comments.strip(), assessment_version=before["version"])
    audit.record(by, "assessment.authorised", assessment, kind=AuditEvent.Kind.DECIDED,
                 before=before, reason=comments.strip(),
                 related={"factors": _factor_codes(assessment)})
    return assessment


@transaction.atomic
def assessment_return(
    *, assessment: Assessment, comments: str, by, expected_version: int | None = None,
) -> Assessment:
    """A manager returns a submitted assessment to the worker; the comments are kept."""
    _decision_checks(assessment, by)
    if not comments.strip():
        raise RecordError("Enter what the worker needs to change", field="comments")
    before = audit.snapshot(assessment)
    assessment.submitted_on, assessment.submitted_by = None, None
    save_version(assessment, expected_version=expected_version, thing="assessment",
                 fields=["submitted_on", "submitted_by"])
    AssessmentDecision.objects.create(
        child=assessment.child, assessment=assessment, recorded_by=by, decided_by=by,
        outcome=AssessmentDecision.Outcome.RETURNED, decided_at=timezone.now(),
        comments=comments.strip(), assessment_version=before["version"])
    audit.record(by, "assessment.returned", assessment, kind=AuditEvent.Kind.DECIDED,
                 before=before, reason=comments.strip(),
                 related={"factors": _factor_codes(assessment)})
    return assessment


# Child in need plans

# F19: a plan is written with the child; their words are a required part of it.
CHILDS_WORDS_MISSING = ("Enter the child's own words: what they said about their life and "
                        "what they want to happen (or how they showed it)")


def _open_plan(model, child):
    return model.objects.current().select_for_update().filter(
        child=child, ended_on__isnull=True).first()


@transaction.atomic
def cin_plan_start(*, referral: Referral, started_on: date, by, childs_words: str) -> CINPlan:
    """Start a child in need plan on a referral, with the child's own words (F19)."""
    policy.require(by, policy.RECORD, referral.child)
    childs_words = (childs_words or "").strip()
    if not childs_words:
        raise RecordError(CHILDS_WORDS_MISSING, field="childs_words")
    if referral.nfa:  # CIN 4000
        raise RecordError("A referral with no further action cannot have a child in need plan",
                          field="referral")
    if started_on < referral.received_on:  # CIN 4015
        raise RecordError(f"The plan cannot start before the referral was received "
                          f"({_day(referral.received_on)})", field="started_on")
    _not_future(started_on, "started_on", "plan start date")
    if _open_plan(CINPlan, referral.child):  # CIN 4004
        raise RecordError("This child already has an open child in need plan",
                          field="started_on")
    if _open_plan(ChildProtectionPlan, referral.child):  # CIN 4001
        raise RecordError("This child has an open child protection plan: a child in need plan "
                          "cannot run alongside it", field="started_on")
    plan = CINPlan(child=referral.child, referral=referral, started_on=started_on,
                   childs_words=childs_words, recorded_by=by)
    clean(plan)
    save_period(plan)
    audit.record(by, "cin_plan.started", plan)
    return plan


@transaction.atomic
def cin_plan_end(*, plan: CINPlan, ended_on: date, by,
                 expected_version: int | None = None) -> CINPlan:
    """End a child in need plan."""
    policy.require(by, policy.RECORD, plan.child)
    return end_period(plan, on=ended_on, by=by, expected_version=expected_version)


# Strategy discussions and section 47 enquiries


def _attendees(attendees: Iterable[dict]) -> list[dict]:
    """The attendees as given (each `agency`, `name`, `role` and its `place` on the form),
    checked: an error names the part and the place, for example `name_1`."""
    out = []
    for place, item in enumerate(attendees):
        place = item.get("place", place)
        agency, name = item.get("agency") or "", (item.get("name") or "").strip()
        role = (item.get("role") or "").strip()
        if agency not in Agency.values:
            raise RecordError("Choose the agency they attended for", field=f"agency_{place}")
        if not name:
            raise RecordError("Enter the name of the person who attended",
                              field=f"name_{place}")
        if agency == Agency.OTHER and not role:
            raise RecordError("Enter which agency they attended for", field=f"role_{place}")
        out.append({"agency": agency, "name": name, "role": role})
    return out


def agencies_in_words(attendees: list[dict]) -> str:
    """The agencies that took part, once each, in the order first named: "Police, Health"."""
    labels = []
    for item in attendees:
        label = item["role"] if item["agency"] == Agency.OTHER else Agency(item["agency"]).label
        if label not in labels:
            labels.append(label)
    return ", ".join(labels)


@transaction.atomic
def strategy_discussion_record(
    *, child, held_on: date, decision: str, s47_agreed: bool, by, agencies_present: str = "",
    referral: Referral | None = None, information_shared: str = "", chaired_by=None,
    actions: Iterable[dict] = (), held_at: time | None = None, attendees: Iterable[dict] = (),
) -> StrategyDiscussion:
    """Record a strategy discussion: when, who took part for which agency (`attendees`, each
    `agency`, `name` and `role`), what was shared and decided, whether it agreed a section 47
    enquiry, and the actions agreed at it (each `what`, `owner` or `owner_name`, `due_on`, and
    its `place` on the form: an error names the part and the place, for example `due_on_1`).

    `agencies_present` in words is written from the attendees; it is given alone only where
    the names are not known (an imported census)."""
    policy.require(by, policy.RECORD, child)
    if referral is not None:
        if referral.child_id != child.pk:
            raise RecordError("The referral is about a different child", field="referral")
        if held_on < referral.received_on:
            raise RecordError(f"The strategy discussion cannot be held before the referral was "
                              f"received ({_day(referral.received_on)})", field="held_on")
    _not_future(held_on, "held_on", "strategy discussion date")
    if held_at is not None and held_on == timezone.localdate() and \
            held_at > timezone.localtime().time():
        raise RecordError("The time of the strategy discussion cannot be later than now",
                          field="held_at")
    attendees = _attendees(attendees)
    if attendees:
        agencies_present = agencies_in_words(attendees)
    if not agencies_present.strip():
        raise RecordError("Enter who took part and for which agency",
                          field="agencies_present")
    if not decision.strip():
        raise RecordError("Enter what the discussion decided", field="decision")
    discussion = StrategyDiscussion(
        child=child, referral=referral, held_on=held_on, held_at=held_at,
        agencies_present=agencies_present.strip(), information_shared=information_shared,
        decision=decision, s47_agreed=s47_agreed, chaired_by=chaired_by, recorded_by=by)
    actions = list(actions)
    for place, item in enumerate(actions):
        if item.get("due_on") is not None and item["due_on"] < held_on:
            raise RecordError(f"An action cannot be due before the strategy discussion "
                              f"({_day(held_on)})", field=f"due_on_{item.get('place', place)}")
    clean(discussion)
    discussion.save()
    for item in attendees:
        attendee = StrategyAttendee(child=child, discussion=discussion, recorded_by=by, **item)
        clean(attendee)
        attendee.save()
    audit.record(by, "strategy_discussion.held", discussion)
    core_services.actions_add(source=discussion, items=actions, by=by)
    return discussion


@transaction.atomic
def section47_enquiry_start(
    *, strategy_discussion: StrategyDiscussion, started_on: date, by,
) -> Section47Enquiry:
    """Start the enquiry agreed at a strategy discussion; the ICPC clock starts on `started_on`."""
    policy.require(by, policy.RECORD, strategy_discussion.child)
    if not strategy_discussion.s47_agreed:
        raise RecordError("The strategy discussion did not agree a section 47 enquiry",
                          field="strategy_discussion")
    if started_on < strategy_discussion.held_on:
        raise RecordError(f"The enquiry cannot start before the strategy discussion "
                          f"({_day(strategy_discussion.held_on)})", field="started_on")
    _not_future(started_on, "started_on", "enquiry start date")
    if Section47Enquiry.objects.current().select_for_update().filter(  # CIN 8890
            child=strategy_discussion.child, completed_on__isnull=True).exists():
        raise RecordError("Another section 47 enquiry for this child is still open",
                          field="started_on")
    enquiry = Section47Enquiry(child=strategy_discussion.child, started_on=started_on,
                               strategy_discussion=strategy_discussion, recorded_by=by)
    clean(enquiry)
    enquiry.save()
    audit.record(by, "section47.started", enquiry)
    return enquiry


@transaction.atomic
def section47_enquiry_complete(
    *, enquiry: Section47Enquiry, completed_on: date, outcome: str, by,
    expected_version: int | None = None,
) -> Section47Enquiry:
    """Conclude an enquiry; an outcome other than a conference sets ICPCnotRequired."""
    policy.require(by, policy.RECORD, enquiry.child)
    if enquiry.completed_on is not None:
        raise RecordError("This enquiry has already been completed", field="completed_on")
    if completed_on < enquiry.started_on:
        raise RecordError(f"The enquiry cannot be completed before it started "
                          f"({_day(enquiry.started_on)})", field="completed_on")
    _not_future(completed_on, "completed_on", "completion date")
    before = audit.snapshot(enquiry)
    enquiry.completed_on, enquiry.outcome = completed_on, outcome
    enquiry.icpc_not_required = outcome != Section47Outcome.ICPC
    clean(enquiry)
    save_version(enquiry, expected_version=expected_version, thing="section 47 enquiry",
                 fields=["completed_on", "outcome", "icpc_not_required"])
    audit.record(by, "section47.completed", enquiry, kind=AuditEvent.Kind.DECIDED,
                 before=before)
    return enquiry


# Conferences and child protection plans


def _safety_plan_before(section47: Section47Enquiry, held_on: date) -> bool:
    """Whether a safety plan was made between the strategy discussion and `held_on`."""
    return SafetyPlan.objects.current().filter(
        child=section47.child, made_on__gte=section47.strategy_discussion.held_on,
        made_on__lte=held_on).exists()


@transaction.atomic
def conference_record(
    *, kind: str, held_on: date, outcome: str, by, section47: Section47Enquiry | None = None,
    plan: ChildProtectionPlan | None = None, child=None, chaired_by=None,
    reason_late: str = "", transfer_in: bool = False,
) -> ChildProtectionConference:
    """Record an initial conference (after a section 47 enquiry) or a review of a plan."""
    linked = section47 if kind == Kind.INITIAL else plan
    child = linked.child if linked is not None else child
    if child is not None:
        policy.require(by, policy.RECORD, child)
    if kind == Kind.INITIAL:
        if section47 is None and not transfer_in:
            raise RecordError("Choose the section 47 enquiry this conference follows",
                              field="section47")
        if section47 is not None:
            discussion = section47.strategy_discussion
            if held_on < discussion.held_on:
                raise RecordError(f"An initial conference cannot be held before its strategy "
                                  f"discussion ({_day(discussion.held_on)})", field="held_on")
            if held_on < section47.started_on:  # CIN 8615
                raise RecordError(f"An initial conference cannot be held before its section 47 "
                                  f"enquiry started ({_day(section47.started_on)})",
                                  field="held_on")
            if section47.icpc_not_required:
                raise RecordError("This enquiry concluded that no conference was needed",
                                  field="section47")
            if section47.conferences.current().exists():
                raise RecordError("This enquiry already has an initial conference",
                                  field="section47")
            if (section47.outcome == Section47Outcome.ICPC
                    and not _safety_plan_before(section47, held_on)):  # F37
                raise RecordError("The enquiry found risk, so a safety plan must be recorded "
                                  "before the initial conference: record the safety plan "
                                  "agreed with the family first", field="section47")
        plan = None
    else:
        if plan is None:
            raise RecordError("Choose the plan this conference reviews", field="plan")
        section47 = None
        if held_on <= plan.started_on:  # CIN 8841
            raise RecordError(f"A review conference must be after the plan started "
                              f"({_day(plan.started_on)})", field="held_on")
        if plan.ended_on is not None and held_on > plan.ended_on:
            raise RecordError(f"The plan ended on {_day(plan.ended_on)}, before this review",
                              field="held_on")
    if child is None:
        raise RecordError("Choose the child", field="child")
    _not_future(held_on, "held_on", "conference date")
    if kind == Kind.INITIAL and held_on.weekday() >= 5:  # CIN 8875
        raise RecordError("An initial conference cannot be on a weekend: check the date",
                          field="held_on")
    booking = _open_booking(section47=section47, plan=plan)
    if booking is not None and chaired_by is None:
        chaired_by = booking.chair
    conference = ChildProtectionConference(
        child=child, kind=kind, held_on=held_on, section47=section47, plan=plan,
        outcome=outcome, chaired_by=chaired_by, reason_late=reason_late.strip(),
        transfer_in=transfer_in, recorded_by=by)
    clean(conference)
    conference.save()
    audit.record(by, f"conference.{kind}_held", conference)
    if booking is not None:  # the chair's booking is done
        before = audit.snapshot(booking)
        booking.conference = conference
        save_version(booking, expected_version=None, thing="conference booking",
                     fields=["conference"])
        audit.record(by, "conference.booking_held", booking, kind=AuditEvent.Kind.CHANGED,
                     before=before)
    return conference


def _open_booking(*, section47=None, plan=None):
    """The booking not yet held for this enquiry's initial conference or this plan's next
    review, if a chair was asked."""
    if section47 is None and plan is None:
        return None
    rows = (ConferenceBooking.objects.current().select_for_update(of=("self",))
            .filter(conference__isnull=True))
    rows = rows.filter(section47=section47) if section47 is not None else rows.filter(plan=plan)
    return rows.select_related("chair").order_by("-pk").first()


# How long after the date booked a chair keeps access to the record: to write up the
# conference, and the plan, after the day.
CHAIR_ACCESS_AFTER = timedelta(days=28)


@transaction.atomic
def conference_chair_ask(
    *, child, chair, booked_for: date, by, section47: Section47Enquiry | None = None,
    plan: ChildProtectionPlan | None = None,
) -> ConferenceBooking:
    """Book a conference with the chair asked to chair it: an enquiry's initial conference, or
    a review of a plan. A chair who cannot already open the record is given access to it
    until four weeks after the date booked (not on a restricted record: there the senior
    manager names who may see it)."""
    policy.require(by, policy.RECORD, child)
    if chair is None or chair.role != Role.IRO or not policy.allows(chair, policy.RECORD):
        raise RecordError("Choose the conference chair", field="chair")
    if (section47 is None) == (plan is None):
        raise RecordError("Choose the conference the chair is asked to chair",
                          field="conference")
    if section47 is not None:
        kind = Kind.INITIAL
        if section47.child_id != child.pk:
            raise RecordError("The enquiry is about a different child", field="conference")
        if section47.icpc_not_required or section47.conferences.current().exists():
            raise RecordError("This enquiry is not waiting for an initial conference",
                              field="conference")
        if booked_for < section47.started_on:
            raise RecordError(f"The conference cannot be before the enquiry started "
                              f"({_day(section47.started_on)})", field="booked_for")
    else:
        kind = Kind.REVIEW
        if plan.child_id != child.pk:
            raise RecordError("The plan is about a different child", field="conference")
        if plan.ended_on is not None:
            raise RecordError(f"This plan ended on {_day(plan.ended_on)}", field="conference")
    if booked_for < timezone.localdate():
        raise RecordError("The date of the conference must be today or later",
                          field="booked_for")
    if kind == Kind.INITIAL and booked_for.weekday() >= 5:  # CIN 8875
        raise RecordError("An initial conference cannot be on a weekend: check the date",
                          field="booked_for")
    earlier = _open_booking(section47=section47, plan=plan)
    if earlier is not None:
        raise RecordError(f"{earlier.chair} is already asked to chair this conference, on "
                          f"{_day(earlier.booked_for)}", field="conference")
    grant = None
    if not policy.can(chair, policy.RECORD, child):
        if child.restricted:
            raise RecordError("This record is restricted: ask the senior manager to name the "
                              "chair on it first", field="chair")
        grant = AccessGrant(
            child=child, staff=chair, granted_by=by, until=booked_for + CHAIR_ACCESS_AFTER,
            reason=f"Asked to chair the {Kind(kind).label.lower()} on {_day(booked_for)}")
        grant.full_clean()
        grant.save()
        audit.record(by, "accessgrant.created", grant, reason=grant.reason)
    booking = ConferenceBooking(child=child, kind=kind, section47=section47, plan=plan,
                                booked_for=booked_for, chair=chair, grant=grant, recorded_by=by)
    clean(booking)
    booking.save()
    audit.record(by, "conference.chair_asked", booking)
    return booking


@transaction.atomic
def child_protection_plan_start(
    *, conference: ChildProtectionConference, initial_category_of_abuse: str, by,
    started_on: date | None = None,
) -> ChildProtectionPlan:
    """Start the plan an initial conference decided on; it starts on the conference's day."""
    policy.require(by, policy.RECORD, conference.child)
    if (conference.kind != Kind.INITIAL
            or conference.outcome != ChildProtectionConference.Outcome.PLAN):
        raise RecordError("Only an initial conference that decided on a plan can start one",
                          field="conference")
    started_on = conference.held_on if started_on is None else started_on
    if started_on != conference.held_on:  # CIN 2885
        raise RecordError(f"The plan starts on the day of the conference "
                          f"({_day(conference.held_on)})", field="started_on")
    if initial_category_of_abuse not in CategoryOfAbuse.values:  # CIN 8905
        raise RecordError("Choose the category of abuse", field="initial_category_of_abuse")
    if ChildProtectionPlan.objects.current().filter(conference=conference).exists():
        raise RecordError("This conference has already started a plan", field="conference")
    if _open_plan(ChildProtectionPlan, conference.child):  # CIN 8935
        raise RecordError("This child already has an open child protection plan",
                          field="started_on")
    cin_plan = _open_plan(CINPlan, conference.child)
    if cin_plan is not None:  # CIN 4001
        raise RecordError(f"End the child in need plan (from {_day(cin_plan.started_on)}) "
                          f"before starting a child protection plan", field="started_on")
    referral = None
    if conference.section47 is not None:
        referral = conference.section47.strategy_discussion.referral
    if referral is not None and started_on < referral.received_on:  # CIN 1105
        raise RecordError("The plan cannot start before the referral was received",
                          field="started_on")
    plan = ChildProtectionPlan(
        child=conference.child, conference=conference, referral=referral,
        started_on=started_on, initial_category_of_abuse=initial_category_of_abuse,
        recorded_by=by)
    clean(plan)
    save_period(plan)
    audit.record(by, "cp_plan.started", plan)
    return plan


@transaction.atomic
def child_protection_plan_end(
    *, plan: ChildProtectionPlan, ended_on: date, end_reason: str, by,
    expected_version: int | None = None,
) -> ChildProtectionPlan:
    """End a child protection plan (CPPendDate) with the reason."""
    policy.require(by, policy.RECORD, plan.child)
    return end_period(plan, on=ended_on, reason=end_reason, by=by,
                      expected_version=expected_version)


@transaction.atomic
def core_group_record(*, plan: ChildProtectionPlan, held_on: date, by, attendees: str = "",
                      notes: str = "") -> CoreGroupMeeting:
    """Record a core group meeting on a child protection plan."""
    policy.require(by, policy.RECORD, plan.child)
    if held_on < plan.started_on:
        raise RecordError(f"A core group cannot meet before the plan started "
                          f"({_day(plan.started_on)})", field="held_on")
    if plan.ended_on is not None and held_on > plan.ended_on:
        raise RecordError(f"The plan ended on {_day(plan.ended_on)}", field="held_on")
    _not_future(held_on, "held_on", "meeting date")
    meeting = CoreGroupMeeting(child=plan.child, plan=plan, held_on=held_on,
                               attendees=attendees, notes=notes, recorded_by=by)
    clean(meeting)
    meeting.save()
    audit.record(by, "core_group.held", meeting)
    return meeting


@transaction.atomic
def visit_record(
    *, child, kind: str, visited_on: date, child_seen: bool, by,
    child_seen_alone: bool = False, protection_plan: ChildProtectionPlan | None = None,
    cin_plan: CINPlan | None = None, bedroom_seen: bool | None = None, notes: str = "",
    not_seen_alone_reason: str = "",
) -> Visit:
    """Record a child protection or child in need visit; a child not seen alone (or not seen)
    needs the reason why."""
    policy.require(by, policy.RECORD, child)
    _not_future(visited_on, "visited_on", "visit date")
    if child_seen_alone and not child_seen:
        raise RecordError("A child seen alone was seen: check both answers",
                          field="child_seen_alone")
    not_seen_alone_reason = (not_seen_alone_reason or "").strip()
    if child_seen_alone:
        not_seen_alone_reason = ""
    elif not not_seen_alone_reason:
        raise RecordError("Enter why the child was not seen alone" if child_seen
                          else "Enter why the child was not seen", field="not_seen_alone_reason")
    for plan in (protection_plan, cin_plan):
        if plan is not None and visited_on < plan.started_on:
            raise RecordError(f"The visit cannot be before the plan started "
                              f"({_day(plan.started_on)})", field="visited_on")
    visit = Visit(child=child, kind=kind, visited_on=visited_on, child_seen=child_seen,
                  child_seen_alone=child_seen_alone, protection_plan=protection_plan,
                  cin_plan=cin_plan, bedroom_seen=bedroom_seen, notes=notes, visited_by=by,
                  not_seen_alone_reason=not_seen_alone_reason, recorded_by=by)
    clean(visit)
    visit.save()
    audit.record(by, "visit.recorded", visit)
    return visit


def _safety_plan_in_force(child):
    return (SafetyPlan.objects.current().select_for_update()
            .filter(child=child, ended_on__isnull=True).order_by("-made_on", "-pk").first())


@transaction.atomic
def safety_plan_record(*, child, made_on: date, safety_goal: str, arrangements: str, by,
                       agreed_by: str, childs_words: str, if_breaks_down: str,
                       network: str = "") -> SafetyPlan:
    """Record a safety plan agreed with the family and network (F37): who agreed it and when,
    what must happen to keep the child safe, the child's own words, and what happens if it
    breaks down. It replaces a plan in force, which ends the day the new one is agreed."""
    policy.require(by, policy.RECORD, child)
    _not_future(made_on, "made_on", "date the plan was agreed")
    for field, value, message in [
            ("agreed_by", agreed_by, "Enter who agreed the safety plan"),
            ("safety_goal", safety_goal, "Enter the safety goal"),
            ("arrangements", arrangements, "Enter who will do what, and when"),
            ("childs_words", childs_words, "Enter what the child said, in their own words"),
            ("if_breaks_down", if_breaks_down,
             "Enter what happens if the safety plan breaks down")]:
        if not value.strip():
            raise RecordError(message, field=field)
    earlier = _safety_plan_in_force(child)
    if earlier is not None:
        if made_on < earlier.made_on:
            raise RecordError(f"The safety plan agreed on {_day(earlier.made_on)} is in force "
                              f"and is later than this one: check the date", field="made_on")
        _safety_plan_close(earlier, ended_on=made_on, by=by,
                           reason=f"Replaced by the safety plan agreed on {_day(made_on)}")
    plan = SafetyPlan(child=child, made_on=made_on, safety_goal=safety_goal.strip(),
                      arrangements=arrangements.strip(), network=network.strip(),
                      agreed_by=agreed_by.strip(), childs_words=childs_words.strip(),
                      if_breaks_down=if_breaks_down.strip(), recorded_by=by)
    clean(plan)
    plan.save()
    audit.record(by, "safety_plan.made", plan)
    return plan


def _safety_plan_close(plan: SafetyPlan, *, ended_on: date, by, reason: str,
                       expected_version: int | None = None) -> SafetyPlan:
    before = audit.snapshot(plan)
    plan.ended_on, plan.end_reason = ended_on, reason
    clean(plan)
    save_version(plan, expected_version=expected_version, thing="safety plan",
                 fields=["ended_on", "end_reason"])
    audit.record(by, "safety_plan.ended", plan, kind=AuditEvent.Kind.CHANGED, before=before,
                 reason=reason)
    return plan


@transaction.atomic
def safety_plan_end(*, plan: SafetyPlan, ended_on: date, reason: str, by,
                    expected_version: int | None = None) -> SafetyPlan:
    """End a safety plan (no longer needed, or overtaken by a child protection plan): from
    that day it is no longer shown on the child's summary as in force."""
    policy.require(by, policy.RECORD, plan.child)
    if plan.ended_on is not None:
        raise RecordError(f"This safety plan ended on {_day(plan.ended_on)}", field="ended_on")
    if ended_on < plan.made_on:
        raise RecordError(f"The safety plan cannot end before it was agreed "
                          f"({_day(plan.made_on)})", field="ended_on")
    _not_future(ended_on, "ended_on", "date the plan ended")
    if not reason.strip():
        raise RecordError("Enter why the safety plan is ending", field="reason")
    return _safety_plan_close(plan, ended_on=ended_on, by=by, reason=reason.strip(),
                              expected_version=expected_version)


@transaction.atomic
def plan_category_change_record(*, plan: ChildProtectionPlan, changed_on: date, category: str,
                                by, reason: str = "") -> PlanCategoryChange:
    """Change a plan's category of abuse (LatestCategoryOfAbuse), as a review conference
    decided."""
    policy.require(by, policy.RECORD, plan.child)
    if category not in CategoryOfAbuse.values:
        raise RecordError("Choose the category of abuse", field="category")
    if changed_on < plan.started_on:
        raise RecordError(f"The category cannot change before the plan started "
                          f"({_day(plan.started_on)})", field="changed_on")
    _not_future(changed_on, "changed_on", "date of the change")
    change = PlanCategoryChange(child=plan.child, plan=plan, changed_on=changed_on,
                                category=category, reason=reason.strip(), recorded_by=by)
    clean(change)
    change.save()
    audit.record(by, "cp_plan.category_changed", change, kind=AuditEvent.Kind.DECIDED,
                 reason=reason.strip())
    return change


@transaction.atomic
def plan_need_record(*, plan: ChildProtectionPlan, need: str, outcome: str, what: str, by,
                     due_on: date | None, owner=None, owner_name: str = "") -> PlanNeed:
    """Add a need to a child protection plan: the outcome wanted and its first action, with who
    is responsible and by when (F19); more actions can be added to the need later."""
    policy.require(by, policy.RECORD, plan.child)
    if plan.ended_on is not None:
        raise RecordError(f"This plan ended on {_day(plan.ended_on)}", field="need")
    for field, value, message in [
            ("need", need, "Enter the need"),
            ("outcome", outcome, "Enter the outcome: what will be different for the child")]:
        if not value.strip():
            raise RecordError(message, field=field)
    if due_on is not None and due_on < plan.started_on:
        raise RecordError(f"An action cannot be due before the plan started "
                          f"({_day(plan.started_on)})", field="due_on")
    item = PlanNeed(child=plan.child, protection_plan=plan, need=need.strip(),
                    outcome=outcome.strip(), recorded_by=by)
    clean(item)
    item.save()
    audit.record(by, "cp_plan.need_added", item)
    core_services.action_add(source=item, what=what, owner=owner, owner_name=owner_name,
                             due_on=due_on, by=by)
    return item
