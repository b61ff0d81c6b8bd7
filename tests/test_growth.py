"""A page's cost does not grow with the authority: the CI-sized growth check.

The served benchmark (bench/serve.py) measures each page at 15,000 and 60,000 children; this is
its check in the suite, without wall time. For every page kind in test_query_counts.PAGES, signed
in as the role that uses it, it counts the queries and the rows the database hands to Python;
then the authority grows outside that person's work (another service, its teams, staff and
children, each child with a history from contact to care) and it counts again. Both counts must
be the same: a page that reads every child's facts into Python, or lists the whole authority
without a limit, reads more rows after, even where its number of queries stays flat.
"""
# ruff: noqa: F811 (the tests take the `world` fixture imported from test_query_counts)

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.test.utils import CaptureQueriesContext

import support
from cairn.care import services as care
from cairn.casework import services as casework
from cairn.frontdoor import services as frontdoor
from cairn.frontdoor.selectors import RECENT_DECISIONS
from cairn.legal import services as legal
from cairn.legal.models import CareProceedings, OrderKind
from cairn.protection import services as protection
from cairn.protection.models import ChildProtectionConference, Visit
from cairn.workforce.models import Role, Service, Team
from test_query_counts import PAGES, World, moment, world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


class RowCounter:
    """Counts the rows every cursor hands to Python while it is open."""

    def __init__(self, monkeypatch):
        self.rows = 0
        counter = self

        def fetchone(wrapper):
            row = wrapper.cursor.fetchone()
            counter.rows += row is not None
            return row

        def fetchmany(wrapper, size=None):
            rows = (wrapper.cursor.fetchmany() if size is None
                    else wrapper.cursor.fetchmany(size))
            counter.rows += len(rows)
            return rows

        def fetchall(wrapper):
            rows = wrapper.cursor.fetchall()
            counter.rows += len(rows)
            return rows

        def iterate(wrapper):
            for row in wrapper.cursor:
                counter.rows += 1
                yield row

        for name, method in (("fetchone", fetchone), ("fetchmany", fetchmany),
                             ("fetchall", fetchall), ("__iter__", iterate)):
            monkeypatch.setattr(CursorWrapper, name, method, raising=False)


def elsewhere(world: World, r: int) -> None:
    """Another service with a team, its staff and children, each child with a history.

    Nobody in the cast works there or manages it; every child is named Hallam, so a search for
    the cast's children ("Morgan") does not find them. All of their front door work is decided,
    so nothing of theirs waits at the front door: what a whole-authority page shows is
    unchanged, and so must be what it reads.
    """
    today, fd = world.today, world.cast["front_door"]
    d = world.day
    service = Service.objects.create(name=f"North {r}")
    team = Team.objects.create(name=f"North assessment {r}", kind=Team.Kind.ASSESSMENT,
                               service=service)
    manager = support.make_staff(f"north_tm_{r}", Role.TEAM_MANAGER, team)
    workers = [support.make_staff(f"north_sw_{r}_{i}", Role.SOCIAL_WORKER, team)
               for i in range(2)]
    for i in range(4):
        sw = workers[i % 2]
        child = support.make_child(f"North{r}x{i}", "Hallam", birth_date=date(2014, 5, 1 + i))
        support.allocate(child, sw, started_on=d(700))
        contact = frontdoor.contact_record(
            child=child, received_at=moment(d(600 + i), 9), source="6",
            concerns="Police called", consent="given", by=fd)
        referral = frontdoor.contact_decision_record(
            contact=contact, decision="referral", decided_at=moment(d(600 + i), 15),
            primary_need="N1", by=fd)[1]
        assessment = protection.assessment_start(referral=referral, started_on=d(598), by=sw)
        discussion = protection.strategy_discussion_record(
            child=child, held_on=d(598), agencies_present="Police", decision="Enquiry",
            s47_agreed=True, referral=referral, by=sw)
        enquiry = protection.section47_enquiry_start(strategy_discussion=discussion,
                                                     started_on=d(598), by=sw)
        protection.safety_plan_record(child=child, made_on=d(595), safety_goal="Safe",
                                      arrangements="Aunt stays", agreed_by="Mother",
                                      childs_words="I feel safe",
                                      if_breaks_down="Call the duty team", by=sw)
        protection.section47_enquiry_complete(enquiry=enquiry, completed_on=d(590),
                                              outcome="icpc", by=sw)
        protection.assessment_submit(assessment=assessment, submitted_on=d(585), by=sw,
                                     factors=["3A"], further_action=True)
        protection.assessment_authorise(assessment=assessment, authorised_on=d(584),
                                        by=manager)
        icpc = protection.conference_record(
            kind=ChildProtectionConference.Kind.INITIAL, held_on=world.working_day(580),
            outcome="plan", section47=enquiry, child=child, by=sw)
        plan = protection.child_protection_plan_start(
            conference=icpc, initial_category_of_abuse="NEG", by=sw)
        protection.visit_record(child=child, kind=Visit.Kind.CHILD_PROTECTION,
                                visited_on=d(570), child_seen=True, child_seen_alone=True,
                                by=sw,
                                protection_plan=plan)
        protection.core_group_record(plan=plan, held_on=d(570), by=sw)
        pre = legal.pre_proceedings_start(child=child, started_on=d(300), by=manager,
                                          letter_before_proceedings_on=d(299))
        proceedings = legal.care_proceedings_issue(
            child=child, issued_on=d(200), court="Family Court at Leeds",
            application=CareProceedings.Application.CARE_ORDER, pre_proceedings=pre, by=sw)
        legal.pre_proceedings_end(pre_proceedings=pre, ended_on=d(200), outcome="proceedings",
                                  by=manager)
        hearing = legal.hearing_record(proceedings=proceedings, held_on=d(199), kind="ICO",
                                       order_made=OrderKind.INTERIM_CARE, by=sw)
        legal.court_direction_record(hearing=hearing, direction="Parenting assessment",
                                     due_on=d(30), responsible="Local authority", by=sw)
        care.episode_start(
            child=child, started_on=d(198), reason_new_episode="S", legal_status="C1",
            category_of_need="N1", placement_type="U4", placement_provider="PR1",
            home_postcode="LS1 1AA", placement_postcode="LS2 2BB", by=sw)
        care.cla_review_record(child=child, held_on=d(180), participation="PN1", by=sw)
        care.statutory_visit_record(child=child, visited_on=d(20), seen=True,
                                    seen_alone=True, by=sw)
        casework.case_note_add(child=child, by=sw, kind="visit", occurred_on=d(20),
                               subject="Visit", body="Seen at the placement")
    assert today == world.today  # the clock is the suite's


def fill_recent_decisions(world: World) -> None:
    """Decisions made yesterday, as many as the front door's recent list holds: the list is
    full before the authority grows, so what grows elsewhere (older) is not on it."""
    fd = world.cast["front_door"]
    for i in range(RECENT_DECISIONS):
        child = support.make_child(f"Recent{i}", "Morgan", birth_date=date(2012, 1, 1))
        contact = frontdoor.contact_record(child=child, received_at=moment(world.day(1), 9),
                                           source="2A", concerns="Late to school",
                                           consent="given", by=fd)
        frontdoor.contact_decide(contact=contact, decision="advice",
                                 decided_at=moment(world.day(1), 12), by=fd,
                                 reason="Advice to the school")


def reading(client, url: str, monkeypatch) -> tuple[int, int, str]:
    """(queries, rows read, html) for one request."""
    with monkeypatch.context() as patched:
        counter = RowCounter(patched)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
    assert response.status_code == 200
    return len(queries), counter.rows, response.content.decode()


@pytest.mark.parametrize("name", list(PAGES),
                         ids=[n.replace(": ", "-").replace(" ", "-") for n in PAGES])
def test_a_page_reads_the_same_rows_however_large_the_authority(name, world, monkeypatch):
    page = PAGES[name]
    client = support.client_for(world.cast[page.viewer])
    url = page.url(world)
    if name == "front door":
        fill_recent_decisions(world)
    client.get(url)  # once first: caches a process fills on first use are not the page's cost
    before = reading(client, url, monkeypatch)
    for r in range(2):
        elsewhere(world, r)
    after = reading(client, url, monkeypatch)
    assert "Hallam" not in after[2] or name.startswith("my work: performance"), (
        f"{name} shows children from elsewhere: the check would not be like for like")
    assert (after[0], after[1]) == (before[0], before[1]), (
        f"{name}: {before[0]} queries reading {before[1]} rows, then {after[0]} reading "
        f"{after[1]} after the authority grew elsewhere")


def test_the_counter_counts_rows(world, monkeypatch):
    """The check could fail: a page listing every child reads more rows as children are added."""
    from cairn.people.models import Child

    with monkeypatch.context() as patched:
        counter = RowCounter(patched)
        list(Child.objects.all())
    first = counter.rows
    support.make_child("Extra", "Hallam", birth_date=date.today() - timedelta(days=4000))
    with monkeypatch.context() as patched:
        counter = RowCounter(patched)
        list(Child.objects.all())
    assert counter.rows == first + 1
