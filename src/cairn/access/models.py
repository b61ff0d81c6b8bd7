"""Access granted to a named person for one child's record, and the senior managers' decisions
that restrict a record to named staff."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class RestrictionDecision(models.Model):
    """A senior manager's decision to restrict a child's record, change who is named on it, or
    lift the restriction: who decided, when and why. Kept for good: never changed or deleted.

    `Child.restricted` is the fast flag the access policy filters on; these rows say how it
    came to be as it is.
    """

    class Kind(models.TextChoices):
        RESTRICT = "restrict", "Restricted the record"
        CHANGE = "change", "Changed who may see the record"
        LIFT = "lift", "Lifted the restriction"

    child = models.ForeignKey("people.Child", models.PROTECT,
                              related_name="restriction_decisions")
    kind = models.CharField(max_length=10, choices=Kind)
    restricted = models.BooleanField()  # whether the record is restricted after the decision
    reason = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["child", "decided_at"], name="restriction_child_at")]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="restriction_has_reason"),
            models.CheckConstraint(
                condition=Q(kind="lift", restricted=False) | (~Q(kind="lift") & Q(restricted=True)),
                name="restriction_kind_matches_flag"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.decided_at:%Y-%m-%d})"

    def delete(self, *args, **kwargs):
        raise RuntimeError("Restriction decisions are never deleted")


class AccessGrantQuerySet(models.QuerySet):
    def open_on(self, day):
        """Grants not revoked, begun by the end of `day` and not yet lapsed on it (an
        inspector's access may be given ahead of the inspection, from its first day)."""
        next_day = datetime.combine(day + timedelta(days=1), time.min,
                                    tzinfo=timezone.get_current_timezone())
        return self.filter(Q(until__isnull=True) | Q(until__gte=day), revoked_at__isnull=True,
                           granted_at__lt=next_day)

    def delete(self):
        raise RuntimeError("Access grants are never deleted: end them (revoked_at)")

    delete.queryset_only = True


class AccessGrant(models.Model):
    """A named person's access to one child's record: for restricted records and for inspectors'
    sampled cases; time-limited where `until` is set. Ended by setting `revoked_at` (who and
    why beside it), never deleted."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="access_grants")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="grants")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   null=True, blank=True)
    granted_at = models.DateTimeField(default=timezone.now)
    until = models.DateField(null=True, blank=True)
    reason = models.TextField()
    # The restriction decision that named this person; lifting the restriction ends the grants
    # it made and leaves others (an inspector's sample) as they are.
    decision = models.ForeignKey(RestrictionDecision, models.PROTECT, null=True, blank=True,
                                 related_name="grants")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   null=True, blank=True)
    revoke_reason = models.TextField(blank=True)

    objects = AccessGrantQuerySet.as_manager()

    class Meta:
        # The table was made when grants lived in core; moved as state only.
        db_table = "core_accessgrant"
        indexes = [models.Index(fields=["staff", "child"], name="grant_staff_child")]

    def delete(self, *args, **kwargs):
        raise RuntimeError("Access grants are never deleted: end them (revoked_at)")
