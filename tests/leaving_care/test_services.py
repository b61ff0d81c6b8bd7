from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from cairn.core import facts
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.leaving_care.models import (
    CareLeaverAccommodation,
    LeavingCareEligibility,
    PathwayPlan,
    PathwayPlanReview,
    PersonalAdviserContact,
)
from cairn.leaving_care.services import personal_adviser_contact_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def care_leaver(child):
    LeavingCareEligibility.objects.create(child=child, category="former_relevant",
                                          started_on=date(2025, 3, 1))
    return child


def test_a_contact_is_recorded_with_its_audit_row(care_leaver, social_worker):
    contact = personal_adviser_contact_record(child=care_leaver, contacted_on=date(2025, 4, 1),
                                              in_touch="YES", by=social_worker)
    assert contact.adviser == social_worker
    assert AuditEvent.objects.get(action="pa_contact.recorded").child_id == care_leaver.pk
    found = facts.occurrences(["pa_contact.in_touch"], [care_leaver.pk])
    occurrence = found["pa_contact.in_touch"][care_leaver.pk]
    assert occurrence[0].detail == "In touch"


def test_a_contact_before_eligibility_is_refused(care_leaver, social_worker):
    with pytest.raises(RecordError, match="not eligible for leaving care support") as error:
        personal_adviser_contact_record(child=care_leaver, contacted_on=date(2025, 2, 1),
                                        in_touch="YES", by=social_worker)
    assert error.value.field == "contacted_on"
    assert not PersonalAdviserContact.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_contact_cannot_be_in_the_future(care_leaver, social_worker):
    with pytest.raises(RecordError, match="cannot be in the future"):
        personal_adviser_contact_record(child=care_leaver, contacted_on=date(2099, 1, 1),
                                        in_touch="YES", by=social_worker)


def test_a_stranger_cannot_record_a_contact(care_leaver, stranger):
    with pytest.raises(PermissionDenied):
        personal_adviser_contact_record(child=care_leaver, contacted_on=date(2025, 4, 1),
                                        in_touch="YES", by=stranger)


def test_pathway_plan_facts(care_leaver):
    plan = PathwayPlan.objects.create(child=care_leaver, made_on=date(2025, 3, 10),
                                      young_person_participated=True)
    PathwayPlanReview.objects.create(plan=plan, reviewed_on=date(2025, 9, 1),
                                     young_person_participated=True)
    found = facts.occurrences(["pathway_plan.made", "pathway_plan.reviewed",
                               "leaving_care.started"], [care_leaver.pk])
    assert found["pathway_plan.reviewed"][care_leaver.pk][0].on == date(2025, 9, 1)
    assert found["leaving_care.started"][care_leaver.pk][0].detail == "Former relevant"


def test_accommodation_code_carries_its_suitability(care_leaver):
    row = CareLeaverAccommodation(child=care_leaver, from_on=date(2025, 4, 1), accommodation="D1")
    row.full_clean()
    assert row.suitable
    assert not CareLeaverAccommodation(accommodation="S2").suitable
