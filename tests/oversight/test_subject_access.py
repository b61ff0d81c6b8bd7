"""A subject access request: everything held about a child in one document, other people
marked for redaction, produced only by the information governance officer, and audited."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.access.models import AccessGrant
from cairn.core.models import AuditEvent
from cairn.frontdoor import services as frontdoor
from cairn.frontdoor.models import ConsentStatus, ContactSource
from cairn.people.models import CaseNote, Person, Relationship
from cairn.protection.models import CategoryOfAbuse, ChildProtectionPlan
from cairn.workforce.models import Role
from support import allocate, client_for, make_child, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def governance(db):
    return make_staff("iona_governance", Role.INFORMATION_GOVERNANCE, None)


@pytest.fixture
def record(child, social_worker):
    """A record naming others: a mother, a sibling with a record of their own, a caller."""
    mother = Person.objects.create(given_name="Kelly", family_name="Morgan")
    sibling = make_child("Jordan", "Morgan")
    allocate(sibling, social_worker)
    Relationship.objects.create(child=child, person=mother, kind=Relationship.Kind.MOTHER,
                                parental_responsibility=True)
    Relationship.objects.create(child=child, person=sibling, kind=Relationship.Kind.SIBLING)
    CaseNote.objects.create(
        child=child, kind=CaseNote.Kind.VISIT, occurred_on=date(2026, 12, 1),
        subject="Home visit", recorded_by=social_worker,
        body="Alex showed me his room. Kelly Morgan said Jordan had been unsettled.")
    frontdoor.contact_record(
        child=child, received_at=timezone.now() - timedelta(days=3),
        source=ContactSource.SCHOOLS, concerns="Bruising seen at school",
        consent=ConsentStatus.GIVEN, caller_name="Ms Reed", by=social_worker)
    plan = ChildProtectionPlan.objects.create(
        child=child, started_on=date(2026, 9, 7), recorded_by=social_worker,
        initial_category_of_abuse=CategoryOfAbuse.NEGLECT)
    return {"mother": mother, "sibling": sibling, "plan": plan}


def _export(client, child, reference="SAR-2026-041"):
    return client.post(reverse("subject_access", args=[child.pk]), {"reference": reference})


def test_the_export_holds_the_record_with_others_marked_for_redaction(
        governance, child, record, social_worker):
    client = client_for(governance)
    assert client.get(reverse("subject_access", args=[child.pk])).status_code == 200
    response = _export(client, child)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="subject-access-{child.la_child_id}-')
    text = response.content.decode()
    # The child's details and their case note, as written but for the names of others.
    assert child.full_name in text and child.la_child_id in text
    assert "Alex showed me his room." in text
    assert "[REDACT: Kelly Morgan]</mark> said <mark" in text
    assert "[REDACT: Jordan]" in text
    # Other records: the contact (its caller marked whole), the plan; staff are not redacted.
    assert "Bruising seen at school" in text and "[REDACT: Ms Reed]" in text
    assert "Child protection plans (1)" in text
    assert str(social_worker) in text and f"[REDACT: {social_worker}]" not in text
    # The list of third parties closes the document.
    closing = text.split('id="third-parties"')[1]
    assert "[REDACT: Kelly Morgan]" in closing and "Mother" in closing
    assert "[REDACT: Jordan Morgan]" in closing and "Sibling" in closing
    # Who changed what.
    assert "Who recorded and changed what" in text
    # Producing it is recorded, with the request's reference.
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORTED)
    assert (event.actor, event.child_id) == (governance, child.pk)
    assert "SAR-2026-041" in event.reason


def test_a_removed_entry_is_included_and_marked(governance, child, record, social_worker):
    note = CaseNote.objects.get(child=child)
    CaseNote.objects.filter(pk=note.pk).update(voided_at=timezone.now(), voided_by=social_worker,
                                               void_reason="Wrong child")
    text = _export(client_for(governance), child).content.decode()
    assert "Alex showed me his room." in text
    assert "(removed from the record)" in text and "Wrong child" in text


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.AUDITOR])
def test_only_the_information_governance_officer_may_export(child, record, role, team):
    staff = make_staff(f"someone_{role}", role, team)
    if role == Role.TEAM_MANAGER:
        team.manager = staff
        team.save(update_fields=["manager"])
    client = client_for(staff)
    url = reverse("subject_access", args=[child.pk])
    assert client.get(url).status_code == 404
    assert _export(client, child).status_code == 404
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORTED).exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED, actor=staff, child_id=child.pk,
                                     page=url).count() == 2


def test_the_reference_is_asked_for(governance, child):
    response = _export(client_for(governance), child, reference="")
    assert response.status_code == 200
    assert "Enter the request&#x27;s reference" in response.content.decode()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORTED).exists()


def test_a_restricted_record_is_exported_only_by_someone_named(governance, restricted_child):
    assert _export(client_for(governance), restricted_child).status_code == 404
    AccessGrant.objects.create(child=restricted_child, staff=governance,
                               granted_at=timezone.now(), reason="Subject access request")
    assert _export(client_for(governance), restricted_child).status_code == 200


def test_a_restricted_sibling_is_not_named_to_someone_not_named(
        governance, child, social_worker):
    hidden = make_child("Robin", "Hale", restricted=True)
    allocate(hidden, social_worker)
    Relationship.objects.create(child=child, person=hidden, kind=Relationship.Kind.SIBLING)
    CaseNote.objects.create(child=child, kind=CaseNote.Kind.VISIT, occurred_on=date(2026, 12, 1),
                            subject="Visit", body="Robin Hale was there.")
    text = _export(client_for(governance), child).content.decode()
    assert "Robin" not in text and "Hale" not in text
    assert "[REDACT: a person whose record is restricted]" in text


def test_an_adult_in_the_network_has_an_export_of_their_own(governance, child, record,
                                                            social_worker, restricted_child):
    mother = record["mother"]
    client = client_for(governance)
    page = client.get(reverse("subject_access", args=[child.pk]))
    url = reverse("adult_subject_access", args=[mother.pk])
    assert url in page.content.decode()
    assert client.get(url).status_code == 200
    text = client.post(url, {"reference": "SAR-7"}).content.decode()
    assert "Subject access export: Kelly Morgan" in text
    assert f"[REDACT: {child.full_name}]" in text  # the child is a third party to her
    assert "Alex showed me his room." not in text
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORTED)
    assert (event.action, event.child_id) == ("person.subject_access", mother.pk)
    # A social worker may not; nor is an adult behind a restricted record offered.
    assert client_for(social_worker).get(url).status_code == 404
    hidden = Person.objects.create(given_name="Dana", family_name="Hale")
    Relationship.objects.create(child=restricted_child, person=hidden,
                                kind=Relationship.Kind.MOTHER)
    assert client.get(reverse("adult_subject_access", args=[hidden.pk])).status_code == 404
    # A child's id is not an adult's address.
    assert client.get(reverse("adult_subject_access", args=[child.pk])).status_code == 404
