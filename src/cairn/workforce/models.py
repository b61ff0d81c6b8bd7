"""The workforce: staff and their roles, teams, services and who is allocated to which child."""

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from cairn.core.models import Recorded, RecordedQuerySet


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    FRONT_DOOR = "front_door", "Front door worker"
    EARLY_HELP = "early_help", "Early help practitioner"
    IRO = "iro", "Independent reviewing officer / conference chair"
    PERSONAL_ADVISER = "personal_adviser", "Personal adviser"
    FOSTERING = "fostering", "Fostering social worker"
    PERFORMANCE_ANALYST = "performance_analyst", "Performance analyst"
    AUDITOR = "auditor", "Auditor"
    INSPECTOR = "inspector", "Inspector"
    ADMINISTRATOR = "administrator", "Administrator"
    INFORMATION_GOVERNANCE = "information_governance", "Information governance officer"
    DIRECTOR = "director", "Director of children's services"


# Roles whose work spans the whole authority: the front door checks a child's history, analysts
# and auditors read everything, the information governance officer (the data protection lead)
# answers subject access requests and reads access logs about anyone (the access policy opens
# every unrestricted record to them); the director of children's services answers for the whole
# service, so sees the whole authority's figures and may open the records behind them.
WHOLE_AUTHORITY = frozenset({Role.FRONT_DOOR, Role.PERFORMANCE_ANALYST, Role.AUDITOR,
                             Role.INFORMATION_GOVERNANCE, Role.DIRECTOR})

class Service(models.Model):
    """A service area (for example Children in Care), led by a service manager."""

    name = models.CharField(max_length=100, unique=True)
    manager = models.ForeignKey("Staff", models.SET_NULL, null=True, blank=True, related_name="+")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    class Kind(models.TextChoices):
        FRONT_DOOR = "front_door", "Front door (MASH)"
        EARLY_HELP = "early_help", "Early help"
        ASSESSMENT = "assessment", "Assessment"
        CHILD_PROTECTION = "child_protection", "Child in need and child protection"
        CHILDREN_IN_CARE = "children_in_care", "Children in care"
        LEAVING_CARE = "leaving_care", "Leaving care"
        FOSTERING = "fostering", "Fostering"
        DISABLED_CHILDREN = "disabled_children", "Disabled children"
        REVIEWING = "reviewing", "Independent reviewing"
        PERFORMANCE = "performance", "Performance and quality"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=30, choices=Kind)
    service = models.ForeignKey(Service, models.PROTECT, related_name="teams")
    manager = models.ForeignKey("Staff", models.SET_NULL, null=True, blank=True, related_name="+")
    caseload_threshold = models.PositiveSmallIntegerField(
        default=18, help_text="Children per full-time worker above which a caseload is high")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("team", args=[self.pk])


class Staff(AbstractUser):
    """A member of staff who signs in to Cairn. Each has one role and (usually) one team."""

    role = models.CharField(max_length=30, choices=Role, default=Role.SOCIAL_WORKER)
    team = models.ForeignKey(Team, models.PROTECT, null=True, blank=True, related_name="members")
    job_title = models.CharField(max_length=100, blank=True)
    sw_id = models.CharField(  # SSDA903 SW_ID: Social Work England registration or local id
        max_length=20, blank=True, help_text="Social worker identifier for returns")
    fte = models.DecimalField(max_digits=3, decimal_places=2, default=1)
    access_until = models.DateField(  # inspectors' access ends with the inspection
        null=True, blank=True, help_text="Access to records ends after this date")

    class Meta:
        verbose_name = "member of staff"
        verbose_name_plural = "staff"
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


# An open allocation's end, for testing "open on a day" as one range on an index: "ended_on is
# null or after the day" is two ranges, which the database answers by reading every allocation
# a team, worker or child ever had.
STILL_OPEN = date(9999, 12, 31)


def open_until():
    return Coalesce("ended_on", Value(STILL_OPEN))


class AllocationQuerySet(RecordedQuerySet):
    def active_on(self, day):
        return self.alias(open_until=open_until()).filter(open_until__gt=day,
                                                          started_on__lte=day)

    def open(self):
        return self.filter(ended_on__isnull=True)


class Allocation(Recorded):
    """A worker allocated to a child, from a date until a date."""

    class Kind(models.TextChoices):
        SOCIAL_WORKER = "SW", "Social worker"
        PERSONAL_ADVISER = "PA", "Personal adviser"
        IRO = "IRO", "Independent reviewing officer"
        EARLY_HELP = "EH", "Early help practitioner"
        FOSTERING = "FSW", "Supervising social worker"

    class EndReason(models.TextChoices):
        """Why the worker changed: SSDA903 SW_REASON (rule SW13STG1), reported on the next
        worker's episode. FCONTA (first contact) is the reason a child's first episode starts."""

        MANAGEMENT = "MANAGE", "Management decision"
        LEFT_ROLE = "LEFTRL", "Worker left the role"
        RESTRUCTURE = "ORGRST", "Organisational restructure"
        TRANSFER = "TSPROC", "Transfer between teams as part of the process"
        ABSENCE = "ABSENC", "Worker absent"
        CHILD_CHANGE = "CHCHAN", "Change in the child's circumstances"
        FAMILY_REQUEST = "PCCHAN", "Parent, carer or child asked for a change"
        WORKER_DIED = "SWDIED", "Worker died"
        OTHER = "OTHERS", "Other reason"

    # Indexed by the covering indexes below (each leads with its key), not one of their own:
    # a smaller index of the key alone drew the planner to it and to every row's table page.
    child = models.ForeignKey("people.Child", models.PROTECT, related_name="allocations",
                              db_index=False)
    worker = models.ForeignKey(Staff, models.PROTECT, related_name="allocations",
                               db_index=False)
    team = models.ForeignKey(Team, models.PROTECT, related_name="allocations", db_index=False)
    kind = models.CharField(max_length=3, choices=Kind, default=Kind.SOCIAL_WORKER)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=12, choices=EndReason, blank=True)

    objects = AllocationQuerySet.as_manager()

    # A child with no social worker yet is held by the team manager until they allocate one
    # (workforce.services.allocation_hold): the same kind of allocation, but calling the
    # manager the child's "social worker" misleads whoever reads the record.
    HELD_BY_MANAGER = "Team manager, to allocate"
    MANAGER_ROLES = ("team_manager", "service_manager")

    def get_kind_display(self) -> str:
        # Early help's manager holds a child the same way until a practitioner is allocated.
        if self.kind in (self.Kind.SOCIAL_WORKER, self.Kind.EARLY_HELP) and (
                self.worker.role in self.MANAGER_ROLES):
            return self.HELD_BY_MANAGER
        return self.Kind(self.kind).label

    class Meta:
        # Who holds which child today, read from the index alone on PostgreSQL (INCLUDE):
        # the pages of a team's or a service's work look up thousands of allocations, and a
        # visit to each row's table page costs more the bigger the authority is.
        indexes = [
            models.Index(F("worker"), open_until(), name="alloc_worker_current",
                         include=["child", "team", "kind", "started_on", "voided_at"]),
            models.Index(F("team"), open_until(), name="alloc_team_current",
                         include=["child", "worker", "kind", "started_on", "voided_at"]),
            models.Index(F("child"), open_until(), name="alloc_child_current",
                         include=["worker", "team", "kind", "started_on", "voided_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="allocation_ends_after_start"),
        ]
