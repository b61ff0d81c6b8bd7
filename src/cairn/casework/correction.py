"""Correcting the record: removing an entry made in error from a child's chronology.

One page serves every registered fact. The entry is found through the facts registry (so only a
fact the chronology shows can be named), voided with the reason (never deleted), and listed
afterwards among the child's removed entries with who, when and why. Who may remove what is
decided by `policy.may_correct`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Value
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from cairn.access import policy
from cairn.core import facts
from cairn.core import services as core_services
from cairn.core.forms import VersionedForm, text
from cairn.core.models import AuditEvent

from .recording import record_page, recording_child


@dataclass(frozen=True)
class RemovedEntry:
    """An entry removed from a child's record: what it was, who removed it, when and why."""

    what: str
    on: date | None
    by: object
    at: datetime
    reason: str
    entry: str = ""  # the History page's filter for it ("people.casenote:12")


def _fact(name: str) -> facts.Fact:
    fact = facts.REGISTRY.get(name)
    if fact is None or not fact.chronology:
        raise Http404("No such kind of entry")
    return fact


def entry_for(child, fact_name: str, pk: int, *, staff, page: str):
    """The row behind a chronology entry of `child`, voided or not; 404 (logged) if there is
    none."""
    fact = _fact(fact_name)
    qs = fact.model._default_manager.select_related("recorded_by")
    if fact.where is not None:
        qs = qs.filter(fact.where)
    entry = policy.object_for(staff, qs, pk, page=page, child=child, child_field=fact.child,
                              message="No such entry")
    return fact, entry


def remove_url(child_id: int, fact_name: str, pk: int) -> str:
    return reverse("entry_remove", args=[child_id, fact_name, pk])


def removable(staff, child, events) -> set[tuple[str, int]]:
    """The chronology entries (fact, pk) that `staff` may remove: one query for them all."""
    if not policy.allows(staff, policy.CORRECT):
        return set()
    recordable = policy.can(staff, policy.RECORD, child)
    if not recordable:
        return set()
    by_model: dict[type[models.Model], set[int]] = {}
    for event in events:
        if event.pk is not None:
            by_model.setdefault(facts.REGISTRY[event.fact].model, set()).add(event.pk)
    if not by_model:
        return set()
    queries = [model._default_manager.filter(pk__in=sorted(pks)).annotate(
        entry_model=Value(model._meta.label_lower, output_field=models.CharField()))
        .order_by().values_list("entry_model", "pk", "recorded_by_id", "recorded_at")
        for model, pks in by_model.items()]
    rows = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    allowed = {(label, pk) for label, pk, by_id, at in rows
               if policy.may_correct(staff, child, recorded_by_id=by_id, recorded_at=at,
                                     child_recordable=recordable)}
    return {(e.fact, e.pk) for e in events
            if (facts.REGISTRY[e.fact].model._meta.label_lower, e.pk) in allowed}


def removed_entries(child) -> list[RemovedEntry]:
    """Everything removed from `child`'s record, newest first, from the audit trail."""
    events = (AuditEvent.objects.filter(child_id=child.pk, kind=AuditEvent.Kind.VOIDED)
              .select_related("actor").order_by("-at", "-id"))
    out = []
    for event in events:
        what, on = _describe(event.object_type, event.before or {})
        out.append(RemovedEntry(what, on, event.actor, event.at, event.reason,
                                f"{event.object_type}:{event.object_id}"))
    return out


def _describe(object_type: str, before: dict) -> tuple[str, date | None]:
    """How a removed row reads: its chronology label and date where a fact names it."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type, None
    for fact in facts.REGISTRY.values():
        if fact.model is model and fact.chronology and before.get(fact.date):
            return fact.label, _as_date(before[fact.date])
    return str(model._meta.verbose_name).capitalize(), None


def _as_date(value: str) -> date | None:
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return None


def entry_remove(*, child, fact_name: str, entry, by, reason: str, expected_version: int):
    """Void a chronology entry made in error, if `by` may (policy.may_correct)."""
    if not policy.may_correct(by, child, recorded_by_id=entry.recorded_by_id,
                              recorded_at=entry.recorded_at):
        raise PermissionDenied("correct not allowed")
    return core_services.void(obj=entry, by=by, reason=reason,
                              expected_version=expected_version, child_id=child.pk)


class RemoveEntryForm(VersionedForm):
    reason = text("Why is this entry being removed?",
                  "Enter why this entry is being removed from the record",
                  help_text="For example, recorded on the wrong child's record, or saved twice. "
                            "The reason is kept with the record.")


@login_required
def entry_remove_page(request: HttpRequest, child_id: int, fact_name: str,
                      pk: int) -> HttpResponse:
    """Ask why, show what will go, then remove a chronology entry made in error."""
    child = recording_child(request, child_id)
    fact, entry = entry_for(child, fact_name, pk, staff=request.user, page=request.path)
    if entry.voided_at and request.method != "POST":
        raise Http404("This entry has already been removed")
    if not policy.may_correct(request.user, child, recorded_by_id=entry.recorded_by_id,
                              recorded_at=entry.recorded_at):
        policy.refuse(request.user, request.path, child_id=child.pk,
                      message="correct not allowed", forbidden=True)
    chronology_url = reverse("child_chronology", args=[child.pk])
    # A row can carry more than one chronology entry (a plan's start and its end): all go.
    shown = [o for o in facts.chronology(child.pk)
             if facts.REGISTRY[o.fact].model is fact.model and o.pk == entry.pk]
    about = [(o.label, f"{core_services.long_date(o.on)}{f' ({o.detail})' if o.detail else ''}")
             for o in sorted(shown, key=lambda o: o.on)]
    about += [("Recorded by", str(entry.recorded_by or "Not known")),
              ("Recorded on", f"{timezone.localtime(entry.recorded_at):%-d %B %Y at %H:%M}")]
    form = RemoveEntryForm(request.POST or None, initial={"version": entry.version})
    return record_page(
        request, child, form, title="Remove an entry made in error", button="Remove entry",
        save=lambda data: entry_remove(child=child, fact_name=fact_name, entry=entry,
                                       by=request.user, reason=data["reason"],
                                       expected_version=data["version"]),
        done=chronology_url, success="Entry removed. It is listed under removed entries.",
        cancel_url=chronology_url, versioned=entry, about=about,
        intro="The entry leaves the chronology and every timescale it counted towards. It is "
              "not deleted: it stays on the record, listed under removed entries with your "
              "reason.")

