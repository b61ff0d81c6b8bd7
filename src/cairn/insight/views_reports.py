"""Monthly performance reports' pages: the list of reports and "Make this month's report", one
report with its figures of record and commentary, writing a commentary, signing off, the PDF for
a scrutiny meeting, and the authority's setting of which indicators need commentary (F33)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST
from weasyprint import HTML

from cairn.access import policy
from cairn.core import audit, conflicts
from cairn.core.errors import RecordError, StaleRecord
from cairn.core.forms import GovukForm, VersionedForm, text
from cairn.core.models import AuditEvent

from . import report_selectors as selectors
from . import reports


class CommentaryForm(VersionedForm):
    text = text("Commentary", "Enter your commentary",
                help_text="What the figure shows, why, and what is being done about it.")


class RequiredForm(GovukForm):
    indicators = forms.MultipleChoiceField(
        label="Indicators that need commentary", required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A report cannot be signed off until each of these has commentary.")


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """Every report made, newest first, and this month's to make or open."""
    policy.require_role(request.user, policy.SEE_REPORTS)
    today = timezone.localdate()
    return render(request, "insight/reports/list.html", {
        "reports": selectors.all_reports(), "this_month": selectors.this_month(today),
        "month": today.replace(day=1),
        "can_make": policy.allows(request.user, policy.MAKE_REPORTS),
        "can_set": policy.allows(request.user, policy.SET_COMMENTARY)})


@login_required
@require_POST
def report_make(request: HttpRequest) -> HttpResponse:
    """Make this month's report: the figures as they stand today, kept as made."""
    policy.require_role(request.user, policy.MAKE_REPORTS)
    try:
        report = reports.make_report(by=request.user, on=timezone.localdate())
    except RecordError:  # made a moment ago by someone else: that one is this month's
        return redirect("reports")
    messages.success(request, f"{report} made")
    return redirect(report)


def _report_page(request: HttpRequest, report, *, missing=None, status: int = 200
                 ) -> HttpResponse:
    lines = selectors.lines(report)
    return render(request, "insight/reports/report.html", {
        "report": report, "lines": lines, "missing": missing or [],
        "needing": sum(1 for line in lines if line.needs_commentary),
        "uncommented": sum(1 for line in lines
                           if line.needs_commentary and line.commentary is None),
        "can_comment": (not report.signed_off
                        and policy.allows(request.user, policy.COMMENT_ON_REPORTS)),
        "can_sign_off": (not report.signed_off
                         and policy.allows(request.user, policy.SIGN_OFF_REPORTS))},
        status=status)


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    policy.require_role(request.user, policy.SEE_REPORTS)
    return _report_page(request, selectors.report(report_id))


@login_required
def report_sign_off(request: HttpRequest, report_id: int) -> HttpResponse:
    """Sign the report off (a POST); refused, with each indicator still needing commentary
    listed and linked, while any has none."""
    policy.require_role(request.user, policy.SIGN_OFF_REPORTS)
    report = selectors.report(report_id)
    if request.method != "POST":
        return redirect(report)
    try:
        reports.sign_off(report=report, by=request.user)
    except reports.Uncommented as error:
        return _report_page(request, report, missing=error.figures)
    except RecordError:  # signed off a moment ago: the page says by whom
        return redirect(report)
    messages.success(request, f"{report} signed off")
    return redirect(report)


@login_required
def report_commentary(request: HttpRequest, report_id: int, indicator: str) -> HttpResponse:
    """Write or change the commentary on one figure, until the report is signed off."""
    policy.require_role(request.user, policy.COMMENT_ON_REPORTS)
    report = selectors.report(report_id)
    figure = selectors.figure(report, indicator)
    if report.signed_off:  # read-only: the report says who signed it off and when
        return redirect(report)
    existing = figure.commentaries.filter(voided_at__isnull=True).first()
    initial = {"text": existing.text if existing else "",
               "version": existing.version if existing else 0}
    form = CommentaryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                reports.comment(figure=figure, text=form.cleaned_data["text"],
                                by=request.user,
                                expected_version=form.cleaned_data["version"])
        except StaleRecord as error:
            fresh = figure.commentaries.filter(voided_at__isnull=True).first()
            form.initial = {"text": fresh.text if fresh else "",
                            "version": fresh.version if fresh else 0}
            conflicts.show(form, fresh, error, version=fresh.version if fresh else 0)
        except RecordError as error:
            form.add_error("text" if error.field == "text" else None, error.message)
        else:
            # The name as written: lowered, "A1: days ..." read as "a1: days ...".
            messages.success(request, f"Commentary on ‘{figure.name}’ saved")
            return redirect(f"{report.get_absolute_url()}#indicator-{figure.indicator}")
    return render(request, "insight/reports/commentary.html", {
        "report": report, "figure": figure, "figure_line": {"figure": figure}, "form": form,
        "commentary": existing})


@login_required
def report_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report as a PDF for a scrutiny meeting: the same figures and commentary."""
    policy.require_role(request.user, policy.SEE_REPORTS)
    report = selectors.report(report_id)
    html = render_to_string("insight/reports/pdf.html", {
        "report": report, "lines": selectors.lines(report)}, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    audit.record(request.user, "performancereport.downloaded", report,
                 kind=AuditEvent.Kind.EXPORTED)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="performance-report-{report.month:%Y-%m}.pdf"')
    return response


@login_required
def commentary_required(request: HttpRequest) -> HttpResponse:
    """The authority's setting: which indicators need commentary before sign-off."""
    policy.require_role(request.user, policy.SET_COMMENTARY)
    choices = [(ind.id, ind.name) for ind in selectors.every_indicator()]
    form = RequiredForm(request.POST or None,
                        initial={"indicators": sorted(selectors.needing_commentary())})
    form.fields["indicators"].choices = choices
    if request.method == "POST" and form.is_valid():
        try:
            reports.set_required(indicator_ids=set(form.cleaned_data["indicators"]),
                                 by=request.user)
        except RecordError as error:
            form.add_error("indicators", error.message)
        else:
            messages.success(request, "Indicators that need commentary saved")
            return redirect("reports")
    return render(request, "insight/reports/required.html", {"form": form})
