"""Legal: pre-proceedings under the Public Law Outline, care proceedings and their hearings,
court directions and extensions, and the orders made about a child."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cairn.core import names
from cairn.core.models import Recorded, RecordedQuerySet
from cairn.core.periods import Period, PeriodQuerySet, PeriodShape

# The time limit for proceedings (Children Act 1989 s32(1)(a)(ii)) is the core timescale rule
# "care-proceedings", read through core.timescales: no number of it is kept here.
# s32(5)-(8): each extension the court grants is at most eight weeks.
MAX_EXTENSION_WEEKS = 8


class OrderKind(models.TextChoices):
    EMERGENCY_PROTECTION = "EPO", "Emergency protection order"
    POLICE_PROTECTION = "PP", "Police protection"
    CHILD_ASSESSMENT = "CAsO", "Child assessment order"
    INTERIM_CARE = "ICO", "Interim care order"
    INTERIM_SUPERVISION = "ISO", "Interim supervision order"
    CARE = "CO", "Care order"
    SUPERVISION = "SO", "Supervision order"
    PLACEMENT = "PO", "Placement order"
    SPECIAL_GUARDIANSHIP = "SGO", "Special guardianship order"
    CHILD_ARRANGEMENTS = "CAO", "Child arrangements order"
    ADOPTION = "AO", "Adoption order"
    SECURE_ACCOMMODATION = "SAO", "Secure accommodation order"
    RECOVERY = "RO", "Recovery order"
    DEPRIVATION_OF_LIBERTY = "DoLS", "Deprivation of liberty order (inherent jurisdiction)"
    NO_ORDER = "NONE", "No order"


# Annex A List 7: "Subject to EPO or Police Protection in Last Six Months".
EMERGENCY_ORDERS = (OrderKind.EMERGENCY_PROTECTION, OrderKind.POLICE_PROTECTION)
# Children Act 1989 s38: the orders a court makes at a hearing while care proceedings run; each
# ends when the proceedings are disposed of (s38(4)) or a later interim order replaces it.
INTERIM_ORDERS = (OrderKind.INTERIM_CARE, OrderKind.INTERIM_SUPERVISION)
# The orders that dispose of care proceedings (s31, s14A, Adoption and Children Act 2002 s21,
# s8), or none at all.
FINAL_ORDERS = (OrderKind.CARE, OrderKind.SUPERVISION, OrderKind.PLACEMENT,
                OrderKind.SPECIAL_GUARDIANSHIP, OrderKind.CHILD_ARRANGEMENTS, OrderKind.NO_ORDER)


# A child is in one pre-proceedings at a time; they end with their outcome.
PRE_PROCEEDINGS = PeriodShape("plo", "pre-proceedings", reason="outcome", one_open_per="child",
                              plural=True, end_action=names.PRE_PROCEEDINGS_ENDED)


class PreProceedings(Period):
    """Pre-proceedings under the Public Law Outline: the letter before proceedings onwards."""

    period = PRE_PROCEEDINGS

    class Outcome(models.TextChoices):
        DIVERTED = "diverted", "Concerns reduced: proceedings not needed"
        PROCEEDINGS = "proceedings", "Care proceedings issued"
        CHILD_PROTECTION = "cp", "Returned to a child protection plan"
        OTHER = "other", "Other"

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="pre_proceedings")
    started_on = models.DateField()  # legal gateway decision to enter pre-proceedings
    letter_before_proceedings_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome, blank=True)

    class Meta:
        verbose_name_plural = "pre-proceedings"
        indexes = [models.Index(fields=["child", "started_on"], name="plo_child_on")]
        constraints = [
            *PRE_PROCEEDINGS.constraints(),
            models.CheckConstraint(
                condition=Q(letter_before_proceedings_on__isnull=True)
                | Q(letter_before_proceedings_on__gte=F("started_on")),
                name="plo_letter_after_start"),
        ]

    def __str__(self) -> str:
        return f"Pre-proceedings from {self.started_on:%d %b %Y}"


class PreProceedingsMeeting(Recorded):
    """The pre-proceedings meeting with the parents and their lawyers."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="+")
    pre_proceedings = models.ForeignKey(PreProceedings, models.PROTECT, related_name="meetings")
    held_on = models.DateField()
    attendees = models.TextField(blank=True)
    agreement = models.TextField(blank=True, help_text="What the parents agreed to do")

    objects = RecordedQuerySet.as_manager()


class PreProceedingsReview(Recorded):
    """A review point in pre-proceedings: is the plan working, and what next."""

    class Decision(models.TextChoices):
        CONTINUE = "continue", "Continue pre-proceedings"
        END = "end", "End pre-proceedings"
        ISSUE = "issue", "Issue proceedings"

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="+")
    pre_proceedings = models.ForeignKey(PreProceedings, models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    # Who took part (the worker, manager, parents, their lawyers): the review's record of who
    # heard the progress and the decision. When it was due is the review rule's, not kept here.
    attendees = models.TextField(blank=True)
    progress = models.TextField()
    decision = models.CharField(max_length=8, choices=Decision)

    objects = RecordedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["child", "held_on"], name="plo_review_child_on")]


# One set of care proceedings at a time for a child; they conclude with the order made (or none).
CARE_PROCEEDINGS = PeriodShape(
    "proceedings", "care proceedings", start="issued_on", end="concluded_on",
    reason="final_order", one_open_per="child", plural=True, verbs=("conclude", "concluded"),
    began="were issued", end_action=names.CARE_PROCEEDINGS_CONCLUDED)


class CareProceedings(Period):
    """Care or supervision proceedings under Part 4 of the Children Act 1989."""

    period = CARE_PROCEEDINGS

    class Application(models.TextChoices):
        CARE_ORDER = "care", "Care order"
        SUPERVISION_ORDER = "supervision", "Supervision order"
        CARE_OR_SUPERVISION = "care_or_supervision", "Care or supervision order"
        PLACEMENT_ORDER = "placement", "Placement order"
        EMERGENCY_PROTECTION = "epo", "Emergency protection order"
        OTHER = "other", "Other"

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="care_proceedings")
    pre_proceedings = models.ForeignKey(PreProceedings, models.PROTECT, null=True, blank=True,
                                        related_name="proceedings")
    issued_on = models.DateField()  # the time limit runs from the day of issue
    court = models.CharField(max_length=150)
    case_number = models.CharField(max_length=40, blank=True)
    application = models.CharField(max_length=20, choices=Application)
    concluded_on = models.DateField(null=True, blank=True)
    final_order = models.CharField(max_length=4, choices=OrderKind, blank=True)

    class Meta:
        verbose_name_plural = "care proceedings"
        indexes = [models.Index(fields=["child", "issued_on"], name="proceedings_child_on")]
        constraints = CARE_PROCEEDINGS.constraints()

    def __str__(self) -> str:
        return f"Care proceedings issued {self.issued_on:%d %b %Y}"


class Hearing(Recorded):
    """A hearing in care proceedings."""

    class Kind(models.TextChoices):
        CMH = "CMH", "Case management hearing"
        FURTHER_CMH = "FCMH", "Further case management hearing"
        IRH = "IRH", "Issues resolution hearing"
        FINAL = "FH", "Final hearing"
        INTERIM = "ICO", "Interim care order hearing"
        OTHER = "OTH", "Other hearing"

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="hearings")
    proceedings = models.ForeignKey(CareProceedings, models.PROTECT, related_name="hearings")
    held_on = models.DateField()
    kind = models.CharField(max_length=4, choices=Kind)
    outcome = models.TextField(blank=True)

    objects = RecordedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["child", "held_on"], name="hearing_child_on")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d %b %Y}"


class CourtDirection(Recorded):
    """A direction the court made at a hearing: what, by whom, by when, and whether it was met."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="court_directions")
    hearing = models.ForeignKey(Hearing, models.PROTECT, related_name="directions")
    direction = models.TextField()
    responsible = models.CharField(max_length=150, blank=True)
    # The member of staff who must see it done (it is on their list until it is met or not);
    # `responsible` names anyone else (a parent's solicitor, the guardian, an expert).
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                              related_name="court_directions")
    due_on = models.DateField()
    complied_on = models.DateField(null=True, blank=True)
    met = models.BooleanField(null=True, blank=True)  # None until the due date is reached

    objects = RecordedQuerySet.as_manager()

    @property
    def days_late(self) -> int | None:
        """Days after its due date that it was met (None if met on time or not yet met)."""
        if self.complied_on is None or self.complied_on <= self.due_on:
            return None
        return (self.complied_on - self.due_on).days

    @property
    def who(self) -> str:
        """Who must comply, as a page says it: the member of staff, anyone else, or both."""
        return ", ".join(str(x) for x in (self.owner, self.responsible) if x)

    class Meta:
        indexes = [models.Index(fields=["child", "due_on"], name="direction_child_due")]
        constraints = [models.CheckConstraint(
            condition=Q(complied_on__isnull=True) | Q(met=True),
            name="direction_complied_means_met")]


class ProceedingsExtension(Recorded):
    """An extension of the time limit for proceedings, granted by the court (Children Act 1989
    s32(5)): the timescale engine adds its weeks to the limit."""

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="+")
    proceedings = models.ForeignKey(CareProceedings, models.PROTECT, related_name="extensions")
    granted_on = models.DateField()
    weeks = models.PositiveSmallIntegerField()
    reason = models.TextField()

    objects = RecordedQuerySet.as_manager()

    class Meta:
        constraints = [models.CheckConstraint(
            condition=Q(weeks__gte=1, weeks__lte=MAX_EXTENSION_WEEKS),
            name="extension_at_most_8_weeks")]


# Children Act 1989 s45(1): an emergency protection order has effect for at most eight days;
# s45(2)-(3): when the eighth day is a Sunday or public holiday it may run to noon on the next
# day that is not; s45(4)-(6): the court may extend it once, by at most seven days.
# s46(6): no child may be kept in police protection for more than 72 hours.
# (reference/domain.md gives no figures for these; the Act is the source.)
EPO_MAX_DAYS = 8
EPO_MAX_EXTENSION_DAYS = 7
POLICE_PROTECTION_MAX_HOURS = 72


class LegalOrderQuerySet(PeriodQuerySet):
    def in_force_on(self, day: date):
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day)
                           | Q(extended_to__gte=day), made_on__lte=day)


# Several orders may run at once (a care order and a placement order, a child arrangements
# order and a supervision order), so no one-open rule; an order records no reason for its end.
LEGAL_ORDER = PeriodShape("order", "order", start="made_on", began="was made",
                          end_action="legal_order.ended")


class LegalOrder(Period):
    """An order made about a child (or police protection taken), from when until when."""

    period = LEGAL_ORDER

    child = models.ForeignKey("people.Child", models.PROTECT, related_name="legal_orders")
    kind = models.CharField(max_length=4, choices=OrderKind)
    proceedings = models.ForeignKey(CareProceedings, models.PROTECT, null=True, blank=True,
                                    related_name="orders")
    hearing = models.ForeignKey(Hearing, models.PROTECT, null=True, blank=True,
                                related_name="orders")  # the hearing that made it, if recorded
    made_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    court = models.CharField(max_length=150, blank=True)
    # Outside proceedings: who took police protection, when the child was removed, and an
    # emergency protection order's one extension.
    police_force = models.CharField(max_length=150, blank=True)
    police_officer = models.CharField(max_length=150, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    extended_to = models.DateField(null=True, blank=True)
    extended_on = models.DateField(null=True, blank=True)  # the day the court extended it

    objects = LegalOrderQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["child", "made_on"], name="order_child_on")]
        constraints = [
            *LEGAL_ORDER.constraints(),
            models.CheckConstraint(
                condition=Q(extended_to__isnull=True)
                | Q(ended_on__isnull=False, extended_to__gt=F("ended_on")),
                name="order_extended_after_end"),
            models.CheckConstraint(
                condition=Q(extended_on__isnull=True)
                | Q(extended_to__isnull=False, extended_on__gte=F("made_on")),
                name="order_extension_granted_after_made"),
            models.CheckConstraint(condition=~Q(kind="NONE"), name="order_is_an_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.made_on:%d %b %Y}"

    @property
    def ends_on(self) -> date | None:
        """The last day the order has effect, after any extension."""
        return self.extended_to or self.ended_on
