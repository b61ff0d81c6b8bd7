"""Reads about access: who is named on a restricted record, who else has been given access,
the decisions behind them, and who may be named."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from cairn.workforce.models import Allocation, Staff, Team

from .models import AccessGrant, RestrictionDecision
from .policy import ROLE_ACTIONS, VIEW


def named_grants(child) -> QuerySet[AccessGrant]:
    """The open grants naming people on `child`'s restriction."""
    return (AccessGrant.objects.open_on(timezone.localdate())
            .filter(child=child, decision__isnull=False))


def other_grants(child) -> QuerySet[AccessGrant]:
    """Open grants of access to `child`'s record made apart from a restriction (an
    inspector's sampled case)."""
    return (AccessGrant.objects.open_on(timezone.localdate())
            .filter(child=child, decision__isnull=True))


def _people(grants: QuerySet[AccessGrant]) -> QuerySet[AccessGrant]:
    return (grants.select_related("staff", "staff__team", "granted_by")
            .order_by("staff__last_name", "staff__first_name", "pk"))


def access_to(child) -> dict:
    """What the "Who may see this record" page shows: named staff, others given access, the
    workers allocated (who see it whatever is decided) and the decisions, newest first."""
    return {
        "named": list(_people(named_grants(child))),
        "others": list(_people(other_grants(child))),
        "allocated": list(Allocation.objects.current().active_on(timezone.localdate())
                          .filter(child=child).select_related("worker", "team")
                          .order_by("worker__last_name", "worker__first_name", "pk")),
        "decisions": list(RestrictionDecision.objects.filter(child=child)
                          .select_related("decided_by").order_by("-decided_at", "-pk")),
        "ended": list(AccessGrant.objects.filter(child=child, revoked_at__isnull=False)
                      .select_related("staff", "revoked_by").order_by("-revoked_at", "-pk")),
    }


def grant_for(child, grant_id) -> AccessGrant | None:
    """An open grant of access to `child`'s record, by its id, or None."""
    try:
        pk = int(grant_id)
    except (TypeError, ValueError):
        return None
    return (AccessGrant.objects.open_on(timezone.localdate()).filter(child=child, pk=pk)
            .select_related("staff", "staff__team", "granted_by").first())


def nameable_staff() -> QuerySet[Staff]:
    """Everyone who could open a record if named: active, with access not ended, in a role
    that reads records (not an administrator)."""
    today = timezone.localdate()
    roles = [role for role, actions in ROLE_ACTIONS.items() if VIEW in actions]
    return (Staff.objects.filter(is_active=True, role__in=roles)
            .filter(Q(access_until__isnull=True) | Q(access_until__gte=today))
            .select_related("team").order_by("last_name", "first_name", "pk"))


def working_with(child) -> QuerySet[Staff]:
    """Those who work with `child` now: their allocated workers, those workers' teams and the
    teams' managers; the people a restriction most often names."""
    teams = (Allocation.objects.current().active_on(timezone.localdate()).filter(child=child)
             .values("team_id"))
    return nameable_staff().filter(
        Q(team__in=teams) | Q(pk__in=Team.objects.filter(pk__in=teams).values("manager")))


def staff_label(staff: Staff) -> str:
    """A person as a list of staff names them: name, then team (or role, for those in none)."""
    return f"{staff} ({staff.team or staff.get_role_display()})"
