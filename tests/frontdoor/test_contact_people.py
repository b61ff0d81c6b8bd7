"""The people a contact names are checked against everyone Cairn holds, adults included, and
never against records the worker may not open."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cairn.core import tests_support as support
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
