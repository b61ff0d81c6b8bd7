"""Every default timescale rule (core/rules.py) on the real models and the facts the apps register.

Each rule gets a child whose facts meet it on time, one late, one not yet done (due, due soon or
overdue), and, where the rule repeats, a second and third occurrence. Due dates are written out
by hand; working days skip weekends and the England and Wales bank holidays, which in the years
used here are:
  2025: Thu 25 Dec, Fri 26 Dec
  2026: Thu 1 Jan, Fri 3 Apr (Good Friday), Mon 6 Apr (Easter Monday), Mon 4 May, Mon 25 May,
        Mon 31 Aug, Fri 25 Dec, Mon 28 Dec (Boxing Day observed)
  2027: Fri 1 Jan
The engine counts the start day as day 0.
"""

from datetime import date, datetime

import pytest
from django.utils import timezone

import support
from cairn.care.models import (
    CLAReview,
    HealthAssessment,
    LookedAfterEpisode,
    MissingEpisode,
    PersonalEducationPlan,
    ReturnHomeInterview,
    StatutoryVisit,
)
from cairn.core.rules import DEFAULT_RULES
from cairn.core.timescales import Status, evaluate
from cairn.fostering.models import PrivateFosteringArrangement, PrivateFosteringVisit
from cairn.frontdoor.models import (
    Contact,
    EarlyHelpAssessment,
    EarlyHelpEpisode,
    EarlyHelpPlan,
    EarlyHelpReview,
    Referral,
)
from cairn.leaving_care.models import (
    LeavingCareEligibility,
    PathwayPlan,
    PathwayPlanReview,
    PersonalAdviserContact,
)
from cairn.legal import selectors as legal_selectors
from cairn.legal.models import (
    CareProceedings,
    PreProceedings,
    PreProceedingsReview,
    ProceedingsExtension,
)
from cairn.people.models import Person
from cairn.protection.models import (
    Assessment,
    AssessmentUpdate,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    CINPlanReview,
    CoreGroupMeeting,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
)

pytestmark = pytest.mark.django_db

MET, LATE, MISSED = Status.MET, Status.LATE, Status.MISSED
OVERDUE, DUE_SOON, DUE = Status.OVERDUE, Status.DUE_SOON, Status.DUE


@pytest.fixture
def worker(db):
    return support.make_staff("vic_visitor")


def child(born: date = date(2015, 6, 1)):
    return support.make_child("Sky", birth_date=born)


def dues(kid, code: str, today: date) -> list[tuple]:
    """(sequence, due on, met on, status) of every occurrence of one rule for one child."""
    return [(d.sequence, d.due_on, d.met_on, d.status)
            for d in evaluate([kid.pk], today=today) if d.rule.code == code]


def moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def test_every_default_rule_is_loaded_and_has_a_test_here():
    from cairn.core.models import TimescaleRule

    codes = {r["code"] for r in DEFAULT_RULES}
    assert set(TimescaleRule.objects.values_list("code", flat=True)) >= codes
    tested = {name.removeprefix("test_").split("__")[0].replace("_", "-")
              for name in globals() if name.startswith("test_")}
    assert codes <= tested, codes - tested


# Front door -----------------------------------------------------------------------------------

# A contact received on Thu 2 Apr 2026: Good Friday (3 Apr) and Easter Monday (6 Apr) are not
# working days, so one working day later is Tue 7 Apr 2026.
CONTACT_DUE = date(2026, 4, 7)


@pytest.mark.parametrize("decided, today, expected", [
    (date(2026, 4, 7), date(2026, 5, 1), (date(2026, 4, 7), MET)),
    (date(2026, 4, 8), date(2026, 5, 1), (date(2026, 4, 8), LATE)),
    (None, date(2026, 4, 2), (None, DUE_SOON)),
    (None, date(2026, 4, 8), (None, OVERDUE)),
])
def test_contact_decision(decided, today, expected):
    kid = child()
    Contact.objects.create(
        child=kid, received_at=moment(date(2026, 4, 2)), source="6", concerns="Police report",
        consent="given", decision="referral" if decided else "",
        decided_at=moment(decided, 16) if decided else None)
    assert dues(kid, "contact-decision", today) == [(1, CONTACT_DUE, *expected)]


# A referral received on Mon 1 Dec 2025. 45 working days: 2-5 Dec (4), 8-12 (9), 15-19 (14),
# 22-24 (17; 25 and 26 Dec are bank holidays), 29-31 (20), 1 Jan is a bank holiday, 2 Jan (21),
# 5-9 Jan (26), 12-16 (31), 19-23 (36), 26-30 (41), 2-5 Feb (45): Thu 5 Feb 2026.
ASSESSMENT_DUE = date(2026, 2, 5)


@pytest.mark.parametrize("authorised, today, expected", [
    (date(2026, 2, 5), date(2026, 3, 1), [(1, ASSESSMENT_DUE, date(2026, 2, 5), MET)]),
    (date(2026, 2, 6), date(2026, 3, 1), [(1, ASSESSMENT_DUE, date(2026, 2, 6), LATE)]),
    (None, date(2025, 12, 2), [(1, ASSESSMENT_DUE, None, DUE)]),
    (None, date(2026, 1, 30), [(1, ASSESSMENT_DUE, None, DUE_SOON)]),
    (None, date(2026, 2, 6), [(1, ASSESSMENT_DUE, None, OVERDUE)]),
])
def test_assessment(authorised, today, expected):
    kid = child()
    referral = Referral.objects.create(child=kid, received_on=date(2025, 12, 1), source="2A")
    Assessment.objects.create(child=kid, referral=referral, started_on=date(2025, 12, 2),
                              submitted_on=authorised, authorised_on=authorised)
    assert dues(kid, "assessment", today) == expected


def test_assessment__no_clock_on_a_referral_with_no_further_action():
    kid = child()
    Referral.objects.create(child=kid, received_on=date(2025, 12, 1), source="2A", nfa=True)
    assert dues(kid, "assessment", date(2026, 3, 1)) == []


def test_assessment__a_referral_closed_for_any_reason_stops_its_clock():
    # Closed before the due date with no assessment authorised (the family moved away): no
    # longer due, and never overdue however long after.
    kid = child()
    Referral.objects.create(child=kid, received_on=date(2025, 12, 1), source="2A",
                            closed_on=date(2026, 1, 9), closure_reason="RC5")
    assert dues(kid, "assessment", date(2026, 3, 1)) == []
    # Closed after it fell due and was never done: missed, not overdue forever.
    other = child()
    Referral.objects.create(child=other, received_on=date(2025, 12, 1), source="2A",
                            closed_on=date(2026, 2, 20), closure_reason="RC5")
    assert dues(other, "assessment", date(2026, 3, 1)) == [(1, ASSESSMENT_DUE, None, MISSED)]


def test_assessment__closing_one_referral_leaves_the_others_clock_running():
    kid = child()
    Referral.objects.create(child=kid, received_on=date(2025, 12, 1), source="2A",
                            closed_on=date(2026, 1, 9), closure_reason="RC5")
    Referral.objects.create(child=kid, received_on=date(2026, 1, 5), source="6")
    assert dues(kid, "assessment", date(2026, 3, 10)) == [(1, date(2026, 3, 9), None, OVERDUE)]


def test_assessment__each_referral_has_its_own_clock():
    kid = child()
    # One CIN episode at a time (CIN 8815): the first closes after its assessment.
    first = Referral.objects.create(child=kid, received_on=date(2025, 12, 1), source="2A",
                                    closed_on=date(2026, 1, 2), closure_reason="RC8")
    Referral.objects.create(child=kid, received_on=date(2026, 1, 5), source="6")
    # The first referral's assessment must not answer the second's clock.
    Assessment.objects.create(child=kid, referral=first, started_on=date(2025, 12, 1),
                              submitted_on=date(2026, 1, 2), authorised_on=date(2026, 1, 2))
    # Mon 5 Jan 2026 + 45 WD: 6-9 Jan (4), then 8 full weeks to Fri 6 Mar (44), Mon 9 Mar (45).
    assert dues(kid, "assessment", date(2026, 3, 10)) == [
        (1, ASSESSMENT_DUE, date(2026, 1, 2), MET),
        (1, date(2026, 3, 9), None, OVERDUE)]


# Protection -----------------------------------------------------------------------------------

# A strategy discussion on Mon 15 Dec 2025 agrees a section 47 enquiry. 15 working days:
# 16-19 Dec (4), 22-24 (7; 25, 26 Dec are bank holidays), 29-31 (10; 1 Jan is one), 2 Jan (11),
# 5-8 Jan (15): Thu 8 Jan 2026.
ICPC_DUE = date(2026, 1, 8)


def _strategy(kid):
    discussion = StrategyDiscussion.objects.create(
        child=kid, held_on=date(2025, 12, 15), agencies_present="Police, health, school",
        decision="Section 47 enquiry", s47_agreed=True)
    return discussion, Section47Enquiry.objects.create(
        child=kid, strategy_discussion=discussion, started_on=date(2025, 12, 15))


@pytest.mark.parametrize("held, today, expected", [
    (date(2026, 1, 8), date(2026, 2, 1), [(1, ICPC_DUE, date(2026, 1, 8), MET)]),
    (date(2026, 1, 9), date(2026, 2, 1), [(1, ICPC_DUE, date(2026, 1, 9), LATE)]),
    (None, date(2025, 12, 16), [(1, ICPC_DUE, None, DUE)]),
    (None, date(2026, 1, 9), [(1, ICPC_DUE, None, OVERDUE)]),
])
def test_icpc(held, today, expected):
    kid = child()
    _, enquiry = _strategy(kid)
    if held:
        ChildProtectionConference.objects.create(child=kid, kind="initial", held_on=held,
                                                 section47=enquiry, outcome="plan")
    assert dues(kid, "icpc", today) == expected


def test_icpc__a_conference_found_not_required_stops_the_clock():
    kid = child()
    _, enquiry = _strategy(kid)
    enquiry.icpc_not_required, enquiry.outcome = True, "cin"
    enquiry.completed_on = date(2025, 12, 22)
    enquiry.save()
    assert dues(kid, "icpc", date(2026, 2, 1)) == []


def test_icpc__a_strategy_discussion_without_a_section_47_starts_no_clock():
    kid = child()
    StrategyDiscussion.objects.create(child=kid, held_on=date(2025, 12, 15),
                                      agencies_present="Police", decision="Single assessment")
    assert dues(kid, "icpc", date(2026, 2, 1)) == []


def _plan(kid, started=date(2026, 3, 9), ended=None):
    return ChildProtectionPlan.objects.create(
        child=kid, started_on=started, initial_category_of_abuse="NEG", ended_on=ended,
        end_reason="safe" if ended else "")


# A plan started on Mon 9 Mar 2026. 10 working days: 10-13 Mar (4), 16-20 (9), 23 (10):
# Mon 23 Mar 2026.
CORE_GROUP_DUE = date(2026, 3, 23)


@pytest.mark.parametrize("held, today, expected", [
    (date(2026, 3, 23), date(2026, 4, 30), [(1, CORE_GROUP_DUE, date(2026, 3, 23), MET)]),
    (date(2026, 3, 24), date(2026, 4, 30), [(1, CORE_GROUP_DUE, date(2026, 3, 24), LATE)]),
    (None, date(2026, 3, 16), [(1, CORE_GROUP_DUE, None, DUE_SOON)]),
    (None, date(2026, 3, 24), [(1, CORE_GROUP_DUE, None, OVERDUE)]),
])
def test_first_core_group(held, today, expected):
    kid = child()
    plan = _plan(kid)
    if held:
        CoreGroupMeeting.objects.create(child=kid, plan=plan, held_on=held)
        # Later core groups do not make a second occurrence: the rule is the first one only.
        CoreGroupMeeting.objects.create(child=kid, plan=plan, held_on=date(2026, 4, 20))
    assert dues(kid, "first-core-group", today) == expected


def test_first_core_group__missed_when_the_plan_ends_after_the_due_date():
    kid = child()
    _plan(kid, ended=date(2026, 4, 1))
    assert dues(kid, "first-core-group", date(2026, 4, 30)) == [
        (1, CORE_GROUP_DUE, None, MISSED)]


def test_review_conference():
    kid = child()
    plan = _plan(kid)  # Mon 9 Mar 2026
    for held in (date(2026, 6, 5), date(2026, 12, 10)):
        ChildProtectionConference.objects.create(child=kid, kind="review", held_on=held,
                                                 plan=plan, outcome="continue")
    # First within 3 months of the plan: 9 Jun 2026, met on 5 Jun. Then 6 months from the
    # review actually held: 5 Dec 2026, held 10 Dec (late). Then 6 months from 10 Dec.
    expected = [(1, date(2026, 6, 9), date(2026, 6, 5), MET),
                (2, date(2026, 12, 5), date(2026, 12, 10), LATE)]
    assert dues(kid, "review-conference", date(2027, 1, 4)) == [
        *expected, (3, date(2027, 6, 10), None, DUE)]
    assert dues(kid, "review-conference", date(2027, 6, 11)) == [
        *expected, (3, date(2027, 6, 10), None, OVERDUE)]


def test_review_conference__the_plan_ending_stops_the_clock():
    kid = child()
    plan = _plan(kid, ended=date(2026, 8, 1))
    ChildProtectionConference.objects.create(child=kid, kind="review", held_on=date(2026, 6, 5),
                                             plan=plan, outcome="end")
    assert dues(kid, "review-conference", date(2027, 1, 4)) == [
        (1, date(2026, 6, 9), date(2026, 6, 5), MET)]


def test_cp_visit(worker):
    kid = child()
    plan = _plan(kid)  # Mon 9 Mar 2026: first visit due Mon 23 Mar (10 WD, as the core group)
    for visited in (date(2026, 3, 20), date(2026, 4, 8)):
        Visit.objects.create(child=kid, kind="CP", protection_plan=plan, visited_on=visited,
                             visited_by=worker, child_seen=True)
    # From Fri 20 Mar: 23-27 Mar (5), 30 Mar-2 Apr (9), 3 and 6 Apr are Good Friday and Easter
    # Monday, 7 Apr (10): Tue 7 Apr 2026; the visit on 8 Apr is late.
    # From Wed 8 Apr: 9-10 Apr (2), 13-17 (7), 20-22 (10): Wed 22 Apr 2026.
    expected = [(1, date(2026, 3, 23), date(2026, 3, 20), MET),
                (2, date(2026, 4, 7), date(2026, 4, 8), LATE)]
    assert dues(kid, "cp-visit", date(2026, 4, 10)) == [
        *expected, (3, date(2026, 4, 22), None, DUE)]
    assert dues(kid, "cp-visit", date(2026, 4, 15)) == [
        *expected, (3, date(2026, 4, 22), None, DUE_SOON)]
    assert dues(kid, "cp-visit", date(2026, 4, 23)) == [
        *expected, (3, date(2026, 4, 22), None, OVERDUE)]


def test_cp_visit__visits_on_a_child_in_need_plan_do_not_count(worker):
    kid = child()
    plan = _plan(kid)
    referral = Referral.objects.create(child=kid, received_on=date(2026, 3, 1), source="2A")
    cin = CINPlan.objects.create(child=kid, referral=referral, started_on=date(2026, 3, 2))
    Visit.objects.create(child=kid, kind="CIN", cin_plan=cin, visited_on=date(2026, 3, 20),
                         visited_by=worker, child_seen=True)
    assert dues(kid, "cp-visit", date(2026, 3, 24)) == [(1, date(2026, 3, 23), None, OVERDUE)]
    assert plan.pk


# Children looked after ------------------------------------------------------------------------

def _episode(kid, started, rne="S", ended=None, reason_ceased=""):
    return LookedAfterEpisode.objects.create(
        child=kid, started_on=started, reason_new_episode=rne, legal_status="C2",
        category_of_need="N1", placement_type="U4", placement_provider="PR1",
        ended_on=ended, reason_ceased=reason_ceased)


def test_cla_review():
    kid = child()
    _episode(kid, date(2025, 12, 1))  # Mon 1 Dec 2025
    for held in (date(2025, 12, 31), date(2026, 4, 2), date(2026, 10, 1)):
        CLAReview.objects.create(child=kid, held_on=held, participation="PN1")
    # First review within 20 working days: 2-5 Dec (4), 8-12 (9), 15-19 (14), 22-24 (17; 25 and
    # 26 Dec are bank holidays), 29-31 (20): Wed 31 Dec 2025, met that day.
    # Second within 3 months of the first: 31 Mar 2026; held 2 Apr (late).
    # Then every 6 months from the review held: 2 Oct 2026 (met on 1 Oct), then 1 Apr 2027.
    expected = [(1, date(2025, 12, 31), date(2025, 12, 31), MET),
                (2, date(2026, 3, 31), date(2026, 4, 2), LATE),
                (3, date(2026, 10, 2), date(2026, 10, 1), MET)]
    assert dues(kid, "cla-review", date(2026, 11, 1)) == [
        *expected, (4, date(2027, 4, 1), None, DUE)]
    assert dues(kid, "cla-review", date(2027, 4, 2)) == [
        *expected, (4, date(2027, 4, 1), None, OVERDUE)]


def test_cla_review__ceasing_to_be_looked_after_stops_the_clock():
    kid = child()
    _episode(kid, date(2025, 12, 1), ended=date(2025, 12, 19), reason_ceased="E4A")
    assert dues(kid, "cla-review", date(2026, 6, 1)) == []


def test_cla_review__a_change_of_placement_does_not_restart_it():
    kid = child()
    _episode(kid, date(2025, 12, 1), ended=date(2025, 12, 10), reason_ceased="X1")
    _episode(kid, date(2025, 12, 10), rne="P")
    assert dues(kid, "cla-review", date(2026, 1, 2)) == [(1, date(2025, 12, 31), None, OVERDUE)]


def test_cla_visit__restarts_at_each_placement(worker):
    kid = child()
    _episode(kid, date(2025, 12, 1), ended=date(2026, 2, 10), reason_ceased="X1")
    _episode(kid, date(2026, 2, 10), rne="P")
    for visited in (date(2025, 12, 8), date(2026, 1, 20), date(2026, 2, 16)):
        StatutoryVisit.objects.create(child=kid, visited_on=visited, seen=True, seen_alone=True,
                                      by=worker)
    # First placement from Mon 1 Dec 2025: within 7 days, 8 Dec (met); then at most 6 weeks from
    # the visit: 19 Jan 2026, visited 20 Jan (late); the next (3 Mar) is overtaken by the move
    # on 10 Feb, so it is not listed. The new placement restarts the clock: 7 days, 17 Feb
    # (visited 16 Feb), then 6 weeks from 16 Feb: 30 Mar 2026.
    expected = [(1, date(2025, 12, 8), date(2025, 12, 8), MET),
                (2, date(2026, 1, 19), date(2026, 1, 20), LATE),
                (1, date(2026, 2, 17), date(2026, 2, 16), MET)]
    assert dues(kid, "cla-visit", date(2026, 3, 1)) == [
        *expected, (2, date(2026, 3, 30), None, DUE)]
    assert dues(kid, "cla-visit", date(2026, 3, 31)) == [
        *expected, (2, date(2026, 3, 30), None, OVERDUE)]


def test_cla_visit__a_change_of_legal_status_alone_does_not_restart_it(worker):
    kid = child()
    _episode(kid, date(2025, 12, 1), ended=date(2025, 12, 5), reason_ceased="X1")
    LookedAfterEpisode.objects.create(
        child=kid, started_on=date(2025, 12, 5), reason_new_episode="L", legal_status="C1",
        category_of_need="N1", placement_type="U4", placement_provider="PR1")
    assert dues(kid, "cla-visit", date(2025, 12, 9)) == [(1, date(2025, 12, 8), None, OVERDUE)]


# Looked after from Mon 1 Dec 2025: 20 working days is Wed 31 Dec 2025 (as the first review).
@pytest.mark.parametrize("done, today, expected", [
    (date(2025, 12, 31), date(2026, 2, 1), [(1, date(2025, 12, 31), date(2025, 12, 31), MET)]),
    (date(2026, 1, 2), date(2026, 2, 1), [(1, date(2025, 12, 31), date(2026, 1, 2), LATE)]),
    (None, date(2025, 12, 2), [(1, date(2025, 12, 31), None, DUE)]),
    (None, date(2026, 1, 2), [(1, date(2025, 12, 31), None, OVERDUE)]),
])
def test_initial_health(done, today, expected):
    kid = child()
    _episode(kid, date(2025, 12, 1))
    if done:
        HealthAssessment.objects.create(child=kid, kind="initial", done_on=done)
    assert dues(kid, "initial-health", today) == expected


def test_initial_health__missed_when_care_ends_after_the_due_date():
    kid = child()
    _episode(kid, date(2025, 12, 1), ended=date(2026, 1, 15), reason_ceased="E4A")
    assert dues(kid, "initial-health", date(2026, 2, 1)) == [
        (1, date(2025, 12, 31), None, MISSED)]


def _health(kid, kind, *days):
    for day in days:
        HealthAssessment.objects.create(child=kid, kind=kind, done_on=day)


def test_review_health_under_5():
    kid = child(born=date(2023, 6, 1))  # 2 at the initial assessment, under 5 throughout
    _episode(kid, date(2025, 11, 1))
    _health(kid, "initial", date(2025, 12, 10))
    _health(kid, "review", date(2026, 6, 1), date(2026, 12, 5))
    # Every 6 months from the last assessment: 10 Jun 2026 (met 1 Jun), 1 Dec 2026 (done 5 Dec,
    # late), then 5 Jun 2027.
    expected = [(1, date(2026, 6, 10), date(2026, 6, 1), MET),
                (2, date(2026, 12, 1), date(2026, 12, 5), LATE)]
    assert dues(kid, "review-health-under-5", date(2027, 1, 4)) == [
        *expected, (3, date(2027, 6, 5), None, DUE)]
    assert dues(kid, "review-health-under-5", date(2027, 6, 1)) == [
        *expected, (3, date(2027, 6, 5), None, DUE_SOON)]
    assert dues(kid, "review-health-5-plus", date(2027, 1, 4)) == []


def test_review_health_5_plus():
    kid = child(born=date(2015, 6, 1))
    _episode(kid, date(2025, 11, 1))
    _health(kid, "initial", date(2025, 12, 10))
    _health(kid, "review", date(2026, 12, 10), date(2027, 12, 20))
    # Yearly from the last assessment: 10 Dec 2026 (met that day), 10 Dec 2027 (done 20 Dec,
    # late), then 20 Dec 2028.
    expected = [(1, date(2026, 12, 10), date(2026, 12, 10), MET),
                (2, date(2027, 12, 10), date(2027, 12, 20), LATE)]
    assert dues(kid, "review-health-5-plus", date(2028, 1, 4)) == [
        *expected, (3, date(2028, 12, 20), None, DUE)]
    assert dues(kid, "review-health-5-plus", date(2028, 12, 21)) == [
        *expected, (3, date(2028, 12, 20), None, OVERDUE)]
    assert dues(kid, "review-health-under-5", date(2028, 1, 4)) == []


def test_review_health__the_interval_follows_the_age_on_the_due_date():
    kid = child(born=date(2021, 6, 1))  # 4 at the initial assessment, 5 from 1 Jun 2026
    _episode(kid, date(2025, 11, 1))
    _health(kid, "initial", date(2025, 12, 10))
    _health(kid, "review", date(2026, 6, 1))
    # Six months on from 10 Dec 2025 is 10 Jun 2026, when the child is already 5: the review
    # falls under the yearly rule, due 10 Dec 2026 (done early, 1 Jun). The next is a year on,
    # 1 Jun 2027. The under-5 rule has nothing due: the child is 5 by its due date.
    today = date(2026, 7, 1)
    assert dues(kid, "review-health-under-5", today) == []
    assert dues(kid, "review-health-5-plus", today) == [
        (1, date(2026, 12, 10), date(2026, 6, 1), MET), (2, date(2027, 6, 1), None, DUE)]


def test_review_health__under_5_while_the_review_falls_due_before_the_birthday():
    kid = child(born=date(2021, 6, 1))
    _episode(kid, date(2025, 9, 1))
    _health(kid, "initial", date(2025, 10, 1))  # six months on, 1 Apr 2026: still 4
    assert dues(kid, "review-health-under-5", date(2026, 3, 1)) == [
        (1, date(2026, 4, 1), None, DUE)]
    # A year from the last assessment the child is 5: the yearly limit is due then too, in
    # case the six-monthly review is never done.
    assert dues(kid, "review-health-5-plus", date(2026, 3, 1)) == [
        (1, date(2026, 10, 1), None, DUE)]
    _health(kid, "review", date(2026, 3, 25))
    # Done at 4: six months on is past the fifth birthday, so the next is a year on.
    assert dues(kid, "review-health-under-5", date(2026, 4, 1)) == [
        (1, date(2026, 4, 1), date(2026, 3, 25), MET)]
    assert dues(kid, "review-health-5-plus", date(2026, 4, 1)) == [
        (1, date(2026, 10, 1), date(2026, 3, 25), MET), (2, date(2027, 3, 25), None, DUE)]


def test_pep():
    kid = child(born=date(2015, 6, 1))  # 10
    _episode(kid, date(2025, 12, 1))
    for held in (date(2025, 12, 15), date(2026, 4, 20)):
        PersonalEducationPlan.objects.create(child=kid, held_on=held)
    # First within 20 working days: Wed 31 Dec 2025 (met on 15 Dec). Then one a term: 15 Dec is
    # in the autumn term, so the next is due by the end of the spring term, 15 Apr 2026 (held
    # 20 Apr, late). 20 Apr is in the summer term, so the next is due by the end of the autumn
    # term, 31 Dec 2026.
    expected = [(1, date(2025, 12, 31), date(2025, 12, 15), MET),
                (2, date(2026, 4, 15), date(2026, 4, 20), LATE)]
    assert dues(kid, "pep", date(2026, 9, 1)) == [*expected, (3, date(2026, 12, 31), None, DUE)]
    assert dues(kid, "pep", date(2027, 1, 1)) == [
        *expected, (3, date(2026, 12, 31), None, OVERDUE)]


def test_pep__a_child_who_came_into_care_at_3_is_due_one_at_4():
    kid = child(born=date(2022, 6, 1))  # 3 when care starts on 1 Dec 2025, 4 on 1 Jun 2026
    _episode(kid, date(2025, 12, 1))
    # Nothing is due while the child is 3, though the 20 working days from care have passed.
    assert dues(kid, "pep", date(2026, 5, 31)) == []
    # From the fourth birthday (Mon 1 Jun 2026) the rule applies, and its first limit counts
    # from that day: 20 working days is Mon 29 Jun 2026.
    assert dues(kid, "pep", date(2026, 6, 1)) == [(1, date(2026, 6, 29), None, DUE)]
    assert dues(kid, "pep", date(2026, 9, 1)) == [(1, date(2026, 6, 29), None, OVERDUE)]
    PersonalEducationPlan.objects.create(child=kid, held_on=date(2026, 6, 20))
    # Met; then one a term: 20 Jun is in the summer term, next due by 31 Dec 2026.
    assert dues(kid, "pep", date(2026, 9, 1)) == [
        (1, date(2026, 6, 29), date(2026, 6, 20), MET), (2, date(2026, 12, 31), None, DUE)]


def test_pep__not_for_young_people_of_16():
    kid = child(born=date(2009, 6, 1))  # 16 when care starts
    _episode(kid, date(2025, 12, 1))
    assert dues(kid, "pep", date(2026, 9, 1)) == []


def test_pep__none_falls_due_after_the_16th_birthday():
    kid = child(born=date(2010, 3, 1))  # 15 when care starts, 16 on 1 Mar 2026
    _episode(kid, date(2025, 12, 1))
    PersonalEducationPlan.objects.create(child=kid, held_on=date(2025, 12, 15))
    # Met in the autumn term; the next would be due by 15 Apr 2026, when the young person is
    # 16: none is due (the engine used to ask the age on the day the clock started, 15).
    assert dues(kid, "pep", date(2026, 9, 1)) == [
        (1, date(2025, 12, 31), date(2025, 12, 15), MET)]


def _missing(kid, returned):
    return MissingEpisode.objects.create(child=kid, kind="M", started_at=moment(returned, 8),
                                         ended_at=moment(returned, 22))


def test_return_interview__each_episode_has_its_own_clock():
    kid = child()
    first, second, third = (_missing(kid, day) for day in
                            (date(2026, 3, 6), date(2026, 3, 13), date(2026, 3, 20)))
    # 72 hours from a return at 22:00 on Fri 6 Mar: 22:00 Mon 9 Mar (offered 7 Mar, met); from
    # Fri 13 Mar: Mon 16 Mar, offered 17 Mar (late); from Fri 20 Mar: Mon 23 Mar, not offered.
    ReturnHomeInterview.objects.create(missing_episode=first, offered_on=date(2026, 3, 7),
                                       accepted=True, held_on=date(2026, 3, 9))
    ReturnHomeInterview.objects.create(missing_episode=second, offered_on=date(2026, 3, 17),
                                       accepted=True, held_on=date(2026, 3, 17))
    expected = [(1, date(2026, 3, 9), date(2026, 3, 7), MET),
                (1, date(2026, 3, 16), date(2026, 3, 17), LATE)]
    assert dues(kid, "return-interview", date(2026, 3, 21)) == [
        *expected, (1, date(2026, 3, 23), None, DUE_SOON)]
    assert dues(kid, "return-interview", date(2026, 3, 24)) == [
        *expected, (1, date(2026, 3, 23), None, OVERDUE)]
    assert third.pk


def test_return_interview__72_hours_counted_by_the_time_of_day():
    kid = child()
    # Back at 08:00 on Mon 2 Mar 2026: the offer is due by 08:00 on Thu 5 Mar, not the end of
    # that day.
    MissingEpisode.objects.create(child=kid, kind="M", started_at=moment(date(2026, 3, 1), 20),
                                  ended_at=moment(date(2026, 3, 2), 8))
    due_at = moment(date(2026, 3, 5), 8)

    def at(day, hour):
        return [(d.due_on, d.due_at, d.status) for d in evaluate([kid.pk], now=moment(day, hour))
                if d.rule.code == "return-interview"]

    assert at(date(2026, 3, 5), 7) == [(date(2026, 3, 5), due_at, DUE_SOON)]
    assert at(date(2026, 3, 5), 9) == [(date(2026, 3, 5), due_at, OVERDUE)]


def test_return_interview__an_offer_dated_the_day_the_72_hours_end_is_in_time():
    kid = child()
    episode = MissingEpisode.objects.create(
        child=kid, kind="M", started_at=moment(date(2026, 3, 1), 20),
        ended_at=moment(date(2026, 3, 2), 8))
    # The offer is recorded with a date only: 5 Mar may have been before 08:00 or after, and the
    # record cannot say, so it counts as in time; 6 Mar is late whatever the hour.
    interview = ReturnHomeInterview.objects.create(missing_episode=episode, accepted=False,
                                                   offered_on=date(2026, 3, 5))
    assert dues(kid, "return-interview", date(2026, 3, 20)) == [
        (1, date(2026, 3, 5), date(2026, 3, 5), MET)]
    ReturnHomeInterview.objects.filter(pk=interview.pk).update(offered_on=date(2026, 3, 6))
    assert dues(kid, "return-interview", date(2026, 3, 20)) == [
        (1, date(2026, 3, 5), date(2026, 3, 6), LATE)]


def test_return_interview__no_clock_while_the_child_is_still_missing():
    kid = child()
    MissingEpisode.objects.create(child=kid, kind="M", started_at=moment(date(2026, 3, 6)))
    assert dues(kid, "return-interview", date(2026, 4, 1)) == []


# Care leavers ---------------------------------------------------------------------------------

def test_pathway_plan_review():
    kid = child(born=date(2008, 5, 1))
    plan = PathwayPlan.objects.create(child=kid, made_on=date(2026, 1, 15),
                                      young_person_participated=True)
    for reviewed in (date(2026, 7, 10), date(2027, 1, 20)):
        PathwayPlanReview.objects.create(plan=plan, reviewed_on=reviewed,
                                         young_person_participated=True)
    # Every 6 months from the plan, then from the review held: 15 Jul 2026 (met 10 Jul),
    # 10 Jan 2027 (reviewed 20 Jan, late), then 20 Jul 2027.
    expected = [(1, date(2026, 7, 15), date(2026, 7, 10), MET),
                (2, date(2027, 1, 10), date(2027, 1, 20), LATE)]
    assert dues(kid, "pathway-plan-review", date(2027, 3, 1)) == [
        *expected, (3, date(2027, 7, 20), None, DUE)]
    assert dues(kid, "pathway-plan-review", date(2027, 7, 21)) == [
        *expected, (3, date(2027, 7, 20), None, OVERDUE)]


def test_pathway_plan_review__ends_with_eligibility():
    kid = child(born=date(2008, 5, 1))
    LeavingCareEligibility.objects.create(child=kid, category="former_relevant",
                                          started_on=date(2026, 5, 1), ended_on=date(2026, 6, 1))
    PathwayPlan.objects.create(child=kid, made_on=date(2026, 1, 15),
                               young_person_participated=True)
    assert dues(kid, "pathway-plan-review", date(2026, 8, 1)) == []


def test_pa_contact(personal_adviser):
    kid = child(born=date(2008, 5, 1))
    LeavingCareEligibility.objects.create(child=kid, category="former_relevant",
                                          started_on=date(2026, 6, 1))
    for contacted in (date(2026, 7, 20), date(2026, 9, 15)):
        PersonalAdviserContact.objects.create(child=kid, contacted_on=contacted, in_touch="YES",
                                              adviser=personal_adviser)
    # Every 8 weeks (56 days): from Mon 1 Jun 2026, 27 Jul (met 20 Jul); from 20 Jul, 14 Sep
    # (contacted 15 Sep, late); from 15 Sep, 10 Nov 2026.
    expected = [(1, date(2026, 7, 27), date(2026, 7, 20), MET),
                (2, date(2026, 9, 14), date(2026, 9, 15), LATE)]
    assert dues(kid, "pa-contact", date(2026, 10, 1)) == [
        *expected, (3, date(2026, 11, 10), None, DUE)]
    assert dues(kid, "pa-contact", date(2026, 11, 5)) == [
        *expected, (3, date(2026, 11, 10), None, DUE_SOON)]


def test_pa_contact__a_contact_that_did_not_reach_the_young_person_does_not_count(
        personal_adviser):
    kid = child(born=date(2008, 5, 1))
    LeavingCareEligibility.objects.create(child=kid, category="former_relevant",
                                          started_on=date(2026, 6, 1))
    PersonalAdviserContact.objects.create(child=kid, contacted_on=date(2026, 7, 20),
                                          in_touch="NO", adviser=personal_adviser)
    assert dues(kid, "pa-contact", date(2026, 8, 1)) == [(1, date(2026, 7, 27), None, OVERDUE)]


def test_cla_visit__a_visit_without_seeing_the_child_does_not_count(worker):
    kid = child()
    _episode(kid, date(2025, 12, 1))
    StatutoryVisit.objects.create(child=kid, visited_on=date(2025, 12, 5), seen=False,
                                  seen_alone=False, by=worker)
    assert dues(kid, "cla-visit", date(2025, 12, 9)) == [(1, date(2025, 12, 8), None, OVERDUE)]


# Private fostering ----------------------------------------------------------------------------

def test_private_fostering_visit(worker):
    kid = child()
    carer = Person.objects.create(given_name="Jo", family_name="Friend")
    arrangement = PrivateFosteringArrangement.objects.create(
        child=kid, notified_on=date(2026, 5, 18), started_on=date(2026, 5, 1), carer=carer)
    for visited in (date(2026, 5, 28), date(2026, 7, 9), date(2027, 6, 1)):
        PrivateFosteringVisit.objects.create(arrangement=arrangement, visited_on=visited,
                                             seen=True, seen_alone=True, by=worker)
    # Notified Mon 18 May 2026; 7 working days: 19-22 May (4), 25 May is the spring bank
    # holiday, 26-28 (7): Thu 28 May (met that day). Then at most 6 weeks in the first year:
    # 9 Jul 2026 (met), 20 Aug 2026 (visited 1 Jun 2027, late). From 18 May 2027 (a year on)
    # the interval is 12 weeks: 1 Jun 2027 + 84 days = 24 Aug 2027.
    expected = [(1, date(2026, 5, 28), date(2026, 5, 28), MET),
                (2, date(2026, 7, 9), date(2026, 7, 9), MET),
                (3, date(2026, 8, 20), date(2027, 6, 1), LATE)]
    assert dues(kid, "private-fostering-visit", date(2027, 7, 1)) == [
        *expected, (4, date(2027, 8, 24), None, DUE)]
    assert dues(kid, "private-fostering-visit", date(2027, 8, 25)) == [
        *expected, (4, date(2027, 8, 24), None, OVERDUE)]


def test_private_fostering_visit__the_arrangement_ending_stops_the_clock(worker):
    kid = child()
    carer = Person.objects.create(given_name="Jo", family_name="Friend")
    PrivateFosteringArrangement.objects.create(
        child=kid, notified_on=date(2026, 5, 18), started_on=date(2026, 5, 1), carer=carer,
        ended_on=date(2026, 5, 22), ended_reason="Returned home")
    assert dues(kid, "private-fostering-visit", date(2026, 7, 1)) == []


# Legal ----------------------------------------------------------------------------------------

# Issued Mon 5 Jan 2026: 26 weeks (182 days) is Mon 6 Jul 2026.
@pytest.mark.parametrize("concluded, today, expected", [
    (date(2026, 7, 6), date(2026, 8, 1), (date(2026, 7, 6), MET)),
    (date(2026, 7, 7), date(2026, 8, 1), (date(2026, 7, 7), LATE)),
    (None, date(2026, 3, 1), (None, DUE)),
    (None, date(2026, 7, 7), (None, OVERDUE)),
])
def test_care_proceedings(concluded, today, expected):
    kid = child()
    CareProceedings.objects.create(child=kid, issued_on=date(2026, 1, 5), court="Family Court",
                                   application="care", concluded_on=concluded,
                                   final_order="CO" if concluded else "")
    assert dues(kid, "care-proceedings", today) == [(1, date(2026, 7, 6), *expected)]


def test_a_courts_extension_moves_the_26_week_date():
    # Issued Mon 5 Jan 2026, due Mon 6 Jul 2026; extensions of 8 and 4 weeks: Mon 28 Sep 2026.
    kid = child()
    proceedings = CareProceedings.objects.create(
        child=kid, issued_on=date(2026, 1, 5), court="Family Court", application="care")
    for granted_on, weeks in [(date(2026, 6, 29), 8), (date(2026, 8, 24), 4)]:
        ProceedingsExtension.objects.create(child=kid, proceedings=proceedings,
                                            granted_on=granted_on, weeks=weeks, reason="Expert")
    assert dues(kid, "care-proceedings", date(2026, 7, 7)) == [
        (1, date(2026, 9, 28), None, DUE)]
    # The legal pages ask the engine for the same date.
    assert legal_selectors.proceedings_due(proceedings).due_on == date(2026, 9, 28)


# Started Mon 2 Feb 2026: 16 weeks (112 days) is Mon 25 May 2026, the spring bank holiday
# (calendar weeks are not moved off bank holidays).
@pytest.mark.parametrize("ended, today, expected", [
    (date(2026, 5, 25), date(2026, 6, 1), (date(2026, 5, 25), MET)),
    (date(2026, 5, 26), date(2026, 6, 1), (date(2026, 5, 26), LATE)),
    (None, date(2026, 5, 20), (None, DUE_SOON)),
    (None, date(2026, 5, 26), (None, OVERDUE)),
])
def test_pre_proceedings(ended, today, expected):
    kid = child()
    PreProceedings.objects.create(child=kid, started_on=date(2026, 2, 2), ended_on=ended,
                                  outcome="diverted" if ended else "")
    assert dues(kid, "pre-proceedings", today) == [(1, date(2026, 5, 25), *expected)]


# Started Mon 2 Feb 2026: the first review point is 6 weeks on (Mon 16 Mar 2026), then every 4
# weeks from the review held; none once pre-proceedings end (local practice).
def test_pre_proceedings_review():
    kid = child()
    plo = PreProceedings.objects.create(child=kid, started_on=date(2026, 2, 2))
    assert dues(kid, "pre-proceedings-review", date(2026, 3, 17)) == [
        (1, date(2026, 3, 16), None, OVERDUE)]
    PreProceedingsReview.objects.create(child=kid, pre_proceedings=plo, held_on=date(2026, 3, 18),
                                        progress="Some", decision="continue")
    assert dues(kid, "pre-proceedings-review", date(2026, 4, 1)) == [
        (1, date(2026, 3, 16), date(2026, 3, 18), LATE), (2, date(2026, 4, 15), None, DUE)]
    plo.ended_on, plo.outcome = date(2026, 4, 10), "diverted"
    plo.save()
    assert dues(kid, "pre-proceedings-review", date(2026, 5, 1)) == [
        (1, date(2026, 3, 16), date(2026, 3, 18), LATE)]


# Early help (local practice) ------------------------------------------------------------------

# Started Mon 2 Feb 2026: the assessment is due 30 working days on, Mon 16 Mar 2026.
def test_early_help_assessment():
    kid = child()
    episode = EarlyHelpEpisode.objects.create(child=kid, started_on=date(2026, 2, 2),
                                              organisation="Family Hub")
    assert dues(kid, "early-help-assessment", date(2026, 3, 17)) == [
        (1, date(2026, 3, 16), None, OVERDUE)]
    EarlyHelpAssessment.objects.create(child=kid, episode=episode, started_on=date(2026, 2, 3),
                                       completed_on=date(2026, 3, 10), organisation="Family Hub")
    assert dues(kid, "early-help-assessment", date(2026, 3, 17)) == [
        (1, date(2026, 3, 16), date(2026, 3, 10), MET)]


# A plan agreed Mon 2 Feb 2026 is reviewed within 12 weeks (Mon 27 Apr), then 12 weeks from
# each review; none once the plan ends.
def test_early_help_review():
    kid = child()
    episode = EarlyHelpEpisode.objects.create(child=kid, started_on=date(2026, 1, 5),
                                              organisation="Family Hub")
    plan = EarlyHelpPlan.objects.create(child=kid, episode=episode, started_on=date(2026, 2, 2))
    assert dues(kid, "early-help-review", date(2026, 4, 28)) == [
        (1, date(2026, 4, 27), None, OVERDUE)]
    EarlyHelpReview.objects.create(child=kid, plan=plan, held_on=date(2026, 4, 20),
                                   progress="Better")
    assert dues(kid, "early-help-review", date(2026, 5, 1)) == [
        (1, date(2026, 4, 27), date(2026, 4, 20), MET), (2, date(2026, 7, 13), None, DUE)]
    plan.ended_on = date(2026, 6, 1)
    plan.save()
    assert dues(kid, "early-help-review", date(2026, 8, 1)) == [
        (1, date(2026, 4, 27), date(2026, 4, 20), MET)]


# Assessment and child in need (local practice) ------------------------------------------------

# A significant event on Mon 2 Feb 2026 after the assessment was authorised: the update is due
# 10 working days on (Mon 16 Feb), met by an assessment started since.
def test_assessment_update():
    kid = child()
    referral = Referral.objects.create(child=kid, received_on=date(2025, 10, 1))
    assessment = Assessment.objects.create(
        child=kid, referral=referral, started_on=date(2025, 10, 2),
        submitted_on=date(2025, 11, 18), authorised_on=date(2025, 11, 20))
    AssessmentUpdate.objects.create(child=kid, assessment=assessment, event="contact.received",
                                    event_label="Contact received", event_on=date(2026, 2, 2))
    assert dues(kid, "assessment-update", date(2026, 2, 17)) == [
        (1, date(2026, 2, 16), None, OVERDUE)]
    Assessment.objects.create(child=kid, referral=referral, started_on=date(2026, 2, 12))
    assert dues(kid, "assessment-update", date(2026, 2, 17)) == [
        (1, date(2026, 2, 16), date(2026, 2, 12), MET)]


# A plan started Thu 15 Jan 2026 is reviewed within 3 months (Wed 15 Apr), then 3 months from
# each review; none once the plan ends.
def test_cin_plan_review():
    kid = child()
    referral = Referral.objects.create(child=kid, received_on=date(2025, 12, 1))
    plan = CINPlan.objects.create(child=kid, referral=referral, started_on=date(2026, 1, 15))
    assert dues(kid, "cin-plan-review", date(2026, 4, 16)) == [
        (1, date(2026, 4, 15), None, OVERDUE)]
    CINPlanReview.objects.create(child=kid, plan=plan, held_on=date(2026, 4, 10),
                                 attendees="Mother, school", progress="Attending school")
    assert dues(kid, "cin-plan-review", date(2026, 5, 1)) == [
        (1, date(2026, 4, 15), date(2026, 4, 10), MET), (2, date(2026, 7, 10), None, DUE)]
    plan.ended_on = date(2026, 6, 1)
    plan.save()
    assert dues(kid, "cin-plan-review", date(2026, 8, 1)) == [
        (1, date(2026, 4, 15), date(2026, 4, 10), MET)]
