"""Reads for monthly performance reports: the list of reports, one report with its figures,
commentary and the earlier versions of each commentary, in a bounded number of queries
whatever the report's length."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from cairn.core.models import AuditEvent
from cairn.workforce.models import Staff

from . import indicators, reports
from .models import Commentary, CommentaryRequired, PerformanceReport, ReportFigure


def all_reports() -> QuerySet[PerformanceReport]:
    """Every report made (not withdrawn), newest month first: two queries with its page."""
    return (PerformanceReport.objects.current()
            .select_related("recorded_by", "signed_off_by").order_by("-month", "-pk"))


def this_month(today: date) -> PerformanceReport | None:
    return PerformanceReport.objects.current().filter(month=today.replace(day=1)).first()


def report(report_id: int) -> PerformanceReport:
    """The report, or 404."""
    return get_object_or_404(
        PerformanceReport.objects.current().select_related("recorded_by", "signed_off_by"),
        pk=report_id)


def figure(report: PerformanceReport, indicator: str) -> ReportFigure:
    """One figure of `report`, or 404."""
    return get_object_or_404(ReportFigure, report=report, indicator=indicator)


@dataclass
class Version:
    """An earlier text of a commentary, replaced by a later one."""

    text: str
    by: str
    at: datetime


@dataclass
class Line:
    """A figure as its report shows it: the figure of record and its commentary."""

    figure: ReportFigure
    needs_commentary: bool
    commentary: Commentary | None
    earlier: list[Version] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"indicator-{self.figure.indicator}"


def lines(report: PerformanceReport) -> list[Line]:
    """Every figure of `report` in order, with its commentary and that commentary's earlier
    versions (from the audit trail's record of each change). Before sign-off a figure needs
    commentary where the authority now says so; after, where it said so at sign-off. Four
    queries, five with earlier versions."""
    figures = list(report.figures.order_by("position").prefetch_related(Prefetch(
        "commentaries", Commentary.objects.current().select_related("changed_by"),
        to_attr="current")))
    needs = set() if report.signed_off else reports.required()
    commentaries = {f.pk: (f.current[0] if f.current else None) for f in figures}
    ids = [str(c.pk) for c in commentaries.values() if c is not None]
    earlier: dict[str, list[Version]] = {}
    if ids:
        changes = list(AuditEvent.objects.filter(
            object_type="insight.commentary", object_id__in=ids,
            kind=AuditEvent.Kind.CHANGED).order_by("-at", "-id"))
        # Each change's `before` is the text it replaced, with who had written that text.
        writers = {(e.before or {}).get("changed_by_id") for e in changes} - {None}
        names = {s.pk: str(s) for s in Staff.objects.filter(pk__in=writers)} if writers else {}
        for event in changes:
            before = event.before or {}
            earlier.setdefault(event.object_id, []).append(Version(
                text=before.get("text", ""), by=names.get(before.get("changed_by_id"), ""),
                at=_moment(before.get("changed_at")) or event.at))
    out = []
    for f in figures:
        commentary = commentaries[f.pk]
        out.append(Line(
            figure=f, commentary=commentary,
            needs_commentary=(bool(f.needs_commentary) if report.signed_off
                              else f.indicator in needs),
            earlier=earlier.get(str(commentary.pk), []) if commentary else []))
    return out


def _moment(value) -> datetime | None:
    """A moment as the audit trail's snapshot holds it (ISO text)."""
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def needing_commentary() -> set[str]:
    return set(CommentaryRequired.objects.current().values_list("indicator", flat=True))


def every_indicator() -> list[indicators.Indicator]:
    return list(indicators.REGISTRY.values())
