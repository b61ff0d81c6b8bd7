from datetime import date

import pytest
from django.db import IntegrityError, transaction

from cairn.core import facts
from cairn.permanence.models import AdoptionDecision, AdoptionMatch, PermanencePlan, PlacementOrder

pytestmark = pytest.mark.django_db


def test_a_reversal_cannot_precede_the_decision(child):
    with pytest.raises(IntegrityError), transaction.atomic():
        AdoptionDecision.objects.create(child=child, decided_on=date(2025, 5, 1),
                                        no_longer_decided_on=date(2025, 4, 1),
                                        no_longer_reason="RD1")


def test_a_reversal_needs_its_reason(child):
    with pytest.raises(IntegrityError), transaction.atomic():
        AdoptionDecision.objects.create(child=child, decided_on=date(2025, 5, 1),
                                        no_longer_decided_on=date(2025, 6, 1))


def test_two_adopters_are_a_couple(child):
    with pytest.raises(IntegrityError), transaction.atomic():
        AdoptionMatch.objects.create(child=child, matched_on=date(2025, 5, 1), foster_carer=False,
                                     number_of_adopters=2, sex_of_adopters="M1",
                                     legal_status_of_adopters="L2")
    AdoptionMatch.objects.create(child=child, matched_on=date(2025, 5, 1), foster_carer=False,
                                 number_of_adopters=2, sex_of_adopters="MF",
                                 legal_status_of_adopters="L11")


def test_permanence_facts(child):
    PermanencePlan.objects.create(child=child, plan_type="b", agreed_on=date(2025, 2, 1))
    AdoptionDecision.objects.create(child=child, decided_on=date(2025, 3, 1))
    PlacementOrder.objects.create(child=child, made_on=date(2025, 6, 1))
    found = facts.occurrences(["permanence_plan.agreed", "adoption.decided",
                               "placement_order.made"], [child.pk])
    assert [found[n][child.pk][0].on for n in found] == [
        date(2025, 2, 1), date(2025, 3, 1), date(2025, 6, 1)]
    assert found["permanence_plan.agreed"][child.pk][0].detail == "Adoption"
