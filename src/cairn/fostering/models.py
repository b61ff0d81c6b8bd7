"""Fostering households (assessment, approval, review, supervision, concerns) and private
fostering arrangements with their visits."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cairn.core import names
from cairn.core.models import Recorded
from cairn.core.periods import Period, PeriodShape


class FosteringHousehold(Recorded):
    """A fostering household: the carers who live there and the places it is approved for."""

    class Status(models.TextChoices):
        ENQUIRY = "enquiry", "Enquiry"
        ASSESSMENT = "assessment", "In assessment"
        APPROVED = "approved", "Approved"
        ON_HOLD = "on_hold", "On hold"
        DEREGISTERED = "deregistered", "Approval ended"

    name = models.CharField(max_length=120, help_text="How the household is known, e.g. surname")
    status = models.CharField(max_length=12, choices=Status, default=Status.ENQUIRY)
    places = models.PositiveSmallIntegerField(default=0, help_text="Children it may care for")
    connected_person = models.BooleanField(
        default=False, help_text="Family and friends (kinship) carers for a named child")
    postcode = models.CharField(max_length=8, blank=True)
    supervising_worker = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                           blank=True, related_name="+")

    def __str__(self) -> str:
        return self.name


class FosterCarer(Recorded):
    """A person who is a carer in a fostering household."""

    household = models.ForeignKey(FosteringHousehold, models.PROTECT, related_name="carers")
    person = models.ForeignKey("people.Person", models.PROTECT, related_name="foster_carer_roles")
    main_carer = models.BooleanField(default=False)
    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True)
                | Q(left_on__gte=F("joined_on")),
                name="carer_leaves_after_joining"),
        ]


class FosteringAssessment(Recorded):
    """A household's assessment to foster: stage 1, stage 2, the panel and the decision."""

    household = models.ForeignKey(FosteringHousehold, models.PROTECT, related_name="assessments")
    enquiry_on = models.DateField()
    stage1_started_on = models.DateField(null=True, blank=True)
    stage1_ended_on = models.DateField(null=True, blank=True)
    stage2_started_on = models.DateField(null=True, blank=True)
    stage2_ended_on = models.DateField(null=True, blank=True)
    panel_on = models.DateField(null=True, blank=True)
    approved_on = models.DateField(null=True, blank=True)  # agency decision maker's
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(stage1_started_on__isnull=True)
                | Q(stage1_started_on__gte=F("enquiry_on")),
                name="fostering_stage1_after_enquiry"),
            models.CheckConstraint(
                condition=Q(stage1_ended_on__isnull=True)
                | Q(stage1_ended_on__gte=F("stage1_started_on")),
                name="fostering_stage1_ends_after_start"),
            models.CheckConstraint(
                condition=Q(stage2_ended_on__isnull=True)
                | Q(stage2_ended_on__gte=F("stage2_started_on")),
                name="fostering_stage2_ends_after_start"),
        ]


# A household is approved on one set of terms at a time: a change ends them and starts new ones.
FOSTERING_APPROVAL = PeriodShape("fostering_approval", "fostering approval", start="approved_on",
                                 began="was approved", one_open_per="household",
                                 end_action="fostering_approval.ended")


class FosteringApproval(Period):
    """The terms a household is approved on, from a date (each change is a new row)."""

    period = FOSTERING_APPROVAL

    household = models.ForeignKey(FosteringHousehold, models.PROTECT, related_name="approvals")
    approved_on = models.DateField()
    places = models.PositiveSmallIntegerField()
    age_from = models.PositiveSmallIntegerField(default=0)
    age_to = models.PositiveSmallIntegerField(default=18)
    terms = models.TextField(blank=True, help_text="Short breaks, named child, long-term...")
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            *FOSTERING_APPROVAL.constraints(),
            models.CheckConstraint(condition=Q(age_to__gte=F("age_from")),
                                   name="fostering_approval_age_range"),
        ]


class HouseholdReview(Recorded):
    """The annual review of a foster carer's approval (Fostering Services Regulations r.28)."""

    household = models.ForeignKey(FosteringHousehold, models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    panel_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)


class SupervisingVisit(Recorded):
    """A supervising social worker's visit to a fostering household."""

    household = models.ForeignKey(FosteringHousehold, models.PROTECT,
                                  related_name="supervising_visits")
    visited_on = models.DateField()
    unannounced = models.BooleanField(default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)


class FosteringConcern(Recorded):
    """A concern, complaint or allegation about a fostering household, and its outcome."""

    class Kind(models.TextChoices):
        STANDARDS = "standards", "Standards of care concern"
        ALLEGATION = "allegation", "Allegation"
        COMPLAINT = "complaint", "Complaint"

    household = models.ForeignKey(FosteringHousehold, models.PROTECT, related_name="concerns")
    kind = models.CharField(max_length=12, choices=Kind)
    raised_on = models.DateField()
    summary = models.TextField()
    concluded_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True) | Q(concluded_on__gte=F("raised_on")),
                name="fostering_concern_concluded"),
        ]


# A child lives with one private foster carer at a time; an arrangement that ends says why.
PRIVATE_FOSTERING = PeriodShape("pf", "private fostering arrangement", reason="ended_reason",
                                one_open_per="child", end_action=names.PRIVATE_FOSTERING_ENDED)


class PrivateFosteringArrangement(Period):
    """A child privately fostered (Children Act 1989 Part IX), from the notification."""

    period = PRIVATE_FOSTERING

    child = models.ForeignKey("people.Child", models.PROTECT,
                              related_name="private_fostering_arrangements")
    notified_on = models.DateField(help_text="The day the authority was told")
    started_on = models.DateField(help_text="When the child went to live with the carer")
    carer = models.ForeignKey("people.Person", models.PROTECT, related_name="+")
    ended_on = models.DateField(null=True, blank=True)
    ended_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["child", "notified_on"], name="pf_child_notified")]
        constraints = PRIVATE_FOSTERING.constraints()


class PrivateFosteringVisit(Recorded):
    """A visit to a privately fostered child (Private Fostering Regulations 2005 r.8)."""

    arrangement = models.ForeignKey(PrivateFosteringArrangement, models.PROTECT,
                                    related_name="visits")
    visited_on = models.DateField()
    seen = models.BooleanField()
    seen_alone = models.BooleanField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["arrangement", "visited_on"], name="pfvisit_date")]
        constraints = [
            models.CheckConstraint(condition=Q(seen_alone=False) | Q(seen=True),
                                   name="pfvisit_seen_alone_means_seen"),
        ]
