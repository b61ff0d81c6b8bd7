"""Writes for care leavers: personal adviser contact. One transaction each, with its access
check, validation and audit row."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cairn.access import policy
from cairn.core import audit
from cairn.core.errors import RecordError

from .models import LeavingCareEligibility, PersonalAdviserContact


@transaction.atomic
def personal_adviser_contact_record(*, child, contacted_on: date, in_touch: str,
                                    adviser=None, notes: str = "", by
                                    ) -> PersonalAdviserContact:
    """Record a personal adviser's contact with a care leaver and whether they are in touch."""
    policy.require(by, policy.RECORD, child)
    if contacted_on > timezone.localdate():
        raise RecordError("The date of the contact cannot be in the future", field="contacted_on")
    eligible = LeavingCareEligibility.objects.current().filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=contacted_on), child=child,
        started_on__lte=contacted_on)
    if not eligible.exists():
        raise RecordError(f"{child.full_name} was not eligible for leaving care support on "
                          f"{contacted_on:%-d %B %Y}: record their eligibility first",
                          field="contacted_on")
    contact = PersonalAdviserContact(child=child, contacted_on=contacted_on, in_touch=in_touch,
                                     adviser=adviser or by, notes=notes, recorded_by=by)
    contact.full_clean()
    contact.save()
    audit.record(by, "pa_contact.recorded", contact)
    return contact
