"""The later stages of the synthetic authority: legal, fostering households, permanence and
adoption, leaving care and private fostering.

Each turns what `journeys` simulated into rows, in one transaction, the same way as the stages
in `builder` (tuples through `sink.Table`, keys numbered here, random draws in child order).
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from cairn.care.models import DeprivationOfLibertyOrder
from cairn.core.working_days import add_working_days
from cairn.fostering.models import (
    FosterCarer,
    FosteringApproval,
    FosteringAssessment,
    FosteringHousehold,
    HouseholdReview,
    PrivateFosteringArrangement,
    PrivateFosteringVisit,
    SupervisingVisit,
)
from cairn.frontdoor.models import (
    Contact,
    EarlyHelpAssessment,
    EarlyHelpEpisode,
    EarlyHelpPlan,
    EarlyHelpPlanNeed,
    EarlyHelpReview,
    EarlyHelpReviewNeedProgress,
    NeedProgress,
    StepDecision,
)
from cairn.leaving_care.models import (
    CareLeaverAccommodation,
    CareLeaverActivity,
    LeavingCareEligibility,
    PathwayPlan,
    PathwayPlanReview,
    PersonalAdviserContact,
)
from cairn.legal.models import (
    CareProceedings,
    CourtDirection,
    Hearing,
    LegalOrder,
    PreProceedings,
    PreProceedingsMeeting,
    PreProceedingsReview,
    ProceedingsExtension,
)
from cairn.people.models import CaseNote, Person
from cairn.permanence.models import (
    AdopterFamily,
    AdoptionDecision,
    AdoptionMatch,
    AdoptionOrder,
    PermanencePlan,
    PlacedForAdoption,
    PlacementOrder,
    PreviousPermanence,
    SpecialGuardianshipOrder,
)
from cairn.protection.models import Assessment, AssessmentFactor
from cairn.workforce.models import Allocation, Role, Staff, Team

from . import names, postcodes
from .journeys import adopted, age_on, years_after
from .sink import moment, next_id

COURT = "Cairnford Family Court"
FOSTER_PLACEMENTS = {"U4", "U5", "U6"}
CONNECTED_PLACEMENTS = {"U1", "U2", "U3"}
# A foster placement continues when a child is placed for adoption with their current carers.
WITH_CURRENT_CARERS = {"A3", "A5"}


class LaterStages:
    """Stages mixed into `builder.Builder`; they read its journeys, pools and keys."""

    # -- teams that grow with the authority ------------------------------------------------------

    def staff_teams(self, first_team: int, role: str, needed: int) -> list[tuple[int, int]]:
        """`needed` more workers of `role` as a real service has them: the first team (the
        demo's) filled to TEAM_SIZE, then new teams of its kind, each with its own manager, so
        that a team's caseload, and so its manager's pages, stay the same size whatever the size
        of the authority. Returns (worker, team) for each new worker."""
        r = random.Random(f"{self.seed}-teams-{role}")  # the rest of the authority unchanged
        first = Team.objects.get(pk=first_team)
        room = max(0, TEAM_SIZE - Staff.objects.filter(team=first, role=role).count())
        extra = math.ceil(max(0, needed - room) / TEAM_SIZE)
        tid, pk = next_id(Team), next_id(Staff)
        teams = [Team(id=tid + t, name=f"{first.name} {t + 2}", kind=first.kind,
                      service_id=first.service_id,
                      caseload_threshold=first.caseload_threshold) for t in range(extra)]
        Team.objects.bulk_create(teams)
        staff, out = [], []

        def person(username: str, role: str, team: int, title: str) -> int:
            nonlocal pk
            staff.append(Staff(id=pk, username=username, password=self.password, role=role,
                               team_id=team,
                               first_name=r.choice(names.GIVEN_FEMALE + names.GIVEN_MALE),
                               last_name=r.choice(names.FAMILY), job_title=title,
                               email=f"{username}@cairn.invalid",
                               date_joined=moment(self.start, 9)))
            pk += 1
            return pk - 1

        for team in teams:
            team.manager_id = person(f"tm{team.id}", Role.TEAM_MANAGER, team.id, "Team manager")
        title = str(dict(Role.choices)[role])
        for i in range(needed):
            team = first.id if i < room else teams[(i - room) // TEAM_SIZE].id
            out.append((person(f"{role}{pk}", role, team, title), team))
        Staff.objects.bulk_create(staff)
        Team.objects.bulk_update(teams, ["manager"])
        self.counts["workforce.Staff"] = self.counts.get("workforce.Staff", 0) + len(staff)
        self.counts["workforce.Team"] = self.counts.get("workforce.Team", 0) + len(teams)
        return out

    # -- people helpers --------------------------------------------------------------------------

    def uasc_ceased(self, j) -> date | None:
        """UASC status ends at 18 (SSDA903 UASC DUC)."""
        if not j.uasc:
            return None
        eighteen = years_after(j.birth_on, 18)
        return eighteen if eighteen <= self.as_of else None

    # -- deprivation of liberty ------------------------------------------------------------------

    def deprivation_of_liberty(self) -> list:
        """About 1 in 40 children aged 10 or over in a children's home (K2) have an order
        depriving them of liberty, of 3 to 12 months, inside that one placement so no other
        placement overlaps it (903 rules 707, 709, 710); an order that would outlast --as-of
        while the child is still there is open."""

        # Draws of its own, so the rest of the authority is the same with or without orders.
        r = random.Random(f"{self.seed}-dolo")
        sw = self.pools["children_in_care"]
        t_dolo = self.table(DeprivationOfLibertyOrder, ("child_id", "started_on", "ended_on",
                                                        "authorised_by"), sw[0])
        for j, child in zip(self.journeys, self.child_ids):
            for inv in j.involvements:
                care = inv.care
                for e in care.episodes if care else []:
                    start = e.started_on + timedelta(days=r.randint(1, 28))
                    if (e.placement != "K2" or age_on(j.birth_on, start) < 10
                            or start > self.as_of or r.random() >= 1 / 40):
                        continue
                    end = start + timedelta(days=r.randint(91, 365))
                    if e.ended_on is None:
                        end = end if end <= self.as_of else None
                    elif end >= e.ended_on:
                        continue  # the placement ends too soon for a 3-month order
                    t_dolo.add((child, start, end, COURT), moment(start))
                    break
        t_dolo.flush()
        return [DeprivationOfLibertyOrder]

    # -- legal ----------------------------------------------------------------------------------

    def legal(self) -> list:

        r = self.rng
        sw = self.pools["child_protection"]
        by = self.demo["team_manager"]
        t_pre = self.table(PreProceedings, ("id", "child_id", "started_on",
                                            "letter_before_proceedings_on", "ended_on",
                                            "outcome"), by)
        t_meet = self.table(PreProceedingsMeeting, ("child_id", "pre_proceedings_id", "held_on",
                                                    "attendees", "agreement"), by)
        t_prev = self.table(PreProceedingsReview, ("child_id", "pre_proceedings_id", "held_on",
                                                   "attendees", "progress", "decision"), by)
        t_proc = self.table(CareProceedings, ("id", "child_id", "pre_proceedings_id",
                                              "issued_on", "court", "case_number",
                                              "application", "concluded_on", "final_order"), by)
        t_hear = self.table(Hearing, ("id", "child_id", "proceedings_id", "held_on", "kind",
                                      "outcome"), sw[0])
        t_dir = self.table(CourtDirection, ("child_id", "hearing_id", "direction",
                                            "responsible", "owner_id", "due_on", "complied_on",
                                            "met"), sw[0])
        # A direction is the child's social worker's to see done (on their My work).
        worker_of = dict(Allocation.objects.filter(ended_on__isnull=True, kind="SW")
                         .order_by("child_id", "started_on", "pk")
                         .values_list("child_id", "worker_id"))
        t_ext = self.table(ProceedingsExtension, ("child_id", "proceedings_id", "granted_on",
                                                  "weeks", "reason"), by)
        t_order = self.table(LegalOrder, ("child_id", "kind", "proceedings_id", "made_on",
                                          "ended_on", "court"), by)
        pre_id, proc_id, hear_id = (next_id(PreProceedings), next_id(CareProceedings),
                                    next_id(Hearing))
        for j, child in zip(self.bar(self.journeys, "legal"), self.child_ids):
            for inv in j.involvements:
                for kind, made, ended in inv.orders:
                    t_order.add((child, kind, None, made, ended,
                                 "" if kind == "PP" else COURT), moment(made, 18))
                p = inv.proceedings
                if p is None or p.pre_started_on is None:
                    continue
                letter = p.pre_started_on + timedelta(days=r.randint(0, 10))
                if letter > self.as_of:
                    letter = None
                outcome = ""
                if p.pre_ended_on:
                    outcome = "proceedings" if p.issued_on else r.choice(("diverted", "cp"))
                t_pre.add((pre_id, child, p.pre_started_on, letter, p.pre_ended_on, outcome),
                          moment(p.pre_started_on))
                if letter:
                    meeting = letter + timedelta(days=r.randint(7, 20))
                    if meeting <= self.as_of and (p.pre_ended_on is None
                                                  or meeting <= p.pre_ended_on):
                        t_meet.add((child, pre_id, meeting, "Parents, their solicitors, social "
                                    "worker, team manager, local authority solicitor",
                                    "Parents agreed a plan of work and assessments"),
                                   moment(meeting))
                    review = letter + timedelta(days=r.randint(38, 46))
                    end = p.pre_ended_on or self.as_of
                    while review <= end:
                        last = p.pre_ended_on is not None and review + timedelta(days=42) > end
                        decision = ("issue" if p.issued_on else "end") if last else "continue"
                        t_prev.add((child, pre_id, review, "Parents, their solicitors, "
                                    "social worker, team manager",
                                    "Progress against the plan reviewed", decision),
                                   moment(review))
                        review += timedelta(days=r.randint(38, 46))
                if p.issued_on:
                    concluded = p.concluded_on
                    final = {"PO": "PO", "CO": "CO"}.get(p.final_order, "CO") if concluded \
                        else ""
                    t_proc.add((proc_id, child, pre_id, p.issued_on, COURT,
                                f"CF{p.issued_on:%y}C{proc_id:05d}", "care", concluded, final),
                               moment(p.issued_on))
                    hearings = sorted(set(p.hearings))
                    for n, day in enumerate(hearings):
                        if concluded and day == concluded:
                            kind = "FH"
                        elif n == 0:
                            kind = "ICO"
                        elif n == 1:
                            kind = "CMH"
                        else:
                            kind = r.choice(("FCMH", "IRH"))
                        t_hear.add((hear_id, child, proc_id, day, kind, ""), moment(day))
                        if kind in ("CMH", "FCMH"):
                            due = day + timedelta(days=r.randint(21, 42))
                            done = due - timedelta(days=r.randint(-5, 7))
                            met = done <= due
                            if due > self.as_of:
                                done, met = None, None
                            elif done > self.as_of:
                                done = None
                            if met is False:
                                # Done late: met, on the day it was done (F8 counts it late).
                                met = True if done is not None else False
                            t_dir.add((child, hear_id, "File and serve the parenting assessment",
                                       "" if child in worker_of else "Local authority",
                                       worker_of.get(child), due, done, met),
                                      moment(day))
                        hear_id += 1
                    # Beyond 26 weeks the court extends the limit, 8 weeks at a time (s32(5)).
                    due = p.issued_on + timedelta(weeks=26)
                    end = concluded or self.as_of
                    while end > due and due <= self.as_of and r.random() < 0.8:
                        granted = due - timedelta(days=r.randint(3, 14))
                        t_ext.add((child, proc_id, granted, 8,
                                   "Further expert assessment needed"), moment(granted))
                        due += timedelta(weeks=8)
                    if p.interim_order_on:
                        t_order.add((child, "ICO", proc_id, p.interim_order_on, concluded, COURT),
                                    moment(p.interim_order_on))
                    if concluded:
                        care_end = inv.care.ended_on if inv.care else None
                        t_order.add((child, final, proc_id, concluded,
                                     care_end if care_end and care_end >= concluded else None,
                                     COURT), moment(concluded))
                    proc_id += 1
                pre_id += 1
        tables = (t_pre, t_meet, t_prev, t_proc, t_hear, t_dir, t_ext, t_order)
        for t in tables:
            t.flush()
        return [t.model for t in tables]

    # -- fostering households -------------------------------------------------------------------

    def fostering(self) -> list:
        """The authority's fostering households: a mainstream pool the children's foster
        placements are shared among, and a connected-person household for each placement with
        family or friends; each assessed, approved, reviewed yearly and visited by its
        supervising social worker about every six weeks."""

        r = self.rng
        fostered = sum(1 for j in self.journeys for inv in j.involvements if inv.care
                       for e in inv.care.episodes if e.placement in FOSTER_PLACEMENTS)
        # Supervising social workers for the mainstream pool and about as many connected-person
        # households again, at a full load each.
        staff = self.pools["fostering"]
        by = staff[0]
        needed = math.ceil(2 * max(3, math.ceil(fostered / 5)) / FOSTERING_HOUSEHOLDS)
        staff += [worker for worker, _ in self.staff_teams(
            self.team_of_kind["fostering"], Role.FOSTERING, max(0, needed - len(staff)))]
        t_house = self.table(FosteringHousehold, ("id", "name", "status", "places",
                                                  "connected_person", "postcode",
                                                  "supervising_worker_id"), by)
        t_carer = self.table(FosterCarer, ("household_id", "person_id", "main_carer",
                                           "joined_on", "left_on"), by)
        t_person = self.table(Person, ("id", "given_name", "family_name", "birth_date", "sex",
                                       "ethnicity", "first_language"), by)
        t_assess = self.table(FosteringAssessment, ("household_id", "enquiry_on",
                                                    "stage1_started_on", "stage1_ended_on",
                                                    "stage2_started_on", "stage2_ended_on",
                                                    "panel_on", "approved_on"), by)
        t_appr = self.table(FosteringApproval, ("household_id", "approved_on", "places",
                                                "age_from", "age_to", "terms"), by)
        t_rev = self.table(HouseholdReview, ("household_id", "held_on", "panel_on", "outcome"),
                           by)
        t_visit = self.table(SupervisingVisit, ("household_id", "visited_on", "unannounced",
                                                "by_id"), by)
        hid, pid = next_id(FosteringHousehold), next_id(Person)

        def household(family: str, approved: date, places: int, connected: bool) -> int:
            nonlocal hid, pid
            house = hid
            hid += 1
            worker = r.choice(staff)
            t_house.add((house, f"{family} household", "approved", places, connected,
                         self.sim_postcode(), worker), moment(approved))
            for n in range(1 if r.random() < 0.3 else 2):
                sex = "F" if n == 0 else "M"
                t_person.add((pid, r.choice(names.GIVEN_FEMALE if sex == "F"
                                            else names.GIVEN_MALE), family,
                              approved - timedelta(days=r.randint(28 * 365, 60 * 365)), sex,
                              "WBRI", "English"), moment(approved))
                t_carer.add((house, pid, n == 0, approved, None), moment(approved))
                pid += 1
            # Mainstream carers are assessed in stages over about eight months; connected
            # persons within 16 weeks of a child's placement (Care Planning Regs reg 24).
            span = 110 if connected else 240
            enquiry = approved - timedelta(days=span + r.randint(0, 60))
            s1 = enquiry + timedelta(days=r.randint(5, 30))
            s1_end = s1 + timedelta(days=r.randint(30, 60))
            panel = approved - timedelta(days=r.randint(3, 14))
            t_assess.add((house, enquiry, s1, s1_end, s1_end, panel - DAY7, panel, approved),
                         moment(enquiry))
            t_appr.add((house, approved, places, 0, 18, "Named child" if connected else
                        "Short and long term"), moment(approved))
            review = years_after(approved, 1) + timedelta(days=r.randint(-20, 30))
            while review <= self.as_of:
                if review >= self.start:
                    t_rev.add((house, review, review + timedelta(days=r.randint(10, 40))
                               if r.random() < 0.3 else None, "Approval continues"),
                              moment(review))
                review = years_after(review, 1) + timedelta(days=r.randint(-20, 30))
            visit = max(approved, self.start) + timedelta(days=r.randint(1, 40))
            while visit <= self.as_of:
                t_visit.add((house, visit, r.random() < 0.1, worker), moment(visit, 14))
                visit += timedelta(days=42 + r.randint(-10, 12))
            return house

        pool = []
        for _ in range(max(3, math.ceil(fostered / 5))):
            approved = self.start - timedelta(days=r.randint(0, 3650))
            approved += timedelta(days=r.randint(0, 1800)) if r.random() < 0.3 else timedelta()
            pool.append(household(r.choice(names.FAMILY), min(approved, self.as_of),
                                  r.choice((1, 2, 2, 3)), False))
        for j, child in zip(self.bar(self.journeys, "fostering"), self.child_ids):
            for k, inv in enumerate(j.involvements):
                if inv.care is None:
                    continue
                carer = None
                for n, e in enumerate(inv.care.episodes):
                    if e.placement in WITH_CURRENT_CARERS and carer is not None:
                        pass  # the same carers, now as prospective adopters
                    elif e.placement in FOSTER_PLACEMENTS:
                        if e.rne != "T" or carer is None:
                            carer = r.choice(pool)
                    elif e.placement in CONNECTED_PLACEMENTS:
                        if e.rne != "T" or carer is None:
                            carer = household(j.family if r.random() < 0.7 else
                                              r.choice(names.FAMILY),
                                              e.started_on - timedelta(days=r.randint(0, 3)),
                                              1, True)
                    else:
                        carer = None
                    if carer is not None:
                        self.carer_of[(child, k, n)] = carer
        tables = (t_house, t_person, t_carer, t_assess, t_appr, t_rev, t_visit)
        for t in tables:
            t.flush()
        return [t.model for t in tables]

    def sim_postcode(self) -> str:
        return self.rng.choice(postcodes.INSIDE)

    # -- permanence and adoption ----------------------------------------------------------------

    def permanence(self) -> list:

        r = self.rng
        sw = self.pools["children_in_care"]
        t_plan = self.table(PermanencePlan, ("child_id", "plan_type", "agreed_on", "ended_on"),
                            sw[0])
        t_dec = self.table(AdoptionDecision, ("child_id", "decided_on"), sw[0])
        t_po = self.table(PlacementOrder, ("child_id", "made_on"), sw[0])
        t_fam = self.table(AdopterFamily, ("id", "identifier", "fostering_for_adoption",
                                           "enquiry_on", "stage1_started_on", "stage1_ended_on",
                                           "stage2_started_on", "stage2_ended_on",
                                           "application_on", "approved_on"), sw[0])
        t_match = self.table(AdoptionMatch, ("child_id", "family_id", "matched_on",
                                             "foster_carer", "number_of_adopters",
                                             "sex_of_adopters", "legal_status_of_adopters"),
                             sw[0])
        t_placed = self.table(PlacedForAdoption, ("child_id", "family_id", "placed_on",
                                                  "ended_on", "ended"), sw[0])
        t_order = self.table(AdoptionOrder, ("child_id", "made_on", "family_id"), sw[0])
        t_sgo = self.table(SpecialGuardianshipOrder, ("child_id", "made_on",
                                                      "former_foster_carer",
                                                      "relative_or_friend"), sw[0])
        t_prev = self.table(PreviousPermanence, ("child_id", "option", "la_code", "order_date"),
                            sw[0])
        fid = next_id(AdopterFamily)
        for j, child in zip(self.bar(self.journeys, "permanence"), self.child_ids):
            for inv in j.involvements:
                care = inv.care
                if care is None:
                    continue
                start = care.started_on
                option = care.previous_permanence
                if option != "Z1":
                    # DATE_PERM may be partial where only the year is known, and then only
                    # for a year before care began: the validator reads zz/zz/yyyy as 31
                    # December, which must fall before the start of care (903 632).
                    made = start - timedelta(days=r.randint(400, 3000))
                    made = max(made, j.birth_on + timedelta(days=200))
                    when = (f"{made:%d/%m/%Y}" if r.random() < 0.7 or made.year >= start.year
                            else f"zz/zz/{made:%Y}")
                    t_prev.add((child, option, r.choice(("318", "319", "320", "213")), when),
                               moment(start))
                else:
                    t_prev.add((child, "Z1", "", ""), moment(start))
                if care.permanence_plan:
                    kind, agreed = care.permanence_plan
                    ended = care.ended_on if care.ended_on and care.ended_on >= agreed else None
                    t_plan.add((child, kind, agreed, ended), moment(agreed))
                rec = care.episodes[-1].rec if care.ended_on and care.episodes else ""
                if rec in ("E45", "E46", "E47", "E48"):
                    t_sgo.add((child, care.ended_on, rec in ("E45", "E46"),
                               rec in ("E45", "E47")), moment(care.ended_on))
                a = care.adoption
                if not a:
                    continue
                t_dec.add((child, a["decision_on"]), moment(a["decision_on"]))
                t_po.add((child, a["placement_order_on"]), moment(a["placement_order_on"]))
                if not a["matched_on"]:
                    continue
                matched = a["matched_on"]
                foster = care.episodes[-1].placement in WITH_CURRENT_CARERS
                approved = matched - timedelta(days=r.randint(30, 400))
                enquiry = approved - timedelta(days=r.randint(180, 300))
                s1 = enquiry + timedelta(days=r.randint(10, 40))
                s1_end = s1 + timedelta(days=r.randint(50, 70))
                s2_end = min(s1_end + timedelta(days=r.randint(100, 130)), approved)
                t_fam.add((fid, f"AF{fid:06d}", foster, enquiry, s1, s1_end, s1_end, s2_end,
                           s1_end, approved), moment(enquiry))
                couple = r.random() < 0.8
                if couple:
                    sex = r.choices(("MF", "FF", "MM"), (85, 10, 5))[0]
                    status = (r.choice(("L11", "L3", "L2")) if sex == "MF"
                              else r.choice(("L12", "L4", "L2")))
                else:
                    sex, status = r.choice(("F1", "F1", "F1", "M1")), "L0"
                t_match.add((child, fid, matched, foster, 2 if couple else 1, sex, status),
                            moment(matched))
                if a["placed_on"]:
                    order = a["order_on"]
                    t_placed.add((child, fid, a["placed_on"], order, "adopted" if order else ""),
                                 moment(a["placed_on"]))
                    if order:
                        t_order.add((child, order, fid), moment(order))
                fid += 1
        tables = (t_plan, t_dec, t_po, t_fam, t_match, t_placed, t_order, t_sgo, t_prev)
        for t in tables:
            t.flush()
        return [t.model for t in tables]

    # -- leaving care ---------------------------------------------------------------------------

    def leaving_care(self) -> list:

        r = self.rng
        pas = self.pools["leaving_care"]
        t_elig = self.table(LeavingCareEligibility, ("child_id", "category", "started_on",
                                                     "ended_on"), pas[0])
        t_plan = self.table(PathwayPlan, ("id", "child_id", "made_on",
                                          "young_person_participated"), pas[0])
        t_rev = self.table(PathwayPlanReview, ("plan_id", "reviewed_on",
                                               "young_person_participated"), pas[0])
        t_pa = self.table(PersonalAdviserContact, ("child_id", "contacted_on", "in_touch",
                                                   "adviser_id"), pas[0])
        t_acc = self.table(CareLeaverAccommodation, ("child_id", "from_on", "accommodation"),
                           pas[0])
        t_act = self.table(CareLeaverActivity, ("child_id", "from_on", "activity"), pas[0])
        plan_id = next_id(PathwayPlan)
        for j, child in zip(self.bar(self.journeys, "leaving care"), self.child_ids):
            lc = j.leaving_care
            if not lc:
                continue
            twenty_one = years_after(j.birth_on, 21)
            eligible = lc["eligible_from"]
            left = lc["left_on"]
            # Eligible while looked after at 16-17; relevant from leaving at 16-17 to 18;
            # former relevant from 18 (or leaving at 18) to 21 (Children (Leaving Care) Act
            # 2000; Annex A list 9).
            if not left or left > eligible:
                t_elig.add((child, "eligible", eligible, left - timedelta(days=1)
                            if left else None), moment(eligible))
            eighteen = years_after(j.birth_on, 18)
            if left and left < eighteen:
                t_elig.add((child, "relevant", left, eighteen - timedelta(days=1)
                            if eighteen <= self.as_of else None), moment(left))
            if left and eighteen <= self.as_of:
                t_elig.add((child, "former_relevant", max(left, eighteen),
                            twenty_one if twenty_one <= self.as_of else None),
                           moment(max(left, eighteen)))
            plans = lc["pathway_plans"]
            if plans:
                t_plan.add((plan_id, child, plans[0], r.random() < 0.9), moment(plans[0]))
                for day in plans[1:]:
                    t_rev.add((plan_id, day, r.random() < 0.85), moment(day))
                plan_id += 1
            pa = self.pa_of.get(child)
            for day in lc["pa_contacts"]:
                if lc["in_touch"]:
                    touch = "YES" if r.random() < 0.95 else "NO"
                else:
                    touch = r.choice(("NO", "NO", "REFU"))
                t_pa.add((child, day, touch, pa), moment(day, 11))
            for day, code in lc["accommodation"]:
                t_acc.add((child, day, code), moment(day))
            for day, code in lc["activity"]:
                t_act.add((child, day, code), moment(day))
        tables = (t_elig, t_plan, t_rev, t_pa, t_acc, t_act)
        for t in tables:
            t.flush()
        return [t.model for t in tables]

    # -- private fostering ----------------------------------------------------------------------

    def private_fostering(self) -> list:

        r = self.rng
        sw = self.pools["child_protection"]
        t_person = self.table(Person, ("id", "given_name", "family_name", "birth_date", "sex",
                                       "ethnicity", "first_language"), sw[0])
        t_arr = self.table(PrivateFosteringArrangement, ("id", "child_id", "notified_on",
                                                         "started_on", "carer_id", "ended_on",
                                                         "ended_reason"), sw[0])
        t_visit = self.table(PrivateFosteringVisit, ("arrangement_id", "visited_on", "seen",
                                                     "seen_alone", "by_id"), sw[0])
        aid, pid = next_id(PrivateFosteringArrangement), next_id(Person)
        for j, child in zip(self.bar(self.journeys, "private fostering"), self.child_ids):
            pf = j.private_fostering
            if not pf:
                continue
            t_person.add((pid, r.choice(names.GIVEN_FEMALE), r.choice(names.FAMILY),
                          pf["started_on"] - timedelta(days=r.randint(25 * 365, 60 * 365)), "F",
                          j.ethnicity, "English"), moment(pf["notified_on"]))
            t_arr.add((aid, child, pf["notified_on"], pf["started_on"], pid, pf["ended_on"],
                       pf["reason"] if pf["ended_on"] else ""), moment(pf["notified_on"]))
            worker = r.choice(sw)
            for day in pf["visits"]:
                seen = r.random() < 0.95
                t_visit.add((aid, day, seen, seen and r.random() < 0.7, worker),
                            moment(day, 15))
            aid += 1
            pid += 1
        tables = (t_person, t_arr, t_visit)
        for t in tables:
            t.flush()
        return [t.model for t in tables]


    # -- early help -----------------------------------------------------------------------------

    def early_help(self) -> list:
        """Early help as the early help team carries it: each episode allocated (kind EH) to a
        worker of the early help team, with its assessment (Annex A List 2), the family's plan
        of 2 to 4 needs and the reviews that record progress on each need; earlyhelp.demo
        carries about a dozen open episodes and has a few steps up waiting for a manager."""

        # Draws of its own, so the rest of the authority is the same with or without them.
        r = random.Random(f"{self.seed}-early-help")
        team = self.team_of_kind["early_help"]
        demo = self.demo["early_help"]
        rows = self.early_help_rows
        open_ = [i for i, (_, _, ended) in enumerate(rows) if ended is None]
        mine = set(r.sample(open_, min(EH_DEMO_CASELOAD, len(open_))))
        # The rest of the open work shared at a full caseload each.
        helpers = max(1, math.ceil((len(open_) - len(mine)) / EH_CASELOAD))
        hired = self.staff_teams(team, Role.EARLY_HELP, helpers)
        workers = [worker for worker, _ in hired]
        team_of = {demo: team, **dict(hired)}
        self.pools.setdefault("early_help", []).extend(workers)
        everyone = [demo, *workers]

        t_ep = self.table(EarlyHelpEpisode, ("id", "child_id", "started_on", "ended_on",
                                             "reason", "end_reason", "organisation",
                                             "worker_id"), self.demo["front_door"])
        t_alloc = self.table(Allocation, ("child_id", "worker_id", "team_id", "kind",
                                          "started_on", "ended_on", "end_reason"),
                             self.demo["team_manager"])
        t_assess = self.table(EarlyHelpAssessment, ("child_id", "episode_id", "started_on",
                                                    "completed_on", "organisation", "summary"),
                              demo)
        t_plan = self.table(EarlyHelpPlan, ("id", "child_id", "episode_id", "started_on",
                                            "ended_on"), demo)
        t_need = self.table(EarlyHelpPlanNeed, ("id", "child_id", "plan_id", "need", "outcome",
                                                "actions", "owner", "due_on"), demo)
        t_rev = self.table(EarlyHelpReview, ("id", "child_id", "plan_id", "held_on", "progress",
                                             "next_review_on"), demo)
        t_prog = self.table(EarlyHelpReviewNeedProgress, ("child_id", "review_id", "need_id",
                                                          "status", "note"), demo)
        t_step = self.table(StepDecision, ("child_id", "direction", "early_help_episode_id",
                                           "rationale", "requested_at", "requested_by_id"), demo)
        ep_id, plan_id, need_id, rev_id = (next_id(EarlyHelpEpisode), next_id(EarlyHelpPlan),
                                           next_id(EarlyHelpPlanNeed), next_id(EarlyHelpReview))
        planned = []  # earlyhelp.demo's open episodes with a plan: (child, episode, plan start)
        for i, (child, started, ended) in enumerate(rows):
            worker = demo if i in mine else r.choice(workers if ended is None else everyone)
            last = ended or self.as_of
            t_ep.add((ep_id, child, started, ended, "Family support: " + r.choice(EH_REASONS),
                      r.choice(EH_ENDINGS) if ended else "", EH_ORGANISATION, worker),
                     moment(started))
            t_alloc.add((child, worker, team_of[worker], Allocation.Kind.EARLY_HELP, started,
                         ended, "MANAGE" if ended else ""), moment(started))
            assessed = min(started + timedelta(days=r.randint(0, 7)), last)
            completed = assessed + timedelta(days=r.randint(10, 35))
            if completed > last:
                # earlyhelp.demo's open families all have their plan; others may still wait.
                completed = last if i in mine or ended else None
            t_assess.add((child, ep_id, assessed, completed, EH_ORGANISATION,
                          "Strengths and needs agreed with the family"), moment(assessed))
            if completed is not None:
                plan_on = min(completed + timedelta(days=r.randint(0, 10)), last)
                t_plan.add((plan_id, child, ep_id, plan_on, ended), moment(plan_on))
                needs = []
                for need, outcome, actions, owner in r.sample(EH_NEEDS, r.randint(2, 4)):
                    due = plan_on + timedelta(weeks=r.choice((6, 8, 12, 16)))
                    t_need.add((need_id, child, plan_id, need, outcome, actions, owner, due),
                               moment(plan_on))
                    needs.append(need_id)
                    need_id += 1
                # Team around the family reviews every 6 to 10 weeks while the plan runs.
                status = dict.fromkeys(needs, NeedProgress.PROGRESSING)
                held = plan_on + timedelta(days=r.randint(42, 70))
                n = 0
                while held <= last:
                    nxt = held + timedelta(days=r.randint(42, 70))
                    n += 1
                    for need in needs:
                        if status[need] != NeedProgress.MET:
                            status[need] = r.choices(
                                (NeedProgress.MET, NeedProgress.PROGRESSING,
                                 NeedProgress.NOT_PROGRESSING), (n, 3, 1))[0]
                    met = sum(1 for s in status.values() if s == NeedProgress.MET)
                    t_rev.add((rev_id, child, plan_id, held,
                               f"{met} of {len(needs)} needs met; the family and the team "
                               "around them agreed what happens next",
                               nxt if ended is None or nxt <= ended else None), moment(held))
                    for need in needs:
                        t_prog.add((child, rev_id, need, status[need], EH_NOTES[status[need]]),
                                   moment(held))
                    rev_id += 1
                    held = nxt
                if i in mine and plan_on < self.as_of:
                    planned.append((child, ep_id, plan_on))
                plan_id += 1
            ep_id += 1
        # Steps up earlyhelp.demo asked for in the last week, waiting for a manager who can see
        # the child: the early help team's manager (a team manager sees their own team's work).
        for child, episode, plan_on in sorted(r.sample(planned, min(r.randint(2, 3),
                                                                     len(planned)))):
            asked = max(add_working_days(self.as_of, -r.randint(1, 4)), plan_on)
            t_step.add((child, StepDecision.Direction.STEP_UP, episode, r.choice(STEP_UP_WHY),
                        moment(asked, r.randint(10, 16)), demo), moment(asked, 16))
        tables = (t_ep, t_alloc, t_assess, t_plan, t_need, t_rev, t_prog, t_step)
        for t in tables:
            t.flush()
        return [Staff, *(t.model for t in tables)]

    # -- work waiting for a decision ------------------------------------------------------------

    def waiting_work(self) -> list:
        """What a working day leaves waiting: single assessments sw.demo has submitted for
        tm.demo to authorise, a step down sw.demo asked tm.demo for, and contacts received on
        the last working day that the front door has not yet decided."""

        from .builder import CONCERNS

        r = random.Random(f"{self.seed}-waiting")
        sw = self.demo["social_worker"]
        journey = dict(zip(self.child_ids, self.journeys))
        # sw.demo's open cases whose single assessment was authorised a month or more ago: a
        # second assessment on the same referral (circumstances changed) is open to none other
        # (CIN 8896), and starts and stays inside the census year it is reported in (8736).
        settled = []
        for child, k in self.demo_caseload:
            inv = journey[child].involvements[k]
            a = inv.assessment
            if (inv.closed_on is None and a is not None and a.completed_on is not None
                    and a.completed_on <= self.as_of - timedelta(days=60)):
                settled.append((child, k))
        chosen = sorted(r.sample(settled, min(r.randint(3, 5), len(settled))))
        t_assess = self.table(Assessment, ("id", "child_id", "referral_id", "started_on",
                                           "child_seen_on", "submitted_on", "submitted_by_id",
                                           "further_action", "worries", "working_well",
                                           "needs_to_happen", "safety_scale", "childs_words"),
                                sw)
        t_factor = self.table(AssessmentFactor, ("child_id", "assessment_id", "code"), sw)
        aid = next_id(Assessment)
        for child, k in chosen:
            started = self.as_of - timedelta(days=r.randint(20, 40))
            seen = started + timedelta(days=r.randint(1, 6))
            submitted = max(add_working_days(self.as_of, -r.randint(0, 6)), seen)
            t_assess.add((aid, child, self.referral_ids[(child, k)], started, seen, submitted,
                          sw, True, *r.choice(REASSESSMENTS), r.randint(3, 7),
                          "I want things at home to stay calm."), moment(started))
            # Submitted with its factors, as assessment_submit keeps them; the census reports
            # them once a manager authorises (CIN 8614).
            for code in journey[child].involvements[k].assessment.factors or ("21",):
                t_factor.add((child, aid, code), moment(submitted, 16))
            aid += 1
        # A step down asks for the child's plans to have ended (frontdoor step_decision_authorise
        # ends none itself): a case in tm.demo's team open with no plan running, asked for by
        # its social worker; failing that, one whose child in need plan is still to end.
        def plans_open(inv) -> int:
            cin = inv.cin_plan is not None and inv.cin_plan[1] is None
            cp = any(s.plan is not None and s.plan.ended_on is None for s in inv.s47s)
            return 2 * cp + cin

        spare = []
        for child, k, worker in self.team_open:
            inv = journey[child].involvements[k]
            a = inv.assessment
            if ((child, k) not in chosen and inv.care is None and a is not None
                    and a.completed_on is not None and a.completed_on < self.as_of):
                spare.append((plans_open(inv), child, k, worker))
        t_step = self.table(StepDecision, ("child_id", "direction", "referral_id", "rationale",
                                           "early_help_organisation", "requested_at",
                                           "requested_by_id"), sw)
        if spare:
            _, child, k, worker = min(spare)
            asked = add_working_days(self.as_of, -r.randint(1, 3))
            t_step.add((child, StepDecision.Direction.STEP_DOWN, self.referral_ids[(child, k)],
                        STEP_DOWN_WHY, EH_ORGANISATION, moment(asked, 15), worker),
                       moment(asked, 15))
        # Contacts from the last working day about children not open to anyone now.
        open_now = {child for child, started, ended in self.early_help_rows if ended is None}
        quiet = [child for child, j in journey.items() if child not in open_now
                 and age_on(j.birth_on, self.as_of) < 17 and not adopted(j)
                 and all(inv.closed_on is not None for inv in j.involvements)]
        t_contact = self.table(Contact, ("child_id", "received_at", "source", "concerns",
                                         "consent", "consent_dispensed_by_id",
                                         "consent_dispensed_reason", "consent_dispensed_on",
                                         "out_of_hours", "out_of_hours_service",
                                         "overnight_action"), self.demo["front_door"])
        t_note = self.table(CaseNote, ("child_id", "kind", "occurred_on", "subject", "body",
                                       "child_seen", "child_seen_alone"), self.demo["front_door"])
        yesterday = add_working_days(self.as_of, -1)
        chosen_quiet = sorted(r.sample(quiet, min(r.randint(3, 6), len(quiet))))
        for child in chosen_quiet:
            received = moment(yesterday, r.randint(9, 16))
            source = r.choice(sorted(CONCERNS))
            t_contact.add((child, received, source, CONCERNS[source],
                           "given" if r.random() < 0.9 else "refused", None, "", None, False,
                           False, ""), received)
            t_note.add((child, "phone", yesterday, "Contact received", CONCERNS[source], None,
                        None), received)
        # Last night's out-of-hours contact for the day team to pick up (F17), and a contact on
        # which tm.demo dispensed with consent, for their tray. No draws: the rest stays as built.
        spare_night = [child for child in sorted(quiet) if child not in chosen_quiet]
        if spare_night:
            night = moment(self.as_of - timedelta(days=1), 21)
            t_contact.add((spare_night[0], night, "6", CONCERNS["6"], "refused", None, "", None,
                        True, True, "Police checked the children were safe; the emergency "
                        "duty social worker spoke to the mother by phone"), night)
        manager = self.demo["team_manager"]
        mine = [child for child, _, _ in self.team_open]
        if mine:
            received = moment(yesterday, 11)
            t_contact.add((mine[0], received, "3A", CONCERNS["3A"], "dispensed", manager,
                        "Asking the parents would put the child at risk of harm", yesterday,
                        False, False, ""), received)
        # Contacts the front door decided as early help on the last working day: the early
        # help team's manager (ehm.demo) holds each child until they allocate a practitioner.
        held = random.Random(f"{self.seed}-early-help-held")
        undecided = {row[0] for row in t_contact.rows}
        waiting = (t_assess, t_factor, t_step, t_contact, t_note)
        for t in waiting:
            t.flush()  # numbered before the next contacts are, each table from the next free id
        eh_team = self.team_of_kind["early_help"]
        eh_manager = Team.objects.get(pk=eh_team).manager_id
        t_decided = self.table(Contact, ("child_id", "received_at", "source", "concerns",
                                         "consent", "decision", "decided_at", "decided_by_id",
                                         "decision_reason"), self.demo["front_door"])
        t_held = self.table(Allocation, ("child_id", "worker_id", "team_id", "kind",
                                         "started_on"), self.demo["front_door"])
        spare_quiet = [child for child in quiet if child not in undecided]
        for child in sorted(held.sample(spare_quiet, min(held.randint(1, 2), len(spare_quiet)))):
            received = moment(yesterday, held.randint(9, 12))
            decided = moment(yesterday, held.randint(13, 16))
            source = held.choice(sorted(CONCERNS))
            t_decided.add((child, received, source, CONCERNS[source], "given", "early_help",
                           decided, self.demo["front_door"],
                           "Needs can be met by early help with the family's consent"), decided)
            t_held.add((child, eh_manager, eh_team, Allocation.Kind.EARLY_HELP, yesterday),
                       decided)
        for t in (t_decided, t_held):
            t.flush()
        return list(dict.fromkeys(t.model for t in (*waiting, t_held)))


DAY7 = timedelta(days=7)


EH_ORGANISATION = "Cairn Early Help"
EH_DEMO_CASELOAD = 12  # open early help episodes earlyhelp.demo carries
EH_CASELOAD = 17  # open episodes each other early help worker carries
TEAM_SIZE = 8  # workers in a team (early help, fostering), as the social work teams are sized
FOSTERING_HOUSEHOLDS = 18  # households a supervising social worker supports
EH_REASONS = ("parenting and routines", "school attendance", "housing and money worries",
              "a parent's mental health", "conflict at home", "the child's behaviour")
EH_ENDINGS = ("Plan outcomes achieved", "Family no longer wished to engage",
              "Support continues from universal services", "Family moved away")
# (need, outcome wanted, actions, who is responsible)
EH_NEEDS = (
    ("School attendance has fallen below 85%",
     "The children attend school every day and arrive on time",
     "Morning routine agreed with the parents; attendance officer checks in weekly",
     "Parents and school attendance officer"),
    ("The parents struggle with routines and boundaries",
     "Calm bedtimes and clear rules the children understand",
     "Eight-week parenting programme; home visits to practise routines",
     "Family support worker"),
    ("Rent arrears put the family's tenancy at risk",
     "The tenancy is secure and the arrears repaid by agreement",
     "Referral to money advice; repayment plan with the housing officer",
     "Mother and housing officer"),
    ("Mother's low mood affects the care of the children",
     "Mother has support for her mental health and feels able to cope",
     "GP appointment; self-referral to talking therapies",
     "Mother and GP"),
    ("The child's behaviour at school has led to exclusions",
     "No further exclusions; the child has a trusted adult in school",
     "Pastoral support plan; weekly mentoring sessions",
     "School SENCo"),
    ("The children see their parents argue",
     "The children no longer see arguments at home",
     "Healthy relationships course for the parents; safety plan agreed",
     "Parents and domestic abuse service"),
    ("The child is isolated and has few activities outside school",
     "The child joins a club and sees friends each week",
     "Introduction to the youth club; funded activity place",
     "Youth worker"),
    ("The young person cares for a disabled parent",
     "The young person has time for school and friends",
     "Young carers' assessment; review of the parent's care package",
     "Young carers service"),
    ("Home conditions are cluttered and unhygienic",
     "The home is clean and safe for the children",
     "Practical help to clear the home and set cleaning routines",
     "Family support worker"),
    ("Speech and language delay before starting school",
     "The child is ready to start reception",
     "Speech and language therapy referral; funded nursery place",
     "Health visitor"),
)
EH_NOTES = {"met": "Done: the family and school both say so.",
            "progressing": "Some change; keep going with the actions agreed.",
            "not_progressing": "Little change since the plan began; actions to be reconsidered."}
STEP_UP_WHY = (
    "No progress on the family plan over two reviews and the worries about neglect have grown: "
    "the home conditions are worse and the school reports the children hungry.",
    "The child disclosed at school that a parent hits them when angry; early help cannot "
    "manage this risk and a social work assessment is needed.",
    "The parents have stopped engaging with the plan and the children are missing school; "
    "the team around the family agreed to ask for a referral to children's social care.",
)
STEP_DOWN_WHY = ("The worries that led to the referral have eased and the family want support "
                 "to continue; early help can hold the remaining needs with a family plan.")
# (worries, what is working well, what needs to happen)
REASSESSMENTS = (
    ("Mother's new partner has moved in and little is known about him.",
     "The children are at school every day and well presented.",
     "Checks on the new partner; see the children alone at home and at school."),
    ("A police call-out to the home last month after an argument between the parents.",
     "Mother called the police herself and kept the children safe upstairs.",
     "Update the safety plan with both parents; refer to the domestic abuse service."),
    ("The family have moved to temporary accommodation out of the area.",
     "The children still attend the same school; the parents keep in touch with the worker.",
     "Agree transport to school; make sure health services know the new address."),
)
