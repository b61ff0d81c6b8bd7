"""Signing in: repeated failures lock an account and an address for a time (django-axes, with the
product's own settings), the admin site's sign-in is no way around it, and every attempt is in
the audit trail with the username tried and the address."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

import support
from cairn.core import signin
from cairn.core.models import AuditEvent
from cairn.workforce.models import Role

pytestmark = pytest.mark.django_db

OFFICE = "192.0.2.10"
ELSEWHERE = "198.51.100.20"
ACCOUNT_LIMIT = settings.AXES_FAILURE_LIMIT
ADDRESS_LIMIT = settings.CAIRN_SIGNIN_ADDRESS_LIMIT


def _client(address: str = OFFICE) -> Client:
    return Client(REMOTE_ADDR=address)


def _sign_in(client: Client, username: str, password: str, *, url: str = "/sign-in/"):
    return client.post(url, {"username": username, "password": password})


def _fail(client: Client, username: str, times: int, *, url: str = "/sign-in/"):
    response = None
    for _ in range(times):
        response = _sign_in(client, username, "not-the-password", url=url)
    return response


def _signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def test_the_product_settings_keep_lockout_on():
    assert settings.AXES_ENABLED is True
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert ACCOUNT_LIMIT < ADDRESS_LIMIT


def test_repeated_failures_lock_the_account_and_say_so(social_worker):
    client = _client()
    before = _fail(client, social_worker.username, ACCOUNT_LIMIT - 1)
    assert before.status_code == 200 and "Enter a correct username and password" in (
        before.content.decode())
    locked = _fail(client, social_worker.username, 1)
    html = locked.content.decode()
    assert locked.status_code == 429
    assert "You cannot sign in for now" in html and "Wait 15 minutes" in html
    # The right password is refused too while the lock lasts, and nothing is signed in.
    refused = _sign_in(client, social_worker.username, support.PASSWORD)
    assert refused.status_code == 429 and not _signed_in(client)


def test_a_locked_account_is_locked_from_every_address(social_worker):
    _fail(_client(OFFICE), social_worker.username, ACCOUNT_LIMIT)
    elsewhere = _client(ELSEWHERE)
    assert _sign_in(elsewhere, social_worker.username, support.PASSWORD).status_code == 429
    assert not _signed_in(elsewhere)


def test_colleagues_at_the_same_address_can_still_sign_in(social_worker, team_manager):
    """An office shares one address: one person's slips do not lock their colleagues out."""
    client = _client()
    _fail(client, social_worker.username, ACCOUNT_LIMIT)
    colleague = _client()
    response = _sign_in(colleague, team_manager.username, support.PASSWORD)
    assert response.status_code == 302 and _signed_in(colleague)


def test_many_accounts_tried_from_one_address_lock_the_address(team_manager):
    client = _client()
    for number in range(ADDRESS_LIMIT):
        response = _sign_in(client, f"guess{number}", "not-the-password")
    assert response.status_code == 429
    # Every account is refused from that address, while the same account elsewhere is not.
    assert _sign_in(_client(), team_manager.username, support.PASSWORD).status_code == 429
    elsewhere = _client(ELSEWHERE)
    assert _sign_in(elsewhere, team_manager.username, support.PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(social_worker):
    client = _client()
    _fail(client, social_worker.username, ACCOUNT_LIMIT)
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        assert _sign_in(client, social_worker.username, support.PASSWORD).status_code == 302
        assert _signed_in(client)


def test_signing_in_forgives_ones_own_slips(social_worker):
    client = _client()
    _fail(client, social_worker.username, ACCOUNT_LIMIT - 1)
    assert _sign_in(client, social_worker.username, support.PASSWORD).status_code == 302
    client.post("/sign-out/")
    # Counting starts again: as many slips again do not lock.
    assert _fail(client, social_worker.username, ACCOUNT_LIMIT - 1).status_code == 200


def test_failures_elsewhere_are_not_forgiven_by_the_owner_signing_in(social_worker):
    _fail(_client(ELSEWHERE), social_worker.username, ACCOUNT_LIMIT - 1)
    owner = _client()
    assert _sign_in(owner, social_worker.username, support.PASSWORD).status_code == 302
    assert _fail(_client(ELSEWHERE), social_worker.username, 1).status_code == 429


@pytest.fixture
def site_admin(db):
    return support.make_staff("ada_admin", Role.ADMINISTRATOR, team=None, is_staff=True,
                              is_superuser=True)


def test_the_admin_sign_in_is_locked_too(site_admin):
    client = _client()
    locked = _fail(client, site_admin.username, ACCOUNT_LIMIT, url="/admin/login/")
    assert locked.status_code == 429 and "You cannot sign in for now" in locked.content.decode()
    refused = _sign_in(client, site_admin.username, support.PASSWORD, url="/admin/login/")
    assert refused.status_code == 429
    assert client.get("/admin/").status_code == 302  # still signed out


def test_failures_at_cairns_sign_in_lock_the_admin_sign_in(site_admin):
    """One count across both doors: the admin site is no way around a lock."""
    _fail(_client(), site_admin.username, ACCOUNT_LIMIT)
    client = _client(ELSEWHERE)
    assert _sign_in(client, site_admin.username, support.PASSWORD,
                    url="/admin/login/").status_code == 429


def test_every_sign_in_is_audited_with_the_username_and_address(social_worker):
    client = _client()
    _fail(client, "nobody_here", 1)
    _fail(client, social_worker.username, ACCOUNT_LIMIT)
    events = list(AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED).order_by("pk"))
    assert [e.action for e in events] == (
        [signin.FAILED] * ACCOUNT_LIMIT + [signin.LOCKED])
    assert events[0].after == {"username": "nobody_here", "address": OFFICE}
    assert events[0].object_id == "" and events[0].actor is None
    assert events[-1].after == {"username": social_worker.username, "address": OFFICE}
    assert events[-1].object_id == str(social_worker.pk) and events[-1].page == "/sign-in/"
    # A refused attempt during the lock is kept too.
    _sign_in(client, social_worker.username, support.PASSWORD)
    assert AuditEvent.objects.filter(action=signin.LOCKED).count() == 2


def test_a_successful_sign_in_is_audited_with_the_address(team_manager):
    client = _client(ELSEWHERE)
    _sign_in(client, team_manager.username, support.PASSWORD)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SIGNED_IN, actor=team_manager,
                                   page="/sign-in/")
    assert event.action == signin.SIGNED_IN
    assert event.after == {"username": team_manager.username, "address": ELSEWHERE}


def test_admin_sign_ins_are_audited(site_admin):
    client = _client()
    _fail(client, site_admin.username, 1, url="/admin/login/")
    _sign_in(client, site_admin.username, support.PASSWORD, url="/admin/login/")
    assert AuditEvent.objects.filter(action=signin.FAILED, page="/admin/login/").exists()
    assert AuditEvent.objects.filter(action=signin.SIGNED_IN, actor=site_admin,
                                     page="/admin/login/").exists()
