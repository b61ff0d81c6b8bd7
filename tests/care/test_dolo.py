"""Deprivation of liberty orders (SSDA903 DoLo from 2026-27): recorded against the child's care,
with the DfE rules 700-710 that are about the facts refused in plain English."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from cairn.care import services
from cairn.care.models import DeprivationOfLibertyOrder
from cairn.core import facts
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent

pytestmark = pytest.mark.django_db
COURT = "High Court, Family Division"


@pytest.fixture
def in_home(child, social_worker):
    """In care from 6 January 2025, in a children's home (K2) from 1 March 2025."""
    services.episode_start(
        child=child, started_on=date(2025, 1, 6), reason_new_episode="S", legal_status="C2",
        category_of_need="N1", placement_type="U6", placement_provider="PR1",
        placement_postcode="TW1 1AF", by=social_worker)
    services.placement_change(child=child, changed_on=date(2025, 3, 1), placement_type="K2",
                              placement_provider="PR4", placement_postcode="SW1 1AA",
                              reason_place_change="CARPL", by=social_worker)
    return child


def record(child, by, started_on=date(2025, 4, 1), **over):
    return services.deprivation_of_liberty_record(
        child=child, started_on=started_on, authorised_by=over.pop("authorised_by", COURT),
        by=by, **over)


def test_an_order_is_recorded_with_its_audit_row_and_in_the_chronology(in_home, social_worker):
    order = record(in_home, social_worker)
    assert (order.started_on, order.ended_on, order.authorised_by) == (
        date(2025, 4, 1), None, COURT)
    event = AuditEvent.objects.get(action="dolo.started")
    assert event.child_id == in_home.pk and event.actor == social_worker
    services.deprivation_of_liberty_end(order=order, ended_on=date(2025, 9, 30),
                                        expected_version=1, by=social_worker)
    order.refresh_from_db()
    assert (order.ended_on, order.version) == (date(2025, 9, 30), 2)
    assert AuditEvent.objects.get(action="dolo.ended").before["ended_on"] is None
    assert {"dolo.started", "dolo.ended"} <= set(facts.REGISTRY)
    assert facts.REGISTRY["dolo.started"].model is DeprivationOfLibertyOrder


@pytest.mark.parametrize("over, message, field", [
    ({"started_on": date(2024, 12, 1)}, "was not looked after on 1 December 2024", "started_on"),
    ({"started_on": date(2015, 6, 1)}, "cannot start on or before the child's date of birth",
     "started_on"),
    ({"ended_on": date(2025, 4, 1)}, "must end after the day it started", "ended_on"),
    ({"authorised_by": "  "}, "Enter the court or body", "authorised_by"),
    ({"started_on": date(2099, 1, 1)}, "cannot be in the future", "started_on"),
])
def test_an_order_that_breaks_a_rule_is_refused_whole(in_home, social_worker, over, message,
                                                       field):
    with pytest.raises(RecordError, match=message) as error:
        record(in_home, social_worker, **over)
    assert error.value.field == field
    assert not DeprivationOfLibertyOrder.objects.exists()
    assert not AuditEvent.objects.filter(action="dolo.started").exists()


def test_no_order_starts_while_another_is_in_force(in_home, social_worker):  # rule 705
    record(in_home, social_worker)
    with pytest.raises(RecordError, match="order made on 1 April 2025, which is still in force"):
        record(in_home, social_worker, started_on=date(2025, 6, 1))
    assert DeprivationOfLibertyOrder.objects.count() == 1


def test_an_order_may_start_the_day_the_last_one_ended(in_home, social_worker):
    record(in_home, social_worker, ended_on=date(2025, 6, 1))
    assert record(in_home, social_worker, started_on=date(2025, 6, 1)).ended_on is None


def test_not_in_a_placement_rule_710_forbids(child, social_worker):
    services.episode_start(
        child=child, started_on=date(2025, 1, 6), reason_new_episode="S", legal_status="C2",
        category_of_need="N1", placement_type="K1", placement_provider="PR2",
        placement_postcode="TW1 1AF", by=social_worker)
    with pytest.raises(RecordError, match="cannot be placed there") as error:
        record(child, social_worker)
    assert "secure children's home" in error.value.message


def test_a_move_to_a_forbidden_placement_is_refused_while_an_order_is_in_force(in_home,
                                                                               social_worker):
    record(in_home, social_worker)
    with pytest.raises(RecordError, match="cannot be placed in a young offender") as error:
        services.placement_change(child=in_home, changed_on=date(2025, 5, 1),
                                  placement_type="R5", placement_provider="PR3",
                                  placement_postcode="SW1 1AA", reason_place_change="CUSTOD",
                                  by=social_worker)
    assert error.value.field == "placement_type"


def test_care_cannot_end_while_an_order_is_in_force(in_home, social_worker):  # rule 707
    order = record(in_home, social_worker)
    episode = in_home.episodes.get(ended_on__isnull=True)
    with pytest.raises(RecordError, match="is still in force: record when it ended first"):
        services.period_of_care_end(episode=episode, ended_on=date(2025, 8, 1),
                                    reason_ceased="E4A", by=social_worker)
    services.deprivation_of_liberty_end(order=order, ended_on=date(2025, 7, 1), by=social_worker)
    services.period_of_care_end(episode=episode, ended_on=date(2025, 8, 1), reason_ceased="E4A",
                                by=social_worker)
    with pytest.raises(RecordError, match="stopped being looked after on 1 August 2025"):
        record(in_home, social_worker, started_on=date(2025, 7, 2), ended_on=date(2025, 9, 1))


def test_an_order_ends_once(in_home, social_worker):
    order = record(in_home, social_worker, ended_on=date(2025, 5, 1))
    with pytest.raises(RecordError, match="already ended"):
        services.deprivation_of_liberty_end(order=order, ended_on=date(2025, 6, 1),
                                            by=social_worker)


def test_a_stranger_cannot_record_an_order(in_home, stranger):
    with pytest.raises(PermissionDenied):
        record(in_home, stranger)


def test_the_database_refuses_an_order_ending_before_it_starts(in_home, social_worker):
    with pytest.raises(IntegrityError), transaction.atomic():
        DeprivationOfLibertyOrder.objects.create(
            child=in_home, started_on=date(2025, 4, 1), ended_on=date(2025, 3, 1),
            authorised_by=COURT, recorded_by=social_worker)
