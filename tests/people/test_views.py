from datetime import timedelta

import pytest
from django.utils import timezone

import support
from cairn.casework import services
from cairn.core.models import AuditEvent, Draft, TimescaleRule
from cairn.people.models import Alert, CaseNote, Relationship

pytestmark = pytest.mark.django_db

CHILD_PAGES = ["", "chronology/", "timescales/", "relationships/", "case-notes/",
               "case-notes/new/"]


def _url(child, page=""):
    return f"/children/{child.pk}/{page}"


@pytest.mark.parametrize("subpage", CHILD_PAGES)
def test_every_child_page_is_shown_and_the_view_logged(worker_client, social_worker, child,
                                                       subpage):
    response = worker_client.get(_url(child, subpage))
    assert response.status_code == 200
    assert child.full_name in response.content.decode()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.VIEWED)
    assert (event.actor, event.child_id, event.page) == (social_worker, child.pk,
                                                         _url(child, subpage))


@pytest.mark.parametrize("subpage", CHILD_PAGES)
def test_a_stranger_gets_404_and_the_attempt_is_logged(log_in, stranger, child, subpage):
    response = log_in(stranger).get(_url(child, subpage))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    denied = AuditEvent.objects.get(kind=AuditEvent.Kind.DENIED)
    assert (denied.actor, denied.child_id) == (stranger, child.pk)
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.VIEWED).exists()


def test_a_stranger_cannot_post_a_case_note(log_in, stranger, child):
    response = log_in(stranger).post(_url(child, "case-notes/new/"), {"subject": "x"})
    assert response.status_code == 404
    assert not CaseNote.objects.exists()


def test_signed_out_users_are_sent_to_sign_in(client, child):
    response = client.get(_url(child))
    assert response.status_code == 302 and response.url.startswith("/sign-in/")
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.VIEWED).exists()


def test_missing_child_is_404(worker_client):
    assert worker_client.get("/children/999999/").status_code == 404


def test_banner_shows_identity_worker_and_alerts(worker_client, social_worker, child):
    child.nhs_number = "9434765919"
    child.save()
    Alert.objects.create(child=child, text="Dog at the property")
    html = worker_client.get(_url(child)).content.decode()
    for text in (child.la_child_id, "9434765919", "1 Jun 2015", "Sam Worker",
                 "Dog at the property", "Not stated or recorded"):
        assert text in html


def test_relationships_are_listed(worker_client, child):
    mother = support.make_child("Jo", "Morgan")
    Relationship.objects.create(child=child, person=mother, kind=Relationship.Kind.MOTHER,
                                parental_responsibility=True)
    html = worker_client.get(_url(child, "relationships/")).content.decode()
    assert "Jo Morgan" in html and "Mother" in html


def _valid_note(**overrides):
    today = timezone.localdate()
    data = {"kind": "visit", "occurred_on_0": str(today.day), "occurred_on_1": str(today.month),
            "occurred_on_2": str(today.year), "subject": "Home visit",
            "body": "Alex showed me his room.", "child_seen": "yes", "child_seen_alone": "yes"}
    return {**data, **overrides}


def test_adding_a_case_note_saves_it_and_shows_it_in_the_chronology(worker_client,
                                                                   social_worker, child):
    Draft.objects.create(owner=social_worker, key=_url(child, "case-notes/new/"),
                         data={"subject": "Home"})
    response = worker_client.post(_url(child, "case-notes/new/"), _valid_note())
    assert response.status_code == 302 and response.url == _url(child, "case-notes/")
    note = CaseNote.objects.get()
    assert (note.child_seen, note.child_seen_alone, note.recorded_by) == (True, True,
                                                                          social_worker)
    assert not Draft.objects.exists()
    page = worker_client.get(response.url).content.decode()
    assert "Case note added" in page and "Alex showed me his room." in page
    assert 'data-draft-saved="/children/' in page
    chronology = worker_client.get(_url(child, "chronology/")).content.decode()
    assert "Home visit" in chronology
    only_notes = worker_client.get(_url(child, "chronology/"), {"kind": "case_note.added"})
    assert "Home visit" in only_notes.content.decode()


def test_case_note_errors_are_summarised_next_to_fields_and_typing_kept(worker_client, child):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = worker_client.post(_url(child, "case-notes/new/"), _valid_note(
        subject="", child_seen="no", occurred_on_0=str(tomorrow.day),
        occurred_on_1=str(tomorrow.month), occurred_on_2=str(tomorrow.year),
        body="What I typed & kept"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "The date it happened must be today or in the past" in html
    assert "Enter a subject" in html
    assert "unless the child was seen" in html
    # Summary in form order, each linking to its field.
    order = [html.index(f'href="#{anchor}"') for anchor in
             ("id_occurred_on_0", "id_subject", "id_child_seen_alone")]
    assert order == sorted(order)
    assert "What I typed &amp; kept" in html
    assert f'value="{tomorrow.day}"' in html
    assert not CaseNote.objects.exists()


@pytest.mark.parametrize("day, month, year, message", [
    ("", "", "", "Enter the date it happened"),
    ("31", "2", "2025", "The date it happened must be a real date"),
    ("1", "", "2025", "The date it happened must include a month"),
    ("x", "1", "2025", "The date it happened must be a real date"),
])
def test_date_input_errors(worker_client, child, day, month, year, message):
    response = worker_client.post(_url(child, "case-notes/new/"), _valid_note(
        occurred_on_0=day, occurred_on_1=month, occurred_on_2=year))
    assert message in response.content.decode()


def test_server_draft_is_rendered_into_the_form_page(worker_client, social_worker, child):
    Draft.objects.create(owner=social_worker, key=_url(child, "case-notes/new/"),
                         data={"body": "half a note"})
    html = worker_client.get(_url(child, "case-notes/new/")).content.decode()
    assert 'id="server-draft"' in html and "half a note" in html


def test_timescales_are_shown_with_their_status(worker_client, child, social_worker):
    TimescaleRule.objects.create(code="note-seen", name="See the child after a note",
                                 starts="case_note.added", finishes="case_note.child_seen",
                                 first_limit=5, first_unit=TimescaleRule.Unit.DAYS)
    CaseNote.objects.create(child=child, kind="phone", subject="Call",
                            occurred_on=timezone.localdate() - timedelta(days=20), body="b")
    html = worker_client.get(_url(child, "timescales/")).content.decode()
    assert "See the child after a note" in html and "govuk-tag--red" in html and "Overdue" in html
    home = worker_client.get("/").content.decode()
    assert "See the child after a note" in home and "1 overdue" in home


def test_my_work_lists_the_records_an_inspector_was_given_until_access_ends(log_in, inspector):
    from cairn.access.models import AccessGrant

    today = timezone.localdate()
    sampled = support.make_child("Rhea", "Sampled")
    lapsed = support.make_child("Otto", "Lapsed")
    revoked = support.make_child("Vic", "Revoked")
    AccessGrant.objects.create(child=sampled, staff=inspector, reason="Tracked case",
                               until=today + timedelta(days=14))
    AccessGrant.objects.create(child=lapsed, staff=inspector, reason="Tracked case",
                               until=today - timedelta(days=1))
    AccessGrant.objects.create(child=revoked, staff=inspector, reason="Tracked case",
                               revoked_at=timezone.now())
    page = log_in(inspector).get("/").content.decode()
    assert "Records you have been given access to (1)" in page
    assert f'href="/children/{sampled.pk}/"' in page and "Tracked case" in page
    assert "Otto Lapsed" not in page and "Vic Revoked" not in page


def test_chronology_dates_are_kept_on_one_line(worker_client, social_worker, child):
    services.case_note_add(child=child, by=social_worker, kind=CaseNote.Kind.VISIT,
                           occurred_on=timezone.localdate(), subject="Home visit", body="Seen")
    html = worker_client.get(_url(child, "chronology/")).content.decode()
    day = f"{timezone.localdate():%-d %b %Y}"
    assert f'<td class="govuk-table__cell cairn-nowrap">{day}</td>' in html


def test_record_work_is_grouped_by_stage_in_journey_order(worker_client, child):
    html = worker_client.get(_url(child)).content.decode()
    record_work = html.split("Record work</h2>", 1)[1].split("</main>", 1)[0]
    sections = [part.split("</h3>", 1) for part in
                record_work.split('<h3 class="govuk-heading-s">')[1:]]
    assert [heading for heading, _ in sections] == [
        "Front door and early help", "Referral, assessment and protection", "Court",
        "Looked after"]
    links = ("Record a contact about this child", "Record a referral", "Start pre-proceedings",
             "Start a period of care")
    for (heading, body), link in zip(sections, links):
        assert link in body, heading
