from datetime import timedelta

import pytest
from django.utils import timezone

import support
from cairn.core.models import AuditEvent, TimescaleRule
from cairn.people.models import CaseNote

pytestmark = pytest.mark.django_db


def test_teams_page_lists_the_managers_teams(log_in, team_manager, team):
    html = log_in(team_manager).get("/teams/").content.decode()
    assert team.name in html


def test_team_link_is_only_in_managers_navigation(log_in, team_manager, social_worker):
    assert 'href="/teams/"' in log_in(team_manager).get("/").content.decode()
    assert 'href="/teams/"' not in log_in(social_worker).get("/").content.decode()


def test_social_worker_cannot_see_team_pages(worker_client, team):
    assert worker_client.get("/teams/").status_code == 403
    assert worker_client.get(f"/teams/{team.pk}/").status_code == 403


def test_a_manager_cannot_see_another_managers_team(log_in, team_manager, other_team):
    assert log_in(team_manager).get(f"/teams/{other_team.pk}/").status_code == 404


def test_team_page_shows_caseloads_against_threshold_and_overdue_work(
        log_in, team_manager, social_worker, team):
    team.caseload_threshold = 2
    team.save()
    kids = [support.make_child("Kid", f"Name{i}") for i in range(3)]
    for kid in kids:
        support.allocate(kid, social_worker)
    TimescaleRule.objects.create(code="note-seen", name="See the child after a note",
                                 starts="case_note.added", finishes="case_note.child_seen",
                                 first_limit=5, first_unit=TimescaleRule.Unit.DAYS)
    CaseNote.objects.create(child=kids[0], kind="phone", subject="Call", body="b",
                            occurred_on=timezone.localdate() - timedelta(days=20))
    html = log_in(team_manager).get(f"/teams/{team.pk}/").content.decode()
    assert "Sam Worker" in html and "High" in html and "1 above threshold" in html
    assert "See the child after a note" in html and kids[0].full_name in html
    assert "Overdue (1)" in html


def test_whole_authority_roles_see_every_team(log_in, performance_analyst, team, other_team):
    html = log_in(performance_analyst).get("/teams/").content.decode()
    assert team.name in html and other_team.name in html


def test_sign_in_page_signs_in_and_audits(client, social_worker):
    page = client.get("/sign-in/")
    assert page.status_code == 200 and "Sign in to Cairn" in page.content.decode()
    response = client.post("/sign-in/", {"username": "sam_worker",
                                         "password": support.PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGNED_IN, actor=social_worker).exists()


def test_failed_sign_in_shows_an_error_summary(client, social_worker):
    response = client.post("/sign-in/", {"username": "sam_worker", "password": "wrong"})
    html = response.content.decode()
    assert "<title>Error: " in html and "govuk-error-summary" in html
    assert "Enter a correct username and password" in html
    empty = client.post("/sign-in/", {"username": "", "password": ""}).content.decode()
    assert "Enter your username" in empty and "Enter your password" in empty


def test_sign_out_is_a_post(worker_client):
    html = worker_client.get("/").content.decode()
    assert 'action="/sign-out/"' in html and 'method="post"' in html
    response = worker_client.post("/sign-out/")
    assert response.status_code == 302
    assert worker_client.get("/").status_code == 302


def test_draft_endpoint_saves_and_refuses_signed_out(worker_client, client, social_worker):
    from cairn.core.models import Draft

    ok = worker_client.post("/drafts/", {"key": "/children/1/case-notes/new/",
                                         "data": {"body": "typing"}},
                            content_type="application/json")
    assert ok.status_code == 200
    assert Draft.objects.get(owner=social_worker).data == {"body": "typing"}
    assert client.post("/drafts/", {"key": "/x/", "data": {}},
                       content_type="application/json").status_code == 401
    assert worker_client.post("/drafts/", "not json",
                              content_type="application/json").status_code == 400


def test_a_draft_sent_after_its_form_was_saved_is_dropped(worker_client, social_worker):
    from cairn.core.models import Draft, SubmissionKey

    key = "/front-door/early-help/plans/1/needs/new/"
    SubmissionKey.objects.create(key="saved-form", owner=social_worker, path=key,
                                 redirect_to="/front-door/children/1/early-help/")
    late = worker_client.post("/drafts/", {"key": key, "data": {"need": "Rent arrears"},
                                           "submission": "saved-form"},
                              content_type="application/json")
    assert late.status_code == 409
    assert not Draft.objects.filter(owner=social_worker, key=key).exists()
    # A form not yet saved (another instance of it) keeps its copy.
    kept = worker_client.post("/drafts/", {"key": key, "data": {"need": "Mum is isolated"},
                                           "submission": "open-form"},
                              content_type="application/json")
    assert kept.status_code == 200
    assert Draft.objects.get(owner=social_worker, key=key).data == {"need": "Mum is isolated"}
