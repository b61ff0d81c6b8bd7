"""Ofsted's Annex A (ILACS) Lists 1-11 as a projection of the record.

Headings and coded labels are the ones liiatools 0.2.0 recognises (spec/annex_a
annex-a-merge.yml and data-map.yml). Lists 1-9 cover the six months before the as-of date,
Lists 10 and 11 twelve months, as the Data to Insight Annex A tool does; "in the last 12
months" counts look back twelve months. The ICPC and visit dates come from the record's facts;
no timescale is recomputed here.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

from django.db.models import Q

from cairn.care.models import (
    CLAReview,
    DentalCheck,
    HealthAssessment,
    IROContact,
    LookedAfterEpisode,
    MissingEpisode,
    StatutoryVisit,
)
from cairn.frontdoor.models import Contact, EarlyHelpAssessment, Referral
from cairn.leaving_care.models import (
    CareLeaverAccommodation,
    CareLeaverActivity,
    LeavingCareEligibility,
    PersonalAdviserContact,
)
from cairn.people.models import Disability
from cairn.permanence.models import (
    AdopterFamily,
    AdoptionDecision,
    AdoptionMatch,
    AdoptionOrder,
    PermanencePlan,
    PlacedForAdoption,
    PlacementOrder,
)
from cairn.protection.models import (
    Assessment,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    PlanCategoryChange,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
)
from cairn.workforce.models import Allocation

from . import xlsx
from .selectors import age_on, by_child, children, current

COMMON = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"]
DIS = "Does the Child have a Disability"
TEAM = ["Allocated Team", "Allocated Worker"]
HEADINGS = {
    "List 1": COMMON + ["Date of Contact", "Contact Source"],
    "List 2": COMMON + ["Assessment start date", "Assessment completion date",
                        "Organisation completing assessment"],
    "List 3": COMMON + ["Date of referral", "Referral Source", "Referral NFA?",
                        "Number of Referrals in Last 12 Months"] + TEAM,
    "List 4": COMMON + [DIS, "Continuous Assessment Start Date",
                        "Child Seen During Continuous Assessment",
                        "Continuous Assessment Date of Authorisation",
                        "Was the child assessed as requiring LA children's social care support?"]
    + TEAM,
    "List 5": COMMON + [DIS, "Strategy discussion initiating Section 47 Enquiry Start Date",
                        "Was an Initial Child Protection Conference deemed unnecessary?",
                        "Date of Initial Child Protection Conference",
                        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
                        "Number of Section 47 Enquiries in the last 12 months",
                        "Number of ICPCs in the last 12 months"] + TEAM,
    "List 6": COMMON + [DIS, "CIN Start Date", "Primary Need Code", "Date Child Was Last Seen",
                        "CIN Closure Date", "Reason for Closure", "Case Status"] + TEAM,
    "List 7": COMMON + [DIS, "Child Protection Plan Start Date", "Initial Category of Abuse",
                        "Latest Category of Abuse", "Date of the Last Statutory Visit",
                        "Was the Child Seen Alone?", "Date of latest review conference",
                        "Child Protection Plan End Date",
                        "Subject to Emergency Protection Order or Protected Under Police Powers "
                        "in Last Six Months (Y/N)",
                        "Number of Previous Child Protection Plans"] + TEAM,
    "List 8": COMMON + [
        "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)", DIS,
        "Date Started to be Looked After", "Child's Category of Need",
        "Is this a second or subsequent period of being a Looked After Child within the last "
        "12 months (Y/N)",
        "Start date of current legal status", "Child's Legal Status",
        "Date of Latest Statutory Review", "Date of Last Social Work Visit",
        "What is the permanence plan for this child?",
        "Date of Last IRO Visit / Contact to the Child", "Date of Last Health Assessment",
        "Date of Last Dental Check", "Number of Placements in the Last 12 months",
        "Date Ceased to be Looked After", "Reason Ceased to be Looked After",
        "Start Date of Most Recent Placement", "Placement Type", "Placement Provider",
        "Placement postcode", "URN of Placement", "Placement Location", "LA of Placement",
        "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 "
        "months",
        "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 "
        "months",
        "Was the child offered a Return Interview after their last missing episode (Y/N)?",
        "Did the child accept a Return Interview after their last missing episode (Y/N)?"]
    + TEAM,
    "List 9": COMMON + [DIS] + TEAM + ["Eligibility Category", "LA in Touch",
                                       "Type of Accommodation", "Suitability of Accommodation",
                                       "Activity Status"],
    "List 10": ["Child Unique ID", "Family identifier", "Gender", "Ethnicity", "Date of Birth",
                "Age of Child (Years)", DIS, "Date the Child Entered Care",
                "Date of Decision that Child Should be Placed for Adoption",
                "Date of Placement Order", "Date of Matching Child and Prospective Adopters",
                "Date Placed for Adoption", "Date of Adoption Order",
                "Date of Decision that Child Should No Longer be Placed for Adoption",
                "Reason Why Child No Longer Placed for Adoption",
                "Date the child was placed for fostering in FFA or concurrent planning "
                "placement"],
    "List 11": ["Individual adopter identifier", "Family identifier", "Gender", "Ethnicity",
                "Disability", "Is the (prospective) adopter fostering for adoption?",
                "Date enquiry received", "Date Stage 1 started", "Date Stage 1 ended",
                "Date Stage 2 started", "Date Stage 2 ended", "Date application submitted",
                "Date application approved", "Date adopter matched with child(ren)",
                "Date child/children placed with adopter(s)", "No. of children placed",
                "Date of Adoption Order", "Date of leaving adoption process",
                "Reason for leaving adoption process"],
}

# The coded labels of liiatools' data-map.yml, keyed by the record's DfE codes.
GENDER = {"M": "a) Male", "F": "b) Female", "U": "c) Not stated/recorded"}
ETHNICITY = {code: f"{letter}) {code}" for letter, code in zip(
    "abcdefghijklmnopqr", ["WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS",
                           "MOTH", "AIND", "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH",
                           "CHNE", "OOTH"])}
ETHNICITY.update({"REFU": "s) REFU", "NOBT": "s) NOBT"})
SOURCE = {
    "1A": "a) 1A: Individual", "1B": "b) 1B: Individual", "1C": "c) 1C: Individual",
    "1D": "d) 1D: Individual", "2A": "e) 2A: Schools", "2B": "f) 2B: Education services",
    "3A": "g) 3A: Health services", "3B": "h) 3B: Health services",
    "3C": "i) 3C: Health services", "3D": "j) 3D: Health services",
    "3E": "k) 3E: Health services", "3F": "l) 3F: Health services", "4": "m) 4: Housing",
    "5A": "n) 5A: LA services", "5B": "o) 5B: LA services", "5C": "p) 5C: LA services",
    "5D": "p) 5C: LA services", "6": "q) 6: Police", "7": "r) 7: Other legal agency",
    "8": "s) 8: Other", "9": "t) 9: Anonymous", "10": "u) 10: Unknown",
}
NEED = {"N0": "N0 - Not stated", "N1": "N1 - Abuse or neglect", "N2": "N2 - Child's disability",
        "N3": "N3 - Parental disability or illness", "N4": "N4 - Family in acute stress",
        "N5": "N5 - Family dysfunction", "N6": "N6 - Socially unacceptable behaviour",
        "N7": "N7 - Low income", "N8": "N8 - Absent parenting",
        "N9": "N9 - Cases other than children in need"}
CLOSURE = {
    "RC1": "RC1 - Adopted", "RC2": "RC2 - Died", "RC3": "RC3 - Child arrangements order",
    "RC4": "RC4 - Special guardianship order",
    "RC5": "RC5 - Transferred to services of another local authority",
    "RC6": "RC6 - Transferred to adult social care services",
    "RC7": "RC7 - Services ceased for any other reason, including child no longer in need",
    "RC8": "RC8 - Case closed after assessment, no further action",
    "RC9": "RC8 - Case closed after assessment, no further action",
}
ABUSE = {"NEG": "a) Neglect", "PHY": "b) Physical abuse", "SAB": "c) Sexual abuse",
         "EMO": "d) Emotional abuse", "MUL": "e) Multiple/not recommended"}
LEGAL = {"E1": "E1: Placement order", "C1": "C1: ICO", "C2": "C2: FCO",
         "D1": "D1: Freeing order", "V2": "V2: Single period under S20",
         "L1": "L1: Police protection LA accommodation", "L2": "L2: EPO",
         "L3": "L3: Child assessment order LA accommodation",
         "J1": "J1: Remanded to LA or youth detention", "J2": "J2: LA accommodation under PACE",
         "J3": "J3: Youth rehabilitation order", "V3": "V3: Short term breaks, episodes recorded",
         "V4": "V4: Short term breaks, agreements recorded"}
PERMANENCE = {"a": "a) Return to family", "b": "b) Adoption", "c": "c) SGO/CAO",
              "d": "d) Supported living in the community",
              "e": "e) Long-term residential placement", "f": "f) Long-term fostering",
              "g": "g) other"}
CEASED = {
    "E11": "a) E11: Adopted - application unopposed", "E12": "b) E12: Adopted - consent dispensed",
    "E15": "r) E15: Age assessment determined child was 18 or over", "E2": "c) E2: Died",
    "E3": "d) E3: Care taken by another LA",
    "E4B": "f) E4B: Returned home to live with parents or relatives - not part of planning",
    "E4A": "e) E4A: Returned home to live with parents or relatives - part of planning",
    "E13": "g) E13: Parents, relatives or other with no parental responsibility",
    "E41": "h) E41: Residence order granted",
    "E45": "i) E45: Special Guardianship Orders - former carer relative/friend",
    "E46": "j) E46: Special Guardianship Orders - former carer other",
    "E47": "k) E47: Special Guardianship Orders - relative/friend",
    "E48": "l) E48: Special Guardianship Orders - other",
    "E5": "m) E5: Moved into independent living - supported",
    "E6": "n) E6: Moved into independent living - no support",
    "E7": "o) E7: Transferred to residential care funded by adult social services",
    "E9": "p) E9: Sentenced to custody", "E14": "q) E14: Accommodation on remand ended",
    "E16": "s) E16: Child moved abroad", "E8": "t) E8: Care ceased for any other reason",
    "E17": "v) E17: Aged 18+ and remained with current carers",
}
PLACEMENT = {
    "U1": "a) U1: Foster placement - relatives - long term",
    "U2": "b) U2: Foster placement - relative - FFA",
    "U3": "c) U3: Foster placement - relative - not FFA",
    "U4": "d) U4: Foster placement - long term", "U5": "e) U5: Foster placement - FFA",
    "U6": "f) U6: Foster placement - not FFA",
    "A3": "g) A3: Placed for adoption - consent - current foster",
    "A4": "h) A4: Placed for adoption - consent - not foster",
    "A5": "i) A5: Placed for adoption - order - foster",
    "A6": "j) A6: Placed for adoption - order - not foster",
    "P1": "k) P1: Placed with parents", "P3": "m) P3: Residential employment",
    "K1": "o) K1: Secure Children's Homes", "K2": "p) K2: Children's Homes",
    "K3": "n) H5: Residential accommodation", "R1": "q) R1: Residential Care Home",
    "R2": "r) R2: NHS/Health Trust", "R3": "s) R3: Family Centre or Mother and Baby Unit",
    "R5": "t) R5: Young Offender Institution", "S1": "u) S1: Residential school",
    "Z11": "v) Z1: Other placements", "Z12": "v) Z1: Other placements",
    "Z13": "v) Z1: Other placements", "Z14": "v) Z1: Other placements",
    "T0": "w) T0: Temporary placement", "T1": "x) T1: Temporary placement - hospital",
    "T2": "y) T2: Temporary placement - holiday",
    "T3": "z) T3: Temporary placement - carer holiday",
    "T4": "zz) T4: Temporary placement - seven days or less",
}
PROVIDER = {"PR0": "a) PR0: Parents/Parental responsibility", "PR1": "b) PR1: Own provision",
            "PR2": "c) PR2: Other LA provision", "PR3": "d) PR3: Other public provision",
            "PR4": "e) PR4: Private provision", "PR5": "f) PR5: Voluntary/third sector"}
ELIGIBILITY = {"relevant": "a) Relevant child", "former_relevant": "b) Former relevant child",
               "qualifying": "c) Qualifying care leaver", "eligible": "a) Relevant child"}
IN_TOUCH = {"YES": "a) Yes", "NO": "b) No", "DIED": "c) Died", "REFU": "d) Refu",
            "NREQ": "e) NREQ", "RHOM": "f) Rhom"}
ACCOMMODATION = {
    "B": "B: Parents/relatives", "C": "C: Community home/residential care",
    "D": "D: Semi-independent, transitional accommodation and self-contained accommodation",
    "E": "E: Supported lodgings", "G": "G: Abroad", "H": "H: Deported",
    "K": "K: Ordinary lodgings, without formal support", "R": "R: Residence not known",
    "S": "S: No fixed adobe/homeless", "T": "T: Foyers and similar supported accommodation",
    "U": "U: Independent living", "V": "V: Emergency accommodation", "W": "W: Bed and breakfast",
    "X": "X: In custody", "Y": "Y: Other accommodation", "Z": "Z: With former foster carers"}
ACTIVITY = {
    "F1": "F1: Full time in higher education", "P1": "P1: Part time in higher education",
    "F2": "F2: Full time in education other than higher",
    "P2": "P2: Part time in education other than higher",
    "F4": "F3: Full time in training or employment", "F5": "F3: Full time in training or employment",
    "P4": "P3: Part time in training or employment", "P5": "P3: Part time in training or employment",
    "G4": "G4: Not in education, employment or training - illness or disability",
    "G5": "G5: Not in education, employment or training - other",
    "G6": "G6: Not in education, employment or training - pregnancy or parenting"}
REASON_NO_LONGER = {
    "RD1": "RD1 - The child’s needs changed subsequent to the decision",
    "RD2": "RD2 - The Court did not make a placement order",
    "RD3": "RD3 - Prospective adopters could not be found", "RD4": "RD4 - Any other reason"}
LEFT_ADOPTION = {"1": "1 - Adopter withdrew from process", "2": "2 - Process put on hold",
                 "3": "3 - Application refused"}


def yes_no(value: bool | None) -> str | None:
    return None if value is None else ("a) Yes" if value else "b) No")


def _latest(rows, field, until):
    found = [r for r in rows if getattr(r, field) and getattr(r, field) <= until]
    return max(found, key=lambda r: (getattr(r, field), r.id)) if found else None


def build(as_of: date) -> dict[str, list[list]]:
    """Every list's rows (headings first) for the window ending on `as_of`."""
    since = as_of - timedelta(days=183)
    year_ago = as_of - timedelta(days=365)
    lists: dict[str, list[list]] = {name: [] for name in HEADINGS}
    window = (since, as_of)

    contacts = list(Contact.objects.current()
                    .filter(received_at__date__range=window).order_by("received_at", "id"))
    eh = list(EarlyHelpAssessment.objects.current().filter(started_on__range=window)
              .order_by("started_on", "id"))
    referrals = list(Referral.objects.current().filter(received_on__lte=as_of)
                     .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=year_ago))
                     .order_by("received_on", "id"))
    assessments = list(Assessment.objects.current().filter(started_on__range=window)
                       .order_by("started_on", "id"))
    discussions = list(StrategyDiscussion.objects.current().filter(held_on__lte=as_of,
                                                                   held_on__gte=year_ago)
                       .order_by("held_on", "id"))
    plans = list(ChildProtectionPlan.objects.current().filter(started_on__lte=as_of)
                 .order_by("started_on", "id"))
    episodes = list(LookedAfterEpisode.objects.current().filter(started_on__lte=as_of)
                    .order_by("started_on", "id"))
    eligibility = list(LeavingCareEligibility.objects.current().filter(started_on__lte=as_of)
                       .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=as_of))
                       .order_by("started_on", "id"))
    decisions = list(AdoptionDecision.objects.current().filter(decided_on__lte=as_of)
                     .filter(Q(no_longer_decided_on__isnull=True)
                             | Q(no_longer_decided_on__gte=year_ago)).order_by("decided_on"))
    ids = ({c.child_id for c in contacts} | {a.child_id for a in eh}
           | {r.child_id for r in referrals} | {a.child_id for a in assessments}
           | {s.child_id for s in discussions} | {p.child_id for p in plans}
           | {e.child_id for e in episodes} | {e.child_id for e in eligibility}
           | {x.child_id for x in decisions})
    kids = children(ids)
    ids = list(kids)
    disabled = set(Disability.objects.current().filter(person_id__in=ids)
                   .values_list("person_id", flat=True))
    allocations = by_child(current(Allocation, ids, "started_on")
                           .filter(started_on__lte=as_of)
                           .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=as_of))
                           .select_related("worker", "team"))

    def common(pk):
        c = kids[pk]
        return [c.la_child_id, GENDER.get(c.sex), ETHNICITY.get(c.ethnicity), c.birth_date,
                age_on(c.birth_date, as_of)]

    def dis(pk):
        return yes_no(pk in disabled)

    def team(pk, kind=Allocation.Kind.SOCIAL_WORKER):
        a = [x for x in allocations.get(pk, []) if x.kind == kind]
        a = a[-1] if a else None
        return [a.team.name if a else "Unallocated",
                a.worker.get_full_name() or a.worker.username if a else "Unallocated"]

    for c in contacts:
        if c.child_id in kids:
            lists["List 1"].append(common(c.child_id) + [c.received_at.date(),
                                                         SOURCE.get(c.source)])
    for a in eh:
        if a.child_id in kids:
            lists["List 2"].append(common(a.child_id) + [a.started_on, a.completed_on,
                                                         a.organisation])
    refs_by_child = by_child(referrals)
    for r in referrals:
        if since <= r.received_on <= as_of and r.child_id in kids:
            count = sum(1 for x in refs_by_child[r.child_id]
                        if year_ago <= x.received_on <= as_of)
            lists["List 3"].append(common(r.child_id) + [r.received_on, SOURCE.get(r.source),
                                                         yes_no(r.nfa), count]
                                   + team(r.child_id))
    for a in assessments:
        if a.child_id in kids:
            authorised = a.authorised_on if a.authorised_on and a.authorised_on <= as_of else None
            support = None if authorised is None or a.further_action is None else a.further_action
            lists["List 4"].append(common(a.child_id) + [
                dis(a.child_id), a.started_on, yes_no(a.child_seen_on is not None
                                                      and a.child_seen_on <= as_of),
                authorised, yes_no(support)] + team(a.child_id))
    _list5(lists, kids, discussions, common, dis, team, since, as_of, year_ago)
    _list6(lists, kids, referrals, plans, episodes, common, dis, team, since, as_of)
    _list7(lists, kids, plans, common, dis, team, since, as_of)
    _list8(lists, kids, episodes, common, dis, team, since, as_of, year_ago)
    _list9(lists, kids, eligibility, common, dis, team, as_of)
    _list10_11(lists, kids, decisions, episodes, dis, as_of, year_ago)
    return lists


def _list5(lists, kids, discussions, common, dis, team, since, as_of, year_ago):
    ids = [d.child_id for d in discussions]
    enquiries = defaultdict(list)
    for s in current(Section47Enquiry, ids, "started_on"):
        enquiries[s.strategy_discussion_id].append(s)
    icpcs = by_child(current(ChildProtectionConference, ids, "held_on").filter(kind="initial"))
    plan_conf = set(ChildProtectionPlan.objects.current().filter(child_id__in=ids)
                    .values_list("conference_id", flat=True))
    # Counted once per child, not once per row: a rescan per discussion was quadratic.
    s47_counts: dict[int, int] = defaultdict(int)
    for x in discussions:
        if enquiries.get(x.pk):
            s47_counts[x.child_id] += 1
    for d in discussions:
        found = enquiries.get(d.pk)
        if not found or d.held_on < since or d.child_id not in kids:
            continue
        s = found[0]
        icpc = next((c for c in icpcs.get(d.child_id, []) if c.section47_id == s.pk
                     and c.held_on <= as_of), None)
        s47_count = s47_counts[d.child_id]
        icpc_count = sum(1 for c in icpcs.get(d.child_id, []) if year_ago <= c.held_on <= as_of)
        lists["List 5"].append(common(d.child_id) + [
            dis(d.child_id), d.held_on, yes_no(s.icpc_not_required),
            icpc.held_on if icpc else None,
            yes_no(icpc.pk in plan_conf) if icpc else None, s47_count, icpc_count]
            + team(d.child_id))


def _last_seen_visits(ids, as_of) -> dict[int, SimpleNamespace]:
    """Each child's latest visit at which they were seen, by as_of. Plain tuples, not model
    objects: a child's whole history of visits is read to keep one of them."""
    out = {}
    for child_id, day, alone in (current(Visit, ids, "visited_on")
                                 .filter(child_seen=True, visited_on__lte=as_of)
                                 .values_list("child_id", "visited_on", "child_seen_alone")):
        out[child_id] = SimpleNamespace(visited_on=day, child_seen_alone=alone)
    return out


def _list6(lists, kids, referrals, plans, episodes, common, dis, team, since, as_of):
    ids = list({r.child_id for r in referrals})
    seen = _last_seen_visits(ids, as_of)
    cin_plans = {p.referral_id for p in current(CINPlan, ids, "started_on")
                 .filter(started_on__lte=as_of)
                 .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=as_of))}
    open_cp = {p.child_id for p in plans if p.ended_on is None or p.ended_on > as_of}
    in_care = {e.child_id for e in episodes if e.ended_on is None or e.ended_on > as_of}
    for r in referrals:
        closed = r.closed_on if r.closed_on and r.closed_on <= as_of else None
        if (closed and closed < since) or r.nfa or r.child_id not in kids:
            continue
        last = seen.get(r.child_id)
        if closed:
            status = "e) Closed episode"
        elif r.child_id in in_care:
            status = "a) Looked after child"
        elif r.child_id in open_cp:
            status = "b) Child Protection plan"
        elif r.pk in cin_plans:
            status = "c) Child in need plan"
        else:
            status = "d) Open assessment"
        lists["List 6"].append(common(r.child_id) + [
            dis(r.child_id), r.received_on, NEED.get(r.primary_need or "N0"),
            last.visited_on if last else None, closed,
            CLOSURE.get(r.closure_reason) if closed else None, status] + team(r.child_id))


def _list7(lists, kids, plans, common, dis, team, since, as_of):
    ids = [p.child_id for p in plans]
    visits = _last_seen_visits(ids, as_of)
    reviews = by_child(current(ChildProtectionConference, ids, "held_on")
                       .filter(kind="review", held_on__lte=as_of))
    changes = defaultdict(list)
    for ch in current(PlanCategoryChange, ids, "changed_on").filter(changed_on__lte=as_of):
        changes[ch.plan_id].append(ch)
    plans_by_child = by_child(plans)
    for p in plans:
        ended = p.ended_on if p.ended_on and p.ended_on <= as_of else None
        if (ended and ended < since) or p.child_id not in kids:
            continue
        visit = visits.get(p.child_id)
        review = [c for c in reviews.get(p.child_id, []) if c.plan_id == p.pk]
        latest = changes.get(p.pk)
        previous = sum(1 for x in plans_by_child[p.child_id] if x.started_on < p.started_on)
        lists["List 7"].append(common(p.child_id) + [
            dis(p.child_id), p.started_on, ABUSE.get(p.initial_category_of_abuse),
            ABUSE.get(latest[-1].category if latest else p.initial_category_of_abuse),
            visit.visited_on if visit else None, yes_no(visit.child_seen_alone) if visit else None,
            review[-1].held_on if review else None, ended, "b) No", previous]
            + team(p.child_id))


def _list8(lists, kids, episodes, common, dis, team, since, as_of, year_ago):
    by = by_child(episodes)
    ids = list(by)
    reviews = by_child(current(CLAReview, ids, "held_on").filter(held_on__lte=as_of))
    visits = by_child(current(StatutoryVisit, ids, "visited_on").filter(visited_on__lte=as_of))
    iro = by_child(current(IROContact, ids, "contacted_on").filter(contacted_on__lte=as_of))
    health = by_child(current(HealthAssessment, ids, "done_on").filter(done_on__lte=as_of))
    dental = by_child(current(DentalCheck, ids, "checked_on").filter(checked_on__lte=as_of))
    perm = by_child(current(PermanencePlan, ids, "agreed_on").filter(agreed_on__lte=as_of))
    missing = by_child(current(MissingEpisode, ids, "started_at")
                       .filter(started_at__date__range=(year_ago, as_of))
                       .select_related("return_interview"))
    for pk, eps in by.items():
        if pk not in kids:
            continue
        last = eps[-1]
        ended = last.ended_on if last.ended_on and last.ended_on <= as_of else None
        if ended and ended < since:
            continue
        start = last
        for e in reversed(eps):
            start = e
            if e.reason_new_episode == "S":
                break
        period_starts = [e.started_on for e in eps if e.reason_new_episode == "S"]
        second = sum(1 for s in period_starts if year_ago <= s <= as_of) > 1
        legal = last
        for e in reversed(eps):
            if e.legal_status != last.legal_status or e.reason_new_episode == "S":
                legal = e if e.legal_status == last.legal_status else legal
                break
            legal = e
        placements = sum(1 for e in eps if e.reason_new_episode in {"S", "P", "T", "B", "U"}
                         and (e.started_on >= year_ago or e is start)
                         and e.started_on <= as_of)
        plan = _latest(perm.get(pk, []), "agreed_on", as_of)
        ms = missing.get(pk, [])
        last_missing = [m for m in ms if m.kind == "M"]
        rhi = getattr(last_missing[-1], "return_interview", None) if last_missing else None
        child = kids[pk]
        uasc = bool(child.uasc_from and child.uasc_from <= as_of and (
            child.uasc_ceased_on is None or child.uasc_ceased_on >= year_ago))
        row = common(pk) + [
            yes_no(uasc), dis(pk), start.started_on, NEED.get(last.category_of_need),
            yes_no(second), legal.started_on, LEGAL.get(last.legal_status),
            _d(_latest(reviews.get(pk, []), "held_on", as_of), "held_on"),
            _d(_latest(visits.get(pk, []), "visited_on", as_of), "visited_on"),
            PERMANENCE.get(plan.plan_type) if plan else None,
            _d(_latest(iro.get(pk, []), "contacted_on", as_of), "contacted_on"),
            _d(_latest(health.get(pk, []), "done_on", as_of), "done_on"),
            _d(_latest(dental.get(pk, []), "checked_on", as_of), "checked_on"),
            placements, ended, CEASED.get(last.reason_ceased) if ended else None,
            last.started_on, PLACEMENT.get(last.placement_type),
            PROVIDER.get(last.placement_provider), last.placement_postcode or None,
            last.urn or None, "a) In", None,
            len(last_missing), sum(1 for m in ms if m.kind == "A"),
            yes_no(rhi is not None) if last_missing else None,
            yes_no(rhi.accepted) if rhi else None] + team(pk)
        lists["List 8"].append(row)


def _d(row, field):
    return getattr(row, field) if row else None


def _list9(lists, kids, eligibility, common, dis, team, as_of):
    ids = [e.child_id for e in eligibility]
    contacts = by_child(current(PersonalAdviserContact, ids, "contacted_on")
                        .filter(contacted_on__lte=as_of))
    accom = by_child(current(CareLeaverAccommodation, ids, "from_on").filter(from_on__lte=as_of))
    activity = by_child(current(CareLeaverActivity, ids, "from_on").filter(from_on__lte=as_of))
    for e in eligibility:
        if e.child_id not in kids:
            continue
        pk = e.child_id
        c = _latest(contacts.get(pk, []), "contacted_on", as_of)
        a = _latest(accom.get(pk, []), "from_on", as_of)
        act = _latest(activity.get(pk, []), "from_on", as_of)
        lists["List 9"].append(common(pk) + [dis(pk)] + team(pk, Allocation.Kind.PERSONAL_ADVISER)
                               + [ELIGIBILITY.get(e.category),
                                  IN_TOUCH.get(c.in_touch) if c else "b) No",
                                  ACCOMMODATION.get(a.accommodation[0]) if a else None,
                                  ("a) Suitable" if a.accommodation.endswith("1")
                                   else "b) Unsuitable") if a else None,
                                  ACTIVITY.get(act.activity) if act else None])


def _list10_11(lists, kids, decisions, episodes, dis, as_of, year_ago):
    ids = [d.child_id for d in decisions]
    orders = by_child(current(PlacementOrder, ids, "made_on").filter(made_on__lte=as_of))
    matches = by_child(current(AdoptionMatch, ids, "matched_on").filter(matched_on__lte=as_of)
                       .select_related("family"))
    placed = by_child(current(PlacedForAdoption, ids, "placed_on").filter(placed_on__lte=as_of))
    adopted = by_child(current(AdoptionOrder, ids, "made_on").filter(made_on__lte=as_of))
    eps = by_child(episodes)
    for d in decisions:
        pk = d.child_id
        if pk not in kids:
            continue
        c = kids[pk]
        m = _latest(matches.get(pk, []), "matched_on", as_of)
        starts = [e.started_on for e in eps.get(pk, []) if e.reason_new_episode == "S"
                  and e.started_on <= d.decided_on]
        po = _latest(orders.get(pk, []), "made_on", as_of)
        pl = _latest(placed.get(pk, []), "placed_on", as_of)
        ao = _latest(adopted.get(pk, []), "made_on", as_of)
        ffa = [e.started_on for e in eps.get(pk, []) if e.placement_type in {"U2", "U5"}]
        no_longer = d.no_longer_decided_on if d.no_longer_decided_on and \
            d.no_longer_decided_on <= as_of else None
        lists["List 10"].append([
            c.la_child_id, m.family.identifier if m and m.family else None,
            GENDER.get(c.sex), ETHNICITY.get(c.ethnicity), c.birth_date,
            age_on(c.birth_date, as_of), dis(pk), starts[-1] if starts else None, d.decided_on,
            po.made_on if po else None, m.matched_on if m else None,
            pl.placed_on if pl else None, ao.made_on if ao else None, no_longer,
            REASON_NO_LONGER.get(d.no_longer_reason) if no_longer else None,
            ffa[0] if ffa else None])
    families = (AdopterFamily.objects.current().filter(enquiry_on__lte=as_of)
                .filter(Q(left_on__isnull=True) | Q(left_on__gte=year_ago))
                .prefetch_related("adopters__person").order_by("identifier"))
    for f in families:
        placed_here = PlacedForAdoption.objects.current().filter(family=f, placed_on__lte=as_of)
        for a in f.adopters.all():
            p = a.person
            lists["List 11"].append([
                a.identifier, f.identifier, GENDER.get(p.sex), ETHNICITY.get(p.ethnicity),
                "b) No", yes_no(f.fostering_for_adoption), f.enquiry_on, None, None, None, None,
                f.application_on, f.approved_on, None,
                min((x.placed_on for x in placed_here), default=None),
                placed_here.count() or None, None, f.left_on,
                LEFT_ADOPTION.get(f.left_reason) if f.left_on else None])


def write(lists: dict[str, list[list]], out: Path) -> None:
    """One sheet per list, headings in row 1, dates as real Excel dates shown dd/mm/yyyy."""
    out.parent.mkdir(parents=True, exist_ok=True)
    xlsx.write({name: [headings, *lists.get(name, [])] for name, headings in HEADINGS.items()},
               out)
