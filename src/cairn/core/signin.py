"""Signing in: every attempt in the audit trail, and repeated failures locked out (django-axes).

django-axes counts failures and refuses a locked-out sign-in before any password is checked,
for Cairn's sign-in page and the admin site's alike (settings.AUTHENTICATION_BACKENDS). Cairn
adds three things: an account and an address are counted separately with limits of their own
(LockoutHandler), the lockout page is a GOV.UK page in plain English (locked_out), and every
sign-in, failed or not, goes in Cairn's own audit trail with the username tried and the address
(connected in CoreConfig.ready).
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import (
    get_client_ip_address,
    get_client_username,
    get_cool_off,
    get_failure_limit,
)
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.shortcuts import render

from .models import AuditEvent

SIGNED_IN = "staff.signed_in"
FAILED = "signin.failed"
LOCKED = "signin.locked"  # refused, or the failure that reached a limit


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with the address counted against a limit of its own.

    Axes compares the larger of its counts (per account, per address) with one limit. A
    council's staff may all reach Cairn from one address, so five typing slips across a whole
    office must not lock everyone out: an address has the higher CAIRN_SIGNIN_ADDRESS_LIMIT,
    scaled here onto the account limit that axes compares with (a >= address limit exactly
    when a * account // address >= account).
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        account_limit = get_failure_limit(request, credentials)
        counts = {
            str(parameter): attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for parameter, attempts in zip(settings.AXES_LOCKOUT_PARAMETERS,
                                           self.get_user_attempts(request, credentials))}
        by_address = counts.get("ip_address", 0)
        return max(counts.get("username", 0),
                   by_address * account_limit // settings.CAIRN_SIGNIN_ADDRESS_LIMIT)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """A successful sign-in forgives that person's own slips from where they are, not
        failures against their account from elsewhere nor other accounts' from their address."""
        username = get_client_username(request, credentials)
        return self.reset_attempts(ip_address=request.axes_ip_address, username=username)


def client_address(request) -> str | None:
    """The address a request came from (settings.AXES_CLIENT_IP_CALLABLE).

    Directly served, REMOTE_ADDR. Behind CAIRN_PROXY_COUNT proxies, each appends to
    X-Forwarded-For the address it received from, so the client's is that many from the right;
    anything further left the client wrote itself and is not believed. A request that did not
    pass through every proxy falls back to REMOTE_ADDR. (django-ipware's rules prefer a public
    address anywhere in the header, which a client on the council's network could choose.)
    """
    count = settings.CAIRN_PROXY_COUNT
    if count:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR") or None


def address(request) -> str | None:
    """The client's address as the lockout counts it, for the audit trail."""
    return get_client_ip_address(request) if request is not None else None


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets instead of the form (settings.AXES_LOCKOUT_CALLABLE)."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    return render(request, "registration/locked_out.html", {"minutes": minutes},
                  status=settings.AXES_HTTP_RESPONSE_CODE)


def _account(username: str):
    model = get_user_model()
    return model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()


def audit_signed_in(sender, request, user, **kwargs) -> None:
    """Keep a successful sign-in (Cairn's page, the admin site, or a test's force_login)."""
    AuditEvent.objects.create(
        actor=user, kind=AuditEvent.Kind.SIGNED_IN, action=SIGNED_IN,
        object_type=user._meta.label_lower, object_id=str(user.pk),
        page=getattr(request, "path", "")[:300],
        after={"username": user.get_username(), "address": address(request)})


def audit_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    """Keep a failed or refused sign-in: the username tried, the address, and whether axes
    locked it. No actor: whoever typed it is not known to be the account's holder."""
    username = str(credentials.get("username") or "")[:150]
    account = _account(username) if username else None
    AuditEvent.objects.create(
        actor=None, kind=AuditEvent.Kind.DENIED,
        action=LOCKED if getattr(request, "axes_locked_out", False) else FAILED,
        object_type=account._meta.label_lower if account else "",
        object_id=str(account.pk) if account else "",
        page=getattr(request, "path", "")[:300],
        after={"username": username, "address": address(request)})
