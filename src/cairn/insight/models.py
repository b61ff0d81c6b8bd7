"""Monthly performance reports: the authority's indicators as they stood when a report was made
(a report of record, kept as made and never recomputed), the managers' commentary on them, and
a senior manager's sign-off; and the authority's choice of which indicators need commentary.

Figures live in insight/indicators.py and are computed when asked; a report's figures are the
one place a figure is stored, because a report says what the authority knew on the day."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cairn.core.models import Recorded


class CommentaryRequired(Recorded):
    """The authority marks indicator `indicator` as needing commentary before a report can be
    signed off. A current row means required; taking the mark off voids the row (kept)."""

    indicator = models.CharField(max_length=60)

    class Meta:
        verbose_name = "indicator needing commentary"
        constraints = [models.UniqueConstraint(
            fields=["indicator"], condition=Q(voided_at__isnull=True),
            name="commentary_required_once")]

    def __str__(self) -> str:
        return self.indicator


class PerformanceReport(Recorded):
    """The authority's performance report for the month of `month` (its first day), made by
    `recorded_by` at `recorded_at` from the figures as they stood on `as_of`. Signed off, it is
    read-only."""

    month = models.DateField(help_text="The first day of the month the report is for")
    as_of = models.DateField(help_text="The date the figures stood at")
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                      blank=True, related_name="+", editable=False)
    signed_off_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "performance report"
        ordering = ["-month", "-pk"]
        constraints = [models.UniqueConstraint(
            fields=["month"], condition=Q(voided_at__isnull=True),
            name="performance_report_once_a_month")]

    def __str__(self) -> str:
        return f"Performance report, {self.month:%B %Y}"

    @property
    def signed_off(self) -> bool:
        return self.signed_off_at is not None

    def get_absolute_url(self) -> str:
        return reverse("report", args=[self.pk])


class ReportFigure(models.Model):
    """One indicator in a report, as it stood when the report was made: never changed after
    (the definition is the one in force then, so a later change of definition does not rewrite
    what a meeting was told). `needs_commentary` is the authority's setting, fixed at sign-off."""

    report = models.ForeignKey(PerformanceReport, models.PROTECT, related_name="figures")
    position = models.PositiveSmallIntegerField()
    indicator = models.CharField(max_length=60)
    name = models.CharField(max_length=200)
    definition = models.TextField()
    source = models.TextField()
    unit = models.CharField(max_length=20)
    higher_is_better = models.BooleanField(null=True)
    year = models.PositiveSmallIntegerField(help_text="The collection year ending 31 March")
    as_of = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=1, null=True)
    numerator = models.IntegerField()
    denominator = models.IntegerField(null=True)
    needs_commentary = models.BooleanField(null=True, editable=False)

    class Meta:
        ordering = ["report", "position"]
        constraints = [models.UniqueConstraint(fields=["report", "indicator"],
                                               name="report_figure_once")]

    def __str__(self) -> str:
        return f"{self.name}: {self.shown}"

    @property
    def shown(self) -> str:
        """The figure as a reader says it: 12.5%, 320 days, 41."""
        if self.value is None:
            return "No figure"
        if self.unit == "percent":
            return f"{self.value}%"
        if self.unit == "mean days":
            return f"{self.value} days"
        return f"{self.value:,.0f}"

    @property
    def counted(self) -> str:
        """What the figure is made of: "45 of 120", "the mean of 12"."""
        if self.unit == "percent":
            return f"{self.numerator:,} of {self.denominator or 0:,}"
        if self.unit == "mean days":
            return f"the mean of {self.denominator or 0:,}, {self.numerator:,} days in all"
        return ""

    def save(self, *args, **kwargs):
        # A figure of record: written once when its report is made (its commentary
        # requirement is fixed at sign-off by one UPDATE of that field, in reports.sign_off).
        if not self._state.adding:
            raise RuntimeError("A report's figures are kept as made and never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("A report's figures are kept as made and never deleted")


class Commentary(Recorded):
    """What the manager responsible says about a figure: written, changed (each change kept in
    the audit trail, with its version) until the report is signed off."""

    figure = models.ForeignKey(ReportFigure, models.PROTECT, related_name="commentaries")
    text = models.TextField("Commentary")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+")
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "commentary"
        verbose_name_plural = "commentaries"
        constraints = [models.UniqueConstraint(
            fields=["figure"], condition=Q(voided_at__isnull=True), name="commentary_once")]

    def __str__(self) -> str:
        return self.text[:60]
