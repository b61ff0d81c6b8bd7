"""Reads about people: finding a child, a child's case notes and relationships.

Which children a member of staff may see is the access policy's to say; these take the
children to look among (a queryset) from the caller that asked it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections, transaction
from django.db.models import F, Func, Prefetch, Q, QuerySet, TextField, Value
from django.db.models.functions import Greatest
from django.shortcuts import get_object_or_404
from rapidfuzz import fuzz

from .models import Address, CaseNote, Child, Relationship

QUERY_MAX_CHARS = 200  # longer input is cut: no name, date or identifier is longer
NAME_THRESHOLD = 72  # rapidfuzz ratio (0-100) a name must reach, averaged over the words
# On PostgreSQL the trigram index picks the children to score: those with a name holding at least
# this share of a query word's trigrams (pg_trgm word_similarity). 0.2 keeps every name one slip
# away from the word (a letter missed, added, changed, or two swapped), checked over all the
# synthetic authority's names; a lower one would hand the scorer most of the authority.
TRIGRAM_THRESHOLD = 0.2
# A name alone lists at most this many children, the closest first: a common surname matches
# hundreds in a large authority, and reading and scoring them all made search cost more as the
# authority grew. The page says when there were more, and how to find fewer.
NAME_MATCHES = 500


@dataclass(frozen=True)
class SearchResult:
    child: Child
    score: float
    matched_on: str  # what the query matched: name, date of birth, an identifier

    @property
    def address(self):
        """The child's current address (the latest begun, of those not ended), or None."""
        addresses = getattr(self.child, "current_addresses", None)
        return addresses[0] if addresses else None


class SearchResults(Sequence[SearchResult]):
    """Every match, best first; a child's row is read only when its result is, so a page of 20
    from a thousand matches reads 20 rows."""

    def __init__(self, ranked: list[tuple[int, float, str]], *, more: bool = False):
        self._ranked = ranked  # (pk, score, matched on)
        self.more = more  # more names matched than are listed (NAME_MATCHES)

    def __len__(self) -> int:
        return len(self._ranked)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._read(self._ranked[index])
        return self._read([self._ranked[index]])[0]

    def __iter__(self):
        return iter(self._read(self._ranked))

    def __repr__(self) -> str:
        return f"<SearchResults: {len(self)} children>"

    @staticmethod
    def _read(ranked) -> list[SearchResult]:
        # Each child's current address comes with them (one more query for the page), so the
        # results tell two children of the same name apart by where they live.
        current = Address.objects.filter(voided_at__isnull=True, ended_on__isnull=True
                                         ).order_by(F("started_on").desc(nulls_last=True), "-pk")
        children = (Child.objects.prefetch_related(Prefetch("addresses", current,
                                                            to_attr="current_addresses"))
                    .in_bulk([pk for pk, _, _ in ranked]))
        return [SearchResult(children[pk], score, why) for pk, score, why in ranked
                if pk in children]


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


def _search_name() -> Func:
    """Given, family and other names as one folded string: what the trigram index holds (people
    migration 0003 builds it on this same expression, or the planner could not use it)."""
    return Func(F("given_name"), F("family_name"), F("other_names"), arg_joiner=" || ' ' || ",
                template="cairn_fold(%(expressions)s)", output_field=TextField())


def _name_candidates(visible: QuerySet, words: list[str], births: list[date]):
    """(pk, given name, family name, other names) of the children in `visible` whose names may
    match `words` (on PostgreSQL, the closest by trigrams, twice as many as are listed), and
    every one born on one of `births`."""
    connection = connections[visible.db]
    columns = ("pk", "given_name", "family_name", "other_names")
    if connection.vendor != "postgresql":
        # SQLite (the demo) has no trigram index: every child in `visible` is scored.
        return visible.values_list(*columns).iterator()
    near = Q()
    for word in dict.fromkeys(words):
        near |= Q(TrigramWordSimilar(_search_name(), Func(Value(word), function="cairn_fold")))
    # The closest names first, as the trigram index ranks them, a few more than are listed (the
    # scorer ranks them again); those born on a date of the query, every one.
    closeness = [TrigramWordSimilarity(Func(Value(word), function="cairn_fold"), _search_name())
                 for word in dict.fromkeys(words)]
    closest = Greatest(*closeness) if len(closeness) > 1 else closeness[0]
    with transaction.atomic(using=visible.db), connection.cursor() as cursor:
        # The trigram operator reads its threshold from a setting; set_config(..., true) keeps
        # the change to this transaction.
        cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                       [str(TRIGRAM_THRESHOLD)])
        rows = list(visible.filter(near).annotate(closeness=closest)
                    .order_by("-closeness", "pk").values_list(*columns)[:2 * NAME_MATCHES])
        if births:
            rows += list(visible.filter(birth_date__in=births).values_list(*columns))
        return rows


def _name_scores(rows, words: list[str]):
    """(row, score) for each row whose names match `words`: each word's best rapidfuzz ratio
    against the child's names, averaged over the words, at least NAME_THRESHOLD."""
    ratios: dict[str, list[float]] = {}  # a name part and its ratio to each word; names repeat

    def ratios_of(part: str) -> list[float]:
        if part not in ratios:
            folded = _fold(part)
            ratios[part] = [fuzz.ratio(word, folded) for word in words]
        return ratios[part]

    for row in rows:
        parts = " ".join(row[1:]).split()
        if not parts:
            continue
        per_word = [max(column) for column in zip(*(ratios_of(p) for p in parts))]
        score = sum(per_word) / len(per_word)
        if score >= NAME_THRESHOLD:
            yield row, score


def search_children(*, visible: QuerySet[Child], query: str) -> Sequence[SearchResult]:
    """Every child among `visible` who matches `query`, best first.

    The query may hold a name (misspelt names are still found, whatever letter is wrong), a date
    of birth (27/3/2019 or 27 3 2019), an LA child ID, a UPN or an NHS number, in any mix. A name
    is looked for among all of `visible`: on PostgreSQL a trigram index picks those with a name
    near a word of the query, on SQLite every one is scored; the same scorer ranks them on both.
    """
    text = (query or "")[:QUERY_MAX_CHARS].strip()
    if not text:
        return []
    births, rest = _dates(text)
    tokens = [t for t in re.split(r"[\s,;]+", rest) if t]
    words = [_fold(w) for w in re.findall(r"[^\W\d_][^\W\d_'’\-]*", rest)]
    words = [w for w in words if w]

    scores: dict[int, tuple[float, str]] = {}
    names: dict[int, tuple[str, str]] = {}  # family and given name, to list equal scores by

    def hit(pk: int, score: float, why: str, family: str, given: str) -> None:
        names[pk] = (family, given)
        if pk not in scores or scores[pk][0] < score:
            scores[pk] = (score, why)

    identifiers = {v for t in tokens if any(c.isdigit() for c in t) for v in (t, t.upper())}
    digits = re.sub(r"\D", "", text)
    if identifiers or len(digits) == 10:
        ids = Q(la_child_id__in=identifiers) | Q(upn__in=identifiers)
        if len(digits) == 10:
            ids |= Q(nhs_number=digits)
        for pk, la_id, upn, family, given in visible.filter(ids).values_list(
                "pk", "la_child_id", "upn", "family_name", "given_name"):
            why = ("LA child ID" if la_id and la_id.upper() in identifiers else
                   "UPN" if upn and upn.upper() in identifiers else "NHS number")
            hit(pk, 200.0, why, family, given)

    if births:
        for pk, family, given in visible.filter(birth_date__in=births).values_list(
                "pk", "family_name", "given_name"):
            hit(pk, 150.0 if not words else 100.0, "date of birth", family, given)

    more = False
    if words:
        # A name with a date ranks those born that day first; a name alone searches everyone,
        # and lists the NAME_MATCHES closest.
        by_name = {}
        for (pk, given, family, _), score in _name_scores(
                _name_candidates(visible, words, births), words):
            by_name[pk] = (score, family, given)
        closest = sorted(by_name, key=lambda pk: (-by_name[pk][0], *by_name[pk][1:], pk))
        more = len(closest) > NAME_MATCHES
        for pk in closest[:NAME_MATCHES]:
            score, family, given = by_name[pk]
            bonus = 50.0 if pk in scores and scores[pk][1] == "date of birth" else 0.0
            hit(pk, score + bonus, "name and date of birth" if bonus else "name", family, given)

    ranked = sorted(scores, key=lambda pk: (-scores[pk][0], *names[pk], pk))
    return SearchResults([(pk, *scores[pk]) for pk in ranked], more=more)


def case_notes(child: Child) -> QuerySet[CaseNote]:
    return (CaseNote.objects.current().filter(child=child)
            .select_related("recorded_by", "corrected_by")
            .order_by("-occurred_on", "-recorded_at", "-pk"))


def case_note_for(child: Child, pk: int) -> CaseNote:
    """A case note standing on `child`'s record; Http404 if there is none (or it was removed)."""
    return get_object_or_404(CaseNote.objects.current().select_related("recorded_by"),
                             child=child, pk=pk)


def relationships(child: Child, *, visible: QuerySet[Child]) -> QuerySet[Relationship]:
    """The people in `child`'s network, as someone who may open `visible` sees them.

    A restricted person (a restricted child, a sibling say) is left out altogether unless they
    are among `visible`: for anyone not named on that record it is absent, not hidden behind a
    placeholder that would itself say a restricted relative exists."""
    return (Relationship.objects.current().filter(child=child)
            .exclude(Q(person__restricted=True) & ~Q(person__in=visible.values("pk")))
            .select_related("person").order_by("ended_on", "kind", "person__family_name"))
