"""Each indicator on a small hand-built authority with answers worked out by hand: the DfE's
edges (short breaks, a child counted once, day 0 of working days, bank holidays, 31 March),
drill-down lists as long as the figure, and `cairn indicators` writing the JSON."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

import support
from cairn.care.models import (
    CLAReview,
    DentalCheck,
    HealthAssessment,
    Immunisation,
    LookedAfterEpisode,
    MissingEpisode,
    ReturnHomeInterview,
    StatutoryVisit,
)
from cairn.frontdoor.models import Contact, Referral
from cairn.insight import indicators
from cairn.insight.indicators import Period
from cairn.leaving_care.models import (
    CareLeaverAccommodation,
    CareLeaverActivity,
    LeavingCareEligibility,
    PersonalAdviserContact,
)
from cairn.legal.models import CareProceedings, CourtDirection, Hearing, PreProceedings
from cairn.permanence.models import AdoptionMatch
from cairn.protection.models import (
    Assessment,
    ChildProtectionConference,
    ChildProtectionPlan,
    CoreGroupMeeting,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
)

pytestmark = pytest.mark.django_db

YEAR = Period(2026)  # 1 April 2025 to 31 March 2026
REQUIRED = [
    "cla_31mar", "cla_started_in_year", "cla_ceased_in_year", "stability_short_term_3plus",
    "stability_long_term_2yrs", "reviews_participation", "missing_children", "adopted_in_year",
    "adoption_a1_days_entry_to_placed", "adoption_a2_days_authority_to_match",
    "care_leavers_age19_21_in_touch", "care_leavers_age19_21_suitable_accom",
    "care_leavers_age19_21_eet", "cin_referrals", "cin_rereferrals_12m", "cin_referrals_nfa",
    "cin_assessments_completed", "cin_assessments_within_45wd", "cin_s47_started", "cin_icpcs",
    "cin_icpcs_within_15wd", "cin_cpp_started", "cin_cpp_second_or_subsequent",
    "cin_cpp_open_31mar", "cin_cpp_ended_2yrs_plus", "cin_cin_31mar"]


def d(text: str) -> date:
    return date.fromisoformat(text)


def child(name: str, born: str = "2015-06-01", **fields):
    return support.make_child(name, "Test", la_child_id=name, birth_date=d(born), **fields)


def episode(kid, start: str, rne: str, ls: str = "C2", place: str = "U1", end: str = "",
            rec: str = "") -> LookedAfterEpisode:
    return LookedAfterEpisode.objects.create(
        child=kid, started_on=d(start), reason_new_episode=rne, legal_status=ls,
        category_of_need="N1", placement_type=place, placement_provider="PR1",
        ended_on=d(end) if end else None, reason_ceased=rec)


def referral(kid, received: str, *, closed: str = "", nfa: bool = False) -> Referral:
    return Referral.objects.create(child=kid, received_on=d(received), source="5A",
                                   primary_need="N1", nfa=nfa,
                                   closed_on=d(closed) if closed else None,
                                   closure_reason="RC7" if closed else "")


def shown(id: str, period: Period = YEAR) -> tuple:
    """The figure, after checking that its drill-down lists are as long as its counts."""
    f = indicators.figure(id, period)
    rows = indicators.members(id, period)
    if indicators.get(id).unit == indicators.MEAN_DAYS:
        assert rows.denominator.count() == f.denominator
        assert sum(r.days for r in rows.denominator) == f.numerator
    else:
        assert rows.numerator.count() == f.numerator
        assert (rows.denominator.count() if rows.denominator is not None else None) \
            == f.denominator
    return f.value, f.numerator, f.denominator


def test_every_indicator_the_issue_names_is_defined_with_its_source():
    for id in REQUIRED:
        ind = indicators.get(id)
        assert ind.definition and ind.source and ind.name
        assert ind.unit in (indicators.COUNT, indicators.PERCENT, indicators.MEAN_DAYS)


def test_looked_after_counts_leave_out_short_breaks_and_count_each_child_once():
    already = child("A")
    episode(already, "2025-01-10", "S")
    adopted = child("B")
    episode(adopted, "2025-05-01", "S", end="2026-03-31", rec="E11")  # ends on 31 March
    breaks = child("C")
    episode(breaks, "2025-05-01", "S", ls="V3", end="2025-05-03", rec="E13")
    episode(breaks, "2025-08-01", "S", ls="V4")
    twice = child("D")
    episode(twice, "2025-06-01", "S", end="2025-07-01", rec="E4A")
    episode(twice, "2025-09-01", "S")
    later = child("E")
    episode(later, "2026-04-01", "S")

    assert shown("cla_31mar") == (2, 2, None)  # A and D: B's care ended on 31 March
    assert shown("cla_started_in_year") == (2, 2, None)  # B, and D once though twice
    assert shown("cla_ceased_in_year") == (2, 2, None)  # B and D
    assert shown("adopted_in_year") == (1, 1, None)
    assert set(indicators.members("cla_31mar", YEAR).numerator) == {already, twice}
    # At a date in the year: B and D's first care were open on 15 June, C's breaks do not count.
    assert shown("cla_31mar", Period(2026, d("2025-06-15"))) == (3, 3, None)
    assert shown("cla_started_in_year", Period(2026, d("2025-06-15"))) == (2, 2, None)


def test_short_term_stability_counts_placements_not_legal_status_changes():
    moved = child("M")
    episode(moved, "2024-05-01", "S", end="2025-05-01", rec="X1")  # the placement on 1 April
    episode(moved, "2025-05-01", "P", end="2025-07-01", rec="X1")
    episode(moved, "2025-07-01", "L", ls="C1", end="2025-09-01", rec="X1")
    episode(moved, "2025-09-01", "T")
    settled = child("N")
    episode(settled, "2024-05-01", "S", end="2025-05-01", rec="X1")
    episode(settled, "2025-05-01", "L", ls="C1", end="2025-08-01", rec="X1")
    episode(settled, "2025-08-01", "P")
    assert shown("stability_short_term_3plus") == (50.0, 1, 2)
    assert list(indicators.members("stability_short_term_3plus", YEAR).numerator) == [moved]


def test_long_term_stability_needs_two_and_a_half_years_in_care_and_two_in_the_placement():
    stayed = child("S", born="2012-01-01")
    episode(stayed, "2023-09-30", "S", end="2024-03-31", rec="X1")  # 2.5 years to the day
    episode(stayed, "2024-03-31", "P")  # two years to the day at 31 March 2026
    moved = child("T", born="2012-01-01")
    episode(moved, "2022-01-01", "S", end="2024-04-01", rec="X1")
    episode(moved, "2024-04-01", "P")  # a day short of two years
    too_recent = child("U", born="2012-01-01")
    episode(too_recent, "2023-10-01", "S")
    sixteen = child("V", born="2010-03-31")  # 16 on 31 March 2026
    episode(sixteen, "2020-01-01", "S")
    assert shown("stability_long_term_2yrs") == (50.0, 1, 2)


def test_review_participation_leaves_out_under_fours_and_short_breaks():
    kid = child("R")
    episode(kid, "2024-01-01", "S")
    breaks = child("Q")
    episode(breaks, "2025-05-01", "S", ls="V3")
    for code, day in (("PN0", "2025-05-01"), ("PN1", "2025-06-01"), ("PN7", "2025-12-01"),
                      ("PN1", "2025-03-31")):
        CLAReview.objects.create(child=kid, held_on=d(day), participation=code)
    CLAReview.objects.create(child=breaks, held_on=d("2025-06-01"), participation="PN1")
    assert shown("reviews_participation") == (50.0, 1, 2)


def test_children_missing_are_counted_once_and_away_is_not_missing():
    tz = timezone.get_current_timezone()
    runner, away = child("X"), child("Y")
    for kid in (runner, away):
        episode(kid, "2024-01-01", "S")
    first = MissingEpisode.objects.create(
        child=runner, kind="M", started_at=datetime(2025, 6, 1, 22, tzinfo=tz),
        ended_at=datetime(2025, 6, 2, 9, tzinfo=tz))
    MissingEpisode.objects.create(child=runner, kind="M",
                                  started_at=datetime(2025, 7, 1, 22, tzinfo=tz),
                                  ended_at=datetime(2025, 7, 3, 9, tzinfo=tz))
    MissingEpisode.objects.create(child=away, kind="A",
                                  started_at=datetime(2025, 6, 1, 22, tzinfo=tz))
    # Returned on 2 June: an interview offered on 5 June is within 72 hours; none for July's.
    ReturnHomeInterview.objects.create(missing_episode=first, offered_on=d("2025-06-05"),
                                       accepted=True)
    assert shown("missing_children") == (1, 1, None)
    assert shown("return_interviews_72h") == (50.0, 1, 2)


def test_adoption_a1_and_a2_are_means_in_days():
    first = child("P1", born="2022-01-01")
    episode(first, "2023-01-10", "S", ls="C2", end="2024-02-01", rec="X1")
    episode(first, "2024-02-01", "L", ls="E1", end="2024-08-01", rec="X1")  # placement order
    episode(first, "2024-08-01", "P", ls="E1", place="A6", end="2025-10-01", rec="E11")
    AdoptionMatch.objects.create(child=first, matched_on=d("2024-06-01"), foster_carer=False,
                                 number_of_adopters=2, sex_of_adopters="MF",
                                 legal_status_of_adopters="L11")
    second = child("P2", born="2023-01-01")
    episode(second, "2024-01-01", "S", ls="C2", end="2024-05-01", rec="X1")
    episode(second, "2024-05-01", "T", ls="E1", place="A5", end="2026-02-01", rec="E12")
    # Matched before the authority to place: that counts as 0 days.
    AdoptionMatch.objects.create(child=second, matched_on=d("2024-04-01"), foster_carer=True,
                                 number_of_adopters=1, sex_of_adopters="F1",
                                 legal_status_of_adopters="L0")
    # 569 days (10 Jan 2023 to 1 Aug 2024) and 121 (1 Jan to 1 May 2024)
    assert shown("adoption_a1_days_entry_to_placed") == (345.0, 690, 2)
    # 121 days (1 Feb to 1 Jun 2024) and 0
    assert shown("adoption_a2_days_authority_to_match") == (60.5, 121, 2)
    assert shown("adopted_in_year") == (2, 2, None)


def test_care_leavers_aged_19_to_21_around_their_birthday():
    kept = child("L1", born="2006-01-15")  # 20 on 15 January 2026
    lost = child("L2", born="2005-06-01")  # 20 on 1 June 2025
    young = child("L3", born="2008-01-15")  # 18 in the year: not in the 19 to 21 figures
    for kid in (kept, lost, young):
        LeavingCareEligibility.objects.create(child=kid, category="former_relevant",
                                              started_on=d("2023-01-01"))
    # 91 days before the birthday is the first day of the window; the nearer contact says so.
    PersonalAdviserContact.objects.create(child=kept, contacted_on=d("2025-10-16"),
                                          in_touch="NO")
    PersonalAdviserContact.objects.create(child=kept, contacted_on=d("2026-02-01"),
                                          in_touch="YES")
    PersonalAdviserContact.objects.create(child=lost, contacted_on=d("2025-02-28"),
                                          in_touch="YES")  # 93 days before: outside
    CareLeaverActivity.objects.create(child=kept, from_on=d("2025-09-01"), activity="F1")
    CareLeaverActivity.objects.create(child=lost, from_on=d("2025-01-01"), activity="G5")
    CareLeaverAccommodation.objects.create(child=kept, from_on=d("2025-01-01"),
                                           accommodation="U1")
    CareLeaverAccommodation.objects.create(child=lost, from_on=d("2025-01-01"),
                                           accommodation="B1")
    CareLeaverAccommodation.objects.create(child=lost, from_on=d("2025-07-15"),
                                           accommodation="S2")  # after the window's end
    assert shown("care_leavers_age19_21_in_touch") == (50.0, 1, 2)
    assert shown("care_leavers_age19_21_suitable_accom") == (100.0, 2, 2)
    assert shown("care_leavers_age19_21_eet") == (50.0, 1, 2)


def test_referrals_re_referrals_within_12_months_and_no_further_action():
    again, later = child("F1"), child("F2")
    referral(again, "2024-06-09", closed="2024-07-01")
    referral(again, "2025-06-09", nfa=True, closed="2025-06-10")  # 12 months to the day
    referral(later, "2024-05-01", closed="2024-06-01")
    referral(later, "2025-05-02", closed="2026-03-31")  # a year and a day: not a re-referral
    referral(later, "2025-11-01")  # and its second in the year is one
    assert shown("cin_referrals") == (3, 3, None)
    Referral.objects.filter(received_on=d("2025-11-01")).update(source="1A")
    assert indicators.breakdown("cin_referrals", YEAR, "source") == {"5A": 2, "1A": 1}
    assert shown("cin_rereferrals_12m") == (66.7, 2, 3)
    assert shown("cin_referrals_nfa") == (33.3, 1, 3)
    # At 31 March: F2 is in need once (two referrals, one closed that day).
    assert shown("cin_cin_31mar") == (1, 1, None)


def test_assessments_within_45_working_days_count_from_day_0_without_bank_holidays():
    kid = child("W")
    ref = referral(kid, "2025-12-18")
    # From Friday 19 December 2025 (day 0), 45 working days without 25 and 26 December and
    # 1 January is Wednesday 25 February 2026.
    for authorised in ("2026-02-25", "2026-02-26", "2025-12-19"):
        Assessment.objects.create(child=kid, referral=ref, started_on=d("2025-12-19"),
                                  submitted_on=d(authorised), authorised_on=d(authorised))
    Assessment.objects.create(child=kid, referral=ref, started_on=d("2025-12-19"))
    Assessment.objects.create(child=kid, referral=ref, started_on=d("2026-03-01"),
                              submitted_on=d("2026-04-01"), authorised_on=d("2026-04-01"))  # next year's
    assert shown("cin_assessments_completed") == (3, 3, None)
    assert shown("cin_assessments_within_45wd") == (66.7, 2, 3)


def test_icpcs_within_15_working_days_of_the_section_47_start():
    kid = child("K")
    ref = referral(kid, "2025-08-15")
    talk = StrategyDiscussion.objects.create(child=kid, referral=ref, held_on=d("2025-08-18"),
                                             s47_agreed=True)
    # From Monday 18 August 2025, without the bank holiday of 25 August: 9 September.
    for held in ("2025-09-09", "2025-09-10"):
        s47 = Section47Enquiry.objects.create(child=kid, strategy_discussion=talk,
                                              started_on=d("2025-08-18"))
        ChildProtectionConference.objects.create(child=kid, kind="initial", held_on=d(held),
                                                 section47=s47)
    Section47Enquiry.objects.create(child=kid, strategy_discussion=talk,
                                    started_on=d("2025-08-18"), icpc_not_required=True,
                                    completed_on=d("2025-08-20"))
    assert shown("cin_s47_started") == (3, 3, None)
    assert shown("cin_icpcs") == (2, 2, None)
    assert shown("cin_icpcs_within_15wd") == (50.0, 1, 2)


def test_child_protection_plans():
    again, long = child("G1"), child("G2")
    for kid in (again, long):
        referral(kid, "2022-01-01")
    first = dict(initial_category_of_abuse="NEG")
    ref_again, ref_long = Referral.objects.get(child=again), Referral.objects.get(child=long)
    ChildProtectionPlan.objects.create(child=again, referral=ref_again,
                                       started_on=d("2022-01-10"), ended_on=d("2024-01-10"),
                                       end_reason="safe", **first)
    ChildProtectionPlan.objects.create(child=again, referral=ref_again,
                                       started_on=d("2025-06-01"), ended_on=d("2026-03-31"),
                                       end_reason="safe", **first)
    ChildProtectionPlan.objects.create(child=long, referral=ref_long,
                                       started_on=d("2023-05-01"), ended_on=d("2025-05-01"),
                                       end_reason="safe", **first)  # two years to the day
    ChildProtectionPlan.objects.create(child=long, referral=ref_long,
                                       started_on=d("2026-03-31"), **first)
    assert shown("cin_cpp_started") == (2, 2, None)
    assert shown("cin_cpp_second_or_subsequent") == (100.0, 2, 2)
    assert shown("cin_cpp_ended_2yrs_plus") == (50.0, 1, 2)
    assert shown("cin_cpp_open_31mar") == (1, 1, None)  # the plan that ended on 31 March is not
    assert shown("cin_cpp_open_31mar", Period(2026, d("2025-07-01"))) == (1, 1, None)


def test_contacts_decided_within_a_working_day_of_the_day_they_came_in():
    tz = timezone.get_current_timezone()
    kid = child("Z")

    def contact(received, decided):
        Contact.objects.create(child=kid, received_at=datetime(*received, tzinfo=tz),
                               source="1A", consent="given", decision="referral",
                               decided_at=datetime(*decided, tzinfo=tz))
    contact((2025, 12, 19, 16), (2025, 12, 22, 23, 59))  # Friday to Monday: 1 working day
    contact((2025, 12, 24, 9), (2025, 12, 29, 9))  # over Christmas, Boxing Day and a weekend
    contact((2025, 12, 23, 9), (2025, 12, 29, 9))  # due on Christmas Eve: late
    contact((2026, 3, 31, 23, 30), (2026, 4, 1, 8))  # the last contact of the year, on time
    contact((2026, 4, 1, 0, 30), (2026, 4, 1, 8))  # next year's
    Contact.objects.create(child=kid, received_at=datetime(2025, 6, 2, 9, tzinfo=tz),
                           source="1A", consent="given")  # not yet decided
    assert shown("contacts") == (5, 5, None)
    assert shown("contacts_decided_1wd") == (60.0, 3, 5)


def test_health_of_children_looked_after_for_a_year():
    year_long, new = child("H1"), child("H2")
    episode(year_long, "2024-01-01", "S", end="2025-06-01", rec="X1")
    episode(year_long, "2025-06-01", "P")
    episode(new, "2025-05-01", "S")  # not looked after for 12 months at 31 March
    HealthAssessment.objects.create(child=year_long, kind="development", done_on=d("2025-05-01"))
    DentalCheck.objects.create(child=year_long, checked_on=d("2026-03-31"))
    Immunisation.objects.create(child=year_long, checked_on=d("2025-05-01"), up_to_date=True)
    Immunisation.objects.create(child=year_long, checked_on=d("2025-09-01"), up_to_date=False)
    for kind in ("review", "initial"):
        HealthAssessment.objects.create(child=new, kind=kind, done_on=d("2025-06-01"))
    assert shown("health_assessments") == (0.0, 0, 1)  # a development check is not one
    assert shown("dental_checks") == (100.0, 1, 1)
    assert shown("immunisations") == (0.0, 0, 1)  # the latest check in the year says not
    HealthAssessment.objects.create(child=year_long, kind="review", done_on=d("2025-04-01"))
    assert shown("health_assessments") == (100.0, 1, 1)


def test_court_timescales():
    a, b, c = child("C1"), child("C2"), child("C3")
    PreProceedings.objects.create(child=a, started_on=d("2025-12-08"))  # 16 weeks: 30 March
    PreProceedings.objects.create(child=b, started_on=d("2025-12-10"))  # due 1 April
    PreProceedings.objects.create(child=c, started_on=d("2025-06-01"), ended_on=d("2025-09-01"),
                                  outcome="proceedings")
    on_time = CareProceedings.objects.create(
        child=c, issued_on=d("2025-06-02"), court="Family Court", application="care",
        concluded_on=d("2025-12-01"), final_order="C2")  # 26 weeks to the day: 182 days
    CareProceedings.objects.create(child=a, issued_on=d("2024-10-01"), court="Family Court",
                                   application="care", concluded_on=d("2025-05-01"),
                                   final_order="C2")  # 212 days
    assert shown("pre_proceedings_past_16wks") == (50.0, 1, 2)
    assert shown("proceedings_within_26wks") == (50.0, 1, 2)
    assert shown("proceedings_duration_days") == (197.0, 394, 2)
    hearing = Hearing.objects.create(child=c, proceedings=on_time, held_on=d("2025-06-10"),
                                     kind="CMH")
    for due, complied in (("2025-07-01", "2025-07-01"), ("2025-07-01", "2025-07-02"),
                          ("2025-08-01", None)):
        CourtDirection.objects.create(child=c, hearing=hearing, direction="File evidence",
                                      due_on=d(due), complied_on=d(complied) if complied else None,
                                      met=True if complied else None)
    assert shown("directions_on_time") == (33.3, 1, 3)


def test_child_protection_visits_in_time_at_31_march():
    # 10 working days before Tuesday 31 March 2026 is Tuesday 17 March.
    cases = {"P1": ("2026-01-05", [("2026-03-17", True)]),
             "P2": ("2026-01-05", [("2026-03-16", True)]),
             "P3": ("2026-03-20", []),  # no visit yet, but not yet due either
             "P4": ("2026-01-05", [("2026-03-10", True), ("2026-03-25", False)])}
    for name, (started, visits) in cases.items():
        kid = child(name)
        plan = ChildProtectionPlan.objects.create(child=kid, started_on=d(started),
                                                  initial_category_of_abuse="NEG")
        for day, seen in visits:
            Visit.objects.create(child=kid, kind="CP", protection_plan=plan,
                                 visited_on=d(day), child_seen=seen)
    assert shown("cp_visits_in_time") == (50.0, 2, 4)
    assert {c.la_child_id for c in indicators.members("cp_visits_in_time", YEAR).numerator} \
        == {"P1", "P3"}


def test_statutory_visits_in_time_restart_with_a_new_placement(social_worker):
    # At 31 March 2026: seen since 17 February (6 weeks), or placed since 24 March (a week).
    cases = {"V1": ([], [("2026-02-17", True)]),
             "V2": ([], [("2026-02-16", True)]),
             "V3": (["2026-03-24"], [("2026-03-01", True)]),
             "V4": (["2026-03-23"], [("2026-03-01", True), ("2026-03-25", False)])}
    for name, (moves, visits) in cases.items():
        kid = child(name)
        starts = ["2025-01-01", *moves]
        for i, start in enumerate(starts):
            last = i == len(starts) - 1
            episode(kid, start, "S" if i == 0 else "P", end="" if last else starts[i + 1],
                    rec="" if last else "X1")
        for day, seen in visits:
            StatutoryVisit.objects.create(child=kid, visited_on=d(day), seen=seen,
                                          seen_alone=False, by=social_worker)
    assert shown("cla_visits_in_time") == (50.0, 2, 4)
    assert {c.la_child_id for c in indicators.members("cla_visits_in_time", YEAR).numerator} \
        == {"V1", "V3"}


def test_reviews_in_time_by_the_first_second_and_later_limits():
    # At 31 March 2026: a first review is due within 20 working days of coming in (so in time
    # from 3 March), a second within 3 months of the first (31 December), later ones within
    # 6 months of the last (1 October).
    cases = {"R1": ("2026-03-03", []), "R2": ("2026-03-02", []),
             "R3": ("2025-01-01", ["2025-01-20", "2025-12-31"]),
             "R4": ("2025-11-01", ["2025-11-20"]),
             "R5": ("2025-01-01", ["2025-01-20", "2025-04-20", "2025-09-30"])}
    for name, (came_in, reviews) in cases.items():
        kid = child(name)
        episode(kid, came_in, "S")
        for day in reviews:
            CLAReview.objects.create(child=kid, held_on=d(day), participation="PN1")
    assert shown("cla_reviews_in_time") == (40.0, 2, 5)
    assert {c.la_child_id for c in indicators.members("cla_reviews_in_time", YEAR).numerator} \
        == {"R1", "R3"}


def test_first_core_groups_within_10_working_days():
    # From Friday 19 December 2025 (day 0), 10 working days over Christmas: 7 January 2026.
    for i, held in enumerate(("2026-01-07", "2026-01-08", None)):
        kid = child(f"CG{i}")
        plan = ChildProtectionPlan.objects.create(child=kid, started_on=d("2025-12-19"),
                                                  initial_category_of_abuse="NEG")
        if held:
            CoreGroupMeeting.objects.create(child=kid, plan=plan, held_on=d(held))
    assert shown("cp_first_core_group_10wd") == (33.3, 1, 3)


def test_the_command_writes_every_indicator_as_json(tmp_path):
    kid = child("J")
    episode(kid, "2025-01-10", "S")
    out = tmp_path / "out.json"
    call_command("indicators", year=2026, json=out)
    written = json.loads(out.read_text())
    assert set(REQUIRED) <= set(written)
    assert written["cla_31mar"]["value"] == 1
    assert written["cla_31mar"]["numerator"] == 1 and written["cla_31mar"]["denominator"] is None
    assert written["cin_referrals"]["breakdown"] == {"source": {}}
    assert "short breaks" in written["cla_31mar"]["definition"]
    call_command("indicators", as_of=d("2025-01-09"), json=out)  # the day before she came in
    assert json.loads(out.read_text())["cla_31mar"]["value"] == 0
    with pytest.raises(CommandError, match="Give --year"):
        call_command("indicators", json=out)
