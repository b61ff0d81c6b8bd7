"""Pre-proceedings and court pages, and the legal tracker managers use to see drift (F8, F21).

The recording pages share the protection pages' thin-view helpers: the access policy finds the
child, services write, and errors land on the field they name.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from cairn.access import policy
from cairn.casework.recording import record_page, render_child
from cairn.casework.recording import recording_child as child_for
from cairn.core.models import TimescaleRule
from cairn.workforce.models import WHOLE_AUTHORITY

from . import forms, selectors, services


def _record_url(child) -> str:
    return reverse("legal_record", args=[child.pk])


def _day(value) -> str:
    return f"{value:%-d %B %Y}" if value else "Not recorded"


def _due_by(proceedings) -> str:
    due = selectors.proceedings_due(proceedings)
    return _day(due.due_on) if due else "No time limit is in force"


def _scope_words(request: HttpRequest, scope: str) -> str:
    """The scope as the page words it: an analyst or auditor has no teams, their line is the
    whole authority, so "your teams" would be wrong for them."""
    return selectors.AUTHORITY if request.user.role in WHOLE_AUTHORITY else scope


def _page_number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


@login_required
def legal_tracker(request: HttpRequest) -> HttpResponse:
    """Children in pre-proceedings or proceedings in the manager's line, with week counts,
    next hearing, overdue directions and flags past the limits the timescale rules set: a page
    at a time, found by stage, name and being past the limit."""
    policy.require_role(request.user, policy.SEE_TEAMS)
    # A service manager chooses: the teams they manage, or the whole authority.
    may_widen = policy.may_oversee_authority(request.user)
    scope = (selectors.AUTHORITY if may_widen and request.GET.get("scope") == selectors.AUTHORITY
             else selectors.TEAMS)
    stage = request.GET.get("stage", "")
    stage = stage if stage in (selectors.PRE_PROCEEDINGS, selectors.PROCEEDINGS) else ""
    name = request.GET.get("name", "").strip()[:100]
    past_only = request.GET.get("past") == "1"
    tracker = selectors.legal_tracker(viewer=request.user, scope=scope, stage=stage, name=name,
                                      past_only=past_only,
                                      page=_page_number(request.GET.get("page")))
    rules = selectors.rules()
    review_rule = rules[selectors.REVIEW_RULE]
    filters = {"scope": scope if scope == selectors.AUTHORITY else "", "stage": stage, "name": name, "past": "1" if past_only else ""}
    kept = {key: value for key, value in filters.items() if value}

    def page_url(number: int) -> str:
        return "?" + urlencode({**kept, "page": number})

    return render(request, "legal/tracker.html", {
        "tracker": tracker, "rows": tracker.rows, "today": timezone.localdate(),
        "scope": _scope_words(request, scope), "chosen_scope": scope, "may_widen": may_widen,
        "stage": stage, "name": name, "past_only": past_only,
        "filtered": bool(stage or name or past_only),
        "previous_url": page_url(tracker.page - 1) if tracker.page > 1 else "",
        "next_url": page_url(tracker.page + 1) if tracker.page < tracker.pages else "",
        "current_url": page_url(tracker.page),
        "review_rule": review_rule,
        "review_repeat": TimescaleRule.phrase(review_rule.repeat_limit,
                                              review_rule.repeat_unit) if review_rule else "",
        "pre_proceedings_rule": rules[selectors.PRE_PROCEEDINGS_RULE],
        "proceedings_rule": rules[selectors.PROCEEDINGS_RULE],
        "past_limit": tracker.past_limit})


@login_required
def legal_record(request: HttpRequest, child_id: int) -> HttpResponse:
    child = child_for(request, child_id, action=policy.VIEW)
    return render_child(request, child, "legal/legal_record.html", tab="legal",
                        can_record_child=policy.can(request.user, policy.RECORD, child),
                        **selectors.legal_record(child))


@login_required
def pre_proceedings_start(request: HttpRequest, child_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    form = forms.PreProceedingsStartForm(request.POST or None)

    def save(data):
        return services.pre_proceedings_start(child=child, by=request.user, **data)

    return record_page(request, child, form, title="Start pre-proceedings",
                       button="Start pre-proceedings", save=save, done=_record_url(child),
                       success="Pre-proceedings started", cancel_url=_record_url(child))


@login_required
def letter_record(request: HttpRequest, child_id: int, plo_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    plo = selectors.pre_proceedings_for(child, plo_id, staff=request.user, page=request.path)
    form = forms.LetterForm(request.POST or None, initial={"version": plo.version})

    def save(data):
        return services.pre_proceedings_letter_record(
            pre_proceedings=plo, sent_on=data["letter_before_proceedings_on"], by=request.user,
            expected_version=data["version"])

    return record_page(request, child, form, title="Record the letter before proceedings",
                       button="Save letter", save=save, done=_record_url(child),
                       success="Letter before proceedings recorded",
                       cancel_url=_record_url(child), versioned=plo,
                       about=[("Pre-proceedings started", _day(plo.started_on))])


@login_required
def meeting_add(request: HttpRequest, child_id: int, plo_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    plo = selectors.pre_proceedings_for(child, plo_id, staff=request.user, page=request.path)
    form = forms.PreProceedingsMeetingForm(request.POST or None)

    def save(data):
        return services.pre_proceedings_meeting_record(pre_proceedings=plo, by=request.user,
                                                       **data)

    return record_page(request, child, form, title="Record a pre-proceedings meeting",
                       button="Save meeting", save=save, done=_record_url(child),
                       success="Pre-proceedings meeting recorded",
                       cancel_url=_record_url(child),
                       about=[("Pre-proceedings started", _day(plo.started_on))])


@login_required
def review_add(request: HttpRequest, child_id: int, plo_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    plo = selectors.pre_proceedings_for(child, plo_id, staff=request.user, page=request.path)
    form = forms.PreProceedingsReviewForm(request.POST or None)

    def save(data):
        return services.pre_proceedings_review_record(pre_proceedings=plo, by=request.user,
                                                      **data)

    return record_page(request, child, form, title="Record a pre-proceedings review",
                       button="Save review", save=save, done=_record_url(child),
                       success="Pre-proceedings review recorded", cancel_url=_record_url(child),
                       about=[("Pre-proceedings started", _day(plo.started_on)),
                              ("Weeks in pre-proceedings",
                               selectors.weeks_since(plo.started_on))])


@login_required
def pre_proceedings_end(request: HttpRequest, child_id: int, plo_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    plo = selectors.pre_proceedings_for(child, plo_id, staff=request.user, page=request.path)
    form = forms.PreProceedingsEndForm(request.POST or None, initial={"version": plo.version})

    def save(data):
        return services.pre_proceedings_end(
            pre_proceedings=plo, ended_on=data["ended_on"], outcome=data["outcome"],
            by=request.user, expected_version=data["version"])

    return record_page(request, child, form, title="End pre-proceedings",
                       button="End pre-proceedings", save=save, done=_record_url(child),
                       success="Pre-proceedings ended", cancel_url=_record_url(child),
                       versioned=plo, about=[("Pre-proceedings started", _day(plo.started_on))])


@login_required
def proceedings_issue(request: HttpRequest, child_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    plo = selectors.open_pre_proceedings(child)
    # Prefilled from the record: proceedings usually follow the open pre-proceedings.
    form = forms.ProceedingsIssueForm(request.POST or None, pre_proceedings=plo,
                                      initial={"from_pre_proceedings": "yes"} if plo else {})

    def save(data):
        linked = plo if data.pop("from_pre_proceedings", None) else None
        return services.care_proceedings_issue(child=child, pre_proceedings=linked,
                                               by=request.user, **data)

    return record_page(request, child, form, title="Record care proceedings issued",
                       button="Save proceedings", save=save, done=_record_url(child),
                       success="Care proceedings recorded", cancel_url=_record_url(child),
                       aliases={"pre_proceedings": "from_pre_proceedings"})


@login_required
def hearing_add(request: HttpRequest, child_id: int, proceedings_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    proceedings = selectors.proceedings_for(child, proceedings_id, staff=request.user,
                                            page=request.path)
    form = forms.HearingForm(request.POST or None,
                             initial={"owner": selectors.allocated_worker(child)})

    def save(data):
        hearing = services.hearing_record(proceedings=proceedings, held_on=data["held_on"],
                                          kind=data["kind"], outcome=data["outcome"],
                                          order_made=data["order_made"],
                                          order_ends_on=data["order_ends_on"], by=request.user)
        if data["direction"].strip():
            services.court_direction_record(hearing=hearing, direction=data["direction"],
                                            due_on=data["due_on"],
                                            responsible=data["responsible"],
                                            owner=data["owner"], by=request.user)
        return hearing

    return record_page(request, child, form, title="Record a hearing", button="Save hearing",
                       save=save, done=_record_url(child), success="Hearing recorded",
                       cancel_url=_record_url(child),
                       aliases={"made_on": "held_on", "ended_on": "order_ends_on"},
                       about=[("Proceedings issued", _day(proceedings.issued_on))])


@login_required
def direction_add(request: HttpRequest, child_id: int, hearing_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    hearing = selectors.hearing_for(child, hearing_id, staff=request.user, page=request.path)
    # The child's allocated worker is usually the one to see a direction done.
    form = forms.DirectionForm(request.POST or None,
                               initial={"owner": selectors.allocated_worker(child)})

    def save(data):
        return services.court_direction_record(hearing=hearing, by=request.user, **data)

    return record_page(request, child, form, title="Record a court direction",
                       button="Save direction", save=save, done=_record_url(child),
                       success="Court direction recorded", cancel_url=_record_url(child),
                       about=[("Hearing", str(hearing))])


@login_required
def direction_comply(request: HttpRequest, child_id: int, direction_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    item = selectors.direction_for(child, direction_id, staff=request.user, page=request.path)
    form = forms.ComplianceForm(request.POST or None, initial={"version": item.version})

    def save(data):
        if data["met"]:
            return services.court_direction_comply(item=item, complied_on=data["complied_on"],
                                                   by=request.user,
                                                   expected_version=data["version"])
        return services.court_direction_not_met(item=item, by=request.user,
                                                expected_version=data["version"])

    return record_page(request, child, form, title="Record whether a direction was met",
                       button="Save", save=save, done=_record_url(child),
                       success="Direction updated", cancel_url=_record_url(child),
                       versioned=item, about=[("Direction", item.direction),
                                              ("Due", _day(item.due_on))])


@login_required
def extension_add(request: HttpRequest, child_id: int, proceedings_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    proceedings = selectors.proceedings_for(child, proceedings_id, staff=request.user,
                                            page=request.path)
    form = forms.ExtensionForm(request.POST or None)

    def save(data):
        return services.proceedings_extension_grant(proceedings=proceedings, by=request.user,
                                                    **data)

    return record_page(request, child, form, title="Record an extension", button="Save extension",
                       save=save, done=_record_url(child), success="Extension recorded",
                       cancel_url=_record_url(child),
                       about=[("Proceedings issued", _day(proceedings.issued_on)),
                              ("Due to conclude by", _due_by(proceedings))])


@login_required
def proceedings_conclude(request: HttpRequest, child_id: int, proceedings_id: int
                         ) -> HttpResponse:
    child = child_for(request, child_id)
    proceedings = selectors.proceedings_for(child, proceedings_id, staff=request.user,
                                            page=request.path)
    form = forms.ConcludeForm(request.POST or None, initial={"version": proceedings.version})

    def save(data):
        return services.care_proceedings_conclude(
            proceedings=proceedings, concluded_on=data["concluded_on"],
            final_order=data["final_order"], by=request.user,
            expected_version=data["version"])

    return record_page(request, child, form, title="Record the final order",
                       button="Save final order", save=save, done=_record_url(child),
                       success="Proceedings concluded", cancel_url=_record_url(child),
                       versioned=proceedings,
                       about=[("Proceedings issued", _day(proceedings.issued_on))])


@login_required
def emergency_order_record(request: HttpRequest, child_id: int) -> HttpResponse:
    """Record an emergency protection order or police protection, in proceedings or not."""
    child = child_for(request, child_id)
    form = forms.EmergencyOrderForm(request.POST or None)

    def save(data):
        return services.legal_order_record(
            child=child, by=request.user, kind=data["kind"], made_on=data["made_on"],
            ended_on=data["ended_on"], court=data["court"], police_force=data["police_force"],
            police_officer=data["police_officer"], removed_at=data["removed_at"],
            extended_to=data["extended_to"])

    return record_page(
        request, child, form, title="Record an emergency protection order or police protection",
        button="Save", save=save, done=_record_url(child),
        success="Emergency protection order or police protection recorded",
        cancel_url=_record_url(child), aliases={"removed_at": "removed_on"},
        intro="Answer the court question for an emergency protection order, and the police "
              "questions for police protection.")


@login_required
def emergency_order_extend(request: HttpRequest, child_id: int, order_id: int) -> HttpResponse:
    """Record the court's one extension of an emergency protection order, by up to 7 days."""
    child = child_for(request, child_id)
    order = selectors.emergency_protection_order_for(child, order_id, staff=request.user,
                                                     page=request.path)
    form = forms.EpoExtensionForm(request.POST or None, initial={"version": order.version})

    def save(data):
        return services.legal_order_extend(
            order=order, extended_on=data["extended_on"], extended_to=data["extended_to"],
            by=request.user, expected_version=data["version"])

    return record_page(
        request, child, form, title="Extend the emergency protection order",
        button="Save extension", save=save, done=_record_url(child),
        success="Emergency protection order extended", cancel_url=_record_url(child),
        versioned=order,
        about=[("Made", f"{_day(order.made_on)}{f' by {order.court}' if order.court else ''}"),
               ("Ends", _day(order.ended_on)),
               ("Extended", f"to {_day(order.extended_to)}" if order.extended_to else "No")])


@login_required
def direction_compliance(request: HttpRequest) -> HttpResponse:
    """For managers: the share of court directions met by their due date in the last year, and
    the directions behind it, each met on time, met late (by how many days), not met or
    outstanding (F8)."""
    policy.require_role(request.user, policy.SEE_TEAMS)
    may_widen = policy.may_oversee_authority(request.user)
    scope = (selectors.AUTHORITY if may_widen and request.GET.get("scope") == selectors.AUTHORITY
             else selectors.TEAMS)
    return render(request, "legal/direction_compliance.html", {
        "report": selectors.direction_compliance(viewer=request.user, scope=scope),
        "scope": _scope_words(request, scope), "may_widen": may_widen,
        "today": timezone.localdate()})
