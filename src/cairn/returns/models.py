"""Results of running the sector's validators over a return, kept so that a child's record can
show its open failures from the latest run."""

from django.conf import settings
from django.db import models


class ReturnKind(models.TextChoices):
    CIN = "cin", "Children in Need census"
    SSDA903 = "ssda903", "SSDA903 children looked after"
    ANNEX_A = "annex-a", "Ofsted Annex A"


class ValidationRun(models.Model):
    """One run of a validator over what the record would submit."""

    kind = models.CharField(max_length=8, choices=ReturnKind)
    year = models.PositiveSmallIntegerField()  # collection end year (2026 = 2025-26)
    ran_at = models.DateTimeField(auto_now_add=True)
    ran_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                               related_name="+")
    rules_fired = models.PositiveIntegerField(default=0)
    crashed = models.JSONField(default=list, blank=True)  # rules that raised, by code

    class Meta:
        indexes = [models.Index(fields=["kind", "ran_at"], name="valrun_kind_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} at {self.ran_at:%d %b %Y %H:%M}"


class ValidationFailure(models.Model):
    """One rule failing on one row of a return, with the child it concerns where there is one."""

    run = models.ForeignKey(ValidationRun, models.CASCADE, related_name="failures")
    child = models.ForeignKey("people.Child", models.PROTECT, null=True, blank=True,
                              related_name="return_failures")
    la_child_id = models.CharField(max_length=20, blank=True)
    rule = models.CharField(max_length=20)
    rule_type = models.CharField(max_length=10, blank=True)  # ERROR or QUERY (CIN)
    message = models.TextField()
    table = models.CharField(max_length=40, blank=True)
    columns = models.CharField(max_length=200, blank=True)
    row = models.IntegerField(null=True, blank=True)  # 0-based row of that table

    class Meta:
        indexes = [models.Index(fields=["child", "run"], name="valfail_child_run")]

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"
