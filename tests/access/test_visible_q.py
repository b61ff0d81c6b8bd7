"""policy.visible_q and policy.about_visible_child_q, the per-row forms of visible_children that
the front door's lists use so that their cost does not grow with the authority, pick exactly
the rows visible_children does, for every role, with restricted records granted, allocated,
granted and then revoked, granted until yesterday, and not granted at all."""

from datetime import timedelta

import pytest
from django.utils import timezone

import support
from cairn.access import policy
from cairn.access.models import AccessGrant
from cairn.frontdoor.models import Contact, ContactSource, Referral
from cairn.workforce.models import Role

pytestmark = pytest.mark.django_db

ROLES = ["social_worker", "team_manager", "service_manager", "front_door_worker",
         "performance_analyst", "auditor", "inspector", "administrator", "stranger"]


@pytest.fixture
def world(request, social_worker, restricted_child, front_door_worker, performance_analyst,
          team_manager, service_manager):
    """A child in the social worker's team, one in no one's, and restricted records: one
    allocated to the social worker only, one granted to the front door worker and the analyst,
    one allocated to the front door worker, one whose grant was revoked and one whose grant
    ended yesterday. Each has a contact and a referral."""
    today = timezone.localdate()
    plain = support.make_child("Alex", "Morgan")
    support.allocate(plain, social_worker)
    nobody = support.make_child("Nell", "Quinn")
    granted = support.make_child("Gale", "Hart", restricted=True, restriction_reason="Staff")
    allocated = support.make_child("Ash", "Hart", restricted=True, restriction_reason="Staff")
    support.allocate(allocated, front_door_worker)
    revoked = support.make_child("Rue", "Hart", restricted=True, restriction_reason="Staff")
    lapsed = support.make_child("Lee", "Hart", restricted=True, restriction_reason="Staff")
    for staff in (front_door_worker, performance_analyst):
        AccessGrant.objects.create(child=granted, staff=staff, granted_by=service_manager,
                                   reason="Named on the record")
    AccessGrant.objects.create(child=revoked, staff=front_door_worker, reason="Named",
                               granted_by=service_manager, revoked_at=timezone.now(),
                               revoked_by=service_manager, revoke_reason="No longer needed")
    AccessGrant.objects.create(child=lapsed, staff=front_door_worker, reason="Named",
                               granted_by=service_manager, until=today - timedelta(days=1))
    # Rows made directly: the services would (rightly) refuse the front door worker a contact
    # on a record they may not open, and these tests are about reading them.
    for child in (plain, nobody, restricted_child, granted, allocated, revoked, lapsed):
        Contact.objects.create(child=child, received_at=timezone.now() - timedelta(hours=3),
                               source=ContactSource.SCHOOLS, concerns="Bruising",
                               consent="given", recorded_by=front_door_worker)
        Referral.objects.create(child=child, received_on=today - timedelta(days=3),
                                source=ContactSource.SCHOOLS, primary_need="N1",
                                recorded_by=front_door_worker)
    return {name: request.getfixturevalue(name) for name in ROLES}


@pytest.mark.parametrize("role", ROLES)
def test_the_per_row_filters_pick_the_rows_visible_children_picks(world, role):
    staff = world[role]
    for model in (Contact, Referral):
        rows = model.objects.current()
        expected = set(rows.filter(child__in=policy.visible_children(staff)))
        assert set(rows.filter(policy.visible_q(staff))) == expected
        assert set(rows.filter(policy.about_visible_child_q(staff))) == expected


def test_the_whole_authority_sees_granted_and_allocated_restricted_records_only(world):
    fd = world["front_door_worker"]
    seen = {c.child.given_name for c in Contact.objects.filter(policy.visible_q(fd))}
    assert {"Alex", "Nell", "Gale", "Ash"} <= seen
    assert not seen & {"Robin", "Rue", "Lee"}
    analyst = world["performance_analyst"]
    assert analyst.role == Role.PERFORMANCE_ANALYST
    seen = {r.child.given_name for r in Referral.objects.filter(
        policy.about_visible_child_q(analyst))}
    assert "Gale" in seen and not seen & {"Robin", "Ash", "Rue", "Lee"}
