"""Changing who the child is recorded as: census fields, validation, the conflict."""

from datetime import date

import pytest

from cairn.core.models import AuditEvent
from cairn.people.models import Child, Disability

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


def test_a_worker_records_disabilities_and_asylum_seeking_dates_shown_on_the_summary(
        worker_client, child):
    url = f"/children/{child.pk}/details/"
    response = worker_client.post(url, _post(
        child, disabilities=["HEAR", "LD"], interpreter_needed="yes",
        uasc_from_0="3", uasc_from_1="2", uasc_from_2="2026",
        uasc_ceased_on_0="1", uasc_ceased_on_1="10", uasc_ceased_on_2="2026"))
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.uasc_from, child.uasc_ceased_on, child.interpreter_needed) == (
        date(2026, 2, 3), date(2026, 10, 1), True)
    assert sorted(Disability.objects.current().filter(person=child)
                  .values_list("code", flat=True)) == ["HEAR", "LD"]
    summary = worker_client.get(f"/children/{child.pk}/").content.decode()
    assert "Hearing, Learning" in summary
    assert "From 3 Feb 2026 to 1 Oct 2026" in summary
    # The form shows what is recorded; unticking one removes it, kept in the history.
    form = worker_client.get(url).context["form"]
    assert sorted(form["disabilities"].value()) == ["HEAR", "LD"]
    child.refresh_from_db()
    response = worker_client.post(url, _post(child, disabilities=["LD"],
                                             uasc_from_0="3", uasc_from_1="2",
                                             uasc_from_2="2026"))
    assert response.status_code == 302
    assert list(Disability.objects.current().filter(person=child)
                .values_list("code", flat=True)) == ["LD"]
    assert Disability.objects.filter(person=child, code="HEAR", voided_at__isnull=False).exists()
    child.refresh_from_db()
    assert (child.uasc_ceased_on, child.interpreter_needed) == (None, False)
    # Ticked again, the removed code is recorded afresh.
    assert worker_client.post(url, _post(child, disabilities=["LD", "HEAR"])).status_code == 302
    assert Disability.objects.current().filter(person=child).count() == 2


def test_asylum_seeking_dates_that_make_no_sense_are_refused_plainly(worker_client, child):
    url = f"/children/{child.pk}/details/"
    page = worker_client.post(url, _post(
        child, uasc_ceased_on_0="1", uasc_ceased_on_1="10",
        uasc_ceased_on_2="2026")).content.decode()
    assert "Enter when the child became an unaccompanied asylum-seeking child" in page
    page = worker_client.post(url, _post(
        child, uasc_from_0="3", uasc_from_1="2", uasc_from_2="2026",
        uasc_ceased_on_0="1", uasc_ceased_on_1="1", uasc_ceased_on_2="2026")).content.decode()
    assert "The date the status ended must be on or after the date it began" in page
    child.refresh_from_db()
    assert (child.version, child.uasc_from) == (1, None)
