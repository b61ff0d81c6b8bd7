"""Reads for an analyst's lists of the children the authority serves."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from cairn.access import policy
from cairn.people.models import Child, Disability

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
