"""Working-day arithmetic across weekends and England and Wales bank holidays."""

from datetime import date

import pytest

from cairn.core.working_days import add_working_days, is_working_day, working_days_between


def test_fifteen_working_days_over_christmas_and_new_year():
    # Mon 15 Dec 2025: skips 25 and 26 Dec and 1 Jan.
    assert add_working_days(date(2025, 12, 15), 15) == date(2026, 1, 8)


def test_easter_skips_good_friday_and_easter_monday():
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert not is_working_day(date(2026, 4, 3))  # Good Friday
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday


def test_boxing_day_on_a_saturday_moves_to_monday():
    # 26 Dec 2026 is a Saturday: the substitute day, Mon 28 Dec, is not a working day.
    assert not is_working_day(date(2026, 12, 28))
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


@pytest.mark.parametrize("day, n, expected", [
    (date(2026, 11, 20), 1, date(2026, 11, 23)),  # Friday to Monday
    (date(2026, 11, 21), 1, date(2026, 11, 23)),  # from a Saturday
    (date(2026, 5, 22), 1, date(2026, 5, 26)),  # spring bank holiday Mon 25 May 2026
    (date(2026, 8, 28), 1, date(2026, 9, 1)),  # summer bank holiday Mon 31 Aug 2026
    (date(2026, 11, 25), 0, date(2026, 11, 25)),
    (date(2026, 1, 5), -1, date(2026, 1, 2)),
])
def test_add_working_days(day, n, expected):
    assert add_working_days(day, n) == expected


def test_working_days_between_counts_after_the_start_up_to_the_end():
    assert working_days_between(date(2025, 12, 15), date(2026, 1, 8)) == 15
    assert working_days_between(date(2026, 1, 8), date(2025, 12, 15)) == -15
    assert working_days_between(date(2026, 11, 25), date(2026, 11, 25)) == 0
