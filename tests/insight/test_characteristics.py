"""An analyst lists the children with a disability or unaccompanied asylum-seeking status,
as recorded on each child's details (F22, F31)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

import support
from cairn.people.models import Disability

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
URL = reverse("characteristics")


@pytest.fixture
def children(social_worker, restricted_child):
    disabled = support.make_child("Dana", "Able")
    Disability.objects.create(person=disabled, code="AUT", recorded_by=social_worker)
    Disability.objects.create(person=disabled, code="COMM", recorded_by=social_worker)
    removed = support.make_child("Rory", "Gone")
    Disability.objects.create(person=removed, code="VIS", recorded_by=social_worker,
                              voided_at=timezone.now())
    arrived = support.make_child("Yonas", "Tesfay", uasc_from=TODAY - timedelta(days=300))
    settled = support.make_child("Amir", "Rahimi", uasc_from=TODAY - timedelta(days=900),
                                 uasc_ceased_on=TODAY - timedelta(days=100))
    Disability.objects.create(person=restricted_child, code="HEAR", recorded_by=social_worker)
    support.make_child("Nell", "Other")
    return disabled, arrived, settled


def rows(response) -> list[str]:
    html = response.content.decode()
    table = html[html.index('id="characteristics"'):html.index("</table>")]
    return [row.split("</td>")[0].split(">")[-2].split("<")[0]
            for row in table.split('<tr class="govuk-table__row">')[2:]]


def test_an_analyst_lists_disabled_and_asylum_seeking_children(log_in, performance_analyst,
                                                               children):
    client = log_in(performance_analyst)
    assert "Children with a disability or unaccompanied asylum-seeking status" in (
        client.get(reverse("home")).content.decode())
    response = client.get(URL)
    assert rows(response) == ["Dana Able", "Amir Rahimi", "Yonas Tesfay"]
    page = response.content.decode()
    assert "Autism or Asperger syndrome (AUT), Communication (COMM)" in page
    assert f"{TODAY - timedelta(days=100):%-d %b %Y}" in page  # Amir's status ended
    assert "Still" in page  # Yonas's goes on
    assert rows(client.get(URL, {"show": "disability"})) == ["Dana Able"]
    assert rows(client.get(URL, {"show": "uasc"})) == ["Amir Rahimi", "Yonas Tesfay"]


def test_a_restricted_child_is_listed_only_for_those_named(log_in, performance_analyst,
                                                           children, restricted_child):
    assert "Robin Hale" not in log_in(performance_analyst).get(URL).content.decode()


def test_a_social_worker_has_no_such_list(worker_client, children):
    assert worker_client.get(URL).status_code == 403
    assert "Children with a disability" not in worker_client.get(reverse("home")).content.decode()
