"""Access granted to a named person for one child's record."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AccessGrantQuerySet(models.QuerySet):
    def open_on(self, day):
        """Grants not revoked and not yet lapsed on `day`."""
        return self.filter(Q(until__isnull=True) | Q(until__gte=day), revoked_at__isnull=True)


class AccessGrant(models.Model):
    """A named person's access to one child's record: for restricted records and for inspectors'
    sampled cases; time-limited where `until` is set."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="access_grants")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="grants")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   null=True, blank=True)
    granted_at = models.DateTimeField(default=timezone.now)
    until = models.DateField(null=True, blank=True)
    reason = models.TextField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AccessGrantQuerySet.as_manager()

    class Meta:
        # The table was made when grants lived in core; moved as state only.
        db_table = "core_accessgrant"
        indexes = [models.Index(fields=["staff", "child"], name="grant_staff_child")]
