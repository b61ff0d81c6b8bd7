from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.people.models import CaseNote
from cairn.people.services import case_note_add

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
