"""Dated facts from private fostering (the child-level part of fostering)."""

from cairn.core import facts

from .models import PrivateFosteringArrangement, PrivateFosteringVisit

facts.register("pf_notified", PrivateFosteringArrangement, date="notified_on", key="pk",
               label="Private fostering notified")
facts.register("pf_visit", PrivateFosteringVisit, date="visited_on", key="arrangement_id",
               child="arrangement__child_id", label="Private fostering visit")
facts.register("pf_ended", PrivateFosteringArrangement, date="ended_on", key="pk",
               label="Private fostering ended", detail="ended_reason")
