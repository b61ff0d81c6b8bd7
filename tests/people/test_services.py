from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

import support
from cairn.casework.services import case_note_add, relationship_add
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.people.models import CaseNote, Person, Relationship

pytestmark = pytest.mark.django_db


def _note(**overrides):
    fields = dict(kind=CaseNote.Kind.VISIT, occurred_on=date(2026, 1, 5), subject="Home visit",
                  body="Saw Alex in the kitchen.", child_seen=True, child_seen_alone=False)
    return {**fields, **overrides}


def test_case_note_is_recorded_with_its_audit_row(child, social_worker):
    note = case_note_add(child=child, by=social_worker, **_note())
    assert note.recorded_by == social_worker and note.child == child
    event = AuditEvent.objects.get(action="case_note.added")
    assert event.actor == social_worker and event.child_id == child.pk
    assert event.after["subject"] == "Home visit"


def test_case_note_cannot_be_dated_in_the_future(child, social_worker):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(RecordError, match="today or in the past") as caught:
        case_note_add(child=child, by=social_worker, **_note(occurred_on=tomorrow))
    assert caught.value.field == "occurred_on"
    assert not CaseNote.objects.exists() and not AuditEvent.objects.exists()


def test_child_seen_alone_must_have_been_seen(child, social_worker):
    with pytest.raises(RecordError, match="seen alone") as caught:
        case_note_add(child=child, by=social_worker,
                      **_note(child_seen=False, child_seen_alone=True))
    assert caught.value.field == "child_seen_alone"
    assert not CaseNote.objects.exists()


def test_a_stranger_cannot_add_a_case_note(child, stranger):
    with pytest.raises(PermissionDenied):
        case_note_add(child=child, by=stranger, **_note())
    assert not CaseNote.objects.exists() and not AuditEvent.objects.exists()


def test_an_empty_subject_is_refused_by_full_clean(child, social_worker):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        case_note_add(child=child, by=social_worker, **_note(subject="  "))
    assert not CaseNote.objects.exists()


# Linking a person to a child's family network ---------------------------------------------------

def test_a_person_is_linked_to_a_child_with_an_audit_row(child, social_worker):
    gran = Person.objects.create(given_name="June", family_name="Morgan")
    link = relationship_add(child=child, person=gran, kind=Relationship.Kind.GRANDPARENT,
                            by=social_worker, notes="  Collects Alex on Fridays ")
    assert (link.child, link.person, link.kind, link.notes) == (
        child, gran, "grandparent", "Collects Alex on Fridays")
    assert link.recorded_by == social_worker
    event = AuditEvent.objects.get(action="relationship.added")
    assert (event.actor, event.child_id, event.object_id) == (social_worker, child.pk,
                                                              str(link.pk))


def test_the_same_person_is_never_linked_to_a_child_twice(child, social_worker):
    mum = Person.objects.create(given_name="Kerry", family_name="Morgan")
    relationship_add(child=child, person=mum, kind=Relationship.Kind.MOTHER, by=social_worker)
    with pytest.raises(RecordError, match="Kerry Morgan is already linked to Alex Morgan as "
                                          "mother") as caught:
        relationship_add(child=child, person=mum, kind=Relationship.Kind.CARER,
                         by=social_worker)
    assert caught.value.field == "person"
    assert Relationship.objects.count() == 1
    assert AuditEvent.objects.filter(action="relationship.added").count() == 1


def test_a_child_is_not_linked_to_themselves_nor_with_an_unknown_relationship(
        child, social_worker):
    with pytest.raises(RecordError, match="cannot be linked to themselves"):
        relationship_add(child=child, person=child, kind=Relationship.Kind.SIBLING,
                         by=social_worker)
    with pytest.raises(RecordError, match="Choose how June Morgan is related") as caught:
        relationship_add(child=child, by=social_worker, kind="cousin",
                         person=Person.objects.create(given_name="June", family_name="Morgan"))
    assert caught.value.field == "kind"
    assert not Relationship.objects.exists() and not AuditEvent.objects.exists()


def test_a_person_hidden_from_the_worker_cannot_be_linked(child, social_worker, stranger,
                                                         restricted_child):
    hidden_adult = Person.objects.create(given_name="Pat", family_name="Hale", restricted=True)
    with pytest.raises(PermissionDenied):
        relationship_add(child=child, person=hidden_adult, kind=Relationship.Kind.FATHER,
                         by=social_worker)
    # A restricted child is hidden from a worker in another team: they cannot link to them.
    other_child = support.make_child("Sam", "Hale")
    support.allocate(other_child, stranger)
    with pytest.raises(PermissionDenied):
        relationship_add(child=other_child, person=restricted_child,
                         kind=Relationship.Kind.SIBLING, by=stranger)
    # Nor can a worker record on a child who is not theirs.
    with pytest.raises(PermissionDenied):
        relationship_add(child=child, person=Person.objects.create(given_name="Lee",
                                                                   family_name="Hale"),
                         kind=Relationship.Kind.PARENTS_PARTNER, by=stranger)
    assert not Relationship.objects.exists() and not AuditEvent.objects.exists()
