"""The audit trail: every change, decision and view of a child's record, in one table."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.db import models

from .models import AuditEvent

# Secrets never enter the audit trail, whatever row is changed.
NEVER_AUDITED = {"password"}

# What an app does when another app records an event, by the event's action: protection raises
# an assessment update after a significant event (F1) without the recording app knowing of it.
# Each is called as fn(actor, obj) inside the recording service's transaction.
LISTENERS: dict[str, list] = {}


def listen(action: str, fn) -> None:
    """Call `fn(actor, obj)` whenever `record` keeps an event named `action`."""
    LISTENERS.setdefault(action, [])
    if fn not in LISTENERS[action]:
        LISTENERS[action].append(fn)


def snapshot(obj: models.Model) -> dict:
    """The stored values of a row, in a form JSON keeps (for before/after)."""
    out = {}
    for field in obj._meta.concrete_fields:
        if field.attname in NEVER_AUDITED:
            continue
        value = getattr(obj, field.attname)
        if isinstance(value, (date, datetime, time)):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        out[field.attname] = value
    return out


def _child_id(obj) -> int | None:
    for name in ("child_id", "person_id"):
        if hasattr(obj, name):
            return getattr(obj, name)
    if getattr(obj, "la_child_id", None):
        return obj.pk
    return None


def record(actor, action: str, obj: models.Model, *, kind: str = AuditEvent.Kind.CREATED,
           before: dict | None = None, reason: str = "", child_id: int | None = None,
           related: dict | None = None) -> AuditEvent:
    """Keep a change: call inside the service's transaction so both land or neither does.
    `related` adds to the row's values what it holds in other rows (an assessment's factors),
    so that a version can be shown as it was."""
    event = AuditEvent.objects.create(
        actor=actor, kind=kind, action=action,
        object_type=obj._meta.label_lower, object_id=str(obj.pk),
        child_id=child_id if child_id is not None else _child_id(obj),
        before=before, after=snapshot(obj) | (related or {}), reason=reason,
    )
    for fn in LISTENERS.get(action, ()):
        fn(actor, obj)
    return event


def viewed(actor, child, page: str) -> None:
    """Log that `actor` looked at a page of `child`'s record."""
    AuditEvent.objects.create(actor=actor, kind=AuditEvent.Kind.VIEWED, action="child.viewed",
                              object_type="people.person", object_id=str(child.pk),
                              child_id=child.pk, page=page[:300])


def denied(actor, page: str, child_id: int | None = None) -> None:
    """Log a request for a record the user may not see (or that does not exist)."""
    AuditEvent.objects.create(actor=actor if actor and actor.is_authenticated else None,
                              kind=AuditEvent.Kind.DENIED, action="child.denied",
                              child_id=child_id, page=page[:300])


def staff_log_read(actor, staff, page: str) -> None:
    """Log that `actor` read what `staff` opened: reading an access log is itself audited."""
    AuditEvent.objects.create(actor=actor, kind=AuditEvent.Kind.VIEWED,
                              action="staff.access_log.viewed", object_type="workforce.staff",
                              object_id=str(staff.pk), page=page[:300])


def exported(actor, child, page: str, *, action: str, reason: str = "") -> None:
    """Log that `actor` took a copy of `child`'s record out of Cairn (a subject access export)."""
    AuditEvent.objects.create(actor=actor, kind=AuditEvent.Kind.EXPORTED, action=action,
                              object_type="people.person", object_id=str(child.pk),
                              child_id=child.pk, page=page[:300], reason=reason)
