"""Inspection and improvement in headless Chromium (F38, F40): a senior manager records an
inspection with its judgements and areas for improvement, adds an action and reports progress,
reads the plan's page, and gives an inspector access to a child found by name; the inspector
opens the child from their home page; the manager sees the page they opened and ends the access
early, after which the record is gone for the inspector. Axe runs on every page, errors shown."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from cairn.inspection import services
from cairn.inspection.models import ImprovementAction, InspectorAccess
from cairn.workforce.models import Role
from support import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _date(page, field: str, day) -> None:
    page.fill(f"#id_{field}_0", str(day.day))
    page.fill(f"#id_{field}_1", str(day.month))
    page.fill(f"#id_{field}_2", str(day.year))


def test_the_plan_and_an_inspectors_access(page, live_server, child, service_manager,
                                           social_worker, browser_log_in, axe):
    today = timezone.localdate()
    inspector = make_staff("ines_inspector", Role.INSPECTOR)
    browser_log_in(service_manager)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Inspections and inspectors' access").click()
    axe(page)
    page.get_by_role("link", name="Record an inspection").click()
    _date(page, "started_on", today - timedelta(days=90))
    _date(page, "ended_on", today - timedelta(days=100))
    page.get_by_role("button", name="Record the inspection").click()
    expect(page.get_by_role("alert")).to_contain_text("Select the type of inspection")
    expect(page.get_by_role("alert")).to_contain_text(
        "The last day on site must be the same as or after the first day on site")
    expect(page.locator("#id_started_on_0")).to_have_value(str((today - timedelta(days=90)).day))
    axe(page)
    page.get_by_label("ILACS standard inspection").check()
    _date(page, "started_on", today - timedelta(days=100))
    _date(page, "ended_on", today - timedelta(days=90))
    page.get_by_label("Overall effectiveness").select_option(label="Requires improvement to be good")
    page.get_by_label("Areas for improvement (optional)").fill(
        "Management oversight of plans\nReturn home interviews")
    page.get_by_role("button", name="Record the inspection").click()
    expect(page.locator("#judgements")).to_contain_text("Requires improvement to be good")
    axe(page)

    page.get_by_role("link", name="Add an action for area 1").click()
    page.get_by_label("What will be done").fill("Audit every plan monthly")
    _date(page, "due_on", today - timedelta(days=1))
    page.get_by_role("button", name="Add action").click()
    # Every problem at once, in the summary and beside its question; what was typed stays.
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Choose who owns the action")
    expect(alert).to_contain_text("The due date must be today or in the future")
    expect(page.locator(".govuk-error-message")).to_have_count(2)
    expect(page.get_by_label("What will be done")).to_have_value("Audit every plan monthly")
    axe(page)
    page.get_by_label("Owner").select_option(value=str(social_worker.pk))
    _date(page, "due_on", today + timedelta(days=14))
    page.get_by_role("button", name="Add action").click()
    expect(page.locator("#action-status")).to_contain_text("Not started")
    axe(page)
    # An action added a month ago whose date has passed is flagged on the plan.
    action = ImprovementAction.objects.get()
    with time_machine.travel(timezone.now() - timedelta(days=30)):
        services.add_action(area=action.area, description="Train every manager",
                            owner=social_worker, due_on=today - timedelta(days=2),
                            by=service_manager)
    page.get_by_role("button", name="Add progress update").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter progress made")
    axe(page)
    page.get_by_label("Progress made").fill("First audit done")
    page.get_by_label("In progress").check()
    page.get_by_role("button", name="Add progress update").click()
    expect(page.locator("#action-status")).to_contain_text("In progress")
    action.refresh_from_db()
    assert action.status == "in_progress"

    page.get_by_role("link", name="The improvement plan").click()
    expect(page.locator("#plan-counts div").filter(has_text="Overdue")
           .locator("dd")).to_have_text("1")
    late = page.get_by_role("row").filter(has_text="Train every manager")
    expect(late.locator(".govuk-tag--red")).to_have_text("Overdue")
    expect(page.get_by_role("row").filter(has_text="Audit every plan monthly")
           .locator(".govuk-tag")).to_have_count(0)
    axe(page)

    page.get_by_role("link", name="Every inspection").click()
    page.get_by_role("link", name="ILACS standard inspection").click()
    page.get_by_role("link", name="Give an inspector access to children's records").click()
    axe(page)
    # What is chosen before a search stays after it; searching chooses by name.
    page.get_by_label("Inspector", exact=True).select_option(value=str(inspector.pk))
    _date(page, "ends_on", today + timedelta(days=5))
    page.get_by_label("Find children by name or LA child ID").fill("Morgan")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_label("Inspector", exact=True)).to_have_value(str(inspector.pk))
    expect(page.locator("#id_ends_on_0")).to_have_value(str((today + timedelta(days=5)).day))
    expect(page.get_by_label("Chosen by name")).to_be_checked()
    expect(page.get_by_role("alert")).to_have_count(0)
    axe(page)
    page.get_by_label(f"{child.full_name}, {child.la_child_id}", exact=False).check()
    page.get_by_role("button", name="Give access").click()
    expect(page.locator("#sampled")).to_contain_text(child.full_name)
    axe(page)
    access = InspectorAccess.objects.get()

    browser_log_in(inspector)
    page.goto(f"{live_server.url}/")
    expect(page.locator("#inspector-children")).to_contain_text(child.full_name)
    axe(page)
    page.locator("#inspector-children").get_by_role("link", name=child.full_name).click()
    expect(page.get_by_role("heading", name=child.full_name).first).to_be_visible()

    browser_log_in(service_manager)
    page.goto(f"{live_server.url}/inspector-access/{access.pk}/")
    expect(page.locator("#opened")).to_contain_text(f"/children/{child.pk}/")
    page.get_by_role("button", name="End access now").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why the access is ending early")
    axe(page)
    page.get_by_label("Why is the access ending early?").fill("The visit finished early")
    page.get_by_role("button", name="End access now").click()
    expect(page.locator("#access-summary")).to_contain_text("Ended early")
    axe(page)

    browser_log_in(inspector)
    response = page.goto(f"{live_server.url}/children/{child.pk}/")
    assert response.status == 404
