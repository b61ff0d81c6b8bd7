"""Writes on a child's record that belong to no one stage: case notes, and the people a child
is related to (their family network)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cairn.access import policy
from cairn.core import audit
from cairn.core import services as core_services
from cairn.core.errors import RecordError
from cairn.people.matching import ANYONE
from cairn.people.models import CaseNote, Child, Disability, DisabilityCode, Person, Relationship

from . import selectors


@transaction.atomic
def case_note_add(*, child: Child, by, kind: str, occurred_on: date, subject: str, body: str,
                  child_seen: bool | None = None, child_seen_alone: bool | None = None
                  ) -> CaseNote:
    """Record a piece of work with or about a child on the child's record."""
    policy.require(by, policy.RECORD, child)
    if occurred_on > timezone.localdate():
        raise RecordError("The date must be today or in the past", field="occurred_on")
    if child_seen_alone and not child_seen:
        raise RecordError("A child seen alone must also be recorded as seen",
                          field="child_seen_alone")
    note = CaseNote(child=child, kind=kind, occurred_on=occurred_on, subject=subject.strip(),
                    body=body.strip(), child_seen=child_seen, child_seen_alone=child_seen_alone,
                    recorded_by=by)
    note.full_clean()
    note.save()
    audit.record(by, "case_note.added", note)
    return note


CORRECTABLE = ("kind", "occurred_on", "subject", "body", "child_seen", "child_seen_alone")


@transaction.atomic
def case_note_correct(*, note: CaseNote, by, expected_version: int, reason: str,
                      **changes) -> CaseNote:
    """Correct what a case note says, saying why; who may is `policy.may_correct_note`.

    The note keeps its author and date recorded; it says it was corrected, by whom and when.
    Every earlier version stays in the audit trail (before and after, with the reason), read
    on the record's History. `changes` are the note's fields (CORRECTABLE); someone else's
    correction since `expected_version` was read is a StaleRecord.
    """
    if not policy.may_correct_note(by, note.child, recorded_by_id=note.recorded_by_id):
        raise PermissionDenied("correct not allowed")
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise ValueError(f"A case note correction cannot change {', '.join(sorted(unknown))}")
    reason = (reason or "").strip()
    if not reason:
        raise RecordError("Enter why the case note is being corrected", field="reason")
    values = {name: value.strip() if isinstance(value, str) else value
              for name, value in changes.items()}
    if values.get("occurred_on") and values["occurred_on"] > timezone.localdate():
        raise RecordError("The date must be today or in the past", field="occurred_on")
    seen = values.get("child_seen", note.child_seen)
    if values.get("child_seen_alone", note.child_seen_alone) and not seen:
        raise RecordError("A child seen alone must also be recorded as seen",
                          field="child_seen_alone")
    if all(getattr(note, name) == value for name, value in values.items()):
        raise RecordError("Nothing has been changed: change what the note says, or cancel",
                          field="body")
    return core_services.update(
        obj=note, by=by, expected_version=expected_version, reason=reason,
        changes={**values, "corrected_at": timezone.now(), "corrected_by": by})


@transaction.atomic
def relationship_add(*, child: Child, person: Person, kind: str, by,
                     parental_responsibility: bool = False, lives_with_child: bool = False,
                     notes: str = "") -> Relationship:
    """Link a person Cairn holds to `child` as one of the child's family network (a mother, a
    grandparent, a carer...). A person is linked to a child once: a second link for the same
    pair is refused, whatever relationship it names.

    `by` must be able to record on the child's record and be offered the person by the
    duplicate check (selectors.visible_people): a restricted person, or an adult linked to a restricted
    child hidden from them, cannot be linked by them (PermissionDenied, as for the child)."""
    policy.require(by, policy.RECORD, child)
    if not selectors.visible_people(by, ANYONE).filter(pk=person.pk).exists():
        raise PermissionDenied("person not visible")
    if person.pk == child.pk:
        raise RecordError(f"{child.full_name} cannot be linked to themselves: choose someone "
                          "else", field="person")
    if kind not in Relationship.Kind.values:
        raise RecordError(f"Choose how {person.full_name} is related to {child.full_name}",
                          field="kind")
    # One link a pair: the child's row is locked so two workers linking the same person at
    # the same moment cannot both pass the check.
    Child.objects.select_for_update().filter(pk=child.pk).first()
    existing = Relationship.objects.current().filter(child=child, person=person).first()
    if existing is not None:
        raise RecordError(f"{person.full_name} is already linked to {child.full_name} as "
                          f"{existing.get_kind_display().lower()}", field="person")
    relationship = Relationship(child=child, person=person, kind=kind,
                                parental_responsibility=parental_responsibility,
                                lives_with_child=lives_with_child, notes=notes.strip(),
                                recorded_by=by)
    relationship.full_clean()
    relationship.save()
    audit.record(by, "relationship.added", relationship)
    return relationship


# What the child's details page changes on the child (people.Person); disabilities are rows.
CHILD_DETAILS = ("given_name", "family_name", "other_names", "birth_date", "sex", "ethnicity",
                 "upn", "upn_unknown", "nhs_number", "first_language", "interpreter_needed",
                 "uasc_from", "uasc_ceased_on")


@transaction.atomic
def child_details_change(*, child: Child, by, expected_version: int, changes: dict,
                         disabilities: list[str]) -> Child:
    """Change who the child is recorded as: identity, language, unaccompanied asylum-seeking
    status (from and to) and the child's disabilities (CIN census codes; none is NONE).

    A disability no longer ticked is removed from the record (voided, kept in the history), a
    new one added; the child's version moves on, so two people saving at once meet a conflict.
    """
    policy.require(by, policy.RECORD, child)
    unknown = set(changes) - set(CHILD_DETAILS)
    if unknown:
        raise ValueError(f"The child's details do not include {', '.join(sorted(unknown))}")
    codes = set(disabilities)
    if codes - set(DisabilityCode.values):
        raise RecordError("Choose the child's disabilities from the list", field="disabilities")
    uasc_from = changes.get("uasc_from", child.uasc_from)
    ceased = changes.get("uasc_ceased_on", child.uasc_ceased_on)
    birth = changes.get("birth_date", child.birth_date)
    if ceased and not uasc_from:
        raise RecordError("Enter when the child became an unaccompanied asylum-seeking child, "
                          "or leave the date it ended blank", field="uasc_from")
    if uasc_from and ceased and ceased < uasc_from:
        raise RecordError("The date the status ended must be on or after the date it began",
                          field="uasc_ceased_on")
    if uasc_from and birth and uasc_from < birth:
        raise RecordError("The child cannot have been unaccompanied and asylum-seeking before "
                          "they were born", field="uasc_from")
    child = core_services.update(obj=child, by=by, expected_version=expected_version,
                                 changes=changes)
    held = {d.code: d for d in Disability.objects.current().filter(person=child)}
    for code in sorted(codes - set(held)):
        disability = Disability(person=child, code=code, recorded_by=by)
        disability.full_clean()
        disability.save()
        audit.record(by, "disability.added", disability, child_id=child.pk)
    for code in sorted(set(held) - codes):
        core_services.void(obj=held[code], by=by, child_id=child.pk,
                           reason="No longer recorded on the child's details")
    return child
