"""Reads for people's pages: caseloads, search, a child's summary, notes and relationships."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone
from rapidfuzz import fuzz

from cairn.care.models import LookedAfterEpisode
from cairn.core import policy
from cairn.frontdoor.models import Referral
from cairn.legal.models import CareProceedings, LegalOrder, OrderKind
from cairn.protection.models import ChildProtectionPlan, CINPlan
from cairn.workforce.models import Allocation

from .models import Alert, CaseNote, Child, Relationship

QUERY_MAX_CHARS = 200  # longer input is cut: no name, date or identifier is longer
NAME_THRESHOLD = 72  # rapidfuzz ratio (0-100) a name word must reach to count as a match
CANDIDATE_LIMIT = 5000


def _when(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


# What is open on a child's record, as the banner and caseload say it: (attribute the prefetch
# fills, the open rows, how one reads). One query per kind, whatever the number of children.
def _open_plan_kinds():
    return [
        ("open_episodes",
         LookedAfterEpisode.objects.current().filter(ended_on__isnull=True)
         .order_by("-started_on", "-pk"),
         lambda e: f"Looked after since {_when(e.started_on)}: "
                   f"{e.get_legal_status_display()} ({e.legal_status}); "
                   f"placement {e.get_placement_type_display().lower()} ({e.placement_type})"),
        ("open_protection_plans",
         ChildProtectionPlan.objects.current().filter(ended_on__isnull=True)
         .order_by("-started_on", "-pk"),
         lambda p: f"Child protection plan since {_when(p.started_on)} "
                   f"({p.get_initial_category_of_abuse_display().lower()})"),
        ("open_cin_plans",
         CINPlan.objects.current().filter(ended_on__isnull=True).order_by("-started_on", "-pk"),
         lambda p: f"Child in need plan since {_when(p.started_on)}"),
        ("open_referrals",
         Referral.objects.current().filter(closed_on__isnull=True)
         .order_by("-received_on", "-pk"),
         lambda r: f"Open referral since {_when(r.received_on)}"),
        ("open_proceedings",
         CareProceedings.objects.current().filter(concluded_on__isnull=True)
         .order_by("-issued_on", "-pk"),
         lambda p: f"Care proceedings issued {_when(p.issued_on)} "
                   f"({p.get_application_display().lower()})"),
        ("orders_in_force",
         LegalOrder.objects.current().in_force_on(timezone.localdate())
         .order_by("-made_on", "-pk"),
         _describe_order),
    ]


def _describe_order(order) -> str:
    """An order in force (emergency, interim or final), as the banner gives the legal status."""
    until = f", until {_when(order.ends_on)}" if order.ends_on else ""
    by = order.police_force if order.kind == OrderKind.POLICE_PROTECTION else order.court
    return f"{order.get_kind_display()} from {_when(order.made_on)}{until}" + (
        f" ({by})" if by else "")


OPEN_PLAN_KINDS = len(_open_plan_kinds())
CASELOAD_QUERIES = 2 + OPEN_PLAN_KINDS  # allocations, alerts, one per kind of plan


def _related_name(queryset) -> str:
    for field in queryset.model._meta.get_fields():
        if getattr(field, "name", "") == "child" and field.is_relation:
            return field.remote_field.related_name
    raise LookupError(f"{queryset.model.__name__} has no child")


def _plan_prefetches(prefix: str = "") -> list[Prefetch]:
    return [Prefetch(prefix + _related_name(qs), qs, to_attr=attr)
            for attr, qs, _ in _open_plan_kinds()]


def plans_of(child: Child) -> list[str]:
    """The child's legal status and open plans, from the prefetched rows."""
    out = []
    for attr, _, describe in _open_plan_kinds():
        out.extend(describe(row) for row in getattr(child, attr, []))
    return out


def caseload(*, worker, viewer, as_of: date | None = None) -> list[Allocation]:
    """Children allocated to `worker` on `as_of` (today) that `viewer` may see, each with its
    `plans` (legal status, open plans).

    A fixed number of queries (CASELOAD_QUERIES), whatever the number of children.
    """
    as_of = as_of or timezone.localdate()
    allocations = list(
        Allocation.objects.current().active_on(as_of)
        .filter(worker=worker, child__in=policy.visible_children(viewer))
        .select_related("child", "team")
        .prefetch_related(Prefetch(
            "child__alerts", Alert.objects.current().filter(ended_on__isnull=True),
            to_attr="open_alerts"), *_plan_prefetches("child__"))
        .order_by("child__family_name", "child__given_name", "child_id")
    )
    for allocation in allocations:
        allocation.plans = plans_of(allocation.child)
    return allocations


@dataclass(frozen=True)
class SearchResult:
    child: Child
    score: float
    matched_on: str  # what the query matched: name, date of birth, an identifier


_DATE = re.compile(r"(?<!\d)(\d{1,2})[\s/.\-]+(\d{1,2})[\s/.\-]+(\d{4})(?!\d)")


def _fold(text: str) -> str:
    """Lower case without accents, so "Zoë" finds "Zoe" and the other way round."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _dates(text: str) -> tuple[list[date], str]:
    found, rest = [], text
    for match in _DATE.finditer(text):
        day, month, year = (int(g) for g in match.groups())
        try:
            found.append(date(year, month, day))
        except ValueError:
            continue
        rest = rest.replace(match.group(0), " ")
    return found, rest


def search_children(*, viewer, query: str) -> list[SearchResult]:
    """Children `viewer` may see who match `query`, best first.

    The query may hold a name (misspelt names are still found), a date of birth (27/3/2019 or
    27 3 2019), an LA child ID, a UPN or an NHS number, in any mix.
    """
    text = (query or "")[:QUERY_MAX_CHARS].strip()
    if not text or not policy.allows(viewer, policy.SEARCH):
        return []
    visible = policy.visible_children(viewer)
    births, rest = _dates(text)
    tokens = [t for t in re.split(r"[\s,;]+", rest) if t]
    words = [_fold(w) for w in re.findall(r"[^\W\d_][^\W\d_'’\-]*", rest)]
    words = [w for w in words if w]

    scores: dict[int, tuple[float, str]] = {}

    def hit(pk: int, score: float, why: str) -> None:
        if pk not in scores or scores[pk][0] < score:
            scores[pk] = (score, why)

    identifiers = {v for t in tokens if any(c.isdigit() for c in t) for v in (t, t.upper())}
    digits = re.sub(r"\D", "", text)
    if identifiers or len(digits) == 10:
        ids = Q(la_child_id__in=identifiers) | Q(upn__in=identifiers)
        if len(digits) == 10:
            ids |= Q(nhs_number=digits)
        for pk, la_id, upn, nhs in visible.filter(ids).values_list(
                "pk", "la_child_id", "upn", "nhs_number"):
            why = ("LA child ID" if la_id and la_id.upper() in identifiers else
                   "UPN" if upn and upn.upper() in identifiers else "NHS number")
            hit(pk, 200.0, why)

    if births:
        for pk in visible.filter(birth_date__in=births).values_list("pk", flat=True):
            hit(pk, 150.0 if not words else 100.0, "date of birth")

    if words:
        initials = {w[0] for w in words}
        starts = Q()
        for initial in initials:
            starts |= (Q(given_name__istartswith=initial) | Q(family_name__istartswith=initial)
                       | Q(other_names__istartswith=initial))
        candidates = visible.filter(starts)
        if births:
            # A name with a date narrows to that date; a name alone searches everyone.
            candidates = visible.filter(birth_date__in=births) | candidates
        for pk, given, family, other in candidates.values_list(
                "pk", "given_name", "family_name", "other_names")[:CANDIDATE_LIMIT]:
            parts = [_fold(p) for p in f"{given} {family} {other}".split() if p]
            if not parts:
                continue
            per_word = [max(fuzz.ratio(w, p) for p in parts) for w in words]
            score = sum(per_word) / len(per_word)
            if score >= NAME_THRESHOLD:
                bonus = 50.0 if pk in scores and scores[pk][1] == "date of birth" else 0.0
                hit(pk, score + bonus, "name and date of birth" if bonus else "name")

    if not scores:
        return []
    children = Child.objects.in_bulk(list(scores))
    results = [SearchResult(children[pk], score, why) for pk, (score, why) in scores.items()
               if pk in children]
    results.sort(key=lambda r: (-r.score, r.child.family_name, r.child.given_name, r.child.pk))
    return results


def current_allocation(child: Child) -> Allocation | None:
    """The child's allocated social worker (or other lead worker) today."""
    today = timezone.localdate()
    allocations = (Allocation.objects.current().active_on(today).filter(child=child)
                   .select_related("worker", "team"))
    return min(allocations, key=lambda a: (a.kind != Allocation.Kind.SOCIAL_WORKER,
                                           -a.started_on.toordinal(), -a.pk), default=None)


def child_summary(child: Child) -> dict:
    """What the banner on every page of a child's record shows."""
    prefetch_related_objects([child], *_plan_prefetches())
    return {
        "allocation": current_allocation(child),
        "plans": plans_of(child),
        "alerts": list(Alert.objects.current().filter(child=child, ended_on__isnull=True)
                       .order_by("-started_on")),
    }


def case_notes(child: Child) -> QuerySet[CaseNote]:
    return (CaseNote.objects.current().filter(child=child).select_related("recorded_by")
            .order_by("-occurred_on", "-recorded_at", "-pk"))


def relationships(child: Child) -> QuerySet[Relationship]:
    return (Relationship.objects.current().filter(child=child).select_related("person")
            .order_by("ended_on", "kind", "person__family_name"))


def granted_records(staff, *, as_of: date | None = None):
    """The records `staff` has been given access to (an inspector's sample, say), open grants
    only, soonest to lapse first."""
    from cairn.core.models import AccessGrant

    as_of = as_of or timezone.localdate()
    return (AccessGrant.objects.open_on(as_of).filter(staff=staff).select_related("child")
            .order_by(F("until").asc(nulls_last=True), "child__family_name", "child_id"))

