"""The synthetic authority holds restricted records, each a senior manager's decision with the
people it names: the demo shows who sees them (the named, the allocated worker) and who does not
(a colleague in the same team, the analyst, the front door)."""

from datetime import date

import pytest

from cairn.access import policy
from cairn.access.models import AccessGrant, RestrictionDecision
from cairn.core.models import AuditEvent
from cairn.people.models import Child
from cairn.synth.builder import Builder
from cairn.workforce.models import Staff

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 20)


def sees(username: str, child) -> bool:
    staff = Staff.objects.get(username=username)
    return policy.visible_children(staff).filter(pk=child.pk).exists()


def test_the_demo_holds_restricted_records_with_named_staff():
    counts = Builder(children=300, seed=7, years=5, as_of=AS_OF, progress=False).build()
    restricted = list(Child.objects.filter(restricted=True).order_by("pk"))
    assert len(restricted) == 3 == counts["access.RestrictionDecision"]
    reasons = " ".join(c.restriction_reason for c in restricted)
    assert "member of staff" in reasons and "high-profile" in reasons
    # Seed 7 has no adoption in 300 children: the third is a family in a refuge.
    assert "adopted" in reasons or "refuge" in reasons
    for child in restricted:
        decision = RestrictionDecision.objects.get(child=child)
        assert decision.decided_by.username == "sm.demo" and decision.restricted
        assert decision.reason == child.restriction_reason
        named = set(AccessGrant.objects.filter(child=child, decision=decision)
                    .values_list("staff__username", flat=True))
        assert "sm.demo" in named
        assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DECIDED, child_id=child.pk,
                                         reason=decision.reason).exists()
        # The senior manager who decided sees each one; no whole-authority role does.
        assert sees("sm.demo", child)
        for username in ("analyst.demo", "auditor.demo", "frontdoor.demo", "inspector.demo"):
            assert not sees(username, child), (username, child.restriction_reason)
    staff_child, news, birth_record = sorted(
        restricted, key=lambda c: ("staff" not in c.restriction_reason,
                                   "high-profile" not in c.restriction_reason))
    # The staff member's child: tm.demo is named; sw.demo, in the same team, is not.
    assert sees("tm.demo", staff_child) and not sees("sw.demo", staff_child)
    # The case in the news: sw.demo holds it and is named, as is tm.demo.
    assert sees("sw.demo", news) and sees("tm.demo", news)
    assert not sees("tm.demo", birth_record) and not sees("sw.demo", birth_record)
