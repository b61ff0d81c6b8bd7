"""Results of running the sector's validators over a return, kept so that a child's record can
show its open failures from the latest run; and the returns an analyst asked to be built or
checked, which run in the background."""

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


class ReturnJob(models.Model):
    """A return built or checked in the background, as an analyst asked. Building a return and
    running the sector's validator over it take tens of seconds on a large authority: the work
    runs off the web request (returns/tasks.py), the request survives a page reload, the page
    shows how far it has got, and the result stays: the check's failures, or the file."""

    class What(models.TextChoices):
        CHECK = "check", "Check"
        FILE = "file", "File to download"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "In progress"
        DONE = "done", "Ready"
        FAILED = "failed", "Could not finish"

    what = models.CharField(max_length=5, choices=What)
    kind = models.CharField(max_length=8, choices=ReturnKind)
    year = models.PositiveSmallIntegerField()  # collection end year (Annex A: the as-at year)
    as_of = models.DateField(null=True, blank=True)  # Annex A only
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=7, choices=Status, default=Status.QUEUED)
    step = models.CharField(max_length=200, blank=True)  # what it is doing now
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)  # why it could not finish, in plain English
    run = models.ForeignKey(ValidationRun, models.PROTECT, null=True, blank=True,
                            related_name="+")
    file_name = models.CharField(max_length=60, blank=True)
    file_type = models.CharField(max_length=80, blank=True)
    file_body = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["requested_by", "requested_at"],
                                name="retjob_by_at")]

    def __str__(self) -> str:
        return f"{self.get_what_display()}: {self.get_kind_display()} {self.year}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class AuthorityIdentity(models.Model):
    """The authority the returns are made for, when an import has named it: the LA number
    (the census's LEA) and ONS code of the return loaded, so that what Cairn exports again is
    that authority's, not the demo's. At most one row; with none, the configured identity
    (settings.CAIRN_AUTHORITY) stands. returns.selectors.authority() reads it."""

    la_number = models.CharField(max_length=3)
    ons_code = models.CharField(max_length=9)
    adopted_from = models.CharField(max_length=300, help_text="The return it came from")
    adopted_at = models.DateTimeField(auto_now_add=True)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+")

    def __str__(self) -> str:
        return f"LA {self.la_number} ({self.ons_code})"
