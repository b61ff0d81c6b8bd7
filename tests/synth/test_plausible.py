"""The synthetic authority looks like an English one: its re-referrals, repeat protection plans
and placement moves come out near England's published rates (Children in need 2024: 22% of
referrals within 12 months of a previous one, about a quarter of new plans a second or later;
Children looked after in England 2024: about 1 in 10 with 3 or more placements in the year).

Two routes: the journeys alone, on enough children for the rates to settle (no database, a
couple of seconds), and the indicators counted from the facts of a modest built authority."""

import random
from datetime import date, timedelta

import pytest
from django.db.models import Q

from cairn.care.models import LookedAfterEpisode
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
    # Adoptions and care leavers, many of whose histories began before the record: a handful
    # of adoptions and some 50 care leavers of 19 to 21 a year at this size.
    a1, a2, a10 = (indicators.figure(i, year) for i in (
        "adoption_a1_days_entry_to_placed", "adoption_a2_days_authority_to_match",
        "adoption_a10_days_entry_to_placed_adjusted"))
    assert a1.denominator >= 3 and a2.denominator >= 3, (a1, a2)
    assert 330 <= a1.value <= 620 and 100 <= a2.value <= 320, (a1, a2)
    assert a10.value <= a1.value  # foster carers' adoptions count from moving in with them
    touch, suitable, eet = (indicators.figure(f"care_leavers_age19_21_{m}", year)
                            for m in ("in_touch", "suitable_accom", "eet"))
    assert touch.denominator >= 25, touch
    assert 75 <= touch.value <= 98 and 75 <= suitable.value <= 98 and 40 <= eet.value <= 72, (
        touch, suitable, eet)
    missing = indicators.figure("missing_children", year).value
    looked_after = (LookedAfterEpisode.objects.filter(started_on__lte=YEAR_END)
                    .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=YEAR_START))
                    .values("child_id").distinct().count())
    assert 4 <= 100 * missing / looked_after <= 16, (missing, looked_after)


def leavers_and_adoptions(children: int, seed: int) -> dict[str, float]:
    """The collection year 2025-26's care leavers of 19 to 21, adoptions and missing children
    over `children` journeys, counted roughly as the indicators count them (plain Python)."""
    sim = Simulator(random.Random(seed), start=AS_OF - timedelta(days=round(365.25 * 5)),
                    as_of=AS_OF)
    touch = leavers = suitable = eet = looked_after = missing = 0
    entry_to_placed, authority_to_match = [], []
    for j in (sim.journey(i) for i in range(children)):
        cares = [inv.care for inv in j.involvements if inv.care and inv.care.episodes]
        in_year = [c for c in cares if c.started_on <= YEAR_END
                   and (c.ended_on is None or c.ended_on >= YEAR_START)]
        if in_year:
            looked_after += 1
            missing += any(YEAR_START <= m[0] <= YEAR_END and m[1] == "M"
                           for c in in_year for m in c.missing)
        for care in cares:
            a = care.adoption
            if a and a["order_on"] and YEAR_START <= a["order_on"] <= YEAR_END:
                entry_to_placed.append((a["placed_on"] - care.started_on).days)
                authority_to_match.append(max(0, (a["matched_on"]
                                                  - a["placement_order_on"]).days))
        lc = j.leaving_care
        if not lc or not lc["left_on"]:
            continue
        for age in (19, 20, 21):
            birthday = years_after(j.birth_on, age)
            if not YEAR_START <= birthday <= YEAR_END:
                continue
            leavers += 1
            touch += lc["in_touch"]
            accom = [code for day, code in lc["accommodation"] if day <= birthday]
            activ = [code for day, code in lc["activity"] if day <= birthday]
            suitable += bool(accom) and accom[-1].endswith("1")
            eet += bool(activ) and activ[-1] in ("F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5")
    return {"leavers": leavers, "in_touch": 100 * touch / leavers,
            "suitable": 100 * suitable / leavers, "eet": 100 * eet / leavers,
            "adopted": len(entry_to_placed),
            "a1": sum(entry_to_placed) / len(entry_to_placed),
            "a2": sum(authority_to_match) / len(authority_to_match),
            "missing": 100 * missing / looked_after}


def test_journeys_give_englands_care_leavers_adoptions_and_missing():
    # Children looked after in England 2024: some 9 in 10 care leavers of 19 to 21 in touch,
    # 88% in suitable accommodation, 56% in education, employment or training; 11% of the
    # children looked after in the year missing. Adoption scorecard 2021-24: about 15 months
    # (some 460 days) from care to moving in (A1), 6 (some 190) from the placement order to a
    # match (A2).
    got = leavers_and_adoptions(12000, seed=1)
    assert got["leavers"] >= 250 and got["adopted"] >= 15, got
    assert 85 <= got["in_touch"] <= 96, got
    assert 80 <= got["suitable"] <= 95, got
    assert 45 <= got["eet"] <= 66, got
    assert 380 <= got["a1"] <= 540, got
    assert 140 <= got["a2"] <= 240, got
    assert 8 <= got["missing"] <= 15, got
