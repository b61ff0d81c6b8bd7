"""Who looked, in headless Chromium: the information governance officer goes from their home
page to what a member of staff opened, then from a child's record to who opened it (filtered
by person), and asks for a subject access export; a team manager reads what a team member
opened from the team page. axe-core checks every page."""

import re

import pytest
from playwright.sync_api import expect

import support
from cairn.core import audit
from cairn.core.models import AuditEvent
from cairn.workforce.models import Role

from .walk import Walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_governance_and_a_manager_read_who_looked(page, live_server, child, social_worker,
                                                  team_manager, axe):
    governance = support.make_staff("iona_governance", Role.INFORMATION_GOVERNANCE, None)
    audit.viewed(social_worker, child, f"/children/{child.pk}/")
    walk = Walk(page, live_server.url, axe)

    walk.as_(governance)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Subject access requests")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="What a member of staff opened").click()
    page.get_by_label("Name, username or job title").fill("sam")
    page.get_by_role("button", name="Find").click()
    axe(page)
    page.get_by_role("link", name=str(social_worker)).click()
    expect(page.get_by_role("heading", name=f"What {social_worker} opened")).to_be_visible()
    expect(page.locator("#access-log")).to_contain_text(child.full_name)
    axe(page)

    walk.child_page(child)
    page.get_by_role("link", name="Who opened and changed this record").click()
    expect(page.locator("#access-log")).to_contain_text(str(social_worker))
    axe(page)
    page.get_by_text("Filter the log").click()
    page.get_by_label("Member of staff").fill("nobody-called-this")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("Nothing to show for these filters.")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Produce a subject access export of this record").click()
    page.get_by_role("button", name="Produce the export").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Enter the request's reference")
    axe(page)
    page.get_by_label("Request reference").fill("SAR-1")
    with page.expect_download() as download:
        page.get_by_role("button", name="Produce the export").click()
    assert download.value.suggested_filename.startswith(f"subject-access-{child.la_child_id}")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORTED, actor=governance).exists()

    walk.as_(team_manager)
    page.goto(f"{live_server.url}/teams/{social_worker.team_id}/")
    page.get_by_role("link", name=f"What they opened ({social_worker})").click()
    expect(page.get_by_role("heading", name=f"What {social_worker} opened")).to_be_visible()
    axe(page)
