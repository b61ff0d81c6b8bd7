"""Restricting a record, changing who is named on it and lifting it: senior managers' decisions,
each kept with its reason, its audit rows and the grants it made or ended, with the child's
restricted flag in step."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cairn.access import policy
from cairn.access.models import AccessGrant, RestrictionDecision
from cairn.access.services import (
    change_restriction,
    end_access,
    grant_access,
    lift_restriction,
    restrict_record,
)
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.people.models import Child
from support import allocate, make_child, make_staff

pytestmark = pytest.mark.django_db

REASON = "The child of a member of staff in the team"


def sees(staff, child) -> bool:
    return policy.visible_children(staff).filter(pk=child.pk).exists()


def open_named(child) -> set:
    return set(AccessGrant.objects.open_on(timezone.localdate())
               .filter(child=child, decision__isnull=False).values_list("staff__username",
                                                                         flat=True))


@pytest.fixture
def colleague(team):
    """A social worker in the child's team, not allocated to the child."""
    return make_staff("cole_colleague", team=team)


def test_restricting_names_the_manager_and_the_chosen_and_hides_it_from_the_rest(
        child, service_manager, team_manager, colleague, social_worker, performance_analyst):
    decision = restrict_record(child=child, reason=REASON, named_staff=[team_manager],
                               by=service_manager)
    child.refresh_from_db()
    assert child.restricted and child.restriction_reason == REASON
    assert decision.kind == RestrictionDecision.Kind.RESTRICT and decision.restricted
    assert decision.decided_by == service_manager and decision.reason == REASON
    assert open_named(child) == {service_manager.username, team_manager.username}
    assert all(g.granted_by == service_manager and g.reason == REASON and g.decision == decision
               for g in AccessGrant.objects.filter(child=child))
    # The deciding manager and the named manager still see it; the allocated worker too.
    assert sees(service_manager, child) and sees(team_manager, child)
    assert sees(social_worker, child)
    # A colleague in the same team and the analyst (whole authority) no longer do.
    assert not sees(colleague, child)
    assert not sees(performance_analyst, child)
    decided = AuditEvent.objects.get(kind=AuditEvent.Kind.DECIDED)
    assert decided.action == "restriction.restrict" and decided.reason == REASON
    assert decided.child_id == child.pk and decided.actor == service_manager
    assert AuditEvent.objects.filter(action="accessgrant.created", child_id=child.pk).count() == 2
    flag = AuditEvent.objects.get(action="person.changed", child_id=child.pk)
    assert flag.before["restricted"] is False and flag.after["restricted"] is True


def test_a_reason_is_required_and_nothing_is_half_written(child, service_manager):
    with pytest.raises(RecordError, match="Enter why this record is being restricted"):
        restrict_record(child=child, reason="  ", named_staff=[], by=service_manager)
    child.refresh_from_db()
    assert not child.restricted
    assert not RestrictionDecision.objects.exists()
    assert not AccessGrant.objects.exists()
    assert not AuditEvent.objects.exclude(kind=AuditEvent.Kind.VIEWED).exists()


@pytest.mark.parametrize("role", ["social_worker", "team_manager", "performance_analyst",
                                  "administrator"])
def test_only_a_senior_manager_may_restrict(request, child, role):
    with pytest.raises(PermissionDenied):
        restrict_record(child=child, reason=REASON, named_staff=[],
                        by=request.getfixturevalue(role))
    assert not Child.objects.get(pk=child.pk).restricted


def test_a_senior_manager_cannot_restrict_a_child_outside_their_line(elsewhere_child,
                                                                    service_manager):
    with pytest.raises(PermissionDenied):
        restrict_record(child=elsewhere_child, reason=REASON, named_staff=[], by=service_manager)


@pytest.fixture
def elsewhere_child(stranger):
    child = make_child("Jo", "Elsewhere")
    allocate(child, stranger)
    return child


def test_an_administrator_cannot_be_named(child, service_manager, administrator):
    with pytest.raises(RecordError, match="cannot be given access") as error:
        restrict_record(child=child, reason=REASON, named_staff=[administrator],
                        by=service_manager)
    assert error.value.field == "named_staff"
    assert not RestrictionDecision.objects.exists()


def test_restricting_twice_is_refused(child, service_manager):
    restrict_record(child=child, reason=REASON, named_staff=[], by=service_manager)
    with pytest.raises(RecordError, match="already restricted"):
        restrict_record(child=child, reason=REASON, named_staff=[], by=service_manager)
    assert RestrictionDecision.objects.count() == 1


def test_naming_and_removing_people_are_recorded_decisions(child, service_manager, team_manager,
                                                           colleague):
    restrict_record(child=child, reason=REASON, named_staff=[team_manager], by=service_manager)
    added = change_restriction(child=child, reason="Covering while the worker is away",
                               add=[colleague], by=service_manager)
    assert added.kind == RestrictionDecision.Kind.CHANGE
    assert sees(colleague, child)
    removed = change_restriction(child=child, reason="No longer manages the team",
                                 remove=[team_manager], by=service_manager)
    assert open_named(child) == {service_manager.username, colleague.username}
    ended = AccessGrant.objects.get(child=child, staff=team_manager)
    assert ended.revoked_at is not None and ended.revoked_by == service_manager
    assert ended.revoke_reason == "No longer manages the team"
    assert not sees(team_manager, child)
    assert list(RestrictionDecision.objects.filter(child=child).values_list("kind", flat=True)
                .order_by("pk")) == ["restrict", "change", "change"]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DECIDED, child_id=child.pk,
                                     reason=removed.reason).exists()
    assert AuditEvent.objects.filter(action="accessgrant.ended", child_id=child.pk).count() == 1


def test_the_last_named_senior_manager_cannot_be_removed(child, service_manager, colleague):
    restrict_record(child=child, reason=REASON, named_staff=[colleague], by=service_manager)
    with pytest.raises(RecordError, match="senior manager who can change or lift"):
        change_restriction(child=child, reason="Leaving", remove=[service_manager],
                           by=service_manager)
    assert open_named(child) == {service_manager.username, colleague.username}


def test_naming_someone_already_named_is_refused(child, service_manager, team_manager):
    restrict_record(child=child, reason=REASON, named_staff=[team_manager], by=service_manager)
    with pytest.raises(RecordError, match="already named"):
        change_restriction(child=child, reason="Again", add=[team_manager], by=service_manager)


def test_a_change_needs_a_reason(child, service_manager, colleague):
    restrict_record(child=child, reason=REASON, named_staff=[], by=service_manager)
    with pytest.raises(RecordError, match="Enter why you are changing"):
        change_restriction(child=child, reason="", add=[colleague], by=service_manager)
    assert not sees(colleague, child)


def test_a_manager_not_named_cannot_see_change_or_lift_it(child, service_manager, service):
    """A second senior manager of the same line is not named: the record is out of their line
    as of the restriction, so they can neither open, change nor lift it."""
    other = make_staff("sol_head", role="service_manager")
    restrict_record(child=child, reason=REASON, named_staff=[], by=service_manager)
    service.manager = other
    service.save()
    assert not sees(other, child)
    with pytest.raises(PermissionDenied):
        lift_restriction(child=child, reason="Not needed", by=other)


def test_lifting_ends_the_restrictions_grants_and_keeps_others(child, service_manager,
                                                               team_manager, inspector):
    sample = grant_access(child=child, staff=inspector, until=timezone.localdate()
                          + timedelta(days=7), reason="Sampled for the inspection",
                          by=service_manager)
    restrict_record(child=child, reason=REASON, named_staff=[team_manager], by=service_manager)
    decision = lift_restriction(child=child, reason="The member of staff has left",
                                by=service_manager)
    child.refresh_from_db()
    assert not child.restricted and child.restriction_reason == ""
    assert decision.kind == RestrictionDecision.Kind.LIFT and not decision.restricted
    assert open_named(child) == set()
    sample.refresh_from_db()
    assert sample.revoked_at is None and sees(inspector, child)
    # The team manager sees it again through their line, no longer by being named.
    assert sees(team_manager, child)
    assert AuditEvent.objects.filter(action="restriction.lift", reason=decision.reason).exists()
    assert RestrictionDecision.objects.filter(child=child).count() == 2


def test_lifting_needs_a_reason_and_a_restriction(child, service_manager):
    with pytest.raises(RecordError, match="not restricted"):
        lift_restriction(child=child, reason="Why not", by=service_manager)
    restrict_record(child=child, reason=REASON, named_staff=[], by=service_manager)
    with pytest.raises(RecordError, match="Enter why the restriction is being lifted"):
        lift_restriction(child=child, reason="", by=service_manager)
    assert Child.objects.get(pk=child.pk).restricted


def test_giving_and_ending_access_for_a_time(child, service_manager, inspector):
    until = timezone.localdate() + timedelta(days=14)
    grant = grant_access(child=child, staff=inspector, until=until,
                         reason="Sampled for the inspection", by=service_manager)
    assert sees(inspector, child)
    assert grant.granted_by == service_manager and grant.decision is None
    with pytest.raises(RecordError, match="already has access"):
        grant_access(child=child, staff=inspector, until=until, reason="Again",
                     by=service_manager)
    end_access(grant=grant, reason="Inspection finished early", by=service_manager)
    grant.refresh_from_db()
    assert grant.revoked_by == service_manager and grant.revoke_reason
    assert not sees(inspector, child)
    assert AccessGrant.objects.filter(pk=grant.pk).exists()  # ended, never deleted


def test_access_needs_an_end_date_not_in_the_past(child, service_manager, inspector):
    with pytest.raises(RecordError, match="Enter the date access ends"):
        grant_access(child=child, staff=inspector, until=None, reason="Sample",
                     by=service_manager)
    with pytest.raises(RecordError, match="today or in the future"):
        grant_access(child=child, staff=inspector, until=timezone.localdate()
                     - timedelta(days=1), reason="Sample", by=service_manager)


def test_a_restricted_record_names_people_rather_than_giving_access(child, service_manager,
                                                                    inspector):
    restrict_record(child=child, reason=REASON, named_staff=[], by=service_manager)
    with pytest.raises(RecordError, match="name the person on it instead"):
        grant_access(child=child, staff=inspector, until=timezone.localdate(),
                     reason="Sample", by=service_manager)
    grant = AccessGrant.objects.get(child=child, staff=service_manager)
    with pytest.raises(RecordError, match="remove them from it"):
        end_access(grant=grant, reason="Done", by=service_manager)


def test_decisions_and_grants_are_never_deleted(child, service_manager):
    decision = restrict_record(child=child, reason=REASON, named_staff=[], by=service_manager)
    with pytest.raises(RuntimeError):
        decision.delete()
    with pytest.raises(RuntimeError):
        AccessGrant.objects.filter(child=child).delete()
