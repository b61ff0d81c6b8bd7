"""The clock a test sets (time-machine, and CAIRN_TEST_CLOCK through it) is the clock the live
server's pages see: the browser walks record "now" through those pages."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_live_server_runs_at_the_tests_clock(page, live_server, browser_log_in,
                                                 front_door_worker, child):
    # Early on a Monday in summer time, months before or after the real date: a clock moved
    # only in this thread would show the real date and time instead.
    moment = datetime(2025, 6, 2, 6, 5, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(moment, tick=False):
        browser_log_in(front_door_worker)
        page.goto(f"{live_server.url}/front-door/children/{child.pk}/contacts/new/")
        received = page.get_by_role("group", name="Date the contact was received")
        expect(received.get_by_label("Day")).to_have_value("2")
        expect(received.get_by_label("Month")).to_have_value("6")
        expect(received.get_by_label("Year")).to_have_value("2025")
        expect(page.get_by_label("Time received")).to_have_value("06:05")
