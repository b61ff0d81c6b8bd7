"""Dated facts from permanence planning and adoption."""

from cairn.core import facts, names

from .models import (
    AdoptionDecision,
    AdoptionMatch,
    AdoptionOrder,
    PermanencePlan,
    PlacedForAdoption,
    PlacementOrder,
    SpecialGuardianshipOrder,
)

facts.register(names.PERMANENCE_PLAN_AGREED, PermanencePlan, date="agreed_on",
               label="Permanence plan agreed", detail="plan_type")
facts.register(names.ADOPTION_DECIDED, AdoptionDecision, date="decided_on",
               label="Decision that the child should be placed for adoption")
facts.register(names.PLACEMENT_ORDER_MADE, PlacementOrder, date="made_on",
               label="Placement order made")
facts.register(names.ADOPTION_MATCHED, AdoptionMatch, date="matched_on",
               label="Matched with prospective adopters")
facts.register(names.ADOPTION_PLACED, PlacedForAdoption, date="placed_on",
               label="Placed for adoption")
facts.register(names.ADOPTION_ORDER_MADE, AdoptionOrder, date="made_on",
               label="Adoption order made")
facts.register(names.SGO_MADE, SpecialGuardianshipOrder, date="made_on",
               label="Special guardianship order made")
