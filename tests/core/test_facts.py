"""The facts registry reads occurrences with SQL compiled once per shape: each read must still
answer for the children it is asked about, whichever children the SQL was first compiled for."""

from datetime import date

import pytest
from django.db import connection

import support
from cairn.core import facts
from cairn.people.models import CaseNote

pytestmark = pytest.mark.django_db


def note(child, by, on, subject, seen=False):
    return CaseNote.objects.create(child=child, kind="visit", occurred_on=on, subject=subject,
                                   body="Notes", child_seen=seen, recorded_by=by)


def test_the_same_shape_of_read_answers_for_other_children(social_worker):
    a, b, c, d = (support.make_child() for _ in range(4))
    note(a, social_worker, date(2026, 1, 5), "A first")
    note(b, social_worker, date(2026, 2, 6), "B first", seen=True)
    note(c, social_worker, date(2026, 3, 7), "C first", seen=True)
    note(c, social_worker, date(2026, 3, 1), "C earlier")
    note(d, social_worker, date(2026, 4, 8), "D first")
    names = ["case_note.added", "case_note.child_seen"]

    def read(*children):
        found = facts.occurrences(names, [k.pk for k in children])
        return {(name, child, o.on, o.detail) for name, by_child in found.items()
                for child, items in by_child.items() for o in items}

    first = read(a, b)
    assert first == {("case_note.added", a.pk, date(2026, 1, 5), "A first"),
                     ("case_note.added", b.pk, date(2026, 2, 6), "B first"),
                     ("case_note.child_seen", b.pk, date(2026, 2, 6), "")}
    # Two children again: the compiled SQL is reused with these children's ids.
    assert read(c, d) == {("case_note.added", c.pk, date(2026, 3, 1), "C earlier"),
                          ("case_note.added", c.pk, date(2026, 3, 7), "C first"),
                          ("case_note.added", d.pk, date(2026, 4, 8), "D first"),
                          ("case_note.child_seen", c.pk, date(2026, 3, 7), "")}
    assert read(a, b) == first
    # Lists come back in date order, and no children means no query at all.
    found = facts.occurrences(["case_note.added"], [c.pk])["case_note.added"][c.pk]
    assert [o.detail for o in found] == ["C earlier", "C first"]
    assert facts.occurrences(names, []) == {"case_note.added": {}, "case_note.child_seen": {}}


def test_registering_a_fact_forgets_the_compiled_reads(social_worker):
    child = support.make_child()
    note(child, social_worker, date(2026, 5, 5), "Seen at school", seen=True)
    facts.occurrences(["case_note.child_seen"], [child.pk])
    original = facts.REGISTRY["case_note.child_seen"]
    try:
        facts.register("case_note.child_seen", CaseNote, date="occurred_on", label="Child seen",
                       detail="subject")
        found = facts.occurrences(["case_note.child_seen"],
                                  [child.pk])["case_note.child_seen"][child.pk]
        assert [o.detail for o in found] == ["Seen at school"]
    finally:
        facts.REGISTRY["case_note.child_seen"] = original
        facts._batch_sql.cache_clear()


def test_no_facts_asked_for_means_no_query(social_worker, django_assert_num_queries):
    # My work of a role that answers for no rule (a fostering worker, on PostgreSQL) asks for
    # no facts about the children it holds: nothing to read, and no error.
    child = support.make_child()
    with django_assert_num_queries(0):
        assert facts.occurrences([], [child.pk]) == {}
        assert facts.occurrences([]) == {}


def test_a_read_asked_again_answers_the_same_from_its_prepared_statement(social_worker):
    # On PostgreSQL the union is prepared once per connection and its plan kept (planning
    # some fifty branches cost more than running them): the sixth and later runs use the kept
    # plan, and must answer as the first did, for whichever children they are asked about.
    a, b = support.make_child(), support.make_child()
    note(a, social_worker, date(2026, 1, 5), "A first")
    note(b, social_worker, date(2026, 2, 6), "B first", seen=True)
    names = ["case_note.added", "case_note.child_seen", "person.born"]
    runs = [facts.occurrences(names, [k.pk]) for _ in range(4) for k in (a, b)]
    assert all(run == runs[0] for run in runs[0::2]) and all(run == runs[1] for run in runs[1::2])
    assert [o.detail for o in runs[1]["case_note.added"][b.pk]] == ["B first"]
    assert not runs[1]["case_note.added"].get(a.pk)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT generic_plans + custom_plans FROM pg_prepared_statements "
                           "WHERE statement LIKE %s", ["%fact_name%people_casenote%people_person%"])
            assert sum(n for n, in cursor.fetchall()) >= len(runs)
