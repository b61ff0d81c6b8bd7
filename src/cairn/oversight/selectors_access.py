"""Who looked: who opened and changed a child's record, and what a member of staff opened.

Both read the audit trail (core.AuditEvent) newest first, a page at a time, by its indexes
(child and time; actor and time). A page is the next LIMIT rows after a cursor (the time and id
of the last row shown), so reading page 40 of a long record costs what reading page 1 does; no
page counts the whole log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from cairn.access import policy
from cairn.core import signin
from cairn.core.models import AuditEvent
from cairn.people.models import Relationship
from cairn.workforce.models import Staff

PAGE_SIZE = 50
STAFF_LISTED = 50

# What a child's access log lists: every open and every change of the record, and every
# refusal and export concerning it.
RECORD_KINDS = (AuditEvent.Kind.VIEWED, AuditEvent.Kind.CREATED, AuditEvent.Kind.CHANGED,
                AuditEvent.Kind.VOIDED, AuditEvent.Kind.DECIDED, AuditEvent.Kind.DENIED,
                AuditEvent.Kind.EXPORTED)


@dataclass(frozen=True)
class LogEntry:
    event: AuditEvent
    what: str  # the event in words: "Opened /children/4/", "Changed a case note"
    child: object | None = None  # the child, when the viewer may open their record
    hidden: bool = False  # the event concerns a record the viewer may not open


@dataclass(frozen=True)
class LogPage:
    entries: list[LogEntry]
    older: str  # the cursor of the next, older page; "" when this is the last
    first: bool  # this is the newest page


def cursor_of(event: AuditEvent) -> str:
    return f"{event.at.isoformat()}~{event.pk}"


def _after(qs: QuerySet, cursor: str) -> QuerySet:
    """The rows older than the cursor's row, in the log's order (-at, -id)."""
    at_text, _, pk_text = (cursor or "").partition("~")
    try:
        at, pk = datetime.fromisoformat(at_text), int(pk_text)
    except ValueError:
        return qs
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    return qs.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk))


def _between(qs: QuerySet, since: date | None, until: date | None) -> QuerySet:
    """Events on or after `since` and on or before `until` (whole days, local time)."""
    zone = timezone.get_current_timezone()
    if since:
        qs = qs.filter(at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until:
        qs = qs.filter(at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone))
    return qs


def _page(qs: QuerySet, cursor: str, size: int) -> tuple[list[AuditEvent], str]:
    rows = list(_after(qs, cursor).select_related("actor").order_by("-at", "-id")[:size + 1])
    older = cursor_of(rows[size - 1]) if len(rows) > size else ""
    return rows[:size], older


# Sign-in refusals (core.signin), as the log says them.
SIGN_IN_REFUSED = {signin.FAILED: "Failed sign-in", signin.LOCKED: "Sign-in refused (locked)"}


def _object_label(object_type: str) -> str:
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type or "record"


def describe(event: AuditEvent) -> str:
    """An audit event as a sentence a reader of the log follows."""
    kind = AuditEvent.Kind
    if event.kind == kind.VIEWED:
        if event.action == "staff.access_log.viewed":
            return f"Read what a member of staff opened ({event.page})"
        return f"Opened {event.page}" if event.page else "Opened the record"
    if event.kind == kind.DENIED and event.action in SIGN_IN_REFUSED:
        # No one is signed in: the account tried and the address are what the officer needs.
        tried = event.after or {}
        return (f"{SIGN_IN_REFUSED[event.action]} as ‘{tried.get('username', '')}’ from "
                f"{tried.get('address') or 'an unknown address'}")
    if event.kind == kind.DENIED:
        return f"Refused: {event.page}" if event.page else "Refused"
    if event.kind == kind.EXPORTED:
        return "Exported the record (subject access request)"
    if event.kind == kind.SIGNED_IN:
        return "Signed in"
    label = _object_label(event.object_type)
    verb = {kind.CREATED: "Recorded", kind.CHANGED: "Changed", kind.VOIDED: "Removed",
            kind.DECIDED: "Decided on"}.get(event.kind, event.get_kind_display())
    return f"{verb} {label}" + (f": {event.reason}" if event.reason else "")


def record_log(child, *, who: str = "", since: date | None = None, until: date | None = None,
               cursor: str = "", size: int = PAGE_SIZE) -> LogPage:
    """Who opened and changed `child`'s record and when, newest first, one page."""
    qs = _between(AuditEvent.objects.filter(child_id=child.pk, kind__in=RECORD_KINDS),
                  since, until)
    for word in who.split():
        qs = qs.filter(Q(actor__first_name__icontains=word) | Q(actor__last_name__icontains=word)
                       | Q(actor__username__icontains=word))
    rows, older = _page(qs, cursor, size)
    return LogPage([LogEntry(e, describe(e), child) for e in rows], older, not cursor)


def staff_log(staff, *, viewer, since: date | None = None, until: date | None = None,
              cursor: str = "", size: int = PAGE_SIZE) -> LogPage:
    """What `staff` opened, changed and was refused, newest first, one page. A child the
    viewer may not open is not named (a restricted record stays out of sight)."""
    qs = _between(AuditEvent.objects.filter(actor=staff), since, until)
    rows, older = _page(qs, cursor, size)
    ids = {e.child_id for e in rows if e.child_id is not None}
    children = ({c.pk: c for c in policy.visible_children(viewer).filter(pk__in=ids)}
                if ids else {})
    entries = [LogEntry(e, describe(e) if e.child_id is None or e.child_id in children
                        else _hidden(e), children.get(e.child_id),
                        e.child_id is not None and e.child_id not in children)
               for e in rows]
    return LogPage(entries, older, not cursor)


def _hidden(event: AuditEvent) -> str:
    # The page path names the child's id only; still, say no more than the kind of event.
    return {AuditEvent.Kind.VIEWED: "Opened a record you cannot open",
            AuditEvent.Kind.DENIED: "Refused a record"}.get(
        event.kind, f"{event.get_kind_display()} on a record you cannot open")


def staff_whose_log(viewer, staff_id) -> Staff | None:
    """One member of staff whose access log `viewer` may read, or None."""
    try:
        return policy.staff_logs_visible(viewer).filter(pk=int(staff_id)).first()
    except (TypeError, ValueError):
        return None


def staff_for_logs(viewer, query: str = "", *, limit: int = STAFF_LISTED) -> list[Staff]:
    """The staff whose access logs `viewer` may read, by name, matching `query`."""
    qs = policy.staff_logs_visible(viewer).select_related("team")
    for word in query.split():
        qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                       | Q(username__icontains=word) | Q(job_title__icontains=word))
    return list(qs.order_by("last_name", "first_name", "pk")[:limit])


def recent_exports(*, limit: int = 10) -> list[AuditEvent]:
    """The latest subject access exports, for the information governance officer's home."""
    return list(AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORTED)
                .select_related("actor").order_by("-at", "-id")[:limit])


def recent_refusals(*, limit: int = 10) -> list[AuditEvent]:
    """The latest refused requests anywhere, newest first: who tried what (as `what`)."""
    events = list(AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED)
                  .select_related("actor").order_by("-at", "-id")[:limit])
    for event in events:
        event.what = describe(event)
    return events


def adults_linked(child) -> list[Relationship]:
    """The adults in `child`'s network (their relationships to the child), each of whom may ask
    for their own subject access export."""
    return list(Relationship.objects.current().filter(child=child, person__la_child_id__isnull=True)
                .select_related("person").order_by("person__family_name", "person__given_name"))
