"""Permanence: plans, adoption (decision, placement order, match, placement, order), special
guardianship, previous permanence, and prospective adopters (Annex A lists 10 and 11).

The SSDA903 PlacedAdoption table is the agency decision that a child should be placed for
adoption (DATE_PLACED) and its reversal (DATE_PLACED_CEASED, REASON_PLACED_CEASED): that is
`AdoptionDecision`. The child's move to the adopters is `PlacedForAdoption`; the placement code
(A3-A6) lives on the care episode.
"""

from django.db import models
from django.db.models import F, Q

from cairn.core.models import Recorded


class PermanencePlanType(models.TextChoices):  # Annex A list 8 "permanence plan"
    RETURN_TO_FAMILY = "a", "Return to family"
    ADOPTION = "b", "Adoption"
    SGO_CAO = "c", "Special guardianship or child arrangements order"
    SUPPORTED_LIVING = "d", "Supported living in the community"
    RESIDENTIAL = "e", "Long-term residential placement"
    LONG_TERM_FOSTERING = "f", "Long-term fostering"
    OTHER = "g", "Other"


class PermanencePlan(Recorded):
    """The permanence plan agreed for a child, by the second review at the latest (F5)."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="permanence_plans")
    plan_type = models.CharField(max_length=1, choices=PermanencePlanType)
    agreed_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["child", "agreed_on"], name="permplan_child_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("agreed_on")),
                name="permplan_ends_after_agreed"),
        ]


class ReasonNoLongerPlaced(models.TextChoices):  # SSDA903 REASON_PLACED_CEASED (rule 120)
    RD1 = "RD1", "The child's needs changed after the decision"
    RD2 = "RD2", "The court did not make a placement order"
    RD3 = "RD3", "Prospective adopters could not be found"
    RD4 = "RD4", "Any other reason"


class AdoptionDecision(Recorded):
    """The agency decision maker's decision that a child should be placed for adoption, and
    any later decision that they should no longer be."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="adoption_decisions")
    # AD1 DATE_INT and PlacedAdoption DATE_PLACED: the same decision (rule 523).
    decided_on = models.DateField()
    no_longer_decided_on = models.DateField(null=True, blank=True)  # DATE_PLACED_CEASED
    no_longer_reason = models.CharField(  # REASON_PLACED_CEASED
        max_length=3, choices=ReasonNoLongerPlaced, blank=True)

    class Meta:
        indexes = [models.Index(fields=["child", "decided_on"], name="adm_child_date")]
        constraints = [
            models.CheckConstraint(  # rule 522
                condition=Q(no_longer_decided_on__isnull=True)
                | Q(no_longer_decided_on__gte=F("decided_on")),
                name="adm_reversal_after_decision"),
            models.CheckConstraint(  # rule 119: the date and the reason go together
                condition=(Q(no_longer_decided_on__isnull=True) & Q(no_longer_reason=""))
                | (Q(no_longer_decided_on__isnull=False) & ~Q(no_longer_reason="")),
                name="adm_reversal_has_reason"),
        ]


class PlacementOrder(Recorded):
    """A placement order (Adoption and Children Act 2002 s.21)."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="placement_orders")
    made_on = models.DateField()
    revoked_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["child", "made_on"], name="porder_child_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=F("made_on")),
                name="porder_revoked_after_made"),
        ]


class AdopterFamily(Recorded):
    """A prospective adoptive family's journey through the process (Annex A list 11)."""

    class LeftReason(models.TextChoices):  # Annex A list 11
        WITHDREW = "1", "Adopter withdrew from process"
        ON_HOLD = "2", "Process put on hold"
        REFUSED = "3", "Application refused"

    identifier = models.CharField(max_length=20, unique=True)  # Family identifier
    fostering_for_adoption = models.BooleanField(default=False)
    enquiry_on = models.DateField()
    stage1_started_on = models.DateField(null=True, blank=True)
    stage1_ended_on = models.DateField(null=True, blank=True)
    stage2_started_on = models.DateField(null=True, blank=True)
    stage2_ended_on = models.DateField(null=True, blank=True)
    application_on = models.DateField(null=True, blank=True)
    approved_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    left_reason = models.CharField(max_length=1, choices=LeftReason, blank=True)

    class Meta:
        verbose_name_plural = "adopter families"
        constraints = [
            models.CheckConstraint(
                condition=Q(stage1_started_on__isnull=True)
                | Q(stage1_started_on__gte=F("enquiry_on")),
                name="adopter_stage1_after_enquiry"),
            models.CheckConstraint(
                condition=Q(stage1_ended_on__isnull=True)
                | Q(stage1_ended_on__gte=F("stage1_started_on")),
                name="adopter_stage1_ends_after_start"),
            models.CheckConstraint(
                condition=Q(stage2_ended_on__isnull=True)
                | Q(stage2_ended_on__gte=F("stage2_started_on")),
                name="adopter_stage2_ends_after_start"),
            models.CheckConstraint(
                condition=Q(approved_on__isnull=True) | Q(approved_on__gte=F("enquiry_on")),
                name="adopter_approved_after_enquiry"),
        ]

    def __str__(self) -> str:
        return self.identifier


class ProspectiveAdopter(Recorded):
    """One adult in an adopter family; sex, ethnicity and disability come from the person."""

    family = models.ForeignKey(AdopterFamily, models.PROTECT, related_name="adopters")
    person = models.ForeignKey("people.Person", models.PROTECT, related_name="adopter_roles")
    identifier = models.CharField(max_length=20, unique=True)  # Individual adopter identifier


class SexOfAdopters(models.TextChoices):  # SSDA903 SEX_ADOPTR (rule 176)
    M1 = "M1", "Single male adopter"
    F1 = "F1", "Single female adopter"
    MM = "MM", "Two male adopters"
    FF = "FF", "Two female adopters"
    MF = "MF", "Male and female adopters"


class LegalStatusOfAdopters(models.TextChoices):  # SSDA903 LS_ADOPTR (rule 177)
    L0 = "L0", "Single person"
    L11 = "L11", "Married couple, opposite sex"
    L12 = "L12", "Married couple, same sex"  # rule 524: MM or FF
    L2 = "L2", "Civil partnership couple"  # rule 519: a couple
    L3 = "L3", "Unmarried couple, opposite sex"  # rule 517: MF
    L4 = "L4", "Unmarried couple, same sex"  # rule 518: MM or FF


class AdoptionMatch(Recorded):
    """The agency decision to match a child with prospective adopters (SSDA903 AD1)."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="adoption_matches")
    family = models.ForeignKey(AdopterFamily, models.PROTECT, null=True, blank=True,
                               related_name="matches")
    matched_on = models.DateField()  # DATE_MATCH
    foster_carer = models.BooleanField()  # FOSTER_CARE: adopted by their foster carer(s)
    number_of_adopters = models.PositiveSmallIntegerField(  # NB_ADOPTR
        choices=[(1, "1"), (2, "2")])
    sex_of_adopters = models.CharField(max_length=2, choices=SexOfAdopters)  # SEX_ADOPTR
    legal_status_of_adopters = models.CharField(  # LS_ADOPTR
        max_length=3, choices=LegalStatusOfAdopters)
    ended_on = models.DateField(null=True, blank=True)  # disrupted before placement

    class Meta:
        verbose_name_plural = "adoption matches"
        indexes = [models.Index(fields=["child", "matched_on"], name="match_child_date")]
        constraints = [
            # Rule 511: two adopters are a couple; one is single.
            models.CheckConstraint(
                condition=(Q(number_of_adopters=1) & Q(sex_of_adopters__in=["M1", "F1"])
                           & Q(legal_status_of_adopters="L0"))
                | (Q(number_of_adopters=2) & Q(sex_of_adopters__in=["MM", "FF", "MF"])
                   & ~Q(legal_status_of_adopters="L0")),
                name="match_adopters_consistent"),
        ]


class PlacedForAdoption(Recorded):
    """The day a child moved in with their prospective adopters, and when that ended."""

    class Ended(models.TextChoices):
        ADOPTED = "adopted", "Adoption order made"
        DISRUPTED = "disrupted", "Placement ended before an order"

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="adoption_placements")
    family = models.ForeignKey(AdopterFamily, models.PROTECT, null=True, blank=True,
                               related_name="placements")
    placed_on = models.DateField()  # Annex A list 10 "Date placed for adoption"
    ended_on = models.DateField(null=True, blank=True)
    ended = models.CharField(max_length=10, choices=Ended, blank=True)

    class Meta:
        verbose_name_plural = "placements for adoption"
        indexes = [models.Index(fields=["child", "placed_on"], name="placedadopt_child_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("placed_on")),
                name="placedadopt_ends_after_start"),
        ]


class AdoptionOrder(Recorded):
    """An adoption order made by the court."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="adoption_orders")
    made_on = models.DateField()
    family = models.ForeignKey(AdopterFamily, models.PROTECT, null=True, blank=True,
                               related_name="orders")

    class Meta:
        indexes = [models.Index(fields=["child", "made_on"], name="aorder_child_date")]


class SpecialGuardianshipOrder(Recorded):
    """A special guardianship order (Children Act 1989 s.14A)."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="sgos")
    made_on = models.DateField()
    guardian = models.ForeignKey("people.Person", models.PROTECT, null=True, blank=True,
                                 related_name="+")
    former_foster_carer = models.BooleanField(default=False)
    relative_or_friend = models.BooleanField(default=False)

    class Meta:
        verbose_name = "special guardianship order"
        indexes = [models.Index(fields=["child", "made_on"], name="sgo_child_date")]


class PreviousPermanenceOption(models.TextChoices):  # SSDA903 PREV_PERM (rule 631)
    P1 = "P1", "Adoption"
    P2 = "P2", "Special guardianship order"
    P3 = "P3", "Residence order or child arrangements order (to live with)"
    P4 = "P4", "Adoption abroad"  # validator lists the code; guide meaning to confirm
    Z1 = "Z1", "Child has not previously been in a permanent arrangement, or not known"


class PreviousPermanence(Recorded):
    """What permanence the child had before this period of care (SSDA903 PrevPerm)."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="previous_permanence")
    option = models.CharField(max_length=2, choices=PreviousPermanenceOption)  # PREV_PERM
    la_code = models.CharField(max_length=3, blank=True)  # LA_PERM: old-style LA code
    # DATE_PERM as given: the 903 allows partial dates (e.g. "zz/zz/2014"), so it stays text.
    order_date = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name_plural = "previous permanence"
