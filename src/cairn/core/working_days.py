"""Working days: weekdays that are not bank holidays in England and Wales.

Children's regulations define a working day as any day but Saturday, Sunday, Christmas Day,
Good Friday or a bank holiday under the Banking and Financial Dealings Act 1971, which is what
the `holidays` package's England subdivision lists.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_bank_holiday(day: date) -> bool:
    """Christmas Day, Good Friday or a bank holiday in England."""
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


# Every page asks again for the same few thousand dates (each open clock's due date), so the
# answers are kept: bank holidays are fixed for the life of the process.
@lru_cache(maxsize=65536)
def add_working_days(start: date, n: int) -> date:
    """The date `n` working days after `start` (the start day itself is day 0)."""
    day = start
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


@lru_cache(maxsize=65536)
def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative if `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for i in range(1, (end - start).days + 1)
               if is_working_day(start + timedelta(days=i)))
