"""The synthetic authority's inspections: sm.demo finds an improvement plan with late actions and
an inspector's access to oversee; inspector.demo finds their sampled children, and no others."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.utils import timezone

import support
from cairn.access import policy
from cairn.inspection import selectors
from cairn.inspection.models import Inspection, InspectorAccess
from cairn.synth.builder import Builder
from cairn.workforce.models import Staff

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 11, 20)


def test_the_demo_has_a_plan_to_follow_and_an_inspector_on_site():
    counts = Builder(children=60, seed=3, years=5, as_of=AS_OF, progress=False).build()
    assert counts["inspection.Inspection"] == 2
    with time_machine.travel(datetime.combine(AS_OF, time(12), tzinfo=timezone.get_current_timezone())):
        past = selectors.latest_with_plan()
        assert past.kind == "ilacs_standard" and past.judgements.count() == 5
        plan = selectors.plan(past)
        assert plan.overdue >= 1 and dict((v, n) for v, _, n in plan.by_status)["completed"] >= 2
        sm, inspector = (Staff.objects.get(username=u) for u in ("sm.demo", "inspector.demo"))
        access = InspectorAccess.objects.get()
        assert access.inspection == Inspection.objects.get(kind="ilacs_short")
        sampled = set(access.grants.values_list("child_id", flat=True))
        assert sampled and set(policy.visible_children(inspector).values_list(
            "pk", flat=True)) == sampled
        assert selectors.opened(access)  # the inspector's first morning
        home = support.client_for(sm).get("/").content.decode()
        assert "overdue" in home and "Isla Pryce" in home
        mine = selectors.inspectors_own(inspector)
        assert {c.pk for c in mine[0][1]} == sampled
