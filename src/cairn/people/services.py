"""Writes to people's records: case notes."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from cairn.core import audit, policy
from cairn.core.errors import RecordError

from .models import CaseNote, Child


@transaction.atomic
def case_note_add(*, child: Child, by, kind: str, occurred_on: date, subject: str, body: str,
                  child_seen: bool | None = None, child_seen_alone: bool | None = None
                  ) -> CaseNote:
    """Record a piece of work with or about a child on the child's record."""
    policy.require(by, policy.RECORD, child)
    if occurred_on > timezone.localdate():
        raise RecordError("The date must be today or in the past", field="occurred_on")
    if child_seen_alone and not child_seen:
        raise RecordError("A child seen alone must also be recorded as seen",
                          field="child_seen_alone")
    note = CaseNote(child=child, kind=kind, occurred_on=occurred_on, subject=subject.strip(),
                    body=body.strip(), child_seen=child_seen, child_seen_alone=child_seen_alone,
                    recorded_by=by)
    note.full_clean()
    note.save()
    audit.record(by, "case_note.added", note)
    return note
