"""The care leaver measures for the year so far count the birthdays already reached: one still
to come has had no adviser's contact around it yet, and is no sign of being out of touch."""

from datetime import date

import pytest

import support
from cairn.insight import indicators
from cairn.insight.indicators import Period
from cairn.leaving_care.models import (
    CareLeaverAccommodation,
    LeavingCareEligibility,
    PersonalAdviserContact,
)

pytestmark = pytest.mark.django_db


def leaver(name: str, born: date, contacted: date | None) -> None:
    kid = support.make_child(name, "Test", la_child_id=name, birth_date=born)
    LeavingCareEligibility.objects.create(child=kid, category="former_relevant",
                                          started_on=date(2024, 1, 1))
    CareLeaverAccommodation.objects.create(child=kid, from_on=date(2024, 6, 1),
                                           accommodation="U1")
    if contacted:
        PersonalAdviserContact.objects.create(child=kid, contacted_on=contacted, in_touch="YES")


def test_the_year_so_far_counts_the_birthdays_reached():
    leaver("Past", date(2006, 6, 1), date(2026, 5, 20))  # 20 on 1 June 2026, seen before it
    leaver("Today", date(2005, 11, 20), date(2026, 11, 2))  # 21 on the day asked about
    leaver("Coming", date(2007, 2, 1), None)  # 19 on 1 February 2027: not yet
    so_far = Period.containing(date(2026, 11, 20))
    touch = indicators.figure("care_leavers_age19_21_in_touch", so_far)
    assert (touch.value, touch.numerator, touch.denominator) == (100.0, 2, 2)
    assert indicators.figure("care_leavers_age19_21_suitable_accom", so_far).denominator == 2
    # The whole year counts every birthday in it (and "Coming" was not in touch around hers).
    year = indicators.figure("care_leavers_age19_21_in_touch", Period(2027))
    assert (year.numerator, year.denominator) == (2, 3)
