"""The returns page: a performance analyst produces a return and validates it."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cairn.access import policy
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent

from . import services, validators
from .forms import ReturnForm
from .models import ReturnJob, ReturnKind, ValidationRun
from .selectors import authority


def _latest_runs() -> list[ValidationRun]:
    out = []
    for kind in ReturnKind.values:
        run = (ValidationRun.objects.filter(kind=kind).select_related("ran_by")
               .order_by("-ran_at", "-id").first())
        if run:
            out.append(run)
    return out


def _page(request, form, status=200, error=""):
    jobs = (ReturnJob.objects.filter(requested_by=request.user).defer("file_body")
            .order_by("-requested_at", "-id")[:5])
    return render(request, "returns/returns.html", {
        "form": form, "runs": _latest_runs(), "validator_error": error, "jobs": jobs,
        "can_check": validators.available(), "not_set_up": validators.NOT_SET_UP,
        "made_for": authority()},
        status=status)


@login_required
def returns(request: HttpRequest) -> HttpResponse:
    policy.require_role(request.user, policy.RETURNS)
    return _page(request, ReturnForm(initial={"kind": ReturnKind.CIN}))


def _request(request: HttpRequest, what: str) -> HttpResponse:
    policy.require_role(request.user, policy.RETURNS)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    kind = form.cleaned_data["kind"]
    try:
        job = services.request_job(
            request.user, what=what, kind=kind, year=form.year_for(),
            as_of=form.day() if kind == ReturnKind.ANNEX_A else None)
    except RecordError as error:
        return _page(request, form, status=503, error=error.message)
    return redirect("returns_job", job_id=job.pk)


@login_required
@require_POST
def download(request: HttpRequest) -> HttpResponse:
    """Build the return's file in the background; its page offers it when it is ready."""
    return _request(request, ReturnJob.What.FILE)


@login_required
@require_POST
def validate(request: HttpRequest) -> HttpResponse:
    """Check the return in the background with the sector's validator (it takes up to a
    minute); its page shows how far it has got, then the results."""
    return _request(request, ReturnJob.What.CHECK)


WORKER_MISSING_AFTER = timedelta(minutes=2)


def _job(request: HttpRequest, job_id: int) -> ReturnJob:
    job = ReturnJob.objects.select_related("requested_by", "run").filter(pk=job_id).first()
    # A senior manager follows the Annex A they asked for an inspection (the inspection app):
    # only their own job, and only an Annex A.
    own_annex = (job is not None and job.requested_by_id == request.user.pk
                 and job.kind == ReturnKind.ANNEX_A
                 and policy.allows(request.user, policy.INSPECTIONS))
    if not own_annex:
        policy.require_role(request.user, policy.RETURNS)
    if job is None:
        raise Http404("No such return")
    return job


@login_required
def job(request: HttpRequest, job_id: int) -> HttpResponse:
    """A return being built or checked: how far it has got (the page asks again every few
    seconds while it runs, and a reload finds it), then the results or the file."""
    job = _job(request, job_id)
    if job.status == ReturnJob.Status.DONE and job.what == ReturnJob.What.CHECK:
        return redirect("returns_run", run_id=job.run_id)
    # Queued for long means no background worker is running: say who can start one.
    stuck = (job.status == ReturnJob.Status.QUEUED
             and timezone.now() - job.requested_at > WORKER_MISSING_AFTER)
    return render(request, "returns/job.html", {"job": job, "stuck": stuck})


@login_required
def job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    """The job's status alone, for the page's script to know when to show the result."""
    job = _job(request, job_id)
    return JsonResponse({"status": job.status, "step": job.step, "finished": job.finished})


@login_required
def job_file(request: HttpRequest, job_id: int) -> HttpResponse:
    """The built file. Taking a return out of Cairn is audited as an export."""
    job = _job(request, job_id)
    if job.status != ReturnJob.Status.DONE or job.what != ReturnJob.What.FILE:
        raise Http404("This file is not ready")
    AuditEvent.objects.create(actor=request.user, kind=AuditEvent.Kind.EXPORTED,
                              action=f"returns.{job.kind}", object_type="returns.file",
                              object_id=job.file_name[:40], page=request.path[:300])
    response = HttpResponse(bytes(job.file_body), content_type=job.file_type)
    response["Content-Disposition"] = f'attachment; filename="{job.file_name}"'
    return response


@login_required
def run(request: HttpRequest, run_id: int) -> HttpResponse:
    """Every failure of one validation run, by rule, each with its child where the user may
    see the child. A return includes restricted children (the DfE requires it): a failure about
    a child out of the user's sight is listed as "a restricted record", without the child's
    name or identifier, so that the count of failures agrees with the list."""
    policy.require_role(request.user, policy.RETURNS)
    run = get_object_or_404(ValidationRun, pk=run_id)
    failures = list(run.failures.select_related("child").order_by("rule", "row", "id"))
    visible = set(policy.visible_children(request.user)
                  .filter(pk__in={f.child_id for f in failures if f.child_id})
                  .values_list("pk", flat=True))
    rules: dict[str, list] = defaultdict(list)
    hidden = 0
    for f in failures:
        f.restricted = bool(f.child_id) and f.child_id not in visible
        if f.restricted:
            hidden += 1
            # Nothing of the child reaches the template: not the name, not the LA child ID.
            f.child, f.la_child_id = None, ""
        rules[f.rule].append(f)
    groups = sorted(rules.items(), key=lambda kv: (_rule_order(kv[0]), kv[0]))
    return render(request, "returns/run.html", {
        "run": run, "groups": groups, "hidden": hidden, "total": len(failures),
        "latest": run.pk == (ValidationRun.objects.filter(kind=run.kind)
                             .order_by("-ran_at", "-id").values_list("pk", flat=True).first()),
    })


def _rule_order(rule: str) -> int:
    digits = "".join(ch for ch in rule if ch.isdigit())
    return int(digits) if digits else 0
