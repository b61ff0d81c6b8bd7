"""Team pages for managers and whole-authority roles, and reallocating a child's work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cairn.access import policy
from cairn.casework.recording import record_page, recording_child, render_child, show_conflict
from cairn.core import audit
from cairn.core import selectors as core_selectors
from cairn.core.errors import RecordError, StaleRecord
from cairn.workforce import selectors as workforce_selectors
from cairn.workforce import services
from cairn.workforce.models import Allocation, Role

from . import selectors
from .forms import AllocateForm, ReallocationForm


@login_required
def teams(request: HttpRequest) -> HttpResponse:
    policy.require_role(request.user, policy.SEE_TEAMS)
    return render(request, "oversight/teams.html", {"teams": selectors.teams_for(request.user)})


@login_required
def team(request: HttpRequest, team_id: int) -> HttpResponse:
    policy.require_role(request.user, policy.SEE_TEAMS)
    team = selectors.team_for(request.user, team_id)
    visible = policy.visible_children(request.user)
    # The caseloads' "cannot open" counts test only the members' children.
    members_children = selectors.visible_among(
        request.user, Allocation.objects.current().active_on(timezone.localdate())
        .filter(worker__team=team).values("child_id"))
    caseloads = workforce_selectors.team_caseloads(team, visible=members_children)
    return render(request, "oversight/team.html", {
        "team": team, "caseloads": caseloads,
        "hidden": selectors.hidden_by_team([team], viewer=request.user).get(team.pk, 0),
        "overdue": selectors.team_overdue(team, viewer=request.user),
        "high": sum(1 for c in caseloads if c.high),
        "allocations": selectors.team_allocations(team, viewer=request.user),
        "overdue_actions": list(core_selectors.actions_overdue_in_teams(
            [team], children=visible)),
        "can_allocate": policy.allows(request.user, policy.ALLOCATE),
        "can_read_logs": policy.allows(request.user, policy.SEE_ACCESS_LOG),
    })


@login_required
def reallocate(request: HttpRequest, child_id: int) -> HttpResponse:
    """A manager moves a child's work to another worker in their line (SSDA903 SW_REASON)."""
    child = policy.child_for(request.user, child_id, action=policy.ALLOCATE, page=request.path)
    audit.viewed(request.user, child, request.path)
    current = workforce_selectors.current_allocation(child)
    workers = services.workers_in_line(request.user)
    form = ReallocationForm(request.POST or None, workers=workers, initial={
        "allocation": current.pk if current else None,
        "version": current.version if current else None, "on": timezone.localdate()})
    if current is not None and form.is_valid():
        data = form.cleaned_data
        # The allocation the page showed, even if it has ended since: ending it again is the
        # conflict to report, not a reason to end the new one.
        shown = workforce_selectors.allocation_of(child, data["allocation"]) or current
        try:
            services.allocation_change(allocation=shown, worker=data["worker"], on=data["on"],
                                       end_reason=data["end_reason"], by=request.user,
                                       expected_version=data["version"])
        except StaleRecord as error:
            # Keep the choices made; the hidden version becomes the stored one, so choosing
            # again is deliberate, after reading who the child is now allocated to.
            current = workforce_selectors.current_allocation(child)
            form.data = form.data.copy()
            form.data["allocation"] = str(current.pk if current else "")
            if current is None:
                form.data["version"] = ""
                form.add_error(None, error.message)
            else:
                show_conflict(form, current, error, version=current.version)
        except RecordError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"{child.full_name} is now allocated to {data['worker']}")
            return redirect("child", child.pk)
    return render_child(request, child, "oversight/reallocate.html", tab="summary",
                        current=current, form=form)


# The kind of allocation follows from the role of the person allocated.
KIND_OF_ROLE = {Role.IRO: Allocation.Kind.IRO,
                Role.PERSONAL_ADVISER: Allocation.Kind.PERSONAL_ADVISER}


@login_required
def allocate(request: HttpRequest, child_id: int) -> HttpResponse:
    """A manager allocates an independent reviewing officer or a personal adviser."""
    child = recording_child(request, child_id, action=policy.ALLOCATE)
    form = AllocateForm(request.POST or None, initial={"on": timezone.localdate()})
    return record_page(
        request, child, form, title="Allocate a reviewing officer or personal adviser",
        button="Allocate", cancel_url=child.get_absolute_url(), success="Allocated",
        save=lambda data: services.allocation_start(
            child=child, worker=data["worker"], kind=KIND_OF_ROLE[data["worker"].role],
            on=data["on"], by=request.user),
        done=child.get_absolute_url())

