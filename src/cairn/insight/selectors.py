"""Reads for an analyst's lists of the children the authority serves, and for the children
behind an indicator's figure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from cairn.access import policy
from cairn.care.models import LookedAfterEpisode
from cairn.people.models import Child, Disability
from cairn.workforce.models import Staff

from .dashboard import Scope, field_of
from .indicators import Period

DISABLED = "disability"
UASC = "uasc"
SHOWS = {DISABLED: "With a disability", UASC: "Unaccompanied asylum-seeking",
         "": "Either"}


def characteristics(*, viewer, show: str = "", as_of: date | None = None) -> QuerySet[Child]:
    """Children `viewer` may see who have a disability recorded (CIN census codes) or have been
    unaccompanied asylum-seeking children (from and to), by name; each with its `codes` and
    `uasc_now` (still so on `as_of`). Two queries a page, whatever the authority's size."""
    as_of = as_of or timezone.localdate()
    disabled = Exists(Disability.objects.current().filter(person=OuterRef("pk")))
    uasc = Q(uasc_from__isnull=False)
    which = {DISABLED: Q(disabled), UASC: uasc}.get(show, Q(disabled) | uasc)
    return (policy.visible_children(viewer).filter(which)
            .annotate(uasc_now=ExpressionWrapper(
                Q(uasc_from__lte=as_of)
                & (Q(uasc_ceased_on__isnull=True) | Q(uasc_ceased_on__gt=as_of)),
                output_field=BooleanField()))
            .prefetch_related(Prefetch("disabilities", Disability.objects.current()
                                       .order_by("code"), to_attr="codes"))
            .order_by("family_name", "given_name", "pk"))


# -- The children behind a figure (dashboards' drill-down) -------------------------------------

NUMERATOR, DENOMINATOR = "numerator", "denominator"
# Age at the period's date, in the DfE's bands (Children looked after in England).
AGE_BANDS = {"0": ("Under 1", 0, 1), "1": ("1 to 4", 1, 5), "5": ("5 to 9", 5, 10),
             "10": ("10 to 15", 10, 16), "16": ("16 and over", 16, 200)}


@dataclass(frozen=True)
class Filters:
    """What a list of the children behind a figure is narrowed to (each optional)."""

    worker: int | None = None  # a worker's allocated children, within the scope
    age: str = ""  # a key of AGE_BANDS
    legal_status: str = ""  # of a period of care open at the period's date (SSDA903 LS)
    placement: str = ""  # the placement type of that period of care (SSDA903 PLACE)

    @property
    def any(self) -> bool:
        return bool(self.worker or self.age or self.legal_status or self.placement)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def filtered_children(filters: Filters, period: Period, scope: Scope) -> QuerySet | None:
    """The ids of the children `filters` leave (None when nothing is filtered): a query the
    figure's rows are narrowed by, so the list and its counts agree."""
    if not filters.any:
        return None
    kids = Child.objects.all()
    if filters.worker:
        kids = kids.filter(pk__in=scope.children(worker_id=filters.worker))
    if filters.age in AGE_BANDS:
        _, low, high = AGE_BANDS[filters.age]
        at = period.at
        kids = kids.filter(birth_date__lte=_years_before(at, low),
                           birth_date__gt=_years_before(at, high))
    care = {}
    if filters.legal_status:
        care["legal_status"] = filters.legal_status
    if filters.placement:
        care["placement_type"] = filters.placement
    if care:
        kids = kids.filter(pk__in=LookedAfterEpisode.objects.current().on(period.at)
                           .filter(**care).values("child_id"))
    return kids.values("pk")


def workers_in(scope: Scope) -> QuerySet[Staff]:
    """The workers a list may be narrowed to: those in the scope's teams (a team or service)."""
    if scope.whole:
        return Staff.objects.none()
    return (Staff.objects.filter(team_id__in=scope.teams, is_active=True)
            .order_by("last_name", "first_name"))


def behind(viewer, rows: QuerySet) -> tuple[QuerySet, QuerySet]:
    """The rows of one side of a figure `viewer` may see, in name order with their child; and
    those they may not (restricted records: counted in the figure, not listed)."""
    if issubclass(rows.model, Child):
        seen = Q(pk__in=policy.visible_children(viewer).values("pk"))
        order = ("family_name", "given_name", "pk")
        shown = rows.filter(seen).order_by(*order)
    elif issubclass(rows.model, Staff):  # workers: no child's record to keep from anyone
        return rows.order_by("last_name", "first_name", "pk"), rows.none()
    elif field_of(rows) == "child_id":  # open items, which name their child by id
        seen = Q(child_id__in=policy.visible_children(viewer).values("pk"))
        shown = rows.filter(seen).order_by("due_on", "child_id", "pk")
    else:
        seen = policy.visible_q(viewer, "child")
        shown = (rows.filter(seen).select_related("child")
                 .order_by("child__family_name", "child__given_name", "pk"))
    return shown, rows.exclude(seen)


def child_of(row) -> Child | None:
    """The child a row is about (None for a worker)."""
    if isinstance(row, Child):
        return row
    if isinstance(row, Staff):
        return None
    if not hasattr(row, "child"):  # an open item, its child loaded with the page
        return getattr(row, "child_loaded", None) or Child.objects.get(pk=row.child_id)
    return row.child


def with_children(rows: list) -> list:
    """The rows of a page, each open item given its child from one query."""
    ids = {r.child_id for r in rows if not isinstance(r, (Child, Staff))
           and not hasattr(r, "child")}
    children = Child.objects.in_bulk(ids) if ids else {}
    for r in rows:
        if getattr(r, "child_id", None) in children and not hasattr(r, "child"):
            r.child_loaded = children[r.child_id]
    return rows


def describe(row) -> str:
    """What a row is, beside its child: a referral, a plan...; nothing for a child itself."""
    if isinstance(row, Child):
        return ""
    if isinstance(row, Staff):
        return (f"{row.team_name}: {row.children} children allocated, threshold "
                f"{row.threshold:g}")
    if not hasattr(row, "child"):
        return f"{row.rule_code.replace('-', ' ').capitalize()}, due {row.due_on:%-d %b %Y}"
    if type(row).__str__ is Model.__str__:
        return f"{row._meta.verbose_name.capitalize()} {row.pk}"
    return str(row)
