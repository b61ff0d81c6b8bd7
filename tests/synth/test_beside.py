"""The demo authority's reviewing officer, fostering worker and personal adviser have children
of their own to open, through the allocations the access policy reads."""

from datetime import date

import pytest

from cairn.access import policy
from cairn.synth.builder import Builder
from cairn.workforce.models import Allocation, Role, Staff

pytestmark = pytest.mark.django_db


def test_the_workers_beside_the_social_worker_have_caseloads():
    Builder(children=600, seed=1, years=5, as_of=date(2026, 11, 25), progress=False).build()
    today = date(2026, 11, 25)
    demo = {s.role: s for s in Staff.objects.filter(username__endswith=".demo")}
    iro = Allocation.objects.filter(worker=demo[Role.IRO], kind=Allocation.Kind.IRO)
    assert iro.filter(ended_on__isnull=True).count() >= 10
    assert policy.visible_children(demo[Role.IRO]).count() >= 10
    # Every reviewing officer allocation covers a plan or a period of care: none starts later
    # than --as-of, and none ends before it starts.
    assert not Allocation.objects.filter(kind=Allocation.Kind.IRO, started_on__gt=today).exists()
    fostering = Allocation.objects.filter(kind=Allocation.Kind.FOSTERING)
    assert fostering.exists()
    assert all(a.worker.role == Role.FOSTERING for a in fostering.select_related("worker"))
    assert Allocation.objects.filter(worker=demo[Role.PERSONAL_ADVISER],
                                     kind=Allocation.Kind.PERSONAL_ADVISER,
                                     ended_on__isnull=True).exists()
