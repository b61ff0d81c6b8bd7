"""Allocating an independent reviewing officer or a personal adviser to a child."""

from datetime import date

import pytest

from cairn.core.models import AuditEvent
from cairn.workforce.models import Allocation

pytestmark = pytest.mark.django_db


def _post(on=date(2026, 11, 2), **data):
    return {"on_0": on.day, "on_1": on.month, "on_2": on.year, **data}


def test_a_manager_allocates_an_iro_who_can_then_open_the_record(log_in, team_manager, iro,
                                                                  child):
    url = f"/children/{child.pk}/allocate/"
    assert log_in(iro).get(f"/children/{child.pk}/").status_code == 404
    client = log_in(team_manager)
    assert "Allocate a reviewing officer" in client.get(url).content.decode()
    assert client.post(url, _post(worker=iro.pk)).status_code == 302
    allocation = Allocation.objects.get(child=child, kind=Allocation.Kind.IRO)
    assert (allocation.worker, allocation.started_on) == (iro, date(2026, 11, 2))
    assert AuditEvent.objects.filter(action="allocation.started").exists()
    assert log_in(iro).get(f"/children/{child.pk}/").status_code == 200
    page = client.post(url, _post(worker=iro.pk)).content.decode()
    assert "already has an allocated independent reviewing officer" in page


def test_only_managers_allocate(log_in, social_worker, stranger, iro, child):
    url = f"/children/{child.pk}/allocate/"
    assert log_in(social_worker).post(url, _post(worker=iro.pk)).status_code == 404
    assert log_in(stranger).get(url).status_code == 404
    assert not Allocation.objects.filter(kind=Allocation.Kind.IRO).exists()


def test_a_social_worker_is_not_offered(log_in, team_manager, social_worker, child):
    page = log_in(team_manager).post(f"/children/{child.pk}/allocate/",
                                     _post(worker=social_worker.pk)).content.decode()
    assert "Select a valid choice" in page
