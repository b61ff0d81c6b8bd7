"""Dated facts from permanence planning and adoption."""

from cairn.core import facts

from .models import (AdoptionDecision, AdoptionMatch, AdoptionOrder, PermanencePlan,
                     PlacedForAdoption, PlacementOrder, SpecialGuardianshipOrder)

facts.register("permanence_plan_agreed", PermanencePlan, date="agreed_on",
               label="Permanence plan agreed", detail="plan_type")
facts.register("adm_decision", AdoptionDecision, date="decided_on",
               label="Decision that the child should be placed for adoption")
facts.register("placement_order_made", PlacementOrder, date="made_on",
               label="Placement order made")
facts.register("adoption_matched", AdoptionMatch, date="matched_on",
               label="Matched with prospective adopters")
facts.register("placed_for_adoption", PlacedForAdoption, date="placed_on",
               label="Placed for adoption")
facts.register("adoption_order_made", AdoptionOrder, date="made_on", label="Adoption order made")
facts.register("sgo_made", SpecialGuardianshipOrder, date="made_on",
               label="Special guardianship order made")
