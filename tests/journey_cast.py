"""The cast for the journey apps' tests (front door, protection, legal): a child, the front door
worker, an allocated social worker, their team manager and a stranger who may not see the child.

Each of those apps' conftest.py imports these fixtures by name."""

from datetime import date

import pytest

from cairn.people.models import Child
from cairn.workforce.models import Allocation, Role, Service, Staff, Team


@pytest.fixture
def team(db):
    service = Service.objects.create(name="Children's social care")
    return Team.objects.create(name="Assessment East", kind=Team.Kind.ASSESSMENT,
                               service=service)


@pytest.fixture
def other_team(team):
    return Team.objects.create(name="Assessment West", kind=Team.Kind.ASSESSMENT,
                               service=team.service)


@pytest.fixture
def child(db):
    return Child.objects.create(given_name="Ada", family_name="Brook", la_child_id="C0001",
                                birth_date=date(2016, 5, 4))


@pytest.fixture
def social_worker(team, child):
    worker = Staff.objects.create_user("sw", password="x", role=Role.SOCIAL_WORKER, team=team,
                                       first_name="Sam", last_name="Worker")
    Allocation.objects.create(child=child, worker=worker, team=team,
                              started_on=date(2025, 1, 1))
    return worker


@pytest.fixture
def team_manager(team, social_worker):
    manager = Staff.objects.create_user("tm", password="x", role=Role.TEAM_MANAGER, team=team,
                                        first_name="Tess", last_name="Manager")
    team.manager = manager
    team.save()
    return manager


@pytest.fixture
def second_manager(team, social_worker):
    return Staff.objects.create_user("tm2", password="x", role=Role.TEAM_MANAGER, team=team)


@pytest.fixture
def front_door(team):
    return Staff.objects.create_user("fd", password="x", role=Role.FRONT_DOOR, team=team)


@pytest.fixture
def stranger(other_team, child):
    return Staff.objects.create_user("stranger", password="x", role=Role.SOCIAL_WORKER,
                                     team=other_team)
