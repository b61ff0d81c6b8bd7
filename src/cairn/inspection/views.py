"""The inspection pages: inspections and their judgements, the improvement plan, and a senior
manager's page for an inspector's access (F38, F40). Anyone else is answered as for a page
that does not exist (access.policy.refuse)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cairn.access import policy
from cairn.core.errors import RecordError
from cairn.returns import services as returns_services
from cairn.returns.models import ReturnJob, ReturnKind

from . import selectors, services
from .forms import (
    AccessForm,
    ActionForm,
    AreaForm,
    EndAccessForm,
    EvidenceForm,
    InspectionForm,
    JudgementsForm,
    ProgressForm,
)
from .models import Cohort, JudgementArea


def _allowed(request: HttpRequest, action: str) -> None:
    if not policy.allows(request.user, action):
        policy.refuse(request.user, request.path)


def _found(request: HttpRequest, row):
    if row is None:
        policy.refuse(request.user, request.path)
    return row


def _blame(form, field: str | None, message: str) -> None:
    form.add_error(field if field in form.fields else None, message)


@login_required
def inspections(request: HttpRequest) -> HttpResponse:
    _allowed(request, policy.INSPECTIONS)
    return render(request, "inspection/inspections.html", {
        "inspections": selectors.inspections(),
        "may_grant": policy.allows(request.user, policy.GRANT_INSPECTION)})


@login_required
def record_inspection(request: HttpRequest) -> HttpResponse:
    _allowed(request, policy.INSPECTIONS)
    form = InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.record_inspection(
                by=request.user, kind=data["kind"], started_on=data["started_on"],
                ended_on=data["ended_on"], published_on=data.get("published_on"),
                summary=data.get("summary", ""), grades=form.grades(),
                areas=(data.get("areas") or "").splitlines())
        except RecordError as error:
            _blame(form, error.field, error.message)
        else:
            return redirect("inspection", inspection_id=inspection.pk)
    return render(request, "inspection/record_inspection.html", {
        "form": form, "areas": JudgementArea.values}, status=400 if form.errors else 200)


@login_required
def inspection(request: HttpRequest, inspection_id: int) -> HttpResponse:
    _allowed(request, policy.INSPECTIONS)
    found = _found(request, selectors.inspection(inspection_id))
    judgements = {j.area: j for j in found.judgements.all()}
    return render(request, "inspection/inspection.html", {
        "inspection": found, "plan": selectors.plan(found),
        "judgements": [(label, judgements.get(value)) for value, label in
                       JudgementArea.choices],
        "accesses": selectors.accesses(found),
        "may_grant": policy.allows(request.user, policy.GRANT_INSPECTION),
        "annex_a_jobs": ReturnJob.objects.filter(
            requested_by=request.user, kind=ReturnKind.ANNEX_A, as_of=found.started_on)
        .defer("file_body").order_by("-requested_at", "-id")[:3]})


@login_required
def annex_a(request: HttpRequest, inspection_id: int) -> HttpResponse:
    """Ofsted's Annex A as at the inspection's first day, built in the background by the
    returns app; its page offers the file when it is ready."""
    _allowed(request, policy.INSPECTIONS)
    found = _found(request, selectors.inspection(inspection_id))
    if request.method != "POST":
        return redirect("inspection", inspection_id=found.pk)
    job = returns_services.request_job(request.user, what=ReturnJob.What.FILE,
                                       kind=ReturnKind.ANNEX_A, year=found.started_on.year,
                                       as_of=found.started_on)
    return redirect("returns_job", job_id=job.pk)


@login_required
def judgements(request: HttpRequest, inspection_id: int) -> HttpResponse:
    _allowed(request, policy.INSPECTIONS)
    found = _found(request, selectors.inspection(inspection_id))
    if not found.graded:
        policy.refuse(request.user, request.path)
    initial = {j.area: j.grade for j in found.judgements.all()}
    form = JudgementsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_judgements(inspection=found, grades=form.grades(), by=request.user)
        except RecordError as error:
            _blame(form, error.field, error.message)
        else:
            return redirect("inspection", inspection_id=found.pk)
    return render(request, "inspection/form.html", {
        "form": form, "title": "Record the judgements", "caption": str(found),
        "button": "Save judgements", "cancel_url": found_url(found)},
        status=400 if form.errors else 200)


def found_url(inspection) -> str:
    return reverse("inspection", kwargs={"inspection_id": inspection.pk})


@login_required
def add_area(request: HttpRequest, inspection_id: int) -> HttpResponse:
    _allowed(request, policy.INSPECTIONS)
    found = _found(request, selectors.inspection(inspection_id))
    form = AreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_area(inspection=found, text=form.cleaned_data["text"], by=request.user)
        except RecordError as error:
            _blame(form, error.field, error.message)
        else:
            return redirect("inspection", inspection_id=found.pk)
    return render(request, "inspection/form.html", {
        "form": form, "title": "Add an area for improvement", "caption": str(found),
        "button": "Add area for improvement", "cancel_url": found_url(found)},
        status=400 if form.errors else 200)


@login_required
def add_action(request: HttpRequest, area_id: int) -> HttpResponse:
    _allowed(request, policy.INSPECTIONS)
    area = _found(request, selectors.area(area_id))
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.add_action(area=area, description=data["description"],
                                         owner=data["owner"], due_on=data["due_on"],
                                         by=request.user)
        except RecordError as error:
            _blame(form, error.field, error.message)
        else:
            return redirect("improvement_action", improvement_action_id=action.pk)
    return render(request, "inspection/form.html", {
        "form": form, "title": "Add an action", "caption": area.text,
        "button": "Add action", "cancel_url": found_url(area.inspection)},
        status=400 if form.errors else 200)


def _action_page(request, action, progress_form=None, evidence_form=None, status=200):
    evidence = []
    for item in action.evidence.select_related("recorded_by"):
        name, url = selectors.indicator_link(item.indicator) if item.indicator else ("", "")
        evidence.append((item, name, url))
    return render(request, "inspection/action.html", {
        "action": action, "overdue": action.overdue(timezone.localdate()),
        "updates": action.updates.select_related("recorded_by"), "evidence": evidence,
        "progress_form": progress_form or ProgressForm(initial={"status": action.status}),
        "evidence_form": evidence_form or EvidenceForm(),
        "keeps_plan": policy.allows(request.user, policy.INSPECTIONS)}, status=status)


def _action_for(request: HttpRequest, improvement_action_id):
    action = selectors.action(improvement_action_id)
    if action is None or not services.may_update(request.user, action):
        policy.refuse(request.user, request.path)
    return action


@login_required
def improvement_action(request: HttpRequest, improvement_action_id: int) -> HttpResponse:
    return _action_page(request, _action_for(request, improvement_action_id))


@login_required
def action_progress(request: HttpRequest, improvement_action_id: int) -> HttpResponse:
    action = _action_for(request, improvement_action_id)
    if request.method != "POST":
        return redirect("improvement_action", improvement_action_id=action.pk)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.update_progress(action=action, text=form.cleaned_data["text"],
                                     status=form.cleaned_data["status"], by=request.user)
        except RecordError as error:
            _blame(form, error.field, error.message)
        except PermissionDenied:
            policy.refuse(request.user, request.path)
        else:
            return redirect("improvement_action", improvement_action_id=action.pk)
    return _action_page(request, action, progress_form=form, status=400)


@login_required
def action_evidence(request: HttpRequest, improvement_action_id: int) -> HttpResponse:
    action = _action_for(request, improvement_action_id)
    if request.method != "POST":
        return redirect("improvement_action", improvement_action_id=action.pk)
    form = EvidenceForm(request.POST)
    if form.is_valid():
        try:
            services.add_evidence(action=action, indicator=form.cleaned_data["indicator"],
                                  text=form.cleaned_data["evidence"], by=request.user)
        except RecordError as error:
            _blame(form, "evidence" if error.field == "text" else error.field, error.message)
        else:
            return redirect("improvement_action", improvement_action_id=action.pk)
    return _action_page(request, action, evidence_form=form, status=400)


@login_required
def improvement_plan(request: HttpRequest) -> HttpResponse:
    """The director's page: the newest plan's progress, actions by status and overdue, by
    area for improvement."""
    _allowed(request, policy.INSPECTIONS)
    latest = selectors.latest_with_plan()
    return render(request, "inspection/plan.html", {
        "plan": selectors.plan(latest) if latest else None,
        "earlier": selectors.earlier_plans(latest) if latest else []})


# -- inspector access -------------------------------------------------------------------------

FIND = "find"  # the name of the grant form's Search button

@login_required
def grant_access(request: HttpRequest, inspection_id: int) -> HttpResponse:
    """Choose the inspector, the children (found by name and ticked, or sampled at random
    from a cohort) and the dates."""
    _allowed(request, policy.GRANT_INSPECTION)
    found = _found(request, selectors.inspection(inspection_id))
    query = (request.POST.get("q") if request.method == "POST" else request.GET.get("q")) or ""
    query = query.strip()[:100]
    if request.method == "POST":
        choosable = policy.visible_children(request.user).filter(restricted=False)
        data = request.POST
        if FIND in data and query:  # searching by name is choosing by name
            data = data.copy()
            data["cohort"] = Cohort.CHOSEN
        form = AccessForm(data, children=choosable, by=request.user)
        if FIND in data:
            # A search is not the form sent: keep what was typed and ticked, say nothing yet.
            form.full_clean()
            form.errors.clear()
        elif form.is_valid():
            data = form.cleaned_data
            try:
                access = services.grant_access(
                    inspection=found, inspector=data["inspector"], starts_on=data["starts_on"],
                    ends_on=data["ends_on"], by=request.user, children=data["children"],
                    cohort=data["cohort"], sample_size=data.get("sample_size"))
            except RecordError as error:
                _blame(form, error.field, error.message)
            else:
                return redirect("inspector_access", access_id=access.pk)
        form.fields["children"].queryset = selectors.pickable(
            request.user, query, also=form.cleaned_data.get("children") or ())
    else:
        today = timezone.localdate()
        form = AccessForm(children=selectors.pickable(request.user, query), by=request.user,
                          initial={"cohort": Cohort.CHOSEN if query else Cohort.IN_CARE,
                                   "starts_on": today, "ends_on": found.ended_on})
    return render(request, "inspection/grant_access.html", {
        "inspection": found, "form": form, "query": query},
        status=400 if form.errors else 200)


def _access_for(request: HttpRequest, access_id):
    _allowed(request, policy.GRANT_INSPECTION)
    return _found(request, selectors.access(access_id))


@login_required
def inspector_access(request: HttpRequest, access_id: int, form=None,
                     status: int = 200) -> HttpResponse:
    """An inspector's access: the children, the dates, every page they opened, and the way
    to end it early."""
    access = _access_for(request, access_id)
    return render(request, "inspection/access.html", {
        "access": access, "children": selectors.sampled_children(access, request.user),
        "opened": selectors.opened(access), "listed": selectors.OPENED_LISTED,
        "open_now": access.open_on(timezone.localdate()),
        "form": form or EndAccessForm()}, status=status)


@login_required
def end_access(request: HttpRequest, access_id: int) -> HttpResponse:
    access = _access_for(request, access_id)
    if request.method != "POST":
        return redirect("inspector_access", access_id=access.pk)
    form = EndAccessForm(request.POST)
    if form.is_valid():
        try:
            services.end_access(access=access, reason=form.cleaned_data["reason"],
                                by=request.user)
        except RecordError as error:
            _blame(form, error.field, error.message)
        else:
            return redirect("inspector_access", access_id=access.pk)
    return inspector_access(request, access_id, form=form, status=400)
