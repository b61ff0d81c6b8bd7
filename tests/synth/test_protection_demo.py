"""The synthetic authority exercises the child protection work of issue 12: strategy discussions
with their attendees and time, safety plans (some in force), initial conferences held late with
the reasons, and conferences booked with chairs who can open the records (iro.demo first)."""

from datetime import date

import pytest
from django.db.models import Count

from cairn.access import policy
from cairn.protection import selectors_protection as selectors
from cairn.protection.models import SafetyPlan, StrategyAttendee, StrategyDiscussion
from cairn.synth.builder import Builder
from cairn.workforce.models import Staff

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 20)


def test_the_demo_authority_has_the_protection_work_to_see():
    # The demo's own authority (cairn demo: 400 children, seed 1, 3 years).
    Builder(children=400, seed=1, years=3, as_of=AS_OF, progress=False).build()
    discussions = StrategyDiscussion.objects.annotate(people=Count("attendees"))
    assert discussions.exists() and not discussions.filter(people__lt=3).exists()
    assert not discussions.filter(held_at__isnull=True).exists()
    assert StrategyAttendee.objects.filter(agency="other").exclude(role="").exists()
    assert SafetyPlan.objects.filter(ended_on__isnull=True).exclude(childs_words="").exists()
    assert SafetyPlan.objects.filter(ended_on__isnull=False).exists()

    chair = Staff.objects.get(username="iro.demo")
    bookings = selectors.conferences_to_chair(chair)
    assert bookings, "iro.demo has no conference to chair"
    visible = policy.visible_children(chair)
    assert all(visible.filter(pk=b.child_id).exists() for b in bookings)

    late, held = selectors.late_initial_conferences(Staff.objects.get(username="sm.demo"),
                                                    since=date(2025, 11, 20))
    assert held and late and all(item.conference.reason_late for item in late)
