"""Restricting a child's record and giving named people access to it: senior managers'
decisions, each in one transaction with its audit rows.

A restriction is a `RestrictionDecision` (kept for good) and the `AccessGrant` rows naming who
may see the record; `Child.restricted` is kept in step as the flag the access policy filters on.
The deciding manager is named automatically, so they can still open, change and lift it. A
person is removed, or access ended, by ending the grant (`revoked_at`, who and why), never by
deleting it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from cairn.core import audit
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.people.models import Child, Person

from . import policy
from .models import AccessGrant, RestrictionDecision
from .selectors import named_grants


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise RecordError(message, field="reason")
    return reason


def _locked(child) -> Child:
    """The child's row, locked until the transaction ends: two managers deciding at once take
    turns, and the second sees the first's decision."""
    return Child.objects.select_for_update().get(pk=child.pk)


def _nameable(staff, field: str) -> None:
    """Refuse someone who could not open a record even if named (an administrator, a leaver)."""
    if not policy.allows(staff, policy.VIEW):
        raise RecordError(f"{staff} cannot be given access to records", field=field)


def _set_flag(child, *, restricted: bool, reason: str, by) -> None:
    """Keep `Child.restricted` (and the reason beside it) in step with the decision."""
    before = audit.snapshot(child)
    Person.objects.filter(pk=child.pk).update(restricted=restricted,
                                              restriction_reason=reason if restricted else "")
    child.restricted, child.restriction_reason = restricted, reason if restricted else ""
    audit.record(by, "person.changed", child, kind=AuditEvent.Kind.CHANGED, before=before,
                 reason=reason)


def _decide(child, kind: str, *, restricted: bool, reason: str, by) -> RestrictionDecision:
    decision = RestrictionDecision(child=child, kind=kind, restricted=restricted, reason=reason,
                                   decided_by=by, decided_at=timezone.now())
    decision.full_clean()
    decision.save()
    audit.record(by, f"restriction.{kind}", decision, kind=AuditEvent.Kind.DECIDED,
                 reason=reason)
    return decision


def _name(child, staff, *, decision: RestrictionDecision, reason: str, by) -> AccessGrant:
    grant = AccessGrant(child=child, staff=staff, granted_by=by, granted_at=decision.decided_at,
                        reason=reason, decision=decision)
    grant.full_clean()
    grant.save()
    audit.record(by, "accessgrant.created", grant, reason=reason)
    return grant


def _end(grant: AccessGrant, *, reason: str, by) -> AccessGrant:
    before = audit.snapshot(grant)
    grant.revoked_at, grant.revoked_by, grant.revoke_reason = timezone.now(), by, reason
    grant.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit.record(by, "accessgrant.ended", grant, kind=AuditEvent.Kind.CHANGED, before=before,
                 reason=reason)
    return grant


@transaction.atomic
def restrict_record(*, child, reason: str, named_staff: Iterable, by) -> RestrictionDecision:
    """Restrict `child`'s record to the people named (and `by`, named automatically)."""
    policy.require(by, policy.RESTRICT, child)
    reason = _reason(reason, "Enter why this record is being restricted")
    locked = _locked(child)
    if locked.restricted:
        raise RecordError("This record is already restricted: change who is named on it "
                          "instead")
    named = {person.pk: person for person in named_staff}
    named.pop(by.pk, None)
    for person in named.values():
        _nameable(person, "named_staff")
    decision = _decide(child, RestrictionDecision.Kind.RESTRICT, restricted=True, reason=reason,
                       by=by)
    for person in [by, *sorted(named.values(), key=lambda p: p.pk)]:
        _name(child, person, decision=decision, reason=reason, by=by)
    _set_flag(child, restricted=True, reason=reason, by=by)
    return decision


@transaction.atomic
def change_restriction(*, child, reason: str, by, add: Iterable = (),
                       remove: Iterable = ()) -> RestrictionDecision:
    """Name more people on `child`'s restricted record, or remove named people from it."""
    policy.require(by, policy.RESTRICT, child)
    reason = _reason(reason, "Enter why you are changing who may see this record")
    if not _locked(child).restricted:
        raise RecordError("This record is not restricted")
    add, remove = list(add), list(remove)
    if not add and not remove:
        raise RecordError("Choose who to name on the record or remove from it", field="staff")
    grants = {grant.staff_id: grant for grant in named_grants(child).select_related("staff")}
    for person in add:
        _nameable(person, "staff")
        if person.pk in grants:
            raise RecordError(f"{person} is already named on this record", field="staff")
    for person in remove:
        if person.pk not in grants:
            raise RecordError(f"{person} is not named on this record", field="staff")
    removing = {person.pk for person in remove}
    staying = [grant.staff for pk, grant in grants.items() if pk not in removing] + add
    if not any(policy.allows(person, policy.RESTRICT) for person in staying):
        # Nobody else can see a restricted record to lift it (policy's docstring).
        raise RecordError("At least one named person must be a senior manager who can change "
                          "or lift the restriction", field="staff")
    decision = _decide(child, RestrictionDecision.Kind.CHANGE, restricted=True, reason=reason,
                       by=by)
    for pk in sorted(removing):
        _end(grants[pk], reason=reason, by=by)
    for person in add:
        _name(child, person, decision=decision, reason=reason, by=by)
    return decision


@transaction.atomic
def lift_restriction(*, child, reason: str, by) -> RestrictionDecision:
    """Lift the restriction on `child`'s record: the ordinary rules decide who sees it again,
    and the grants the restriction made end (others, an inspector's, stay)."""
    policy.require(by, policy.RESTRICT, child)
    reason = _reason(reason, "Enter why the restriction is being lifted")
    if not _locked(child).restricted:
        raise RecordError("This record is not restricted")
    decision = _decide(child, RestrictionDecision.Kind.LIFT, restricted=False, reason=reason,
                       by=by)
    for grant in named_grants(child).order_by("pk"):
        _end(grant, reason=reason, by=by)
    _set_flag(child, restricted=False, reason=reason, by=by)
    return decision


@transaction.atomic
def grant_access(*, child, staff, until: date | None, reason: str, by) -> AccessGrant:
    """Give `staff` access to `child`'s record until the end of `until` (an inspector's sampled
    case, a worker covering from another team). On a restricted record, people are named
    instead (change_restriction), so the restriction's decisions say who may see it."""
    policy.require(by, policy.RESTRICT, child)
    reason = _reason(reason, "Enter why this person needs access to the record")
    if _locked(child).restricted:
        raise RecordError("This record is restricted: name the person on it instead")
    _nameable(staff, "staff")
    if until is None:
        raise RecordError("Enter the date access ends", field="until")
    if until < timezone.localdate():
        raise RecordError("The date access ends must be today or in the future", field="until")
    if AccessGrant.objects.open_on(timezone.localdate()).filter(child=child,
                                                                staff=staff).exists():
        raise RecordError(f"{staff} already has access to this record", field="staff")
    grant = AccessGrant(child=child, staff=staff, granted_by=by, until=until, reason=reason)
    grant.full_clean()
    grant.save()
    audit.record(by, "accessgrant.created", grant, reason=reason)
    return grant


@transaction.atomic
def end_access(*, grant: AccessGrant, reason: str, by) -> AccessGrant:
    """End access given to one person (not a restriction's naming: change_restriction)."""
    policy.require(by, policy.RESTRICT, grant.child)
    reason = _reason(reason, "Enter why this person's access is ending")
    grant = AccessGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.decision_id is not None:
        raise RecordError("This person is named on the restriction: remove them from it")
    if grant.revoked_at is not None or (grant.until and grant.until < timezone.localdate()):
        raise RecordError("This person's access has already ended")
    return _end(grant, reason=reason, by=by)

