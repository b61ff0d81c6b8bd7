"""Initial conferences held late, listed for managers with the reasons given (F18)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.core.working_days import add_working_days
from cairn.protection import services
from cairn.protection.models import ChildProtectionConference, Section47Outcome
from support import allocate, client_for, make_child

pytestmark = pytest.mark.django_db

Kind = ChildProtectionConference.Kind
Outcome = ChildProtectionConference.Outcome
SAFETY = dict(safety_goal="Safe", arrangements="Gran stays", agreed_by="Mother",
              childs_words="I feel safe", if_breaks_down="Call the duty team")


def weekday_on_or_before(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def icpc(child, worker, *, discussion_on: date, held_on: date, reason_late: str = ""):
    discussion = services.strategy_discussion_record(
        child=child, held_on=discussion_on, agencies_present="Police", decision="Section 47",
        s47_agreed=True, by=worker)
    enquiry = services.section47_enquiry_start(strategy_discussion=discussion,
                                               started_on=discussion_on, by=worker)
    services.section47_enquiry_complete(enquiry=enquiry, completed_on=discussion_on,
                                        outcome=Section47Outcome.ICPC, by=worker)
    services.safety_plan_record(child=child, made_on=discussion_on, by=worker, **SAFETY)
    return services.conference_record(kind=Kind.INITIAL, section47=enquiry, held_on=held_on,
                                      outcome=Outcome.NO_PLAN, reason_late=reason_late,
                                      by=worker)


def test_managers_see_late_initial_conferences_with_the_reasons(
        child, social_worker, team_manager, team, stranger):
    start = weekday_on_or_before(timezone.localdate() - timedelta(days=90))
    due = add_working_days(start, 15)
    late = icpc(child, social_worker, discussion_on=start,
                held_on=weekday_on_or_before(add_working_days(due, 4)),
                reason_late="The police could not attend until the 20th")
    on_time_child = make_child("Bea", "Ontime")
    allocate(on_time_child, social_worker, team=team)
    icpc(on_time_child, social_worker, discussion_on=start, held_on=due)
    # Held late without a reason (recorded before the reason was asked): shown as such.
    quiet = make_child("Cal", "Quiet")
    allocate(quiet, social_worker, team=team)
    icpc(quiet, social_worker, discussion_on=start, held_on=add_working_days(due, 1))
    # Another team's child is not in this manager's line.
    elsewhere = make_child("Dee", "Elsewhere")
    allocate(elsewhere, stranger)
    icpc(elsewhere, stranger, discussion_on=start, held_on=add_working_days(due, 2),
         reason_late="Chair off sick")

    url = reverse("late_initial_conferences")
    home = client_for(team_manager).get(reverse("home")).content.decode()
    assert f'href="{url}"' in home
    page = client_for(team_manager).get(url)
    text = page.content.decode()
    assert "<strong>2</strong> of 3 initial conferences held late (67%)" in text
    assert "The police could not attend until the 20th" in text
    assert f"{late.held_on:%-d %b %Y}" in text and f"{due:%-d %b %Y}" in text
    assert "Cal Quiet" in text and "No reason recorded" in text
    assert "Bea Ontime" not in text and "Chair off sick" not in text and "Dee" not in text
    rows = page.context["late"]
    assert [(r.conference.child.given_name, r.working_days_late) for r in rows] == [
        ("Ada", 4), ("Cal", 1)]
    # A social worker has no team view, so no such list.
    assert client_for(social_worker).get(url).status_code == 403
    assert f'href="{url}"' not in client_for(social_worker).get(reverse("home")).content.decode()
