"""Early help's own pages: a manager allocating a practitioner to a child passed to early help,
and a step request withdrawn by the person who asked for it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from cairn.access import policy
from cairn.casework.recording import record_page, recording_child
from cairn.core import audit

from . import selectors, selectors_early_help, services_early_help
from .forms_early_help import EarlyHelpAllocateForm, StepWithdrawForm


@login_required
def early_help_allocate(request: HttpRequest, child_id: int) -> HttpResponse:
    """An early help team manager allocates a practitioner to a child passed to early help."""
    child = recording_child(request, child_id, action=policy.ALLOCATE)
    held = selectors_early_help.early_help_allocation(child)
    form = EarlyHelpAllocateForm(
        request.POST or None, initial={"on": timezone.localdate()},
        workers=services_early_help.early_help_practitioners(request.user))
    about = (f"Early help is allocated to {held.worker}, {held.team}, since "
             f"{held.started_on:%-d %B %Y}." if held is not None else
             "No early help practitioner is allocated.")
    return record_page(
        request, child, form, title="Allocate an early help practitioner", button="Allocate",
        intro=about, cancel_url=reverse("frontdoor:early_help", args=[child.pk]),
        success="Early help practitioner allocated",
        save=lambda data: services_early_help.early_help_allocate(
            child=child, worker=data["worker"], on=data["on"], by=request.user),
        done=reverse("frontdoor:early_help", args=[child.pk]))


@login_required
def step_withdraw(request: HttpRequest, step_id: int) -> HttpResponse:
    """The person who asked for a step up or down withdraws it before a manager decides."""
    step = selectors.step_decision_for(request.user, step_id, page=request.path,
                                       action=policy.RECORD)
    child = step.child
    if request.method == "GET":
        audit.viewed(request.user, child, request.path)
    form = StepWithdrawForm(request.POST or None, initial={"version": step.version})
    return record_page(
        request, child, form, title=f"Withdraw the request: {step.get_direction_display()}",
        button="Withdraw the request", intro=f"Asked for on {step.requested_at:%-d %B %Y}: "
                                             f"{step.rationale}",
        cancel_url=reverse("frontdoor:step_decide", args=[step.pk]),
        success="Request withdrawn", versioned=step,
        save=lambda data: services_early_help.step_decision_withdraw(
            step=step, at=timezone.now(), reason=data["reason"], by=request.user,
            expected_version=data["version"]),
        done=reverse("frontdoor:early_help", args=[child.pk]))
