"""The record's mark (core.changes) moves on every committed change to the record, whatever
wrote it, and on nothing else; figures kept against it are never read stale."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import support
from cairn.core import audit, changes
from cairn.insight import dashboard, indicators
from cairn.people.models import Child

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_change_committed_moves_the_mark(social_worker):
    before = changes.mark(connection)
    support.make_child("Ada")
    after = changes.mark(connection)
    assert after is not None and after != before


def test_the_mark_moves_once_a_transaction_commits_and_not_before(social_worker):
    child = support.make_child("Ada")
    before = changes.mark(connection)
    with transaction.atomic():
        Child.objects.filter(pk=child.pk).update(given_name="Ada May")
        # The writer's own uncommitted change: no kept figure may be read.
        assert changes.mark(connection) is None
    assert changes.mark(connection) not in (None, before)


def test_a_rolled_back_change_leaves_the_mark(social_worker):
    child = support.make_child("Ada")
    before = changes.mark(connection)
    with transaction.atomic():
        Child.objects.filter(pk=child.pk).update(given_name="Ada May")
        transaction.set_rollback(True)
    assert changes.mark(connection) == before


def test_bulk_writes_move_the_mark(social_worker):
    before = changes.mark(connection)
    Child.objects.bulk_create([Child(given_name="Bo", family_name="Lee")])
    assert changes.mark(connection) != before


def test_pages_viewed_do_not_move_the_mark(social_worker, child):
    before = changes.mark(connection)
    audit.viewed(social_worker, child, page="/children/")
    Session.objects.create(session_key="x" * 32, session_data="",
                           expire_date=timezone.now())
    assert changes.mark(connection) == before


def test_a_figure_is_counted_once_until_the_record_changes(social_worker, child):
    ind = indicators.REGISTRY["cin_referrals"]
    period = dashboard.as_of(timezone.localdate())
    first = dashboard.figures([(ind, period)], dashboard.WHOLE)
    with CaptureQueriesContext(connection) as kept:
        again = dashboard.figures([(ind, period)], dashboard.WHOLE)
    assert again == first
    assert not any("frontdoor_referral" in q["sql"] for q in kept.captured_queries)

    support.make_child("Ada")  # any change: the figure is counted again
    with CaptureQueriesContext(connection) as counted:
        dashboard.figures([(ind, period)], dashboard.WHOLE)
    assert any("frontdoor_referral" in q["sql"] for q in counted.captured_queries)
