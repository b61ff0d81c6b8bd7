"""Due items reach the person the rule names: each role's My work lists what it answers for,
for the children it holds; managers see their teams' (issue 10, part 4)."""

from datetime import timedelta

import pytest
from django.utils import timezone

import support
from cairn.frontdoor.models import ConsentStatus, Contact, ContactSource
from cairn.legal.models import PreProceedings
from cairn.protection.models import CategoryOfAbuse, ChildProtectionPlan
from cairn.workforce.models import Allocation

pytestmark = pytest.mark.django_db


def _table(html: str, table_id: str) -> str:
    """The text of one table (by id) of a page, or "" if the page has none."""
    start = html.find(f'id="{table_id}"')
    return "" if start < 0 else html[start:html.find("</table>", start)]


@pytest.fixture
def on_a_plan(child, iro):
    """The cast's child on a CP plan for four months, with a reviewing officer: the review
    conference (the IRO's) and the visits (the social worker's) are overdue."""
    ChildProtectionPlan.objects.create(
        child=child, started_on=timezone.localdate() - timedelta(days=120),
        initial_category_of_abuse=CategoryOfAbuse.NEGLECT)
    support.allocate(child, iro, kind=Allocation.Kind.IRO)
    return child


def test_the_reviewing_officer_sees_reviews_not_the_social_workers_visits(on_a_plan, iro):
    page = support.client_for(iro).get("/").content.decode()
    mine = _table(page, "my-due-work")
    assert "Review child protection conference" in mine
    assert "Child protection visit" not in mine and "First core group" not in mine


def test_the_social_worker_sees_visits_and_the_review_among_others(on_a_plan, worker_client):
    page = worker_client.get("/").content.decode()
    mine = _table(page, "my-due-work")
    assert "Child protection visit" in mine
    assert "Review child protection conference" not in mine
    # What the reviewing officer answers for is still shown, under who answers.
    others = page[page.find('id="others-due-work"'):]
    assert "Review child protection conference" in others
    assert "Independent reviewing officer / conference chair" in others


def test_the_team_manager_answers_for_pre_proceedings_across_the_team(child, team_manager):
    PreProceedings.objects.create(child=child,
                                  started_on=timezone.localdate() - timedelta(weeks=20))
    page = support.client_for(team_manager).get("/").content.decode()
    assert "Pre-proceedings concluded" in _table(page, "my-due-work")
    assert child.full_name in _table(page, "my-due-work")
    glance = _table(page, "teams-at-a-glance")
    assert team_manager.team.name in glance


def test_the_social_worker_does_not_see_the_managers_pre_proceedings(child, worker_client):
    PreProceedings.objects.create(child=child,
                                  started_on=timezone.localdate() - timedelta(weeks=20))
    page = worker_client.get("/").content.decode()
    assert "Pre-proceedings concluded" not in _table(page, "my-due-work")
    assert "teams-at-a-glance" not in page


def test_the_front_door_sees_the_contacts_waiting_for_a_decision(child, front_door_worker):
    Contact.objects.create(child=child, received_at=timezone.now() - timedelta(days=10),
                           source=ContactSource.SCHOOLS, caller_name="Head teacher",
                           concerns="Bruising", consent=ConsentStatus.GIVEN)
    page = support.client_for(front_door_worker).get("/").content.decode()
    assert "1 contact waiting for a decision" in page
    assert "1 overdue" in page


def _overdue_action(child, owner):
    """An action agreed at a strategy discussion, for `owner`, past its due date."""
    from cairn.core import services as core_services
    from cairn.protection.models import StrategyDiscussion

    discussion = StrategyDiscussion.objects.create(
        child=child, held_on=timezone.localdate() - timedelta(days=30))
    return core_services.action_add(source=discussion, what="Speak to the school nurse",
                                    owner=owner, by=owner,
                                    due_on=timezone.localdate() - timedelta(days=5))


def test_an_overdue_action_reaches_its_owner_the_manager_and_the_childs_record(
        child, social_worker, team_manager, worker_client, stranger):
    _overdue_action(child, social_worker)
    mine = worker_client.get("/").content.decode()
    assert "Speak to the school nurse" in mine[mine.find('id="my-actions"'):]
    team = support.client_for(team_manager).get(f"/teams/{social_worker.team_id}/")
    overdue = team.content.decode()[team.content.decode().find('id="overdue-actions"'):]
    assert "Speak to the school nurse" in overdue and social_worker.get_full_name() in overdue
    record = worker_client.get(f"/children/{child.pk}/actions/").content.decode()
    assert "Speak to the school nurse" in record and "Overdue" in record
    assert support.client_for(stranger).get(f"/children/{child.pk}/actions/").status_code == 404


def test_a_role_holding_no_children_has_no_empty_list_of_what_it_answers_for(
        front_door_worker, performance_analyst):
    for staff in (front_door_worker, performance_analyst):
        assert "What you answer for" not in support.client_for(staff).get("/").content.decode()


def test_a_role_that_never_holds_children_has_no_empty_caseload(performance_analyst, social_worker):
    assert "My caseload" not in support.client_for(performance_analyst).get("/").content.decode()
    assert "My caseload" in support.client_for(social_worker).get("/").content.decode()
