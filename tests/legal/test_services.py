from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from cairn.core import facts
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.legal import selectors, services
from cairn.legal.models import (
    CareProceedings,
    CourtDirection,
    Hearing,
    LegalOrder,
    OrderKind,
    PreProceedings,
    PreProceedingsReview,
    ProceedingsExtension,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plo(child, social_worker):
    return services.pre_proceedings_start(child=child, started_on=date(2026, 1, 5),
                                          letter_before_proceedings_on=date(2026, 1, 6),
                                          by=social_worker)


@pytest.fixture
def proceedings(child, plo, social_worker):
    return services.care_proceedings_issue(
        child=child, pre_proceedings=plo, issued_on=date(2026, 3, 2), court="Family Court",
        application=CareProceedings.Application.CARE_ORDER, by=social_worker)


@pytest.fixture
def cmh(proceedings, social_worker):
    return services.hearing_record(proceedings=proceedings, held_on=date(2026, 3, 16),
                                   kind=Hearing.Kind.CMH, by=social_worker)


def test_letter_before_proceedings_follows_the_start(child, social_worker):
    with pytest.raises(RecordError, match="letter before proceedings") as error:
        services.pre_proceedings_start(child=child, started_on=date(2026, 1, 5),
                                       letter_before_proceedings_on=date(2026, 1, 4),
                                       by=social_worker)
    assert error.value.field == "letter_before_proceedings_on"
    assert not PreProceedings.objects.exists()
    assert not AuditEvent.objects.exists()


def test_plo_review_and_end(plo, social_worker):
    with pytest.raises(RecordError, match="before pre-proceedings started"):
        services.pre_proceedings_review_record(pre_proceedings=plo, held_on=date(2026, 1, 4),
                                               progress="-", decision="continue",
                                               by=social_worker)
    services.pre_proceedings_review_record(pre_proceedings=plo, held_on=date(2026, 2, 16),
                                           progress="Some change", decision="continue",
                                           by=social_worker)
    with pytest.raises(RecordError, match="cannot end before they started"):
        services.pre_proceedings_end(pre_proceedings=plo, ended_on=date(2026, 1, 1),
                                     outcome="diverted", by=social_worker)
    services.pre_proceedings_end(pre_proceedings=plo, ended_on=date(2026, 3, 2),
                                 outcome=PreProceedings.Outcome.PROCEEDINGS, by=social_worker)
    found = facts.occurrences(["pre_proceedings.started", "pre_proceedings.reviewed",
                               "pre_proceedings.ended"], [plo.child_id])
    assert found["pre_proceedings.reviewed"][plo.child_id][0].key == plo.pk
    assert found["pre_proceedings.ended"][plo.child_id][0].on == date(2026, 3, 2)
    assert PreProceedingsReview.objects.count() == 1


def test_care_proceedings_issue(proceedings, social_worker):
    assert CareProceedings.objects.get() == proceedings
    assert AuditEvent.objects.filter(action="care_proceedings.issued").count() == 1
    # The timescale engine dates it: 26 weeks from issue under the default rule.
    assert selectors.proceedings_due(proceedings).due_on == date(2026, 8, 31)


def test_proceedings_cannot_be_issued_before_pre_proceedings(child, plo, social_worker):
    with pytest.raises(RecordError, match="before pre-proceedings started") as error:
        services.care_proceedings_issue(
            child=child, pre_proceedings=plo, issued_on=date(2026, 1, 2), court="Family Court",
            application=CareProceedings.Application.CARE_ORDER, by=social_worker)
    assert error.value.field == "issued_on"
    assert not CareProceedings.objects.exists()


def test_one_set_of_proceedings_at_a_time(proceedings, child, social_worker):
    with pytest.raises(RecordError, match="already has care proceedings"):
        services.care_proceedings_issue(
            child=child, issued_on=date(2026, 3, 9), court="Family Court",
            application=CareProceedings.Application.CARE_ORDER, by=social_worker)


def test_a_stranger_cannot_issue(child, stranger):
    with pytest.raises(PermissionDenied):
        services.care_proceedings_issue(
            child=child, issued_on=date(2026, 3, 9), court="Family Court",
            application=CareProceedings.Application.CARE_ORDER, by=stranger)


def test_hearing_cannot_precede_issue(proceedings, social_worker):
    with pytest.raises(RecordError, match="before the proceedings were issued") as error:
        services.hearing_record(proceedings=proceedings, held_on=date(2026, 3, 1),
                                kind=Hearing.Kind.CMH, by=social_worker)
    assert error.value.field == "held_on"


def test_court_direction_record(cmh, social_worker):
    item = services.court_direction_record(hearing=cmh, direction="File parenting assessment",
                                           due_on=date(2026, 4, 27), responsible="Local authority",
                                           by=social_worker)
    assert CourtDirection.objects.get() == item
    assert AuditEvent.objects.filter(action="court_direction.recorded").exists()
    services.court_direction_comply(item=item, complied_on=date(2026, 4, 24), by=social_worker)
    item.refresh_from_db()
    assert item.met is True and item.version == 2


def test_court_direction_cannot_be_due_before_its_hearing(cmh, social_worker):
    with pytest.raises(RecordError, match="due before the hearing") as error:
        services.court_direction_record(hearing=cmh, direction="File statement",
                                        due_on=date(2026, 3, 15), by=social_worker)
    assert error.value.field == "due_on"
    with pytest.raises(RecordError, match="Enter what the court directed"):
        services.court_direction_record(hearing=cmh, direction=" ", due_on=date(2026, 4, 1),
                                        by=social_worker)
    assert not CourtDirection.objects.exists()


def test_extensions_are_at_most_eight_weeks(proceedings, social_worker):
    with pytest.raises(RecordError, match="from 1 to 8 weeks") as error:
        services.proceedings_extension_grant(proceedings=proceedings,
                                             granted_on=date(2026, 8, 20), weeks=9,
                                             reason="Expert report late", by=social_worker)
    assert error.value.field == "weeks"
    with transaction.atomic(), pytest.raises(IntegrityError):
        ProceedingsExtension.objects.create(child=proceedings.child, proceedings=proceedings,
                                            granted_on=date(2026, 8, 20), weeks=9, reason="x")
    services.proceedings_extension_grant(proceedings=proceedings, granted_on=date(2026, 8, 20),
                                         weeks=8, reason="Expert report late", by=social_worker)
    assert selectors.proceedings_due(proceedings).due_on == date(2026, 10, 26)


def test_proceedings_conclude_after_issue_with_an_order(proceedings, social_worker):
    with pytest.raises(RecordError, match="before they were issued"):
        services.care_proceedings_conclude(proceedings=proceedings,
                                           concluded_on=date(2026, 3, 1),
                                           final_order=OrderKind.CARE, by=social_worker)
    services.care_proceedings_conclude(proceedings=proceedings, concluded_on=date(2026, 8, 24),
                                       final_order=OrderKind.CARE, by=social_worker)
    found = facts.occurrences(["care_proceedings.issued", "care_proceedings.concluded"],
                              [proceedings.child_id])
    assert found["care_proceedings.concluded"][proceedings.child_id][0].key == proceedings.pk


def test_orders_and_emergency_protection_in_the_last_six_months(child, social_worker):
    with pytest.raises(RecordError, match="cannot end before it was made") as error:
        services.legal_order_record(child=child, kind=OrderKind.EMERGENCY_PROTECTION,
                                    made_on=date(2026, 2, 1), ended_on=date(2026, 1, 31),
                                    court="Family Court", by=social_worker)
    assert error.value.field == "ended_on"
    services.legal_order_record(child=child, kind=OrderKind.POLICE_PROTECTION,
                                made_on=date(2026, 2, 1), ended_on=date(2026, 2, 3),
                                police_force="Avon and Somerset Police",
                                removed_at=timezone.make_aware(datetime(2026, 2, 1, 9, 0)),
                                by=social_worker)
    assert list(selectors.emergency_protection_children(as_of=date(2026, 8, 1))) == [
        {"child_id": child.pk}]
    assert not selectors.emergency_protection_children(as_of=date(2026, 8, 4)).exists()
    found = facts.occurrences(["legal_order.made"], [child.pk])["legal_order.made"][child.pk]
    assert found[0].detail == "Police protection"
    assert LegalOrder.objects.count() == 1


def test_every_legal_fact_is_registered():
    for name in ("pre_proceedings.started", "pre_proceedings.reviewed", "pre_proceedings.ended",
                 "care_proceedings.issued", "care_proceedings.concluded", "hearing.held",
                 "legal_order.made"):
        assert name in facts.REGISTRY, name
