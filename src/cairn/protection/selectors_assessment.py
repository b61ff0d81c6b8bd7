"""Reads for referral, assessment and child in need plan pages: what a child's record shows of
them, the assessment clock, assessments due an update (F1) and cumulative concern (F26)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from cairn.access import policy
from cairn.core import facts, names, timescales
from cairn.core.models import AuditEvent
from cairn.frontdoor.models import Contact, Referral

from .models import (
    Assessment,
    AssessmentDecision,
    AssessmentFactor,
    AssessmentFactors,
    CINPlan,
    PlanNeed,
    Visit,
)

# F1: an assessment is out of date once one of these follows its authorisation.
SIGNIFICANT_EVENTS = (names.CONTACT_RECEIVED, names.REFERRAL_RECEIVED,
                      names.STRATEGY_DISCUSSION_HELD, names.MISSING_STARTED,
                      names.PLACEMENT_STARTED, names.LEGAL_ORDER_MADE)


def referrals(child) -> QuerySet[Referral]:
    return (Referral.objects.current().filter(child=child).select_related("contact")
            .order_by("-received_on", "-pk"))


def open_referrals(child) -> QuerySet[Referral]:
    """Referrals that can take an assessment or a plan: open and not closed with NFA."""
    return referrals(child).filter(closed_on__isnull=True, nfa=False)


def contact_for(child, contact_id) -> Contact | None:
    """One of the child's contacts, to prefill a referral from."""
    try:
        return Contact.objects.current().filter(child=child, pk=int(contact_id)).first()
    except (TypeError, ValueError):
        return None


def assessment_for(staff, assessment_id: int, *, action: str, page: str) -> Assessment:
    """An assessment on a child `staff` may `action`, or 404 (logged) as a missing one is."""
    assessment = (Assessment.objects.current().select_related("referral", "submitted_by",
                                                              "authorised_by")
                  .filter(pk=assessment_id).first())
    child = policy.child_for(staff, assessment.child_id if assessment else None,
                             action=action, page=page)
    assessment.child = child
    return assessment


def cin_plan_for(staff, plan_id: int, *, page: str, action: str = policy.RECORD) -> CINPlan:
    plan = CINPlan.objects.current().select_related("referral").filter(pk=plan_id).first()
    child = policy.child_for(staff, plan.child_id if plan else None, action=action, page=page)
    plan.child = child
    return plan


def plan_need_for(plan: CINPlan, need_id: int, *, staff, page: str) -> PlanNeed:
    """A need of `plan` (whose child the caller has checked), or 404 (logged)."""
    need = policy.object_for(staff, plan.needs.current(), need_id, page=page, child=plan.child,
                             message="No such need")
    need.child, need.cin_plan = plan.child, plan
    return need


def decisions(assessment: Assessment) -> QuerySet[AssessmentDecision]:
    return assessment.decisions.current().select_related("decided_by").order_by("-decided_at")


@dataclass
class AssessmentVersion:
    """One saved version of an assessment, as it was then (from the audit trail)."""

    number: int
    at: object  # when it was saved
    by: object  # who saved it
    what: str  # what the save was: submitted, returned...
    assessment: Assessment  # unsaved: the row's values at that version
    factors: list | None  # AssessmentFactor rows (unsaved); None where they were not kept
    decisions: list = field(default_factory=list)  # managers' decisions on this version


SAVES = {"assessment.started": "Started", "assessment.saved": "Saved as a draft",
         "assessment.submitted": "Submitted to a manager",
         "assessment.returned": "Returned to the worker", "assessment.authorised": "Authorised"}


def _as_saved(values: dict) -> Assessment:
    kept = {f.attname: f.to_python(values[f.attname]) for f in Assessment._meta.concrete_fields
            if f.attname in values}
    return Assessment(**kept)


def assessment_versions(assessment: Assessment) -> list[AssessmentVersion]:
    """Every version of the assessment that can be opened, oldest first: each one the audit
    trail kept when it was saved, and the one there is now. A manager's decision names the
    version they read, so it opens as they read it. Two queries."""
    decided: dict[int, list] = defaultdict(list)
    for decision in decisions(assessment):
        if decision.assessment_version:
            decided[decision.assessment_version].append(decision)
    found: dict[int, AssessmentVersion] = {}
    for event in (AuditEvent.objects.filter(object_type=Assessment._meta.label_lower,
                                            object_id=str(assessment.pk))
                  .exclude(kind=AuditEvent.Kind.VIEWED).select_related("actor")
                  .order_by("at", "pk")):
        after = event.after or {}
        number = after.get("version")
        if not isinstance(number, int):
            continue
        codes = after.get("factors")
        factors = (None if codes is None else
                   [AssessmentFactor(assessment=assessment, code=code) for code in codes])
        saved = _as_saved(after)
        saved.referral = assessment.referral
        found[number] = AssessmentVersion(number, event.at, event.actor,
                                          SAVES.get(event.action, "Changed"), saved, factors)
    if assessment.version not in found:  # made before the audit kept it (or loaded)
        found[assessment.version] = AssessmentVersion(
            assessment.version, assessment.recorded_at, assessment.recorded_by, "As it is now",
            assessment, list(assessment.factors.current().order_by("code")))
    for number, version in found.items():
        version.decisions = decided.get(number, [])
    return [found[n] for n in sorted(found)]


def next_cin_review(plan: CINPlan):
    """The plan's next review due under the authority's rule (timescales.Due), or None when
    the plan has ended or no rule is in force."""
    if plan.ended_on is not None:
        return None
    for item in timescales.evaluate([plan.child_id],
                                    rules=timescales.active_rules([names.CIN_PLAN_REVIEW])):
        if item.is_open:
            return item
    return None


def factor_codes(assessment: Assessment) -> list[str]:
    return list(assessment.factors.current().values_list("code", flat=True))


def assessment_clock(assessment: Assessment, *, today: date | None = None):
    """The engine's assessment clock for this assessment's referral (its limit is the rule's:
    the page says it with `Due.limit_label`)."""
    return timescales.due_for(names.ASSESSMENT, assessment.child_id,
                              assessment.referral.received_on, today=today)


def child_work(child) -> dict:
    """The child's assessments (with factors) and child in need plans (with needs, visits)."""
    assessments = list(
        Assessment.objects.current().filter(child=child).select_related("referral")
        .prefetch_related(Prefetch("factors", AssessmentFactor.objects.current(),
                                   to_attr="current_factors"))
        .order_by("-started_on", "-pk"))
    plans = list(
        CINPlan.objects.current().filter(child=child)
        .prefetch_related(Prefetch("needs", PlanNeed.objects.current().order_by("pk"),
                                   to_attr="current_needs"),
                          Prefetch("visits", Visit.objects.current().order_by("-visited_on"),
                                   to_attr="current_visits"))
        .order_by("-started_on", "-pk"))
    return {"assessments": assessments, "cin_plans": plans}


@dataclass(frozen=True)
class UpdateDue:
    """An authorised assessment that significant events have since overtaken (F1)."""

    child_id: int
    assessment_id: int
    authorised_on: date
    events: list = field(default_factory=list)  # facts.Occurrence, oldest first


def updates_due(child_ids: Iterable[int]) -> dict[int, UpdateDue]:
    """For each child, their latest authorised assessment if a significant event (a contact,
    referral, strategy discussion, missing episode, placement move or order) followed it and no
    assessment has started since. Three queries whatever the number of children."""
    ids = list(child_ids)
    if not ids:
        return {}
    latest: dict[int, tuple[date, int]] = {}
    for child_id, authorised_on, pk in (
            Assessment.objects.current().filter(child_id__in=ids, authorised_on__isnull=False)
            .order_by("child_id", "authorised_on", "pk")
            .values_list("child_id", "authorised_on", "pk")):
        latest[child_id] = (authorised_on, pk)
    if not latest:
        return {}
    wanted = [n for n in SIGNIFICANT_EVENTS if n in facts.REGISTRY] + [names.ASSESSMENT_STARTED]
    found = facts.occurrences(wanted, list(latest))
    out = {}
    for child_id, (authorised_on, pk) in latest.items():
        restarted = [o for o in found[names.ASSESSMENT_STARTED].get(child_id, [])
                     if o.on > authorised_on]
        events = sorted((o for name in wanted if name != names.ASSESSMENT_STARTED
                         for o in found[name].get(child_id, []) if o.on > authorised_on),
                        key=lambda o: (o.on, o.fact))
        if events and not any(r.on >= events[0].on for r in restarted):
            out[child_id] = UpdateDue(child_id, pk, authorised_on, events)
    return out


@dataclass
class ConcernEvent:
    on: date
    kind: str  # "Contact" or "Referral"
    source: str
    detail: str = ""
    factors: list[str] = field(default_factory=list)
    re_referral: bool = False


@dataclass
class CumulativeConcern:
    events: list[ConcernEvent]
    contacts_12m: int
    referrals_12m: int
    re_referrals: int
    factor_counts: list[tuple[str, int]]  # factor label, times identified, most first

    @property
    def any(self) -> bool:
        return bool(self.events)


RE_REFERRAL_DAYS = 365  # DfE: a referral within 12 months of a previous referral


def cumulative_concern(child, *, today: date | None = None) -> CumulativeConcern:
    """Every contact and referral about the child over time, with sources and assessment
    factors, counts for the last 12 months and re-referrals (F26). Three queries."""
    today = today or timezone.localdate()
    year_ago = today - timedelta(days=RE_REFERRAL_DAYS)
    contacts = list(Contact.objects.current().filter(child=child).order_by("received_at"))
    refs = list(Referral.objects.current().filter(child=child).order_by("received_on", "pk"))
    factors_by_referral: dict[int, list[str]] = defaultdict(list)
    counts: Counter = Counter()
    for referral_id, code in (
            AssessmentFactor.objects.current().filter(child=child,
                                                      assessment__voided_at__isnull=True)
            .order_by("code").values_list("assessment__referral_id", "code")):
        factors_by_referral[referral_id].append(code)
        counts[code] += 1
    factor_names = dict(AssessmentFactors.choices)
    events = [ConcernEvent(timezone.localtime(c.received_at).date(), "Contact",
                           c.get_source_display(), c.get_decision_display() or "No decision yet")
              for c in contacts]
    previous = None
    re_referrals = 0
    for r in refs:
        again = previous is not None and (r.received_on - previous).days <= RE_REFERRAL_DAYS
        re_referrals += again
        detail = r.get_primary_need_display() or "Primary need not recorded"
        if r.nfa:
            detail += "; no further action"
        events.append(ConcernEvent(r.received_on, "Referral", r.get_source_display(), detail,
                                   [factor_names.get(code, code) for code in
                                    factors_by_referral.get(r.pk, [])], again))
        previous = r.received_on
    events.sort(key=lambda e: (e.on, e.kind), reverse=True)
    return CumulativeConcern(
        events=events,
        contacts_12m=sum(1 for e in events if e.kind == "Contact" and e.on > year_ago),
        referrals_12m=sum(1 for e in events if e.kind == "Referral" and e.on > year_ago),
        re_referrals=re_referrals,
        factor_counts=[(factor_names.get(code, code), n) for code, n in counts.most_common()])
