"""Correcting a case note: who may, why is asked, every version is kept with who and when, the
note says it was corrected, and a correction made over someone else's is a clear conflict."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from cairn.casework import services
from cairn.core import services as core_services
from cairn.core.errors import RecordError, StaleRecord
from cairn.core.models import AuditEvent
from cairn.people.models import CaseNote
from cairn.workforce.models import Role
from support import allocate, client_for, form_data, make_staff

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def note(child, social_worker):
    return services.case_note_add(child=child, by=social_worker, kind=CaseNote.Kind.VISIT,
                                  occurred_on=TODAY - timedelta(days=3), subject="Home visit",
                                  body="Alex was seen with his brother Sam.", child_seen=True)


def correct_url(note):
    return reverse("case_note_correct", args=[note.child_id, note.pk])


def post(staff, note, version=None, **changes):
    values = {"kind": note.kind, "occurred_on": note.occurred_on, "subject": note.subject,
              "body": note.body, "child_seen": "yes" if note.child_seen else None,
              "reason": "The brother's name was wrong",
              "version": note.version if version is None else version, **changes}
    return client_for(staff).post(correct_url(note), form_data(**values))


def test_the_author_corrects_a_note_and_the_note_says_so(note, social_worker):
    response = post(social_worker, note, body="Alex was seen with his brother Jamie.")
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.body == "Alex was seen with his brother Jamie."
    assert (note.corrected_by, note.version) == (social_worker, 2)
    assert note.recorded_by == social_worker  # the author stays the author
    page = client_for(social_worker).get(
        reverse("child_case_notes", args=[note.child_id])).content.decode()
    assert f"Corrected on {timezone.localtime(note.corrected_at):%-d %b %Y}" in page
    assert "by Sam Worker" in page
    assert "See earlier versions" in page


def test_every_version_is_kept_with_who_when_and_why(note, social_worker, team_manager):
    services.case_note_correct(note=note, by=social_worker, expected_version=1,
                               reason="Wrong name", body="Seen with Jamie.")
    services.case_note_correct(note=note, by=team_manager, expected_version=2,
                               reason="Wrong date", occurred_on=TODAY - timedelta(days=4))
    changes = list(AuditEvent.objects.filter(object_type="people.casenote",
                                             object_id=str(note.pk)).order_by("at", "pk"))
    assert [e.kind for e in changes] == ["created", "changed", "changed"]
    assert [e.actor for e in changes] == [social_worker, social_worker, team_manager]
    assert changes[0].after["body"] == "Alex was seen with his brother Sam."
    assert (changes[1].before["body"], changes[1].after["body"]) == (
        "Alex was seen with his brother Sam.", "Seen with Jamie.")
    assert [e.reason for e in changes[1:]] == ["Wrong name", "Wrong date"]
    # The earlier versions, field by field, on the note's history.
    page = client_for(social_worker).get(
        reverse("child_history", args=[note.child_id]) + f"?entry=people.casenote:{note.pk}"
    ).content.decode()
    for text in ("Alex was seen with his brother Sam.", "Seen with Jamie.", "Wrong name",
                 "Wrong date", "Tess Manager", "Date it happened"):
        assert text in page


def test_a_correction_needs_a_reason_and_a_change(note, social_worker):
    response = post(social_worker, note, reason="", body="Changed")
    assert "Enter why the case note is being corrected" in response.content.decode()
    with pytest.raises(RecordError, match="Nothing has been changed"):
        services.case_note_correct(note=note, by=social_worker, expected_version=1,
                                   reason="No reason", body=note.body)
    note.refresh_from_db()
    assert note.version == 1 and note.corrected_at is None


def test_a_colleague_may_not_correct_someone_elses_note(note, team):
    colleague = make_staff("cal_colleague", Role.SOCIAL_WORKER, team)
    allocate(note.child, colleague)
    assert post(colleague, note, body="Mine now").status_code == 403
    with pytest.raises(PermissionDenied):
        services.case_note_correct(note=note, by=colleague, expected_version=1, reason="x",
                                   body="Mine now")
    page = client_for(colleague).get(
        reverse("child_case_notes", args=[note.child_id])).content.decode()
    assert "Correct this note" not in page
    note.refresh_from_db()
    assert note.version == 1


@pytest.mark.parametrize("manager", ["team_manager", "service_manager"])
def test_a_manager_in_the_line_may_correct_any_note(note, manager, request):
    staff = request.getfixturevalue(manager)
    assert post(staff, note, body="Corrected by a manager").status_code == 302
    note.refresh_from_db()
    assert note.corrected_by == staff


def test_readers_who_may_not_record_cannot_correct(note, auditor, stranger):
    assert post(auditor, note, body="x").status_code == 404
    assert post(stranger, note, body="x").status_code == 404
    page = client_for(auditor).get(
        reverse("child_case_notes", args=[note.child_id])).content.decode()
    assert "Correct this note" not in page


def test_the_author_sees_the_correct_link(note, social_worker):
    page = client_for(social_worker).get(
        reverse("child_case_notes", args=[note.child_id])).content.decode()
    assert correct_url(note) in page


def test_a_correction_over_anothers_is_a_conflict_not_an_overwrite(note, social_worker,
                                                                     team_manager):
    services.case_note_correct(note=note, by=team_manager, expected_version=1,
                               reason="Wrong name", body="The manager's words.")
    with pytest.raises(StaleRecord):
        services.case_note_correct(note=note, by=social_worker, expected_version=1,
                                   reason="Typo", body="The worker's words.")
    response = post(social_worker, note, version=1, body="The worker's words.")
    assert response.status_code == 200
    assert "changed this case note while you were editing it" in response.content.decode()
    note.refresh_from_db()
    assert note.body == "The manager's words."


def test_a_removed_note_cannot_be_corrected(note, social_worker):
    core_services.void(obj=note, by=social_worker, reason="Wrong child")
    assert post(social_worker, note, version=2, body="x").status_code == 404


def test_the_correction_form_starts_from_the_answers_recorded(note, social_worker):
    # An answer the worker does not touch must be saved again as it was, not as not recorded.
    page = client_for(social_worker).get(correct_url(note)).content.decode()
    assert 'name="child_seen" type="radio" value="yes" checked' in page
