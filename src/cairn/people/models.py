"""People: children (the subjects of the record), the adults and children around them, their
identifiers, addresses, disabilities and relationships; and case notes on a child's record."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cairn.core.models import Recorded, RecordedQuerySet


class Sex(models.TextChoices):  # CIN census Sex (from 2024-25); SSDA903 SEX is 1/2
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Not stated or recorded"


class Ethnicity(models.TextChoices):  # DfE ethnicity codes (CIN Ethnicity, 903 ETHNIC)
    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Caribbean"
    BAFR = "BAFR", "African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class DisabilityCode(models.TextChoices):  # CIN census Disability
    MOB = "MOB", "Mobility"
    HAND = "HAND", "Hand function"
    PC = "PC", "Personal care"
    INC = "INC", "Incontinence"
    COMM = "COMM", "Communication"
    LD = "LD", "Learning"
    HEAR = "HEAR", "Hearing"
    VIS = "VIS", "Vision"
    BEH = "BEH", "Behaviour"
    CON = "CON", "Consciousness"
    AUT = "AUT", "Autism or Asperger syndrome"
    DDA = "DDA", "Other disability under the Disability Discrimination Act"


class UPNUnknown(models.TextChoices):  # CIN census UPNunknown
    UN1 = "UN1", "Child is now looked after and not of school age"
    UN2 = "UN2", "Not of school age, no UPN yet"
    UN3 = "UN3", "Educated outside England"
    UN4 = "UN4", "Newly arrived, UPN not yet issued"
    UN5 = "UN5", "Sources of information have been exhausted"
    UN6 = "UN6", "Child is unborn"
    UN7 = "UN7", "Former UPN was used"
    UN8 = "UN8", "Not educated in an English state school"
    UN9 = "UN9", "Child is home educated"
    UN10 = "UN10", "Child is in an independent school"


class PersonQuerySet(RecordedQuerySet):
    def children(self):
        return self.filter(la_child_id__isnull=False)


class Person(Recorded):
    """Anyone the record knows: a child who is the subject of it, a parent, carer or relative.

    A child has an LA child identifier; the adults and other children in a child's network do
    not need one. One table for all keeps one person one row (a care leaver who becomes a parent
    stays the same person) and lets duplicate matching look everywhere.
    """

    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    other_names = models.CharField(max_length=200, blank=True, help_text="Known as, former names")
    birth_date = models.DateField(null=True, blank=True)  # PersonBirthDate
    expected_birth_date = models.DateField(null=True, blank=True)  # ExpectedPersonBirthDate
    death_date = models.DateField(null=True, blank=True)  # PersonDeathDate
    sex = models.CharField(max_length=1, choices=Sex, default=Sex.UNKNOWN)
    gender_identity = models.CharField(max_length=60, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity, default=Ethnicity.NOBT)
    first_language = models.CharField(max_length=60, blank=True)
    # Whoever meets the child or family needs to book one before the visit: shown on the banner.
    interpreter_needed = models.BooleanField(default=False)
    religion = models.CharField(max_length=60, blank=True)
    # Identifiers
    la_child_id = models.CharField(  # LAchildID (CIN), CHILD (SSDA903)
        max_length=10, unique=True, null=True, blank=True, verbose_name="LA child ID")
    upn = models.CharField(max_length=13, blank=True, verbose_name="UPN")
    former_upn = models.CharField(max_length=13, blank=True, verbose_name="former UPN")
    upn_unknown = models.CharField(max_length=4, choices=UPNUnknown, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True, verbose_name="NHS number")
    # Unaccompanied asylum-seeking child: SSDA903 UASC table, Annex A
    uasc_from = models.DateField(null=True, blank=True, verbose_name="UASC from")
    uasc_ceased_on = models.DateField(null=True, blank=True)  # DUC
    # Restricted records are visible only to named staff (core.policy, core.AccessGrant).
    restricted = models.BooleanField(default=False)
    restriction_reason = models.TextField(blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["family_name", "given_name"], name="person_name"),
            models.Index(fields=["birth_date"], name="person_dob"),
            models.Index(fields=["upn"], name="person_upn"),
            models.Index(fields=["nhs_number"], name="person_nhs"),
            # The few restricted records: the whole-authority roles' lists leave out those they
            # may not open (access.policy) without reading every child to find them.
            models.Index(fields=["id"], name="person_restricted", condition=Q(restricted=True)),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_child(self) -> bool:
        return self.la_child_id is not None

    def age_on(self, day) -> int | None:
        if not self.birth_date:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    def get_absolute_url(self) -> str:
        return reverse("child", args=[self.pk])


class ChildManager(models.Manager.from_queryset(PersonQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(la_child_id__isnull=False)


class Child(Person):
    """A person who is the subject of a children's social care record."""

    objects = ChildManager()

    class Meta:
        proxy = True
        verbose_name_plural = "children"


class Disability(Recorded):
    """One CIN census disability code the child has; none at all is the census's NONE."""

    person = models.ForeignKey(Person, models.PROTECT, related_name="disabilities")
    code = models.CharField(max_length=4, choices=DisabilityCode)

    class Meta:
        # A code removed in error (voided, never deleted) can be recorded again.
        constraints = [models.UniqueConstraint(fields=["person", "code"], name="one_code_each",
                                               condition=Q(voided_at__isnull=True))]


class Address(Recorded):
    person = models.ForeignKey(Person, models.PROTECT, related_name="addresses")
    line1 = models.CharField(max_length=120)
    line2 = models.CharField(max_length=120, blank=True)
    town = models.CharField(max_length=80, blank=True)
    postcode = models.CharField(max_length=8)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "addresses"
        indexes = [models.Index(fields=["postcode"], name="address_postcode")]

    def __str__(self) -> str:
        return ", ".join(p for p in (self.line1, self.line2, self.town, self.postcode) if p)


class Relationship(Recorded):
    """How one person stands to a child: the child's family network (genogram edges)."""

    class Kind(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        STEP_PARENT = "step_parent", "Step-parent"
        PARENTS_PARTNER = "partner", "Parent's partner"
        SIBLING = "sibling", "Sibling"
        HALF_SIBLING = "half_sibling", "Half-sibling"
        GRANDPARENT = "grandparent", "Grandparent"
        AUNT_UNCLE = "aunt_uncle", "Aunt or uncle"
        OTHER_RELATIVE = "relative", "Other relative"
        FAMILY_FRIEND = "friend", "Family friend"
        CHILD = "child", "Child of the young person"
        CARER = "carer", "Carer"

    child = models.ForeignKey("Child", models.PROTECT, related_name="relationships")
    person = models.ForeignKey(Person, models.PROTECT, related_name="related_to")
    kind = models.CharField(max_length=20, choices=Kind)
    parental_responsibility = models.BooleanField(default=False)
    lives_with_child = models.BooleanField(default=False)
    potential_carer = models.BooleanField(default=False)  # F6: kinship options
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(child=models.F("person")), name="not_self"),
        ]


class Alert(Recorded):
    """Something every worker opening the record must see first (risk to staff, allergy...)."""

    child = models.ForeignKey("Child", models.PROTECT, related_name="alerts")
    text = models.CharField(max_length=200)
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)


class CaseNote(Recorded):
    """A recorded piece of work with or about a child: a visit, a call, a meeting, a decision."""

    class Kind(models.TextChoices):
        VISIT = "visit", "Visit"
        PHONE_CALL = "phone", "Phone call"
        MEETING = "meeting", "Meeting"
        DIRECT_WORK = "direct_work", "Direct work with the child"
        MANAGEMENT = "management", "Management oversight"
        CORRESPONDENCE = "correspondence", "Letter or email"
        OTHER = "other", "Other"

    child = models.ForeignKey("Child", models.PROTECT, related_name="case_notes")
    kind = models.CharField(max_length=20, choices=Kind, verbose_name="kind of work")
    occurred_on = models.DateField(verbose_name="date it happened")
    subject = models.CharField(max_length=150)
    body = models.TextField(verbose_name="note")
    child_seen = models.BooleanField(null=True, blank=True, verbose_name="child seen")
    child_seen_alone = models.BooleanField(null=True, blank=True,
                                           verbose_name="child seen alone")
    # The latest correction (casework.services.case_note_correct); every earlier version, and
    # why it was corrected, stays in the audit trail and is read on the record's History.
    corrected_at = models.DateTimeField(null=True, blank=True, editable=False)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                     blank=True, editable=False, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["child", "occurred_on"], name="casenote_child_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(child_seen_alone__isnull=True) | Q(child_seen_alone=False)
                | Q(child_seen=True),
                name="seen_alone_means_seen"),
        ]
