"""Who looked: who opened and changed a child's record, what a member of staff opened, who may
read either, and that reading them is itself recorded."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cairn.access import policy
from cairn.access.models import AccessGrant
from cairn.core import audit
from cairn.core.models import AuditEvent
from cairn.oversight import selectors_access
from cairn.synth.demo import DEMO_STAFF
from cairn.workforce.models import Role
from support import client_for, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def governance(db):
    """The authority's information governance officer (its data protection lead)."""
    return make_staff("iona_governance", Role.INFORMATION_GOVERNANCE, None)


def _denied(**filters) -> int:
    return AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED, **filters).count()


def test_the_information_governance_officer_reads_but_never_records(governance, child,
                                                                    restricted_child):
    for action in (policy.VIEW, policy.SEARCH, policy.SEE_ACCESS_LOG, policy.SUBJECT_ACCESS):
        assert policy.allows(governance, action)
    for action in (policy.RECORD, policy.AUTHORISE, policy.ALLOCATE, policy.CORRECT):
        assert not policy.allows(governance, action)
    visible = policy.visible_children(governance)
    assert visible.filter(pk=child.pk).exists()
    # A restricted record only once they are named on it.
    assert not visible.filter(pk=restricted_child.pk).exists()
    AccessGrant.objects.create(child=restricted_child, staff=governance,
                               granted_at=timezone.now(), reason="Subject access request")
    assert policy.visible_children(governance).filter(pk=restricted_child.pk).exists()


def test_managers_see_access_logs_of_their_line_and_workers_do_not(
        child, social_worker, team_manager, service_manager, stranger):
    assert policy.may_see_access_log(team_manager, child)
    assert policy.may_see_access_log(service_manager, child)
    assert not policy.may_see_access_log(social_worker, child)
    assert not policy.may_see_access_log(stranger, child)


def test_the_team_manager_reads_who_opened_and_changed_the_record(
        child, social_worker, team_manager):
    worker = client_for(social_worker)
    worker.get(reverse("child", args=[child.pk]))
    worker.post(reverse("case_note_add", args=[child.pk]), {
        "kind": "visit", "occurred_on_0": "1", "occurred_on_1": "12", "occurred_on_2": "2026",
        "subject": "Home visit", "body": "Saw Alex at home"})
    url = reverse("child_access_log", args=[child.pk])
    page = client_for(team_manager).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Who opened and changed this record" in text
    assert str(social_worker) in text and f"Opened /children/{child.pk}/" in text
    assert "Recorded case note" in text
    # Reading the log is itself on the log.
    assert AuditEvent.objects.filter(actor=team_manager, kind=AuditEvent.Kind.VIEWED,
                                     child_id=child.pk, page=url).count() == 1
    assert "Who opened and changed this record" in client_for(team_manager).get(
        reverse("child", args=[child.pk])).content.decode()


def test_a_social_worker_cannot_read_the_log_and_the_refusal_is_logged(child, social_worker):
    url = reverse("child_access_log", args=[child.pk])
    assert client_for(social_worker).get(url).status_code == 404
    assert _denied(actor=social_worker, child_id=child.pk, page=url) == 1
    summary = client_for(social_worker).get(reverse("child", args=[child.pk])).content.decode()
    assert url not in summary


def test_the_log_filters_by_person_and_by_days(child, social_worker, team_manager):
    other = make_staff("olive_other", Role.SOCIAL_WORKER, social_worker.team)
    now = timezone.now()
    for staff, days_ago in ((social_worker, 0), (other, 0), (other, 10)):
        AuditEvent.objects.create(actor=staff, kind=AuditEvent.Kind.VIEWED, child_id=child.pk,
                                  action="child.viewed", page=f"/children/{child.pk}/",
                                  at=now - timedelta(days=days_ago))
    log = selectors_access.record_log(child, who="olive")
    assert {e.event.actor for e in log.entries} == {other}
    today = timezone.localdate()
    log = selectors_access.record_log(child, since=today - timedelta(days=3), until=today)
    assert {e.event.actor for e in log.entries} == {social_worker, other}
    assert len(log.entries) == 2
    # The page applies the same filters from its form.
    page = client_for(team_manager).get(reverse("child_access_log", args=[child.pk]), {
        "who": "olive", "since_0": "", "since_1": "", "since_2": ""})
    assert page.status_code == 200
    assert str(social_worker) not in page.content.decode().split("access-log")[-1]


def test_the_log_pages_by_a_cursor_and_its_cost_does_not_grow(child, team_manager):
    now = timezone.now()

    def views(n):
        AuditEvent.objects.bulk_create([
            AuditEvent(actor=team_manager, kind=AuditEvent.Kind.VIEWED, child_id=child.pk,
                       action="child.viewed", page=f"/children/{child.pk}/?n={i}",
                       at=now - timedelta(minutes=i)) for i in range(n)])

    client = client_for(team_manager)
    url = reverse("child_access_log", args=[child.pk])
    views(10)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    views(300)
    with CaptureQueriesContext(connection) as many:
        first = client.get(url)
    assert len(many) == len(few)
    log = selectors_access.record_log(child)
    assert len(log.entries) == selectors_access.PAGE_SIZE and log.older
    second = selectors_access.record_log(child, cursor=log.older)
    assert not {e.event.pk for e in log.entries} & {e.event.pk for e in second.entries}
    assert second.entries[0].event.at <= log.entries[-1].event.at
    assert "Older" in first.content.decode()
    seen, cursor, pages = set(), "", 0
    while True:
        page = selectors_access.record_log(child, cursor=cursor)
        seen |= {e.event.pk for e in page.entries}
        pages += 1
        if not page.older:
            break
        cursor = page.older
    assert len(seen) == AuditEvent.objects.filter(child_id=child.pk).count()
    assert pages == -(-len(seen) // selectors_access.PAGE_SIZE)


def test_a_manager_reads_what_their_team_member_opened(child, social_worker, team_manager,
                                                       stranger):
    client_for(social_worker).get(reverse("child", args=[child.pk]))
    url = reverse("staff_access_log", args=[social_worker.pk])
    team = client_for(team_manager).get(reverse("team", args=[social_worker.team_id]))
    assert url in team.content.decode()
    page = client_for(team_manager).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert f"What {social_worker} opened" in text and child.full_name in text
    assert AuditEvent.objects.filter(actor=team_manager, action="staff.access_log.viewed",
                                     object_id=str(social_worker.pk)).count() == 1
    # Someone outside their teams: refused, and the refusal logged.
    other = reverse("staff_access_log", args=[stranger.pk])
    assert client_for(team_manager).get(other).status_code == 404
    assert _denied(actor=team_manager, page=other) == 1
    assert client_for(social_worker).get(url).status_code == 404


def test_governance_reads_anyones_log_without_naming_a_restricted_child(
        governance, restricted_child, social_worker, inspector):
    audit.viewed(social_worker, restricted_child, f"/children/{restricted_child.pk}/")
    found = client_for(governance).get(reverse("staff_logs"), {"q": "ina"})
    assert reverse("staff_access_log", args=[inspector.pk]) in found.content.decode()
    page = client_for(governance).get(reverse("staff_access_log", args=[social_worker.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "A record you cannot open" in text
    assert restricted_child.given_name not in text and restricted_child.family_name not in text


def test_governance_home_page_has_its_work(governance, child, stranger):
    client_for(stranger).get(reverse("child", args=[child.pk]))  # refused, and logged
    home = client_for(governance).get(reverse("home"))
    text = home.content.decode()
    assert "Subject access requests" in text
    assert reverse("staff_logs") in text
    assert "Latest refused requests" in text and str(stranger) in text


def test_a_team_managers_home_leads_to_their_staffs_logs(team_manager, social_worker):
    text = client_for(team_manager).get(reverse("home")).content.decode()
    assert reverse("staff_logs") in text
    text = client_for(social_worker).get(reverse("home")).content.decode()
    assert reverse("staff_logs") not in text


def test_the_demo_has_an_information_governance_sign_in():
    assert ("ig.demo", Role.INFORMATION_GOVERNANCE) in {(u, r) for u, r, _, _ in DEMO_STAFF}


def test_governance_sees_which_account_a_failed_sign_in_tried(governance, social_worker):
    Client().post(reverse("login"), {"username": social_worker.username, "password": "wrong"})
    text = client_for(governance).get(reverse("home")).content.decode()
    assert f"Failed sign-in as ‘{social_worker.username}’ from" in text
