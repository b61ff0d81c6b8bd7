"""The admin site is for configuration: no child's record can be read through it, an
administrator cannot give themselves access to one, and every change made there is in Cairn's
audit trail."""

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.test import Client

import support
from cairn.access import policy
from cairn.core.admin import AuditedAdmin
from cairn.core.models import AuditEvent, TimescaleRule
from cairn.workforce.models import Role, Staff, Team

pytestmark = pytest.mark.django_db


def test_no_case_record_is_in_the_admin_site():
    labels = {model._meta.label for model in admin.site._registry}
    assert not labels & {"people.Person", "people.Child", "core.AuditEvent",
                         "access.AccessGrant", "workforce.Allocation", "auth.Group"}
    for model in admin.site._registry:
        fields = {f.name for f in model._meta.get_fields()}
        assert "child" not in fields and "person" not in fields, model


def test_every_model_in_the_admin_site_is_audited():
    unaudited = [model._meta.label for model, model_admin in admin.site._registry.items()
                 if not isinstance(model_admin, AuditedAdmin)]
    assert unaudited == []


def test_the_administrator_role_opens_no_record():
    assert policy.VIEW not in policy.ROLE_ACTIONS[Role.ADMINISTRATOR]
    # Settings only: which indicators a performance report needs commentary on is one.
    assert policy.ROLE_ACTIONS[Role.ADMINISTRATOR] == {policy.CONFIGURE, policy.SET_COMMENTARY}


@pytest.fixture
def site_admin(db):
    return support.make_staff("ada_admin", Role.ADMINISTRATOR, None, is_staff=True,
                              is_superuser=True)


@pytest.fixture
def admin_client(site_admin):
    return support.client_for(site_admin)


def _staff_form(staff: Staff, **changes) -> dict:
    """The admin's change form for `staff` as posted, with `changes`."""
    data = {"username": staff.username, "first_name": staff.first_name,
            "last_name": staff.last_name, "email": staff.email, "role": staff.role,
            "team": staff.team_id or "", "job_title": staff.job_title, "sw_id": staff.sw_id,
            "fte": str(staff.fte), "access_until": "", "is_active": "on",
            "date_joined_0": "2026-01-05", "date_joined_1": "09:00:00",
            "last_login_0": "", "last_login_1": ""}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_no_admin_page_names_a_child(admin_client, site_admin, social_worker, team):
    child = support.make_child("Zebedee", "Quillfeather")
    support.allocate(child, social_worker)
    admin_client.post(f"/admin/workforce/staff/{social_worker.pk}/change/",
                      _staff_form(social_worker, job_title="Senior practitioner"))
    pages = ["/admin/", f"/admin/workforce/staff/{social_worker.pk}/change/",
             f"/admin/workforce/staff/{social_worker.pk}/history/",
             f"/admin/workforce/team/{team.pk}/change/", f"/admin/workforce/team/{team.pk}/history/"]
    pages += [f"/admin/{m._meta.app_label}/{m._meta.model_name}/" for m in admin.site._registry]
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Zebedee" not in html and "Quillfeather" not in html, url


def test_access_grants_are_not_in_the_admin_site(admin_client):
    assert admin_client.get("/admin/access/accessgrant/").status_code == 404
    assert admin_client.get("/admin/access/accessgrant/add/").status_code == 404


def test_an_administrator_cannot_change_their_own_access(admin_client, site_admin, team):
    page = admin_client.get(f"/admin/workforce/staff/{site_admin.pk}/change/").content.decode()
    assert 'name="role"' not in page and 'name="team"' not in page
    assert 'name="is_superuser"' not in page and 'name="access_until"' not in page
    admin_client.post(f"/admin/workforce/staff/{site_admin.pk}/change/",
                      _staff_form(site_admin, role=Role.TEAM_MANAGER, team=team.pk))
    site_admin.refresh_from_db()
    assert site_admin.role == Role.ADMINISTRATOR and site_admin.team is None
    assert not policy.allows(site_admin, policy.VIEW)


def test_an_administrator_cannot_name_themselves_a_manager(admin_client, site_admin, team):
    response = admin_client.post(f"/admin/workforce/team/{team.pk}/change/", {
        "name": team.name, "kind": team.kind, "service": team.service_id,
        "manager": site_admin.pk, "caseload_threshold": 18})
    assert response.status_code == 200
    assert "You cannot name yourself as the manager" in response.content.decode()
    team.refresh_from_db()
    assert team.manager_id != site_admin.pk


def test_changes_to_staff_are_audited_with_before_and_after(admin_client, site_admin,
                                                           social_worker):
    response = admin_client.post(f"/admin/workforce/staff/{social_worker.pk}/change/",
                                 _staff_form(social_worker, role=Role.TEAM_MANAGER))
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.staff.changed")
    assert event.actor == site_admin and event.kind == AuditEvent.Kind.CHANGED
    assert event.object_type == "workforce.staff" and event.object_id == str(social_worker.pk)
    assert event.before["role"] == Role.SOCIAL_WORKER and event.after["role"] == Role.TEAM_MANAGER
    assert "password" not in event.before and "password" not in event.after


def test_a_password_set_in_the_admin_site_is_audited_without_it(admin_client, social_worker):
    response = admin_client.post(f"/admin/workforce/staff/{social_worker.pk}/password/", {
        "password1": "a-new-long-passphrase", "password2": "a-new-long-passphrase",
        "usable_password": "true"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.staff.password_set")
    assert event.object_id == str(social_worker.pk) and "password" not in event.after
    assert "a-new-long-passphrase" not in str(event.after)


def test_new_teams_and_rule_changes_are_audited(admin_client, site_admin, team):
    admin_client.post("/admin/workforce/team/add/", {
        "name": "Court team", "kind": Team.Kind.CHILD_PROTECTION, "service": team.service_id,
        "manager": "", "caseload_threshold": 15})
    added = AuditEvent.objects.get(action="admin.team.added")
    assert added.kind == AuditEvent.Kind.CREATED and added.after["name"] == "Court team"
    rule = TimescaleRule.objects.get(code="contact-decision")
    page = admin_client.get(f"/admin/core/timescalerule/{rule.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items() if not isinstance(v, bool) or v}
    data["first_limit"] = rule.first_limit + 1
    response = admin_client.post(f"/admin/core/timescalerule/{rule.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    changed = AuditEvent.objects.get(action="admin.timescalerule.changed")
    assert changed.before["first_limit"] == rule.first_limit
    assert changed.after["first_limit"] == rule.first_limit + 1


def test_nothing_is_deleted_in_the_admin_site(admin_client, social_worker, team):
    assert admin_client.get(
        f"/admin/workforce/staff/{social_worker.pk}/delete/").status_code == 403
    assert admin_client.post(f"/admin/workforce/team/{team.pk}/delete/",
                             {"post": "yes"}).status_code == 403
    assert Staff.objects.filter(pk=social_worker.pk).exists()
    assert Team.objects.filter(pk=team.pk).exists()


def test_lifting_a_sign_in_lock_is_audited(admin_client, site_admin, social_worker):
    client = Client(REMOTE_ADDR="192.0.2.44")
    for _ in range(5):
        client.post("/sign-in/", {"username": social_worker.username, "password": "wrong"})
    lock = AccessAttempt.objects.get(username=social_worker.username)
    response = admin_client.post("/admin/axes/accessattempt/", {
        "action": "delete_selected", "_selected_action": [lock.pk], "post": "yes"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.signin_lock.lifted")
    assert event.actor == site_admin
    assert event.before == {"username": social_worker.username, "ip_address": "192.0.2.44",
                            "failures_since_start": 5}
    assert client.post("/sign-in/", {"username": social_worker.username,
                                     "password": support.PASSWORD}).status_code == 302


def test_an_administrator_may_change_a_local_rule_but_not_a_national_one(administrator, log_in):
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client = log_in(administrator)
    local = TimescaleRule.objects.get(code="contact-decision")
    national = TimescaleRule.objects.get(code="icpc")
    page = client.get(f"/admin/core/timescalerule/{local.pk}/change/").content.decode()
    assert 'name="first_limit"' in page
    page = client.get(f"/admin/core/timescalerule/{national.pk}/change/").content.decode()
    assert 'name="first_limit"' not in page
