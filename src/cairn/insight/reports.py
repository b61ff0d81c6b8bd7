"""Writes for monthly performance reports: make this month's (the figures as they stand, kept as
made), write or change a figure's commentary until sign-off, sign off, and set which indicators
need commentary. Each write is one transaction with its audit record; the views ask the access
policy who may do what."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, OuterRef, Value, When
from django.utils import timezone

from cairn.core import audit
from cairn.core import services as core_services
from cairn.core.errors import RecordError, StaleRecord
from cairn.core.models import AuditEvent

from . import indicators
from .models import Commentary, CommentaryRequired, PerformanceReport, ReportFigure


class Uncommented(RecordError):
    """A report cannot be signed off while a figure that needs commentary has none."""

    def __init__(self, figures: list[ReportFigure]):
        super().__init__("Add commentary to every indicator that needs it before signing off")
        self.figures = figures


def required() -> set[str]:
    """The indicators the authority says need commentary, now."""
    return set(CommentaryRequired.objects.current().values_list("indicator", flat=True))


@transaction.atomic
def make_report(*, by, on: date) -> PerformanceReport:
    """The report for the month of `on`, with every indicator as it stands on `on` (the
    collection year to date), stored as made."""
    month = on.replace(day=1)
    existing = PerformanceReport.objects.current().filter(month=month).first()
    if existing is not None:
        raise RecordError(f"The report for {month:%B %Y} has already been made")
    try:
        with transaction.atomic():
            report = PerformanceReport.objects.create(month=month, as_of=on, recorded_by=by)
    except IntegrityError:  # someone else made it a moment ago
        raise RecordError(f"The report for {month:%B %Y} has already been made") from None
    figures = figures_for(report)
    ReportFigure.objects.bulk_create(figures)
    audit.record(by, "performancereport.made", report, related={"figures": len(figures)})
    return report


def figures_for(report: PerformanceReport) -> list[ReportFigure]:
    """Every indicator as it stands on the report's `as_of` (its collection year to date), as
    the report's figures, not yet saved."""
    period = indicators.Period.containing(report.as_of)
    figures = []
    for position, ind in enumerate(indicators.REGISTRY.values()):
        got = indicators.figure(ind.id, period)
        figures.append(ReportFigure(
            report=report, position=position, indicator=ind.id, name=ind.name,
            definition=ind.definition, source=ind.source, unit=ind.unit,
            higher_is_better=ind.higher_is_better, year=period.year, as_of=period.at,
            value=None if got.value is None else Decimal(str(got.value)),
            numerator=got.numerator, denominator=got.denominator))
    return figures


def _open_report(report_id: int) -> PerformanceReport:
    """The report, locked until the transaction ends so a sign-off and a commentary saved at
    the same moment are taken one after the other; refused once signed off."""
    report = PerformanceReport.objects.select_for_update().get(pk=report_id)
    if report.voided_at:
        raise RecordError("This report has been withdrawn")
    if report.signed_off:
        raise RecordError(f"This report was signed off by {report.signed_off_by} on "
                          f"{core_services.long_date(timezone.localtime(report.signed_off_at))}"
                          ": it can no longer be changed")
    return report


@transaction.atomic
def comment(*, figure: ReportFigure, text: str, by, expected_version: int) -> Commentary:
    """Write the commentary on `figure`, or change it (`expected_version`: the version the
    writer read, 0 for none yet); each change is kept in the audit trail."""
    _open_report(figure.report_id)
    text = text.strip()
    if not text:
        raise RecordError("Enter your commentary", field="text")
    existing = Commentary.objects.current().filter(figure=figure).first()
    now = timezone.now()
    if existing is None:
        if expected_version:
            raise StaleRecord("commentary")
        try:
            with transaction.atomic():
                made = Commentary.objects.create(figure=figure, text=text, recorded_by=by,
                                                 changed_by=by, changed_at=now)
        except IntegrityError:  # written by someone else at the same moment
            raise StaleRecord("commentary") from None
        audit.record(by, "commentary.created", made)
        return made
    if existing.text == text:
        return existing
    return core_services.update(obj=existing, by=by, expected_version=expected_version,
                                changes={"text": text, "changed_by": by, "changed_at": now})


def uncommented(report: PerformanceReport, needs: set[str] | None = None
                ) -> list[ReportFigure]:
    """The figures of `report` that need commentary and have none, in the report's order."""
    needs = required() if needs is None else needs
    written = Commentary.objects.current().filter(figure=OuterRef("pk"))
    return list(report.figures.filter(indicator__in=needs).exclude(Exists(written))
                .order_by("position"))


@transaction.atomic
def sign_off(*, report: PerformanceReport, by) -> PerformanceReport:
    """Sign the report off: refused while a figure that needs commentary has none. The
    authority's setting of which figures needed it is kept with the figures; the report is
    read-only from then on."""
    locked = _open_report(report.pk)
    needs = required()
    missing = uncommented(locked, needs)
    if missing:
        raise Uncommented(missing)
    before = audit.snapshot(locked)
    locked.figures.update(needs_commentary=Case(When(indicator__in=needs, then=Value(True)),
                                                default=Value(False)))
    locked.signed_off_by, locked.signed_off_at = by, timezone.now()
    core_services.save_version(locked, expected_version=None,
                               fields=["signed_off_by", "signed_off_at"],
                               thing="performance report")
    audit.record(by, "performancereport.signed_off", locked, kind=AuditEvent.Kind.DECIDED,
                 before=before)
    return locked


@transaction.atomic
def set_required(*, indicator_ids: set[str], by) -> None:
    """Mark exactly `indicator_ids` as needing commentary: new marks are added, marks taken off
    are voided (kept, with who and when)."""
    unknown = set(indicator_ids) - set(indicators.REGISTRY)
    if unknown:
        raise RecordError(f"There is no indicator '{sorted(unknown)[0]}'", field="indicators")
    current = {row.indicator: row for row in CommentaryRequired.objects.current()}
    for ind in sorted(set(indicator_ids) - set(current)):
        row = CommentaryRequired.objects.create(indicator=ind, recorded_by=by)
        audit.record(by, "commentaryrequired.created", row)
    for ind in sorted(set(current) - set(indicator_ids)):
        core_services.void(obj=current[ind], by=by, reason="No longer needs commentary")
