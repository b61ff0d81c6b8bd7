"""Reallocation: the current allocation ends with its SW_REASON and the new one starts the same
day, in one transaction; a second manager reallocating from a stale page gets a conflict."""

import pytest
from django.urls import reverse
from django.utils import timezone

import support
from cairn.core.errors import RecordError, StaleRecord
from cairn.core.models import AuditEvent
from cairn.workforce import selectors, services
from cairn.workforce.models import Allocation, Role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _date(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.fixture
def colleague(team):
    return support.make_staff("cal_colleague", Role.SOCIAL_WORKER, team)


def test_reallocation_ends_one_and_starts_the_other(team_manager, social_worker, colleague,
                                                    child):
    current = selectors.current_allocation(child)
    new = services.allocation_change(allocation=current, worker=colleague, on=TODAY,
                                     end_reason="MANAGE", by=team_manager)
    current.refresh_from_db()
    assert (current.ended_on, current.end_reason) == (TODAY, "MANAGE")
    assert (new.worker, new.started_on, new.team) == (colleague, TODAY, colleague.team)
    assert selectors.current_allocation(child) == new
    assert set(AuditEvent.objects.filter(actor=team_manager).values_list("action", flat=True)
               ) == {"allocation.ended", "allocation.started"}


def test_only_workers_in_the_managers_line(team_manager, child, other_team):
    outsider = support.make_staff("olly_other", Role.SOCIAL_WORKER, other_team)
    with pytest.raises(RecordError, match="a team you manage"):
        services.allocation_change(allocation=selectors.current_allocation(child),
                                   worker=outsider, on=TODAY, end_reason="MANAGE",
                                   by=team_manager)
    assert Allocation.objects.count() == 1


def test_second_reallocation_from_a_stale_page_is_refused(team_manager, colleague, child):
    current = selectors.current_allocation(child)
    version = current.version
    services.allocation_change(allocation=current, worker=colleague, on=TODAY,
                               end_reason="MANAGE", by=team_manager)
    stale = Allocation.objects.get(pk=current.pk)
    stale.ended_on = None  # as the second manager's page read it
    with pytest.raises(StaleRecord):
        services.allocation_change(allocation=stale, worker=team_manager, on=TODAY,
                                   end_reason="MANAGE", by=team_manager,
                                   expected_version=version)
    assert Allocation.objects.count() == 2


def test_reallocate_page(log_in, team_manager, colleague, child):
    client = log_in(team_manager)
    url = reverse("reallocate", args=[child.pk])
    current = selectors.current_allocation(child)
    assert "Cal Colleague" in client.get(url).content.decode()
    response = client.post(url, {"allocation": current.pk, "version": current.version,
                                 **_date("on", TODAY)})
    body = response.content.decode()
    assert "Choose the worker to allocate" in body and "Choose why the worker is changing" in body
    response = client.post(url, {"allocation": current.pk, "version": current.version,
                                 "worker": colleague.pk,
                                 "end_reason": "PCCHAN", **_date("on", TODAY)})
    assert response["Location"] == reverse("child", args=[child.pk])
    assert selectors.current_allocation(child).worker == colleague
    # The same page submitted again, as a second manager would: a conflict, nothing written.
    response = client.post(url, {"allocation": current.pk, "version": current.version,
                                 "worker": team_manager.pk,
                                 "end_reason": "MANAGE", **_date("on", TODAY)})
    assert "changed this allocation while you were editing it" in response.content.decode()
    assert Allocation.objects.count() == 2


def test_reallocate_link_on_team_page_and_record(log_in, team_manager, child, team):
    client = log_in(team_manager)
    link = reverse("reallocate", args=[child.pk])
    assert link in client.get(reverse("team", args=[team.pk])).content.decode()
    assert link in client.get(reverse("child", args=[child.pk])).content.decode()


def test_workers_and_strangers_cannot_reallocate(log_in, social_worker, stranger, child):
    url = reverse("reallocate", args=[child.pk])
    for staff in (social_worker, stranger):
        assert log_in(staff).post(url, {"worker": staff.pk}).status_code == 404
    assert Allocation.objects.count() == 1
