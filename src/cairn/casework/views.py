"""Casework pages: my work, search and the pages of a child's record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cairn.access import policy
from cairn.core import facts, stages, timescales
from cairn.core import selectors as core_selectors
from cairn.core import services as core_services
from cairn.core.errors import RecordError
from cairn.people import selectors as people_selectors

from . import correction, history, selectors, services
from .forms import CaseNoteCorrectForm, CaseNoteForm, ChildDetailsForm, SearchForm
from .recording import record_page, recording_child, render_child

RESULTS_PER_PAGE = 20


def _sections(request: HttpRequest, child, where: str) -> tuple[list[str], dict]:
    """What each stage adds to a page (core.stages): its templates and the context they need."""
    templates, context = [], {}
    for section in stages.sections(where):
        templates.append(section.template)
        if section.context is not None:
            context.update(section.context(request, child))
    return templates, context


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """My work: the children I hold, what I answer for (overdue first), what others answer for
    about my children, the records I have been granted, and what each stage adds."""
    sections, context = _sections(request, None, stages.HOME)
    return render(request, "casework/home.html", {
        **selectors.my_work(request.user), **context,
        "grants": list(selectors.granted_records(request.user)),
        "home_sections": sections,
    })


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Find a child by name, date of birth or identifier, among the records I may open."""
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = selectors.search_children(viewer=request.user, query=query) if query else []
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "casework/search.html",
                  {"form": form, "query": query, "page": page, "searched": bool(query)})


@login_required
def child(request: HttpRequest, child_id: int) -> HttpResponse:
    child = recording_child(request, child_id, action=policy.VIEW)
    recent = people_selectors.case_notes(child)[:5]
    # What each stage adds to the summary: its sections (with their context) and its links.
    sections, context = _sections(request, child, stages.SUMMARY)
    # Record work: what fits what is open for the child first, the rest folded away. The open
    # periods are read once, here, and the banner reuses them.
    stages.open_for([child])
    fitting, others, open_now = stages.links_for(child)
    return render_child(request, child, "casework/child_summary.html", tab="summary",
                        recent_notes=recent, sections=sections, fitting_links=fitting,
                        other_links=others, open_now=list(dict.fromkeys(p.label for p in open_now if p.label)),
                        **context)


@login_required
def child_chronology(request: HttpRequest, child_id: int) -> HttpResponse:
    child = recording_child(request, child_id, action=policy.VIEW)
    kinds = sorted({(name, fact.label) for name, fact in facts.REGISTRY.items()
                    if fact.chronology}, key=lambda k: k[1])
    kind = request.GET.get("kind", "")
    # The chronology and the banner's timescales read the child's facts in one query.
    rules = timescales.active_rules()
    found = facts.occurrences([*facts.chronology_names(), *timescales.wanted(rules)], [child.pk])
    due = timescales.evaluate([child.pk], rules=rules, found=found)
    events = facts.chronology(child.pk, found)
    if kind in facts.REGISTRY:
        events = [e for e in events if e.fact == kind]
    else:
        kind = ""
    removable = correction.removable(request.user, child, events)
    recorded = selectors.recorded_by(events)
    rows = [(event, recorded.get((event.fact, event.pk)),
             correction.remove_url(child.pk, event.fact, event.pk)
             if (event.fact, event.pk) in removable else "",
             history.history_url(child.pk, history.entry_key(
                 facts.REGISTRY[event.fact].model._meta.label_lower, event.pk))
             if event.pk is not None else "") for event in events]
    return render_child(request, child, "casework/child_chronology.html", tab="chronology",
                         due=due, events=events, rows=rows, kinds=kinds, kind=kind,
                         removed=correction.removed_entries(child),
                         history_url=history.history_url(child.pk))


@login_required
def child_timescales(request: HttpRequest, child_id: int) -> HttpResponse:
    child = recording_child(request, child_id, action=policy.VIEW)
    due = timescales.evaluate([child.pk])
    items = sorted(due, key=lambda d: d.due_on, reverse=True)
    return render_child(request, child, "casework/child_timescales.html", tab="timescales",
                         due=due, items=items)


@login_required
def child_relationships(request: HttpRequest, child_id: int) -> HttpResponse:
    child = recording_child(request, child_id, action=policy.VIEW)
    return render_child(request, child, "casework/child_relationships.html", tab="relationships",
                         relationships=people_selectors.relationships(
                             child, visible=policy.visible_children(request.user)))


@login_required
def child_case_notes(request: HttpRequest, child_id: int) -> HttpResponse:
    child = recording_child(request, child_id, action=policy.VIEW)
    notes = list(people_selectors.case_notes(child))
    recordable = policy.allows(request.user, policy.CORRECT) and policy.can(
        request.user, policy.RECORD, child)
    correctable = {note.pk for note in notes if recordable and policy.may_correct_note(
        request.user, child, recorded_by_id=note.recorded_by_id, child_recordable=True)}
    return render_child(request, child, "casework/child_case_notes.html", tab="case_notes",
                        notes=notes, correctable=correctable)


@login_required
def child_actions(request: HttpRequest, child_id: int) -> HttpResponse:
    """Every action about the child: open first, overdue first, then those closed."""
    child = recording_child(request, child_id, action=policy.VIEW)
    return render_child(request, child, "casework/child_actions.html", tab="actions",
                        actions=core_selectors.actions_for_child(child))


@login_required
def case_note_add(request: HttpRequest, child_id: int) -> HttpResponse:
    child = recording_child(request, child_id)
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
    return render_child(request, child, "casework/case_note_add.html", tab="case_notes", form=form)


@login_required
def case_note_correct(request: HttpRequest, child_id: int, pk: int) -> HttpResponse:
    """Correct a case note, saying why; the note as it was stays readable on the History."""
    child = recording_child(request, child_id)
    note = people_selectors.case_note_for(child, pk)  # Http404 if not on this child's record
    if not policy.may_correct_note(request.user, child, recorded_by_id=note.recorded_by_id):
        raise PermissionDenied("correct not allowed")
    form = CaseNoteCorrectForm(request.POST or None, initial={
        "version": note.version, **{name: getattr(note, name) for name in services.CORRECTABLE}})
    notes_url = reverse("child_case_notes", args=[child.pk])
    recorded_at = timezone.localtime(note.recorded_at)
    return record_page(
        request, child, form, title="Correct a case note", button="Save correction",
        cancel_url=notes_url, success="Case note corrected. The note as it was is kept in "
                                      "the record's history.", versioned=note,
        about=[("Recorded by", str(note.recorded_by or "Imported")),
               ("Recorded on", f"{recorded_at:%-d %B %Y at %H:%M}")],
        intro="Correct what the note says. The note will say it was corrected, by you and "
              "when, and the note as it was stays readable in the record's history.",
        save=lambda data: services.case_note_correct(
            note=note, by=request.user, expected_version=data["version"],
            reason=data["reason"], **{name: data[name] for name in services.CORRECTABLE}),
        done=notes_url)


@login_required
def child_details(request: HttpRequest, child_id: int) -> HttpResponse:
    """Change who the child is recorded as (the census and SSDA903 identify the child by it),
    their disabilities and unaccompanied asylum-seeking status."""
    child = recording_child(request, child_id)
    form = ChildDetailsForm(request.POST or None, initial={
        "version": child.version,
        **{name: getattr(child, name) for name in services.CHILD_DETAILS},
        "interpreter_needed": "yes" if child.interpreter_needed else "no",
        "disabilities": selectors.disability_codes(child)})
    return record_page(
        request, child, form, title="Change the child's details", button="Save details",
        cancel_url=child.get_absolute_url(), success="Details saved", versioned=child,
        save=lambda data: services.child_details_change(
            child=child, by=request.user, expected_version=data["version"],
            changes={**{name: data[name] for name in services.CHILD_DETAILS},
                     "interpreter_needed": bool(data["interpreter_needed"])},
            disabilities=data["disabilities"]),
        done=child.get_absolute_url())
