"""Writes every app shares: voiding a recorded fact, versioned updates, starting and ending a
period, drafts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from . import audit
from .errors import RecordError, StaleRecord
from .models import Action, AuditEvent, Draft, Recorded
from .periods import Period


def not_future(value: date | datetime, field: str, what: str) -> None:
    """Refuse a date (or moment) after today (now): "The <what> cannot be in the future"."""
    now = timezone.now() if isinstance(value, datetime) else timezone.localdate()
    if value > now:
        raise RecordError(f"The {what} cannot be in the future", field=field)


def long_date(value: date) -> str:
    """A date as messages name it: 2 March 2026."""
    return f"{value:%-d %B %Y}"


def short_date(value: date) -> str:
    """A date as the banner and lists name it: 2 Mar 2026."""
    return f"{value.day} {value:%b %Y}"


def clean(obj) -> None:
    """`full_clean()`, answering with a RecordError on the first field at fault."""
    try:
        obj.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise RecordError(messages[0], field=None if field == NON_FIELD_ERRORS else field
                          ) from error


def save_version(obj, *, expected_version: int | None, fields: list[str], thing: str) -> None:
    """Save `fields` if nobody else saved `obj` since it was read; the check and bump are one
    UPDATE so two saves racing cannot both win."""
    version = obj.version if expected_version is None else expected_version
    values = {name: getattr(obj, name) for name in fields}
    if not type(obj).objects.filter(pk=obj.pk, version=version).update(
            version=version + 1, **values):
        raise StaleRecord(thing)
    obj.version = version + 1


@transaction.atomic
def void(*, obj: Recorded, by, reason: str, expected_version: int | None = None,
         child_id: int | None = None) -> Recorded:
    """Mark a fact as entered in error; it stays in the record, out of every view.

    With `expected_version`, someone else's save since the entry was read is a StaleRecord
    (checked in the same UPDATE); `child_id` names the child for the audit trail when the row
    reaches its child through another row.
    """
    if not reason.strip():
        raise RecordError("Enter why this is being removed from the record", field="reason")
    if obj.voided_at:
        raise RecordError("This has already been removed from the record")
    before = audit.snapshot(obj)
    obj.voided_at, obj.voided_by, obj.void_reason = timezone.now(), by, reason.strip()
    if expected_version is None:
        obj.version += 1
        obj.save(update_fields=["voided_at", "voided_by", "void_reason", "version"])
    else:
        save_version(obj, expected_version=expected_version,
                     fields=["voided_at", "voided_by", "void_reason"],
                     thing=str(obj._meta.verbose_name))
    audit.record(by, f"{obj._meta.model_name}.voided", obj, kind=AuditEvent.Kind.VOIDED,
                 before=before, reason=reason, child_id=child_id)
    return obj


@transaction.atomic
def update(*, obj: Recorded, by, expected_version: int, changes: dict, reason: str = ""
           ) -> Recorded:
    """Change a recorded fact if nobody else saved it since `expected_version` was read.

    The version check and increment are one UPDATE, so two saves racing cannot both win.
    """
    model = type(obj)
    if obj.voided_at:
        raise RecordError(f"This {model._meta.verbose_name} has been removed from the record "
                          "and can no longer be changed")
    before = audit.snapshot(obj)
    originals = {name: getattr(obj, name) for name in changes}
    for name, value in changes.items():
        setattr(obj, name, value)
    try:
        clean(obj)
        save_version(obj, expected_version=expected_version, fields=list(changes),
                     thing=model._meta.verbose_name)
    except RecordError:
        for name, value in originals.items():  # the caller's object stays as it was stored
            setattr(obj, name, value)
        raise
    audit.record(by, f"{model._meta.model_name}.changed", obj, kind=AuditEvent.Kind.CHANGED,
                 before=before, reason=reason)
    return obj


def save_period(period: Period, *, field: str | None = None) -> Period:
    """Save a new period. Where the database allows one open at a time, a second one that got
    past the service's own check (a double submit: two requests checked before either saved) is
    refused by the database; that refusal is a RecordError naming `field` (the start, unless
    given), not a server error."""
    shape = type(period).period
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            period.save()
    except IntegrityError as error:
        if not shape.refused_second_open(type(period), error):
            raise
        raise RecordError(shape.open_message, field=field or shape.start) from error
    return period


@transaction.atomic
def end_period(period: Period, *, on: date, by, reason: str = "",
               expected_version: int | None = None, changes: dict | None = None,
               rules: Callable[[Period], None] | None = None,
               kind: str = AuditEvent.Kind.CHANGED) -> Period:
    """End `period` on `on`, with the reason where its kind keeps one.

    The row is locked and read again first, so of two people ending it at once the second is
    told it has already ended. Someone else's save since `period` was read (or since
    `expected_version`) is a StaleRecord. `rules` are the stage's own (a period of care cannot
    end in a temporary placement): they see the stored row once it is known to be open, before
    the rules every period keeps (not before its start, not in the future, its reason given).
    `changes` are further fields saved with the end (an episode's reason for the placement
    change). The audit row's action is the kind's end fact (names.REFERRAL_CLOSED), which
    timescales and the chronology read from the saved row.
    """
    model = type(period)
    shape = model.period
    stored = model.objects.select_for_update().get(pk=period.pk)
    if stored.voided_at is not None:
        raise RecordError(f"The {shape.what} {'have' if shape.plural else 'has'} been removed "
                          "from the record", field=shape.end)
    if stored.period_end is not None:
        raise RecordError(f"The {shape.what} already {shape.verbs[1]} on "
                          f"{long_date(stored.period_end)}", field=shape.end)
    version = period.version if expected_version is None else expected_version
    if stored.version != version:
        raise StaleRecord(shape.what)
    if rules is not None:
        rules(stored)
    start = stored.period_start
    if on < start or (on == start and not shape.same_day):
        raise RecordError(f"{shape.before_start_message} ({long_date(start)})", field=shape.end)
    not_future(on, shape.end, f"date the {shape.what} {shape.verbs[1]}")
    values = {shape.end: on, **(changes or {})}
    if shape.reason:
        values[shape.reason] = reason.strip()
        if not values[shape.reason]:
            ask = "Choose" if model._meta.get_field(shape.reason).choices else "Enter"
            raise RecordError(f"{ask} why the {shape.what} {shape.verbs[1]}", field=shape.reason)
    elif reason.strip():
        raise ValueError(f"A {model.__name__} keeps no reason for its end")
    before = audit.snapshot(period)
    originals = {name: getattr(period, name) for name in values}
    for name, value in values.items():
        setattr(period, name, value)
    try:
        clean(period)
        save_version(period, expected_version=version, fields=list(values), thing=shape.what)
    except RecordError:
        for name, value in originals.items():  # the caller's object stays as it was stored
            setattr(period, name, value)
        raise
    audit.record(by, shape.ended_action, period, kind=kind, before=before)
    return period


def draft_secret(user) -> str:
    """The key (256 bits, hex) a user's pages encrypt their drafts with in the browser.

    Derived from the server's secret, the user and their password hash, so it is the same at
    every sign-in of theirs (typing kept in the browser while signed out comes back to them,
    and only to them) and a new password makes the old copies unreadable. Pages are never
    cached (core.middleware), so the key leaves the browser's memory with the page.
    """
    return salted_hmac("cairn.core.draft_secret", f"{user.pk}:{user.password}",
                       algorithm="sha256").hexdigest()


def draft_save(*, owner, key: str, data: dict) -> Draft:
    draft, _ = Draft.objects.update_or_create(owner=owner, key=key[:300],
                                              defaults={"data": data})
    return draft


def draft_discard(*, owner, key: str) -> None:
    # A draft is the user's scratch copy of unsaved typing, not a fact of the record.
    Draft.objects.filter(owner=owner, key=key[:300]).delete()


# Actions: agreed on a plan's need, at a strategy discussion, in supervision...
#
# As for void(), the caller decides who may: a stage's service checks the access policy before
# it adds the actions agreed on its record; casework's action pages before the rest.


def _action_still_open(action: Action, doing: str) -> None:
    if action.voided_at is not None:
        raise RecordError("This action has been removed from the record")
    if action.status == Action.Status.DONE:
        raise RecordError(f"This action was marked done on "
                          f"{long_date(timezone.localtime(action.done_at).date())}, so it "
                          f"cannot {doing}")
    if action.status == Action.Status.CANCELLED:
        raise RecordError(f"This action was cancelled on "
                          f"{long_date(timezone.localtime(action.cancelled_at).date())}, so it "
                          f"cannot {doing}")


def _action_save(action: Action, expected_version: int | None, **changes) -> None:
    """Save `changes` if nobody else saved the action first; on a clash the caller's object
    stays as it was stored."""
    originals = {name: getattr(action, name) for name in changes}
    for name, value in changes.items():
        setattr(action, name, value)
    try:
        save_version(action, expected_version=expected_version, thing="action",
                     fields=list(changes))
    except RecordError:
        for name, value in originals.items():
            setattr(action, name, value)
        raise


@transaction.atomic
def action_add(*, source, what: str, by, due_on: date | None, owner=None, owner_name: str = "",
               child=None) -> Action:
    """Record an action agreed on `source` (a plan's need, a strategy discussion): what will be
    done, who is responsible (a member of staff, someone else by name, or both) and by when.

    The action is about `source`'s child unless `child` is given; errors name the fields
    `what`, `owner`, `owner_name` and `due_on`.
    """
    if source is None or source.pk is None:
        raise RecordError("Save the record the action belongs to first")
    if getattr(source, "voided_at", None) is not None:
        raise RecordError("The record this action belongs to has been removed")
    source_child_id = getattr(source, "child_id", None)
    if child is None and source_child_id is not None:
        child = source.child
    elif child is not None and source_child_id not in (None, child.pk):
        raise RecordError("The action is about a different child from the record it belongs to")
    if not (what or "").strip():
        raise RecordError("Enter what will be done", field="what")
    owner_name = (owner_name or "").strip()
    if owner is None and not owner_name:
        raise RecordError("Choose the member of staff responsible, or enter who is responsible",
                          field="owner_name")
    if owner is not None and not owner.is_active:
        raise RecordError(f"{owner} can no longer sign in to Cairn: choose someone else",
                          field="owner")
    if due_on is None:
        raise RecordError("Enter the date the action is due", field="due_on")
    action = Action(child=child, source_type=ContentType.objects.get_for_model(source),
                    source_id=source.pk, what=what.strip(), owner=owner, owner_name=owner_name,
                    due_on=due_on, recorded_by=by)
    clean(action)
    action.save()
    audit.record(by, "action.added", action)
    return action


@transaction.atomic
def actions_add(*, source, items: list[dict], by, field_names: dict | None = None
                ) -> list[Action]:
    """Record several actions agreed on `source` (at a meeting). Each item holds `what`,
    `owner`, `owner_name`, `due_on` and its `place` on the form; an error names the part and
    the place, for example `due_on_1` for the second action (`field_names` renames a part)."""
    added = []
    for place, item in enumerate(items):
        item = dict(item)
        place = item.pop("place", place)
        try:
            added.append(action_add(source=source, by=by, **item))
        except RecordError as error:
            if error.field is None:
                raise
            name = (field_names or {}).get(error.field, error.field)
            raise RecordError(error.message, field=f"{name}_{place}") from error
    return added


@transaction.atomic
def action_complete(*, action: Action, outcome: str, by,
                    expected_version: int | None = None) -> Action:
    """Mark an open action done, saying what came of it; who and when are kept."""
    _action_still_open(action, "be marked done again" if action.status == Action.Status.DONE
                       else "be marked done")
    if not (outcome or "").strip():
        raise RecordError("Enter what was done and what came of it", field="outcome")
    before = audit.snapshot(action)
    _action_save(action, expected_version, status=Action.Status.DONE, outcome=outcome.strip(),
                 done_by=by, done_at=timezone.now())
    audit.record(by, "action.done", action, kind=AuditEvent.Kind.CHANGED, before=before)
    return action


@transaction.atomic
def action_cancel(*, action: Action, reason: str, by,
                  expected_version: int | None = None) -> Action:
    """Cancel an open action that is no longer needed, saying why; it stays on the record."""
    _action_still_open(action, "be cancelled")
    if not (reason or "").strip():
        raise RecordError("Enter why the action is cancelled", field="reason")
    before = audit.snapshot(action)
    _action_save(action, expected_version, status=Action.Status.CANCELLED,
                 cancel_reason=reason.strip(), cancelled_by=by, cancelled_at=timezone.now())
    audit.record(by, "action.cancelled", action, kind=AuditEvent.Kind.CHANGED, before=before,
                 reason=reason.strip())
    return action


@transaction.atomic
def action_change_due(*, action: Action, due_on: date | None, by,
                      expected_version: int | None = None, reason: str = "") -> Action:
    """Move an open action's due date; the old date and `reason` stay in the audit trail."""
    _action_still_open(action, "have its date changed")
    if due_on is None:
        raise RecordError("Enter the date the action is due", field="due_on")
    if due_on == action.due_on:
        raise RecordError(f"The action is already due on {long_date(due_on)}", field="due_on")
    before = audit.snapshot(action)
    _action_save(action, expected_version, due_on=due_on)
    audit.record(by, "action.due_changed", action, kind=AuditEvent.Kind.CHANGED, before=before,
                 reason=reason.strip())
    return action
