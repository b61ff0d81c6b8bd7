"""Correcting the record: removing a chronology entry made in error, who may, and what follows
(the chronology and timescales forget it; the removed-entries list remembers it)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.access import policy
from cairn.casework.correction import removable
from cairn.core import facts, timescales
from cairn.core.models import AuditEvent
from cairn.core.working_days import add_working_days
from cairn.protection.models import CategoryOfAbuse, ChildProtectionPlan, Visit
from cairn.workforce.models import Role
from support import allocate, client_for, make_child, make_staff

pytestmark = pytest.mark.django_db

PLAN_START = date(2026, 9, 7)
FIRST_VISIT = add_working_days(PLAN_START, 5)
SECOND_VISIT = add_working_days(FIRST_VISIT, 8)


@pytest.fixture
def plan(child, social_worker):
    return ChildProtectionPlan.objects.create(
        child=child, started_on=PLAN_START, recorded_by=social_worker,
        initial_category_of_abuse=CategoryOfAbuse.NEGLECT)


def visit(plan, by, on, **fields):
    return Visit.objects.create(child=plan.child, protection_plan=plan, visited_on=on,
                                kind=Visit.Kind.CHILD_PROTECTION, child_seen=True,
                                recorded_by=by, **fields)


@pytest.fixture
def visits(plan, social_worker):
    return visit(plan, social_worker, FIRST_VISIT), visit(plan, social_worker, SECOND_VISIT)


def url(entry, fact="cp_plan.visited"):
    return reverse("entry_remove", args=[entry.child_id, fact, entry.pk])


def remove(staff, entry, reason="Recorded on the wrong child's record", fact="cp_plan.visited",
           version=None):
    return client_for(staff).post(url(entry, fact), {
        "reason": reason, "version": entry.version if version is None else version})


def next_visit_due(child) -> date:
    items = [d for d in timescales.evaluate([child.pk]) if d.rule.code == "cp-visit"]
    return next(d.due_on for d in items if d.met_on is None)


def yesterday():
    return timezone.now() - timedelta(days=1)


# Who may remove an entry ---------------------------------------------------------------------

def test_the_recorder_may_remove_their_own_entry_on_the_day(visits, social_worker):
    first, _ = visits
    assert remove(social_worker, first).status_code == 302
    first.refresh_from_db()
    assert first.voided_at and first.voided_by == social_worker


def test_the_recorder_may_not_remove_their_entry_after_the_day(visits, social_worker):
    first, _ = visits
    Visit.objects.filter(pk=first.pk).update(recorded_at=yesterday())
    assert remove(social_worker, first).status_code == 403
    assert client_for(social_worker).get(url(first)).status_code == 403
    first.refresh_from_db()
    assert first.voided_at is None


def test_a_colleague_may_not_remove_someone_elses_entry(visits, team):
    colleague = make_staff("cal_colleague", Role.SOCIAL_WORKER, team)
    first, _ = visits
    allocate(first.child, colleague)
    assert remove(colleague, first).status_code == 403
    assert Visit.objects.current().count() == 2


@pytest.mark.parametrize("manager", ["team_manager", "service_manager"])
def test_a_manager_in_the_childs_line_may_remove_any_entry(visits, manager, request):
    staff = request.getfixturevalue(manager)
    first, _ = visits
    Visit.objects.filter(pk=first.pk).update(recorded_at=timezone.now() - timedelta(days=90))
    first.refresh_from_db()
    assert remove(staff, first).status_code == 302
    assert Visit.objects.current().count() == 1


def test_a_manager_outside_the_childs_line_gets_404_and_is_logged(visits, other_team):
    outsider = make_staff("oli_outside", Role.TEAM_MANAGER, other_team)
    other_team.manager = outsider
    other_team.save()
    first, _ = visits
    assert remove(outsider, first).status_code == 404
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED, actor=outsider,
                                     child_id=first.child_id).exists()
    assert Visit.objects.current().count() == 2


def test_a_stranger_gets_404_and_is_logged(visits, stranger):
    first, _ = visits
    assert client_for(stranger).get(url(first)).status_code == 404
    assert remove(stranger, first).status_code == 404
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED, actor=stranger).count() == 2
    assert Visit.objects.current().count() == 2


def test_an_auditor_who_may_read_the_record_may_not_remove_from_it(visits, auditor):
    first, _ = visits
    assert remove(auditor, first).status_code == 404
    assert Visit.objects.current().count() == 2


def test_the_policy_says_so_without_a_page(child, social_worker, team_manager, auditor):
    now = timezone.now()
    mine_today = {"recorded_by_id": social_worker.pk, "recorded_at": now}
    assert policy.may_correct(social_worker, child, **mine_today)
    assert not policy.may_correct(social_worker, child, recorded_by_id=social_worker.pk,
                                  recorded_at=yesterday())
    assert not policy.may_correct(social_worker, child, recorded_by_id=None, recorded_at=now)
    assert policy.may_correct(team_manager, child, recorded_by_id=None, recorded_at=None)
    assert not policy.may_correct(auditor, child, recorded_by_id=auditor.pk, recorded_at=now)


# Which entries may be named ------------------------------------------------------------------

def test_an_unknown_fact_name_is_404(visits, team_manager):
    first, _ = visits
    assert remove(team_manager, first, fact="no_such_fact").status_code == 404
    assert client_for(team_manager).get(url(first, "no_such_fact")).status_code == 404


def test_a_fact_that_does_not_describe_the_row_is_404(visits, team_manager):
    first, _ = visits  # a child protection visit is not a child in need visit
    assert remove(team_manager, first, fact="cin_plan.visited").status_code == 404
    assert Visit.objects.current().count() == 2


def test_an_entry_of_another_child_is_404(visits, team_manager, social_worker):
    first, _ = visits
    other = make_child("Kit", "Other")
    allocate(other, social_worker)
    response = client_for(team_manager).post(
        reverse("entry_remove", args=[other.pk, "cp_plan.visited", first.pk]),
        {"reason": "Wrong child", "version": first.version})
    assert response.status_code == 404
    assert Visit.objects.current().count() == 2


# The page ------------------------------------------------------------------------------------

def test_the_page_shows_what_will_be_removed(visits, social_worker):
    first, _ = visits
    response = client_for(social_worker).get(url(first))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Remove an entry made in error" in page
    assert "Child protection visit" in page and f"{FIRST_VISIT:%-d %B %Y}" in page
    assert "Sam" in page or str(social_worker) in page


def test_a_reason_is_required_and_the_entry_stays(visits, social_worker):
    first, _ = visits
    response = remove(social_worker, first, reason="  ")
    assert response.status_code == 200
    assert "Enter why this entry is being removed from the record" in response.content.decode()
    assert response.content.decode().count("govuk-error-summary") >= 1
    first.refresh_from_db()
    assert first.voided_at is None
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.VOIDED).exists()


def test_a_stale_version_gives_the_conflict_message(visits, social_worker, team_manager):
    first, _ = visits
    read_at = first.version
    Visit.objects.filter(pk=first.pk).update(version=read_at + 1, notes="Changed meanwhile")
    response = remove(social_worker, first, version=read_at)
    page = response.content.decode()
    assert response.status_code == 200
    assert "changed this" in page and "Your changes have not been saved" in page
    assert f'value="{read_at + 1}"' in page  # saving again is a deliberate choice
    assert "Recorded on the wrong child" in page  # what was typed is kept
    first.refresh_from_db()
    assert first.voided_at is None


def test_an_entry_removed_meanwhile_is_said_so(visits, social_worker, team_manager):
    first, _ = visits
    assert remove(team_manager, first).status_code == 302
    response = remove(social_worker, first, version=first.version)
    assert "already been removed" in response.content.decode()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.VOIDED).count() == 1


# What follows a removal ----------------------------------------------------------------------

def test_the_entry_leaves_the_chronology_and_the_next_visit_falls_due_earlier(
        visits, social_worker):
    first, second = visits
    assert next_visit_due(first.child) == add_working_days(SECOND_VISIT, 10)
    assert remove(social_worker, second).status_code == 302
    assert next_visit_due(first.child) == add_working_days(FIRST_VISIT, 10)
    chronology = facts.chronology(first.child_id)
    assert [(o.fact, o.on) for o in chronology if o.fact == "cp_plan.visited"] == [
        ("cp_plan.visited", FIRST_VISIT)]
    second.refresh_from_db()
    assert second.voided_at is not None  # voided, never deleted
    assert Visit.objects.filter(pk=second.pk).exists()


def test_the_audit_event_holds_the_reason_and_the_child(visits, social_worker):
    _, second = visits
    remove(social_worker, second, reason="Saved twice")
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.VOIDED)
    assert event.reason == "Saved twice"
    assert event.actor == social_worker
    assert event.child_id == second.child_id
    assert event.object_id == str(second.pk)
    assert event.before["voided_at"] is None and event.after["voided_at"] is not None


def test_the_chronology_lists_the_removed_entry_with_who_when_and_why(visits, social_worker):
    _, second = visits
    remove(social_worker, second, reason="Saved twice")
    response = client_for(social_worker).get(reverse("child_chronology",
                                                     args=[second.child_id]))
    removed = response.context["removed"]
    assert [(r.what, r.on, r.by, r.reason) for r in removed] == [
        ("Child protection visit", SECOND_VISIT, social_worker, "Saved twice")]
    page = response.content.decode()
    assert "Removed entries" in page and "Saved twice" in page


def test_the_chronology_links_only_the_entries_the_viewer_may_remove(
        plan, social_worker, team_manager, django_assert_max_num_queries):
    mine = visit(plan, social_worker, FIRST_VISIT)
    older = visit(plan, social_worker, SECOND_VISIT)
    Visit.objects.filter(pk=older.pk).update(recorded_at=yesterday())
    ChildProtectionPlan.objects.filter(pk=plan.pk).update(recorded_at=yesterday())
    events = facts.chronology(plan.child_id)
    with django_assert_max_num_queries(3):  # role check, the child, one union for every entry
        worker_may = removable(social_worker, plan.child, events)
    assert worker_may == {("cp_plan.visited", mine.pk)}
    assert removable(team_manager, plan.child, events) == {
        ("cp_plan.visited", mine.pk), ("cp_plan.visited", older.pk), ("cp_plan.started", plan.pk)}
    page = client_for(social_worker).get(reverse("child_chronology", args=[plan.child_id]))
    assert page.content.decode().count(">Remove entry<") == 1
    assert url(mine) in page.content.decode()
