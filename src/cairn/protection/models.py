"""Protection: single assessments and their factors, child in need plans, strategy discussions,
section 47 enquiries, conferences, child protection plans, safety plans, plan needs, core groups
and visits."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cairn.core import names
from cairn.core.models import Recorded, RecordedQuerySet
from cairn.core.periods import Period, PeriodShape


class AssessmentFactors(models.TextChoices):  # CIN census AssessmentFactors codes
    ALCOHOL_CHILD = "1A", "Alcohol misuse: concerns about the child"
    ALCOHOL_PARENT = "1B", "Alcohol misuse: concerns about the parent or carer"
    ALCOHOL_OTHER = "1C", "Alcohol misuse: concerns about another person in the household"
    DRUGS_CHILD = "2A", "Drug misuse: concerns about the child"
    DRUGS_PARENT = "2B", "Drug misuse: concerns about the parent or carer"
    DRUGS_OTHER = "2C", "Drug misuse: concerns about another person in the household"
    DOMESTIC_ABUSE_CHILD = "3A", "Domestic abuse: concerns about the child"
    DOMESTIC_ABUSE_PARENT = "3B", "Domestic abuse: concerns about the parent or carer"
    DOMESTIC_ABUSE_OTHER = "3C", "Domestic abuse: concerns about another person in the household"
    MENTAL_HEALTH_CHILD = "4A", "Mental health: concerns about the child"
    MENTAL_HEALTH_PARENT = "4B", "Mental health: concerns about the parent or carer"
    MENTAL_HEALTH_OTHER = "4C", "Mental health: concerns about another person in the household"
    LEARNING_DISABILITY_CHILD = "5A", "Learning disability: concerns about the child"
    LEARNING_DISABILITY_PARENT = "5B", "Learning disability: concerns about the parent or carer"
    LEARNING_DISABILITY_OTHER = "5C", ("Learning disability: concerns about another person in "
                                       "the household")
    PHYSICAL_DISABILITY_CHILD = "6A", "Physical disability or illness: concerns about the child"
    PHYSICAL_DISABILITY_PARENT = "6B", ("Physical disability or illness: concerns about the "
                                        "parent or carer")
    PHYSICAL_DISABILITY_OTHER = "6C", ("Physical disability or illness: concerns about another "
                                       "person in the household")
    YOUNG_CARER = "7A", "Young carer"
    PF_OVERSEAS_RETURN = "8B", "Privately fostered: overseas children who intend to return"
    PF_OVERSEAS_STAY = "8C", "Privately fostered: overseas children who intend to stay"
    PF_EDUCATION = "8D", "Privately fostered: UK children in educational placements"
    PF_FAMILY_ARRANGEMENT = "8E", ("Privately fostered: UK children making alternative family "
                                   "arrangements")
    PF_OTHER = "8F", "Privately fostered: other"
    UASC = "9A", "Unaccompanied asylum-seeking child"
    MISSING = "10A", "Going or being missing"
    CSE = "11A", "Child sexual exploitation"
    TRAFFICKING = "12A", "Trafficking"
    GANGS = "13A", "Gangs"
    SOCIALLY_UNACCEPTABLE = "14A", "Socially unacceptable behaviour"
    SELF_HARM = "15A", "Self-harm"
    NEGLECT = "16A", "Abuse or neglect: neglect"
    EMOTIONAL_ABUSE = "17A", "Abuse or neglect: emotional abuse"
    # CIN 8945Q, 8950Q: 18A and 19A are kept for loading past returns; 18B/C and 19B/C replace
    # them.
    PHYSICAL_ABUSE = "18A", "Abuse or neglect: physical abuse (no longer used)"
    PHYSICAL_ABUSE_CHILD_ON_CHILD = "18B", "Abuse or neglect: physical abuse, child on child"
    PHYSICAL_ABUSE_ADULT_ON_CHILD = "18C", "Abuse or neglect: physical abuse, adult on child"
    SEXUAL_ABUSE = "19A", "Abuse or neglect: sexual abuse (no longer used)"
    SEXUAL_ABUSE_CHILD_ON_CHILD = "19B", "Abuse or neglect: sexual abuse, child on child"
    SEXUAL_ABUSE_ADULT_ON_CHILD = "19C", "Abuse or neglect: sexual abuse, adult on child"
    OTHER = "20", "Other"
    NO_FACTORS = "21", "No factors identified"
    FGM = "22A", "Female genital mutilation"
    FAITH_OR_BELIEF = "23A", "Abuse linked to faith or belief"
    CCE = "24A", "Child criminal exploitation"


class CategoryOfAbuse(models.TextChoices):  # CIN Initial/LatestCategoryOfAbuse
    NEGLECT = "NEG", "Neglect"
    PHYSICAL = "PHY", "Physical abuse"
    SEXUAL = "SAB", "Sexual abuse"
    EMOTIONAL = "EMO", "Emotional abuse"
    MULTIPLE = "MUL", "Multiple"


class Assessment(Recorded):
    """A single (child and family) assessment made on a referral."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="assessments")
    referral = models.ForeignKey("frontdoor.Referral", models.PROTECT,
                                 related_name="assessments")
    started_on = models.DateField()  # AssessmentActualStartDate
    child_seen_on = models.DateField(null=True, blank=True)  # Annex A List 4 Child Seen
    submitted_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                     blank=True, related_name="+")
    authorised_on = models.DateField(null=True, blank=True)  # AssessmentAuthorisationDate
    authorised_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                      blank=True, related_name="+")
    worries = models.TextField(blank=True)  # what are we worried about
    working_well = models.TextField(blank=True)  # what is working well
    needs_to_happen = models.TextField(blank=True)  # what needs to happen
    safety_scale = models.PositiveSmallIntegerField(  # 0 unsafe .. 10 safe enough to close
        null=True, blank=True)
    childs_words = models.TextField(blank=True)  # F39: the child's own words
    # Why it was authorised after its 45 working days: asked when the manager authorises late.
    reason_late = models.TextField(blank=True)
    # Annex A List 4: "Was the child assessed as requiring LA children's social care support?"
    further_action = models.BooleanField(null=True, blank=True)

    objects = RecordedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["child", "started_on"], name="assessment_child_on"),
            # Managers' authorisations: the few submitted and not yet authorised, found without
            # reading every assessment the authority holds.
            models.Index(fields=["submitted_on", "id"], name="assessment_to_authorise",
                         condition=Q(submitted_on__isnull=False, authorised_on__isnull=True,
                                     voided_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(  # CIN 8608
                condition=Q(authorised_on__isnull=True) | Q(authorised_on__gte=F("started_on")),
                name="assessment_authorised_after_start"),
            models.CheckConstraint(
                condition=Q(submitted_on__isnull=True) | Q(submitted_on__gte=F("started_on")),
                name="assessment_submitted_after_start"),
            models.CheckConstraint(
                condition=Q(authorised_on__isnull=True)
                | Q(submitted_on__isnull=False, authorised_on__gte=F("submitted_on")),
                name="assessment_authorised_after_submitted"),
            models.CheckConstraint(
                condition=Q(safety_scale__isnull=True) | Q(safety_scale__lte=10),
                name="assessment_safety_scale_0_10"),
        ]

    def __str__(self) -> str:
        return f"Assessment from {self.started_on:%d %b %Y}"


class AssessmentDecision(Recorded):
    """A manager's decision on a submitted assessment: authorised, or returned with comments."""

    class Outcome(models.TextChoices):
        AUTHORISED = "authorised", "Authorised"
        RETURNED = "returned", "Returned to the worker"

    child = models.ForeignKey("people.Child", models.PROTECT,
                              related_name="assessment_decisions")
    assessment = models.ForeignKey(Assessment, models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=10, choices=Outcome)
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    comments = models.TextField(blank=True)
    # The version of the assessment the manager read and decided on.
    assessment_version = models.PositiveIntegerField(null=True, blank=True)

    objects = RecordedQuerySet.as_manager()

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [models.CheckConstraint(
            condition=~Q(outcome="returned") | ~Q(comments=""),
            name="assessment_return_has_comments")]


class AssessmentUpdate(Recorded):
    """A task to update an authorised assessment after a significant event (F1): raised when
    the event is recorded, due by the local rule (names.ASSESSMENT_UPDATE), met when a new
    assessment of the child starts (the rule's finishing fact, so nothing here marks it)."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="assessment_updates")
    assessment = models.ForeignKey("Assessment", models.PROTECT, related_name="updates_due")
    event = models.CharField(max_length=60)  # the fact's name (core.names), e.g. a contact
    event_label = models.CharField(max_length=120)  # as the chronology names the event
    event_on = models.DateField()  # the clock starts here; met by an assessment started since

    objects = RecordedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["child", "event_on"], name="assessupdate_child_on")]

    def __str__(self) -> str:
        return f"Assessment update due after {self.event_label.lower()} on {self.event_on:%d %b %Y}"


class AssessmentFactor(Recorded):
    """One factor identified at the end of an assessment (CIN AssessmentFactors), one per row."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="assessment_factors")
    assessment = models.ForeignKey(Assessment, models.PROTECT, related_name="factors")
    code = models.CharField(max_length=3, choices=AssessmentFactors)  # AssessmentFactors

    objects = RecordedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(  # CIN 8898
            fields=["assessment", "code"], condition=Q(voided_at__isnull=True),
            name="assessment_factor_once")]


# CIN 4011 (ends on or after it starts), 4004 and 4014 (one open plan at a time).
CIN_PLAN = PeriodShape("cinplan", "child in need plan", one_open_per="child",
                       end_action=names.CIN_PLAN_ENDED)


class CINPlan(Period):
    """A child in need plan."""

    period = CIN_PLAN

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="cin_plans")
    referral = models.ForeignKey("frontdoor.Referral", models.PROTECT, related_name="cin_plans")
    started_on = models.DateField()  # CINPlanStartDate
    ended_on = models.DateField(null=True, blank=True)  # CINPlanEndDate
    childs_words = models.TextField(blank=True)  # F19: the child's own words, asked at start

    class Meta:
        verbose_name = "child in need plan"
        indexes = [models.Index(fields=["child", "started_on"], name="cinplan_child_on")]
        constraints = CIN_PLAN.constraints()

    def __str__(self) -> str:
        return f"Child in need plan from {self.started_on:%d %b %Y}"


class CINPlanReview(Recorded):
    """A dated review of a child in need plan: who took part and what it found; the next is due
    by the authority's rule (names.CIN_PLAN_REVIEW)."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="cin_plan_reviews")
    plan = models.ForeignKey(CINPlan, models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    attendees = models.TextField()
    progress = models.TextField()  # what has changed for the child, and what happens next

    objects = RecordedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["plan", "held_on"], name="cinreview_plan_on")]

    def __str__(self) -> str:
        return f"Child in need plan review {self.held_on:%d %b %Y}"


class StrategyDiscussion(Recorded):
    """A multi-agency strategy discussion: is there cause to suspect significant harm?"""

    child = models.ForeignKey("people.Child", models.PROTECT,
                              related_name="strategy_discussions")
    referral = models.ForeignKey("frontdoor.Referral", models.PROTECT, null=True, blank=True,
                                 related_name="strategy_discussions")
    held_on = models.DateField()  # Annex A List 5 strategy discussion date
    # Empty on discussions recorded before the time was asked, and on imported ones.
    held_at = models.TimeField(null=True, blank=True)
    chaired_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+")
    # The agencies in words: written from the attendees (StrategyAttendee) when they are
    # recorded; typed on discussions recorded before attendees were, and imported ones.
    agencies_present = models.TextField()
    information_shared = models.TextField(blank=True)
    decision = models.TextField()
    s47_agreed = models.BooleanField(default=False)  # a section 47 enquiry is to start

    objects = RecordedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["child", "held_on"], name="strategy_child_on")]

    def __str__(self) -> str:
        return f"Strategy discussion {self.held_on:%d %b %Y}"


class Agency(models.TextChoices):
    """The agencies a strategy discussion hears from (Working Together 2023 ch. 4)."""

    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    SOCIAL_CARE = "social_care", "Children's social care"
    EARLY_YEARS = "early_years", "Early years or childcare"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    OTHER = "other", "Another agency"


class StrategyAttendee(Recorded):
    """Someone who took part in a strategy discussion, named, with the agency they spoke for
    (F18)."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="+")
    discussion = models.ForeignKey(StrategyDiscussion, models.PROTECT, related_name="attendees")
    agency = models.CharField(max_length=12, choices=Agency)
    name = models.CharField(max_length=150)
    # Their role or organisation: "DS, child abuse investigation unit", "Oak Primary, DSL".
    # Another agency is named here.
    role = models.CharField(max_length=150, blank=True)

    objects = RecordedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="strategy_attendee_named"),
            models.CheckConstraint(condition=~Q(agency="other") | ~Q(role=""),
                                   name="strategy_attendee_other_named"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_agency_display()})"

    @property
    def agency_label(self) -> str:
        return self.role if self.agency == Agency.OTHER else self.get_agency_display()


class Section47Outcome(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", "Concerns not substantiated: no further action"
    CHILD_IN_NEED = "cin", "Concerns not substantiated: child in need support"
    ICPC = "icpc", "Concerns substantiated: initial child protection conference"


class Section47Enquiry(Recorded):
    """A section 47 enquiry, started from the strategy discussion that agreed it."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="section47_enquiries")
    strategy_discussion = models.ForeignKey(StrategyDiscussion, models.PROTECT,
                                            related_name="enquiries")
    started_on = models.DateField()  # S47ActualStartDate
    outcome = models.CharField(max_length=4, choices=Section47Outcome, blank=True)
    icpc_not_required = models.BooleanField(default=False)  # ICPCnotRequired
    completed_on = models.DateField(null=True, blank=True)

    objects = RecordedQuerySet.as_manager()

    class Meta:
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"
        indexes = [models.Index(fields=["child", "started_on"], name="s47_child_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("started_on")),
                name="s47_completes_after_start"),
            # The decision that no conference is needed concludes the enquiry and stops the
            # ICPC clock on that day.
            models.CheckConstraint(
                condition=Q(icpc_not_required=False) | Q(completed_on__isnull=False),
                name="s47_icpc_not_required_dated"),
        ]

    def __str__(self) -> str:
        return f"Section 47 enquiry from {self.started_on:%d %b %Y}"


class SafetyPlan(Recorded):
    """A safety plan agreed with the family and network: who does what to keep the child safe
    (F37)."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="safety_plans")
    made_on = models.DateField()
    safety_goal = models.TextField()
    arrangements = models.TextField(help_text="Who will do what, and when")
    network = models.TextField(blank=True, help_text="The safety network and how to reach them")
    # Who agreed it (the parents, the network, the child): `made_on` is when. Empty only on
    # plans recorded before these were asked, as are the two below.
    agreed_by = models.TextField(blank=True)
    childs_words = models.TextField(blank=True)  # what the child said about being safe
    if_breaks_down = models.TextField(blank=True)  # what happens if the plan breaks down
    reviewed_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True)

    objects = RecordedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["child", "made_on"], name="safetyplan_child_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("made_on")),
                name="safetyplan_ends_after_made"),
            models.CheckConstraint(
                condition=Q(reviewed_on__isnull=True) | Q(reviewed_on__gte=F("made_on")),
                name="safetyplan_reviewed_after_made"),
        ]

    def __str__(self) -> str:
        return f"Safety plan agreed {self.made_on:%d %b %Y}"

    def in_force_on(self, day) -> bool:
        return self.made_on <= day and (self.ended_on is None or self.ended_on > day)


# CIN 8925 and 8840 (a plan cannot end the day it starts), 8935 (one open plan at a time); an
# ended plan says why.
CP_PLAN = PeriodShape("cpp", "child protection plan", reason="end_reason", same_day=False,
                      one_open_per="child", end_action=names.CP_PLAN_ENDED)


class ChildProtectionPlan(Period):
    """A child protection plan, made at an initial child protection conference."""

    period = CP_PLAN

    class EndReason(models.TextChoices):
        NO_LONGER_AT_RISK = "safe", "No longer at risk of significant harm"
        LOOKED_AFTER = "looked_after", "Child became looked after"
        MOVED_AWAY = "moved", "Moved to another local authority"
        EIGHTEEN = "eighteen", "Reached 18"
        DIED = "died", "Child died"
        OTHER = "other", "Other"

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="protection_plans")
    referral = models.ForeignKey("frontdoor.Referral", models.PROTECT, null=True, blank=True,
                                 related_name="protection_plans")
    conference = models.OneToOneField(  # the initial conference that made the plan
        "ChildProtectionConference", models.PROTECT, null=True, blank=True,
        related_name="resulting_plan")
    started_on = models.DateField()  # CPPstartDate
    initial_category_of_abuse = models.CharField(  # InitialCategoryOfAbuse
        max_length=3, choices=CategoryOfAbuse)
    ended_on = models.DateField(null=True, blank=True)  # CPPendDate
    end_reason = models.CharField(max_length=12, choices=EndReason, blank=True)
    # F19: the child's own words, a required part of the plan (recorded from the plan's page,
    # since the plan itself is made at the conference).
    childs_words = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["child", "started_on"], name="cpp_child_on")]
        constraints = CP_PLAN.constraints()

    def __str__(self) -> str:
        return f"Child protection plan from {self.started_on:%d %b %Y}"

    @property
    def latest_category_of_abuse(self) -> str:
        """LatestCategoryOfAbuse: the most recent change, or the initial category if none."""
        change = (self.category_changes.current().order_by("-changed_on", "-pk")
                  .values_list("category", flat=True).first())
        return change or self.initial_category_of_abuse


class PlanCategoryChange(Recorded):
    """A change to a child protection plan's category of abuse, decided at a review conference."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="+")
    plan = models.ForeignKey(ChildProtectionPlan, models.PROTECT,
                             related_name="category_changes")
    changed_on = models.DateField()
    category = models.CharField(max_length=3, choices=CategoryOfAbuse)
    reason = models.TextField(blank=True)

    objects = RecordedQuerySet.as_manager()


class ChildProtectionConference(Recorded):
    """An initial or review child protection conference."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial child protection conference"
        REVIEW = "review", "Review child protection conference"

    class Outcome(models.TextChoices):
        PLAN = "plan", "Child protection plan"
        NO_PLAN = "no_plan", "No plan: child in need support"
        NO_FURTHER_ACTION = "nfa", "No further action"
        PLAN_CONTINUES = "continue", "Plan continues"
        PLAN_ENDS = "end", "Plan ends"

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="conferences")
    kind = models.CharField(max_length=7, choices=Kind)
    held_on = models.DateField()  # DateOfInitialCPC (initial), CPPreviewDate (review)
    section47 = models.ForeignKey(Section47Enquiry, models.PROTECT, null=True, blank=True,
                                  related_name="conferences")
    plan = models.ForeignKey(ChildProtectionPlan, models.PROTECT, null=True, blank=True,
                             related_name="conferences")
    chaired_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+")
    transfer_in = models.BooleanField(default=False)  # Annex A: transferred-in ICPC
    outcome = models.CharField(max_length=8, choices=Outcome, blank=True)
    reason_late = models.TextField(blank=True)

    objects = RecordedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["child", "held_on"], name="conference_child_on")]
        constraints = [
            # An ICPC follows a section 47 enquiry (unless transferred in); a review follows
            # the plan it reviews.
            models.CheckConstraint(
                condition=Q(kind="initial", plan__isnull=True)
                & (Q(section47__isnull=False) | Q(transfer_in=True))
                | Q(kind="review", plan__isnull=False, section47__isnull=True),
                name="conference_kind_links"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d %b %Y}"


class PlanNeed(Recorded):
    """One need in a child protection or child in need plan: the outcome wanted, and the
    actions (core.Action rows, each with who owns it and by when) (F19)."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="plan_needs")
    protection_plan = models.ForeignKey(ChildProtectionPlan, models.PROTECT, null=True,
                                        blank=True, related_name="needs")
    cin_plan = models.ForeignKey(CINPlan, models.PROTECT, null=True, blank=True,
                                 related_name="needs")
    need = models.TextField()
    outcome = models.TextField(help_text="What will be different for the child")
    # Needs recorded before each action was kept on its own (core.Action) hold their actions,
    # owner and timescale here as typed; protection/0003 made Action rows of them. Kept and
    # never dropped; new needs leave them empty.
    actions = models.TextField(blank=True)
    owner = models.CharField(max_length=150, blank=True, help_text="Who is responsible")
    timescale = models.CharField(max_length=100, blank=True)
    due_on = models.DateField(null=True, blank=True)
    met_on = models.DateField(null=True, blank=True)

    objects = RecordedQuerySet.as_manager()

    class Meta:
        constraints = [models.CheckConstraint(
            condition=Q(protection_plan__isnull=False, cin_plan__isnull=True)
            | Q(protection_plan__isnull=True, cin_plan__isnull=False),
            name="plan_need_one_plan")]


class CoreGroupMeeting(Recorded):
    """A core group meeting on a child protection plan."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="core_groups")
    plan = models.ForeignKey(ChildProtectionPlan, models.PROTECT, related_name="core_groups")
    held_on = models.DateField()
    attendees = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    objects = RecordedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["child", "held_on"], name="coregroup_child_on")]


class Visit(Recorded):
    """A statutory visit to a child on a child protection or child in need plan."""

    class Kind(models.TextChoices):
        CHILD_PROTECTION = "CP", "Child protection visit"
        CHILD_IN_NEED = "CIN", "Child in need visit"

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="protection_visits")
    kind = models.CharField(max_length=3, choices=Kind)
    protection_plan = models.ForeignKey(ChildProtectionPlan, models.PROTECT, null=True,
                                        blank=True, related_name="visits")
    cin_plan = models.ForeignKey(CINPlan, models.PROTECT, null=True, blank=True,
                                 related_name="visits")
    visited_on = models.DateField()  # Annex A List 7 Date of the Last Statutory Visit
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+")
    child_seen = models.BooleanField()
    child_seen_alone = models.BooleanField(default=False)  # Annex A Was the Child Seen Alone?
    # Why the child was not seen alone (or not seen): asked whenever they were not.
    not_seen_alone_reason = models.TextField(blank=True)
    bedroom_seen = models.BooleanField(null=True, blank=True)
    notes = models.TextField(blank=True)

    objects = RecordedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["child", "visited_on"], name="visit_child_on")]
        constraints = [
            models.CheckConstraint(condition=Q(child_seen_alone=False) | Q(child_seen=True),
                                   name="visit_seen_alone_means_seen"),
            models.CheckConstraint(
                condition=Q(kind="CP", cin_plan__isnull=True)
                | Q(kind="CIN", protection_plan__isnull=True),
                name="visit_kind_matches_plan"),
        ]


class ConferenceBooking(Recorded):
    """A conference booked with the chair asked to chair it (an IRO or conference chair). A
    chair who could not already open the child's record is given access to it (an
    access.AccessGrant, `grant`) from when they are asked until four weeks after the date
    booked, to prepare, chair and record the conference without being the child's worker."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="conference_bookings")
    kind = models.CharField(max_length=7, choices=ChildProtectionConference.Kind)
    section47 = models.ForeignKey(Section47Enquiry, models.PROTECT, null=True, blank=True,
                                  related_name="bookings")
    plan = models.ForeignKey(ChildProtectionPlan, models.PROTECT, null=True, blank=True,
                             related_name="bookings")
    booked_for = models.DateField()
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                              related_name="conferences_to_chair")
    grant = models.OneToOneField("access.AccessGrant", models.PROTECT, null=True, blank=True,
                                 related_name="conference_booking")
    # The conference once recorded: the booking is then done.
    conference = models.OneToOneField(ChildProtectionConference, models.PROTECT, null=True,
                                      blank=True, related_name="booking")

    objects = RecordedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["chair", "conference"], name="booking_chair_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="initial", section47__isnull=False, plan__isnull=True)
                | Q(kind="review", plan__isnull=False, section47__isnull=True),
                name="booking_kind_links"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} booked for {self.booked_for:%d %b %Y}"
