"""Middleware Cairn adds to Django's."""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect

from .models import SubmissionKey

# The hidden field every POST form carries (core.templatetags.govuk.submission_key).
SUBMISSION_KEY = "submission_key"


CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "font-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "form-action 'self'",
    "base-uri 'none'", "object-src 'none'",
])


slow_log = logging.getLogger("cairn.slow")


class SlowRequests:
    """A request that takes longer than CAIRN_SLOW_REQUEST_SECONDS is one warning line: its
    method, path, status, time and who asked (by staff id), so that what keeps a worker busy
    can be found and made fast. First in the chain, so the time is all of it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        took = time.monotonic() - started
        if took >= settings.CAIRN_SLOW_REQUEST_SECONDS:
            user = getattr(request, "user", None)
            who = f"user {user.pk}" if getattr(user, "is_authenticated", False) else "signed out"
            slow_log.warning("slow request: %s %s %s in %.1f s (%s)", request.method,
                             request.path, response.status_code, took, who)
        return response


class NoStoreForCaseRecords:
    """Pages hold sensitive data: no browser or proxy may keep a copy after sign-out, and no
    script but Cairn's own may run in them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store, private")
            if not request.path.startswith("/admin/"):
                # Django's admin has inline scripts of its own; every Cairn page has none.
                response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class SaveOnce:
    """A form sent twice saves once.

    Every POST form carries a one-time key ({% submission_key %}). The first POST with a key
    claims it in the same transaction as the view's own writes; a second POST with the same key
    (a double click, the page sent again) waits for the first to finish, then does not save
    again: it goes where the first went, saying it was already saved. A POST that saved nothing
    (the form had errors) gives its key back, so the corrected form can be sent.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.POST.get(SUBMISSION_KEY, "")[:64] if request.method == "POST" else ""
        if not key or not request.user.is_authenticated:
            return self.get_response(request)
        with transaction.atomic():
            try:
                with transaction.atomic():  # a savepoint: the refusal leaves the rest usable
                    claim = SubmissionKey.objects.create(key=key, owner=request.user,
                                                         path=request.path[:300])
            except IntegrityError:
                return self._already_saved(request, key)
            response = self.get_response(request)
            if response.status_code in (301, 302, 303) and response.has_header("Location"):
                claim.redirect_to = response["Location"][:500]
                claim.save(update_fields=["redirect_to"])
            else:
                # The key is the form's, not a fact of the record: nothing was saved with it.
                claim.delete()
        return response

    @staticmethod
    def _already_saved(request, key: str):
        first = SubmissionKey.objects.filter(key=key, owner=request.user).first()
        messages.info(request, "This was already saved")
        return redirect(first.redirect_to if first and first.redirect_to else request.path)
