"""A form sent twice saves once: the one-time key every POST form carries is claimed by the
first save; the second goes where the first went and says it was already saved."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

import cairn
import support
from cairn.care import services as care
from cairn.care.models import StatutoryVisit
from cairn.core.models import SubmissionKey
from cairn.frontdoor.models import ConsentStatus, Contact, ContactSource
from cairn.people.models import CaseNote

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _key(client, url: str) -> str:
    """The one-time key the form at `url` was issued with."""
    page = client.get(url).content.decode()
    keys = re.findall(r'name="submission_key" value="([0-9a-f]{32})"', page)
    assert len(keys) == 1, "the form carries exactly one key"
    return keys[0]


def _twice(client, url: str, data: dict):
    data = {**data, "submission_key": _key(client, url)}
    first = client.post(url, data)
    second = client.post(url, data)
    return first, second


def _already_saved(first, second, client) -> None:
    assert first.status_code == 302, "the first POST saves"
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert "This was already saved" in client.get(second["Location"]).content.decode()


def test_a_case_note_sent_twice_is_saved_once(worker_client, child):
    url = f"/children/{child.pk}/case-notes/new/"
    first, second = _twice(worker_client, url, support.form_data(
        kind=CaseNote.Kind.VISIT, occurred_on=TODAY, subject="Home visit",
        body="Seen in the kitchen", child_seen="yes", child_seen_alone="no"))
    _already_saved(first, second, worker_client)
    assert CaseNote.objects.filter(child=child).count() == 1


def test_a_contact_sent_twice_is_recorded_once(child, team):
    front_door = support.make_staff("fd", role="front_door", team=team)
    client = support.client_for(front_door)
    url = f"/front-door/children/{child.pk}/contacts/new/"
    first, second = _twice(client, url, support.form_data(
        received_on=TODAY, received_time="00:00", caller_name="Ms Reed",
        overnight_action="Police checked the child was safe at home",
        caller_relationship="Class teacher", source=ContactSource.SCHOOLS,
        concerns="Bruising seen at school", household="Mother and a brother, 3",
        consent=ConsentStatus.GIVEN, consent_given_by="Mother", consent_given_to="Ms Reed",
        consent_given_on=TODAY))
    _already_saved(first, second, client)
    assert Contact.objects.filter(child=child).count() == 1


def test_a_statutory_visit_sent_twice_is_recorded_once(worker_client, child, social_worker):
    care.episode_start(
        child=child, started_on=TODAY - timedelta(days=30), reason_new_episode="S",
        legal_status="C1", category_of_need="N1", placement_type="U3",
        placement_provider="PR1", home_postcode="OX1 1DB", placement_postcode="OX1 1DF",
        urn="SC123456", by=social_worker)
    url = f"/children/{child.pk}/care/visits/new/"
    first, second = _twice(worker_client, url, support.form_data(
        visited_on=TODAY - timedelta(days=1), seen="yes", seen_alone="yes"))
    _already_saved(first, second, worker_client)
    assert StatutoryVisit.objects.filter(child=child).count() == 1


def test_a_form_with_errors_gives_its_key_back(worker_client, child):
    url = f"/children/{child.pk}/case-notes/new/"
    data = {**support.form_data(kind=CaseNote.Kind.VISIT, occurred_on=TODAY, subject="",
                                body="Seen"), "submission_key": _key(worker_client, url)}
    assert worker_client.post(url, data).status_code == 200  # the subject is missing
    assert not SubmissionKey.objects.exists()
    response = worker_client.post(url, {**data, "subject": "Home visit"})
    assert response.status_code == 302
    assert CaseNote.objects.filter(child=child).count() == 1


def test_another_persons_key_is_not_theirs_to_replay(worker_client, child, team_manager):
    url = f"/children/{child.pk}/case-notes/new/"
    data = {**support.form_data(kind=CaseNote.Kind.VISIT, occurred_on=TODAY,
                                subject="Home visit", body="Seen"),
            "submission_key": _key(worker_client, url)}
    assert worker_client.post(url, data).status_code == 302
    # The key is spent: whoever sends it again saves nothing and learns nothing of the record.
    response = support.client_for(team_manager).post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    assert CaseNote.objects.filter(child=child).count() == 1


def test_every_post_form_carries_a_key_and_guards_its_buttons():
    root = Path(cairn.__file__).parent
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text()
        for button in re.findall(r'<button type="submit"[^>]*class="govuk-button[^>]*>', text):
            if "formaction=" in button:
                continue  # a download saves nothing, and each return is downloaded in turn
            assert 'data-prevent-double-click="true"' in button, template
        if template.name in {"base.html", "login.html"}:
            continue  # signing in and out save no record
        for form in re.findall(r'<form method="post".*?</form>', text, re.S):
            assert "{% submission_key %}" in form, template
