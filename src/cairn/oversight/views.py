"""Managers' oversight pages: the tray of work awaiting their authorisation."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cairn.access import policy

from . import selectors


@login_required
def authorisations(request: HttpRequest) -> HttpResponse:
    """Assessments and steps up or down waiting for this manager's decision, oldest first."""
    policy.require_role(request.user, policy.AUTHORISE)
    return render(request, "oversight/authorisations.html",
                  {"items": selectors.awaiting_authorisation(request.user)})
