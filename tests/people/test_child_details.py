"""Changing who the child is recorded as: census fields, validation, the conflict."""

import pytest

from cairn.core.models import AuditEvent
from cairn.people.models import Child

pytestmark = pytest.mark.django_db


def _post(child, **changes):
    data = {"version": child.version, "given_name": child.given_name,
            "family_name": child.family_name, "other_names": "", "birth_date_0": "",
            "birth_date_1": "", "birth_date_2": "", "sex": "F", "ethnicity": "WBRI",
            "upn": "", "upn_unknown": "UN2", "nhs_number": "", "first_language": "English"}
    if child.birth_date:
        b = child.birth_date
        data.update(birth_date_0=b.day, birth_date_1=b.month, birth_date_2=b.year)
    return {**data, **changes}


def test_a_worker_records_the_childs_ethnicity_and_upn(worker_client, child):
    url = f"/children/{child.pk}/details/"
    assert "Change the child" in worker_client.get(url).content.decode()
    response = worker_client.post(url, _post(child, upn="A123456789012", upn_unknown=""))
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.ethnicity, child.upn, child.sex, child.version) == (
        "WBRI", "A123456789012", "F", 2)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.CHANGED)
    assert event.before["ethnicity"] != event.after["ethnicity"]


def test_bad_identifiers_are_named_and_what_was_typed_kept(worker_client, child):
    page = worker_client.post(f"/children/{child.pk}/details/",
                              _post(child, nhs_number="12345", upn="A123456789012",
                                    first_language="Polish")).content.decode()
    assert "Enter the NHS number as 10 digits" in page
    assert "Leave the reason blank when the UPN is recorded" in page
    assert 'value="Polish"' in page
    assert Child.objects.get(pk=child.pk).version == 1


def test_two_people_saving_the_childs_details_get_a_conflict(worker_client, child):
    url = f"/children/{child.pk}/details/"
    first, second = _post(child, first_language="Welsh"), _post(child, first_language="Urdu")
    assert worker_client.post(url, first).status_code == 302
    page = worker_client.post(url, second).content.decode()
    assert "changed this" in page and 'value="Urdu"' in page
    assert Child.objects.get(pk=child.pk).first_language == "Welsh"


def test_a_stranger_cannot_change_the_details(log_in, stranger, child):
    response = log_in(stranger).post(f"/children/{child.pk}/details/", _post(child))
    assert response.status_code == 404
    assert Child.objects.get(pk=child.pk).version == 1
