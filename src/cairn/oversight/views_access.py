"""Who looked: a child's access log, what a member of staff opened, and the subject access
export. Reading a log is itself logged; producing an export is logged as an export."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from cairn.access import policy
from cairn.casework.recording import recording_child, render_child
from cairn.core import audit

from . import selectors_access
from .forms import AccessLogFilterForm, StaffLookupForm, SubjectAccessForm
from .subject_access import build as build_export


def _filters(request: HttpRequest, *, with_who: bool = True) -> tuple[AccessLogFilterForm, dict]:
    """The filter form as asked (GET), and the filters it gives when valid."""
    asked = {k: v for k, v in request.GET.items() if k != "before"}
    form = AccessLogFilterForm(asked or None, with_who=with_who)
    if not asked or not form.is_valid():
        return form, {}
    return form, {k: v for k, v in form.cleaned_data.items() if v}


def _older_url(request: HttpRequest, cursor: str) -> str:
    if not cursor:
        return ""
    query = request.GET.copy()
    query["before"] = cursor
    return f"{request.path}?{query.urlencode()}"


def _newest_url(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("before", None)
    return f"{request.path}?{query.urlencode()}" if query else request.path


@login_required
def child_access_log(request: HttpRequest, child_id: int) -> HttpResponse:
    """Who opened and changed a child's record, and when (newest first)."""
    child = recording_child(request, child_id, action=policy.SEE_ACCESS_LOG)
    form, filters = _filters(request)
    log = selectors_access.record_log(child, cursor=request.GET.get("before", ""), **filters)
    return render_child(request, child, "oversight/child_access_log.html", tab="access_log",
                        form=form, log=log, older_url=_older_url(request, log.older),
                        newest_url=_newest_url(request),
                        may_export=policy.allows(request.user, policy.SUBJECT_ACCESS))


@login_required
def staff_logs(request: HttpRequest) -> HttpResponse:
    """Find a member of staff whose access log to read."""
    policy.require_role(request.user, policy.SEE_ACCESS_LOG)
    form = StaffLookupForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    return render(request, "oversight/staff_logs.html", {
        "form": form, "query": query,
        "staff": selectors_access.staff_for_logs(request.user, query),
        "listed": selectors_access.STAFF_LISTED})


@login_required
def staff_access_log(request: HttpRequest, staff_id: int) -> HttpResponse:
    """What a member of staff opened, changed and was refused (an inspector's pages, a
    leaver's last month)."""
    staff = selectors_access.staff_whose_log(request.user, staff_id)
    if staff is None:
        policy.refuse(request.user, request.path, message="No such member of staff")
    audit.staff_log_read(request.user, staff, request.path)
    form, filters = _filters(request, with_who=False)
    log = selectors_access.staff_log(staff, viewer=request.user,
                                     cursor=request.GET.get("before", ""), **filters)
    return render(request, "oversight/staff_access_log.html", {
        "staff": staff, "form": form, "log": log, "older_url": _older_url(request, log.older),
        "newest_url": _newest_url(request), "today": timezone.localdate()})


@login_required
def subject_access(request: HttpRequest, child_id: int) -> HttpResponse:
    """Produce everything held about a child as one document, marked for redaction."""
    child = recording_child(request, child_id, action=policy.SUBJECT_ACCESS)
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _export(request, child, form.cleaned_data["reference"])
    return render_child(request, child, "oversight/subject_access.html", tab="access_log",
                        form=form, adults=selectors_access.adults_linked(child))


@login_required
def adult_subject_access(request: HttpRequest, person_id: int) -> HttpResponse:
    """The same export for an adult in a child's network (a parent asking what is held)."""
    person = policy.adult_for(request.user, person_id, action=policy.SUBJECT_ACCESS,
                              page=request.path)
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _export(request, person, form.cleaned_data["reference"])
    return render(request, "oversight/adult_subject_access.html",
                  {"person": person, "form": form})


def _export(request: HttpRequest, person, reference: str) -> HttpResponse:
    """Build the document, record that it left Cairn, and hand it over as a file."""
    export = build_export(person, by=request.user)
    action = "child.subject_access" if person.la_child_id else "person.subject_access"
    audit.exported(request.user, person, request.path, action=action,
                   reason=f"Subject access request {reference}")
    body = render_to_string("oversight/subject_access_export.html",
                            {"export": export, "reference": reference,
                             "authority": settings.CAIRN_AUTHORITY})
    response = HttpResponse(body, content_type="text/html; charset=utf-8")
    name = person.la_child_id or f"person-{person.pk}"
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-{name}-{timezone.localdate():%Y-%m-%d}.html"')
    return response
