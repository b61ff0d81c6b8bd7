"""The timescale engine on facts of known dates: met, late, missed, overdue, due, repetition.

The engine is exercised here with facts registered on case notes, so the arithmetic is tested
apart from any one app; tests/test_timescale_rules.py runs each real rule on the real models.
"""

from datetime import date

import pytest
from django.db.models import Q

from cairn.core import facts
from cairn.core.models import TimescaleRule
from cairn.core.rules import DEFAULT_RULES
from cairn.core.timescales import Status, add_period, evaluate
from cairn.people.models import CaseNote, Child

pytestmark = pytest.mark.django_db
Unit = TimescaleRule.Unit

facts.register("t_start", CaseNote, date="occurred_on", where=Q(kind="meeting"), chronology=False)
facts.register("t_done", CaseNote, date="occurred_on", where=Q(kind="visit"), chronology=False)
facts.register("t_stop", CaseNote, date="occurred_on", where=Q(kind="other"), chronology=False)
facts.register("t_keyed_start", CaseNote, date="occurred_on", key="pk",
               where=Q(kind="phone"), chronology=False)
facts.register("t_keyed_done", CaseNote, date="occurred_on", key="version",
               where=Q(kind="correspondence"), chronology=False)


@pytest.fixture
def child():
    return Child.objects.create(given_name="Ada", family_name="Test", la_child_id="T1",
                                birth_date=date(2015, 6, 1))


def note(child, kind, on, subject="x"):
    return CaseNote.objects.create(child=child, kind=kind, occurred_on=on, subject=subject,
                                   body="-")


def rule(**kw):
    base = dict(code="t", name="Test rule", starts="t_start", finishes="t_done", stops="t_stop",
                first_limit=10, first_unit=Unit.WORKING_DAYS)
    return TimescaleRule(**{**base, **kw})


def run(child, r, today):
    return [(d.sequence, d.due_on, d.met_on, d.status)
            for d in evaluate([child.pk], today=today, rules=[r])]


def test_one_shot_met_on_time(child):
    note(child, "meeting", date(2026, 3, 2))
    note(child, "visit", date(2026, 3, 16))
    assert run(child, rule(), date(2026, 6, 1)) == [
        (1, date(2026, 3, 16), date(2026, 3, 16), Status.MET)]


def test_one_shot_late(child):
    note(child, "meeting", date(2026, 3, 2))
    note(child, "visit", date(2026, 3, 17))
    assert run(child, rule(), date(2026, 6, 1))[0][3] == Status.LATE


@pytest.mark.parametrize("today, status", [
    (date(2026, 3, 3), Status.DUE), (date(2026, 3, 12), Status.DUE_SOON),
    (date(2026, 3, 16), Status.DUE_SOON), (date(2026, 3, 17), Status.OVERDUE)])
def test_not_yet_done(child, today, status):
    note(child, "meeting", date(2026, 3, 2))
    assert run(child, rule(), today) == [(1, date(2026, 3, 16), None, status)]


def test_a_stop_before_the_due_date_ends_the_clock(child):
    note(child, "meeting", date(2026, 3, 2))
    note(child, "other", date(2026, 3, 5))
    assert run(child, rule(), date(2026, 6, 1)) == []


def test_a_stop_after_the_due_date_leaves_it_missed(child):
    note(child, "meeting", date(2026, 3, 2))
    note(child, "other", date(2026, 3, 20))
    assert run(child, rule(), date(2026, 6, 1)) == [(1, date(2026, 3, 16), None, Status.MISSED)]


def test_repetition_counts_from_the_actual_previous_occurrence(child):
    # CLA review shape: 20 WD, then 3 months, then every 6 months.
    r = rule(first_limit=20, then_limit=3, then_unit=Unit.MONTHS, repeat_limit=6,
             repeat_unit=Unit.MONTHS)
    note(child, "meeting", date(2026, 1, 5))
    note(child, "visit", date(2026, 2, 6))  # due 2 Feb: late
    note(child, "visit", date(2026, 5, 1))  # due 6 May: met
    assert run(child, r, date(2026, 6, 1)) == [
        (1, date(2026, 2, 2), date(2026, 2, 6), Status.LATE),
        (2, date(2026, 5, 6), date(2026, 5, 1), Status.MET),
        (3, date(2026, 11, 1), None, Status.DUE),
    ]


def test_later_interval_applies_after_a_year(child):
    r = rule(first_limit=7, first_unit=Unit.WORKING_DAYS, repeat_limit=6, repeat_unit=Unit.WEEKS,
             later_limit=12, later_unit=Unit.WEEKS)
    note(child, "meeting", date(2025, 1, 6))
    note(child, "visit", date(2026, 1, 12))  # first visit very late, more than a year in
    due = evaluate([child.pk], today=date(2026, 2, 1), rules=[r])
    assert due[-1].due_on == date(2026, 4, 6)  # 12 weeks, not 6


def test_each_new_start_restarts_an_unkeyed_chain(child):
    # Statutory visits restart at each placement.
    r = rule(first_limit=7, first_unit=Unit.DAYS, repeat_limit=6, repeat_unit=Unit.WEEKS)
    note(child, "meeting", date(2026, 1, 1))
    note(child, "visit", date(2026, 1, 5))
    note(child, "meeting", date(2026, 2, 1))  # a new placement
    rows = run(child, r, date(2026, 2, 3))
    assert rows == [
        (1, date(2026, 1, 8), date(2026, 1, 5), Status.MET),
        (1, date(2026, 2, 8), None, Status.DUE_SOON),
    ]


def test_keyed_facts_pair_with_their_own_start(child):
    first = note(child, "phone", date(2026, 3, 2))
    second = note(child, "phone", date(2026, 3, 3))
    answer = note(child, "correspondence", date(2026, 3, 4))
    CaseNote.objects.filter(pk=answer.pk).update(version=second.pk)  # answers the second
    r = rule(starts="t_keyed_start", finishes="t_keyed_done", stops="", first_limit=1)
    rows = {(d.clock_from, d.status) for d in evaluate([child.pk], today=date(2026, 3, 10),
                                                       rules=[r])}
    assert rows == {(date(2026, 3, 2), Status.OVERDUE), (date(2026, 3, 3), Status.MET)}
    assert first.pk != second.pk


def test_age_bounds_choose_the_interval(child):
    # Review health assessments: every 6 months under 5, yearly from 5.
    baby = Child.objects.create(given_name="Bo", family_name="Test", la_child_id="T2",
                                birth_date=date(2024, 1, 1))
    under5 = rule(first_limit=6, first_unit=Unit.MONTHS, max_age=5, stops="")
    over5 = rule(first_limit=12, first_unit=Unit.MONTHS, min_age=5, stops="")
    for who in (child, baby):
        note(who, "meeting", date(2026, 1, 10))
    due = evaluate([child.pk, baby.pk], today=date(2026, 2, 1), rules=[under5, over5])
    assert {(d.child_id, d.due_on) for d in due} == {
        (baby.pk, date(2026, 7, 10)), (child.pk, date(2027, 1, 10))}


def test_facts_read_once_for_many_purposes_give_the_same_timescales(
        child, django_assert_num_queries):
    # A page that reads a child's facts for the chronology hands them to the engine, which
    # reads only what it lacks (the birth date here) and leaves out the other children.
    other = Child.objects.create(given_name="Bo", family_name="Test", la_child_id="T3",
                                 birth_date=date(2016, 1, 1))
    rules = [rule(), rule(code="aged", first_limit=6, first_unit=Unit.MONTHS, min_age=5,
                          stops="")]
    for who in (child, other):
        note(who, "meeting", date(2026, 3, 2))
    note(child, "visit", date(2026, 3, 20))
    alone = evaluate([child.pk], today=date(2026, 6, 1), rules=rules)
    found = facts.occurrences(["t_start", "t_done", "t_stop"], [child.pk, other.pk])
    with django_assert_num_queries(1):  # the birth date, which `found` lacks
        shared = evaluate([child.pk], today=date(2026, 6, 1), rules=rules, found=found)
    assert shared == alone
    assert {d.child_id for d in shared} == {child.pk}
    assert {d.rule.code for d in shared} == {"t", "aged"}


def test_voided_facts_do_not_count(child):
    from django.utils import timezone
    note(child, "meeting", date(2026, 3, 2))
    done = note(child, "visit", date(2026, 3, 5))
    CaseNote.objects.filter(pk=done.pk).update(voided_at=timezone.now())
    assert run(child, rule(), date(2026, 6, 1))[0][3] == Status.OVERDUE


@pytest.mark.parametrize("start, limit, unit, expected", [
    (date(2026, 1, 31), 1, Unit.MONTHS, date(2026, 2, 28)),
    (date(2026, 3, 2), 72, Unit.HOURS, date(2026, 3, 5)),
    (date(2026, 10, 1), 1, Unit.TERMS, date(2027, 4, 15)),
    (date(2026, 2, 1), 1, Unit.TERMS, date(2026, 7, 31)),
    (date(2026, 6, 1), 1, Unit.TERMS, date(2026, 12, 31)),
    (date(2026, 3, 2), 26, Unit.WEEKS, date(2026, 8, 31)),
])
def test_units(start, limit, unit, expected):
    assert add_period(start, limit, unit) == expected


def test_default_rules_are_loaded_and_name_registered_facts():
    from cairn.core.facts import REGISTRY

    assert TimescaleRule.objects.count() >= len(DEFAULT_RULES)
    for r in DEFAULT_RULES:
        for name in [r["starts"], r["finishes"], *filter(None, r.get("stops", "").split(","))]:
            assert name in REGISTRY, f"{r['code']}: no fact named {name}"


def test_the_chronology_names_coded_details_by_their_labels(child):
    from cairn.frontdoor.models import Referral

    Referral.objects.create(child=child, received_on=date(2026, 3, 2), source="2A",
                            primary_need="N1")
    [entry] = [o for o in facts.chronology(child.pk) if o.fact == "referral.received"]
    assert entry.detail == "Schools"
