"""Who may see and do what: the one place Cairn decides access. Deny by default.

Every page, search, export and API call asks here. A role grants actions; record-level rules
decide which children's records a member of staff may open:

- allocated: children currently allocated to them;
- team: children currently allocated to anyone in their team (their colleagues' cover);
- management line: a team manager sees their teams' children, a service manager their
  service's teams' children;
- whole authority: front door, performance and audit staff see every record that is not
  restricted (the front door must check history, analysts build returns from everything);
- granted: inspectors see only the records sampled for them, until their access ends;
- restricted records are seen only by the allocated worker and named staff (AccessGrant).

Restricting a record is a senior manager's decision (RESTRICT, access.services): a service manager
may restrict a child in their line, naming who may see it; they are named themselves, so they can
still open, change and lift it. A restricted record is out of every management line, so a service
manager who is not named cannot see it, change it or lift it; nor can an administrator, who reads
no records. That is why the last named person who may restrict cannot be removed: someone named
must always be able to lift it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Exists, Expression, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from cairn.core import audit
from cairn.people import matching
from cairn.people.models import Child
from cairn.workforce.models import WHOLE_AUTHORITY, Allocation, Role, Staff
from cairn.workforce.selectors import managed_teams

from .models import AccessGrant

VIEW = "view"  # open a child's record
RECORD = "record"  # add or change facts on a child's record
AUTHORISE = "authorise"  # a manager's decision: sign off, step down, consent dispensed
ALLOCATE = "allocate"  # allocate and reallocate work
SEE_TEAMS = "see_teams"  # team caseloads and exception lists
RETURNS = "returns"  # produce and validate statutory returns
CONFIGURE = "configure"  # timescale rules, users, settings
SEARCH = "search"
CORRECT = "correct"  # remove an entry made in error from a child's record (see may_correct)
RESTRICT = "restrict"  # restrict a record, name who may see it, lift it; give access to a record
SEE_ACCESS_LOG = "see_access_log"  # who opened and changed a record, what a member of staff opened
SUBJECT_ACCESS = "subject_access"  # export everything held about a person, marked for redaction
# Open a referral to children's social care (a contact decided as a referral or a strategy
# discussion). Early help practitioners have no such door: their route to statutory work is a
# step up that a manager authorises (F20, F36).
REFER = "refer"
# Monthly performance reports (insight.reports): read them, make this month's, write a
# figure's commentary, sign one off (a senior manager), and set which figures need commentary.
SEE_REPORTS = "see_reports"
MAKE_REPORTS = "make_reports"
COMMENT_ON_REPORTS = "comment_on_reports"
SIGN_OFF_REPORTS = "sign_off_reports"
SET_COMMENTARY = "set_commentary"
_REPORTS = {SEE_REPORTS, COMMENT_ON_REPORTS}
# Record the authority's inspections and keep its improvement plan (F38); give an inspector
# time-limited, read-only access to sampled children's records and see what they opened (F40).
# A senior manager's and the director's.
INSPECTIONS = "inspections"
GRANT_INSPECTION = "grant_inspection"

_CASEWORK = {VIEW, RECORD, SEARCH, CORRECT, REFER}
ROLE_ACTIONS: dict[str, set[str]] = {
    Role.SOCIAL_WORKER: _CASEWORK,
    Role.EARLY_HELP: _CASEWORK - {REFER},
    Role.PERSONAL_ADVISER: _CASEWORK,
    Role.FOSTERING: _CASEWORK,
    Role.IRO: _CASEWORK,
    Role.FRONT_DOOR: _CASEWORK,
    Role.TEAM_MANAGER: _CASEWORK | {AUTHORISE, ALLOCATE, SEE_TEAMS, SEE_ACCESS_LOG} | _REPORTS,
    # The senior manager: restricting a record, and who may see it, is their decision.
    Role.SERVICE_MANAGER: _CASEWORK | {AUTHORISE, ALLOCATE, SEE_TEAMS, RESTRICT, SEE_ACCESS_LOG}
    | _REPORTS | {MAKE_REPORTS, SIGN_OFF_REPORTS, INSPECTIONS, GRANT_INSPECTION},
    Role.PERFORMANCE_ANALYST: {VIEW, SEARCH, RETURNS, SEE_TEAMS, SEE_REPORTS, MAKE_REPORTS,
                               SET_COMMENTARY},
    Role.AUDITOR: {VIEW, SEARCH, SEE_TEAMS},
    Role.INSPECTOR: {VIEW, SEARCH},
    Role.ADMINISTRATOR: {CONFIGURE, SET_COMMENTARY},
    # The data protection lead: reads records to answer requests, never records on them.
    Role.INFORMATION_GOVERNANCE: {VIEW, SEARCH, SEE_ACCESS_LOG, SUBJECT_ACCESS},
    # The director of children's services: the whole authority's figures and teams, and the
    # records behind them, read-only (casework is recorded and decided in the line below);
    # the monthly performance report is theirs to sign off too.
    Role.DIRECTOR: {VIEW, SEARCH, SEE_TEAMS, INSPECTIONS, GRANT_INSPECTION} | _REPORTS
    | {MAKE_REPORTS, SIGN_OFF_REPORTS},
}
# Managers may remove any entry on a record in their line, whoever made it and whenever.
CORRECT_ANY = {Role.TEAM_MANAGER, Role.SERVICE_MANAGER}


def _active(staff) -> bool:
    if not staff or not staff.is_authenticated or not staff.is_active:
        return False
    return staff.access_until is None or staff.access_until >= timezone.localdate()


def allows(staff, action: str) -> bool:
    """Whether the role lets `staff` do `action` at all (before any record-level rule)."""
    return _active(staff) and action in ROLE_ACTIONS.get(staff.role, set())


def visible_children(staff) -> QuerySet:
    """Every child whose record `staff` may open, as a queryset to filter with."""
    if not allows(staff, VIEW):
        return Child.objects.none()
    today = timezone.localdate()
    open_allocations = Allocation.objects.current().active_on(today)
    granted = AccessGrant.objects.open_on(today).filter(staff=staff).values("child_id")
    if staff.role in WHOLE_AUTHORITY:
        return Child.objects.filter(
            Q(restricted=False) | Q(pk__in=granted)
            | Q(pk__in=open_allocations.filter(worker=staff).values("child_id")))
    return Child.objects.filter(pk__in=_line_ids(staff))


def _line_ids(staff) -> QuerySet:
    """The ids of the children a member of staff outside the whole-authority roles may open
    (visible_children): granted to them, allocated to them, or in a team in their line."""
    today = timezone.localdate()
    open_allocations = Allocation.objects.current().active_on(today)
    # One set of ids, built as a UNION the database answers with a hashed semi-join, rather
    # than an OR of subqueries tested against every person.
    ids = AccessGrant.objects.open_on(today).filter(staff=staff).values("child_id")
    if staff.role != Role.INSPECTOR:
        teams = managed_teams(staff).values("pk")
        ids = ids.union(
            open_allocations.filter(worker=staff).values("child_id"),
            open_allocations.filter(team__in=teams, child__restricted=False).values("child_id"))
    return ids


class _Among(Expression):
    """`column` is one of the ids `ids` (a queryset of one column) selects.

    On PostgreSQL written `column = ANY(ARRAY(subquery))`: the subquery is then run at most
    once for the statement (an InitPlan), and the planner costs it once, where `IN (subquery)`
    is costed again for every row probed, which steers it to building the whole authority's
    set of children before reading a page of rows."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, ids: QuerySet):
        super().__init__()
        self.column, self.ids = F(column), Subquery(ids)

    def get_source_expressions(self):
        return [self.column, self.ids]

    def set_source_expressions(self, exprs):
        self.column, self.ids = exprs

    def as_sql(self, compiler, connection):
        column, column_params = compiler.compile(self.column)
        ids, ids_params = compiler.compile(self.ids)
        return f"{column} IN {ids}", (*column_params, *ids_params)

    def as_postgresql(self, compiler, connection):
        column, column_params = compiler.compile(self.column)
        ids, ids_params = compiler.compile(self.ids)
        return f"{column} = ANY(ARRAY{ids})", (*column_params, *ids_params)


def visible_q(staff, field: str = "child") -> Q:
    """A filter on rows whose `field` (a foreign key to a child) is a child `staff` may open:
    the same children as visible_children, asked of each row rather than as a set of children.

    For the whole-authority roles the set is nearly every child, and a list read in its own
    order (the front door's queue, say) would make the database build that set, one entry per
    child, before reading a page; asked of each row, only the rows read are tested, so the cost
    does not grow with the authority. Every other role's set of ids is small, and the row's
    child is tested against it directly."""
    if not allows(staff, VIEW):
        return Q(pk__in=[])
    if staff.role not in WHOLE_AUTHORITY:
        # The row's child among the ids, tested on the row itself: `__in=visible_children`
        # would look every child up to check it is one, and the planner may do so by reading
        # all of them.
        return Q(**{f"{field}__in": _line_ids(staff), f"{field}__la_child_id__isnull": False})
    return _open_or_named(staff, field)


def _open_or_named(staff, field: str) -> Q:
    """The row's child is a child not restricted, or one granted or allocated to `staff`."""
    today = timezone.localdate()
    granted = AccessGrant.objects.open_on(today).filter(staff=staff).values("child_id")
    allocated = (Allocation.objects.current().active_on(today).filter(worker=staff)
                 .values("child_id"))
    not_restricted = Q(**{f"{field}__restricted": False})
    return Q(**{f"{field}__la_child_id__isnull": False}) & (
        not_restricted | Q(_Among(field, granted)) | Q(_Among(field, allocated)))


def visible_row_q(staff, field: str = "child") -> Q:
    """visible_q for the few rows other filters already find (work awaiting a manager's
    decision, say), tested row by row: the same children as visible_children, but the
    database looks up each row's child in the viewer's line rather than building the whole
    line (a service manager's holds thousands) to test a handful of rows against it."""
    if not allows(staff, VIEW) or staff.role in WHOLE_AUTHORITY or staff.role == Role.INSPECTOR:
        return visible_q(staff, field)
    # Every test is on the row's child id, with no join to the child: a join there had the
    # planner read every child of the authority to count three rows.
    today = timezone.localdate()
    allocations = Allocation.objects.current().active_on(today).filter(
        child__la_child_id__isnull=False)
    in_line = allocations.filter(child=OuterRef(field), child__restricted=False,
                                 team__in=managed_teams(staff).values("pk"))
    granted = (AccessGrant.objects.open_on(today)
               .filter(staff=staff, child__la_child_id__isnull=False).values("child_id"))
    return (Q(Exists(in_line)) | Q(_Among(field, granted))
            | Q(_Among(field, allocations.filter(worker=staff).values("child_id"))))


def visible_in_teams_q(staff, field: str = "child") -> Q:
    """visible_q for rows already within the teams `staff` manages (managed_teams: a team's
    or a service's allocations, say), tested on each row: there the set of children they may
    open is every child but the restricted ones they are not named on, so a page of a whole
    service's work need not build that set (thousands of children) to test its rows."""
    if not allows(staff, VIEW) or staff.role == Role.INSPECTOR:
        return visible_q(staff, field)
    return _open_or_named(staff, field)


def about_visible_child_q(staff, field: str = "child") -> Q:
    """visible_q for rows that are always about a child (a contact, a referral: their services
    take a Child), to list or count them across the whole authority.

    For the whole-authority roles this is written as the few restricted children `staff` may
    not open, left out, so the database reads the rows without visiting every child: the same
    rows as visible_q, since a child they cannot open is exactly a restricted one neither
    granted nor allocated to them. Every other role's is visible_q's."""
    if not allows(staff, VIEW) or staff.role not in WHOLE_AUTHORITY:
        return visible_q(staff, field)
    today = timezone.localdate()
    hidden = (Child.objects.filter(restricted=True)
              .exclude(pk__in=AccessGrant.objects.open_on(today).filter(staff=staff)
                       .values("child_id"))
              .exclude(pk__in=Allocation.objects.current().active_on(today).filter(worker=staff)
                       .values("child_id"))
              .values("pk"))
    return ~Q(_Among(field, hidden))


def can(staff, action: str, child) -> bool:
    """Whether `staff` may do `action` on `child`'s record."""
    if not allows(staff, action):
        return False
    return visible_children(staff).filter(pk=child.pk).exists()


def require(staff, action: str, child) -> None:
    """Raise PermissionDenied unless `staff` may do `action` on `child`'s record."""
    if not can(staff, action, child):
        raise PermissionDenied(f"{action} not allowed")


def may_correct(staff, child, *, recorded_by_id, recorded_at, child_recordable=None) -> bool:
    """Whether `staff` may remove an entry on `child`'s record as made in error.

    Decided: the person who recorded the entry may remove it on the day they recorded it (a
    slip noticed at once: wrong child, wrong date, saved twice); after that day, or for someone
    else's entry, a team or service manager whose line includes the child decides, because by
    then others may have acted on the entry. Either way they must be able to record on the
    child's record. A removal voids the entry with the reason; nothing is deleted.
    `child_recordable` is `can(staff, RECORD, child)` when the caller already knows it (a page
    asking for many entries asks once).
    """
    if not allows(staff, CORRECT):
        return False
    if staff.role not in CORRECT_ANY:
        if recorded_by_id != staff.pk or recorded_at is None:
            return False
        if timezone.localtime(recorded_at).date() != timezone.localdate():
            return False
    if child_recordable is None:
        child_recordable = can(staff, RECORD, child)
    return child_recordable


def may_correct_note(staff, child, *, recorded_by_id, child_recordable=None) -> bool:
    """Whether `staff` may correct a case note on `child`'s record (change what it says).

    Decided: the note's author may correct it at any time, and a team or service manager whose
    line includes the child may correct anyone's; either way they must be able to record on
    the child's record. Unlike a removal (may_correct), which takes an entry out of the
    chronology and its timescales and so is the author's only on the day, a correction keeps
    every earlier version readable beside the note, which says it was corrected, by whom and
    when: nothing others acted on is lost, so the author need not wait for a manager.
    """
    if not allows(staff, CORRECT):
        return False
    if staff.role not in CORRECT_ANY and (recorded_by_id is None or recorded_by_id != staff.pk):
        return False
    if child_recordable is None:
        child_recordable = can(staff, RECORD, child)
    return child_recordable


# Who may read what a removal took out of a record (the removed entry's own words). Anyone
# who may open a child's record reads its history: every change, field by field, who made it,
# when and why, and that an entry was removed, by whom, when and why (they could read each
# value while it stood). The words of a removed entry are another matter: an entry is removed
# because it was made in error, often on the wrong child's record, so its text may be about
# another family. Managers in the child's line, the authority's case auditors and its
# information governance officer (who answers subject access requests) read it.
SEE_REMOVED = {Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.AUDITOR, Role.INFORMATION_GOVERNANCE}


def may_see_removed(staff, child) -> bool:
    """Whether `staff` may read the text of entries removed from `child`'s record."""
    return _active(staff) and staff.role in SEE_REMOVED and can(staff, VIEW, child)


def require_role(staff, action: str) -> None:
    if not allows(staff, action):
        raise PermissionDenied(f"{action} not allowed")


def child_for(staff, child_id, *, action: str = VIEW, page: str = ""):
    """The child `staff` asked for, or 404 (logged) if it does not exist or is not theirs.

    A record you may not see answers exactly as a missing one does, so URLs reveal nothing.
    """
    child = None
    if allows(staff, action):
        try:
            child = visible_children(staff).filter(pk=int(child_id)).first()
        except (TypeError, ValueError):
            child = None
    if child is None:
        try:
            known = int(child_id)
        except (TypeError, ValueError):
            known = None
        audit.denied(staff, page, child_id=known if known is not None and
                     Child.objects.filter(pk=known).exists() else None)
        raise Http404("No such child record")
    return child


def refuse(staff, page: str, *, child_id: int | None = None, message: str = "Not found",
           forbidden: bool = False):
    """Log a refused request (core.audit.denied) and answer 404, exactly as for a missing row
    (or 403 where the page already shows the record and refuses only the action)."""
    audit.denied(staff, page, child_id=child_id)
    if forbidden:
        raise PermissionDenied(message)
    raise Http404(message)


def object_for(staff, queryset: QuerySet, pk, *, page: str, action: str = VIEW, child=None,
               child_field: str = "child_id", message: str = "Not found"):
    """The row `pk` of `queryset` if `staff` may do `action` on its child's record; otherwise
    the refusal is logged against the child whose row was asked for, and the answer is 404.

    `child` is the child the URL names, already checked (child_for): the row must be theirs, so
    another child's row asked for through a record you may open is refused and logged too.
    """
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = None
    if child is not None:
        queryset = queryset.filter(**{child_field: child.pk})
    row = queryset.filter(pk=pk).first() if pk is not None else None
    if row is not None and (child is not None or (
            allows(staff, action)
            and visible_children(staff).filter(pk=getattr(row, child_field)).exists())):
        return row
    # Whose row it was (another child's, a removed one), so the log names the child concerned.
    owner = (queryset.model._base_manager.filter(pk=pk).values_list(child_field, flat=True)
             .first() if pk is not None else None)
    return refuse(staff, page, child_id=owner, message=message)


def may_see_access_log(staff, child) -> bool:
    """Whether `staff` may read who opened and changed `child`'s record: their team or service
    manager, a senior manager, the information governance officer (SEE_ACCESS_LOG), and only
    for a record they may open themselves."""
    return can(staff, SEE_ACCESS_LOG, child)


def staff_logs_visible(staff) -> QuerySet:
    """The staff whose access log (what they opened) `staff` may read: the information
    governance officer anyone's; a team or service manager the members of the teams in their
    line (an inspector's pages, a leaver's last month)."""
    if not allows(staff, SEE_ACCESS_LOG):
        return Staff.objects.none()
    if staff.role in WHOLE_AUTHORITY:
        return Staff.objects.all()
    return Staff.objects.filter(team__in=managed_teams(staff).values("pk"))


def adult_for(staff, person_id, *, action: str = VIEW, page: str = ""):
    """An adult Cairn holds (a parent, a carer) whom `staff` may be shown, or 404 (logged):
    the rule people.matching.visible_people keeps (no restricted adult, none linked to a
    restricted child hidden from them)."""
    person = None
    if allows(staff, action):
        try:
            pk = int(person_id)
        except (TypeError, ValueError):
            pk = None
        if pk is not None:
            person = (matching.visible_people(visible_children(staff), matching.ANYONE)
                      .filter(pk=pk, la_child_id__isnull=True).first())
    if person is None:
        refuse(staff, page, message="No such person")
    return person


def legal_oversight_children(staff) -> QuerySet:
    """The children whose legal work `staff` may follow on the legal tracker's whole-authority
    view. A service manager oversees the authority's pre-proceedings and proceedings (the legal
    gateway is authority-wide), so sees every child in legal work whose record is not
    restricted, as well as those they may open; opening a record is still `visible_children`'s.
    Anyone else sees only the children they may open."""
    if staff.role == Role.SERVICE_MANAGER and allows(staff, SEE_TEAMS):
        return Child.objects.filter(Q(restricted=False)
                                    | Q(pk__in=visible_children(staff).values("pk")))
    return visible_children(staff)


def may_oversee_authority(staff) -> bool:
    """Whether the legal tracker offers `staff` the whole authority as well as their teams."""
    return staff.role == Role.SERVICE_MANAGER and allows(staff, SEE_TEAMS)
