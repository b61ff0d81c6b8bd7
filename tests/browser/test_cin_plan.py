"""A child in need plan through the pages (issue 12): the child's own words asked for at the
start, dated reviews with the next due by the authority's rule, and a visit where the child was
not seen alone saying why; axe on every page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

import support
from cairn.core.timescales import add_months
from cairn.frontdoor.services import referral_record
from cairn.protection.models import CINPlan, CINPlanReview, Visit

from .walk import answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()


def _fill_date(page, name, day):
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def test_cin_plan_words_reviews_and_a_visit_not_alone(page, live_server, social_worker,
                                                     browser_log_in, axe):
    child = support.make_child("Ada", "Brook", la_child_id="C765433")
    support.allocate(child, social_worker)
    referral_record(child=child, received_on=TODAY - timedelta(days=30), source="2A",
                    primary_need="N1", by=social_worker)
    browser_log_in(social_worker)
    page.goto(f"{live_server.url}/children/{child.pk}/cin-plans/new/")
    started = TODAY - timedelta(days=20)
    _fill_date(page, "started_on", started)
    page.get_by_role("button", name="Start plan").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the child's own words")
    axe(page)
    page.get_by_label("The child's own words").fill("I want Nan to take me to school")
    page.get_by_role("button", name="Start plan").click()
    expect(page.get_by_text("Child in need plan started")).to_be_visible()
    expect(page.get_by_text("I want Nan to take me to school")).to_be_visible()
    expect(page.locator("main")).to_contain_text(
        f"Next review due by {add_months(started, 3):%-d %B %Y}")
    axe(page)

    page.get_by_role("link", name="Record a review").click()
    held = TODAY - timedelta(days=1)
    _fill_date(page, "held_on", held)
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter who took part in the review")
    axe(page)
    page.get_by_label("Who took part").fill("Ada, Nan, Miss Okafor (school)")
    page.get_by_label("What the review found").fill("Ada in school four days in five")
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_text("Review of the plan recorded")).to_be_visible()
    expect(page.get_by_role("cell", name="Ada in school four days in five")).to_be_visible()
    expect(page.locator("main")).to_contain_text(
        f"Next review due by {add_months(held, 3):%-d %B %Y}")
    axe(page)
    assert CINPlanReview.objects.get().plan == CINPlan.objects.get()

    page.get_by_role("link", name="Record a visit").click()
    _fill_date(page, "visited_on", TODAY)
    answer(page, "Was the child seen?", "Yes")
    answer(page, "Was the child seen alone?", "No")
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why the child was not seen alone")
    axe(page)
    page.get_by_label("Why was the child not seen alone?").fill("Ada asked for Nan to stay")
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text("Child in need visit recorded")).to_be_visible()
    expect(page.get_by_text(re.compile("child seen, not alone \\(Ada asked for Nan to stay\\)"))
           ).to_be_visible()
    axe(page)
    assert Visit.objects.get().not_seen_alone_reason == "Ada asked for Nan to stay"
