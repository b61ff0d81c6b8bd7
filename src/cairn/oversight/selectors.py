"""Reads for managers' oversight: the work waiting for their authorisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone

from cairn.core import policy
from cairn.frontdoor import selectors as frontdoor_selectors
from cairn.protection.models import Assessment


@dataclass(frozen=True)
class Awaiting:
    """One piece of work waiting for a manager's decision."""

    kind: str
    child: object
    submitted_by: object
    submitted_on: date
    url: str
    detail: str = ""

    @property
    def days_waiting(self) -> int:
        return (timezone.localdate() - self.submitted_on).days


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def assessments_awaiting(manager):
    """Submitted assessments not yet authorised on children in `manager`'s line, oldest first."""
    if not policy.allows(manager, policy.AUTHORISE):
        return Assessment.objects.none()
    return (Assessment.objects.current()
            .filter(submitted_on__isnull=False, authorised_on__isnull=True,
                    child__in=policy.visible_children(manager))
            .select_related("child", "submitted_by").order_by("submitted_on", "pk"))


def awaiting_authorisation(manager) -> list[Awaiting]:
    """Everything waiting for `manager`'s authorisation, longest waiting first. Two queries."""
    items = [Awaiting("Single assessment", a.child, a.submitted_by, a.submitted_on,
                      reverse("assessment_decide", args=[a.pk]),
                      f"Started {a.started_on:%-d %b %Y}")
             for a in assessments_awaiting(manager)]
    items += [Awaiting(s.get_direction_display(), s.child, s.requested_by, _day(s.requested_at),
                       reverse("frontdoor:step_decide", args=[s.pk]), s.rationale[:120])
              for s in frontdoor_selectors.step_decisions_awaiting(manager)]
    items.sort(key=lambda item: (item.submitted_on, item.kind))
    return items


def awaiting_count(manager) -> int:
    if not policy.allows(manager, policy.AUTHORISE):
        return 0
    return (assessments_awaiting(manager).count()
            + frontdoor_selectors.step_decisions_awaiting(manager).count())
