"""Reads about legal work that returns and pages share."""

from __future__ import annotations

import calendar
from datetime import date

from django.db.models import QuerySet

from .models import EMERGENCY_ORDERS, LegalOrder


def emergency_protection_children(*, as_of: date, months: int = 6) -> QuerySet:
    """Ids of children under an EPO or police protection at any time in the `months` before
    `as_of` (Annex A List 7), as a subquery to filter with."""
    since = _months_before(as_of, months)
    return (LegalOrder.objects.current().filter(kind__in=EMERGENCY_ORDERS, made_on__lte=as_of)
            .exclude(ended_on__lt=since).values("child_id"))


def _months_before(day: date, months: int) -> date:
    """The same day `months` earlier, or that month's last day (31 March less one month is the
    end of February)."""
    month = day.month - months
    year, month = day.year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
