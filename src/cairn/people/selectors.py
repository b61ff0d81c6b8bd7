"""Reads about people: finding a child, a child's case notes and relationships.

Which children a member of staff may see is the access policy's to say; these take the
children to look among (a queryset) from the caller that asked it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from rapidfuzz import fuzz

from .models import CaseNote, Child, Relationship

QUERY_MAX_CHARS = 200  # longer input is cut: no name, date or identifier is longer
NAME_THRESHOLD = 72  # rapidfuzz ratio (0-100) a name word must reach to count as a match
CANDIDATE_LIMIT = 5000


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


def search_children(*, visible: QuerySet[Child], query: str) -> list[SearchResult]:
    """Children among `visible` who match `query`, best first.

    The query may hold a name (misspelt names are still found), a date of birth (27/3/2019 or
    27 3 2019), an LA child ID, a UPN or an NHS number, in any mix.
    """
    text = (query or "")[:QUERY_MAX_CHARS].strip()
    if not text:
        return []
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


def case_notes(child: Child) -> QuerySet[CaseNote]:
    return (CaseNote.objects.current().filter(child=child).select_related("recorded_by")
            .order_by("-occurred_on", "-recorded_at", "-pk"))


def relationships(child: Child) -> QuerySet[Relationship]:
    return (Relationship.objects.current().filter(child=child).select_related("person")
            .order_by("ended_on", "kind", "person__family_name"))
