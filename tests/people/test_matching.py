"""Duplicate matching before a new child is created: names, dates of birth, postcodes, access."""

from datetime import date

import pytest

from cairn.core import tests_support as support
from cairn.people.matching import possible_duplicates
from cairn.people.models import Address
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
