"""Simulated journeys keep the order the CIN census checks, on the acceptance authority's scale:
a case closes after everything done under it (CIN 8565), child in need plans never overlap
(4014) nor start during a protection plan (4016), and an enquiry ends by its conference."""

import random
from datetime import date, timedelta

from cairn.synth.journeys import Journey, Simulator

AS_OF = date(2026, 11, 25)


def journeys(children: int, seed: int) -> list[Journey]:
    """The journeys `cairn synth --children N --seed S --years 5` draws (no database)."""
    start = AS_OF - timedelta(days=round(365.25 * 5))
    sim = Simulator(random.Random(seed), start=start, as_of=AS_OF)
    return [sim.journey(i) for i in range(children)]


def problems(j: Journey) -> list[str]:
    out = []
    cin_plans, cp_plans = [], []
    previous_close = None
    for inv in j.involvements:
        closed = inv.closed_on
        if previous_close is not None and inv.referral_on <= previous_close:
            out.append("referral while the last case was open")
        previous_close = closed or date.max
        ends = []  # what must be over by the day the case closes
        if inv.assessment is not None:
            ends.append(inv.assessment.completed_on)
        if inv.cin_plan is not None:
            cin_plans.append(inv.cin_plan)
            ends.append(inv.cin_plan[1])
        for s47 in inv.s47s:
            ends.append(s47.completed_on)
            if s47.icpc_on is not None:
                ends.append(s47.icpc_on)
                if s47.completed_on is None or s47.completed_on > s47.icpc_on:
                    out.append("enquiry completed after its conference")
            if s47.plan is not None:
                cp_plans.append((s47.plan.started_on, s47.plan.ended_on))
                ends.append(s47.plan.ended_on)
        if closed is not None and any(end is None or end > closed for end in ends):
            out.append("activity after the case closed")
    for a in cin_plans:
        for b in cin_plans:
            if a is not b and b[0] <= a[0] and (b[1] is None or a[0] <= b[1]):
                out.append("child in need plans overlap")
        for started, ended in cp_plans:
            if started <= a[0] and (ended is None or a[0] < ended):
                out.append("child in need plan starts during a protection plan")
    return out


def test_journeys_keep_the_census_order_for_20000_children():
    found = {}
    for j in journeys(20000, seed=1):
        for problem in problems(j):
            found.setdefault(problem, []).append(f"C{j.index + 1:07d}")
    assert found == {}


def test_the_check_sees_a_case_closed_before_its_plan_ended():
    j = journeys(1, seed=1)[0]
    inv = next(inv for j in journeys(200, seed=3) for inv in j.involvements
               if inv.cin_plan and inv.cin_plan[1] and inv.closed_on)
    inv.closed_on = inv.cin_plan[1] - timedelta(days=1)
    j.involvements = [inv]
    assert problems(j) == ["activity after the case closed"]
