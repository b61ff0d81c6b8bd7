"""Dated facts from people's records."""

from django.db.models import Q

from cairn.core import facts

from .models import CaseNote

facts.register("case_note", CaseNote, date="occurred_on", label="Case note", detail="subject")
facts.register("child_seen", CaseNote, date="occurred_on", where=Q(child_seen=True),
               label="Child seen", chronology=False)
