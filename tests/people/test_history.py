"""A child's record history: every change field by field (before and after), who, when and why;
a removed entry's words readable to those allowed; a page at a time, views left out."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.casework import correction, history, services
from cairn.core import names
from cairn.core import services as core_services
from cairn.core.models import AuditEvent
from cairn.people.models import CaseNote
from support import client_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def page(staff, child, query=""):
    response = client_for(staff).get(reverse("child_history", args=[child.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def add_note(child, by, subject="Home visit", body="Alex was seen at home."):
    return services.case_note_add(child=child, by=by, kind=CaseNote.Kind.VISIT,
                                  occurred_on=TODAY, subject=subject, body=body)


def test_a_change_is_shown_field_by_field_with_who_when_and_why(child, social_worker):
    core_services.update(obj=child, by=social_worker, expected_version=child.version,
                         changes={"given_name": "Alexander", "first_language": "Welsh"},
                         reason="Name as on the birth certificate")
    html = page(social_worker, child)
    assert "Child changed" in html
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Given name Alex Alexander" in text
    assert "First language Not recorded Welsh" in text
    assert "Name as on the birth certificate" in html
    assert "By Sam Worker on" in text
    # Only what changed: the family name stayed as it was.
    assert "Family name" not in text


def test_an_added_entry_shows_what_it_said_and_views_are_left_out(child, social_worker):
    add_note(child, social_worker, subject="School visit", body="Met the head teacher.")
    html = page(social_worker, child)
    assert "Case note added" in html and "Met the head teacher." in html
    assert "Kind of work" in html and "Visit" in html
    page(social_worker, child)  # a view is logged...
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.VIEWED).exists()
    assert "viewed" not in page(social_worker, child).lower()  # ...but is not a change


def test_a_removed_entry_stays_readable_to_a_manager(child, social_worker, team_manager):
    note = add_note(child, social_worker, body="Words about another family.")
    correction.entry_remove(child=child, fact_name=names.CASE_NOTE_ADDED, entry=note,
                            by=team_manager, reason="Recorded on the wrong child's record",
                            expected_version=note.version)
    # Gone from the case notes...
    notes = client_for(team_manager).get(
        reverse("child_case_notes", args=[child.pk])).content.decode()
    assert "Words about another family." not in notes
    # ...but the history keeps it, struck through, with who removed it, when and why.
    html = page(team_manager, child)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Case note removed" in text
    assert "by Tess Manager because: Recorded on the wrong child&#x27;s record" in text
    assert "<del>Words about another family.</del>" in html


def test_a_worker_sees_that_an_entry_was_removed_but_not_its_words(child, social_worker,
                                                                   team_manager):
    note = add_note(child, social_worker, body="Words about another family.")
    correction.entry_remove(child=child, fact_name=names.CASE_NOTE_ADDED, entry=note,
                            by=team_manager, reason="Wrong child", expected_version=1)
    html = page(social_worker, child)
    assert "Case note removed" in html and "Wrong child" in html
    # Neither the removal nor the note's adding shows what it said.
    assert "Words about another family." not in html
    assert "has since been removed from the record" in html
    assert "can be read by the child’s team manager" in html


def test_the_history_is_read_a_page_at_a_time(child, social_worker):
    for n in range(history.PER_PAGE + 5):
        add_note(child, social_worker, subject=f"Note number {n:02d}")
    first = page(social_worker, child)
    assert "Note number 29" in first and "Note number 05" in first
    assert "Note number 04" not in first
    older = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    second = client_for(social_worker).get(older).content.decode()
    assert "Note number 04" in second and "Note number 00" in second
    assert "Note number 05" not in second
    assert 'rel="next"' not in second and "Newest changes" in second


def test_one_entrys_history_is_reached_from_the_entry(child, social_worker):
    note = add_note(child, social_worker, body="First words.")
    add_note(child, social_worker, subject="Another note", body="Other words.")
    html = page(social_worker, child, f"?entry=people.casenote:{note.pk}")
    assert "First words." in html and "Other words." not in html
    chronology = client_for(social_worker).get(
        reverse("child_chronology", args=[child.pk])).content.decode()
    assert f"history/?entry=people.casenote:{note.pk}" in chronology


def test_a_stranger_gets_404_and_an_inspector_without_access_too(child, stranger, inspector):
    for staff in (stranger, inspector):
        assert client_for(staff).get(
            reverse("child_history", args=[child.pk])).status_code == 404


def test_an_auditor_reads_removed_words(child, social_worker, auditor):
    note = add_note(child, social_worker, body="Removed words.")
    core_services.void(obj=note, by=social_worker, reason="Saved twice")
    assert "<del>Removed words.</del>" in page(auditor, child)


def test_the_history_is_a_tab_of_the_record(child, social_worker):
    summary = client_for(social_worker).get(reverse("child", args=[child.pk])).content.decode()
    assert reverse("child_history", args=[child.pk]) in summary


def test_an_old_change_keeps_its_date(child, social_worker):
    add_note(child, social_worker)
    AuditEvent.objects.update(at=timezone.now() - timedelta(days=400))
    moment = timezone.localtime(AuditEvent.objects.get().at)
    assert f"{moment:%-d %b %Y}" in page(social_worker, child)


def test_a_restricted_child_is_not_named_to_those_who_may_not_open_it(
        child, restricted_child, social_worker, team_manager):
    services.relationship_add(child=child, person=restricted_child, kind="sibling",
                              by=social_worker)
    assert "Robin Hale" in page(social_worker, child)
    html = page(team_manager, child)
    assert "Relationship added" in html
    assert "Robin Hale" not in html and "Another record" in html
