"""Dated facts from private fostering (the child-level part of fostering)."""

from django.db.models import Q

from cairn.core import facts, names

from .models import PrivateFosteringArrangement, PrivateFosteringVisit

facts.register(names.PRIVATE_FOSTERING_NOTIFIED, PrivateFosteringArrangement,
               date="notified_on", key="pk", label="Private fostering notified",
               closed_by=names.PRIVATE_FOSTERING_ENDED)
# A private fostering visit counts when the child is seen (2005 Regulations reg 8).
facts.register(names.PRIVATE_FOSTERING_VISITED, PrivateFosteringVisit, date="visited_on",
               key="arrangement_id", where=Q(seen=True), child="arrangement__child_id",
               label="Private fostering visit")
facts.register(names.PRIVATE_FOSTERING_ENDED, PrivateFosteringArrangement, date="ended_on",
               key="pk", label="Private fostering ended", detail="ended_reason")
