"""Writes in legal work: pre-proceedings, care proceedings, hearings, court directions,
extensions and orders.

Each service is one transaction: the access check, the date-order rules (a plain-English
`RecordError` naming the field), `full_clean()`, the save and the audit row land together or not
at all.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from cairn.access import policy
from cairn.core import audit, names
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.core.services import clean, end_period, save_period, save_version
from cairn.core.services import long_date as _day
from cairn.core.services import not_future as _not_future
from cairn.core.working_days import is_bank_holiday

from .models import (
    EMERGENCY_ORDERS,
    EPO_MAX_DAYS,
    EPO_MAX_EXTENSION_DAYS,
    FINAL_ORDERS,
    INTERIM_ORDERS,
    MAX_EXTENSION_WEEKS,
    POLICE_PROTECTION_MAX_HOURS,
    CareProceedings,
    CourtDirection,
    Hearing,
    LegalOrder,
    OrderKind,
    PreProceedings,
    PreProceedingsMeeting,
    PreProceedingsReview,
    ProceedingsExtension,
)


@transaction.atomic
def pre_proceedings_start(*, child, started_on: date, by,
                          letter_before_proceedings_on: date | None = None) -> PreProceedings:
    """Enter pre-proceedings under the Public Law Outline."""
    policy.require(by, policy.RECORD, child)
    _not_future(started_on, "started_on", "start date")
    if letter_before_proceedings_on is not None and letter_before_proceedings_on < started_on:
        raise RecordError("The letter before proceedings cannot be sent before pre-proceedings "
                          "started", field="letter_before_proceedings_on")
    if PreProceedings.objects.open().filter(child=child).exists():
        raise RecordError("This child is already in pre-proceedings", field="started_on")
    plo = PreProceedings(child=child, started_on=started_on, recorded_by=by,
                         letter_before_proceedings_on=letter_before_proceedings_on)
    clean(plo)
    save_period(plo)
    audit.record(by, "pre_proceedings.started", plo)
    return plo


@transaction.atomic
def pre_proceedings_meeting_record(*, pre_proceedings: PreProceedings, held_on: date, by,
                                   attendees: str = "", agreement: str = ""
                                   ) -> PreProceedingsMeeting:
    """Record the pre-proceedings meeting."""
    policy.require(by, policy.RECORD, pre_proceedings.child)
    if held_on < pre_proceedings.started_on:
        raise RecordError(f"The meeting cannot be before pre-proceedings started "
                          f"({_day(pre_proceedings.started_on)})", field="held_on")
    _not_future(held_on, "held_on", "meeting date")
    meeting = PreProceedingsMeeting(child=pre_proceedings.child, pre_proceedings=pre_proceedings,
                                    held_on=held_on, attendees=attendees, agreement=agreement,
                                    recorded_by=by)
    clean(meeting)
    meeting.save()
    audit.record(by, "pre_proceedings.meeting_held", meeting)
    return meeting


@transaction.atomic
def pre_proceedings_review_record(*, pre_proceedings: PreProceedings, held_on: date,
                                  progress: str, decision: str, by, attendees: str = ""
                                  ) -> PreProceedingsReview:
    """Record a pre-proceedings review point: who attended, the progress and the decision.
    The review meets the review point the rule has due (core timescales)."""
    policy.require(by, policy.RECORD, pre_proceedings.child)
    if held_on < pre_proceedings.started_on:
        raise RecordError(f"The review cannot be before pre-proceedings started "
                          f"({_day(pre_proceedings.started_on)})", field="held_on")
    if pre_proceedings.ended_on is not None and held_on > pre_proceedings.ended_on:
        raise RecordError(f"Pre-proceedings ended on {_day(pre_proceedings.ended_on)}",
                          field="held_on")
    _not_future(held_on, "held_on", "review date")
    review = PreProceedingsReview(child=pre_proceedings.child, pre_proceedings=pre_proceedings,
                                  held_on=held_on, attendees=attendees.strip(),
                                  progress=progress, decision=decision, recorded_by=by)
    clean(review)
    review.save()
    audit.record(by, "pre_proceedings.reviewed", review, kind=AuditEvent.Kind.DECIDED)
    return review


@transaction.atomic
def pre_proceedings_end(*, pre_proceedings: PreProceedings, ended_on: date, outcome: str, by,
                        expected_version: int | None = None) -> PreProceedings:
    """End pre-proceedings with its outcome."""
    policy.require(by, policy.RECORD, pre_proceedings.child)
    return end_period(pre_proceedings, on=ended_on, reason=outcome, by=by,
                      expected_version=expected_version, kind=AuditEvent.Kind.DECIDED)


@transaction.atomic
def care_proceedings_issue(
    *, child, issued_on: date, court: str, application: str, by,
    pre_proceedings: PreProceedings | None = None, case_number: str = "",
) -> CareProceedings:
    """Record care proceedings issued; their time limit runs from `issued_on`."""
    policy.require(by, policy.RECORD, child)
    _not_future(issued_on, "issued_on", "issue date")
    if pre_proceedings is not None:
        if pre_proceedings.child_id != child.pk:
            raise RecordError("The pre-proceedings are about a different child",
                              field="pre_proceedings")
        if issued_on < pre_proceedings.started_on:
            raise RecordError(f"Proceedings cannot be issued before pre-proceedings started "
                              f"({_day(pre_proceedings.started_on)})", field="issued_on")
    if CareProceedings.objects.open().filter(child=child).exists():
        raise RecordError("This child already has care proceedings under way",
                          field="issued_on")
    proceedings = CareProceedings(child=child, pre_proceedings=pre_proceedings,
                                  issued_on=issued_on, court=court, application=application,
                                  case_number=case_number, recorded_by=by)
    clean(proceedings)
    save_period(proceedings)
    audit.record(by, "care_proceedings.issued", proceedings)
    return proceedings


@transaction.atomic
def care_proceedings_conclude(*, proceedings: CareProceedings, concluded_on: date,
                              final_order: str, by, expected_version: int | None = None
                              ) -> CareProceedings:
    """Record the final disposal of care proceedings and the order made.

    The final order becomes one of the child's orders (unless it was recorded already), and an
    interim order still in force ends that day (Children Act 1989 s38(4)). Pre-proceedings
    the child is still in end too: proceedings were issued, so they ended then (on the day of
    issue, or the day they started if that was later). A child protection plan left open under
    a care order is not ended here: the conference decides that, and the legal record asks
    (selectors.final_order_questions).
    """
    policy.require(by, policy.RECORD, proceedings.child)

    def rules(proceedings: CareProceedings) -> None:
        if final_order not in FINAL_ORDERS:
            raise RecordError("Choose the order that disposed of the proceedings: a care, "
                              "supervision, placement, special guardianship or child "
                              "arrangements order, or no order", field="final_order")

    end_period(proceedings, on=concluded_on, reason=final_order, by=by,
               expected_version=expected_version, rules=rules)
    if final_order != OrderKind.NO_ORDER and not LegalOrder.objects.current().filter(
            proceedings=proceedings, kind=final_order).exists():
        legal_order_record(child=proceedings.child, kind=final_order, made_on=concluded_on,
                           proceedings=proceedings, court=proceedings.court, by=by)
    else:
        _end_interim_orders(proceedings=proceedings, on=concluded_on, by=by)
    for plo in PreProceedings.objects.open().filter(child=proceedings.child,
                                                    started_on__lte=concluded_on):
        end_period(plo, on=max(plo.started_on, proceedings.issued_on), by=by,
                   reason=PreProceedings.Outcome.PROCEEDINGS, kind=AuditEvent.Kind.DECIDED)
    return proceedings


@transaction.atomic
def hearing_record(*, proceedings: CareProceedings, held_on: date, kind: str, by,
                   outcome: str = "", order_made: str = "", order_ends_on: date | None = None
                   ) -> Hearing:
    """Record a hearing in care proceedings, and the interim order the court made at it, if
    any: the order is made on the day of the hearing and runs to `order_ends_on` when the court
    set a date (otherwise until the proceedings end or a later order replaces it)."""
    policy.require(by, policy.RECORD, proceedings.child)
    if held_on < proceedings.issued_on:
        raise RecordError(f"A hearing cannot be before the proceedings were issued "
                          f"({_day(proceedings.issued_on)})", field="held_on")
    if proceedings.concluded_on is not None and held_on > proceedings.concluded_on:
        raise RecordError(f"The proceedings concluded on {_day(proceedings.concluded_on)}",
                          field="held_on")
    if order_made and order_made not in INTERIM_ORDERS:
        raise RecordError("Choose an interim care order or an interim supervision order",
                          field="order_made")
    if order_ends_on is not None and not order_made:
        raise RecordError("Select the order the court made, or leave the date it runs to "
                          "empty", field="order_ends_on")
    if order_made and held_on > timezone.localdate():
        raise RecordError(f"An order can be recorded once the hearing has been held: this one "
                          f"is listed for {_day(held_on)}", field="order_made")
    if order_ends_on is not None and order_ends_on < held_on:
        raise RecordError(f"The order cannot run to a date before the hearing that made it "
                          f"({_day(held_on)})", field="order_ends_on")
    hearing = Hearing(child=proceedings.child, proceedings=proceedings, held_on=held_on,
                      kind=kind, outcome=outcome, recorded_by=by)
    clean(hearing)
    hearing.save()
    audit.record(by, "hearing.recorded", hearing)
    if order_made:
        legal_order_record(child=proceedings.child, kind=order_made, made_on=held_on,
                           ended_on=order_ends_on, proceedings=proceedings, hearing=hearing,
                           court=proceedings.court, by=by)
    return hearing


@transaction.atomic
def court_direction_record(*, hearing: Hearing, direction: str, due_on: date, by,
                           responsible: str = "", owner=None) -> CourtDirection:
    """Record a direction the court made at a hearing, and when it is due; a member of staff
    named as `owner` has it on their list until it is met."""
    policy.require(by, policy.RECORD, hearing.child)
    if not direction.strip():
        raise RecordError("Enter what the court directed", field="direction")
    if owner is not None and not owner.is_active:
        raise RecordError(f"{owner} can no longer sign in to Cairn: choose someone else",
                          field="owner")
    if due_on < hearing.held_on:
        raise RecordError(f"A direction cannot be due before the hearing that made it "
                          f"({_day(hearing.held_on)})", field="due_on")
    item = CourtDirection(child=hearing.child, hearing=hearing, direction=direction.strip(),
                          due_on=due_on, responsible=responsible, owner=owner,
                          recorded_by=by)
    clean(item)
    item.save()
    audit.record(by, "court_direction.recorded", item)
    return item


@transaction.atomic
def court_direction_comply(*, item: CourtDirection, complied_on: date, by,
                           expected_version: int | None = None) -> CourtDirection:
    """Record that a court direction was complied with."""
    policy.require(by, policy.RECORD, item.child)
    if item.complied_on is not None:
        raise RecordError("This direction has already been complied with", field="complied_on")
    if complied_on < item.hearing.held_on:
        raise RecordError("A direction cannot be complied with before the hearing that made it",
                          field="complied_on")
    _not_future(complied_on, "complied_on", "date")
    before = audit.snapshot(item)
    item.complied_on, item.met = complied_on, True
    clean(item)
    save_version(item, expected_version=expected_version, thing="court direction",
                 fields=["complied_on", "met"])
    audit.record(by, "court_direction.complied", item, kind=AuditEvent.Kind.CHANGED,
                 before=before)
    return item


@transaction.atomic
def proceedings_extension_grant(*, proceedings: CareProceedings, granted_on: date, weeks: int,
                                reason: str, by) -> ProceedingsExtension:
    """Record an extension of the proceedings' time limit granted by the court (at most
    MAX_EXTENSION_WEEKS each)."""
    policy.require(by, policy.RECORD, proceedings.child)
    if not 1 <= weeks <= MAX_EXTENSION_WEEKS:
        raise RecordError(f"An extension is from 1 to {MAX_EXTENSION_WEEKS} weeks",
                          field="weeks")
    if not reason.strip():
        raise RecordError("Enter the court's reason for the extension", field="reason")
    if granted_on < proceedings.issued_on:
        raise RecordError("An extension cannot be granted before the proceedings were issued",
                          field="granted_on")
    extension = ProceedingsExtension(child=proceedings.child, proceedings=proceedings,
                                     granted_on=granted_on, weeks=weeks, reason=reason.strip(),
                                     recorded_by=by)
    clean(extension)
    extension.save()
    audit.record(by, names.CARE_PROCEEDINGS_EXTENDED, extension, kind=AuditEvent.Kind.DECIDED,
                 reason=reason.strip())
    return extension


@transaction.atomic
def legal_order_record(*, child, kind: str, made_on: date, by,
                       proceedings: CareProceedings | None = None, ended_on: date | None = None,
                       court: str = "", police_force: str = "", police_officer: str = "",
                       removed_at: datetime | None = None, extended_to: date | None = None,
                       hearing: Hearing | None = None) -> LegalOrder:
    """Record an order made about a child, or police protection taken.

    An emergency protection order or police protection, in proceedings or not, is held to the
    limits of Children Act 1989 ss45-46 (see legal.models). An interim or final order made in
    proceedings ends any interim order of those proceedings still in force on the day it is
    made: the later order replaces it (s38(4)).
    """
    policy.require(by, policy.RECORD, child)
    if hearing is not None:
        proceedings = hearing.proceedings
    if kind == OrderKind.NO_ORDER:
        raise RecordError("Choose the order that was made", field="kind")
    _not_future(made_on, "made_on", "date the order was made")
    if ended_on is not None and ended_on < made_on:
        raise RecordError("An order cannot end before it was made", field="ended_on")
    if proceedings is not None and made_on < proceedings.issued_on:
        raise RecordError("An order in proceedings cannot be made before they were issued",
                          field="made_on")
    if kind in EMERGENCY_ORDERS:
        _emergency_order_rules(kind=kind, made_on=made_on, ended_on=ended_on, court=court,
                               police_force=police_force, removed_at=removed_at,
                               extended_to=extended_to)
    elif extended_to is not None:
        raise RecordError("Only an emergency protection order is extended this way",
                          field="extended_to")
    if proceedings is not None and kind in (*INTERIM_ORDERS, *FINAL_ORDERS):
        _end_interim_orders(proceedings=proceedings, on=made_on, by=by)
    order = LegalOrder(child=child, kind=kind, made_on=made_on, ended_on=ended_on,
                       proceedings=proceedings, hearing=hearing, court=court.strip(),
                       police_force=police_force.strip(), police_officer=police_officer.strip(),
                       removed_at=removed_at, extended_to=extended_to, recorded_by=by)
    clean(order)
    order.save()
    audit.record(by, "legal_order.made", order)
    return order


def _end_interim_orders(*, proceedings: CareProceedings, on: date, by) -> None:
    """End the interim orders of `proceedings` in force on `on` that day."""
    for order in (LegalOrder.objects.current().select_for_update()
                  .filter(proceedings=proceedings, kind__in=INTERIM_ORDERS).in_force_on(on)
                  .exclude(ended_on__lte=on)):
        before = audit.snapshot(order)
        order.ended_on = on
        clean(order)
        save_version(order, expected_version=None, fields=["ended_on"], thing="interim order")
        audit.record(by, "legal_order.ended", order, kind=AuditEvent.Kind.CHANGED,
                     before=before)


@transaction.atomic
def legal_order_extend(*, order: LegalOrder, extended_on: date, extended_to: date, by,
                       expected_version: int | None = None) -> LegalOrder:
    """Record the court's one extension of an emergency protection order (s45(4)-(6))."""
    policy.require(by, policy.RECORD, order.child)
    if order.kind != OrderKind.EMERGENCY_PROTECTION:
        raise RecordError("Only an emergency protection order can be extended",
                          field="extended_to")
    if order.voided_at is not None:
        raise RecordError("This order has been removed from the record and can no longer be "
                          "extended", field="extended_to")
    if order.extended_to is not None:
        raise RecordError(f"This order was already extended to {_day(order.extended_to)}: an "
                          f"emergency protection order can be extended only once",
                          field="extended_to")
    if extended_on < order.made_on:
        raise RecordError(f"The court cannot extend the order before it was made "
                          f"({_day(order.made_on)})", field="extended_on")
    if extended_on > order.ended_on:
        raise RecordError(f"The court can extend the order only while it is in force: it ended "
                          f"on {_day(order.ended_on)}", field="extended_on")
    _not_future(extended_on, "extended_on", "date the court extended the order")
    _extension_rules(ended_on=order.ended_on, extended_to=extended_to)
    before = audit.snapshot(order)
    order.extended_on, order.extended_to = extended_on, extended_to
    try:
        clean(order)
        save_version(order, expected_version=expected_version,
                     fields=["extended_on", "extended_to"],
                     thing="emergency protection order")
    except RecordError:
        order.extended_on = order.extended_to = None  # the caller's object stays as stored
        raise
    audit.record(by, "legal_order.extended", order, kind=AuditEvent.Kind.CHANGED,
                 before=before)
    return order


def _public_holiday(day: date) -> bool:
    """A Sunday, Christmas Day, Good Friday or a bank holiday in England (s45(3))."""
    return day.weekday() == 6 or is_bank_holiday(day)


def epo_latest_end(made_on: date) -> date:
    """The last day an emergency protection order made on `made_on` can run to (s45(1)-(3))."""
    last = made_on + timedelta(days=EPO_MAX_DAYS)
    while _public_holiday(last):
        last += timedelta(days=1)
    return last


def _emergency_order_rules(*, kind, made_on, ended_on, court, police_force, removed_at,
                           extended_to) -> None:
    police = kind == OrderKind.POLICE_PROTECTION
    what = "police protection" if police else "the order"
    if police and not police_force.strip():
        raise RecordError("Enter the police force that took the child into police protection",
                          field="police_force")
    if not police and not court.strip():
        raise RecordError("Enter the court that made the emergency protection order",
                          field="court")
    if police and removed_at is None:
        raise RecordError("Enter the date and time the child was taken into police protection",
                          field="removed_at")
    if ended_on is None:
        raise RecordError(f"Enter the date {what} ends or ended", field="ended_on")
    if removed_at is not None:
        _not_future(removed_at, "removed_at", "time the child was removed")
        removed_on = timezone.localtime(removed_at).date()
        if removed_on < made_on:
            raise RecordError(
                "The child cannot have been taken into police protection before the day it "
                "started" if police else
                "The child cannot have been removed before the order was made",
                field="removed_at")
        if removed_on > (extended_to or ended_on):
            raise RecordError(f"The child cannot have been removed after {what} ended",
                              field="removed_at")
    if police:
        if extended_to is not None:
            raise RecordError("Police protection cannot be extended: it lasts at most 72 hours",
                              field="extended_to")
        latest = timezone.localtime(
            removed_at + timedelta(hours=POLICE_PROTECTION_MAX_HOURS)).date()
        if ended_on > latest:
            raise RecordError(
                f"Police protection lasts at most 72 hours from when the child was taken: it "
                f"must end by {_day(latest)}", field="ended_on")
        return
    latest = epo_latest_end(made_on)
    if ended_on > latest:
        raise RecordError(f"An emergency protection order lasts at most 8 days: one made on "
                          f"{_day(made_on)} must end by {_day(latest)}", field="ended_on")
    if extended_to is not None:
        _extension_rules(ended_on=ended_on, extended_to=extended_to)


def _extension_rules(*, ended_on: date, extended_to: date) -> None:
    """s45(5): one extension, of at most seven days from the day the order would have ended."""
    if extended_to <= ended_on:
        raise RecordError("The extension must end after the date the order first ended",
                          field="extended_to")
    if extended_to > ended_on + timedelta(days=EPO_MAX_EXTENSION_DAYS):
        raise RecordError(
            f"An emergency protection order can be extended once, by up to 7 days: the "
            f"extension must end by {_day(ended_on + timedelta(days=EPO_MAX_EXTENSION_DAYS))}",
            field="extended_to")


@transaction.atomic
def pre_proceedings_letter_record(*, pre_proceedings: PreProceedings, sent_on: date, by,
                                  expected_version: int | None = None) -> PreProceedings:
    """Record the day the letter before proceedings was sent."""
    policy.require(by, policy.RECORD, pre_proceedings.child)
    if pre_proceedings.letter_before_proceedings_on is not None:
        raise RecordError(f"The letter before proceedings was already recorded as sent on "
                          f"{_day(pre_proceedings.letter_before_proceedings_on)}",
                          field="letter_before_proceedings_on")
    if sent_on < pre_proceedings.started_on:
        raise RecordError(f"The letter before proceedings cannot be sent before pre-proceedings "
                          f"started ({_day(pre_proceedings.started_on)})",
                          field="letter_before_proceedings_on")
    _not_future(sent_on, "letter_before_proceedings_on", "date the letter was sent")
    before = audit.snapshot(pre_proceedings)
    pre_proceedings.letter_before_proceedings_on = sent_on
    clean(pre_proceedings)
    save_version(pre_proceedings, expected_version=expected_version, thing="pre-proceedings",
                 fields=["letter_before_proceedings_on"])
    audit.record(by, "pre_proceedings.letter_sent", pre_proceedings,
                 kind=AuditEvent.Kind.CHANGED, before=before)
    return pre_proceedings


@transaction.atomic
def court_direction_not_met(*, item: CourtDirection, by,
                            expected_version: int | None = None) -> CourtDirection:
    """Record that a court direction was not met by its due date."""
    policy.require(by, policy.RECORD, item.child)
    if item.complied_on is not None:
        raise RecordError("This direction has already been complied with", field="met")
    if item.due_on >= timezone.localdate():
        raise RecordError(f"The direction is not due until {_day(item.due_on)}", field="met")
    before = audit.snapshot(item)
    item.met = False
    clean(item)
    save_version(item, expected_version=expected_version, thing="court direction",
                 fields=["met"])
    audit.record(by, "court_direction.not_met", item, kind=AuditEvent.Kind.CHANGED,
                 before=before)
    return item
