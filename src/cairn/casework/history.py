"""A child's record history: every change to it, field by field (before and after), who made
it, when and why, read from the audit trail (core.audit), newest first, a page at a time.

Who may read it is decided in the access policy: anyone who may open the child's record reads
its history (they could read each value while it stood); the words of an entry removed from
the record are read only by those `policy.may_see_removed` names. Views of the record (who
looked) are not changes and are not shown here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.db import models
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from cairn.access import policy
from cairn.core.models import AuditEvent
from cairn.people.models import Person

from .recording import recording_child, render_child

PER_PAGE = 25
CHANGES = (AuditEvent.Kind.CREATED, AuditEvent.Kind.CHANGED, AuditEvent.Kind.VOIDED,
           AuditEvent.Kind.DECIDED)
# Who recorded a row, and when, the history says in its own words on every entry.
NOT_SHOWN = {"recorded_by_id"}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class FieldChange:
    label: str
    before: str | None  # None: the field was not there before (an entry added)
    after: str | None  # None: nothing after (the words of a removed entry)


@dataclass
class HistoryEntry:
    """One change to the record as the History page says it."""

    event: AuditEvent
    what: str  # "Case note changed"
    changes: list[FieldChange] = field(default_factory=list)
    removed: bool = False
    removed_hidden: bool = False  # removed, and the viewer may not read its words
    entry: str = ""  # the `entry` filter naming the row changed ("people.casenote:12")


def entry_key(obj_or_label, pk=None) -> str:
    """The History page's filter for one entry: its model label and id."""
    if pk is None:
        return f"{obj_or_label._meta.label_lower}:{obj_or_label.pk}"
    return f"{obj_or_label}:{pk}"


def history_url(child_id: int, entry: str = "") -> str:
    url = reverse("child_history", args=[child_id])
    return f"{url}?entry={entry}" if entry else url


def _cursor(event: AuditEvent) -> str:
    """Where the next page starts: the last event's moment (in whole microseconds) and id."""
    return f"{(event.at - EPOCH) // timedelta(microseconds=1)}.{event.pk}"


def _after_cursor(value: str) -> Q | None:
    try:
        micros, pk = (int(part) for part in value.split("."))
    except (TypeError, ValueError):
        return None
    at = EPOCH + timedelta(microseconds=micros)
    return Q(at__lt=at) | Q(at=at, pk__lt=pk)


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _fields(model) -> dict[str, models.Field]:
    """The fields a history shows, by the name the audit snapshot keeps them under."""
    return {f.attname: f for f in model._meta.concrete_fields
            if f.editable and not f.primary_key and f.attname not in NOT_SHOWN}


def _label(f: models.Field) -> str:
    text = str(f.verbose_name)
    return text[:1].upper() + text[1:]


def _parse(value, kind: type) -> date | datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    if kind is date:
        return parsed.date()
    return timezone.localtime(parsed) if timezone.is_aware(parsed) else parsed


def _say(f: models.Field, value, names: dict) -> str:
    """A stored value in words: a choice's label, Yes or No, a date, a person's name."""
    if value is None or value == "" or value == []:
        return "Not recorded"
    if f.is_relation:
        return names.get((f.related_model, value), "Another record")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(f, models.DateTimeField):
        moment = _parse(value, datetime)
        return f"{moment:%-d %b %Y %H:%M}" if moment else str(value)
    if isinstance(f, models.DateField):
        day = _parse(value, date)
        return f"{day.day} {day:%b %Y}" if day else str(value)
    return str(value)


def _names(events: list[AuditEvent], viewer) -> dict:
    """The names of the records the page's changes point to (a worker, a person): one query
    for each kind of record pointed to, whatever the number of changes. A restricted child the
    viewer may not open is not named (it reads "Another record")."""
    wanted: dict[type, set] = {}
    for event in events:
        model = _model(event.object_type)
        if model is None:
            continue
        for name, f in _fields(model).items():
            if f.is_relation:
                for snap in (event.before or {}, event.after or {}):
                    if snap.get(name) is not None:
                        wanted.setdefault(f.related_model, set()).add(snap[name])
    out = {}
    for model, pks in wanted.items():
        rows = model._default_manager.filter(pk__in=sorted(pks))
        if issubclass(model, Person):
            rows = rows.filter(Q(restricted=False)
                               | Q(pk__in=policy.visible_children(viewer).values("pk")))
        out.update({(model, obj.pk): str(obj) for obj in rows})
    return out


def _removed(child, events: list[AuditEvent]) -> set[tuple[str, str]]:
    """The entries among `events` that have since been removed from `child`'s record."""
    ids = {e.object_id for e in events if e.object_id}
    if not ids:
        return set()
    return set(AuditEvent.objects.filter(child_id=child.pk, kind=AuditEvent.Kind.VOIDED,
                                         object_id__in=sorted(ids))
               .values_list("object_type", "object_id"))


def _describe(event: AuditEvent, *, see_removed: bool, names: dict,
              removed: bool = False) -> HistoryEntry:
    model = _model(event.object_type)
    if model is None:
        return HistoryEntry(event, event.action)
    what = str(model._meta.verbose_name)
    what = what[:1].upper() + what[1:]
    verb = event.action.rpartition(".")[2].replace("_", " ") or event.get_kind_display()
    entry = HistoryEntry(event, f"{what} {verb}", entry=entry_key(event.object_type,
                                                                  event.object_id))
    shown = _fields(model)
    before, after = event.before or {}, event.after or {}
    if event.kind == AuditEvent.Kind.VOIDED:
        entry.what, entry.removed = f"{what} removed", True
    if (event.kind == AuditEvent.Kind.VOIDED or removed) and not see_removed:
        # What a removed entry said, in any version, is for those who may read it.
        entry.removed_hidden = True
        return entry
    if entry.removed:
        entry.changes = [FieldChange(_label(f), _say(f, before.get(name), names), None)
                         for name, f in shown.items() if before.get(name) not in (None, "", [])]
        return entry
    if not before:  # an entry added (or a decision recorded): what it says
        entry.changes = [FieldChange(_label(f), None, _say(f, after.get(name), names))
                         for name, f in shown.items() if after.get(name) not in (None, "", [])]
        return entry
    entry.changes = [FieldChange(_label(f), _say(f, before.get(name), names),
                                 _say(f, after.get(name), names))
                     for name, f in shown.items() if before.get(name) != after.get(name)]
    return entry


def history(child, *, viewer, after: str = "", entry: str = "") -> tuple[list[HistoryEntry],
                                                                              str]:
    """A page of the changes to `child`'s record, newest first, and the cursor of the next
    page ("" on the last). `entry` ("people.casenote:12") keeps to one entry's changes.

    The page is read with a LIMIT from the (child, moment) index and continues from the last
    row shown, so a page costs the same on a record of ten changes or ten thousand.
    """
    events = (AuditEvent.objects.filter(child_id=child.pk, kind__in=CHANGES)
              .select_related("actor").order_by("-at", "-pk"))
    if entry:
        object_type, _, object_id = entry.partition(":")
        events = events.filter(object_type=object_type, object_id=object_id)
    if after and (where := _after_cursor(after)) is not None:
        events = events.filter(where)
    rows = list(events[:PER_PAGE + 1])
    more = len(rows) > PER_PAGE
    rows = rows[:PER_PAGE]
    see_removed = policy.may_see_removed(viewer, child)
    removed = _removed(child, rows) if not see_removed else set()
    names = _names(rows, viewer)
    return ([_describe(e, see_removed=see_removed, names=names,
                       removed=(e.object_type, e.object_id) in removed) for e in rows],
            _cursor(rows[-1]) if more else "")


@login_required
def child_history(request: HttpRequest, child_id: int) -> HttpResponse:
    """Every change to the child's record, field by field: who, when and why."""
    child = recording_child(request, child_id, action=policy.VIEW)
    entry = request.GET.get("entry", "")[:130]
    entries, next_cursor = history(child, viewer=request.user, after=request.GET.get("after", ""),
                                   entry=entry)
    base = history_url(child.pk, entry)
    joiner = "&" if "?" in base else "?"
    return render_child(request, child, "casework/child_history.html", tab="history",
                        entries=entries, entry=entry, all_url=history_url(child.pk),
                        next_url=f"{base}{joiner}after={next_cursor}" if next_cursor else "",
                        first_url=base if request.GET.get("after") else "")
