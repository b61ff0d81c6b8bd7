"""The front door's queue, a page at a time, in headless Chromium: the total and the overdue
are said, Next and Previous walk the pages oldest first, and each page passes axe."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

import support
from cairn.frontdoor import selectors, services
from cairn.frontdoor.models import ContactSource

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_front_door_walks_the_queue_page_by_page(page, live_server, front_door_worker,
                                                     browser_log_in, axe, monkeypatch):
    monkeypatch.setattr(selectors, "AWAITING_PER_PAGE", 2)
    now = timezone.now()
    names = ["Ada", "Ben", "Cal"]
    for days, name in zip((12, 11, 10), names, strict=True):
        services.contact_record(child=support.make_child(name, "Pryce"),
                                received_at=now - timedelta(days=days),
                                source=ContactSource.SCHOOLS, concerns="Bruising",
                                consent="given", by=front_door_worker)
    browser_log_in(front_door_worker)
    page.goto(live_server.url + "/front-door/")
    count = page.locator("#awaiting-count")
    expect(count).to_contain_text("3 awaiting a decision, 1 to 2 shown, oldest first")
    expect(count).to_contain_text("2 of these overdue")
    expect(page.get_by_role("link", name="Ada Pryce", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Cal Pryce", exact=True)).to_have_count(0)
    axe(page)

    queue = page.get_by_role("navigation", name="Contacts awaiting a decision: pages")
    queue.get_by_role("link", name="Next page").click()
    expect(count).to_contain_text("3 awaiting a decision, 3 to 3 shown")
    expect(page.get_by_role("link", name="Cal Pryce", exact=True)).to_be_visible()
    expect(queue.get_by_role("link", name="Page 2 of 2")).to_be_visible()
    axe(page)
    queue.get_by_role("link", name="Previous page").click()
    expect(page.get_by_role("link", name="Ada Pryce", exact=True)).to_be_visible()
