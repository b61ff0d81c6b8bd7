"""Team pages for managers and whole-authority roles, and reallocating a child's work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cairn.core import audit, policy
from cairn.core.errors import RecordError, StaleRecord
from cairn.people import selectors as people_selectors

from . import selectors, services
from .forms import ReallocationForm


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
        "allocations": selectors.team_allocations(team, viewer=request.user),
        "can_allocate": policy.allows(request.user, policy.ALLOCATE),
    })


@login_required
def reallocate(request: HttpRequest, child_id: int) -> HttpResponse:
    """A manager moves a child's work to another worker in their line (SSDA903 SW_REASON)."""
    child = policy.child_for(request.user, child_id, action=policy.ALLOCATE, page=request.path)
    audit.viewed(request.user, child, request.path)
    current = selectors.current_allocation(child)
    workers = services.workers_in_line(request.user)
    form = ReallocationForm(request.POST or None, workers=workers, initial={
        "allocation": current.pk if current else None,
        "version": current.version if current else None, "on": timezone.localdate()})
    if current is not None and form.is_valid():
        data = form.cleaned_data
        # The allocation the page showed, even if it has ended since: ending it again is the
        # conflict to report, not a reason to end the new one.
        shown = selectors.allocation_of(child, data["allocation"]) or current
        try:
            services.allocation_change(allocation=shown, worker=data["worker"], on=data["on"],
                                       end_reason=data["end_reason"], by=request.user,
                                       expected_version=data["version"])
        except StaleRecord as error:
            # Keep the choices made; the hidden version becomes the stored one, so choosing
            # again is deliberate, after reading who the child is now allocated to.
            current = selectors.current_allocation(child)
            form.data = form.data.copy()
            form.data["allocation"] = str(current.pk if current else "")
            form.data["version"] = str(current.version if current else "")
            form.add_error(None, error.message)
        except RecordError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"{child.full_name} is now allocated to {data['worker']}")
            return redirect("child", child.pk)
    return render(request, "workforce/reallocate.html", {
        "child": child, "current": current, "form": form,
        "summary": people_selectors.child_summary(child), "tab": "summary"})
