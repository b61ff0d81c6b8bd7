"""Pages for a child looked after: the care record, starting a period of care, a change of
placement or legal status, the end of care, looked-after reviews and statutory visits.

The recording pages are thin: the access policy finds the child (404 if not theirs), the care
services write, and a service's error lands on the field it names.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from cairn.access import policy
from cairn.casework.recording import record_page, render_child
from cairn.casework.recording import recording_child as child_for
from cairn.core import names, timescales
from cairn.core.errors import StaleRecord
from cairn.core.services import long_date
from cairn.legal.models import LegalOrder, OrderKind
from cairn.people.models import Address
from cairn.workforce.models import Allocation, Role

from . import forms, services
from .models import CLAReview, LegalStatus, LookedAfterEpisode, StatutoryVisit

# The timescales the care record shows next to the episodes (core/rules.py).
CARE_RULES = (names.CLA_REVIEW, names.CLA_VISIT, names.INITIAL_HEALTH, names.PEP)


def _record_url(child) -> str:
    return reverse("care_record", args=[child.pk])


def _day(value) -> str:
    return long_date(value) if value else "Not recorded"


def _open_episode(child) -> LookedAfterEpisode | None:
    return (LookedAfterEpisode.objects.current().open().filter(child=child)
            .order_by("-started_on", "-pk").first())


def _period_started_on(child, episode: LookedAfterEpisode):
    return (LookedAfterEpisode.objects.filter(pk=episode.pk).with_period_start()
            .values_list("period_started_on", flat=True).get())


def _about(child, episode: LookedAfterEpisode) -> list[tuple[str, str]]:
    return [("Looked after since", _day(_period_started_on(child, episode))),
            ("Legal status", f"{episode.get_legal_status_display()} ({episode.legal_status})"),
            ("Placement", f"{episode.get_placement_type_display()} ({episode.placement_type}) "
                          f"since {_day(episode.started_on)}")]


def _legal_status_from_court(child) -> str:
    """The legal status the orders in force today give: E1 under a placement order, C2 under a
    care order, C1 under an interim care order. Orders made at hearings and final orders are
    recorded as orders (legal.services), so the orders alone answer."""
    status_of = {OrderKind.PLACEMENT: LegalStatus.E1, OrderKind.CARE: LegalStatus.C2,
                 OrderKind.INTERIM_CARE: LegalStatus.C1}
    kinds = set(LegalOrder.objects.current().filter(child=child, kind__in=list(status_of))
                .in_force_on(timezone.localdate()).values_list("kind", flat=True))
    return next((status for kind, status in status_of.items() if kind in kinds), "")


def _home_postcode(child) -> str:
    address = (Address.objects.current().filter(person=child, ended_on__isnull=True)
               .order_by("-started_on", "-pk").first())
    return address.postcode if address else ""


def _same_episode(form, episode: LookedAfterEpisode, data: dict) -> None:
    """Someone else changed the period of care since the page was read (a new episode, or the
    open one edited): say so rather than overwrite. The form then carries the episode now open,
    so saving again is a choice made after reading it."""
    stored = LookedAfterEpisode.objects.select_for_update().get(pk=episode.pk)
    if data["episode"] != episode.pk or data["version"] != stored.version:
        fresh = form.data.copy()
        fresh["episode"] = str(episode.pk)
        form.data = fresh
        raise StaleRecord("period of care")


def _not_looked_after(request: HttpRequest, child, title: str) -> HttpResponse:
    return render_child(request, child, "care/not_looked_after.html", title=title)


@login_required
def care_record(request: HttpRequest, child_id: int) -> HttpResponse:
    """A child's periods of care, episode by episode, with reviews and statutory visits."""
    child = child_for(request, child_id, action=policy.VIEW)
    episodes = (LookedAfterEpisode.objects.current().filter(child=child)
                .order_by("-started_on", "-pk"))
    return render_child(
        request, child, "care/care_record.html", tab="care",
        can_record_child=policy.can(request.user, policy.RECORD, child),
        episodes=episodes, open_episode=next((e for e in episodes if e.ended_on is None), None),
        dues=[due for due in timescales.evaluate([child.pk])
              if due.rule.code in CARE_RULES and due.is_open],
        reviews=CLAReview.objects.current().filter(child=child).order_by("-held_on", "-pk"),
        visits=(StatutoryVisit.objects.current().filter(child=child)
                .select_related("by").order_by("-visited_on", "-pk")))


@login_required
def care_start(request: HttpRequest, child_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    # Prefilled from the record: the child's home, and the order the court has made.
    form = forms.StartCareForm(request.POST or None, initial={
        "home_postcode": _home_postcode(child), "legal_status": _legal_status_from_court(child)})

    def save(data):
        return services.episode_start(child=child, reason_new_episode="S", by=request.user,
                                      **data)

    return record_page(request, child, form, title="Start a period of care",
                       button="Start the period of care", save=save, done=_record_url(child),
                       success="Period of care started", cancel_url=_record_url(child),
                       aliases={"reason_new_episode": "started_on"})


@login_required
def care_change(request: HttpRequest, child_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    title = "Change placement or legal status"
    episode = _open_episode(child)
    if episode is None:
        return _not_looked_after(request, child, title)
    court = _legal_status_from_court(child)
    form = forms.ChangeForm(request.POST or None, episode=episode, initial={
        "episode": episode.pk, "version": episode.version,
        "legal_status": court or episode.legal_status,
        "placement_type": episode.placement_type,
        "placement_provider": episode.placement_provider,
        "placement_postcode": episode.placement_postcode, "urn": episode.urn})

    def save(data):
        _same_episode(form, episode, data)
        return services.episode_start(
            child=child, started_on=data["changed_on"],
            reason_new_episode=data["reason_new_episode"], legal_status=data["legal_status"],
            category_of_need=episode.category_of_need, placement_type=data["placement_type"],
            placement_provider=data["placement_provider"],
            placement_postcode=data["placement_postcode"], urn=data["urn"],
            home_postcode=episode.home_postcode,
            reason_place_change=data["reason_place_change"], carer=None, by=request.user)

    return record_page(request, child, form, title=title, button="Save the change", save=save,
                       done=_record_url(child), success="Change recorded",
                       cancel_url=_record_url(child), aliases={"started_on": "changed_on"},
                       versioned=episode, about=_about(child, episode))


@login_required
def care_end(request: HttpRequest, child_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    title = "End the period of care"
    episode = _open_episode(child)
    if episode is None:
        return _not_looked_after(request, child, title)
    form = forms.EndCareForm(request.POST or None, initial={"episode": episode.pk,
                                                               "version": episode.version})

    def save(data):
        _same_episode(form, episode, data)
        return services.period_of_care_end(episode=episode, ended_on=data["ended_on"],
                                           reason_ceased=data["reason_ceased"], by=request.user)

    return record_page(request, child, form, title=title, button="End the period of care",
                       save=save, done=_record_url(child), success="Period of care ended",
                       cancel_url=_record_url(child), versioned=episode,
                       about=_about(child, episode))


def _chair(request: HttpRequest, child):
    """The reviewing officer: the one recording, or the one allocated to the child."""
    if request.user.role == Role.IRO:
        return request.user
    allocation = (Allocation.objects.current()
                  .filter(child=child, kind=Allocation.Kind.IRO, ended_on__isnull=True)
                  .select_related("worker").order_by("-started_on").first())
    return allocation.worker if allocation else None


@login_required
def review_add(request: HttpRequest, child_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    form = forms.ReviewForm(request.POST or None)

    def save(data):
        return services.cla_review_record(child=child, chair=_chair(request, child),
                                          by=request.user, **data)

    episode = _open_episode(child)
    return record_page(request, child, form, title="Record a looked-after review",
                       button="Save review", save=save, done=_record_url(child),
                       success="Looked-after review recorded", cancel_url=_record_url(child),
                       about=_about(child, episode) if episode else None)


@login_required
def visit_add(request: HttpRequest, child_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    form = forms.StatutoryVisitForm(request.POST or None)

    def save(data):
        return services.statutory_visit_record(child=child, by=request.user, **data)

    episode = _open_episode(child)
    return record_page(request, child, form, title="Record a statutory visit",
                       button="Save visit", save=save, done=_record_url(child),
                       success="Statutory visit recorded", cancel_url=_record_url(child),
                       about=_about(child, episode) if episode else None)
