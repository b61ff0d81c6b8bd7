"""The people a contact names are checked against everyone Cairn holds, adults included, and
never against records the worker may not open."""

from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.utils import timezone

import support
from cairn.core.models import AuditEvent
from cairn.frontdoor import services
from cairn.frontdoor.models import ConsentStatus, ContactSource
from cairn.people.models import Address, Child, Person, Relationship

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(child, front_door):
    return services.contact_record(
        child=child, received_at=timezone.now() - timedelta(hours=1), by=front_door,
        source=ContactSource.SCHOOLS, concerns="Ada came to school hungry",
        consent=ConsentStatus.GIVEN, household="Mother Kerry Brook, her partner Lee")


def _check(client, contact, **query):
    return client.get(f"/front-door/contacts/{contact.pk}/people/", query).content.decode()


def test_an_adult_cairn_holds_is_offered_as_a_possible_match(child, front_door, contact):
    mother = Person.objects.create(given_name="Kerry", family_name="Brook",
                                   birth_date=date(1994, 4, 1))
    Address.objects.create(person=mother, line1="3 Oak Road", postcode="LS7 1AA")
    Relationship.objects.create(child=child, person=mother, kind=Relationship.Kind.MOTHER)
    client = support.client_for(front_door)
    page = client.get(f"/front-door/contacts/{contact.pk}/decision/").content.decode()
    assert f"/front-door/contacts/{contact.pk}/people/" in page
    page = _check(client, contact)
    assert "Mother Kerry Brook, her partner Lee" in page and "There is a problem" not in page
    page = _check(client, contact, given_name="Kerrie", family_name="Brook", postcode="ls71aa")
    assert "Kerry Brook" in page and "Adult, no child's record" in page
    assert "Mother of Ada Brook" in page and "Similar name, same postcode" in page


def test_a_restricted_child_is_not_offered_to_a_front_door_worker_without_access(
        child, front_door, contact):
    Child.objects.create(given_name="Robin", family_name="Hale", la_child_id="C0099",
                         restricted=True, birth_date=date(2010, 1, 1))
    page = _check(support.client_for(front_door), contact, given_name="Robin",
                  family_name="Hale")
    assert "Robin Hale" not in page
    assert "Cairn holds no one who may be the same person" in page


def test_the_check_says_what_is_missing(child, front_door, contact):
    page = _check(support.client_for(front_door), contact, given_name="Kerry", family_name="")
    assert "<title>Error: " in page and "Enter the person&#x27;s last name" in page
    assert 'value="Kerry"' in page


def test_a_stranger_cannot_check_the_people_in_a_contact(child, stranger, contact):
    response = support.client_for(stranger).get(
        f"/front-door/contacts/{contact.pk}/people/", {"given_name": "Kerry",
                                                       "family_name": "Brook"})
    assert response.status_code == 404


# Linking a person found to the child ------------------------------------------------------------

def _people_url(contact, **query) -> str:
    return f"/front-door/contacts/{contact.pk}/people/?{urlencode(query)}"


def test_a_person_found_is_linked_to_the_child_with_the_relationship_chosen(
        child, front_door, contact):
    partner = Person.objects.create(given_name="Lee", family_name="Dunn",
                                    birth_date=date(1990, 2, 3))
    client = support.client_for(front_door)
    url = _people_url(contact, given_name="Lee", family_name="Dunn")
    page = client.get(url).content.decode()
    assert "Link someone to Ada Brook" in page
    assert "Lee Dunn, born 3 Feb 1990" in page and "Not linked to a child you may see" in page
    assert "Parent&#x27;s partner" in page  # the relationships are people.Relationship's
    response = client.post(url, {"person": partner.pk,
                                 "kind": Relationship.Kind.PARENTS_PARTNER})
    assert response.status_code == 302 and response["Location"] == url
    link = Relationship.objects.get()
    assert (link.child_id, link.person, link.kind, link.recorded_by) == (
        child.pk, partner, "partner", front_door)
    assert AuditEvent.objects.filter(action="relationship.added", child_id=child.pk).exists()
    page = client.get(url).content.decode()
    assert "Lee Dunn linked to Ada Brook as parent&#x27;s partner" in page
    assert "Parent&#x27;s partner of Ada Brook" in page


def test_linking_says_what_is_missing_next_to_each_field_and_keeps_the_choice(
        child, front_door, contact):
    partner = Person.objects.create(given_name="Lee", family_name="Dunn")
    url = _people_url(contact, given_name="Lee", family_name="Dunn")
    client = support.client_for(front_door)
    page = client.post(url, {"kind": ""}).content.decode()
    assert "<title>Error: " in page
    assert page.count("Select the person to link to Ada Brook") == 2  # summary and field
    assert 'href="#id_person"' in page and 'id="id_person-error"' in page
    assert page.count("Choose how they are related to Ada Brook") == 2
    assert 'href="#id_kind"' in page and 'id="id_kind-error"' in page
    page = client.post(url, {"person": partner.pk, "kind": ""}).content.decode()
    assert f'value="{partner.pk}" checked' in page
    assert "Select the person to link" not in page
    page = client.post(url, {"kind": "grandparent"}).content.decode()
    assert 'value="grandparent" selected' in page
    assert not Relationship.objects.exists()


def test_the_same_person_is_not_linked_twice(child, front_door, contact):
    mother = Person.objects.create(given_name="Kerry", family_name="Brook")
    Relationship.objects.create(child=child, person=mother, kind=Relationship.Kind.MOTHER)
    url = _people_url(contact, given_name="Kerry", family_name="Brook")
    page = support.client_for(front_door).post(
        url, {"person": mother.pk, "kind": Relationship.Kind.CARER}).content.decode()
    assert "<title>Error: " in page
    assert page.count("Kerry Brook is already linked to Ada Brook as mother") == 2
    assert Relationship.objects.count() == 1
    assert not AuditEvent.objects.filter(action="relationship.added").exists()


def test_the_child_is_not_offered_as_their_own_relative(child, front_door, contact):
    url = _people_url(contact, given_name="Ada", family_name="Brook")
    client = support.client_for(front_door)
    page = client.get(url).content.decode()
    assert "Child's record, C0001" in page  # found by the check
    assert "Link someone to Ada Brook" not in page  # but there is no one else to link
    page = client.post(url, {"person": child.pk, "kind": "sibling"}).content.decode()
    assert "Select one of the people the check found" in page
    assert not Relationship.objects.exists()


def test_a_restricted_person_is_neither_shown_nor_linked(child, front_door, contact):
    hidden = Person.objects.create(given_name="Pat", family_name="Hale", restricted=True)
    behind = Child.objects.create(given_name="Robin", family_name="Hale", la_child_id="C0099",
                                  restricted=True)
    visible = Person.objects.create(given_name="Pat", family_name="Hales")
    url = _people_url(contact, given_name="Pat", family_name="Hale")
    client = support.client_for(front_door)
    page = client.get(url).content.decode()
    assert "Pat Hales" in page and f'value="{visible.pk}"' in page
    assert f'value="{hidden.pk}"' not in page and "Robin" not in page
    for person in (hidden, behind):
        page = client.post(url, {"person": person.pk, "kind": "father"}).content.decode()
        assert "Select one of the people the check found" in page
        assert "Pat Hale," not in page and "Robin" not in page
    assert not Relationship.objects.exists()


def test_a_stranger_cannot_link_anyone_to_the_child(child, stranger, contact):
    partner = Person.objects.create(given_name="Lee", family_name="Dunn")
    response = support.client_for(stranger).post(
        _people_url(contact, given_name="Lee", family_name="Dunn"),
        {"person": partner.pk, "kind": "partner"})
    assert response.status_code == 404
    assert not Relationship.objects.exists()
