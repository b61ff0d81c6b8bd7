"""The front door: contacts and their decisions, referrals (CIN episodes), early help and the
steps between early help and children's social care."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cairn.core import names
from cairn.core.models import Recorded, RecordedQuerySet
from cairn.core.periods import Period, PeriodShape


class ReferralSource(models.TextChoices):  # CIN census ReferralSource; Annex A Lists 1 and 3
    FAMILY = "1A", "Individual: family member, relative or carer"
    ACQUAINTANCE = "1B", "Individual: acquaintance (including neighbours and child minders)"
    SELF = "1C", "Individual: self"
    INDIVIDUAL_OTHER = "1D", "Individual: other"
    SCHOOLS = "2A", "Schools"
    EDUCATION_SERVICES = "2B", "Education services"
    GP = "3A", "Health services: GP"
    HEALTH_VISITOR = "3B", "Health services: health visitor"
    SCHOOL_NURSE = "3C", "Health services: school nurse"
    PRIMARY_HEALTH_OTHER = "3D", "Health services: other primary health services"
    A_AND_E = "3E", "Health services: A&E (emergency department)"
    HEALTH_OTHER = "3F", "Health services: other"
    HOUSING = "4", "Housing"
    LA_SOCIAL_CARE = "5A", "LA services: social care (for example adult social care)"
    LA_INTERNAL = "5B", "LA services: other internal department of the local authority"
    LA_EXTERNAL = "5C", "LA services: external (for example another authority's social care)"
    EARLY_HELP = "5D", "LA services: early help"
    POLICE = "6", "Police"
    OTHER_LEGAL = "7", "Other legal agency"
    OTHER = "8", "Other"
    ANONYMOUS = "9", "Anonymous"
    UNKNOWN = "10", "Unknown"


# Annex A List 1 "Contact Source" uses the referral-source codes unchanged.
ContactSource = ReferralSource


class PrimaryNeed(models.TextChoices):  # CIN census PrimaryNeedCode; Annex A List 6
    NOT_STATED = "N0", "Not stated"
    ABUSE_OR_NEGLECT = "N1", "Abuse or neglect"
    CHILD_DISABILITY = "N2", "Child's disability"
    PARENTAL_DISABILITY = "N3", "Parental disability or illness"
    FAMILY_ACUTE_STRESS = "N4", "Family in acute stress"
    FAMILY_DYSFUNCTION = "N5", "Family dysfunction"
    SOCIALLY_UNACCEPTABLE = "N6", "Socially unacceptable behaviour"
    LOW_INCOME = "N7", "Low income"
    ABSENT_PARENTING = "N8", "Absent parenting"
    NOT_IN_NEED = "N9", "Cases other than children in need"


class ReasonForClosure(models.TextChoices):  # CIN census ReasonForClosure; Annex A List 6
    ADOPTED = "RC1", "Adopted"
    DIED = "RC2", "Died"
    CHILD_ARRANGEMENTS_ORDER = "RC3", "Child arrangements order"
    SPECIAL_GUARDIANSHIP_ORDER = "RC4", "Special guardianship order"
    TRANSFERRED_TO_OTHER_LA = "RC5", "Transferred to services of another local authority"
    TRANSFERRED_TO_ADULT_SERVICES = "RC6", "Transferred to adult social care services"
    SERVICES_CEASED = "RC7", ("Services ceased for any other reason, including child no longer "
                              "in need")
    CLOSED_AFTER_ASSESSMENT_NFA = "RC8", "Case closed after assessment, no further action"
    CLOSED_AFTER_ASSESSMENT_EARLY_HELP = "RC9", ("Case closed after assessment, referred to "
                                                 "early help")


class ConsentStatus(models.TextChoices):
    GIVEN = "given", "Consent given"
    REFUSED = "refused", "Consent refused"
    # Working Together 2023 ch. 3: consent may be dispensed with where seeking it would put the
    # child at risk; a manager decides, and the reason is kept.
    DISPENSED_WITH = "dispensed", "Consent dispensed with"


class ContactDecision(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", "No further action"
    INFORMATION_AND_ADVICE = "advice", "Information and advice"
    EARLY_HELP = "early_help", "Early help"
    REFERRAL = "referral", "Referral to children's social care"
    STRATEGY_DISCUSSION = "strategy", "Strategy discussion"


class Contact(Recorded):
    """A contact received at the front door about a child, and the decision on it."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="contacts")
    received_at = models.DateTimeField()  # Annex A List 1 Date of Contact
    caller_name = models.CharField(max_length=150, blank=True)
    caller_relationship = models.CharField(max_length=100, blank=True,
                                           help_text="Who the caller is to the child")
    source = models.CharField(max_length=2, choices=ContactSource)  # Annex A Contact Source
    # F17: a police domestic abuse notification is a contact from source 6, told apart from
    # other police contacts so the hub's volume and timeliness can be seen.
    domestic_abuse_notification = models.BooleanField(default=False)
    concerns = models.TextField()
    household = models.TextField(blank=True, help_text="Who lives with the child")
    consent = models.CharField(max_length=10, choices=ConsentStatus)
    # Consent given: who gave it (a parent, the young person), to whom (the caller, the
    # agency), and on what day; contacts recorded before these were kept leave them empty.
    consent_given_by = models.CharField(max_length=150, blank=True)
    consent_given_to = models.CharField(max_length=150, blank=True)
    consent_given_on = models.DateField(null=True, blank=True)
    consent_dispensed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                             null=True, blank=True, related_name="+")
    consent_dispensed_reason = models.TextField(blank=True)
    consent_dispensed_on = models.DateField(null=True, blank=True)
    # The named manager confirms from their tray that they dispensed with consent.
    consent_dispensed_seen_at = models.DateTimeField(null=True, blank=True)
    # F17: received out of hours (evenings, weekends, bank holidays: services.out_of_hours
    # decides from the moment) or taken by the out-of-hours (emergency duty) service, with
    # what that service did overnight for the day team to pick up.
    out_of_hours = models.BooleanField(default=False)
    out_of_hours_service = models.BooleanField(default=False)
    overnight_action = models.TextField(blank=True)
    decision = models.CharField(max_length=10, choices=ContactDecision, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+")
    decision_reason = models.TextField(blank=True)

    objects = RecordedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["child", "received_at"], name="contact_child_at"),
            # The front door's lists, each read a page at a time in its own order, so that
            # its cost does not grow with the authority's contacts: those awaiting a decision
            # (oldest first), the latest decisions, and those received out of hours.
            models.Index(fields=["received_at", "id"], name="contact_awaiting",
                         condition=Q(decided_at__isnull=True, voided_at__isnull=True)),
            models.Index(fields=["-decided_at", "-id"], name="contact_decided",
                         condition=Q(decided_at__isnull=False, voided_at__isnull=True)),
            models.Index(fields=["received_at"], name="contact_out_of_hours",
                         condition=Q(out_of_hours=True, voided_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True) | Q(decided_at__gte=F("received_at")),
                name="contact_decided_after_received"),
            models.CheckConstraint(
                condition=(Q(decision="", decided_at__isnull=True)
                           | (~Q(decision="") & Q(decided_at__isnull=False))),
                name="contact_decision_has_moment"),
            models.CheckConstraint(
                condition=Q(domestic_abuse_notification=False) | Q(source=ContactSource.POLICE),
                name="contact_da_notification_from_police"),
            models.CheckConstraint(
                condition=~Q(consent=ConsentStatus.DISPENSED_WITH)
                | (Q(consent_dispensed_by__isnull=False) & ~Q(consent_dispensed_reason="")),
                name="contact_dispensed_consent_attributed"),
        ]

    def __str__(self) -> str:
        return f"Contact {self.received_at:%d %b %Y}"


# CIN 8630 (closes on or after it was received), 8805 and 8810 (a closed episode has its reason),
# 8815 (one open episode at a time, unless the new one is a no-further-action referral).
REFERRAL = PeriodShape(
    "referral", "referral", start="received_on", end="closed_on", reason="closure_reason",
    one_open_per="child", one_open_where=Q(nfa=False), verbs=("close", "closed"),
    began="was received", end_action=names.REFERRAL_CLOSED)


class Referral(Period):
    """A referral to children's social care: one CIN episode, from referral to closure."""

    period = REFERRAL

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="referrals")
    contact = models.ForeignKey(Contact, models.PROTECT, null=True, blank=True,
                                related_name="referrals")
    received_on = models.DateField()  # CINreferralDate
    source = models.CharField(max_length=2, choices=ReferralSource)  # ReferralSource
    primary_need = models.CharField(  # PrimaryNeedCode
        max_length=2, choices=PrimaryNeed, blank=True)
    nfa = models.BooleanField(default=False)  # ReferralNFA
    nfa_reason = models.TextField(blank=True)  # why the referral went no further (F20)
    closed_on = models.DateField(null=True, blank=True)  # CINclosureDate
    closure_reason = models.CharField(  # ReasonForClosure
        max_length=3, choices=ReasonForClosure, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["child", "received_on"], name="referral_child_on"),
            # The front door's re-referral count reads each child's referrals of the last two
            # years in order from this index alone, without reading or sorting the table.
            models.Index(fields=["child", "received_on", "id"], name="referral_child_order",
                         condition=Q(voided_at__isnull=True)),
        ]
        constraints = REFERRAL.constraints()

    def __str__(self) -> str:
        return f"Referral {self.received_on:%d %b %Y}"


# One organisation leads a child's early help at a time; an episode that ends says why.
EARLY_HELP = PeriodShape("eh_episode", "early help episode", reason="end_reason",
                         one_open_per="child", end_action=names.EARLY_HELP_ENDED)


class EarlyHelpEpisode(Period):
    """A period of early help for a child and family, led by one organisation."""

    period = EARLY_HELP

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="early_help_episodes")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)  # reason for involvement
    end_reason = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=150)  # allocated organisation
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                               related_name="early_help_episodes")

    class Meta:
        indexes = [models.Index(fields=["child", "started_on"], name="eh_episode_child_on")]
        constraints = EARLY_HELP.constraints()

    def __str__(self) -> str:
        return f"Early help from {self.started_on:%d %b %Y}"


class EarlyHelpAssessment(Recorded):
    """An early help assessment (Annex A List 2)."""

    child = models.ForeignKey("people.Child", models.PROTECT,
                              related_name="early_help_assessments")
    episode = models.ForeignKey(EarlyHelpEpisode, models.PROTECT, null=True, blank=True,
                                related_name="assessments")
    started_on = models.DateField()  # Annex A Assessment start date
    completed_on = models.DateField(null=True, blank=True)  # Annex A Assessment completion date
    organisation = models.CharField(max_length=150)  # Organisation completing assessment
    summary = models.TextField(blank=True)

    objects = RecordedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["child", "started_on"], name="eh_assess_child_on")]
        constraints = [models.CheckConstraint(
            condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("started_on")),
            name="eh_assessment_completes_after_start")]


class EarlyHelpPlan(Recorded):
    """The family's early help plan: what will change and who will help."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="early_help_plans")
    episode = models.ForeignKey(EarlyHelpEpisode, models.PROTECT, related_name="plans")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    # Plans recorded before each need was kept on its own (EarlyHelpPlanNeed) hold their text
    # here; it is kept and shown, never dropped.
    outcomes = models.TextField(blank=True, help_text="What the family wants to change")
    actions = models.TextField(blank=True)

    objects = RecordedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["child", "started_on"], name="eh_plan_child_on")]
        constraints = [models.CheckConstraint(
            condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
            name="eh_plan_ends_after_start")]


class EarlyHelpPlanNeed(Recorded):
    """One need in an early help plan: the outcome wanted, and the actions (core.Action rows,
    each with who is responsible and by when), as a child protection or child in need plan's
    needs are kept (F19)."""

    child = models.ForeignKey("people.Child", models.PROTECT,
                              related_name="early_help_plan_needs")
    plan = models.ForeignKey(EarlyHelpPlan, models.PROTECT, related_name="needs")
    need = models.TextField()
    outcome = models.TextField(help_text="What will be different for the child and family")
    # Needs recorded before each action was kept on its own (core.Action) hold their actions,
    # owner and date here as typed; frontdoor/0006 made Action rows of them. Kept and never
    # dropped; new needs leave them empty.
    actions = models.TextField(blank=True)
    owner = models.CharField(max_length=150, blank=True, help_text="Who is responsible")
    due_on = models.DateField(null=True, blank=True)

    objects = RecordedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["plan", "due_on"], name="eh_need_plan_due")]

    def __str__(self) -> str:
        return f"Need: {self.need[:40]}"


class EarlyHelpReview(Recorded):
    """A review of an early help plan (team around the family meeting)."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="early_help_reviews")
    plan = models.ForeignKey(EarlyHelpPlan, models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    progress = models.TextField()
    next_review_on = models.DateField(null=True, blank=True)

    objects = RecordedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["child", "held_on"], name="eh_review_child_on")]
        constraints = [models.CheckConstraint(
            condition=Q(next_review_on__isnull=True) | Q(next_review_on__gt=F("held_on")),
            name="eh_review_next_after_held")]


class NeedProgress(models.TextChoices):
    MET = "met", "Met"
    PROGRESSING = "progressing", "Progressing"
    NOT_PROGRESSING = "not_progressing", "Not progressing"


class EarlyHelpReviewNeedProgress(Recorded):
    """How one need of the plan was going at a review: met, progressing or not progressing,
    with what the review said about it (F19). The review's own progress text stays beside it."""

    child = models.ForeignKey("people.Child", models.PROTECT,
                              related_name="early_help_need_progress")
    review = models.ForeignKey(EarlyHelpReview, models.PROTECT, related_name="need_progress")
    need = models.ForeignKey(EarlyHelpPlanNeed, models.PROTECT, related_name="progress")
    status = models.CharField(max_length=20, choices=NeedProgress)
    note = models.TextField(blank=True)

    objects = RecordedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["need", "review"], name="eh_progress_need_review")]
        constraints = [models.UniqueConstraint(
            fields=["review", "need"], condition=Q(voided_at__isnull=True),
            name="eh_progress_once_per_review")]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.need}"


class StepDecision(Recorded):
    """A step up from early help to social care, or a step down, asked for and authorised (F20)."""

    class Direction(models.TextChoices):
        STEP_UP = "up", "Step up to children's social care"
        STEP_DOWN = "down", "Step down to early help"

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="step_decisions")
    direction = models.CharField(max_length=4, choices=Direction)
    early_help_episode = models.ForeignKey(EarlyHelpEpisode, models.PROTECT, null=True,
                                           blank=True, related_name="step_decisions")
    referral = models.ForeignKey(Referral, models.PROTECT, null=True, blank=True,
                                 related_name="step_decisions")
    rationale = models.TextField()
    # A step down starts early help on authorisation: the organisation that will lead it.
    early_help_organisation = models.CharField(max_length=150, blank=True)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    authorised_at = models.DateTimeField(null=True, blank=True)
    authorised_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                      blank=True, related_name="+")
    declined_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                    blank=True, related_name="+")
    # The deciding manager's own rationale, kept beside the requester's (F20).
    decision_reason = models.TextField(blank=True)
    # A request closed without a decision of its own: withdrawn by who asked, or answered by
    # another request's decision (a duplicate), which `closed_by_step` names.
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                  blank=True, related_name="+")
    closed_reason = models.CharField(max_length=300, blank=True)
    closed_by_step = models.ForeignKey("self", models.PROTECT, null=True, blank=True,
                                       related_name="closed_requests")

    objects = RecordedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["child", "requested_at"], name="step_child_at"),
            # Managers' authorisations: the steps still waiting for a decision, by themselves.
            models.Index(fields=["requested_at", "id"], name="step_awaiting",
                         condition=Q(authorised_at__isnull=True, declined_at__isnull=True,
                                     closed_at__isnull=True, voided_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(declined_at__isnull=True, declined_by__isnull=True)
                | Q(declined_at__isnull=False, declined_by__isnull=False,
                    authorised_at__isnull=True),
                name="step_declined_attributed_not_authorised"),
            models.CheckConstraint(
                condition=Q(declined_at__isnull=True) | Q(declined_at__gte=F("requested_at")),
                name="step_declined_after_request"),
            models.CheckConstraint(
                condition=Q(authorised_at__isnull=True) | Q(authorised_at__gte=F("requested_at")),
                name="step_authorised_after_request"),
            models.CheckConstraint(
                condition=Q(authorised_at__isnull=True, authorised_by__isnull=True)
                | Q(authorised_at__isnull=False, authorised_by__isnull=False),
                name="step_authorisation_attributed"),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, closed_by__isnull=True, closed_reason="")
                | Q(closed_at__isnull=False, closed_by__isnull=False, authorised_at__isnull=True,
                    declined_at__isnull=True) & ~Q(closed_reason=""),
                name="step_closed_attributed_undecided"),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} asked for on {self.requested_at:%d %b %Y}"

    @property
    def status(self) -> str:
        if self.authorised_at:
            return "Authorised"
        if self.declined_at:
            return "Declined"
        if self.closed_at:
            return "Withdrawn" if self.closed_by_step_id is None else "Closed"
        return "Awaiting authorisation"
