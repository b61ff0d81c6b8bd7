"""Dated facts from legal work: pre-proceedings, proceedings, hearings and orders."""

from django.db.models import Q

from cairn.core import facts, names

from .models import (
    CareProceedings,
    Hearing,
    LegalOrder,
    OrderKind,
    PreProceedings,
    PreProceedingsReview,
    ProceedingsExtension,
)

facts.register(names.PRE_PROCEEDINGS_STARTED, PreProceedings, date="started_on", key="pk",
               label="Pre-proceedings started", closed_by=names.PRE_PROCEEDINGS_ENDED)
facts.register(names.PRE_PROCEEDINGS_REVIEWED, PreProceedingsReview, date="held_on",
               key="pre_proceedings_id", label="Pre-proceedings review", detail="decision")
facts.register(names.PRE_PROCEEDINGS_ENDED, PreProceedings, date="ended_on", key="pk",
               label="Pre-proceedings ended", detail="outcome")
facts.register(names.CARE_PROCEEDINGS_ISSUED, CareProceedings, date="issued_on", key="pk",
               label="Care proceedings issued", detail="application",
               closed_by=names.CARE_PROCEEDINGS_CONCLUDED)
facts.register(names.CARE_PROCEEDINGS_CONCLUDED, CareProceedings, date="concluded_on", key="pk",
               label="Care proceedings concluded", detail="final_order")
facts.register(names.CARE_PROCEEDINGS_EXTENDED, ProceedingsExtension, date="granted_on",
               key="proceedings_id", amount="weeks", label="Care proceedings extended",
               detail="weeks")
facts.register(names.HEARING_HELD, Hearing, date="held_on", key="proceedings_id",
               label="Court hearing", detail="kind")
facts.register(names.LEGAL_ORDER_MADE, LegalOrder, date="made_on", label="Order made",
               detail="kind")
facts.register(names.LEGAL_ORDER_EXTENDED, LegalOrder, date="extended_on",
               where=Q(kind=OrderKind.EMERGENCY_PROTECTION),
               label="Emergency protection order extended")
