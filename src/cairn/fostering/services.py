"""Writes for private fostering: visits to a privately fostered child. One transaction each,
with its access check, validation and audit row."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from cairn.access import policy
from cairn.core import audit
from cairn.core.errors import RecordError

from .models import PrivateFosteringArrangement, PrivateFosteringVisit


@transaction.atomic
def private_fostering_visit_record(*, arrangement: PrivateFosteringArrangement,
                                   visited_on: date, seen: bool, seen_alone: bool,
                                   notes: str = "", by) -> PrivateFosteringVisit:
    """Record a visit to a privately fostered child during the arrangement."""
    policy.require(by, policy.RECORD, arrangement.child)
    if visited_on > timezone.localdate():
        raise RecordError("The date of the visit cannot be in the future", field="visited_on")
    if visited_on < arrangement.notified_on:
        raise RecordError("The visit cannot be before the authority was told of the "
                          f"arrangement on {arrangement.notified_on:%-d %B %Y}",
                          field="visited_on")
    if arrangement.ended_on and visited_on > arrangement.ended_on:
        raise RecordError(f"The arrangement ended on {arrangement.ended_on:%-d %B %Y}: a later "
                          "visit is not a private fostering visit", field="visited_on")
    if seen_alone and not seen:
        raise RecordError("A child seen alone was seen: tick that the child was seen",
                          field="seen")
    visit = PrivateFosteringVisit(arrangement=arrangement, visited_on=visited_on, seen=seen,
                                  seen_alone=seen_alone, notes=notes, by=by, recorded_by=by)
    visit.full_clean()
    visit.save()
    audit.record(by, "pf_visit.recorded", visit, child_id=arrangement.child_id)
    return visit
