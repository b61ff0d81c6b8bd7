"""Dated facts from legal work: pre-proceedings, proceedings, hearings and orders."""

from django.db.models import Q

from cairn.core import facts

from .models import (
    CareProceedings,
    Hearing,
    LegalOrder,
    OrderKind,
    PreProceedings,
    PreProceedingsReview,
    ProceedingsExtension,
)

facts.register("plo_started", PreProceedings, date="started_on", key="pk",
               label="Pre-proceedings started")
facts.register("plo_review", PreProceedingsReview, date="held_on", key="pre_proceedings_id",
               label="Pre-proceedings review", detail="decision")
facts.register("plo_ended", PreProceedings, date="ended_on", key="pk",
               label="Pre-proceedings ended", detail="outcome")
facts.register("proceedings_issued", CareProceedings, date="issued_on", key="pk",
               label="Care proceedings issued", detail="application")
facts.register("proceedings_concluded", CareProceedings, date="concluded_on", key="pk",
               label="Care proceedings concluded", detail="final_order")
facts.register("proceedings_extended", ProceedingsExtension, date="granted_on",
               key="proceedings_id", amount="weeks", label="Care proceedings extended",
               detail="weeks")
facts.register("hearing_held", Hearing, date="held_on", key="proceedings_id",
               label="Court hearing", detail="kind")
facts.register("order_made", LegalOrder, date="made_on", label="Order made", detail="kind")
facts.register("epo_extended", LegalOrder, date="extended_on",
               where=Q(kind=OrderKind.EMERGENCY_PROTECTION),
               label="Emergency protection order extended")
