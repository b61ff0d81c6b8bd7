"""Duplicate matching: the people Cairn already holds who may be the person about to be added.

A second record for the same child splits their history, so the front door sees who may be the
same before a new record is made: a similar name (misspellings, swapped first and last names,
accents), the same or a nearly-same date of birth, the same postcode. Only records the viewer may
open are offered (access.policy, asked by the caller): the front door's whole-authority view, a worker's own line.

`kind=ANYONE` looks at every person, not only children: the parents, carers and household
members a contact names (a care leaver who is now a parent is one person, one row). An adult is
offered unless their record is restricted or they are linked to a restricted child the viewer
may not open; the children they are linked to are named only where the viewer may see them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from rapidfuzz import fuzz

from .models import Address, Child, Person, Relationship

CANDIDATE_LIMIT = 2000
# A name this close is offered on its own; a looser name needs a date of birth or postcode too.
NAME_ALONE = 80.0
NAME_WITH_SUPPORT = 60.0
CHILDREN, ANYONE = "children", "anyone"


@dataclass
class PossibleDuplicate:
    """A person who may be the same, with the score and what matched."""

    person: Person
    score: float
    reasons: list[str] = field(default_factory=list)
    postcodes: list[str] = field(default_factory=list)
    links: list[Relationship] = field(default_factory=list)  # to children the viewer may see

    @property
    def child(self) -> Person:
        return self.person


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(letters.replace("-", " ").replace("'", "").split())


def normalise_postcode(postcode: str) -> str:
    return "".join((postcode or "").split()).upper()


def _name_score(given: str, family: str, child: Person) -> float:
    wanted = f"{_fold(given)} {_fold(family)}".strip()
    held = f"{_fold(child.given_name)} {_fold(child.family_name)}"
    # token_sort_ratio forgives first and last names written the wrong way round.
    score = fuzz.token_sort_ratio(wanted, held)
    for other in filter(None, (child.other_names or "").split(",")):
        known_as = f"{_fold(other)} {_fold(child.family_name)}"
        score = max(score, fuzz.token_sort_ratio(wanted, known_as),
                    fuzz.token_sort_ratio(wanted, _fold(other)))
    return float(score)


def _birth_match(wanted: date | None, held: date | None) -> tuple[float, str]:
    if wanted is None or held is None:
        return 0.0, ""
    if wanted == held:
        return 30.0, "same date of birth"
    # Day and month swapped, or the year mistyped: common slips when a date is read out.
    if (held.day, held.month, held.year) == (wanted.month, wanted.day, wanted.year):
        return 15.0, "date of birth with day and month swapped"
    if (held.month, held.day) == (wanted.month, wanted.day) and abs(held.year - wanted.year) <= 1:
        return 15.0, "date of birth a year apart"
    if abs((held - wanted).days) <= 3:
        return 10.0, "date of birth within a few days"
    return 0.0, ""


def visible_people(children: QuerySet[Child], kind: str) -> QuerySet[Person]:
    """The people someone who may open `children` may be offered: those children and, for
    ANYONE, the adults who are neither restricted nor linked to a restricted child hidden from
    them."""
    if kind == CHILDREN:
        return children
    if kind != ANYONE:
        raise ValueError(f"Unknown kind of person: {kind}")
    hidden = Child.objects.filter(restricted=True).exclude(pk__in=children.values("pk"))
    behind_hidden = Relationship.objects.current().filter(child__in=hidden).values("person_id")
    adults = (Person.objects.current().filter(la_child_id__isnull=True, restricted=False)
              .exclude(pk__in=behind_hidden))
    return Person.objects.filter(Q(pk__in=children.values("pk")) | Q(pk__in=adults.values("pk")))


def possible_duplicates(*, given_name: str, family_name: str, birth_date: date | None = None,
                        postcode: str = "", children: QuerySet[Child], limit: int = 10,
                        kind: str = CHILDREN) -> list[PossibleDuplicate]:
    """People who may be the person described, among those someone who may open `children`
    may be offered, most likely first: children only (`kind=CHILDREN`), or anyone Cairn holds
    (`kind=ANYONE`)."""
    given, family = _fold(given_name), _fold(family_name)
    if not (given or family):
        return []
    visible = visible_people(children, kind)
    code = normalise_postcode(postcode)
    initials = {w[0] for w in f"{given} {family}".split()}
    near = Q()
    for initial in initials:
        near |= (Q(given_name__istartswith=initial) | Q(family_name__istartswith=initial)
                 | Q(other_names__istartswith=initial))
    if birth_date is not None:
        near |= Q(birth_date__year__in=[birth_date.year - 1, birth_date.year,
                                        birth_date.year + 1])
    if code:
        near |= (Q(addresses__postcode__iexact=code)
                 | Q(addresses__postcode__iexact=postcode.strip()))
    current_addresses = Address.objects.current().filter(ended_on__isnull=True)
    prefetch = [Prefetch("addresses", current_addresses, to_attr="current")]
    if kind == ANYONE:
        links = (Relationship.objects.current()
                 .filter(ended_on__isnull=True, child__in=children)
                 .select_related("child").order_by("child__family_name", "child__given_name"))
        prefetch.append(Prefetch("related_to", links, to_attr="visible_links"))
    candidates = visible.filter(near).distinct().prefetch_related(*prefetch)[:CANDIDATE_LIMIT]
    found = []
    for person in candidates:
        name = _name_score(given_name, family_name, person)
        birth, birth_why = _birth_match(birth_date, person.birth_date)
        postcodes = [a.postcode for a in person.current]
        same_postcode = bool(code) and code in {normalise_postcode(p) for p in postcodes}
        supported = bool(birth) or same_postcode
        if not (name >= NAME_ALONE or (name >= NAME_WITH_SUPPORT and supported)
                or (birth == 30.0 and same_postcode)):
            continue
        reasons = ["similar name" if name < 100 else "same name"] if name >= NAME_WITH_SUPPORT \
            else []
        if birth_why:
            reasons.append(birth_why)
        if same_postcode:
            reasons.append("same postcode")
        found.append(PossibleDuplicate(person, name + birth + (20.0 if same_postcode else 0.0),
                                       reasons, postcodes, getattr(person, "visible_links", [])))
    found.sort(key=lambda d: (-d.score, d.person.family_name, d.person.given_name, d.person.pk))
    return found[:limit]


def hidden_match(*, given_name: str, family_name: str, birth_date: date | None = None,
                 postcode: str = "", children: QuerySet[Child]) -> Child | None:
    """The restricted child, among those someone who may open `children` may not, most likely
    to be the child described (by the same test possible_duplicates makes), or None.

    The caller must never show who it is: it says only that a record the user cannot see may
    match, so that no second, unrestricted record of a restricted child is made."""
    hidden = Child.objects.filter(restricted=True).exclude(pk__in=children.values("pk"))
    found = possible_duplicates(given_name=given_name, family_name=family_name,
                                birth_date=birth_date, postcode=postcode, children=hidden,
                                limit=1)
    return found[0].person if found else None
