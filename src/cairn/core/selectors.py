"""Reads every app shares: the actions agreed on children's records, for My work, a manager's
team view, a child's record and the records that agreed them.

Core knows no access policy: a list across children takes `children`, those the viewer may
see (`access.policy.visible_children(viewer)`), as people's search does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Action, SubmissionKey


def _about(children) -> Q:
    """Actions about one of `children`, or about no child."""
    return Q(child__isnull=True) | Q(child__in=children)


def actions_open_for(owner, *, children, as_of: date | None = None) -> QuerySet[Action]:
    """`owner`'s open actions, overdue first, then by due date (undated last); each carries
    `overdue`. Only those about `children` (the ones the viewer may see) or about no child."""
    as_of = as_of or timezone.localdate()
    return (Action.objects.open().filter(owner=owner).filter(_about(children))
            .with_overdue(as_of).select_related("child", "owner", "source_type")
            .order_by("-overdue", F("due_on").asc(nulls_last=True), "pk"))


def actions_overdue_in_teams(teams, *, children, as_of: date | None = None
                             ) -> QuerySet[Action]:
    """Open actions past their due date whose owner works in one of `teams` (a queryset or a
    list of teams), about `children` (the ones the viewer may see) or about no child, for a
    manager's team view: by worker, then oldest due first."""
    as_of = as_of or timezone.localdate()
    return (Action.objects.open().filter(owner__team__in=teams, due_on__lt=as_of)
            .filter(_about(children)).with_overdue(as_of)
            .select_related("child", "owner", "owner__team", "source_type")
            .order_by("owner__last_name", "owner__first_name", "owner_id", "due_on", "pk"))


def actions_for_child(child, *, as_of: date | None = None) -> QuerySet[Action]:
    """Every action about `child` not voided: open ones first (overdue first, then by due
    date), then done and cancelled ones, most recently closed first. The caller has already
    decided that the viewer may see the child."""
    as_of = as_of or timezone.localdate()
    return (Action.objects.current().filter(child=child).with_overdue(as_of)
            .annotate(closed=Case(When(status=Action.Status.OPEN, then=Value(0)), default=Value(1),
                                  output_field=IntegerField()),
                      closed_at=Coalesce("done_at", "cancelled_at"))
            .select_related("owner", "done_by", "cancelled_by", "source_type")
            .order_by("closed", "-overdue", F("due_on").asc(nulls_last=True),
                      F("closed_at").desc(nulls_last=True), "pk"))


def attach_actions(sources: Iterable, *, as_of: date | None = None,
                   attr: str = "agreed_actions") -> list:
    """Give each of `sources` (plan needs, strategy discussions; any mix of models) the list of
    actions it agreed, in the order agreed, as `attr`: one query for them all."""
    sources = list(sources)
    if not sources:
        return sources
    as_of = as_of or timezone.localdate()
    by_type: dict[int, list[int]] = {}
    for source in sources:
        by_type.setdefault(ContentType.objects.get_for_model(source).pk, []).append(source.pk)
    match = Q()
    for type_id, ids in by_type.items():
        match |= Q(source_type_id=type_id, source_id__in=ids)
    found: dict[tuple[int, int], list[Action]] = {}
    for action in (Action.objects.current().filter(match).with_overdue(as_of)
                   .select_related("owner", "done_by", "cancelled_by").order_by("pk")):
        found.setdefault((action.source_type_id, action.source_id), []).append(action)
    for source in sources:
        type_id = ContentType.objects.get_for_model(source).pk
        setattr(source, attr, found.get((type_id, source.pk), []))
    return sources


def form_saved(owner, submission: str) -> bool:
    """Whether the form instance carrying this one-time key was saved (its POST redirected)."""
    return bool(submission) and SubmissionKey.objects.filter(
        owner=owner, key=submission[:64]).exclude(redirect_to="").exists()
