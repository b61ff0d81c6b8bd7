"""The Children in Need census as a projection of the record.

One <Child> per child with a CIN episode (a referral) open at some time in the year, one
<CINdetails> per such referral, and inside it the assessments, CIN plans, section 47 enquiries
and child protection plans of that referral. The root <Message> carries no namespace; `Sex` is
M/F/U (from 2024-25). InitialCPCtarget is the ICPC due date of core.timescales' "icpc" rule.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

import cairn
from cairn.core import names, timescales
from cairn.core.models import TimescaleRule
from cairn.frontdoor.models import Referral
from cairn.people.models import Disability
from cairn.protection.models import (
    Assessment,
    AssessmentFactor,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    PlanCategoryChange,
    Section47Enquiry,
)

from .selectors import CollectionYear, authority, by_child, children, current

SOFTWARE_CODE = "Cairn"


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _add(parent: ET.Element, tag: str, text) -> ET.Element | None:
    if text is None or text == "":
        return None
    el = ET.SubElement(parent, tag)
    el.text = str(text)
    return el


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _referrals(cy: CollectionYear):
    return (Referral.objects.current().filter(received_on__lte=cy.end)
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=cy.start))
            .order_by("child_id", "received_on", "id"))


def _icpc_targets(child_ids: list[int], today: date) -> tuple[dict[tuple[int, date], date],
                                                               TimescaleRule | None]:
    """(child, s47 start) -> the ICPC due date, from the timescale engine; and the rule, for
    the enquiries whose clock stopped before it fell due (no conference was needed)."""
    rules = list(TimescaleRule.objects.filter(code=names.ICPC))
    if not rules:
        return {}, None
    return {(due.child_id, due.clock_from): due.due_on
            for due in timescales.evaluate(child_ids, today=today, rules=rules)
            if due.sequence == 1}, rules[0]


def _icpc_target(s, targets: dict, rule: TimescaleRule | None) -> date | None:
    """The census's InitialCPCtarget: the day the ICPC was due, whether or not one was needed.
    An enquiry that ended with no conference stopped the clock before anything fell due, so
    the engine gives no due item for it; its target is the rule's limit from the strategy
    discussion all the same (the census asks for it on every enquiry)."""
    found = targets.get((s.child_id, s.started_on))
    if found or rule is None or not s.icpc_not_required:
        return found
    return timescales.add_period(s.strategy_discussion.held_on, rule.first_limit,
                                 rule.first_unit)


def build(year: int, *, created_at: datetime | None = None) -> ET.Element:
    """The census <Message> for the year ending 31 March `year`."""
    cy = CollectionYear(year)
    referrals = list(_referrals(cy))
    ref_ids = [r.pk for r in referrals]
    kids = children({r.child_id for r in referrals})
    ids = list(kids)

    def by_referral(rows, key="referral_id"):
        out = defaultdict(list)
        for row in rows:
            out[getattr(row, key)].append(row)
        return out

    assessments = by_referral(current(Assessment, ids, "started_on")
                              .filter(referral_id__in=ref_ids, started_on__lte=cy.end)
                              .filter(Q(authorised_on__isnull=True)
                                      | Q(authorised_on__gte=cy.start)))
    factors = defaultdict(list)
    for f in current(AssessmentFactor, ids, "code").order_by("assessment_id", "code", "id"):
        factors[f.assessment_id].append(f.code)
    cin_plans = by_referral(current(CINPlan, ids, "started_on")
                            .filter(referral_id__in=ref_ids, started_on__lte=cy.end)
                            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=cy.start)))
    s47s = defaultdict(list)
    for s in (current(Section47Enquiry, ids, "started_on")
              .filter(strategy_discussion__referral_id__in=ref_ids, started_on__lte=cy.end)
              .select_related("strategy_discussion")):
        s47s[s.strategy_discussion.referral_id].append(s)
    conferences = by_child(current(ChildProtectionConference, ids, "held_on"))
    icpc_by_s47 = {c.section47_id: c for cs in conferences.values() for c in cs
                   if c.kind == "initial" and c.section47_id}
    all_plans = by_child(current(ChildProtectionPlan, ids, "started_on"))
    changes = defaultdict(list)
    for ch in current(PlanCategoryChange, ids, "changed_on"):
        changes[ch.plan_id].append(ch)
    disabilities = by_child(current(Disability, ids, "code", child="person_id"),
                            key="person_id")
    targets = _icpc_targets(ids, max(cy.end, timezone.localdate()))

    root = ET.Element("Message")
    header = ET.SubElement(root, "Header")
    details = ET.SubElement(header, "CollectionDetails")
    _add(details, "Collection", "CIN")
    _add(details, "Year", year)
    _add(details, "ReferenceDate", iso(cy.end))
    source = ET.SubElement(header, "Source")
    _add(source, "SourceLevel", "L")
    _add(source, "LEA", authority()["la_number"])
    _add(source, "SoftwareCode", SOFTWARE_CODE)
    _add(source, "Release", getattr(cairn, "__version__", "0.1.0"))
    _add(source, "SerialNo", "001")
    _add(source, "DateTime", (created_at or timezone.localtime()).strftime("%Y-%m-%dT%H:%M:%S"))
    children_el = ET.SubElement(root, "Children")

    refs_by_child = by_child(referrals)
    for pk in sorted(ids, key=lambda pk: kids[pk].la_child_id):
        child = kids[pk]
        el = ET.SubElement(children_el, "Child")
        ident = ET.SubElement(el, "ChildIdentifiers")
        _add(ident, "LAchildID", child.la_child_id)
        _add(ident, "UPN", child.upn)
        _add(ident, "FormerUPN", child.former_upn)
        if not child.upn:
            _add(ident, "UPNunknown", child.upn_unknown or "UN5")
        if child.birth_date:
            _add(ident, "PersonBirthDate", iso(child.birth_date))
        else:
            _add(ident, "ExpectedPersonBirthDate", iso(child.expected_birth_date))
        _add(ident, "Sex", child.sex)
        _add(ident, "PersonDeathDate", iso(child.death_date if child.death_date
                                           and child.death_date <= cy.end else None))
        chars = ET.SubElement(el, "ChildCharacteristics")
        _add(chars, "Ethnicity", child.ethnicity)
        dis = ET.SubElement(chars, "Disabilities")
        codes = sorted({x.code for x in disabilities.get(pk, [])}) or ["NONE"]
        for code in codes:
            _add(dis, "Disability", code)
        for ref in refs_by_child[pk]:
            _cin_details(el, ref, cy, assessments, factors, cin_plans, s47s, icpc_by_s47,
                         all_plans.get(pk, []), changes, conferences.get(pk, []), targets)
    ET.indent(root, space="  ")
    return root


def _cin_details(el, ref, cy, assessments, factors, cin_plans, s47s, icpc_by_s47, plans,
                 changes, conferences, targets) -> None:
    det = ET.SubElement(el, "CINdetails")
    closed = ref.closed_on if ref.closed_on and ref.closed_on <= cy.end else None
    _add(det, "CINreferralDate", iso(ref.received_on))
    _add(det, "ReferralSource", ref.source)
    _add(det, "PrimaryNeedCode", ref.primary_need)
    _add(det, "CINclosureDate", iso(closed))
    _add(det, "ReasonForClosure", ref.closure_reason if closed else None)
    enquiries = s47s.get(ref.pk, [])
    # The ICPC date sits in <Section47> where an enquiry led to it; rule 2884 refuses it twice.
    for a in assessments.get(ref.pk, []):
        ael = ET.SubElement(det, "Assessments")
        authorised = a.authorised_on if a.authorised_on and a.authorised_on <= cy.end else None
        _add(ael, "AssessmentActualStartDate", iso(a.started_on))
        _add(ael, "AssessmentAuthorisationDate", iso(authorised))
        if authorised:
            fel = ET.SubElement(ael, "FactorsIdentifiedAtAssessment")
            for code in factors.get(a.pk, []) or ["21"]:
                _add(fel, "AssessmentFactors", code)
    for p in cin_plans.get(ref.pk, []):
        pel = ET.SubElement(det, "CINPlanDates")
        _add(pel, "CINPlanStartDate", iso(p.started_on))
        _add(pel, "CINPlanEndDate", iso(p.ended_on if p.ended_on and p.ended_on <= cy.end
                                         else None))
    for s in enquiries:
        icpc = icpc_by_s47.get(s.pk)
        if icpc and icpc.held_on < cy.start:
            continue  # its conference was in an earlier census (8715: the ICPC is in the year)
        if s.completed_on and s.completed_on < cy.start and not (
                icpc and cy.contains(icpc.held_on)):
            continue
        sel = ET.SubElement(det, "Section47")
        _add(sel, "S47ActualStartDate", iso(s.started_on))
        _add(sel, "InitialCPCtarget", iso(_icpc_target(s, *targets)))
        _add(sel, "DateOfInitialCPC", iso(icpc.held_on if icpc and icpc.held_on <= cy.end
                                          else None))
        _add(sel, "ICPCnotRequired", _bool(s.icpc_not_required))
    _add(det, "ReferralNFA", _bool(ref.nfa))
    for i, plan in enumerate(plans):
        if plan.referral_id != ref.pk or plan.started_on > cy.end or (
                plan.ended_on and plan.ended_on < cy.start):
            continue
        cel = ET.SubElement(det, "ChildProtectionPlans")
        _add(cel, "CPPstartDate", iso(plan.started_on))
        _add(cel, "CPPendDate", iso(plan.ended_on if plan.ended_on and plan.ended_on <= cy.end
                                    else None))
        _add(cel, "InitialCategoryOfAbuse", plan.initial_category_of_abuse)
        latest = [c for c in changes.get(plan.pk, []) if c.changed_on <= cy.end]
        _add(cel, "LatestCategoryOfAbuse",
             latest[-1].category if latest else plan.initial_category_of_abuse)
        _add(cel, "NumberOfPreviousCPP", i)
        reviews = [c.held_on for c in conferences
                   if c.kind == "review" and c.plan_id == plan.pk and c.held_on <= cy.end]
        if reviews:  # a plan not yet reviewed has no <Reviews> (an empty one says nothing)
            rev = ET.SubElement(cel, "Reviews")
            for day in reviews:
                _add(rev, "CPPreviewDate", iso(day))


def to_bytes(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
