"""A double submit: two requests starting the same period at once leave one open row, and the
second is told why in plain English, never a server error.

On PostgreSQL the two requests are held until both have passed the service's own check, so the
second reaches the INSERT and the database's one-open constraint refuses it (core.periods). On
SQLite writers are serialised (each transaction begins IMMEDIATE), so the second finds the
first's row in that check; the test runs there too and asks the same of the outcome.
"""

import re
import threading
from datetime import date

import pytest
from django.db import connection, connections
from django.db.models.signals import pre_save

from cairn.care import services as care_services
from cairn.care.models import LookedAfterEpisode
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.frontdoor import services as frontdoor_services
from cairn.frontdoor.models import Referral
from cairn.legal import services as legal_services
from cairn.legal.models import CareProceedings
from cairn.protection import services as protection_services
from cairn.protection.models import CINPlan

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 60  # seconds; a safety net for a broken test, never reached when it passes


def race(model, start) -> list:
    """Run `start()` in two threads at once, each on its own connection and in its own
    transaction, and return what each got: the saved row or the RecordError."""
    at_the_line = threading.Barrier(2)
    at_the_insert = threading.Barrier(2)

    def hold(sender, instance, **kwargs):
        if instance.pk is None:  # both have passed the service's check: now both insert
            at_the_insert.wait(WAIT)

    def run(slot: int) -> None:
        try:
            at_the_line.wait(WAIT)
            results[slot] = start()
        except RecordError as error:
            results[slot] = error
        except Exception as error:  # noqa: BLE001 - the test reports it as the failure
            results[slot] = error
        finally:
            connections.close_all()

    results: list = [None, None]
    postgres = connection.vendor == "postgresql"
    if postgres:
        pre_save.connect(hold, sender=model, weak=False, dispatch_uid="double_submit")
    threads = [threading.Thread(target=run, args=(slot,)) for slot in (0, 1)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT * 2)
    finally:
        if postgres:
            pre_save.disconnect(sender=model, dispatch_uid="double_submit")
    assert not any(thread.is_alive() for thread in threads)
    return results


def one_saved_one_told(results, model, checked: str):
    """One request saved its row; the other was told, by the database's constraint on
    PostgreSQL, or on SQLite by the service's own check (whose message matches `checked`)."""
    saved = [r for r in results if isinstance(r, model)]
    told = [r for r in results if isinstance(r, RecordError)]
    assert len(saved) == 1 and len(told) == 1, results
    if connection.vendor == "postgresql":
        assert told[0].message == model.period.open_message
    else:
        assert re.search(checked, told[0].message), told[0].message
    return saved[0], told[0]


def test_two_referrals_at_once(child, social_worker):
    results = race(Referral, lambda: frontdoor_services.referral_record(
        child=child, received_on=date(2025, 3, 3), source="2A", by=social_worker))
    referral, error = one_saved_one_told(
        results, Referral, "^This child already has an open referral, received on 3 March")
    assert error.field == "received_on"
    assert list(Referral.objects.open()) == [referral]
    assert AuditEvent.objects.filter(action="referral.received").count() == 1


def test_two_child_in_need_plans_at_once(child, social_worker):
    referral = frontdoor_services.referral_record(child=child, received_on=date(2025, 3, 3),
                                                  source="2A", by=social_worker)
    results = race(CINPlan, lambda: protection_services.cin_plan_start(
        referral=referral, started_on=date(2025, 3, 10), by=social_worker,
        childs_words="I want my mum to be happy"))
    plan, error = one_saved_one_told(results, CINPlan,
                                     "^This child already has an open child in need plan$")
    assert error.field == "started_on"
    assert list(CINPlan.objects.open()) == [plan]
    assert AuditEvent.objects.filter(action="cin_plan.started").count() == 1


def test_two_care_proceedings_at_once(child, social_worker):
    results = race(CareProceedings, lambda: legal_services.care_proceedings_issue(
        child=child, issued_on=date(2025, 3, 3), court="Family Court", application="care",
        by=social_worker))
    proceedings, error = one_saved_one_told(
        results, CareProceedings, "^This child already has care proceedings under way$")
    assert error.field == "issued_on"
    assert list(CareProceedings.objects.open()) == [proceedings]


def test_two_periods_of_care_started_at_once(child, social_worker):
    results = race(LookedAfterEpisode, lambda: care_services.episode_start(
        child=child, started_on=date(2025, 3, 3), reason_new_episode="S", legal_status="C2",
        category_of_need="N1", placement_type="U6", placement_provider="PR1",
        by=social_worker))
    episode, error = one_saved_one_told(results, LookedAfterEpisode,
                                        "^Alex Morgan is already looked after")
    assert error.field in ("started_on", "reason_new_episode")
    assert list(LookedAfterEpisode.objects.open()) == [episode]
    assert AuditEvent.objects.filter(action="episode.started").count() == 1
