"""Machinery every record shares: attribution, versions, voiding, the audit trail, timescale
rules and drafts."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from . import names


class RecordedQuerySet(models.QuerySet):
    def current(self):
        """Rows not voided: a voided row stays in the record but no longer counts."""
        return self.filter(voided_at__isnull=True)

    def delete(self):
        raise RuntimeError(
            f"{self.model.__name__} rows are never deleted: void them with core.services.void()"
        )

    delete.queryset_only = True


class Recorded(models.Model):
    """A fact entered by someone: who and when, its version, and voiding in place of deletion."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    voided_at = models.DateTimeField(null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        editable=False,
    )
    void_reason = models.TextField(blank=True, editable=False)

    objects = RecordedQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise RuntimeError(
            f"{type(self).__name__} rows are never deleted: void them with core.services.void()"
        )


class AuditEvent(models.Model):
    """One thing that happened to the record: a change (with before and after) or a view."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        CHANGED = "changed", "Changed"
        VOIDED = "voided", "Voided"
        VIEWED = "viewed", "Viewed"
        DENIED = "denied", "Access refused"
        DECIDED = "decided", "Decided"
        SIGNED_IN = "signed_in", "Signed in"
        EXPORTED = "exported", "Exported"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    child_id = models.BigIntegerField(null=True, blank=True)  # the child the event concerns
    page = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["child_id", "at"], name="audit_child_at"),
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
        ]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action}"


class TimescaleRule(models.Model):
    """A statutory or local timescale, as data: when a clock starts, what stops it, how long.

    The first due date is `first_limit` after the starting fact. A repeating rule then expects
    the finishing fact again `then_limit` after the first occurrence (for the second), and every
    `repeat_limit` after the previous one; after a year from the start, `later_limit` replaces
    `repeat_limit` where set (regulation 28 visits, private fostering visits). A stopping fact
    (a plan ended, a child ceased to be looked after) ends the chain; an extending fact (a court's
    extension) moves the first due date by the amount it carries. Pages say a rule's limits in
    words from the rule itself (`describe()`: "16 weeks"), never from a number of their own.
    """

    class Unit(models.TextChoices):
        WORKING_DAYS = "WD", "working days"
        DAYS = "D", "days"
        HOURS = "H", "hours"
        WEEKS = "W", "weeks"
        MONTHS = "M", "months"
        TERMS = "T", "school terms"

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    starts = models.CharField(max_length=60, help_text="Fact that starts the clock")
    finishes = models.CharField(max_length=60, help_text="Fact that meets the timescale")
    stops = models.CharField(max_length=200, blank=True,
                             help_text="Facts that end the clock (comma separated)")
    extended_by = models.CharField(
        max_length=60, blank=True,
        help_text="Fact that extends the first limit by its amount, in the first unit "
                  "(an extension of care proceedings granted by the court)")
    first_limit = models.PositiveIntegerField()
    first_unit = models.CharField(max_length=2, choices=Unit)
    then_limit = models.PositiveIntegerField(null=True, blank=True)
    then_unit = models.CharField(max_length=2, choices=Unit, blank=True)
    repeat_limit = models.PositiveIntegerField(null=True, blank=True)
    repeat_unit = models.CharField(max_length=2, choices=Unit, blank=True)
    later_limit = models.PositiveIntegerField(null=True, blank=True)
    later_unit = models.CharField(max_length=2, choices=Unit, blank=True)
    min_age = models.PositiveSmallIntegerField(null=True, blank=True,
                                               help_text="Applies from this age (years)")
    max_age = models.PositiveSmallIntegerField(null=True, blank=True,
                                               help_text="Applies below this age (years)")
    responsible = models.CharField(
        max_length=30, choices=names.RESPONSIBLE, default=names.SOCIAL_WORKER,
        help_text="Whose list the due items go on")
    source = models.CharField(max_length=200, blank=True)
    local = models.BooleanField(
        default=False, help_text="Local practice, not national: the authority may change it")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def phrase(limit: int | None, unit: str) -> str:
        """A limit in words: "16 weeks", "1 working day", "72 hours"."""
        if not limit or not unit:
            return ""
        words = str(TimescaleRule.Unit(unit).label)
        if limit == 1:
            words = {"days": "day", "hours": "hour", "weeks": "week", "months": "month",
                     "working days": "working day", "school terms": "school term"}[words]
        return f"{limit} {words}"

    def describe(self) -> str:
        """The first limit in words ("45 working days"), as pages show the rule."""
        return self.phrase(self.first_limit, self.first_unit)

    @property
    def stop_names(self) -> list[str]:
        return [n.strip() for n in self.stops.split(",") if n.strip()]

    def fact_names(self) -> dict[str, list[str]]:
        """The facts this rule names, by the field that names them."""
        return {"starts": [self.starts], "finishes": [self.finishes], "stops": self.stop_names,
                "extended_by": [self.extended_by] if self.extended_by else []}

    def unknown_facts(self) -> dict[str, list[str]]:
        """The facts this rule names that no app records, by field: a rule naming one would
        never start, finish or stop, so it is refused rather than left to count nothing."""
        from . import facts

        found = {name: facts.unknown(given) for name, given in self.fact_names().items()}
        return {name: missing for name, missing in found.items() if missing}

    def clean(self):
        super().clean()
        errors = {field: f"No fact is called {', '.join(missing)}: name a fact the record "
                         f"keeps, such as {names.PRE_PROCEEDINGS_STARTED}"
                  for field, missing in self.unknown_facts().items()}
        for limit, unit in [("first_limit", "first_unit"), ("then_limit", "then_unit"),
                            ("repeat_limit", "repeat_unit"), ("later_limit", "later_unit")]:
            if getattr(self, limit) == 0:
                errors.setdefault(limit, "A limit must be at least 1")
            if getattr(self, limit) and not getattr(self, unit):
                errors.setdefault(unit, "Choose the unit of the limit")
            if getattr(self, unit) and getattr(self, limit) is None:
                errors.setdefault(limit, "Enter the limit, or clear its unit")
        if self.min_age is not None and self.max_age is not None and (
                self.max_age <= self.min_age):
            errors["max_age"] = "The age it applies below must be more than the age it applies from"
        if errors:
            raise ValidationError(errors)


class Draft(models.Model):
    """What a user has typed into a form and not yet saved; kept across sessions."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="drafts")
    key = models.CharField(max_length=300)  # the form's path
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="one_draft_per_form")]


class SubmissionKey(models.Model):
    """A form's one-time key: issued with the form, claimed by the first POST that carries it,
    so a double click or a resent page saves once (core.middleware.SaveOnce)."""

    key = models.CharField(max_length=64, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    path = models.CharField(max_length=300)
    used_at = models.DateTimeField(default=timezone.now)
    redirect_to = models.CharField(max_length=500, blank=True)  # where the first save went


class ActionQuerySet(RecordedQuerySet):
    def open(self):
        """Actions still to be done: not done, not cancelled, not voided."""
        return self.current().filter(status=Action.Status.OPEN)

    def with_overdue(self, as_of):
        """Each row carries `overdue`: open and due before `as_of` (due today is not late)."""
        return self.annotate(overdue=models.Case(
            models.When(status=Action.Status.OPEN, due_on__lt=as_of, then=models.Value(True)),
            default=models.Value(False), output_field=models.BooleanField()))


class Action(Recorded):
    """Something agreed to be done: what, who owns it and by when; then done, with what came of
    it, or cancelled, with why. Never deleted: a mistake is voided.

    Plans' needs, strategy discussions and (later) supervision, audits and the improvement plan
    agree actions. The record that agreed one is its `source`, named by content type and id, so
    that core knows none of those models and one table serves every kind.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    child = models.ForeignKey("people.Child", models.PROTECT, null=True, blank=True,
                              related_name="actions")
    source_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    what = models.TextField()
    # A member of staff owns it, or someone who is not (a parent, a school) is named; both
    # where a worker shares it with the family.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                              related_name="actions_owned")
    owner_name = models.CharField(max_length=150, blank=True)
    # Empty only on actions carried over from text that gave no date.
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=9, choices=Status, default=Status.OPEN)
    outcome = models.TextField(blank=True)  # what came of it, when done
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                     blank=True, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["owner", "status", "due_on"], name="action_owner_status_due"),
            models.Index(fields=["child", "status"], name="action_child_status"),
            models.Index(fields=["source_type", "source_id"], name="action_source"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(what=""), name="action_has_what"),
            models.CheckConstraint(condition=Q(owner__isnull=False) | ~Q(owner_name=""),
                                   name="action_has_owner"),
            models.CheckConstraint(condition=Q(status__in=["open", "done", "cancelled"]),
                                   name="action_status_known"),
            # Done says what came of it, who marked it and when; only a done action says so.
            models.CheckConstraint(
                condition=Q(status="done", done_by__isnull=False, done_at__isnull=False)
                & ~Q(outcome="")
                | ~Q(status="done") & Q(done_by__isnull=True, done_at__isnull=True, outcome=""),
                name="action_done_has_outcome"),
            # Cancelled says why, who cancelled it and when; only a cancelled action says so.
            models.CheckConstraint(
                condition=Q(status="cancelled", cancelled_by__isnull=False,
                            cancelled_at__isnull=False) & ~Q(cancel_reason="")
                | ~Q(status="cancelled") & Q(cancelled_by__isnull=True,
                                             cancelled_at__isnull=True, cancel_reason=""),
                name="action_cancelled_has_reason"),
        ]

    def __str__(self) -> str:
        return self.what[:60]

    @property
    def owner_display(self) -> str:
        """Who is responsible, as pages name them: the member of staff, the other name, or
        both ("Sam Worker and mother")."""
        names = [str(self.owner)] if self.owner_id else []
        return " and ".join(names + ([self.owner_name] if self.owner_name else []))

    @property
    def source_label(self) -> str:
        """What kind of record agreed the action, in words ("plan need")."""
        return str(self.source_type.name) if self.source_type_id else ""


class OpenDue(models.Model):
    """What is still to do for a child, as the timescale engine says, kept beside the facts.

    Not a fact: a view of them that pages covering a team, a service or the authority read in
    SQL instead of walking every child's chains. Correct by construction: a child's rows are
    computed again by the engine (core.open_dues.refresh) in the same transaction as any fact
    about the child is saved or voided; the rows carry the version of the rules they were
    computed under, and are not read under any other; `cairn open_dues --check` compares every
    child's rows with the engine.
    """

    child_id = models.IntegerField(db_index=True)
    rule_code = models.CharField(max_length=40)
    sequence = models.PositiveIntegerField()
    clock_from = models.DateField()
    due_on = models.DateField(db_index=True)
    due_at = models.DateTimeField(null=True, blank=True)
    # A rule for children of an age applies from that birthday: nothing is due before it.
    applies_from = models.DateField(null=True, blank=True)
    limit = models.PositiveIntegerField(default=0)
    unit = models.CharField(max_length=2, blank=True)
    rules_version = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["rules_version", "child_id"])]


class OpenDueState(models.Model):
    """The rules version every child's OpenDue rows were last built under, all at once
    (`cairn open_dues --rebuild`); until it matches the rules in force, pages ask the engine."""

    rules_version = models.CharField(max_length=64)
    built_at = models.DateTimeField()


class RecordChanged(models.Model):
    """A mark that changes whenever anything in the record changes (core.changes): figures
    computed over the whole authority are kept against it, and computed again once it moves.
    One row; its token is new at every committed change, never a count that a database
    emptied and refilled (a test's) could bring back to a value already seen."""

    token = models.CharField(max_length=32)
    at = models.DateTimeField()
