"""The access policy: who may open which child's record, and what a refusal looks like."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from cairn.access import policy
from cairn.access.models import AccessGrant
from cairn.core import services
from cairn.core.models import AuditEvent
from cairn.workforce.models import Role, Team
from support import allocate, make_child, make_staff

pytestmark = pytest.mark.django_db

CASEWORK_ROLES = ["social_worker", "team_manager", "service_manager", "front_door_worker",
                  "early_help_worker", "iro", "personal_adviser", "fostering_worker"]
ALL_ROLES = CASEWORK_ROLES + ["performance_analyst", "auditor", "inspector", "administrator",
                              "stranger"]


def sees(staff, child) -> bool:
    return policy.visible_children(staff).filter(pk=child.pk).exists()


def grant(child, staff, *, until=None, revoked=False):
    return AccessGrant.objects.create(
        child=child, staff=staff, until=until, reason="Sampled for the inspection",
        revoked_at=timezone.now() if revoked else None)


@pytest.fixture
def elsewhere_child(stranger):
    """A child allocated in another service's team: outside every management line of the cast."""
    child = make_child("Jo", "Elsewhere")
    allocate(child, stranger)
    return child


@pytest.fixture
def unallocated_child(db):
    return make_child("Kit", "Waiting")


# Who sees the cast's child (allocated to social_worker, in their team) --------------------------

@pytest.mark.parametrize("role, expected", [
    ("social_worker", True),        # allocated
    ("team_manager", True),         # manages the team
    ("service_manager", True),      # manages the team's service
    ("front_door_worker", True),    # whole authority
    ("performance_analyst", True),  # whole authority
    ("auditor", True),              # whole authority
    ("early_help_worker", False),   # another team, not allocated
    ("iro", False),
    ("personal_adviser", False),
    ("fostering_worker", False),
    ("inspector", False),           # only what is granted
    ("administrator", False),       # configures the system, never reads records
    ("stranger", False),            # another team and service
])
def test_who_sees_an_allocated_child(request, child, role, expected):
    staff = request.getfixturevalue(role)
    assert sees(staff, child) is expected
    assert policy.can(staff, policy.VIEW, child) is expected


@pytest.mark.parametrize("role, expected", [
    ("social_worker", False), ("team_manager", False), ("service_manager", False),
    ("front_door_worker", True), ("performance_analyst", True), ("auditor", True),
    ("early_help_worker", False), ("iro", False), ("personal_adviser", False),
    ("fostering_worker", False), ("inspector", False), ("administrator", False),
    ("stranger", True),  # allocated to the stranger
])
def test_who_sees_a_child_in_another_service(request, elsewhere_child, role, expected):
    assert sees(request.getfixturevalue(role), elsewhere_child) is expected


@pytest.mark.parametrize("role, expected", [
    ("social_worker", False), ("team_manager", False), ("service_manager", False),
    ("front_door_worker", True), ("performance_analyst", True), ("auditor", True),
    ("early_help_worker", False), ("inspector", False), ("administrator", False),
])
def test_only_whole_authority_roles_see_an_unallocated_child(request, unallocated_child, role,
                                                              expected):
    assert sees(request.getfixturevalue(role), unallocated_child) is expected


def test_a_colleague_in_the_team_sees_the_child_as_cover(child, team):
    colleague = make_staff("cal_colleague", Role.SOCIAL_WORKER, team)
    assert sees(colleague, child)
    assert policy.can(colleague, policy.RECORD, child)


def test_a_team_manager_does_not_see_a_sibling_team_in_the_same_service(team_manager, teams):
    worker = make_staff("cic_worker", Role.SOCIAL_WORKER, teams[Team.Kind.CHILDREN_IN_CARE])
    child = make_child()
    allocate(child, worker)
    assert not sees(team_manager, child)


def test_a_service_manager_sees_every_team_in_their_service(service_manager, teams):
    worker = make_staff("cic_worker", Role.SOCIAL_WORKER, teams[Team.Kind.CHILDREN_IN_CARE])
    child = make_child()
    allocate(child, worker)
    assert sees(service_manager, child)


def test_a_team_manager_sees_a_team_they_manage_but_do_not_belong_to(team_manager, teams):
    fostering = teams[Team.Kind.FOSTERING]
    fostering.manager = team_manager
    fostering.save()
    child = make_child()
    allocate(child, make_staff("fw2", Role.FOSTERING, fostering))
    assert sees(team_manager, child)


def test_an_iro_sees_a_child_they_are_allocated_to(iro, child):
    allocate(child, iro, kind="IRO")
    assert sees(iro, child)


def test_an_ended_allocation_no_longer_gives_access(stranger):
    today = timezone.localdate()
    child = make_child()
    allocate(child, stranger, started_on=today - timedelta(days=90),
             ended_on=today - timedelta(days=1))
    assert not sees(stranger, child)


def test_a_future_allocation_does_not_give_access_yet(stranger):
    child = make_child()
    allocate(child, stranger, started_on=timezone.localdate() + timedelta(days=3))
    assert not sees(stranger, child)


def test_a_voided_allocation_gives_no_access(stranger, social_worker):
    child = make_child()
    allocation = allocate(child, stranger)
    services.void(obj=allocation, by=social_worker, reason="Allocated to the wrong child")
    assert not sees(stranger, child)


# Inspectors ------------------------------------------------------------------------------------

def test_an_inspector_sees_only_the_records_granted_to_them(inspector, child, elsewhere_child):
    grant(child, inspector, until=timezone.localdate() + timedelta(days=14))
    assert sees(inspector, child)
    assert not sees(inspector, elsewhere_child)
    assert policy.can(inspector, policy.VIEW, child)
    assert not policy.can(inspector, policy.RECORD, child)


def test_an_inspectors_grant_ends_on_its_until_date(inspector, child):
    grant(child, inspector, until=timezone.localdate())
    assert sees(inspector, child)  # the last day of access still counts
    AccessGrant.objects.update(until=timezone.localdate() - timedelta(days=1))
    assert not sees(inspector, child)


def test_an_inspector_sees_nothing_after_access_until(inspector, child):
    grant(child, inspector)
    inspector.access_until = timezone.localdate() - timedelta(days=1)
    inspector.save()
    assert not sees(inspector, child)
    assert not policy.allows(inspector, policy.VIEW)


def test_a_revoked_grant_gives_no_access(inspector, child):
    grant(child, inspector, revoked=True)
    assert not sees(inspector, child)


def test_an_administrator_with_a_grant_is_still_refused(administrator, child):
    grant(child, administrator)
    assert not sees(administrator, child)
    assert not policy.can(administrator, policy.VIEW, child)
    assert policy.allows(administrator, policy.CONFIGURE)


# Restricted records ----------------------------------------------------------------------------

@pytest.mark.parametrize("role, expected", [
    ("social_worker", True),  # allocated
    ("team_manager", False), ("service_manager", False), ("front_door_worker", False),
    ("performance_analyst", False), ("auditor", False), ("early_help_worker", False),
    ("iro", False), ("personal_adviser", False), ("fostering_worker", False),
    ("inspector", False), ("administrator", False), ("stranger", False),
])
def test_a_restricted_record_is_seen_only_by_the_allocated_worker(request, restricted_child,
                                                                   role, expected):
    assert sees(request.getfixturevalue(role), restricted_child) is expected


@pytest.mark.parametrize("role", ["team_manager", "auditor", "stranger", "inspector"])
def test_a_restricted_record_is_seen_by_named_staff(request, restricted_child, role):
    staff = request.getfixturevalue(role)
    grant(restricted_child, staff)
    assert sees(staff, restricted_child)


def test_a_team_colleague_does_not_see_a_restricted_record(restricted_child, team):
    colleague = make_staff("cal_colleague", Role.SOCIAL_WORKER, team)
    assert not sees(colleague, restricted_child)


# Deny by default -------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ALL_ROLES)
def test_an_inactive_member_of_staff_sees_nothing(request, child, restricted_child, role):
    staff = request.getfixturevalue(role)
    grant(child, staff)
    staff.is_active = False
    staff.save()
    assert not policy.visible_children(staff).exists()
    assert not policy.allows(staff, policy.VIEW)


def test_an_anonymous_user_sees_nothing(child):
    assert not policy.visible_children(AnonymousUser()).exists()
    assert not policy.allows(None, policy.VIEW)


def test_an_unknown_role_is_refused_everything(child, social_worker):
    social_worker.role = "caretaker"
    social_worker.save()
    assert not sees(social_worker, child)
    for action in (policy.VIEW, policy.RECORD, policy.SEARCH, policy.CONFIGURE):
        assert not policy.allows(social_worker, action)


@pytest.mark.parametrize("role, actions", [
    ("social_worker", {policy.VIEW, policy.RECORD, policy.SEARCH}),
    ("team_manager", {policy.VIEW, policy.RECORD, policy.SEARCH, policy.AUTHORISE,
                      policy.ALLOCATE, policy.SEE_TEAMS}),
    ("performance_analyst", {policy.VIEW, policy.SEARCH, policy.RETURNS, policy.SEE_TEAMS}),
    ("auditor", {policy.VIEW, policy.SEARCH, policy.SEE_TEAMS}),
    ("inspector", {policy.VIEW, policy.SEARCH}),
    ("administrator", {policy.CONFIGURE}),
])
def test_each_role_is_allowed_exactly_its_actions(request, role, actions):
    staff = request.getfixturevalue(role)
    every = {policy.VIEW, policy.RECORD, policy.AUTHORISE, policy.ALLOCATE, policy.SEE_TEAMS,
             policy.RETURNS, policy.CONFIGURE, policy.SEARCH}
    assert {a for a in every if policy.allows(staff, a)} == actions


def test_require_raises_permission_denied_for_a_record_outside_the_rule(stranger, child,
                                                                        social_worker):
    policy.require(social_worker, policy.RECORD, child)
    with pytest.raises(PermissionDenied):
        policy.require(stranger, policy.RECORD, child)


def test_an_auditor_may_view_but_not_record(auditor, child):
    assert policy.can(auditor, policy.VIEW, child)
    assert not policy.can(auditor, policy.RECORD, child)
    with pytest.raises(PermissionDenied):
        policy.require(auditor, policy.RECORD, child)


# child_for: the 404 and its audit row ---------------------------------------------------------

def test_child_for_returns_a_visible_child_and_logs_nothing(social_worker, child):
    assert policy.child_for(social_worker, child.pk) == child
    assert policy.child_for(social_worker, str(child.pk)) == child
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED).exists()


def test_child_for_answers_404_and_logs_the_refusal(stranger, child):
    with pytest.raises(Http404):
        policy.child_for(stranger, child.pk, page=f"/children/{child.pk}/")
    event = AuditEvent.objects.get()
    assert event.kind == AuditEvent.Kind.DENIED
    assert event.action == "child.denied"
    assert event.actor == stranger
    assert event.child_id == child.pk
    assert event.page == f"/children/{child.pk}/"


@pytest.mark.parametrize("child_id", [987654, "987654", "not-a-number", None,
                                      "99999999999999999999999"])
def test_child_for_a_missing_child_is_the_same_404(stranger, child_id):
    with pytest.raises(Http404):
        policy.child_for(stranger, child_id)
    event = AuditEvent.objects.get()
    assert (event.kind, event.actor, event.child_id) == (AuditEvent.Kind.DENIED, stranger, None)


def test_child_for_refuses_an_action_the_role_lacks(auditor, child):
    with pytest.raises(Http404):
        policy.child_for(auditor, child.pk, action=policy.RECORD)
    assert AuditEvent.objects.get().child_id == child.pk


def test_child_for_an_anonymous_user_logs_no_actor(child):
    with pytest.raises(Http404):
        policy.child_for(AnonymousUser(), child.pk)
    event = AuditEvent.objects.get()
    assert event.actor is None and event.kind == AuditEvent.Kind.DENIED
