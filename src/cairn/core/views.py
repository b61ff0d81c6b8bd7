"""Signing in and out, and keeping drafts of what users type."""

from __future__ import annotations

import json

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import SignInForm

DRAFT_MAX_BYTES = 200_000


class SignInView(auth_views.LoginView):
    """GOV.UK sign-in page. Every attempt goes in the audit trail and repeated failures are
    locked out, here and at the admin site's sign-in alike (core.signin)."""

    form_class = SignInForm
    redirect_authenticated_user = False


@require_POST
def draft_save(request: HttpRequest) -> JsonResponse:
    """Keep what the user has typed into a form (the script posts it every few seconds).

    An expired session answers 401, not a redirect, so the script keeps its local copy.
    """
    if not request.user.is_authenticated:
        return JsonResponse({"saved": False, "reason": "signed out"}, status=401)
    if len(request.body) > DRAFT_MAX_BYTES:
        return JsonResponse({"saved": False, "reason": "too large"}, status=413)
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"saved": False, "reason": "not JSON"}, status=400)
    key, data = payload.get("key"), payload.get("data")
    if not isinstance(key, str) or not key.startswith("/") or not isinstance(data, dict):
        return JsonResponse({"saved": False, "reason": "key and data expected"}, status=400)
    # Only text a person typed is kept: passwords and tokens never reach a draft.
    data = {str(k)[:100]: v for k, v in data.items()
            if k != "csrfmiddlewaretoken" and isinstance(v, (str, list))}
    if selectors.form_saved(request.user, str(payload.get("submission") or "")):
        # A copy sent as the form was being saved arrives after it: the form is finished with,
        # so keeping the copy would fill the next, new form with the record just saved.
        services.draft_discard(owner=request.user, key=key)
        return JsonResponse({"saved": False, "reason": "form already saved"}, status=409)
    if data:
        services.draft_save(owner=request.user, key=key, data=data)
    else:
        services.draft_discard(owner=request.user, key=key)
    return JsonResponse({"saved": True})
