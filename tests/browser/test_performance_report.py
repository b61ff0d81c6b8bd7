"""A monthly performance report in headless Chromium (F33): the service manager makes this
month's report from My work, is refused sign-off with each indicator that needs commentary
listed and linked, writes the commentary, signs off, and downloads the PDF for the scrutiny
meeting. axe-core checks every page."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from cairn.insight import reports
from cairn.insight.models import PerformanceReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEEDED = {"cin_referrals": "Referrals", "cla_31mar": "Children looked after"}


def test_make_comment_sign_off_and_download(page, live_server, browser_log_in, service_manager,
                                           administrator, axe):
    reports.set_required(indicator_ids=set(NEEDED), by=administrator)
    browser_log_in(service_manager)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=re.compile("this month's performance report")).click()
    axe(page)
    page.get_by_role("button", name="Make this month's report").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    report = PerformanceReport.objects.get()
    expect(page.get_by_text("Draft", exact=True)).to_be_visible()
    axe(page)

    # Sign-off is refused: the error summary names each indicator, linking to it.
    page.get_by_role("button", name="Sign off this report").click()
    expect(page).to_have_title(re.compile("^Error: "))
    summary = page.get_by_role("alert")
    links = summary.get_by_role("link")
    expect(links).to_have_count(len(NEEDED))
    axe(page)
    for indicator in NEEDED:
        name = report.figures.get(indicator=indicator).name
        link = summary.get_by_role("link", name=f"Add commentary on ‘{name}’", exact=True)
        expect(link).to_have_attribute("href", f"#indicator-{indicator}")

    # Each is commented on, from the link beside it.
    for n, indicator in enumerate(NEEDED):
        figure = report.figures.get(indicator=indicator)
        page.goto(f"{live_server.url}{report.get_absolute_url()}")
        page.locator(f"#indicator-{indicator}").scroll_into_view_if_needed()
        page.get_by_role("link", name=f"Add commentary on ‘{figure.name}’",
                         exact=True).click()
        expect(page.get_by_role("heading", name=figure.name, level=1)).to_be_visible()
        if n == 0:
            page.get_by_role("button", name="Save commentary").click()
            expect(page.get_by_role("alert")).to_contain_text("Enter your commentary")
            axe(page)
        page.get_by_label("Commentary").fill(f"{NEEDED[indicator]} as expected this month.")
        axe(page)
        page.get_by_role("button", name="Save commentary").click()
        expect(page.get_by_text(f"{NEEDED[indicator]} as expected this month.")).to_be_visible()

    page.get_by_role("button", name="Sign off this report").click()
    expect(page.get_by_text("signed off", exact=False).first).to_be_visible()
    expect(page.get_by_role("button", name="Sign off this report")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Change commentary"))).to_have_count(0)
    axe(page)
    report.refresh_from_db()
    assert report.signed_off_by == service_manager

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report as a PDF").click()
    pdf = download.value
    assert pdf.suggested_filename == f"performance-report-{report.month:%Y-%m}.pdf"
    data = open(pdf.path(), "rb").read()
    assert data.startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)
    assert "Referrals as expected this month." in text
    assert f"Signed off by {service_manager}" in text

    # Past reports are listed and readable.
    page.goto(live_server.url + "/insight/reports/")
    expect(page.get_by_role("link", name=f"{report.month:%B %Y}", exact=True)).to_be_visible()
    axe(page)
