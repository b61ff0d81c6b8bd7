from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from cairn.core import facts
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.fostering.models import PrivateFosteringArrangement, PrivateFosteringVisit
from cairn.fostering.services import private_fostering_visit_record
from cairn.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def arrangement(child):
    carer = Person.objects.create(given_name="Jo", family_name="Carer")
    return PrivateFosteringArrangement.objects.create(
        child=child, notified_on=date(2025, 3, 3), started_on=date(2025, 2, 1), carer=carer)


def test_a_visit_is_recorded_with_its_audit_row(arrangement, social_worker):
    visit = private_fostering_visit_record(arrangement=arrangement, visited_on=date(2025, 3, 5),
                                           seen=True, seen_alone=True, by=social_worker)
    assert PrivateFosteringVisit.objects.get() == visit
    assert AuditEvent.objects.get(action="pf_visit.recorded").child_id == arrangement.child_id
    child_id = arrangement.child_id
    found = facts.occurrences(["private_fostering.notified", "private_fostering.visited"],
                              [child_id])
    assert found["private_fostering.visited"][child_id][0].key == arrangement.pk
    assert found["private_fostering.notified"][child_id][0].key == arrangement.pk


def test_a_visit_before_the_notification_is_refused(arrangement, social_worker):
    with pytest.raises(RecordError, match="before the authority was told") as error:
        private_fostering_visit_record(arrangement=arrangement, visited_on=date(2025, 3, 1),
                                       seen=True, seen_alone=False, by=social_worker)
    assert error.value.field == "visited_on"
    assert not PrivateFosteringVisit.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_visit_after_the_arrangement_ended_is_refused(arrangement, social_worker):
    arrangement.ended_on, arrangement.ended_reason = date(2025, 4, 1), "Returned home"
    arrangement.save()
    with pytest.raises(RecordError, match="arrangement ended"):
        private_fostering_visit_record(arrangement=arrangement, visited_on=date(2025, 4, 2),
                                       seen=True, seen_alone=False, by=social_worker)


def test_a_child_seen_alone_was_seen(arrangement, social_worker):
    with pytest.raises(RecordError, match="seen alone was seen"):
        private_fostering_visit_record(arrangement=arrangement, visited_on=date(2025, 3, 5),
                                       seen=False, seen_alone=True, by=social_worker)


def test_a_stranger_cannot_record_a_visit(arrangement, stranger):
    with pytest.raises(PermissionDenied):
        private_fostering_visit_record(arrangement=arrangement, visited_on=date(2025, 3, 5),
                                       seen=True, seen_alone=False, by=stranger)
