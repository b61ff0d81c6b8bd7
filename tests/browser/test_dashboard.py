"""A figure moves as soon as a fact is recorded, in headless Chromium: the team manager's home
shows how many children on a child protection plan were visited in time; the social worker
records a visit; on the next load the figure, and the list of children behind it, have moved.
Axe runs on the home page, the indicator, its lists and every indicator."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cairn.protection.models import ChildProtectionPlan
from cairn.workforce.models import Team

from .walk import Walk, on_a_protection_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _months_do_not_overlap(page) -> None:
    """The trend's months are labelled every third month back from the last (which is this
    month), each label clear of the next; the table still gives all twelve."""
    labels = page.locator(".cairn-trend__month")
    expect(labels).to_have_count(4)
    expect(labels.last).to_have_text(f"{timezone.localdate():%b %Y}")
    boxes = [labels.nth(i).bounding_box() for i in range(4)]
    for one, after in zip(boxes, boxes[1:]):
        assert one["x"] + one["width"] < after["x"], (one, after)
    svg = page.locator("svg.cairn-trend").bounding_box()
    assert boxes[-1]["x"] + boxes[-1]["width"] <= svg["x"] + svg["width"]
    expect(page.locator("#trend tbody tr")).to_have_count(12)

NAME = "Children on a child protection plan visited in time"


def test_a_visit_moves_the_figure_and_its_list(page, live_server, social_worker, team_manager,
                                                team, axe):
    # A child protection team's manager: their home's headlines are the visits to children on
    # plans (an assessment team's are its referrals).
    team.kind = Team.Kind.CHILD_PROTECTION
    team.save(update_fields=["kind"])
    leo = on_a_protection_plan(social_worker)  # on a plan for months, never visited
    walk = Walk(page, live_server.url, axe)
    walk.as_(team_manager)
    page.goto(f"{live_server.url}/")
    board = page.locator("#headline-indicators")
    row = board.get_by_role("row").filter(has_text=NAME)
    expect(row).to_contain_text("0.0%")
    expect(row).to_contain_text("0 of 1 child")
    axe(page)
    row.get_by_role("link", name=NAME).click()
    expect(page.locator("#figure")).to_have_text("0.0%")
    expect(page.locator("#trend")).to_be_visible()
    _months_do_not_overlap(page)
    axe(page)
    page.locator("#numerator-link").click()
    expect(page.locator("#list-total")).to_have_text("0")
    expect(page.get_by_text("None to show.")).to_be_visible()
    axe(page)
    page.go_back()
    expect(page.locator("#denominator-link")).to_have_text("The 1 child (the denominator)")
    page.locator("#denominator-link").click()
    expect(page.locator("#list-total")).to_have_text("1")
    expect(page.locator("#list-figure")).to_contain_text("0 of 1 child). This list: 1 child.")
    expect(page.get_by_role("link", name=leo.full_name)).to_be_visible()
    axe(page)

    walk.as_(social_worker)
    plan = ChildProtectionPlan.objects.get(child=leo)
    walk.visit(plan, on=timezone.localdate(), seen_alone=True)

    walk.as_(team_manager)
    page.goto(f"{live_server.url}/")
    row = page.locator("#headline-indicators").get_by_role("row").filter(has_text=NAME)
    expect(row).to_contain_text("100.0%")
    expect(row).to_contain_text("1 of 1 child")
    row.get_by_role("link", name=NAME).click()
    expect(page.locator("#figure")).to_have_text("100.0%")
    page.locator("#numerator-link").click()
    expect(page.locator("#list-total")).to_have_text("1")
    page.get_by_role("link", name=leo.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(leo.given_name)
    # Every indicator, by stage, for the team.
    page.goto(f"{live_server.url}/insight/indicators/")
    expect(page.get_by_role("link", name=NAME)).to_be_visible()
    axe(page)
