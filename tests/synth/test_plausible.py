"""The synthetic authority looks like an English one: its re-referrals, repeat protection plans
and placement moves come out near England's published rates (Children in need 2024: 22% of
referrals within 12 months of a previous one, about a quarter of new plans a second or later;
Children looked after in England 2024: about 1 in 10 with 3 or more placements in the year).

Two routes: the journeys alone, on enough children for the rates to settle (no database, a
couple of seconds), and the indicators counted from the facts of a modest built authority."""

import random
from datetime import date, timedelta

import pytest

from cairn.insight import indicators
from cairn.synth.builder import Builder
from cairn.synth.journeys import Simulator, add_months, age_on, years_after

AS_OF = date(2026, 11, 20)
YEAR_START, YEAR_END = date(2025, 4, 1), date(2026, 3, 31)


def rates(children: int, seed: int) -> dict[str, float]:
    """The collection year 2025-26's rates over `children` journeys, counted the way the
    indicators count them (a second route, in plain Python)."""
    sim = Simulator(random.Random(seed), start=AS_OF - timedelta(days=round(365.25 * 5)),
                    as_of=AS_OF)
    referrals = rereferrals = plans = repeats = looked_after = moved = long = settled = 0
    for j in (sim.journey(i) for i in range(children)):
        received = [inv.referral_on for inv in j.involvements]
        started = [s.plan.started_on for inv in j.involvements for s in inv.s47s if s.plan]
        for day in received:
            if YEAR_START <= day <= YEAR_END:
                referrals += 1
                rereferrals += any(years_after(day, -1) <= d < day for d in received)
        for day in started:
            if YEAR_START <= day <= YEAR_END:
                plans += 1
                repeats += any(d < day for d in started)
        for care in (inv.care for inv in j.involvements if inv.care and inv.care.episodes):
            eps = care.episodes
            if not any(e.started_on <= YEAR_END and (e.ended_on is None or e.ended_on > YEAR_END)
                       for e in eps):
                continue
            looked_after += 1
            moved += sum(e.started_on <= YEAR_END and (e.ended_on is None
                                                        or e.ended_on >= YEAR_START)
                         and (e.started_on < YEAR_START or e.rne in "SPTBU")
                         for e in eps) >= 3
            if age_on(j.birth_on, YEAR_END) < 16 and care.started_on <= add_months(YEAR_END, -30):
                long += 1
                placed = max(e.started_on for e in eps
                             if e.rne in "SPTBU" and e.started_on <= YEAR_END)
                settled += placed <= add_months(YEAR_END, -24)
    return {"rereferrals": 100 * rereferrals / referrals, "repeat_plans": 100 * repeats / plans,
            "three_placements": 100 * moved / looked_after, "same_placement": 100 * settled / long}


def test_journeys_give_englands_rates():
    got = rates(12000, seed=1)
    assert 19 <= got["rereferrals"] <= 25, got
    assert 18 <= got["repeat_plans"] <= 32, got
    assert 5 <= got["three_placements"] <= 15, got
    assert 50 <= got["same_placement"] <= 85, got


@pytest.mark.django_db
def test_the_indicators_of_a_modest_authority_are_plausible():
    # 2,000 children give some 600 referrals and 80 new plans in the year: the smallest
    # authority whose rates settle near the national ones (300 gives a dozen plans).
    Builder(children=2000, seed=7, years=5, as_of=AS_OF, progress=False).build()
    year = indicators.Period(2026)
    rereferrals = indicators.figure("cin_rereferrals_12m", year)
    repeats = indicators.figure("cin_cpp_second_or_subsequent", year)
    assert rereferrals.denominator >= 500 and repeats.denominator >= 60
    assert 17 <= rereferrals.value <= 27
    assert 18 <= repeats.value <= 32
    assert 75 <= indicators.figure("cin_assessments_within_45wd", year).value <= 90
