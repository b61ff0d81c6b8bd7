"""Each child's open items kept beside the facts (core.open_dues) agree with the engine.

Pages that cover a team, a service or the authority read the kept rows in SQL; a page about one
child asks the engine. They must never disagree: after every kind of fact is recorded, changed
and removed through the services, on any day after, and after a rule changes.
"""
# ruff: noqa: F811 (the tests take the `world` fixture imported from test_query_counts)

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from cairn.core import names, open_dues, timescales
from cairn.core.models import OpenDue, TimescaleRule
from cairn.people.models import Child
from cairn.protection import services as protection
from cairn.protection.models import Visit
from test_query_counts import World, world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def _keys(items):
    return sorted(open_dues._key(d) for d in items)


def _agree(ids, today):
    engine = timescales.open_items(ids, today=today)
    kept = open_dues.open_items(ids, today=today)
    assert _keys(kept) == _keys(engine)
    return kept


def test_the_rows_follow_every_fact_recorded_through_the_services(world: World):
    ids = list(Child.objects.values_list("pk", flat=True))
    assert OpenDue.objects.exists()  # built as the facts were recorded, not by a rebuild
    for days in (0, 1, 30, 200, 800, 3000, 6000):  # overdue as days pass; age rules begin
        _agree(ids, world.today + timedelta(days=days))
    assert open_dues.check() == []


def test_a_fact_recorded_ends_its_item_at_once(world: World):
    child = world.latest["waiting"]  # an assessment submitted, waiting for authorisation
    before = {d.rule.code for d in _agree([child.pk], world.today)}
    assessment = child.assessments.get()
    protection.assessment_authorise(assessment=assessment, authorised_on=world.today,
                                    by=world.tm)
    after = {d.rule.code for d in _agree([child.pk], world.today)}
    assert before != after


def test_a_fact_saved_without_an_audit_event_is_in_the_rows_before_they_are_read(
        world: World):
    # A save outside the services (an import, a correction by hand) has no audit event to
    # refresh the child's rows: the next read does, in the same transaction.
    child = world.latest["waiting"]
    assessment = child.assessments.get()
    before = {d.rule.code for d in _agree([child.pk], world.today)}
    assessment.authorised_on, assessment.authorised_by = world.today, world.tm
    assessment.save()
    assert {d.rule.code for d in _agree([child.pk], world.today)} != before


def test_a_service_refreshes_the_childs_rows_once(world: World, monkeypatch):
    refreshed = []
    real = open_dues.refresh
    monkeypatch.setattr(open_dues, "refresh", lambda ids: (refreshed.append(set(ids)),
                                                           real(ids)))
    child = world.cp_plan.child  # a visit is saved as a new row, then audited
    protection.visit_record(child=child, kind=Visit.Kind.CHILD_PROTECTION,
                            visited_on=world.today, child_seen=True, child_seen_alone=True,
                            protection_plan=world.cp_plan, by=world.sw)
    assert refreshed == [{child.pk}]


def test_a_page_reads_the_rows_in_one_query_for_any_number_of_children(world: World):
    ids = Child.objects.values("pk")
    with CaptureQueriesContext(connection) as queries:
        open_dues.open_items(ids, today=world.today)
    assert len(queries) == 3  # the rules in force, the build they are under, the rows
    overdue = open_dues.overdue(ids, today=world.today)
    assert overdue.count() == sum(
        1 for d in timescales.open_items(list(Child.objects.values_list("pk", flat=True)),
                                         today=world.today)
        if d.status == timescales.Status.OVERDUE)


def test_a_rule_changed_in_a_large_authority_is_asked_of_the_engine_until_rebuilt(
        world: World, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(open_dues, "REBUILD_AT_ONCE", 3)  # "large": more children than that
    ids = list(Child.objects.values_list("pk", flat=True))
    rule = TimescaleRule.objects.get(code=names.CLA_REVIEW)
    rule.first_limit += 7
    with django_capture_on_commit_callbacks(execute=True):
        rule.save()
    assert DBTaskResult.objects.filter(task_path__endswith="rebuild_open_dues").exists()
    assert not open_dues._ready(open_dues.rules_version(timescales.active_rules()))
    _agree(ids, world.today)  # the engine's answer, with the new limit
    call_command("open_dues", "--rebuild", "--check")
    assert open_dues._ready(open_dues.rules_version(timescales.active_rules()))
    _agree(ids, world.today)


def test_a_rule_changed_in_a_small_authority_has_the_rows_built_at_once(world: World):
    rule = TimescaleRule.objects.get(code=names.CLA_REVIEW)
    rule.first_limit += 7
    rule.save()
    assert open_dues._ready(open_dues.rules_version(timescales.active_rules()))
    assert not DBTaskResult.objects.exists()
    _agree(list(Child.objects.values_list("pk", flat=True)), world.today)
    assert open_dues.check() == []
