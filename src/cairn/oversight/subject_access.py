"""A subject access request: everything Cairn holds about a child, as one document a council
reviews and then sends, with every other person named in it marked for redaction.

What is held is found from the models themselves, so a new stage's records are included
without a change here: every row of every Cairn model with a foreign key to the person (their
contacts, case notes, plans, decisions, orders... and rows on other children's records that
name them), then the rows hanging from those (a plan's needs, a hearing's directions), removed
entries included and marked as removed, then the audit trail of who recorded and changed what.

Staff names are left as they are (a council usually discloses who worked with the child); every
other person is a third party: a person Cairn holds who is not the subject is marked wherever a
field points to them and wherever their name appears in free text, fields that only ever name a
third party (a caller's name) are marked whole, and the list of third parties closes the
document for the reviewer. A restricted child the requester may not open is never named, not
even inside a redaction mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.db import models
from django.utils import timezone

from cairn.access import policy
from cairn.core.models import AuditEvent
from cairn.people.models import Person, Relationship

# Fields that only ever hold a person's name who is not the subject, nor staff.
THIRD_PARTY_FIELDS = {"caller_name", "owner_name"}
# Rows that stand for people who are not the subject (a fostering household is its carers).
THIRD_PARTY_MODELS = {"fostering.fosteringhousehold"}
# Bookkeeping that says nothing about the person.
SKIPPED_FIELDS = {"id", "version", "password"}
# Models that hold no information about the person (a user's unsaved form, the audit trail,
# which has its own part).
SKIPPED_MODELS = {"core.draft", "core.auditevent"}
CHANGE_KINDS = (AuditEvent.Kind.CREATED, AuditEvent.Kind.CHANGED, AuditEvent.Kind.VOIDED,
                AuditEvent.Kind.DECIDED)
WITHHELD = "a person whose record is restricted"


@dataclass(frozen=True)
class Segment:
    text: str
    redact: bool = False


@dataclass
class Entry:
    title: str
    fields: list[tuple[str, list[Segment]]]
    removed: str = ""  # why and when it was removed, for an entry removed from the record


@dataclass
class Part:
    title: str
    entries: list[Entry]


@dataclass
class ThirdParty:
    name: str
    why: set[str] = field(default_factory=set)

    @property
    def reasons(self) -> list[str]:
        return sorted(self.why)


@dataclass
class Export:
    subject: Person
    produced_at: datetime
    produced_by: object
    details: list[tuple[str, list[Segment]]]
    parts: list[Part]
    changes: list[tuple[AuditEvent, str]]
    third_parties: list[ThirdParty]

    @property
    def redactions(self) -> int:
        count = sum(seg.redact for _, segs in self.details for seg in segs)
        for part in self.parts:
            for entry in part.entries:
                count += sum(seg.redact for _, segs in entry.fields for seg in segs)
        return count


def _cairn_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("cairn.")
            and m._meta.label_lower not in SKIPPED_MODELS and not m._meta.proxy]


def _fks(model) -> list[models.ForeignKey]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]


def _is_person(model) -> bool:
    return issubclass(model, Person)


def _is_staff(model) -> bool:
    return model._meta.label_lower == "workforce.staff"


class _Namer:
    """Who is a third party, and how their name is written out (or withheld)."""

    def __init__(self, subject: Person, viewer):
        self.subject = subject
        self.viewer = viewer
        self.people: dict[int, Person] = {}
        self.parties: dict[int, ThirdParty] = {}
        self._visible: set[int] | None = None
        self._pattern: re.Pattern | None = None

    def add(self, person: Person, why: str) -> None:
        if person.pk == self.subject.pk:
            return
        self.people[person.pk] = person
        self.parties.setdefault(person.pk, ThirdParty(self.name(person))).why.add(why)
        self._pattern = None

    def withheld(self, person: Person) -> bool:
        if not (person.restricted and person.la_child_id):
            return False
        if self._visible is None:
            restricted = [p.pk for p in self.people.values() if p.restricted]
            self._visible = set(policy.visible_children(self.viewer).filter(pk__in=restricted)
                                .values_list("pk", flat=True))
        return person.pk not in self._visible

    def name(self, person: Person) -> str:
        return person.full_name

    def finish(self) -> None:
        """Names are settled once every row is read: withheld names replace what `add` kept."""
        self._visible = None
        for pk, party in self.parties.items():
            if self.withheld(self.people[pk]):
                party.name = WITHHELD

    def person(self, person: Person) -> list[Segment]:
        return [Segment(WITHHELD if self.withheld(person) else person.full_name, True)]

    def text(self, value: str) -> list[Segment]:
        """Free text with every third party's name marked."""
        if not value:
            return []
        if self._pattern is None:
            self._pattern = self._compile()
        if self._pattern is None:
            return [Segment(value)]
        out, at = [], 0
        for match in self._pattern.finditer(value):
            if match.start() > at:
                out.append(Segment(value[at:match.start()]))
            person = self._by_name.get(match.group(0).lower())
            out.append(Segment(WITHHELD if person is not None and self.withheld(person)
                               else match.group(0), True))
            at = match.end()
        if at < len(value):
            out.append(Segment(value[at:]))
        return out

    def _compile(self) -> re.Pattern | None:
        # Full names first (longest wins), then a given name alone (a parent called by their
        # first name), unless the subject shares it; a family name alone is not marked, as the
        # subject usually shares it with the family.
        own = {self.subject.given_name.lower(), self.subject.family_name.lower()}
        self._by_name: dict[str, Person] = {}
        for person in self.people.values():
            names = [person.full_name]
            names += [n.strip() for n in person.other_names.split(",") if n.strip()]
            if person.given_name.lower() not in own:
                names.append(person.given_name)
            for name in names:
                if len(name) >= 2:
                    self._by_name.setdefault(name.lower(), person)
        if not self._by_name:
            return None
        words = sorted(self._by_name, key=len, reverse=True)
        return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b",
                          re.IGNORECASE)


def _plain(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%-d %B %Y at %H:%M}"
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    return str(value)


def _label(f) -> str:
    return str(f.verbose_name)[:1].upper() + str(f.verbose_name)[1:]


def _fields(row, namer: _Namer, subject_pk: int) -> list[tuple[str, list[Segment]]]:
    out = []
    for f in row._meta.concrete_fields:
        if f.name in SKIPPED_FIELDS or f.name in {"voided_at", "voided_by", "void_reason"}:
            continue
        if isinstance(f, models.ForeignKey):
            target = getattr(row, f.attname)
            if target is None:
                continue
            related = getattr(row, f.name)
            if _is_person(f.related_model):
                if target == subject_pk:
                    continue  # the subject themselves
                out.append((_label(f), namer.person(related)))
            elif f.related_model._meta.label_lower in THIRD_PARTY_MODELS:
                out.append((_label(f), [Segment(str(related), True)]))
            else:
                out.append((_label(f), [Segment(str(related))]))
            continue
        value = getattr(row, f"get_{f.name}_display")() if f.choices else getattr(row, f.attname)
        text = _plain(value)
        if not text:
            continue
        if f.name in THIRD_PARTY_FIELDS:
            out.append((_label(f), [Segment(text, True)]))
        elif isinstance(f, (models.TextField, models.CharField)) and not f.choices:
            out.append((_label(f), namer.text(text)))
        else:
            out.append((_label(f), [Segment(text)]))
    return out


def _title(row) -> str:
    name = str(row._meta.verbose_name)
    return name[:1].upper() + name[1:]


def build(subject: Person, *, by) -> Export:
    """Everything Cairn holds about `subject`, for `by` (who must hold SUBJECT_ACCESS)."""
    namer = _Namer(subject, by)
    # 1. Rows that point to the person; 2. rows hanging from those.
    found: dict[type[models.Model], dict[int, models.Model]] = {}
    for model in _cairn_models():
        person_fks = [f for f in _fks(model) if _is_person(f.related_model)]
        if not person_fks or _is_person(model):
            continue
        query = models.Q()
        for f in person_fks:
            query |= models.Q(**{f.attname: subject.pk})
        rows = model._base_manager.filter(query).select_related(*[f.name for f in _fks(model)])
        for row in rows:
            found.setdefault(model, {})[row.pk] = row
    for model in _cairn_models():
        if model in found or _is_person(model):
            continue
        parents = [f for f in _fks(model) if f.related_model in found]
        if not parents:
            continue
        query = models.Q()
        for f in parents:
            query |= models.Q(**{f"{f.attname}__in": list(found[f.related_model])})
        rows = model._base_manager.filter(query).select_related(*[f.name for f in _fks(model)])
        for row in rows:
            found.setdefault(model, {})[row.pk] = row
    # Every other person any of those rows names is a third party.
    for model, rows in found.items():
        for f in _fks(model):
            if not _is_person(f.related_model):
                continue
            for row in rows.values():
                person = getattr(row, f.name)
                if person is not None and person.pk != subject.pk:
                    why = (row.get_kind_display() if isinstance(row, Relationship)
                           else _title(row))
                    namer.add(person, why)
    namer.finish()

    details = _fields(subject, namer, subject.pk)
    parts = []
    order = {model: n for n, model in enumerate(_cairn_models())}  # the journey's order
    for model in sorted(found, key=order.__getitem__):
        entries = []
        for row in sorted(found[model].values(), key=lambda r: r.pk):
            removed = ""
            if getattr(row, "voided_at", None):
                removed = (f"Removed on {_plain(row.voided_at)} by {row.voided_by or 'not known'}"
                           f": {row.void_reason}")
            entries.append(Entry(_title(row), _fields(row, namer, subject.pk), removed))
        name = str(model._meta.verbose_name_plural)
        parts.append(Part(name[:1].upper() + name[1:], entries))
    changes = [(event, _change(event)) for event in
               AuditEvent.objects.filter(child_id=subject.pk, kind__in=CHANGE_KINDS)
               .select_related("actor").order_by("at", "id")]
    third = sorted(namer.parties.values(), key=lambda p: p.name)
    return Export(subject, timezone.now(), by, details, parts, changes, third)


def _change(event: AuditEvent) -> str:
    """What an audit event changed: the fields whose values differ, by name."""
    try:
        label = str(apps.get_model(event.object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        label = event.object_type
    what = f"{event.get_kind_display()}: {label}"
    if event.before and event.after:
        changed = sorted(k for k in event.after if event.before.get(k) != event.after.get(k)
                         and k not in {"version", "recorded_at"})
        if changed:
            what += f" ({', '.join(changed)})"
    return what
