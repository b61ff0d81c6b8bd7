"""One shape for a period: the database's constraints, open()/open_on(), end_period and the
refusal of a second open period (on SQLite and PostgreSQL alike)."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

import support
from cairn.care.models import DeprivationOfLibertyOrder, LookedAfterEpisode
from cairn.core import facts, names
from cairn.core import services as core_services
from cairn.core.errors import RecordError, StaleRecord
from cairn.core.models import AuditEvent
from cairn.core.periods import Period
from cairn.fostering.models import (
    FosteringApproval,
    FosteringHousehold,
    PrivateFosteringArrangement,
)
from cairn.frontdoor.models import EarlyHelpEpisode, Referral
from cairn.leaving_care.models import LeavingCareEligibility
from cairn.legal.models import CareProceedings, LegalOrder, PreProceedings
from cairn.people.models import Person
from cairn.protection.models import ChildProtectionPlan, CINPlan

pytestmark = pytest.mark.django_db

PERIODS = sorted((m for m in apps.get_models() if issubclass(m, Period)),
                 key=lambda m: m._meta.label)
ONE_OPEN = {"frontdoor.Referral", "frontdoor.EarlyHelpEpisode", "protection.CINPlan",
            "protection.ChildProtectionPlan", "legal.PreProceedings", "legal.CareProceedings",
            "care.LookedAfterEpisode", "care.DeprivationOfLibertyOrder",
            "leaving_care.LeavingCareEligibility", "fostering.FosteringApproval",
            "fostering.PrivateFosteringArrangement"}


def test_every_period_keeps_the_constraints_its_shape_declares():
    assert {m._meta.label for m in PERIODS} == ONE_OPEN | {"legal.LegalOrder"}
    for model in PERIODS:
        shape = model.period
        declared = {c.name: c for c in model._meta.constraints}
        for constraint in shape.constraints():
            assert declared.get(constraint.name) == constraint, (model, constraint.name)
        assert (f"{shape.name}_one_open" in declared) == (model._meta.label in ONE_OPEN)


# Rows made straight into the database, as the returns' importer and the synthetic authority do:
# the constraints hold whatever writes them.

def cin_plan(child, start=date(2025, 1, 6), end=None, **fields):
    referral = Referral.objects.create(child=child, received_on=date(2025, 1, 2), source="1",
                                       nfa=True)
    return CINPlan.objects.create(child=child, referral=referral, started_on=start,
                                  ended_on=end, **fields)


def refused(make, constraint: str):
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        make()
    assert constraint in str(error.value) or "UNIQUE" in str(error.value).upper()


def test_the_database_holds_one_open_cin_plan_per_child(child):
    first = cin_plan(child)
    refused(lambda: cin_plan(child, start=date(2025, 2, 1)), "cinplan_one_open")
    # An ended plan, or one entered in error, leaves room for the next.
    first.ended_on = date(2025, 3, 1)
    first.save()
    second = cin_plan(child, start=date(2025, 3, 2))
    second.voided_at = timezone.now()
    second.save()
    assert cin_plan(child, start=date(2025, 3, 3)).is_open
    assert CINPlan.objects.open().count() == 1


def test_a_referral_with_no_further_action_is_not_counted_as_the_open_episode(child):
    Referral.objects.create(child=child, received_on=date(2025, 1, 2), source="1")
    Referral.objects.create(child=child, received_on=date(2025, 1, 3), source="1", nfa=True)
    refused(lambda: Referral.objects.create(child=child, received_on=date(2025, 1, 4),
                                            source="1"), "referral_one_open")


def test_one_open_is_per_household_for_fostering_approval():
    household = FosteringHousehold.objects.create(name="The Okafors")
    FosteringApproval.objects.create(household=household, approved_on=date(2024, 5, 1),
                                     places=2)
    refused(lambda: FosteringApproval.objects.create(
        household=household, approved_on=date(2025, 5, 1), places=3),
        "fostering_approval_one_open")
    other = FosteringHousehold.objects.create(name="The Lees")
    FosteringApproval.objects.create(household=other, approved_on=date(2025, 5, 1), places=1)


def test_orders_may_run_side_by_side(child):
    LegalOrder.objects.create(child=child, kind="CO", made_on=date(2025, 1, 6))
    LegalOrder.objects.create(child=child, kind="PO", made_on=date(2025, 6, 2))
    assert LegalOrder.objects.open().count() == 2


def test_a_period_ends_on_or_after_it_starts(child):
    refused(lambda: cin_plan(child, end=date(2025, 1, 5)), "cinplan_ends_after_start")
    assert not cin_plan(child, end=date(2025, 1, 6)).is_open  # the same day is allowed


def test_a_protection_plan_ends_after_the_day_it_starts(child):
    plan = dict(child=child, started_on=date(2025, 1, 6), initial_category_of_abuse="NEG",
                end_reason="safe")
    refused(lambda: ChildProtectionPlan.objects.create(ended_on=date(2025, 1, 6), **plan),
            "cpp_ends_after_start")
    ChildProtectionPlan.objects.create(ended_on=date(2025, 1, 7), **plan)


def test_an_ended_period_has_its_reason_and_an_open_one_has_none(child):
    proceedings = dict(child=child, issued_on=date(2025, 1, 6), court="Family Court",
                       application="care")
    refused(lambda: CareProceedings.objects.create(concluded_on=date(2025, 6, 2), **proceedings),
            "proceedings_end_has_reason")
    refused(lambda: CareProceedings.objects.create(final_order="CO", **proceedings),
            "proceedings_end_has_reason")
    CareProceedings.objects.create(concluded_on=date(2025, 6, 2), final_order="CO",
                                   **proceedings)


def test_open_and_open_on(child):
    ended = cin_plan(child, start=date(2025, 1, 6), end=date(2025, 2, 3))
    running = cin_plan(child, start=date(2025, 3, 3))
    assert list(CINPlan.objects.open()) == [running]
    assert list(CINPlan.objects.open_on(date(2025, 1, 5))) == []
    assert list(CINPlan.objects.open_on(date(2025, 2, 3))) == [ended]  # its last day
    assert list(CINPlan.objects.open_on(date(2025, 2, 4))) == []
    assert list(CINPlan.objects.open_on(date(2025, 3, 3))) == [running]
    running.voided_at = timezone.now()
    running.save()
    assert not CINPlan.objects.open().exists()
    assert not CINPlan.objects.open_on(date(2025, 3, 3)).exists()


def test_open_and_open_on_read_each_kind_s_own_fields(child):
    order = LegalOrder.objects.create(child=child, kind="CO", made_on=date(2025, 1, 6),
                                      ended_on=date(2025, 5, 1))
    assert (order.period_start, order.period_end) == (date(2025, 1, 6), date(2025, 5, 1))
    assert list(LegalOrder.objects.open_on(date(2025, 5, 1))) == [order]
    assert not LegalOrder.objects.open_on(date(2025, 1, 5)).exists()
    assert not LegalOrder.objects.open().exists()


# save_period: the database's refusal of a second open period, as a message.

def test_a_second_open_period_the_service_did_not_see_is_a_record_error(child):
    pre = PreProceedings.objects.create(child=child, started_on=date(2025, 1, 6))
    # As if a second request had checked before the first saved: it reaches the INSERT.
    second = PreProceedings(child=child, started_on=date(2025, 1, 7))
    with transaction.atomic():
        with pytest.raises(RecordError) as error:
            core_services.save_period(second)
        # The savepoint leaves the caller's transaction usable.
        assert PreProceedings.objects.get() == pre
    assert error.value.message == "This child already has open pre-proceedings"
    assert error.value.field == "started_on"
    assert PreProceedings.objects.count() == 1


def test_save_period_passes_on_any_other_integrity_error(child):
    with pytest.raises(IntegrityError):
        core_services.save_period(PreProceedings(child=child, started_on=date(2025, 1, 6),
                                                 ended_on=date(2025, 1, 5), outcome="other"))


# end_period

@pytest.fixture
def proceedings(child, social_worker):
    from cairn.legal import services as legal_services

    return legal_services.care_proceedings_issue(child=child, issued_on=date(2025, 1, 6),
                                                 court="Family Court", application="care",
                                                 by=social_worker)


def test_end_period_ends_it_with_its_reason_audit_row_and_fact(proceedings, social_worker):
    core_services.end_period(proceedings, on=date(2025, 6, 2), reason="SO", by=social_worker)
    stored = CareProceedings.objects.get()
    assert (stored.concluded_on, stored.final_order, stored.version) == (
        date(2025, 6, 2), "SO", 2)
    assert proceedings.version == 2 and not proceedings.is_open
    event = AuditEvent.objects.get(action="care_proceedings.concluded")
    assert (event.kind, event.actor, event.child_id) == (
        AuditEvent.Kind.CHANGED, social_worker, proceedings.child_id)
    assert (event.before["concluded_on"], event.after["concluded_on"]) == (None, "2025-06-02")
    concluded = names.CARE_PROCEEDINGS_CONCLUDED  # the audit action is the fact's name
    assert event.action == concluded
    found = facts.occurrences([concluded], [proceedings.child_id])
    assert [(o.on, o.pk) for o in found[concluded][proceedings.child_id]] == [
        (date(2025, 6, 2), proceedings.pk)]


def test_end_period_refuses_a_stale_version(proceedings, social_worker):
    with pytest.raises(StaleRecord):
        core_services.end_period(proceedings, on=date(2025, 6, 2), reason="SO",
                                 by=social_worker, expected_version=proceedings.version - 1)
    behind = CareProceedings.objects.get()
    CareProceedings.objects.filter(pk=behind.pk).update(version=5)  # someone else saved
    with pytest.raises(StaleRecord):
        core_services.end_period(behind, on=date(2025, 6, 2), reason="SO", by=social_worker)
    assert behind.concluded_on is None
    assert CareProceedings.objects.get().concluded_on is None
    assert not AuditEvent.objects.filter(action="care_proceedings.concluded").exists()


def test_end_period_ends_a_period_once(proceedings, social_worker):
    other_copy = CareProceedings.objects.get()
    core_services.end_period(proceedings, on=date(2025, 6, 2), reason="SO", by=social_worker)
    with pytest.raises(RecordError, match="The care proceedings already concluded on "
                                          "2 June 2025") as error:
        core_services.end_period(other_copy, on=date(2025, 7, 1), reason="CO", by=social_worker)
    assert error.value.field == "concluded_on"
    assert CareProceedings.objects.get().final_order == "SO"


@pytest.mark.parametrize("on, reason, message, field", [
    (date(2025, 1, 5), "SO", "The care proceedings cannot conclude before they were issued "
                             "(6 January 2025)", "concluded_on"),
    (None, "SO", "The date the care proceedings concluded cannot be in the future",
     "concluded_on"),
    (date(2025, 6, 2), " ", "Choose why the care proceedings concluded", "final_order"),
])
def test_end_period_keeps_the_rules_every_period_keeps(proceedings, social_worker, on, reason,
                                                       message, field):
    on = on or timezone.localdate() + timedelta(days=1)
    with pytest.raises(RecordError) as error:
        core_services.end_period(proceedings, on=on, reason=reason, by=social_worker)
    assert (error.value.message, error.value.field) == (message, field)
    assert (proceedings.concluded_on, proceedings.final_order) == (None, "")
    assert CareProceedings.objects.get().version == 1


def test_end_period_refuses_a_period_removed_from_the_record(child, social_worker):
    plan = cin_plan(child)
    core_services.void(obj=plan, by=social_worker, reason="Wrong child")
    with pytest.raises(RecordError, match="The child in need plan has been removed"):
        core_services.end_period(plan, on=date(2025, 2, 1), by=social_worker)


def test_end_period_runs_the_stage_s_rules_on_the_stored_row(proceedings, social_worker):
    seen = []

    def rules(stored):
        seen.append(stored.version)
        raise RecordError("Not today", field="concluded_on")

    with pytest.raises(RecordError, match="Not today"):
        core_services.end_period(proceedings, on=date(2025, 6, 2), reason="SO",
                                 by=social_worker, rules=rules)
    assert seen == [1]
    assert CareProceedings.objects.get().concluded_on is None


def test_end_period_saves_the_changes_that_go_with_the_end(child, social_worker):
    episode = LookedAfterEpisode.objects.create(
        child=child, started_on=date(2025, 1, 6), reason_new_episode="S", legal_status="C2",
        category_of_need="N1", placement_type="U6", placement_provider="PR1")
    core_services.end_period(episode, on=date(2025, 3, 1), reason="E4A", by=social_worker,
                             changes={"reason_place_change": "CARPL"})
    stored = LookedAfterEpisode.objects.get()
    assert (stored.ended_on, stored.reason_ceased, stored.reason_place_change) == (
        date(2025, 3, 1), "E4A", "CARPL")
    assert AuditEvent.objects.get().action == "episode.ended"


def test_a_period_with_no_reason_takes_none(child, social_worker):
    plan = cin_plan(child)
    with pytest.raises(ValueError):
        core_services.end_period(plan, on=date(2025, 2, 1), reason="Done", by=social_worker)
    core_services.end_period(plan, on=date(2025, 2, 1), by=social_worker)
    assert CINPlan.objects.get().ended_on == date(2025, 2, 1)


def _carer():
    return Person.objects.create(given_name="Jo", family_name="Carer")


# One open row of each kind for `child`, starting on `day`.
OPEN_ROW = {
    EarlyHelpEpisode: lambda child, day: EarlyHelpEpisode.objects.create(
        child=child, started_on=day, organisation="Family Hub North"),
    ChildProtectionPlan: lambda child, day: ChildProtectionPlan.objects.create(
        child=child, started_on=day, initial_category_of_abuse="NEG"),
    PreProceedings: lambda child, day: PreProceedings.objects.create(child=child,
                                                                     started_on=day),
    CareProceedings: lambda child, day: CareProceedings.objects.create(
        child=child, issued_on=day, court="Family Court", application="care"),
    LookedAfterEpisode: lambda child, day: LookedAfterEpisode.objects.create(
        child=child, started_on=day, reason_new_episode="S", legal_status="C2",
        category_of_need="N1", placement_type="U6", placement_provider="PR1"),
    DeprivationOfLibertyOrder: lambda child, day: DeprivationOfLibertyOrder.objects.create(
        child=child, started_on=day, authorised_by="High Court"),
    LeavingCareEligibility: lambda child, day: LeavingCareEligibility.objects.create(
        child=child, started_on=day, category="relevant"),
    PrivateFosteringArrangement: lambda child, day: PrivateFosteringArrangement.objects.create(
        child=child, notified_on=day, started_on=day, carer=_carer()),
}


@pytest.mark.parametrize("model", OPEN_ROW, ids=lambda m: m.__name__)
def test_the_database_holds_one_open_period_per_child(child, model):
    first = OPEN_ROW[model](child, date(2025, 1, 6))
    refused(lambda: OPEN_ROW[model](child, date(2025, 2, 3)), f"{model.period.name}_one_open")
    OPEN_ROW[model](support.make_child("Sam", "Other"), date(2025, 2, 3))  # another child's
    first.voided_at = timezone.now()
    first.save()
    assert OPEN_ROW[model](child, date(2025, 2, 3)).is_open
