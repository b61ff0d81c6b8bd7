"""Monthly performance reports in the synthetic authority: last month's, commented on and signed
off, and this month's draft with only some of its commentary written, so the demo's service
manager has a report to finish and sign off and its analyst past ones to read (insight).

Written with fixed moments (sink.moment) and no audit events, so a seed and a date give the same
rows; the figures are the indicators computed from the authority just built, as at each
report's date."""

from __future__ import annotations

from datetime import date, timedelta

from cairn.insight import reports
from cairn.insight.models import Commentary, PerformanceReport, ReportFigure

from .sink import moment, next_id

# What managers write, by whether the figure moved the right way: the figure is put in front.
SAYS = {
    None: ("This is a count of demand, neither good nor bad in itself; it is in line with the "
           "last three months and the teams are staffed for it."),
    True: ("Above the last quarter's level. The service manager has asked team managers to "
           "keep the weekly tracking meeting going, so that the gain holds over the winter."),
    False: ("Higher than we want. Each case behind the figure has been reviewed with its team "
            "manager; the actions agreed are in the improvement plan, with a review next month."),
}
# This month's draft: the demo's team manager has started on these; the rest wait for the
# service manager to find when sign-off is refused.
STARTED = 3


class ReportStages:
    """A Builder stage (mixed into synth.builder.Builder)."""

    def performance_reports(self) -> list:
        analyst = self.demo.get("performance_analyst")
        manager = self.demo.get("team_manager")
        senior = self.demo.get("service_manager")
        if not (analyst and manager and senior):
            return []
        month = self.as_of.replace(day=1)
        last = (month - timedelta(days=1)).replace(day=1)
        needs = reports.required()
        past = self._report(last, month - timedelta(days=1), analyst, made_on=month)
        for figure in past:
            if figure.indicator in needs:
                self._comment(figure, manager, senior, month)
        PerformanceReport.objects.filter(pk=past[0].report_id).update(
            signed_off_by=senior, signed_off_at=moment(min(month + timedelta(days=2),
                                                           self.as_of), 16), version=2)
        ReportFigure.objects.filter(report=past[0].report_id).update(needs_commentary=False)
        ReportFigure.objects.filter(report=past[0].report_id, indicator__in=needs).update(
            needs_commentary=True)
        draft = self._report(month, self.as_of, analyst, made_on=self.as_of)
        for figure in [f for f in draft if f.indicator in needs][:STARTED]:
            self._comment(figure, manager, manager, self.as_of)
        return [PerformanceReport, ReportFigure, Commentary]

    def _report(self, month: date, as_of: date, by: int, *, made_on: date
                ) -> list[ReportFigure]:
        # Keys numbered here, not by the database's sequences, which a rolled-back build does
        # not rewind (the same seed must give the same rows).
        report = PerformanceReport.objects.create(id=next_id(PerformanceReport), month=month,
                                                  as_of=as_of, recorded_by_id=by,
                                                  recorded_at=moment(made_on, 9))
        figures = reports.figures_for(report)
        first = next_id(ReportFigure)
        for n, figure in enumerate(figures):
            figure.id = first + n
        return ReportFigure.objects.bulk_create(figures)

    def _comment(self, figure: ReportFigure, first: int, last: int, on: date) -> None:
        """The commentary on `figure`: written by `first`, its words last settled by `last`."""
        self.counts["insight.Commentary"] = self.counts.get("insight.Commentary", 0) + 1
        Commentary.objects.create(
            id=next_id(Commentary), figure=figure, recorded_by_id=first, recorded_at=moment(on, 11),
            text=f"{figure.name}: {figure.shown}. {SAYS[figure.higher_is_better]}",
            changed_by_id=last, changed_at=moment(on, 12))
