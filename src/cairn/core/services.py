"""Writes every app shares: voiding a recorded fact, versioned updates, drafts."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from . import audit
from .errors import RecordError, StaleRecord
from .models import AuditEvent, Draft, Recorded


@transaction.atomic
def void(*, obj: Recorded, by, reason: str) -> Recorded:
    """Mark a fact as entered in error; it stays in the record, out of every view."""
    if not reason.strip():
        raise RecordError("Enter why this is being removed from the record", field="reason")
    if obj.voided_at:
        raise RecordError("This has already been removed from the record")
    before = audit.snapshot(obj)
    obj.voided_at, obj.voided_by, obj.void_reason = timezone.now(), by, reason.strip()
    obj.version += 1
    obj.save(update_fields=["voided_at", "voided_by", "void_reason", "version"])
    audit.record(by, f"{obj._meta.model_name}.voided", obj, kind=AuditEvent.Kind.VOIDED,
                 before=before, reason=reason)
    return obj


@transaction.atomic
def update(*, obj: Recorded, by, expected_version: int, changes: dict, reason: str = ""
           ) -> Recorded:
    """Change a recorded fact if nobody else saved it since `expected_version` was read.

    The version check and increment are one UPDATE, so two saves racing cannot both win.
    """
    model = type(obj)
    before = audit.snapshot(obj)
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.full_clean()
    updated = model.objects.filter(pk=obj.pk, version=expected_version).update(
        version=expected_version + 1, **changes)
    if not updated:
        raise StaleRecord(model._meta.verbose_name)
    obj.version = expected_version + 1
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
