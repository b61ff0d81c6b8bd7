"""Police protection recorded outside proceedings, then removed as entered in error; an emergency
protection order extended once; in headless Chromium as the social worker, with axe on every
page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

import support
from cairn.legal.models import LegalOrder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_date(page, legend, day):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_police_protection_recorded_then_removed(page, live_server, browser_log_in,
                                                 social_worker, axe):
    today = timezone.localdate()
    child = support.make_child("Mia", "Stone")
    support.allocate(child, social_worker, started_on=today - timedelta(days=30))
    browser_log_in(social_worker)

    page.goto(f"{live_server.url}/children/{child.pk}/")
    page.get_by_role("link", name="Record an emergency protection order or police protection"
                     ).click()
    axe(page)
    page.get_by_role("radio", name="Police protection").check()
    fill_date(page, "Date the order was made or police protection started", today)
    fill_date(page, "Date it ends or ended", today + timedelta(days=4))
    page.get_by_label("Police force (police protection)").fill("Avon and Somerset Police")
    fill_date(page, "Date the child was removed", today)
    page.get_by_label("Time the child was removed").fill("00:00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Police protection lasts at most 72 hours from when the child was taken")
    assert page.title().startswith("Error:")
    expect(page.get_by_label("Police force (police protection)")).to_have_value(
        "Avon and Somerset Police")
    axe(page)

    fill_date(page, "Date it ends or ended", today + timedelta(days=3))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Emergency protection order or police protection recorded")
           ).to_be_visible()
    expect(page.locator(".cairn-banner")).to_contain_text(
        "Police protection from")  # the legal status in the banner
    axe(page)

    page.get_by_role("link", name="Chronology").click()
    expect(page.get_by_role("cell", name="Police protection")).to_be_visible()
    axe(page)
    # The hidden part names the entry for screen readers ("Remove entry: Order made, ...").
    page.get_by_role("link", name=re.compile(r"^Remove entry\s*: Order made")).click()
    expect(page.get_by_role("heading", name="Remove an entry made in error")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Remove entry").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Enter why this entry is being removed from the record")
    axe(page)
    page.get_by_label("Why is this entry being removed?").fill(
        "Recorded on the wrong child's record")
    page.get_by_role("button", name="Remove entry").click()
    expect(page.get_by_text("Entry removed")).to_be_visible()
    removed = page.get_by_role("table", name="Entries removed from the record")
    expect(removed).to_contain_text("Recorded on the wrong child's record")
    expect(removed).to_contain_text("Order made")
    expect(page.get_by_role("cell", name="Police protection")).to_have_count(0)
    expect(page.locator(".cairn-banner")).not_to_contain_text("Police protection")
    axe(page)
    order = LegalOrder.objects.get()
    assert order.voided_by == social_worker and order.void_reason


def test_emergency_protection_order_extended_once(page, live_server, browser_log_in,
                                                  social_worker, axe):
    from cairn.legal import services

    today = timezone.localdate()
    child = support.make_child("Noah", "Reed")
    support.allocate(child, social_worker, started_on=today - timedelta(days=30))
    order = services.legal_order_record(
        child=child, by=social_worker, kind="EPO", made_on=today - timedelta(days=2),
        ended_on=today + timedelta(days=6), court="Family Court at Bristol")
    browser_log_in(social_worker)

    page.goto(f"{live_server.url}/children/{child.pk}/legal/")
    page.get_by_role("link", name="Extend the emergency protection order").click()
    expect(page.get_by_role("heading", name="Extend the emergency protection order")
           ).to_be_visible()
    axe(page)
    fill_date(page, "Date the court extended the order", today)
    fill_date(page, "Date the extension ends", order.ended_on + timedelta(days=8))
    page.get_by_role("button", name="Save extension").click()
    last = order.ended_on + timedelta(days=7)
    expect(page.get_by_role("alert")).to_contain_text(
        f"can be extended once, by up to 7 days: the extension must end by {last:%-d %B %Y}")
    assert page.title().startswith("Error:")
    axe(page)
    fill_date(page, "Date the extension ends", last)
    page.get_by_role("button", name="Save extension").click()
    expect(page.get_by_text("Emergency protection order extended")).to_be_visible()
    expect(page.get_by_role("cell").filter(has_text="extended from")).to_contain_text(
        f"{last.day} {last:%b %Y}")
    expect(page.get_by_role("link", name="Extend the emergency protection order")
           ).to_have_count(0)  # once only
    expect(page.locator(".cairn-banner")).to_contain_text(
        f"until {last.day} {last:%b %Y}")
    axe(page)
    page.get_by_role("link", name="Chronology", exact=True).click()
    expect(page.get_by_role("cell", name="Emergency protection order extended", exact=True)
           ).to_be_visible()
    axe(page)
    order.refresh_from_db()
    assert (order.extended_on, order.extended_to) == (today, last)
