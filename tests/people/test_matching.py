"""Duplicate matching before a new child is created: names, dates of birth, postcodes, access."""

from datetime import date

import pytest

import support
from cairn.casework.selectors import possible_duplicates
from cairn.people.matching import ANYONE
from cairn.people.models import Address, Person, Relationship
from cairn.workforce.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def door(front_door_worker):
    return front_door_worker


@pytest.fixture
def jayden(db):
    child = support.make_child("Jayden", "Smith", birth_date=date(2019, 3, 27))
    Address.objects.create(person=child, line1="1 High St", postcode="LS6 2AB")
    return child


def _ids(found):
    return [d.child.pk for d in found]


def test_a_misspelt_name_is_found(door, jayden):
    found = possible_duplicates(given_name="Jaiden", family_name="Smyth", viewer=door)
    assert _ids(found) == [jayden.pk]
    assert found[0].reasons == ["similar name"]


def test_swapped_names_and_accents_are_found(door, jayden):
    assert _ids(possible_duplicates(given_name="Smith", family_name="Jáyden",
                                    viewer=door)) == [jayden.pk]


def test_a_looser_name_needs_a_date_of_birth_or_postcode(door, jayden):
    assert possible_duplicates(given_name="Jay", family_name="Smithson", viewer=door) == []
    by_birth = possible_duplicates(given_name="Jay", family_name="Smithson",
                                   birth_date=date(2019, 3, 27), viewer=door)
    assert _ids(by_birth) == [jayden.pk]
    assert "same date of birth" in by_birth[0].reasons
    by_postcode = possible_duplicates(given_name="Jay", family_name="Smithson",
                                      postcode="ls62ab", viewer=door)
    assert "same postcode" in by_postcode[0].reasons
    assert by_postcode[0].postcodes == ["LS6 2AB"]


def test_day_and_month_swapped_is_a_near_date(door, jayden):
    near = possible_duplicates(given_name="Jade", family_name="Smith",
                               birth_date=date(2019, 3, 28), viewer=door)
    assert "date of birth within a few days" in near[0].reasons
    jayden.birth_date = date(2019, 3, 7)
    jayden.save()
    swapped = possible_duplicates(given_name="Jayden", family_name="Smith",
                                  birth_date=date(2019, 7, 3), viewer=door)
    assert "date of birth with day and month swapped" in swapped[0].reasons


def test_best_match_first_and_strangers_left_out(door, jayden):
    support.make_child("Jaydon", "Smith", birth_date=date(2012, 1, 1))
    support.make_child("Oliver", "Jones")
    found = possible_duplicates(given_name="Jayden", family_name="Smith",
                                birth_date=date(2019, 3, 27), viewer=door)
    assert [d.child.full_name for d in found] == ["Jayden Smith", "Jaydon Smith"]


def test_only_records_the_viewer_may_open(door, jayden, stranger, social_worker):
    hidden = support.make_child("Robin", "Hale", restricted=True)
    assert possible_duplicates(given_name="Robin", family_name="Hale", viewer=door) == []
    assert possible_duplicates(given_name="Jayden", family_name="Smith", viewer=stranger) == []
    support.allocate(jayden, social_worker)
    assert _ids(possible_duplicates(given_name="Jayden", family_name="Smith",
                                    viewer=social_worker)) == [jayden.pk]
    admin = support.make_staff("ada_admin", Role.ADMINISTRATOR)
    assert possible_duplicates(given_name="Jayden", family_name="Smith", viewer=admin) == []
    assert hidden.pk not in _ids(possible_duplicates(given_name="Robin", family_name="Hale",
                                                     viewer=social_worker))


def _adult(given: str, family: str, **fields) -> Person:
    return Person.objects.create(given_name=given, family_name=family, **fields)


def _link(child, person, kind=Relationship.Kind.MOTHER):
    return Relationship.objects.create(child=child, person=person, kind=kind)


def test_an_adult_held_already_is_offered_with_the_children_they_are_linked_to(door, jayden):
    mother = _adult("Kerry", "Smith", birth_date=date(1998, 7, 2))
    Address.objects.create(person=mother, line1="1 High St", postcode="LS6 2AB")
    _link(jayden, mother)
    assert possible_duplicates(given_name="Kerry", family_name="Smith", viewer=door) == []
    found = possible_duplicates(given_name="Kerrie", family_name="Smith", postcode="ls62ab",
                                birth_date=date(1998, 7, 2), viewer=door, kind=ANYONE)
    assert [d.person.pk for d in found] == [mother.pk]
    assert found[0].reasons == ["similar name", "same date of birth", "same postcode"]
    assert [(link.child, link.kind) for link in found[0].links] == [(jayden, "mother")]


def test_a_care_leaver_who_is_now_a_parent_is_found_as_one_person(door):
    leaver = support.make_child("Chantelle", "Ward", birth_date=date(2004, 2, 9))
    baby = support.make_child("Mason", "Ward", birth_date=date(2025, 12, 1))
    _link(baby, leaver)
    found = possible_duplicates(given_name="Chantelle", family_name="Ward",
                                birth_date=date(2004, 2, 9), viewer=door, kind=ANYONE)
    assert [(d.person.pk, d.person.is_child) for d in found] == [(leaver.pk, True)]
    assert [link.child for link in found[0].links] == [baby]


def test_restricted_people_are_not_offered_to_those_who_may_not_open_them(
        door, jayden, social_worker):
    hidden = support.make_child("Robin", "Hale", restricted=True)
    assert possible_duplicates(given_name="Robin", family_name="Hale", viewer=door,
                               kind=ANYONE) == []
    # The mother of a restricted child would give away where the child is.
    refuge_mother = _adult("Dana", "Hale")
    _link(hidden, refuge_mother)
    _adult("Dana", "Hale", restricted=True)
    assert possible_duplicates(given_name="Dana", family_name="Hale", viewer=door,
                               kind=ANYONE) == []
    support.allocate(hidden, social_worker)
    found = possible_duplicates(given_name="Dana", family_name="Hale", viewer=social_worker,
                                kind=ANYONE)
    assert [d.person.pk for d in found] == [refuge_mother.pk]
    # An adult linked only to children outside the viewer's line is offered, the link unnamed.
    father = _adult("Lee", "Smith")
    _link(jayden, father, Relationship.Kind.FATHER)
    found = possible_duplicates(given_name="Lee", family_name="Smith", viewer=social_worker,
                                kind=ANYONE)
    assert [(d.person.pk, d.links) for d in found] == [(father.pk, [])]
