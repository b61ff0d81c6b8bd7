"""People's pages: my work, search and the pages of a child's record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cairn.core import audit, correction, facts, policy, timescales
from cairn.core import services as core_services
from cairn.core.errors import RecordError
from cairn.core.recording import record_page, recording_child
from cairn.returns.validators import open_failures

from . import selectors, services
from .forms import CaseNoteForm, ChildDetailsForm, SearchForm

RESULTS_PER_PAGE = 20


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """My work: the children allocated to me and what is due or overdue for them."""
    allocations = list(selectors.caseload(worker=request.user, viewer=request.user))
    children = {a.child_id: a.child for a in allocations}
    items = timescales.open_items(children)
    items.sort(key=lambda d: (d.status != timescales.Status.OVERDUE, d.due_on))
    return render(request, "people/home.html", {
        "allocations": allocations,
        "items": [(item, children[item.child_id]) for item in items],
        "overdue": sum(1 for item in items if item.status == timescales.Status.OVERDUE),
        "grants": list(selectors.granted_records(request.user)),
    })


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Find a child by name, date of birth or identifier, among the records I may open."""
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = selectors.search_children(viewer=request.user, query=query) if query else []
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "people/search.html",
                  {"form": form, "query": query, "page": page, "searched": bool(query)})


def _child(request: HttpRequest, child_id: int):
    child = policy.child_for(request.user, child_id, page=request.path)
    audit.viewed(request.user, child, request.path)
    return child


def _render_child(request, child, template: str, tab: str, **context) -> HttpResponse:
    return render(request, template, {
        "child": child, "summary": selectors.child_summary(child), "tab": tab,
        "can_record": policy.allows(request.user, policy.RECORD), **context})


@login_required
def child(request: HttpRequest, child_id: int) -> HttpResponse:
    child = _child(request, child_id)
    recent = selectors.case_notes(child)[:5]
    return _render_child(request, child, "people/child_summary.html", "summary",
                         recent_notes=recent, return_failures=open_failures(child))


@login_required
def child_chronology(request: HttpRequest, child_id: int) -> HttpResponse:
    child = _child(request, child_id)
    kinds = sorted({(name, fact.label) for name, fact in facts.REGISTRY.items()
                    if fact.chronology}, key=lambda k: k[1])
    kind = request.GET.get("kind", "")
    events = facts.chronology(child.pk)
    if kind in facts.REGISTRY:
        events = [e for e in events if e.fact == kind]
    else:
        kind = ""
    removable = correction.removable(request.user, child, events)
    rows = [(event, correction.remove_url(child.pk, event.fact, event.pk)
             if (event.fact, event.pk) in removable else "") for event in events]
    return _render_child(request, child, "people/child_chronology.html", "chronology",
                         events=events, rows=rows, kinds=kinds, kind=kind,
                         removed=correction.removed_entries(child))


@login_required
def child_timescales(request: HttpRequest, child_id: int) -> HttpResponse:
    child = _child(request, child_id)
    items = sorted(timescales.evaluate([child.pk]), key=lambda d: d.due_on, reverse=True)
    return _render_child(request, child, "people/child_timescales.html", "timescales",
                         items=items)


@login_required
def child_relationships(request: HttpRequest, child_id: int) -> HttpResponse:
    child = _child(request, child_id)
    return _render_child(request, child, "people/child_relationships.html", "relationships",
                         relationships=selectors.relationships(child))


@login_required
def child_case_notes(request: HttpRequest, child_id: int) -> HttpResponse:
    child = _child(request, child_id)
    return _render_child(request, child, "people/child_case_notes.html", "case_notes",
                         notes=selectors.case_notes(child))


@login_required
def case_note_add(request: HttpRequest, child_id: int) -> HttpResponse:
    child = policy.child_for(request.user, child_id, action=policy.RECORD, page=request.path)
    audit.viewed(request.user, child, request.path)
    form = CaseNoteForm(request.POST or None)
    if form.is_valid():
        try:
            services.case_note_add(child=child, by=request.user, **form.cleaned_data)
        except RecordError as error:
            form.add_error(error.field, error.message)
        else:
            core_services.draft_discard(owner=request.user, key=request.path)
            request.session["draft_saved"] = request.path
            messages.success(request, "Case note added")
            return redirect("child_case_notes", child.pk)
    return _render_child(request, child, "people/case_note_add.html", "case_notes", form=form)


CHILD_DETAILS = ["given_name", "family_name", "other_names", "birth_date", "sex", "ethnicity",
                 "upn", "upn_unknown", "nhs_number", "first_language"]


@login_required
def child_details(request: HttpRequest, child_id: int) -> HttpResponse:
    """Change who the child is recorded as (the census and SSDA903 identify the child by it)."""
    child = recording_child(request, child_id)
    form = ChildDetailsForm(request.POST or None, initial={
        "version": child.version, **{name: getattr(child, name) for name in CHILD_DETAILS}})
    return record_page(
        request, child, form, title="Change the child's details", button="Save details",
        cancel_url=child.get_absolute_url(), success="Details saved", versioned=child,
        save=lambda data: core_services.update(
            obj=child, by=request.user, expected_version=data["version"],
            changes={name: data[name] for name in CHILD_DETAILS}),
        done=child.get_absolute_url())

