"""Dated facts from people's records."""

from django.db.models import Q

from cairn.core import facts, names

from .models import CaseNote, Person

facts.register(names.CASE_NOTE_ADDED, CaseNote, date="occurred_on", label="Case note",
               detail="subject")
facts.register(names.CHILD_SEEN, CaseNote, date="occurred_on", where=Q(child_seen=True),
               label="Child seen", chronology=False)
# Timescales that depend on age (health reviews, PEPs) read the birth date through this fact,
# so the engine in core needs no import of people.
facts.register(names.BORN, Person, date="birth_date", child="id", label="Born",
               chronology=False)
