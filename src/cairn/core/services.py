"""Writes every app shares: voiding a recorded fact, versioned updates, drafts."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from . import audit
from .errors import RecordError, StaleRecord
from .models import AuditEvent, Draft, Recorded


def not_future(value: date | datetime, field: str, what: str) -> None:
    """Refuse a date (or moment) after today (now): "The <what> cannot be in the future"."""
    now = timezone.now() if isinstance(value, datetime) else timezone.localdate()
    if value > now:
        raise RecordError(f"The {what} cannot be in the future", field=field)


def long_date(value: date) -> str:
    """A date as messages name it: 2 March 2026."""
    return f"{value:%-d %B %Y}"


def short_date(value: date) -> str:
    """A date as the banner and lists name it: 2 Mar 2026."""
    return f"{value.day} {value:%b %Y}"


def clean(obj) -> None:
    """`full_clean()`, answering with a RecordError on the first field at fault."""
    try:
        obj.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise RecordError(messages[0], field=None if field == NON_FIELD_ERRORS else field
                          ) from error


def save_version(obj, *, expected_version: int | None, fields: list[str], thing: str) -> None:
    """Save `fields` if nobody else saved `obj` since it was read; the check and bump are one
    UPDATE so two saves racing cannot both win."""
    version = obj.version if expected_version is None else expected_version
    values = {name: getattr(obj, name) for name in fields}
    if not type(obj).objects.filter(pk=obj.pk, version=version).update(
            version=version + 1, **values):
        raise StaleRecord(thing)
    obj.version = version + 1


@transaction.atomic
def void(*, obj: Recorded, by, reason: str, expected_version: int | None = None,
         child_id: int | None = None) -> Recorded:
    """Mark a fact as entered in error; it stays in the record, out of every view.

    With `expected_version`, someone else's save since the entry was read is a StaleRecord
    (checked in the same UPDATE); `child_id` names the child for the audit trail when the row
    reaches its child through another row.
    """
    if not reason.strip():
        raise RecordError("Enter why this is being removed from the record", field="reason")
    if obj.voided_at:
        raise RecordError("This has already been removed from the record")
    before = audit.snapshot(obj)
    obj.voided_at, obj.voided_by, obj.void_reason = timezone.now(), by, reason.strip()
    if expected_version is None:
        obj.version += 1
        obj.save(update_fields=["voided_at", "voided_by", "void_reason", "version"])
    else:
        save_version(obj, expected_version=expected_version,
                     fields=["voided_at", "voided_by", "void_reason"],
                     thing=str(obj._meta.verbose_name))
    audit.record(by, f"{obj._meta.model_name}.voided", obj, kind=AuditEvent.Kind.VOIDED,
                 before=before, reason=reason, child_id=child_id)
    return obj


@transaction.atomic
def update(*, obj: Recorded, by, expected_version: int, changes: dict, reason: str = ""
           ) -> Recorded:
    """Change a recorded fact if nobody else saved it since `expected_version` was read.

    The version check and increment are one UPDATE, so two saves racing cannot both win.
    """
    model = type(obj)
    if obj.voided_at:
        raise RecordError(f"This {model._meta.verbose_name} has been removed from the record "
                          "and can no longer be changed")
    before = audit.snapshot(obj)
    originals = {name: getattr(obj, name) for name in changes}
    for name, value in changes.items():
        setattr(obj, name, value)
    try:
        clean(obj)
        save_version(obj, expected_version=expected_version, fields=list(changes),
                     thing=model._meta.verbose_name)
    except RecordError:
        for name, value in originals.items():  # the caller's object stays as it was stored
            setattr(obj, name, value)
        raise
    audit.record(by, f"{model._meta.model_name}.changed", obj, kind=AuditEvent.Kind.CHANGED,
                 before=before, reason=reason)
    return obj


def draft_save(*, owner, key: str, data: dict) -> Draft:
    draft, _ = Draft.objects.update_or_create(owner=owner, key=key[:300],
                                              defaults={"data": data})
    return draft


def draft_discard(*, owner, key: str) -> None:
    # A draft is the user's scratch copy of unsaved typing, not a fact of the record.
    Draft.objects.filter(owner=owner, key=key[:300]).delete()
