"""Monthly performance reports (F33): made from the indicators and kept as made, commented on
by managers (each change kept), refused sign-off while an indicator that needs commentary has
none, read-only once signed off, and downloadable as a PDF holding the figures."""

import html
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

import support
from cairn.core.errors import RecordError, StaleRecord
from cairn.core.models import AuditEvent
from cairn.frontdoor.models import Referral
from cairn.insight import indicators, report_selectors, reports
from cairn.insight.models import (
    Commentary,
    CommentaryRequired,
    PerformanceReport,
    ReportFigure,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def referral(child, by, days_ago: int = 3) -> Referral:
    return Referral.objects.create(child=child, received_on=TODAY - timedelta(days=days_ago),
                                   source="1A", recorded_by=by)


@pytest.fixture
def two_needed(administrator):
    """The authority needs commentary on referrals and children looked after only."""
    reports.set_required(indicator_ids={"cin_referrals", "cla_31mar"}, by=administrator)


def test_the_dfe_headline_indicators_need_commentary_by_default():
    needed = reports.required()
    assert {"cin_referrals", "cla_31mar", "cin_cpp_second_or_subsequent"} <= needed
    assert "contacts" not in needed  # a local measure: the authority may add it
    assert needed <= set(indicators.REGISTRY)


def test_a_report_keeps_the_figures_as_they_stood_when_made(service_manager, social_worker):
    child = support.make_child()
    referral(child, social_worker)
    report = reports.make_report(by=service_manager, on=TODAY)
    kept = ReportFigure.objects.get(report=report, indicator="cin_referrals")
    now = indicators.figure("cin_referrals", indicators.Period.containing(TODAY))
    assert (kept.numerator, kept.as_of, kept.year) == (now.numerator, TODAY,
                                                       indicators.Period.containing(TODAY).year)
    assert kept.definition == indicators.get("cin_referrals").definition
    assert report.figures.count() == len(indicators.REGISTRY)
    # A fact recorded later moves the live figure, never the report's.
    referral(support.make_child(), social_worker, days_ago=1)
    kept.refresh_from_db()
    assert kept.numerator == now.numerator
    assert indicators.figure("cin_referrals", indicators.Period.containing(TODAY)
                             ).numerator == now.numerator + 1
    with pytest.raises(RuntimeError):
        kept.save()
    with pytest.raises(RuntimeError):
        kept.delete()
    with pytest.raises(RecordError, match="already been made"):
        reports.make_report(by=service_manager, on=TODAY)


def test_commentary_changes_are_kept_and_a_stale_edit_is_refused(service_manager, team_manager):
    report = reports.make_report(by=service_manager, on=TODAY)
    figure = report.figures.get(indicator="cin_referrals")
    first = reports.comment(figure=figure, text="Referrals are steady.", by=team_manager,
                            expected_version=0)
    reports.comment(figure=figure, text="Referrals rose after the school term began.",
                    by=service_manager, expected_version=first.version)
    with pytest.raises(StaleRecord):  # read before the service manager's change
        reports.comment(figure=figure, text="Mine", by=team_manager,
                        expected_version=first.version)
    line = next(line for line in report_selectors.lines(report)
                if line.figure.indicator == "cin_referrals")
    assert line.commentary.text == "Referrals rose after the school term began."
    assert line.commentary.changed_by == service_manager
    assert [(v.text, v.by) for v in line.earlier] == [("Referrals are steady.",
                                                        str(team_manager))]
    assert Commentary.objects.filter(figure=figure).count() == 1


def test_sign_off_is_refused_until_the_needed_commentary_is_written(
        log_in, service_manager, team_manager, two_needed):
    report = reports.make_report(by=service_manager, on=TODAY)
    client = log_in(service_manager)
    refused = client.post(reverse("report_sign_off", args=[report.pk]))
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "<title>Error: " in page
    assert 'href="#indicator-cin_referrals">Add commentary on' in page
    assert 'href="#indicator-cla_31mar">Add commentary on' in page
    assert page.count('class="govuk-error-message"') == 2  # beside each, as well
    report.refresh_from_db()
    assert not report.signed_off

    manager = log_in(team_manager)
    for indicator, words in (("cin_referrals", "Steady"), ("cla_31mar", "Falling slowly")):
        url = reverse("report_commentary", args=[report.pk, indicator])
        form = manager.get(url)
        assert form.status_code == 200
        saved = manager.post(url, {"text": words, "version": 0, "started": ""})
        assert saved.status_code == 302, saved.content.decode()[:2000]
        name = report.figures.get(indicator=indicator).name
        assert f"Commentary on ‘{name}’ saved" in manager.get(saved.url).content.decode()

    signed = client.post(reverse("report_sign_off", args=[report.pk]))
    assert signed.status_code == 302
    report.refresh_from_db()
    assert report.signed_off and report.signed_off_by == service_manager
    assert AuditEvent.objects.filter(action="performancereport.signed_off",
                                     actor=service_manager).exists()
    assert set(report.figures.filter(needs_commentary=True).values_list(
        "indicator", flat=True)) == {"cin_referrals", "cla_31mar"}

    # Read-only from now on: no links to change, and the service refuses.
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Signed off" in page and "Change commentary" not in page
    assert "Sign off this report" not in page
    figure = report.figures.get(indicator="cin_referrals")
    with pytest.raises(RecordError, match="signed off"):
        reports.comment(figure=figure, text="Later", by=team_manager, expected_version=1)
    late = manager.post(reverse("report_commentary", args=[report.pk, "cin_referrals"]),
                        {"text": "Later", "version": 1, "started": ""})
    assert late.status_code == 302
    assert Commentary.objects.current().get(figure=figure).text == "Steady"
    # Changing the setting later does not change what the signed-off report needed.
    reports.set_required(indicator_ids={"contacts"}, by=service_manager)
    assert {line.figure.indicator for line in report_selectors.lines(report)
            if line.needs_commentary} == {"cin_referrals", "cla_31mar"}


def test_the_pdf_is_a_real_pdf_holding_the_figures_and_commentary(
        log_in, service_manager, team_manager, social_worker):
    referral(support.make_child(), social_worker)
    report = reports.make_report(by=service_manager, on=TODAY)
    figure = report.figures.get(indicator="cin_referrals")
    reports.comment(figure=figure, text="Referrals from schools doubled.", by=team_manager,
                    expected_version=0)
    response = log_in(team_manager).get(reverse("report_pdf", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(" ".join(page.extract_text().split())
                    for page in PdfReader(io.BytesIO(response.content)).pages)
    assert f"Performance report, {TODAY:%B %Y}" in text
    assert f"{figure.name} {figure.shown}" in text
    assert "Referrals from schools doubled." in text
    assert AuditEvent.objects.filter(action="performancereport.downloaded").exists()


def test_pages_for_who_may_and_may_not(log_in, service_manager, performance_analyst,
                                       social_worker, administrator, team_manager):
    analyst = log_in(performance_analyst)
    listing = analyst.get(reverse("reports")).content.decode()
    assert "Make this month&#x27;s report" in listing or "Make this month's report" in listing
    made = analyst.post(reverse("report_make"))
    report = PerformanceReport.objects.get()
    assert made["Location"] == report.get_absolute_url()
    page = analyst.get(report.get_absolute_url()).content.decode()
    assert "Add commentary" not in page and "Sign off this report" not in page
    assert "Open this month" in analyst.get(reverse("reports")).content.decode()
    # A manager may comment but not sign off; a social worker sees no reports at all.
    manager = log_in(team_manager)
    assert "Add commentary" in manager.get(report.get_absolute_url()).content.decode()
    assert manager.post(reverse("report_sign_off", args=[report.pk])).status_code == 403
    worker = log_in(social_worker)
    for url in (reverse("reports"), report.get_absolute_url(),
                reverse("report_pdf", args=[report.pk]), reverse("commentary_required")):
        assert worker.get(url).status_code == 403
    assert analyst.post(reverse("report_commentary", args=[report.pk, "cin_referrals"]),
                        {"text": "x", "version": 0}).status_code == 403


def test_the_administrator_chooses_which_indicators_need_commentary(log_in, administrator):
    client = log_in(administrator)
    url = reverse("commentary_required")
    assert 'value="cin_referrals" checked' in client.get(url).content.decode()
    saved = client.post(url, {"indicators": ["contacts", "cin_referrals"]})
    assert saved.status_code == 302
    assert reports.required() == {"contacts", "cin_referrals"}
    # Marks taken off are voided, not deleted.
    assert CommentaryRequired.objects.filter(indicator="cla_31mar",
                                             voided_at__isnull=False).exists()
    refused = client.post(url, {"indicators": ["nonsense"]})
    assert refused.status_code == 200
    assert reports.required() == {"contacts", "cin_referrals"}


def test_two_managers_editing_one_commentary_see_each_others_words(
        log_in, service_manager, team_manager):
    report = reports.make_report(by=service_manager, on=TODAY)
    url = reverse("report_commentary", args=[report.pk, "cin_referrals"])
    tara, simon = log_in(team_manager), log_in(service_manager)
    started = re.search(r'name="started" value="([^"]*)"',
                        tara.get(url).content.decode()).group(1)
    assert simon.post(url, {"text": "Simon's view", "version": 0}).status_code == 302
    clash = tara.post(url, {"text": "Tara's view", "version": 0,
                            "started": html.unescape(started)})
    page = clash.content.decode()
    assert clash.status_code == 200
    assert "saved this commentary while you were editing it" in page
    assert "Simon&#x27;s view" in page and "Use mine: Tara&#x27;s view" in page
    assert Commentary.objects.current().get(figure__report=report).text == "Simon's view"
