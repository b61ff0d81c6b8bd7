"""Care leavers: eligibility, pathway plans, personal adviser contact, accommodation and
activity. The SSDA903 OC3 row for a birthday is computed from these facts."""

from django.conf import settings
from django.db import models

from cairn.core import names
from cairn.core.models import Recorded
from cairn.core.periods import Period, PeriodShape


class EligibilityCategory(models.TextChoices):  # Annex A list 9 "Eligibility Category"
    RELEVANT = "relevant", "Relevant"
    FORMER_RELEVANT = "former_relevant", "Former relevant"
    QUALIFYING = "qualifying", "Qualifying"
    ELIGIBLE = "eligible", "Eligible"


# A young person is in one leaving care category at a time.
LEAVING_CARE_ELIGIBILITY = PeriodShape("eligibility", "leaving care eligibility",
                                       one_open_per="child", end_action=names.LEAVING_CARE_ENDED)


class LeavingCareEligibility(Period):
    """The leaving care category a young person is in, from a date until a date."""

    period = LEAVING_CARE_ELIGIBILITY

    child = models.ForeignKey("people.Child", models.PROTECT,
                              related_name="leaving_care_eligibility")
    category = models.CharField(max_length=16, choices=EligibilityCategory)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "leaving care eligibility"
        indexes = [models.Index(fields=["child", "started_on"], name="lceligible_child_date")]
        constraints = LEAVING_CARE_ELIGIBILITY.constraints()


class PathwayPlan(Recorded):
    """A young person's pathway plan (F29: written with them)."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="pathway_plans")
    made_on = models.DateField()
    young_person_participated = models.BooleanField()
    young_person_views = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["child", "made_on"], name="pathway_child_date")]


class PathwayPlanReview(Recorded):
    """A review of a pathway plan (at least every six months)."""

    plan = models.ForeignKey(PathwayPlan, models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    young_person_participated = models.BooleanField()
    notes = models.TextField(blank=True)


class InTouch(models.TextChoices):  # SSDA903 IN_TOUCH (rule 131)
    YES = "YES", "In touch"
    NO = "NO", "Not in touch"
    DIED = "DIED", "Died"
    REFU = "REFU", "Young person refuses contact"
    NREQ = "NREQ", "No longer requires services"
    RHOM = "RHOM", "Returned home to parents for six months or more"


class PersonalAdviserContact(Recorded):
    """A personal adviser's contact with a care leaver, and whether they are in touch."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="pa_contacts")
    contacted_on = models.DateField()
    in_touch = models.CharField(max_length=4, choices=InTouch)  # IN_TOUCH
    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                related_name="+")
    notes = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["child", "contacted_on"], name="pacontact_child_date")]


class Accommodation(models.TextChoices):  # SSDA903 ACCOM (rule 133): letter + 1 suitable/2 not
    B1 = "B1", "With parent(s) or relative(s): suitable"
    B2 = "B2", "With parent(s) or relative(s): unsuitable"
    C1 = "C1", "Community home or other residential care: suitable"
    C2 = "C2", "Community home or other residential care: unsuitable"
    D1 = "D1", "Semi-independent or transitional accommodation: suitable"
    D2 = "D2", "Semi-independent or transitional accommodation: unsuitable"
    E1 = "E1", "Supported lodgings: suitable"
    E2 = "E2", "Supported lodgings: unsuitable"
    G1 = "G1", "Gone abroad: suitable"
    G2 = "G2", "Gone abroad: unsuitable"
    H1 = "H1", "Deported: suitable"
    H2 = "H2", "Deported: unsuitable"
    K1 = "K1", "Ordinary lodgings without formal support: suitable"
    K2 = "K2", "Ordinary lodgings without formal support: unsuitable"
    R1 = "R1", "Residence not known: suitable"
    R2 = "R2", "Residence not known: unsuitable"
    S2 = "S2", "No fixed abode or homeless: unsuitable"
    T1 = "T1", "Foyer or similar supported accommodation: suitable"
    T2 = "T2", "Foyer or similar supported accommodation: unsuitable"
    U1 = "U1", "Independent living: suitable"
    U2 = "U2", "Independent living: unsuitable"
    V1 = "V1", "Emergency accommodation: suitable"
    V2 = "V2", "Emergency accommodation: unsuitable"
    W1 = "W1", "Bed and breakfast: suitable"
    W2 = "W2", "Bed and breakfast: unsuitable"
    X2 = "X2", "In custody: unsuitable"
    Y1 = "Y1", "Other accommodation: suitable"
    Y2 = "Y2", "Other accommodation: unsuitable"
    Z1 = "Z1", "With former foster carer(s): suitable"
    Z2 = "Z2", "With former foster carer(s): unsuitable"


class CareLeaverAccommodation(Recorded):
    """Where a care leaver lives, and whether it suits them, from a date."""

    child = models.ForeignKey("people.Child", models.PROTECT,
                              related_name="care_leaver_accommodation")
    from_on = models.DateField()
    accommodation = models.CharField(max_length=2, choices=Accommodation)  # ACCOM

    class Meta:
        verbose_name_plural = "care leaver accommodation"
        indexes = [models.Index(fields=["child", "from_on"], name="claccom_child_date")]

    @property
    def suitable(self) -> bool:
        return self.accommodation.endswith("1")


class Activity(models.TextChoices):  # SSDA903 ACTIV (rule 132)
    F1 = "F1", "Full-time in higher education"
    P1 = "P1", "Part-time in higher education"
    F2 = "F2", "Full-time in education other than higher education"
    P2 = "P2", "Part-time in education other than higher education"
    F4 = "F4", "Full-time in employment"
    P4 = "P4", "Part-time in employment"
    F5 = "F5", "Full-time in training or an apprenticeship"
    P5 = "P5", "Part-time in training or an apprenticeship"
    G4 = "G4", "Not in education, employment or training: illness or disability"
    G5 = "G5", "Not in education, employment or training: other reasons"
    G6 = "G6", "Not in education, employment or training: pregnancy or parenting"


class CareLeaverActivity(Recorded):
    """What a care leaver is doing (education, employment, training or not), from a date."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="care_leaver_activity")
    from_on = models.DateField()
    activity = models.CharField(max_length=2, choices=Activity)  # ACTIV

    class Meta:
        verbose_name_plural = "care leaver activity"
        indexes = [models.Index(fields=["child", "from_on"], name="clactiv_child_date")]
