"""Children looked after: SSDA903 episodes (legal status and placement), reviews, statutory
visits, health, education (PEP), missing episodes and return home interviews, care plans.

Codes are the SSDA903 code lists as the DfE validator for 2025-26/2026-27 accepts them
(csc-validator-be-903 rules 143-149, 178, 1009, 196, 1006), so the return is a projection.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from cairn.core import names
from cairn.core.models import Recorded
from cairn.core.periods import Period, PeriodQuerySet, PeriodShape


class ReasonNewEpisode(models.TextChoices):  # SSDA903 RNE (rule 143)
    STARTED = "S", "Started to be looked after"
    LEGAL_STATUS = "L", "Change of legal status only"
    PLACEMENT_AND_CARERS = "P", "Change of placement and carer(s) only"
    PLACEMENT_SAME_CARERS = "T", "Change of placement (but same carer(s)) only"
    LEGAL_STATUS_PLACEMENT_AND_CARERS = "B", (
        "Change of legal status and placement and carer(s) at the same time")
    LEGAL_STATUS_PLACEMENT_SAME_CARERS = "U", (
        "Change of legal status and change of placement (but same carer(s)) at the same time")


# Which episode starts are new placements, and which change the legal status.
PLACEMENT_RNE = {"S", "P", "T", "B", "U"}
LEGAL_STATUS_RNE = {"L", "B", "U"}


class LegalStatus(models.TextChoices):  # SSDA903 LS (rule 144)
    C1 = "C1", "Interim care order"
    C2 = "C2", "Full care order"
    D1 = "D1", "Freeing order granted"
    E1 = "E1", "Placement order granted"
    J1 = "J1", "Remanded to local authority accommodation or youth detention accommodation"
    J2 = "J2", "Placed in local authority accommodation under PACE"
    J3 = "J3", "Sentenced to a youth rehabilitation order with residence requirement"
    L1 = "L1", "Under police protection and in local authority accommodation"
    L2 = "L2", "Emergency protection order"
    L3 = "L3", "Under child assessment order and in local authority accommodation"
    V2 = "V2", "Single period of accommodation under section 20"
    V3 = "V3", "Agreed series of short-term breaks, individual episodes recorded"
    V4 = "V4", "Agreed series of short-term breaks, agreements recorded"


class CategoryOfNeed(models.TextChoices):  # SSDA903 CIN (rule 145)
    N1 = "N1", "Abuse or neglect"
    N2 = "N2", "Child's disability"
    N3 = "N3", "Parental illness or disability"
    N4 = "N4", "Family in acute stress"
    N5 = "N5", "Family dysfunction"
    N6 = "N6", "Socially unacceptable behaviour"
    N7 = "N7", "Low income"
    N8 = "N8", "Absent parenting"


class PlacementType(models.TextChoices):  # SSDA903 PLACE (rule 146, 2025-26 list)
    A3 = "A3", "Placed for adoption with consent, with current foster carer(s)"
    A4 = "A4", "Placed for adoption with consent, not with current foster carer(s)"
    A5 = "A5", "Placed for adoption with placement order, with current foster carer(s)"
    A6 = "A6", "Placed for adoption with placement order, not with current foster carer(s)"
    K1 = "K1", "Secure children's home"
    K2 = "K2", "Children's home subject to Children's Homes Regulations"
    K3 = "K3", "Registered supported accommodation"
    P1 = "P1", "Placed with own parent(s) or other person(s) with parental responsibility"
    P3 = "P3", "Residential employment"
    R1 = "R1", "Residential care home"
    R2 = "R2", "NHS or health trust establishment providing medical or nursing care"
    R3 = "R3", "Family centre or mother and baby unit"
    R5 = "R5", "Young offender institution or prison"
    S1 = "S1", "Residential school (not dual-registered as a children's home)"
    T0 = "T0", "Temporary move of any type"
    T1 = "T1", "Temporary period in hospital"
    T2 = "T2", "Temporary absence of the child on holiday"
    T3 = "T3", "Temporary accommodation while the usual foster carer(s) are on holiday"
    T4 = "T4", "Temporary accommodation of seven days or less, any other reason"
    U1 = "U1", "Foster placement with relative(s) or friend(s): long-term fostering"
    U2 = "U2", "Foster placement with relative(s) or friend(s) also approved as adopter(s): FFA"
    U3 = "U3", "Foster placement with relative(s) or friend(s): not long-term or FFA"
    U4 = "U4", "Foster placement with other foster carer(s): long-term fostering"
    U5 = "U5", "Foster placement with other foster carer(s) also approved as adopter(s): FFA"
    U6 = "U6", "Foster placement with other foster carer(s): not long-term or FFA"
    # The 2025-26 guide split the old Z1 "other placements" into four; the validator names
    # the codes only, so the labels say so rather than guess.
    Z11 = "Z11", "Other placement (Z11)"
    Z12 = "Z12", "Other placement (Z12)"
    Z13 = "Z13", "Other placement (Z13)"
    Z14 = "Z14", "Other placement (Z14)"


TEMPORARY_PLACEMENTS = {"T0", "T1", "T2", "T3", "T4"}
# Placements that carry no provider (rule 178).
NO_PROVIDER_PLACEMENTS = {"T0", "T1", "T2", "T3", "Z11", "Z12", "Z13", "Z14"}


class PlacementProvider(models.TextChoices):  # SSDA903 PLACE_PROVIDER (rule 178)
    PR0 = "PR0", "Parent(s) or other person(s) with parental responsibility"
    PR1 = "PR1", "Own provision (by the local authority)"
    PR2 = "PR2", "Other local authority provision"
    PR3 = "PR3", "Other public provision"
    PR4 = "PR4", "Private provision"
    PR5 = "PR5", "Voluntary or third sector provision"


class ReasonEpisodeCeased(models.TextChoices):  # SSDA903 REC (rule 149)
    E11 = "E11", "Adopted: application for an adoption order unopposed"
    E12 = "E12", "Adopted: consent dispensed with by the court"
    E13 = "E13", "Left care to live with parent(s), relative(s) or others without PR"
    E14 = "E14", "Accommodation on remand ended"
    E15 = "E15", "Age assessment determined the child is aged 18 or over"
    E16 = "E16", "Child moved abroad"
    E17 = "E17", "Aged 18 or over and remained with current carers (including staying put)"
    E2 = "E2", "Died"
    E3 = "E3", "Care taken over by another local authority in the UK"
    E4A = "E4A", "Returned home to parent(s) or others with parental responsibility, as planned"
    E4B = "E4B", "Returned home to parent(s) or others with parental responsibility, not as planned"
    E41 = "E41", "Residence order or child arrangements order granted"
    E45 = "E45", "Special guardianship order to former foster carer(s), relative(s) or friend(s)"
    E46 = "E46", "Special guardianship order to former foster carer(s), not relatives or friends"
    E47 = "E47", "Special guardianship order to other carer(s), relative(s) or friend(s)"
    E48 = "E48", "Special guardianship order to other carer(s), not relatives or friends"
    E5 = "E5", "Moved to independent living with formal advice and support"
    E6 = "E6", "Moved to independent living without formal advice and support"
    E7 = "E7", "Transferred to residential care funded by adult social care"
    E8 = "E8", "Period of being looked after ceased for any other reason"
    E9 = "E9", "Sentenced to custody"
    X1 = "X1", "Episode ceases and a new episode begins on the same day"


class ReasonPlaceChange(models.TextChoices):  # SSDA903 REASON_PLACE_CHANGE (rule 1009)
    CARPL = "CARPL", "Change to or implementation of the care plan"
    CLOSE = "CLOSE", "Resignation or closure of provision"
    ALLEG = "ALLEG", "Allegation (section 47)"
    STAND = "STAND", "Standards of care concern"
    APPRR = "APPRR", "Approval removed"
    CREQB = "CREQB", "Carer(s) asked for the placement to end due to the child's behaviour"
    CREQO = "CREQO", "Carer(s) asked for the placement to end for another reason"
    CHILD = "CHILD", "Child asked for the placement to end"
    LAREQ = "LAREQ", "Responsible or area authority asked for the placement to end"
    PLACE = "PLACE", "Change in the status of the placement only"
    CUSTOD = "CUSTOD", "Custody arrangement"
    OTHER = "OTHER", "Other"


class EpisodeQuerySet(PeriodQuerySet):
    def on(self, day):
        """Episodes the child was in on `day` (an episode ending that day no longer counts)."""
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day), started_on__lte=day)

    def with_period_start(self):
        """Each episode with `period_started_on`: when the period of care it belongs to began
        (the child came into care), not when its own placement or legal status began. That is
        the latest episode on or before it that starts a period (RNE S); failing one (a file
        that begins mid-period), the child's first episode. One subquery, no query a row."""
        mine = LookedAfterEpisode.objects.current().filter(
            child=OuterRef("child"), started_on__lte=OuterRef("started_on"))
        return self.annotate(period_started_on=Coalesce(
            Subquery(mine.filter(reason_new_episode=ReasonNewEpisode.STARTED)
                     .order_by("-started_on", "-pk").values("started_on")[:1]),
            Subquery(mine.order_by("started_on", "pk").values("started_on")[:1]),
            F("started_on")))


# One open episode per child (episodes never overlap); rule 148: DEC and REC are both given or
# both blank.
EPISODE = PeriodShape("episode", "episode", reason="reason_ceased", one_open_per="child",
                      end_action=names.EPISODE_ENDED)


class LookedAfterEpisode(Period):
    """One SSDA903 episode: a span with one legal status and one placement.

    A period of care is a run of episodes from one that starts with RNE S to one that ends with
    a reason other than X1.
    """

    period = EPISODE

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="episodes")
    started_on = models.DateField()  # DECOM
    reason_new_episode = models.CharField(max_length=1, choices=ReasonNewEpisode)  # RNE
    legal_status = models.CharField(max_length=2, choices=LegalStatus)  # LS
    category_of_need = models.CharField(max_length=2, choices=CategoryOfNeed)  # CIN
    placement_type = models.CharField(max_length=3, choices=PlacementType)  # PLACE
    placement_provider = models.CharField(  # PLACE_PROVIDER
        max_length=3, choices=PlacementProvider, blank=True)
    ended_on = models.DateField(null=True, blank=True)  # DEC
    reason_ceased = models.CharField(  # REC
        max_length=3, choices=ReasonEpisodeCeased, blank=True)
    reason_place_change = models.CharField(  # REASON_PLACE_CHANGE
        max_length=6, choices=ReasonPlaceChange, blank=True)
    home_postcode = models.CharField(max_length=8, blank=True)  # HOME_POST
    placement_postcode = models.CharField(max_length=8, blank=True)  # PL_POST
    urn = models.CharField(max_length=8, blank=True, verbose_name="URN")  # URN (Ofsted)
    carer = models.ForeignKey(  # the fostering household, where the child is fostered
        "fostering.FosteringHousehold", models.PROTECT, null=True, blank=True,
        related_name="episodes")

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["child", "started_on", "id"]
        indexes = [
            models.Index(fields=["child", "started_on"], name="episode_child_start"),
            models.Index(fields=["ended_on"], name="episode_end"),
        ]
        constraints = EPISODE.constraints()

    def __str__(self) -> str:
        return f"{self.started_on} {self.legal_status} {self.placement_type}"

    @property
    def ends_period_of_care(self) -> bool:
        return bool(self.reason_ceased) and self.reason_ceased != ReasonEpisodeCeased.X1


class ReviewParticipation(models.TextChoices):  # SSDA903 REVIEW_CODE
    PN0 = "PN0", "Child aged under 4 at the time of the review"
    PN1 = "PN1", "Child attended and spoke for themselves"
    PN2 = "PN2", "Child attended and an advocate spoke for them"
    PN3 = "PN3", "Child attended and conveyed their views symbolically"
    PN4 = "PN4", "Child attended but did not speak or convey their views"
    PN5 = "PN5", "Child did not attend but briefed an advocate to speak for them"
    PN6 = "PN6", "Child did not attend but conveyed their views by another medium"
    PN7 = "PN7", "Child did not attend and their views were not conveyed"


class CLAReview(Recorded):
    """A statutory review of a looked-after child's care plan, chaired by the IRO."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="cla_reviews")
    held_on = models.DateField()  # REVIEW
    participation = models.CharField(max_length=3, choices=ReviewParticipation)  # REVIEW_CODE
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                              related_name="+")
    notes = models.TextField(blank=True)

    class Meta:
        verbose_name = "CLA review"
        indexes = [models.Index(fields=["child", "held_on"], name="clareview_child_date")]


class StatutoryVisit(Recorded):
    """A social worker's visit to a looked-after child (CPPCR 2010 regulation 28)."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="statutory_visits")
    visited_on = models.DateField()
    seen = models.BooleanField()
    seen_alone = models.BooleanField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["child", "visited_on"], name="clavisit_child_date")]
        constraints = [
            models.CheckConstraint(condition=Q(seen_alone=False) | Q(seen=True),
                                   name="clavisit_seen_alone_means_seen"),
        ]


class HealthAssessment(Recorded):
    """A statutory health assessment: the initial one, a review, or an under-fives check."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial health assessment"
        REVIEW = "review", "Review health assessment"  # HEALTH_ASSESSMENT (OC2)
        DEVELOPMENT = "development", "Health surveillance check (under 5)"  # HEALTH_CHECK

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="health_assessments")
    kind = models.CharField(max_length=12, choices=Kind)
    done_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["child", "done_on"], name="health_child_date")]


class DentalCheck(Recorded):
    """A dental check by a dentist."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="dental_checks")
    checked_on = models.DateField()  # TEETH_CHECK (OC2)

    class Meta:
        indexes = [models.Index(fields=["child", "checked_on"], name="dental_child_date")]


class Immunisation(Recorded):
    """Whether the child's immunisations were up to date when checked."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="immunisations")
    checked_on = models.DateField()
    up_to_date = models.BooleanField()  # IMMUNISATIONS (OC2)

    class Meta:
        indexes = [models.Index(fields=["child", "checked_on"], name="immun_child_date")]


class SDQReason(models.TextChoices):  # SSDA903 SDQ_REASON (rule 196)
    SDQ1 = "SDQ1", "No form returned: child aged under 4 or over 16 at the assessment date"
    SDQ2 = "SDQ2", "Carer(s) refused to complete and return the questionnaire"
    SDQ3 = "SDQ3", "Not possible because of the severity of the child's disability"
    SDQ4 = "SDQ4", "Other"
    SDQ5 = "SDQ5", "Child or young person refused to allow an SDQ to be completed"


class StrengthsDifficultiesScore(Recorded):
    """A strengths and difficulties questionnaire result, or why there is none."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="sdq_scores")
    assessed_on = models.DateField()
    score = models.PositiveSmallIntegerField(null=True, blank=True)  # SDQ_SCORE (0-40)
    reason = models.CharField(max_length=4, choices=SDQReason, blank=True)  # SDQ_REASON

    class Meta:
        verbose_name = "SDQ score"
        indexes = [models.Index(fields=["child", "assessed_on"], name="sdq_child_date")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(score__isnull=False) & Q(score__lte=40) & Q(reason=""))
                | (Q(score__isnull=True) & ~Q(reason="")),
                name="sdq_score_or_reason"),
        ]


class Conviction(Recorded):
    """A conviction or youth caution while looked after."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="convictions")
    convicted_on = models.DateField()  # CONVICTED (OC2)
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["child", "convicted_on"], name="conviction_child_date")]


class SubstanceMisuse(Recorded):
    """A substance misuse problem identified, and the intervention offered and received."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="substance_misuse")
    identified_on = models.DateField()  # SUBSTANCE_MISUSE (OC2)
    intervention_offered = models.BooleanField(null=True, blank=True)  # INTERVENTION_OFFERED
    intervention_received = models.BooleanField(null=True, blank=True)  # INTERVENTION_RECEIVED

    class Meta:
        verbose_name_plural = "substance misuse"
        indexes = [models.Index(fields=["child", "identified_on"], name="substance_child_date")]


class PersonalEducationPlan(Recorded):
    """A personal education plan meeting and the plan it agreed."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="peps")
    held_on = models.DateField()
    school = models.CharField(max_length=150, blank=True)
    child_views = models.TextField(blank=True)

    class Meta:
        verbose_name = "personal education plan"
        indexes = [models.Index(fields=["child", "held_on"], name="pep_child_date")]


class PEPTarget(Recorded):
    """One specific, dated target in a PEP (inspection finding F13: targets were vague)."""

    pep = models.ForeignKey(PersonalEducationPlan, models.PROTECT, related_name="targets")
    description = models.CharField(max_length=300)
    due_on = models.DateField()
    achieved_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "PEP target"


class MissingKind(models.TextChoices):  # SSDA903 MISSING (rule 1006)
    MISSING = "M", "Missing: whereabouts not known"
    AWAY = "A", "Away from placement without authorisation: whereabouts known"


class MissingEpisode(Recorded):
    """A time a looked-after child was missing or away from placement without authorisation."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="missing_episodes")
    kind = models.CharField(max_length=1, choices=MissingKind)  # MISSING
    started_at = models.DateTimeField()  # MIS_START
    ended_at = models.DateTimeField(null=True, blank=True)  # MIS_END: returned

    class Meta:
        indexes = [models.Index(fields=["child", "started_at"], name="missing_child_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="missing_ends_after_start"),
        ]


class ReturnHomeInterview(Recorded):
    """The independent interview offered after a child returns from being missing (F3)."""

    missing_episode = models.OneToOneField(MissingEpisode, models.PROTECT,
                                           related_name="return_interview")
    offered_on = models.DateField()
    accepted = models.BooleanField()
    held_on = models.DateField(null=True, blank=True)
    push_factors = models.TextField(blank=True, help_text="What made the child leave")
    pull_factors = models.TextField(blank=True, help_text="What drew the child away")
    actions = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(held_on__isnull=True) | Q(accepted=True),
                                   name="rhi_held_means_accepted"),
            models.CheckConstraint(
                condition=Q(held_on__isnull=True) | Q(held_on__gte=F("offered_on")),
                name="rhi_held_after_offer"),
        ]


class CarePlan(Recorded):
    """The child's care plan, written so the child can read it (F2)."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="care_plans")
    agreed_on = models.DateField()
    for_child = models.TextField(help_text="The plan in the child's own words, plainly")
    detail = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["child", "agreed_on"], name="careplan_child_date")]


class CarePlanningMeeting(Recorded):
    """A care planning meeting between reviews (F7)."""

    child = models.ForeignKey("people.Child", models.PROTECT,
                              related_name="care_planning_meetings")
    held_on = models.DateField()
    purpose = models.CharField(max_length=200)
    decisions = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["child", "held_on"], name="cpm_child_date")]


class IROContact(Recorded):
    """The IRO's own contact with the child between reviews (Annex A list 8)."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="iro_contacts")
    contacted_on = models.DateField()
    iro = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)

    class Meta:
        verbose_name = "IRO contact"
        indexes = [models.Index(fields=["child", "contacted_on"], name="iro_child_date")]


# Placements a child deprived of liberty may not be in (SSDA903 2026-27 rule 710): a secure
# children's home, with parents, a young offender institution or prison, supported
# accommodation.
DOLO_FORBIDDEN_PLACEMENTS = {"K1", "P1", "R5", "K3"}


# Rule 702: an order ends after the day it starts; rule 705: one order at a time.
DEPRIVATION_OF_LIBERTY = PeriodShape("dolo", "deprivation of liberty order", same_day=False,
                                     one_open_per="child", end_action=names.DOLO_ENDED)


class DeprivationOfLibertyOrder(Period):
    """An order authorising a looked-after child's deprivation of liberty (SSDA903 DoLo, from
    2026-27): made by a court, usually the High Court under its inherent jurisdiction."""

    period = DEPRIVATION_OF_LIBERTY

    child = models.ForeignKey("people.Child", models.PROTECT,
                              related_name="deprivation_of_liberty_orders")
    started_on = models.DateField()  # DOLO_START
    ended_on = models.DateField(null=True, blank=True)  # DOLO_END
    authorised_by = models.CharField(max_length=150,
                                     help_text="The court or body that authorised it")

    class Meta:
        verbose_name = "deprivation of liberty order"
        indexes = [models.Index(fields=["child", "started_on"], name="dolo_child_start")]
        constraints = DEPRIVATION_OF_LIBERTY.constraints()

    def __str__(self) -> str:
        return f"Deprivation of liberty order from {self.started_on}"
