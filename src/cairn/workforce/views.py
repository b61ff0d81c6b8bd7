"""Team pages for managers and whole-authority roles."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cairn.core import policy

from . import selectors


@login_required
def teams(request: HttpRequest) -> HttpResponse:
    policy.require_role(request.user, policy.SEE_TEAMS)
    return render(request, "workforce/teams.html", {"teams": selectors.teams_for(request.user)})


@login_required
def team(request: HttpRequest, team_id: int) -> HttpResponse:
    policy.require_role(request.user, policy.SEE_TEAMS)
    team = selectors.team_for(request.user, team_id)
    caseloads = selectors.team_caseloads(team)
    return render(request, "workforce/team.html", {
        "team": team, "caseloads": caseloads,
        "overdue": selectors.team_overdue(team, viewer=request.user),
        "high": sum(1 for c in caseloads if c.high),
    })
