"""What every recording page shares: the child from the URL (404 and logged if not yours), the
child-record frame around the form, a service's error on its field, the draft cleared on save,
and a clear conflict when someone else saved first."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cairn.access import policy
from cairn.core import audit, conflicts
from cairn.core import services as core_services
from cairn.core.errors import RecordError, StaleRecord

from . import selectors


def recording_child(request: HttpRequest, child_id, action: str = policy.RECORD):
    """The child named in the URL, or 404 (logged); a GET of the page is logged as a view."""
    child = policy.child_for(request.user, child_id, action=action, page=request.path)
    if request.method == "GET":
        audit.viewed(request.user, child, request.path)
    return child


def render_child(request: HttpRequest, child, template: str, *, tab: str = "", due=None,
                 **context) -> HttpResponse:
    """A page inside the child's record: the banner, then the page's own content. `due`: the
    child's timescales today, where the page has evaluated them (selectors.child_summary)."""
    return render(request, template, {
        "child": child, "summary": selectors.child_summary(child, due=due), "tab": tab,
        "can_record": policy.allows(request.user, policy.RECORD), **context})


def add_error(form, error: RecordError, aliases: dict | None = None) -> None:
    """Put a service's error on the form field it names (or in the summary if none)."""
    field = (aliases or {}).get(error.field, error.field)
    form.add_error(field if field in form.fields else None, error.message)


def show_conflict(form, obj, error: StaleRecord, *, version: int | None = None) -> None:
    """Someone else saved `obj` first: the form keeps what was typed and shows, field by field,
    what they saved, who and when, for the user to choose (core.conflicts)."""
    if "started" in form.fields:  # a VersionedForm
        conflicts.show(form, obj, error, version=version)
    else:
        form.add_error(None, error.message)


def draft_finished(request: HttpRequest) -> None:
    """The form at this path was saved: its draft is finished with, on the server and (on the
    next page) in the browser."""
    core_services.draft_discard(owner=request.user, key=request.path)
    request.session["draft_saved"] = request.path


def saved(request: HttpRequest, message: str) -> None:
    """The form's draft is finished with, on the server and in the browser."""
    draft_finished(request)
    messages.success(request, message)


def record_page(request: HttpRequest, child, form, *, title: str, button: str,
                save: Callable, done: Callable | str, success: str, cancel_url: str,
                aliases: dict | None = None, about=None, intro: str = "",
                versioned=None, template: str = "casework/record_form.html") -> HttpResponse:
    """Show `form`; on a valid POST run `save` (one transaction) and go to `done`.

    When someone else saved `versioned` first, the form keeps what was typed and shows what
    they saved field by field; saving again keeps theirs wherever the user did not choose
    their own.
    """
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                result = save(form.cleaned_data)
        except RecordError as error:
            if isinstance(error, StaleRecord) and versioned is not None:
                show_conflict(form, versioned, error)
            else:
                add_error(form, error, aliases)
        else:
            saved(request, success)
            return redirect(done(result) if callable(done) else done)
    return render_child(request, child, template, form=form, title=title, button=button,
                        cancel_url=cancel_url, about=about, intro=intro)
