"""The performance analyst's returns journey in headless Chromium: produce each return, run a
validation, follow a failure to the child's record; axe on every page."""

import subprocess
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

import support
from cairn.care.models import CLAReview, LookedAfterEpisode
from cairn.returns.models import ValidationFailure, ValidationRun
from cairn.returns.validators import NOT_SET_UP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def validators_venv():
    if not (ROOT / ".venv-validators" / ".installed").exists():
        subprocess.run(["make", "-f", "returns.mk", "validators-venv"], cwd=ROOT, check=True)


@pytest.fixture
def jo(social_worker):
    child = support.make_child("Jo", "Bell", la_child_id="1001", birth_date=date(2016, 2, 14),
                               sex="F", ethnicity="WBRI", upn="D318200116001")
    support.allocate(child, social_worker, started_on=date(2024, 2, 1))
    LookedAfterEpisode.objects.create(
        child=child, started_on=date(2024, 2, 1), reason_new_episode="S", legal_status="C2",
        category_of_need="N1", placement_type="U4", placement_provider="PR1",
        home_postcode="TW1 1AA", placement_postcode="TW1 1AF", urn="XXXXXXX",
        recorded_by=social_worker)
    # A ten-year-old cannot have an under-four's participation code: 903 rule 440.
    CLAReview.objects.create(child=child, held_on=date(2026, 1, 10), participation="PN0",
                             recorded_by=social_worker)
    return child


def test_analyst_produces_each_return_and_follows_a_failure_to_the_child(
        page, live_server, performance_analyst, browser_log_in, jo, validators_venv, axe):
    browser_log_in(performance_analyst)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Returns").click()
    expect(page.get_by_role("heading", name="Returns", level=1)).to_be_visible()
    expect(page.get_by_text("runs in the background")).to_be_visible()
    # The authority the returns are made for (an import may have named another).
    expect(page.locator("#returns-authority")).to_have_text(
        "Returns are made for Cairnshire: LA number 931, ONS code E10000025.")
    axe(page)

    for label, name in [("Children in Need census", "cin-2026.xml"),
                        ("SSDA903 children looked after", "ssda903-2026.zip"),
                        ("Ofsted Annex A", "annex-a-2026-03-31.xlsx")]:
        page.get_by_label("Collection year").select_option("2026")
        page.get_by_label(label).check()
        if label == "Ofsted Annex A":
            page.locator("#id_as_of_0").fill("31")
            page.locator("#id_as_of_1").fill("3")
            page.locator("#id_as_of_2").fill("2026")
        page.get_by_role("button", name="Download the file").click()
        expect(page.get_by_text("Waiting for the background worker")).to_be_visible()
        axe(page)
        support.finish_return_in_browser(page)
        expect(page.get_by_role("heading", name="The file is ready")).to_be_visible()
        axe(page)
        with page.expect_download() as download:
            page.get_by_role("link", name=f"Download {name}").click()
        assert download.value.suggested_filename == name
        page.get_by_role("link", name="Back to returns").click()

    page.get_by_label("Collection year").select_option("2026")
    page.get_by_label("SSDA903 children looked after").check()
    page.get_by_role("button", name="Check the return").click()
    support.finish_return_in_browser(page)
    expect(page.get_by_role("heading", name="SSDA903 children looked after 2026: check results"
                            )).to_be_visible(timeout=90_000)
    expect(page.get_by_role("heading", name="Rule 440")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Back to returns").click()
    expect(page.get_by_role("link", name="Results of the SSDA903 children looked after check"
                            )).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Results of the SSDA903 children looked after check").click()
    page.locator("#rule-440 + p + table").get_by_role("link", name="Jo Bell").click()
    expect(page.get_by_role("heading", name="Statutory return problems")).to_be_visible()
    expect(page.get_by_text("rule 440")).to_be_visible()
    axe(page)


def test_restricted_children_in_a_return_and_a_server_without_validators(
        page, live_server, performance_analyst, browser_log_in, jo, axe, tmp_path,
        monkeypatch):
    jo.restricted = True
    jo.save()
    run = ValidationRun.objects.create(kind="ssda903", year=2026)
    ValidationFailure.objects.create(run=run, child=jo, la_child_id="1001", rule="440",
                                     message="Review code", table="Reviews", row=0)
    monkeypatch.setenv("CAIRN_VALIDATORS_PYTHON", str(tmp_path / "none" / "python"))
    browser_log_in(performance_analyst)
    page.goto(live_server.url + "/returns/")
    expect(page.get_by_text("Statutory returns include children whose records are "
                            "restricted")).to_be_visible()
    expect(page.get_by_text(NOT_SET_UP)).to_be_visible()
    expect(page.get_by_role("button", name="Check the return")).to_have_count(0)
    axe(page)
    page.get_by_role("link", name="Results of the SSDA903 children looked after check").click()
    expect(page.get_by_role("cell", name="A restricted record")).to_be_visible()
    expect(page.get_by_text("Jo Bell")).to_have_count(0)
    axe(page)
