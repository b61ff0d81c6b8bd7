"""When two people edit the same record: the second to save sees what the first saved, field by
field beside their own typing, who saved it and when, and chooses per field.

Every edit form (a `forms.VersionedForm`) carries the version it was read at and a fingerprint
of the values it started from (`started`). On a StaleRecord the view calls `show()`: a field the
other person changed is one whose stored value now differs from where the form started; those
that also differ from the user's typing are offered as a choice, "Keep their value" (the
default) or "Use mine". On the next save `apply_choices()` puts their value back in every field
where the user kept theirs, so saving again reverts nobody's change that was not chosen.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime

from django import forms
from django.db import models
from django.http import QueryDict
from django.utils import timezone

from .errors import StaleRecord
from .models import AuditEvent

# Fields of the form that are about the form, never the record.
BOOKKEEPING = {"version", "started"}
CHOICE_PREFIX = "conflict-"
THEIRS, MINE = "theirs", "mine"


@dataclass
class FieldConflict:
    """One field the other person changed that the user typed differently."""

    name: str
    label: str
    by: str
    at: str
    theirs: str
    mine: str

    @property
    def choice_name(self) -> str:
        return CHOICE_PREFIX + self.name


@dataclass
class Conflict:
    """What the panel above the form shows."""

    thing: str
    by: str
    at: str
    fields: list[FieldConflict] = dataclass_field(default_factory=list)
    # (label, value now) of what they changed that this form does not edit.
    elsewhere: list[tuple[str, str]] = dataclass_field(default_factory=list)

    @property
    def anchor(self) -> str:
        return self.fields[0].choice_name if self.fields else "conflict"


# Values as the form would post them, so that a date, a choice and a record compare alike
# whether they came from the stored row (initial) or from the user's typing (cleaned_data).

def _choice_key(field: forms.Field, value) -> str:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    coerce = getattr(field, "coerce", None)
    for key, _label in _flat_choices(field):
        if str(key) == str(value):
            return str(key)
        if coerce is not None and key not in ("", None):
            try:
                if coerce(key) == value and type(coerce(key)) is type(value):
                    return str(key)
            except (TypeError, ValueError):
                continue
    return str(value)


def _flat_choices(field: forms.Field):
    for key, label in getattr(field, "choices", []):
        if isinstance(label, (list, tuple)):
            yield from label
        else:
            yield key, label


def _empty(value) -> bool:
    return value is None or value == "" or (isinstance(value, (list, tuple, set))
                                            and not value)


def plain(field: forms.Field, value) -> str:
    """`value` of `field` as one comparable string ("" when empty)."""
    if _empty(value):
        return ""
    if isinstance(value, models.QuerySet):
        value = list(value)
    if isinstance(field, forms.ChoiceField):
        values = value if isinstance(value, (list, tuple, set)) else [value]
        return "|".join(sorted(_choice_key(field, v) for v in values if not _empty(v)))
    if isinstance(value, (list, tuple)) and isinstance(field, forms.MultiValueField):
        try:
            value = field.clean(list(value))  # a date still in its three boxes
        except forms.ValidationError:
            return "|".join(str(v or "") for v in value)
        if value is None:
            return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("\r\n", "\n").strip()


def shown(field: forms.Field, value) -> str:
    """`value` of `field` as a person reads it."""
    key = plain(field, value)
    if key == "":
        return "Not given"
    if isinstance(field, forms.ModelChoiceField):
        values = value if isinstance(value, (list, tuple, set, models.QuerySet)) else [value]
        if not all(isinstance(v, models.Model) for v in values):
            values = list(field.queryset.filter(pk__in=key.split("|")))
        return ", ".join(str(v) for v in values)
    if isinstance(field, forms.ChoiceField):
        labels = {str(k): str(label) for k, label in _flat_choices(field)}
        return ", ".join(labels.get(k, k) for k in key.split("|"))
    if isinstance(value, datetime):
        return _moment(value)
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return key


def _moment(value: datetime) -> str:
    return f"{timezone.localtime(value):%-d %B %Y at %H:%M}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _compared(form) -> list[str]:
    """The fields that mirror the stored record: all but bookkeeping and those a form starts
    from something else (a decision's date defaulting to today)."""
    skip = BOOKKEEPING | set(getattr(form, "not_stored", ()))
    return [name for name, field in form.fields.items()
            if name not in skip and not isinstance(field.widget, forms.HiddenInput)]


def fingerprint(form, values: dict | None = None) -> str:
    """A short digest per field of the values the form starts from (its initial by default),
    carried in the hidden `started` field: enough to tell later which fields someone else
    changed, without echoing the record's text into the page twice."""
    values = form.initial if values is None else values
    return json.dumps({name: _digest(plain(form.fields[name], values.get(name)))
                       for name in _compared(form)}, separators=(",", ":"))


def _started(form) -> dict | None:
    try:
        started = json.loads(form.data.get(form.add_prefix("started")) or "")
    except (TypeError, ValueError):
        return None
    return started if isinstance(started, dict) else None


def _posted_version(form) -> int | None:
    try:
        return int(form.data.get(form.add_prefix("version")))
    except (TypeError, ValueError):
        return None


def _mutable(form):
    data = form.data
    if isinstance(data, QueryDict):
        return data.copy()
    return QueryDict(mutable=True) if not data else _querydict(data)


def _querydict(data: dict) -> QueryDict:
    out = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, (list, tuple)):
            out.setlist(key, [str(v) for v in value])
        else:
            out[key] = "" if value is None else str(value)
    return out


def _put(data: QueryDict, form, name: str, value) -> None:
    """Write `value` into `data` as the field's widget would have posted it."""
    field = form.fields[name]
    widget = field.widget
    key = form.add_prefix(name)
    if isinstance(widget, forms.MultiWidget):
        parts = value if isinstance(value, (list, tuple)) else widget.decompress(value)
        for suffix, part in zip(widget.widgets_names, parts):
            data[key + suffix] = "" if part is None else str(part)
    elif isinstance(widget, forms.CheckboxInput):
        if value:
            data[key] = "on"
        else:
            data.pop(key, None)
    elif isinstance(widget, forms.SelectMultiple):
        data.setlist(key, [v for v in plain(field, value).split("|") if v])
    elif isinstance(field, forms.ChoiceField):
        data[key] = plain(field, value)
    else:
        data[key] = "" if value is None else str(value)


def apply_choices(form) -> None:
    """Before validating a save made after a conflict: their value goes back into every field
    where the user chose to keep theirs."""
    if not form.is_bound:
        return
    kept = [name for name in _compared(form)
            if form.data.get(CHOICE_PREFIX + name) == THEIRS and name in form.initial]
    if not kept:
        return
    data = _mutable(form)
    for name in kept:
        _put(data, form, name, form.initial[name])
    form.data = data


def _events(obj, since: int | None) -> list[AuditEvent]:
    """The audit trail's saves of `obj` after version `since`, newest first."""
    if obj is None or obj.pk is None:
        return []
    events = (AuditEvent.objects.filter(object_type=obj._meta.label_lower,
                                        object_id=str(obj.pk))
              .exclude(kind__in=[AuditEvent.Kind.VIEWED, AuditEvent.Kind.DENIED])
              .select_related("actor").order_by("-at", "-id")[:20])
    newer = [e for e in events if since is None or (e.after or {}).get("version", 0) > since]
    return newer or list(events[:1])


def _who(event: AuditEvent | None, fallback: str) -> tuple[str, str]:
    if event is None:
        return fallback, ""
    actor = event.actor
    name = (actor.get_full_name() or actor.get_username()) if actor else fallback
    return name, _moment(event.at)


def _changed_in(events: list[AuditEvent], name: str) -> AuditEvent | None:
    """The newest save that changed the stored field behind form field `name`."""
    for event in events:
        before, after = event.before or {}, event.after or {}
        for attname in (name, f"{name}_id"):
            if attname in after and before.get(attname) != after.get(attname):
                return event
    return None


def _elsewhere(obj, events: list[AuditEvent], form) -> list[tuple[str, str]]:
    """What the other person changed on the record that this form does not edit, as
    (label, value now)."""
    if obj is None or not events:
        return []
    oldest = events[-1].before or {}
    out = []
    for model_field in obj._meta.concrete_fields:
        attname = model_field.attname
        if (attname in BOOKKEEPING or model_field.name in form.fields
                or attname not in (events[0].after or {})
                or oldest.get(attname) == events[0].after.get(attname)
                or attname in {"updated_at", "created_at"}):
            continue
        value = getattr(obj, model_field.name, None)
        if model_field.choices:
            value = getattr(obj, f"get_{model_field.name}_display")()
        elif isinstance(value, datetime):
            value = _moment(value)
        elif isinstance(value, date):
            value = f"{value:%-d %B %Y}"
        elif isinstance(value, bool):
            value = "Yes" if value else "No"
        out.append((str(model_field.verbose_name).capitalize(),
                    "Not given" if value in (None, "") else str(value)))
    return out


def show(form, obj, error: StaleRecord | None = None, *, version: int | None = None) -> Conflict:
    """After a StaleRecord on saving `form` (valid) for `obj`: the panel of what the other
    person saved, field by field, and the form ready to save again.

    Their values are the form's initial (read from the stored record when the page was asked
    for); the form then carries the version that initial was read at (`version` when the
    caller knows better), so saving again is a choice made after reading theirs, and a third
    person's save in between is a conflict in its turn.
    """
    thing = getattr(error, "thing", "") or (str(obj._meta.verbose_name) if obj is not None
                                             else "record")
    thing = {"child": "child's record"}.get(str(thing), str(thing))
    posted = _posted_version(form)
    started = _started(form)
    events = _events(obj, posted)
    by, at = _who(events[0] if events else None, getattr(error, "saved_by", "Someone else"))
    conflict = Conflict(thing=thing, by=by, at=at)
    cleaned = getattr(form, "cleaned_data", {})
    for name in _compared(form):
        field = form.fields[name]
        if name not in form.initial or name not in cleaned:
            continue
        theirs, mine = form.initial[name], cleaned[name]
        if plain(field, theirs) == plain(field, mine):
            continue
        if started is not None and started.get(name) == _digest(plain(field, theirs)):
            continue  # they did not change it: the user's typing stands
        who, when = _who(_changed_in(events, name) or (events[0] if events else None), by)
        conflict.fields.append(FieldConflict(
            name=name, label=str(field.label or name), by=who, at=when,
            theirs=shown(field, theirs), mine=shown(field, mine)))
    if not conflict.fields:
        conflict.elsewhere = _elsewhere(obj, events, form)
    if version is None:
        version = form.initial.get("version")
        if (version is None or version == posted) and obj is not None:
            obj.refresh_from_db()
            version = obj.version
    data = _mutable(form)
    data[form.add_prefix("version")] = str(version)
    data[form.add_prefix("started")] = fingerprint(form)
    form.data = data
    form.conflict = conflict
    form.add_error(None, message(conflict))
    return conflict


def message(conflict: Conflict) -> str:
    if conflict.fields:
        return (f"{conflict.by} changed this {conflict.thing} while you were editing it. Your "
                "changes have not been saved yet: choose which value to keep for each field "
                "they changed, then save again.")
    return (f"{conflict.by} changed this {conflict.thing} while you were editing it. Your "
            "changes have not been saved yet: read what they changed, then save again if yours "
            "still applies.")
