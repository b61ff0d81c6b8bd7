"""The audit trail and the shared writes: nothing is lost, everything is attributable."""

from datetime import date, timedelta

import pytest
from django.db import transaction

from cairn.core import audit, services
from cairn.core.errors import RecordError, StaleRecord
from cairn.core.models import AuditEvent, Draft
from cairn.people.models import Person
from cairn.workforce.models import Allocation

pytestmark = pytest.mark.django_db


@pytest.fixture
def allocation(child):
    return Allocation.objects.get(child=child)


# audit ------------------------------------------------------------------------------------------

def test_snapshot_keeps_stored_values_in_a_json_friendly_form(allocation, social_worker):
    snap = audit.snapshot(allocation)
    assert snap["started_on"] == allocation.started_on.isoformat()
    assert snap["worker_id"] == social_worker.pk
    assert snap["recorded_at"] == allocation.recorded_at.isoformat()
    social_worker.refresh_from_db()
    assert audit.snapshot(social_worker)["fte"] == "1.00"  # a Decimal, kept as text


def test_record_writes_who_what_and_the_child(allocation, social_worker, child):
    event = audit.record(social_worker, "allocation.started", allocation)
    event.refresh_from_db()
    assert event.kind == AuditEvent.Kind.CREATED
    assert event.actor == social_worker
    assert (event.object_type, event.object_id) == ("workforce.allocation", str(allocation.pk))
    assert event.child_id == child.pk
    assert event.after["started_on"] == allocation.started_on.isoformat()
    assert event.before is None


def test_record_of_a_child_points_at_the_child_itself(child, social_worker):
    assert audit.record(social_worker, "child.created", child).child_id == child.pk


def test_record_of_an_adult_concerns_no_child(social_worker):
    parent = Person.objects.create(given_name="Dana", family_name="Morgan")
    assert audit.record(social_worker, "person.created", parent).child_id is None


def test_viewed_logs_the_page(child, social_worker):
    audit.viewed(social_worker, child, "/children/1/" + "x" * 400)
    event = AuditEvent.objects.get()
    assert (event.kind, event.actor, event.child_id) == (
        AuditEvent.Kind.VIEWED, social_worker, child.pk)
    assert len(event.page) == 300


def test_an_audit_row_rolls_back_with_its_change(child, social_worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(social_worker, "child.changed", child)
        raise RuntimeError("the service failed after auditing")
    assert not AuditEvent.objects.exists()


# void ---------------------------------------------------------------------------------------------

def test_void_keeps_the_row_and_writes_before_and_after(allocation, team_manager):
    services.void(obj=allocation, by=team_manager, reason="  Allocated to the wrong child ")
    allocation.refresh_from_db()
    assert Allocation.objects.filter(pk=allocation.pk).exists()
    assert not Allocation.objects.current().filter(pk=allocation.pk).exists()
    assert allocation.voided_by == team_manager
    assert allocation.void_reason == "Allocated to the wrong child"
    assert allocation.version == 2
    event = AuditEvent.objects.get()
    assert event.kind == AuditEvent.Kind.VOIDED
    assert event.action == "allocation.voided"
    assert event.actor == team_manager
    assert event.before["voided_at"] is None and event.before["version"] == 1
    assert event.after["voided_at"] is not None and event.after["version"] == 2
    assert event.after["voided_by_id"] == team_manager.pk
    assert "wrong child" in event.reason


def test_void_needs_a_reason(allocation, team_manager):
    with pytest.raises(RecordError, match="Enter why") as raised:
        services.void(obj=allocation, by=team_manager, reason="   ")
    assert raised.value.field == "reason"
    allocation.refresh_from_db()
    assert allocation.voided_at is None
    assert not AuditEvent.objects.exists()


def test_void_twice_is_refused(allocation, team_manager):
    services.void(obj=allocation, by=team_manager, reason="Duplicate")
    with pytest.raises(RecordError, match="already been removed"):
        services.void(obj=allocation, by=team_manager, reason="Again")
    assert AuditEvent.objects.count() == 1


# update -------------------------------------------------------------------------------------------

def test_update_changes_the_row_bumps_the_version_and_keeps_before(allocation, social_worker):
    ended = date.today() + timedelta(days=1)
    services.update(obj=allocation, by=social_worker, expected_version=1,
                    changes={"ended_on": ended, "end_reason": "MANAGE"}, reason="Case closed")
    allocation.refresh_from_db()
    assert (allocation.ended_on, allocation.version) == (ended, 2)
    event = AuditEvent.objects.get()
    assert event.kind == AuditEvent.Kind.CHANGED
    assert event.action == "allocation.changed"
    assert event.before["ended_on"] is None and event.before["version"] == 1
    assert event.after["ended_on"] == ended.isoformat() and event.after["version"] == 2
    assert event.reason == "Case closed"


def test_update_raises_stale_record_when_someone_saved_first(allocation, social_worker,
                                                            team_manager):
    first_read = Allocation.objects.get(pk=allocation.pk)
    second_read = Allocation.objects.get(pk=allocation.pk)
    services.update(obj=first_read, by=team_manager, expected_version=1,
                    changes={"end_reason": "MANAGE"})
    with pytest.raises(StaleRecord, match="changed this allocation while you were editing"):
        services.update(obj=second_read, by=social_worker, expected_version=1,
                        changes={"end_reason": "LEFTRL"})
    allocation.refresh_from_db()
    assert (allocation.end_reason, allocation.version) == ("MANAGE", 2)
    assert AuditEvent.objects.count() == 1  # the refused save left no trace but the refusal


def test_stale_record_is_a_record_error():
    assert issubclass(StaleRecord, RecordError)


def test_update_validates_before_writing(allocation, social_worker):
    with pytest.raises(RecordError, match="not a valid choice|valid"):
        services.update(obj=allocation, by=social_worker, expected_version=1,
                        changes={"end_reason": "NOT-A-CODE"})
    assert Allocation.objects.get(pk=allocation.pk).version == 1
    assert not AuditEvent.objects.exists()


# no hard delete -----------------------------------------------------------------------------------

def test_deleting_a_fact_raises_and_keeps_it(allocation, child):
    with pytest.raises(RuntimeError, match="never deleted"):
        allocation.delete()
    with pytest.raises(RuntimeError, match="never deleted"):
        child.delete()
    assert Allocation.objects.filter(pk=allocation.pk).exists()


def test_deleting_facts_in_bulk_raises(allocation):
    with pytest.raises(RuntimeError, match="never deleted"):
        Allocation.objects.filter(pk=allocation.pk).delete()
    assert Allocation.objects.filter(pk=allocation.pk).exists()


# drafts -------------------------------------------------------------------------------------------

def test_a_draft_is_kept_per_form_and_replaced(social_worker):
    services.draft_save(owner=social_worker, key="/children/1/visit/", data={"note": "Saw"})
    services.draft_save(owner=social_worker, key="/children/1/visit/", data={"note": "Saw Alex"})
    assert Draft.objects.get().data == {"note": "Saw Alex"}
    services.draft_discard(owner=social_worker, key="/children/1/visit/")
    assert not Draft.objects.exists()


def test_a_refused_update_leaves_the_callers_object_as_stored(allocation, social_worker):
    services.update(obj=Allocation.objects.get(pk=allocation.pk), by=social_worker,
                    expected_version=1, changes={"end_reason": "MANAGE"})
    with pytest.raises(StaleRecord):
        services.update(obj=allocation, by=social_worker, expected_version=1,
                        changes={"end_reason": "OTHERS"})
    assert allocation.end_reason == ""
    assert Allocation.objects.get(pk=allocation.pk).end_reason == "MANAGE"


def test_a_voided_fact_cannot_be_changed(allocation, social_worker):
    services.void(obj=allocation, by=social_worker, reason="Entered on the wrong child")
    with pytest.raises(RecordError, match="removed from the record"):
        services.update(obj=allocation, by=social_worker, expected_version=2,
                        changes={"end_reason": "MANAGE"})


def test_passwords_never_enter_the_audit_trail(social_worker):
    assert "password" not in audit.snapshot(social_worker)
