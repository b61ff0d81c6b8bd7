"""Writes for children looked after: episodes, reviews, visits, missing episodes, interviews,
PEPs, deprivation of liberty orders. Each is one transaction with its access check, validation
and audit row."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cairn.access import policy
from cairn.core import audit, names
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.core.services import end_period, save_period

from .models import (
    DOLO_FORBIDDEN_PLACEMENTS,
    LEGAL_STATUS_RNE,
    NO_PROVIDER_PLACEMENTS,
    TEMPORARY_PLACEMENTS,
    CLAReview,
    DeprivationOfLibertyOrder,
    LookedAfterEpisode,
    MissingEpisode,
    PEPTarget,
    PersonalEducationPlan,
    PlacementType,
    ReasonEpisodeCeased,
    ReasonNewEpisode,
    ReturnHomeInterview,
    StatutoryVisit,
)


def _not_in_future(day: date, field: str, what: str) -> None:
    if day > timezone.localdate():
        raise RecordError(f"The date of the {what} cannot be in the future", field=field)


def _looked_after_on(child, day: date, field: str, what: str) -> None:
    if not LookedAfterEpisode.objects.current().filter(child=child).on(day).exists():
        raise RecordError(
            f"{child.full_name} was not looked after on {day:%-d %B %Y}, so a {what} cannot be "
            "recorded for that date", field=field)


@transaction.atomic
def episode_start(
    *, child, started_on: date, reason_new_episode: str, legal_status: str,
    category_of_need: str, placement_type: str, placement_provider: str = "",
    home_postcode: str = "", placement_postcode: str = "", urn: str = "",
    reason_place_change: str = "", carer=None, by,
) -> LookedAfterEpisode:
    """Start an SSDA903 episode. A new period of care (RNE S) needs no open episode; any other
    reason closes the open episode the same day with REC X1 and `reason_place_change`."""
    policy.require(by, policy.RECORD, child)
    _not_in_future(started_on, "started_on", "new episode")
    episodes = LookedAfterEpisode.objects.current().filter(child=child).select_for_update()
    latest = episodes.order_by("-started_on", "-id").first()
    if latest and started_on < (latest.ended_on or latest.started_on):
        raise RecordError("This episode would overlap an episode already recorded: it must "
                          f"start on or after {(latest.ended_on or latest.started_on):%-d %B %Y}",
                          field="started_on")
    open_episode = latest if latest and latest.ended_on is None else None

    if reason_new_episode == ReasonNewEpisode.STARTED:
        if open_episode:
            raise RecordError(f"{child.full_name} is already looked after: record a change of "
                              "placement or legal status instead", field="reason_new_episode")
    else:
        if open_episode is None:
            raise RecordError(  # rule 357: a period of care starts with S
                f"{child.full_name} is not looked after, so this episode must start a period "
                "of care (reason S)", field="reason_new_episode")
        if started_on == open_episode.started_on:
            raise RecordError("A change cannot start on the same day as the episode it follows",
                              field="started_on")
        changes_status = reason_new_episode in LEGAL_STATUS_RNE
        if changes_status and legal_status == open_episode.legal_status:
            raise RecordError("The reason given is a change of legal status, but the legal "
                              "status is the same as before", field="legal_status")
        if not changes_status and legal_status != open_episode.legal_status:
            raise RecordError("The legal status has changed: choose a reason that includes a "
                              "change of legal status", field="reason_new_episode")
        if reason_new_episode == ReasonNewEpisode.LEGAL_STATUS and (
                placement_type != open_episode.placement_type
                or placement_postcode != open_episode.placement_postcode):
            raise RecordError("The placement has changed: choose a reason that includes a "
                              "change of placement", field="reason_new_episode")
        # Rules 225-226: a placement change needs its reason, unless the child is returning
        # from a temporary placement.
        if (reason_new_episode != ReasonNewEpisode.LEGAL_STATUS and not reason_place_change
                and open_episode.placement_type not in TEMPORARY_PLACEMENTS):
            raise RecordError("Enter why the placement changed", field="reason_place_change")
    if placement_type in DOLO_FORBIDDEN_PLACEMENTS and _order_in_force(child, started_on):
        raise RecordError(  # SSDA903 rule 710
            f"{child.full_name} is deprived of liberty under an order in force on "
            f"{started_on:%-d %B %Y}: they cannot be placed in a "
            f"{PlacementType(placement_type).label.lower()} while it lasts",
            field="placement_type")
    if placement_type in NO_PROVIDER_PLACEMENTS and placement_provider:
        raise RecordError("This type of placement has no placement provider",
                          field="placement_provider")  # rule 178
    if placement_type not in NO_PROVIDER_PLACEMENTS and not placement_provider:
        raise RecordError("Enter the placement provider", field="placement_provider")

    episode = LookedAfterEpisode(
        child=child, started_on=started_on, reason_new_episode=reason_new_episode,
        legal_status=legal_status, category_of_need=category_of_need,
        placement_type=placement_type, placement_provider=placement_provider,
        home_postcode=home_postcode.upper().strip(),
        placement_postcode=placement_postcode.upper().strip(), urn=urn.strip(), carer=carer,
        recorded_by=by)
    # The one-open rule is checked once the episode this one follows has ended.
    episode.full_clean(validate_constraints=False)
    if open_episode:
        end_period(open_episode, on=started_on, reason=ReasonEpisodeCeased.X1, by=by, changes={
            "reason_place_change": "" if reason_new_episode == ReasonNewEpisode.LEGAL_STATUS
            else reason_place_change})
    episode.validate_constraints()
    save_period(episode)
    audit.record(by, "episode.started", episode)
    return episode


@transaction.atomic
def placement_change(
    *, child, changed_on: date, placement_type: str, reason_place_change: str,
    placement_provider: str = "", placement_postcode: str = "", urn: str = "",
    same_carers: bool = False, legal_status: str | None = None, carer=None, by,
) -> LookedAfterEpisode:
    """Move a looked-after child; the reason for the new episode follows from what changed."""
    policy.require(by, policy.RECORD, child)
    current = LookedAfterEpisode.objects.current().open().filter(child=child).first()
    if current is None:
        raise RecordError(f"{child.full_name} is not looked after, so their placement cannot "
                          "change", field="changed_on")
    status_changes = legal_status is not None and legal_status != current.legal_status
    if status_changes:
        rne = ReasonNewEpisode.LEGAL_STATUS_PLACEMENT_SAME_CARERS if same_carers else \
            ReasonNewEpisode.LEGAL_STATUS_PLACEMENT_AND_CARERS
    else:
        rne = ReasonNewEpisode.PLACEMENT_SAME_CARERS if same_carers else \
            ReasonNewEpisode.PLACEMENT_AND_CARERS
    try:
        return episode_start(
            child=child, started_on=changed_on, reason_new_episode=rne,
            legal_status=legal_status or current.legal_status,
            category_of_need=current.category_of_need, placement_type=placement_type,
            placement_provider=placement_provider, home_postcode=current.home_postcode,
            placement_postcode=placement_postcode, urn=urn,
            reason_place_change=reason_place_change, carer=carer, by=by)
    except RecordError as error:
        if error.field == "started_on":
            error.field = "changed_on"
        raise


@transaction.atomic
def period_of_care_end(*, episode: LookedAfterEpisode, ended_on: date, reason_ceased: str,
                       reason_place_change: str = "", by) -> LookedAfterEpisode:
    """End a period of care: the open episode ceases with a reason other than X1."""
    policy.require(by, policy.RECORD, episode.child)

    def rules(episode: LookedAfterEpisode) -> None:
        if not reason_ceased:
            raise RecordError("Enter why the child stopped being looked after",
                              field="reason_ceased")
        if reason_ceased == ReasonEpisodeCeased.X1:
            raise RecordError("X1 means a new episode starts the same day: record the change "
                              "of placement or legal status instead", field="reason_ceased")
        if ended_on < episode.started_on:
            raise RecordError("The period of care cannot end before the episode started on "
                              f"{episode.started_on:%-d %B %Y}", field="ended_on")
        if episode.placement_type in TEMPORARY_PLACEMENTS:
            raise RecordError("A period of care cannot end in a temporary placement",  # rule 381
                              field="ended_on")
        order = (DeprivationOfLibertyOrder.objects.current().filter(child=episode.child)
                 .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=ended_on)).first())
        if order:
            raise RecordError(  # SSDA903 rule 707
                "The deprivation of liberty order made on "
                f"{order.started_on:%-d %B %Y} is still in force: record when it ended first",
                field="ended_on")

    return end_period(episode, on=ended_on, reason=reason_ceased, by=by, rules=rules,
                      changes={"reason_place_change": reason_place_change})


@transaction.atomic
def cla_review_record(*, child, held_on: date, participation: str, chair=None, notes: str = "",
                      by) -> CLAReview:
    """Record a looked-after child's review and how the child took part."""
    policy.require(by, policy.RECORD, child)
    _not_in_future(held_on, "held_on", "review")
    _looked_after_on(child, held_on, "held_on", "review")
    review = CLAReview(child=child, held_on=held_on, participation=participation, chair=chair,
                       notes=notes, recorded_by=by)
    review.full_clean()
    review.save()
    audit.record(by, names.CLA_REVIEW_HELD, review)
    return review


@transaction.atomic
def statutory_visit_record(*, child, visited_on: date, seen: bool, seen_alone: bool,
                           notes: str = "", by) -> StatutoryVisit:
    """Record a regulation 28 visit to a looked-after child."""
    policy.require(by, policy.RECORD, child)
    _not_in_future(visited_on, "visited_on", "visit")
    if seen_alone and not seen:
        raise RecordError("A child seen alone was seen: tick that the child was seen",
                          field="seen")
    _looked_after_on(child, visited_on, "visited_on", "statutory visit")
    visit = StatutoryVisit(child=child, visited_on=visited_on, seen=seen, seen_alone=seen_alone,
                           notes=notes, by=by, recorded_by=by)
    visit.full_clean()
    visit.save()
    audit.record(by, "cla_visit.recorded", visit)
    return visit


@transaction.atomic
def missing_episode_record(*, child, kind: str, started_at: datetime,
                           ended_at: datetime | None = None, by) -> MissingEpisode:
    """Record a time the child was missing or away; periods may not overlap (rule 574)."""
    policy.require(by, policy.RECORD, child)
    if started_at > timezone.now():
        raise RecordError("The time the child went missing cannot be in the future",
                          field="started_at")
    if ended_at is not None and ended_at < started_at:
        raise RecordError("The child cannot return before they went missing", field="ended_at")
    if child.birth_date and timezone.localtime(started_at).date() < child.birth_date:
        raise RecordError("The child cannot go missing before they were born",  # rule 586
                          field="started_at")
    others = MissingEpisode.objects.current().filter(child=child).select_for_update()
    for other in others:
        other_end = other.ended_at
        if (other_end is None or started_at < other_end) and (
                ended_at is None or other.started_at < ended_at):
            raise RecordError(
                "This overlaps another missing episode starting "
                f"{timezone.localtime(other.started_at):%-d %B %Y %H:%M}: end that one first",
                field="started_at")
    episode = MissingEpisode(child=child, kind=kind, started_at=started_at, ended_at=ended_at,
                             recorded_by=by)
    episode.full_clean()
    episode.save()
    audit.record(by, names.MISSING_STARTED, episode)
    return episode


@transaction.atomic
def missing_episode_return(*, missing_episode: MissingEpisode, ended_at: datetime, by
                           ) -> MissingEpisode:
    """Record when a missing child returned (or was found)."""
    policy.require(by, policy.RECORD, missing_episode.child)
    episode = MissingEpisode.objects.select_for_update().get(pk=missing_episode.pk)
    if episode.ended_at is not None:
        raise RecordError("This missing episode already has a return time", field="ended_at")
    if ended_at < episode.started_at:
        raise RecordError("The child cannot return before they went missing", field="ended_at")
    if ended_at > timezone.now():
        raise RecordError("The return time cannot be in the future", field="ended_at")
    before = audit.snapshot(episode)
    episode.ended_at = ended_at
    episode.version += 1
    episode.save(update_fields=["ended_at", "version"])
    audit.record(by, names.MISSING_RETURNED, episode, kind=AuditEvent.Kind.CHANGED, before=before)
    return episode


@transaction.atomic
def return_home_interview_record(
    *, missing_episode: MissingEpisode, offered_on: date, accepted: bool,
    held_on: date | None = None, push_factors: str = "", pull_factors: str = "",
    actions: str = "", by,
) -> ReturnHomeInterview:
    """Record the return home interview offered after a missing episode, and whether held."""
    policy.require(by, policy.RECORD, missing_episode.child)
    if missing_episode.ended_at is None:
        raise RecordError("Record when the child returned before the return home interview",
                          field="offered_on")
    returned_on = timezone.localtime(missing_episode.ended_at).date()
    if offered_on < returned_on:
        raise RecordError("The interview cannot be offered before the child returned on "
                          f"{returned_on:%-d %B %Y}", field="offered_on")
    if held_on is not None:
        if not accepted:
            raise RecordError("An interview that was held was accepted: tick accepted",
                              field="accepted")
        if held_on < returned_on:
            raise RecordError("The interview cannot be held before the child returned on "
                              f"{returned_on:%-d %B %Y}", field="held_on")
        if held_on < offered_on:
            raise RecordError("The interview cannot be held before it was offered",
                              field="held_on")
        _not_in_future(held_on, "held_on", "interview")
    if ReturnHomeInterview.objects.current().filter(missing_episode=missing_episode).exists():
        raise RecordError("A return home interview is already recorded for this missing episode",
                          field="offered_on")
    interview = ReturnHomeInterview(
        missing_episode=missing_episode, offered_on=offered_on, accepted=accepted,
        held_on=held_on, push_factors=push_factors, pull_factors=pull_factors, actions=actions,
        recorded_by=by)
    interview.full_clean()
    interview.save()
    audit.record(by, names.RHI_OFFERED, interview, child_id=missing_episode.child_id)
    return interview


@transaction.atomic
def pep_record(*, child, held_on: date, targets: list[dict], school: str = "",
               child_views: str = "", by) -> PersonalEducationPlan:
    """Record a PEP meeting with its targets; each target says what, and by when (F13)."""
    policy.require(by, policy.RECORD, child)
    _not_in_future(held_on, "held_on", "PEP meeting")
    _looked_after_on(child, held_on, "held_on", "PEP")
    if not targets:
        raise RecordError("Enter at least one target, with the date it should be met by",
                          field="targets")
    for number, target in enumerate(targets, start=1):
        if not (target.get("description") or "").strip():
            raise RecordError(f"Describe target {number}", field="targets")
        if not target.get("due_on"):
            raise RecordError(f"Enter the date target {number} should be met by",
                              field="targets")
        if target["due_on"] <= held_on:
            raise RecordError(f"Target {number} must be due after the PEP meeting",
                              field="targets")
    pep = PersonalEducationPlan(child=child, held_on=held_on, school=school,
                                child_views=child_views, recorded_by=by)
    pep.full_clean()
    pep.save()
    for target in targets:
        row = PEPTarget(pep=pep, description=target["description"].strip(),
                        due_on=target["due_on"], recorded_by=by)
        row.full_clean()
        row.save()
    audit.record(by, names.PEP_HELD, pep)
    return pep


# -- deprivation of liberty (SSDA903 DoLo, rules 700-710) ---------------------------------------


def _order_in_force(child, day: date) -> bool:
    return (DeprivationOfLibertyOrder.objects.current().filter(child=child, started_on__lte=day)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day)).exists())


def _care_ends_after(child, started_on: date) -> date | None:
    """The day the period of care that `started_on` falls in ended, or None while it lasts."""
    for e in (LookedAfterEpisode.objects.current().filter(child=child)
              .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=started_on))
              .order_by("started_on", "id")):
        if e.ended_on is None:
            return None
        if e.ends_period_of_care:
            return e.ended_on
    return None


def _check_order_span(child, started_on: date, ended_on: date | None) -> None:
    """The rules that read the order against the child's care: placements (710) and the
    period of care it must lie within (707)."""
    if ended_on is not None:
        if ended_on <= started_on:  # rule 702: an order ending the day it starts is refused
            raise RecordError("The order must end after the day it started "
                              f"({started_on:%-d %B %Y})", field="ended_on")
        _not_in_future(ended_on, "ended_on", "end of the order")
        care_ended = _care_ends_after(child, started_on)
        if care_ended is not None and ended_on > care_ended:
            raise RecordError(  # rule 707
                f"{child.full_name} stopped being looked after on {care_ended:%-d %B %Y}: the "
                "order cannot end after that", field="ended_on")
    # The validator counts an episode ending on the order's first day as overlapping it.
    episodes = LookedAfterEpisode.objects.current().filter(child=child).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=started_on))
    if ended_on is not None:
        episodes = episodes.filter(started_on__lte=ended_on)
    for e in episodes.filter(placement_type__in=sorted(DOLO_FORBIDDEN_PLACEMENTS)):
        raise RecordError(  # rule 710
            f"{child.full_name} was placed in a {e.get_placement_type_display().lower()} from "
            f"{e.started_on:%-d %B %Y}: a child deprived of liberty cannot be placed there",
            field="started_on" if e.started_on <= started_on else "ended_on")


@transaction.atomic
def deprivation_of_liberty_record(*, child, started_on: date, authorised_by: str,
                                  ended_on: date | None = None, by) -> DeprivationOfLibertyOrder:
    """Record an order authorising a looked-after child's deprivation of liberty."""
    policy.require(by, policy.RECORD, child)
    authorised_by = authorised_by.strip()
    if not authorised_by:
        raise RecordError("Enter the court or body that authorised the order",
                          field="authorised_by")
    _not_in_future(started_on, "started_on", "order")
    if child.birth_date and started_on <= child.birth_date:  # rule 708
        raise RecordError("The order cannot start on or before the child's date of birth",
                          field="started_on")
    _looked_after_on(child, started_on, "started_on", "deprivation of liberty order")
    others = (DeprivationOfLibertyOrder.objects.current().filter(child=child)
              .select_for_update().order_by("started_on", "id"))
    for other in others:  # rule 705: one order at a time
        if (other.ended_on is None or started_on < other.ended_on) and (
                ended_on is None or other.started_on < ended_on):
            raise RecordError(
                f"This overlaps the order made on {other.started_on:%-d %B %Y}, which "
                + ("is still in force: record when it ended first" if other.ended_on is None
                   else f"ended on {other.ended_on:%-d %B %Y}"), field="started_on")
    _check_order_span(child, started_on, ended_on)
    order = DeprivationOfLibertyOrder(child=child, started_on=started_on, ended_on=ended_on,
                                      authorised_by=authorised_by, recorded_by=by)
    order.full_clean()
    save_period(order)
    audit.record(by, names.DOLO_STARTED, order)
    return order


@transaction.atomic
def deprivation_of_liberty_end(*, order: DeprivationOfLibertyOrder, ended_on: date,
                               expected_version: int | None = None, by
                               ) -> DeprivationOfLibertyOrder:
    """Record the day a deprivation of liberty order ended."""
    policy.require(by, policy.RECORD, order.child)

    def rules(order: DeprivationOfLibertyOrder) -> None:
        later = (DeprivationOfLibertyOrder.objects.current().filter(child=order.child)
                 .filter(started_on__gt=order.started_on, started_on__lt=ended_on)
                 .exclude(pk=order.pk).first())
        if later:  # rule 705
            raise RecordError(f"Another order started on {later.started_on:%-d %B %Y}: this "
                              "one must end by then", field="ended_on")
        _check_order_span(order.child, order.started_on, ended_on)

    return end_period(order, on=ended_on, by=by, expected_version=expected_version, rules=rules)
