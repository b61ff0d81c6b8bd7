"""Actions in headless Chromium: a strategy discussion agrees two actions ("Add another action"
without JavaScript's help), then on a child protection plan one action is marked done (asking
what came of it) and another cancelled (asking why). axe-core checks every page."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from cairn.core import services as core_services
from cairn.core.models import Action
from cairn.protection import services as protection
from cairn.protection.models import ChildProtectionPlan

from .walk import Walk, fill_date, last_weekday, on_a_protection_plan, strategy_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_actions_agreed_then_one_marked_done_and_one_cancelled(page, live_server, social_worker,
                                                               axe):
    child = on_a_protection_plan(social_worker)
    plan = ChildProtectionPlan.objects.get(child=child)
    need = protection.plan_need_record(
        plan=plan, need="Safe care at home", outcome="Leo is not hurt", what="Weekly visits",
        owner=social_worker, due_on=plan.started_on + timedelta(days=28), by=social_worker)
    core_services.action_add(source=need, what="GP checks Leo's weight", owner_name="Dr Patel",
                             due_on=plan.started_on + timedelta(days=14), by=social_worker)
    walk = Walk(page, live_server.url, axe)
    walk.as_(social_worker)

    # A strategy discussion agrees two actions, each with who and by when.
    day = last_weekday()
    page = walk.child_page(child, "protection/")
    page.get_by_role("link", name="Record a strategy discussion").click()
    fill_date(page, "Date of the strategy discussion", day)
    strategy_people(page)
    page.get_by_label("Information shared").fill("Two call-outs to the address")
    page.get_by_label("Decision").fill("No section 47; keep to the plan")
    page.get_by_role("group", name="Did the discussion agree a section 47 enquiry?"
                     ).get_by_label("No").check()
    first = page.get_by_role("group", name="Action 1", exact=True)
    first.get_by_label("What will be done").fill("Police check the partner's record")
    first.get_by_label("Who is responsible").fill("DS Rowe")
    fill_date(first, "Date the action is due", day + timedelta(days=2))
    page.get_by_role("button", name="Add another action").click()
    second = page.get_by_role("group", name="Action 2", exact=True)
    expect(second).to_be_visible()
    expect(first.get_by_label("What will be done")).to_have_value(
        "Police check the partner's record")
    axe(page)
    second.get_by_label("What will be done").fill("School reports attendance daily")
    page.get_by_role("button", name="Save strategy discussion").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Enter the date action 2 is due")
    axe(page)
    second = page.get_by_role("group", name="Action 2", exact=True)
    second.get_by_label("Member of staff responsible").select_option(
        label=f"{social_worker}, {social_worker.team}")
    fill_date(second, "Date the action is due", day + timedelta(days=7))
    page.get_by_role("button", name="Save strategy discussion").click()
    expect(page.get_by_text("Strategy discussion recorded")).to_be_visible()
    expect(page.get_by_role("link", name="Mark done action: School reports attendance daily")
           ).to_be_visible()
    axe(page)
    assert Action.objects.filter(child=child).count() == 4

    # On the plan, one action is done: the page asks what came of it.
    page.goto(f"{live_server.url}/children/{child.pk}/protection-plans/{plan.pk}/")
    expect(page.get_by_role("cell", name="Safe care at home")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Mark done action: Weekly visits").click()
    expect(page.get_by_role("heading", name="Mark an action done")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Mark done").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Enter what was done and what came of it")
    axe(page)
    page.get_by_label("What was done, and what came of it?").fill(
        "Four visits, two unannounced; the home was warm and Leo was well")
    page.get_by_role("button", name="Mark done").click()
    expect(page.get_by_text("Action marked done")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Child protection plan from"))
           ).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("two unannounced; the home was warm"))
           ).to_be_visible()
    axe(page)

    # Another is no longer needed: the page asks why.
    page.get_by_role("link", name="Cancel action: GP checks Leo's weight").click()
    expect(page.get_by_role("heading", name="Cancel an action")).to_be_visible()
    axe(page)
    page.get_by_label("Why is the action cancelled?").fill(
        "The health visitor weighs Leo at home instead")
    page.get_by_role("button", name="Cancel action").click()
    expect(page.get_by_text("Action cancelled")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("The health visitor weighs Leo at home"))
           ).to_be_visible()
    axe(page)

    done, cancelled = Action.objects.filter(source_id=need.pk).order_by("pk")
    assert (done.status, done.done_by) == (Action.Status.DONE, social_worker)
    assert (cancelled.status, cancelled.cancelled_by) == (Action.Status.CANCELLED,
                                                          social_worker)
