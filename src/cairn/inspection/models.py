"""The authority's inspections, the improvement plan that answers them, and inspectors' access
to sampled records (F38, F40).

Nothing here is deleted: an action is completed, not removed; an inspector's access is ended
(who, when, why), and its grants (access.AccessGrant) end with it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Kept(models.Model):
    """A row kept for good: the plan's history is evidence for the next inspection."""

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise RuntimeError(f"{type(self).__name__} rows are never deleted")


class InspectionKind(models.TextChoices):
    ILACS_STANDARD = "ilacs_standard", "ILACS standard inspection"
    ILACS_SHORT = "ilacs_short", "ILACS short inspection"
    FOCUSED_VISIT = "focused_visit", "Focused visit"
    JTAI = "jtai", "Joint targeted area inspection (JTAI)"
    MONITORING_VISIT = "monitoring_visit", "Monitoring visit"


# Only ILACS inspections are graded; focused visits, JTAIs and monitoring visits report
# findings and areas for improvement, with no grade.
GRADED = {InspectionKind.ILACS_STANDARD, InspectionKind.ILACS_SHORT}


class Grade(models.TextChoices):
    """Ofsted's four-point scale, best first."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    INADEQUATE = "inadequate", "Inadequate"


class JudgementArea(models.TextChoices):
    """The areas an ILACS inspection judges (the framework from January 2023)."""

    OVERALL = "overall", "Overall effectiveness"
    LEADERS = "leaders", "The impact of leaders on social work practice with children and families"
    HELP_AND_PROTECTION = ("help_and_protection", "The experiences and progress of children who "
                           "need help and protection")
    CHILDREN_IN_CARE = "children_in_care", "The experiences and progress of children in care"
    CARE_LEAVERS = "care_leavers", "The experiences and progress of care leavers"


class Inspection(Kept):
    kind = models.CharField(max_length=20, choices=InspectionKind)
    started_on = models.DateField()  # the first day on site (Annex A is asked as at it)
    ended_on = models.DateField()  # the last day on site
    published_on = models.DateField(null=True, blank=True)  # the report's publication
    summary = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(ended_on__gte=models.F("started_on")),
                                              name="inspection_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.started_on:%-d %B %Y}"

    @property
    def graded(self) -> bool:
        return self.kind in GRADED


class Judgement(Kept):
    """The grade an inspection gave one area. Changed in place (the audit trail keeps the
    earlier grade): a draft grade is corrected when the report is published."""

    inspection = models.ForeignKey(Inspection, models.PROTECT, related_name="judgements")
    area = models.CharField(max_length=30, choices=JudgementArea)
    grade = models.CharField(max_length=30, choices=Grade)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspection", "area"],
                                               name="judgement_one_per_area")]


class AreaForImprovement(Kept):
    inspection = models.ForeignKey(Inspection, models.PROTECT,
                                   related_name="areas_for_improvement")
    text = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class ActionQuerySet(models.QuerySet):
    def overdue_on(self, day):
        """Actions not completed whose due date has passed by `day`."""
        return self.exclude(status=ActionStatus.COMPLETED).filter(due_on__lt=day)


class ImprovementAction(Kept):
    """One action of the improvement plan: what will be done, by whom, by when. Its status
    moves with its progress updates."""

    area = models.ForeignKey(AreaForImprovement, models.PROTECT, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus,
                              default=ActionStatus.NOT_STARTED)
    completed_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="improvement_status_due")]
        constraints = [models.CheckConstraint(
            condition=Q(status="completed", completed_on__isnull=False)
            | (~Q(status="completed") & Q(completed_on__isnull=True)),
            name="improvement_completed_has_date")]

    def __str__(self) -> str:
        return self.description

    def overdue(self, today) -> bool:
        return self.status != ActionStatus.COMPLETED and self.due_on < today


class ProgressUpdate(Kept):
    action = models.ForeignKey(ImprovementAction, models.PROTECT, related_name="updates")
    text = models.TextField()
    status = models.CharField(max_length=20, choices=ActionStatus)  # the action's, after it
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]


class Evidence(Kept):
    """What shows an action worked: an indicator (by its id in insight.indicators.REGISTRY),
    or something else said in words (an audit of case files, a survey)."""

    action = models.ForeignKey(ImprovementAction, models.PROTECT, related_name="evidence")
    indicator = models.CharField(max_length=80, blank=True)
    text = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(indicator="") | ~Q(text=""),
                                              name="evidence_says_something")]


class Cohort(models.TextChoices):
    """Where an inspector's children came from: chosen one by one, or sampled at random from a
    named cohort (as inspectors ask: "ten children in care")."""

    CHOSEN = "chosen", "Chosen by name"
    IN_CARE = "in_care", "Children in care"
    PROTECTION_PLAN = "protection_plan", "Children on a child protection plan"
    CARE_LEAVERS = "care_leavers", "Care leavers"
    RECENT_REFERRALS = "recent_referrals", "Children referred in the last 6 months"


class InspectorAccess(Kept):
    """A senior manager's decision to let an inspector read some children's records, read-only,
    from one date to another. Each child's access is an AccessGrant (the access policy reads
    those); ending this early ends them all."""

    inspection = models.ForeignKey(Inspection, models.PROTECT, related_name="accesses")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    cohort = models.CharField(max_length=20, choices=Cohort)
    sample_size = models.PositiveIntegerField(null=True, blank=True)
    seed = models.BigIntegerField(null=True, blank=True)  # the random sample's, to redraw it
    grants = models.ManyToManyField("access.AccessGrant", related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                 null=True, blank=True)
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                   name="inspector_access_ends_after_start"),
            models.CheckConstraint(condition=Q(ended_at__isnull=True) | ~Q(end_reason=""),
                                   name="inspector_access_ended_with_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.inspector} from {self.starts_on:%-d %B %Y} to {self.ends_on:%-d %B %Y}"

    def open_on(self, day) -> bool:
        return self.ended_at is None and self.starts_on <= day <= self.ends_on
