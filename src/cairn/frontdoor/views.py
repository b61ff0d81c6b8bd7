"""Front door and early help pages: thin views over frontdoor.services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cairn.access import policy
from cairn.casework import selectors as casework_selectors
from cairn.casework import services as casework_services
from cairn.casework.recording import (
    add_error,
    draft_finished,
    recording_child,
    render_child,
    saved,
    show_conflict,
)
from cairn.core import audit
from cairn.core.errors import RecordError, StaleRecord
from cairn.people import matching

from . import forms, selectors, selectors_early_help, services
from .models import ContactDecision

# Services name the model's fields; the forms split a moment into a date and a time.
FORM_FIELD = {"received_at": "received_on", "decided_at": "decided_on",
              "authorised_at": "outcome", "declined_at": "outcome",
              "closure_reason": "reason"}


def strategy_discussion_url(child) -> str:
    return reverse("strategy_discussion_add", args=[child.pk])


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The front door: contacts awaiting a decision, oldest first, and recent decisions (F16)."""
    if not policy.allows(request.user, policy.RECORD):
        policy.refuse(request.user, request.path, message="No front door for this role")
    # The queue and the overnight list are read a page at a time, so the page costs the same
    # however many contacts the authority holds; every contact is still reachable.
    return render(request, "frontdoor/home.html", {
        "awaiting": selectors.awaiting_page(viewer=request.user,
                                            number=request.GET.get("page")),
        "decisions": selectors.recent_decisions(viewer=request.user),
        "steps": selectors.step_decisions_awaiting(request.user),
        "overnight": selectors.overnight_page(viewer=request.user,
                                              number=request.GET.get("overnight")),
        "re_referrals": selectors.re_referrals(viewer=request.user)})


# The restricted record a contact is being passed on for, kept in the (server-side) session
# between the duplicate check and the contact form, so its id never reaches a page or a URL.
HIDDEN_MATCH = "frontdoor_hidden_match"
PASSED = ("A restricted record may match this child. The contact has been passed to someone "
          "who can see it.")


@login_required
def contact_find_child(request: HttpRequest) -> HttpResponse:
    """Who the contact is about: search what Cairn holds, then choose one or create a record.

    Where a restricted record the worker cannot see may be the child, the page says so (never
    whose) and offers passing the contact on in place of a new record."""
    if not policy.allows(request.user, policy.RECORD):
        policy.refuse(request.user, request.path, message="No front door for this role")
    form = forms.FindChildForm(request.POST or None)
    matches, choose, checked, hidden = [], None, False, None
    if form.is_valid():
        data = form.cleaned_data
        look_for = dict(given_name=data["given_name"], family_name=data["family_name"],
                        birth_date=data["birth_date"], postcode=data["postcode"])
        matches = casework_selectors.possible_duplicates(viewer=request.user, **look_for)
        hidden = casework_selectors.hidden_match(viewer=request.user, **look_for)
        checked = True
        if "check" not in request.POST and ("continue" in request.POST
                                            or "choice" in request.POST):
            choose = forms.ChooseChildForm(request.POST, matches=matches,
                                           hidden=hidden is not None)
            if choose.is_valid():
                answer = choose.cleaned_data["choice"]
                if answer == forms.ChooseChildForm.PASS:
                    # The child is chosen: the search form's draft must not fill the next one.
                    draft_finished(request)
                    request.session[HIDDEN_MATCH] = {"child": hidden.pk,
                                                     "described": forms.described(data)}
                    return redirect("frontdoor:contact_pass")
                if answer != forms.ChooseChildForm.NEW:
                    draft_finished(request)
                    return redirect("frontdoor:contact_new", int(answer))
                try:
                    child = services.child_create(by=request.user, **data)
                except RecordError as error:
                    add_error(form, error, FORM_FIELD)
                else:
                    draft_finished(request)
                    messages.success(request, f"Record created for {child.full_name}, "
                                              f"LA child ID {child.la_child_id}")
                    return redirect("frontdoor:contact_new", child.pk)
        else:
            choose = forms.ChooseChildForm(matches=matches, hidden=hidden is not None)
    return render(request, "frontdoor/find_child.html", {
        "form": form, "choose": choose, "matches": matches, "checked": checked,
        "hidden_match": hidden is not None,
        "errors": form.errors or (choose.errors if choose is not None else None)})


@login_required
def contact_pass(request: HttpRequest) -> HttpResponse:
    """Record a contact that may concern a restricted record the worker cannot see, and pass
    it to someone who can (frontdoor.services.contact_pass). The page names no one."""
    if not policy.allows(request.user, policy.RECORD):
        policy.refuse(request.user, request.path, message="No front door for this role")
    held = request.session.get(HIDDEN_MATCH) or {}
    child = selectors.passed_child(held.get("child"))
    if child is None:
        return redirect("frontdoor:contact_find_child")
    form = forms.ContactForm(request.POST or None, initial={
        "received_on": timezone.localdate(), "consent_given_on": timezone.localdate(),
        "received_time": timezone.localtime().strftime("%H:%M")})
    if form.is_valid():
        try:
            services.contact_pass(child=child, described=held.get("described", ""),
                                  by=request.user, **form.service_arguments())
        except RecordError as error:
            add_error(form, error, FORM_FIELD)
        else:
            del request.session[HIDDEN_MATCH]
            messages.success(request, PASSED)
            return redirect("frontdoor:front_door")
    return render(request, "frontdoor/contact_pass.html", {
        "form": form, "described": held.get("described", "")})


@login_required
def contact_new(request: HttpRequest, child_id: int) -> HttpResponse:
    """Record a contact about a child already on Cairn."""
    child = recording_child(request, child_id)
    initial = {"received_on": timezone.localdate(), "consent_given_on": timezone.localdate(),
               "received_time": timezone.localtime().strftime("%H:%M")}
    form = forms.ContactForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            contact = services.contact_record(child=child, by=request.user,
                                              **form.service_arguments())
        except RecordError as error:
            add_error(form, error, FORM_FIELD)
        else:
            saved(request, f"Contact about {child.full_name} recorded: decide it within one "
                            "working day")
            return redirect("frontdoor:contact_decide", contact.pk)
    return render_child(request, child, "frontdoor/contact_new.html", form=form)


@login_required
def contact_decide(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The decision on one contact; a referral or strategy decision opens the referral."""
    contact = selectors.contact_for(request.user, contact_id, action=policy.RECORD,
                                     page=request.path)
    child = contact.child
    audit.viewed(request.user, child, request.path)
    now = timezone.localtime()
    form = forms.ContactDecisionForm(request.POST or None, initial={
        "decided_on": now.date(), "decided_time": now.strftime("%H:%M"),
        "version": contact.version})
    if form.is_valid():
        data = form.cleaned_data
        try:
            contact, referral = services.contact_decision_record(
                contact=contact, decision=data["decision"], decided_at=data["decided_at"],
                by=request.user, reason=data["reason"], primary_need=data["primary_need"],
                team=data["team"], expected_version=data["version"],
                early_help_team=data["early_help_team"])
        except StaleRecord as error:
            contact = selectors.contact_for(request.user, contact_id, action=policy.RECORD, page=request.path)
            show_conflict(form, contact, error)
        except RecordError as error:
            add_error(form, error, FORM_FIELD)
            contact = selectors.contact_for(request.user, contact_id, action=policy.RECORD,
                                            page=request.path)
        else:
            saved(request, f"Decision recorded: {contact.get_decision_display().lower()}")
            return redirect("frontdoor:contact_decide", contact.pk)
    next_step = None
    if contact.decision == ContactDecision.STRATEGY_DISCUSSION:
        next_step = ("Record the strategy discussion", strategy_discussion_url(child))
    elif contact.decision == ContactDecision.EARLY_HELP and policy.allows(request.user,
                                                                          policy.ALLOCATE):
        # The early help team's manager allocates a practitioner, who starts the early help.
        next_step = ("Allocate an early help practitioner",
                     reverse("frontdoor:early_help_allocate", args=[child.pk]))
    referral = contact.referrals.current().first()
    history = selectors.history_of_concern(contact)
    return render_child(request, child, "frontdoor/contact_decide.html", form=form,
                         contact=contact, next_step=next_step, referral=referral,
                         history=history, decision_time=selectors.decision_time(contact),
                         referral_row=next((r for r in history.referrals
                                            if referral and r.referral.pk == referral.pk),
                                           None),
                         confirm_consent=selectors.consent_to_confirm(contact, request.user))


@login_required
def consent_seen(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The manager named as dispensing with consent confirms it from their tray."""
    contact = selectors.contact_for(request.user, contact_id, page=request.path)
    if request.method == "POST":
        try:
            services.consent_dispensal_seen(contact=contact, by=request.user,
                                            seen_at=timezone.now())
        except RecordError as error:
            messages.error(request, error.message)
        else:
            saved(request, "Confirmed: you dispensed with consent")
    return redirect("frontdoor:contact_decide", contact.pk)


@login_required
def referral_nfa(request: HttpRequest, referral_id: int) -> HttpResponse:
    """End a referral with no further action, saying why (F20, CIN ReferralNFA)."""
    referral = selectors.referral_for(request.user, referral_id, page=request.path)
    child = referral.child
    audit.viewed(request.user, child, request.path)
    form = forms.ReferralNfaForm(request.POST or None, initial={
        "closed_on": timezone.localdate(), "version": referral.version})
    if referral.closed_on is None and form.is_valid():
        data = form.cleaned_data
        try:
            services.referral_end_nfa(referral=referral, closed_on=data["closed_on"],
                                      reason=data["reason"], by=request.user,
                                      expected_version=data["version"])
        except StaleRecord as error:
            referral = selectors.referral_for(request.user, referral_id, page=request.path)
            show_conflict(form, referral, error)
        except RecordError as error:
            add_error(form, error, FORM_FIELD)
        else:
            saved(request, "Referral ended with no further action")
            return redirect("child", child.pk)
    return render_child(request, child, "frontdoor/referral_nfa.html", form=form,
                        referral=referral)


@login_required
def contact_people(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The people a contact names (parents, carers, the household), checked against everyone
    Cairn holds, adults as well as children, so no one is added twice; a person found can be
    linked to the child as their mother, grandparent, carer... (people.services)."""
    contact = selectors.contact_for(request.user, contact_id, action=policy.RECORD,
                                     page=request.path)
    child = contact.child
    audit.viewed(request.user, child, request.path)
    find = forms.FindPersonForm(request.GET if "given_name" in request.GET else None)
    matches, checked, link = [], False, None
    if find.is_valid():
        data = find.cleaned_data
        matches = casework_selectors.possible_duplicates(
            given_name=data["given_name"], family_name=data["family_name"],
            birth_date=data["birth_date"], postcode=data["postcode"], viewer=request.user,
            kind=matching.ANYONE)
        checked = True
        # Only the people the check offered can be chosen, so a restricted person the worker
        # may not see can never be linked (or named) from here.
        link = forms.LinkPersonForm(request.POST or None, matches=matches, child=child)
        if request.method == "POST" and link.is_valid():
            person, kind = link.cleaned_data["person"], link.cleaned_data["kind"]
            try:
                relationship = casework_services.relationship_add(
                    child=child, person=person, kind=kind, by=request.user)
            except RecordError as error:
                add_error(link, error)
            else:
                messages.success(request, f"{person.full_name} linked to {child.full_name} as "
                                          f"{relationship.get_kind_display().lower()}")
                return redirect(request.get_full_path())
    form = link if link is not None and link.errors else find
    return render_child(request, child, "frontdoor/contact_people.html", form=form, find=find,
                        link=link, contact=contact, matches=matches, checked=checked)


@login_required
def early_help(request: HttpRequest, child_id: int) -> HttpResponse:
    """A child's early help: episodes, assessments, plans, reviews and step decisions (F36)."""
    child = policy.child_for(request.user, child_id, page=request.path)
    audit.viewed(request.user, child, request.path)
    return render_child(request, child, "frontdoor/early_help.html", tab="early_help",
                         episodes=selectors.early_help_of(child),
                         steps=selectors.step_decisions_of(child),
                         contacts=selectors.contacts_of(child))


def _child_form(request, child, form, template: str, **context) -> HttpResponse:
    return render_child(request, child, template, form=form, **context)


@login_required
def early_help_start(request: HttpRequest, child_id: int) -> HttpResponse:
    child = recording_child(request, child_id)
    form = forms.EarlyHelpStartForm(request.POST or None)
    if form.is_valid():
        try:
            services.early_help_start(child=child, by=request.user,
                                      worker=selectors_early_help.practitioner(child, request.user),
                                      **form.cleaned_data)
        except RecordError as error:
            add_error(form, error, FORM_FIELD)
        else:
            saved(request, "Early help started")
            return redirect("frontdoor:early_help", child.pk)
    return _child_form(request, child, form, "frontdoor/form.html",
                       heading="Start early help", button="Start early help")


@login_required
def early_help_assessment_new(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = selectors.episode_for(request.user, episode_id, page=request.path)
    audit.viewed(request.user, episode.child, request.path)
    form = forms.EarlyHelpAssessmentForm(request.POST or None,
                                         initial={"organisation": episode.organisation})
    if form.is_valid():
        try:
            services.early_help_assessment_record(child=episode.child, episode=episode,
                                                  by=request.user, **form.cleaned_data)
        except RecordError as error:
            add_error(form, error, FORM_FIELD)
        else:
            saved(request, "Early help assessment recorded")
            return redirect("frontdoor:early_help", episode.child_id)
    return _child_form(request, episode.child, form, "frontdoor/form.html",
                       heading="Record an early help assessment", button="Save assessment")


@login_required
def early_help_plan_new(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = selectors.episode_for(request.user, episode_id, page=request.path)
    audit.viewed(request.user, episode.child, request.path)
    form = forms.EarlyHelpPlanForm(request.POST or None)
    if not form.adding and form.is_valid():
        try:
            services.early_help_plan_record(episode=episode, by=request.user,
                                            **form.service_arguments())
        except RecordError as error:
            add_error(form, error, FORM_FIELD)
        else:
            saved(request, "Early help plan recorded")
            return redirect("frontdoor:early_help", episode.child_id)
    return _child_form(request, episode.child, form, "frontdoor/early_help_plan.html",
                       heading="Record the early help plan", episode=episode)


@login_required
def early_help_need_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Add a need to an early help plan already agreed."""
    plan = selectors.plan_for(request.user, plan_id, page=request.path)
    audit.viewed(request.user, plan.child, request.path)
    form = forms.EarlyHelpNeedForm(request.POST or None)
    if form.is_valid():
        try:
            services.early_help_plan_need_add(plan=plan, item=form.item(), by=request.user)
        except RecordError as error:
            add_error(form, error, FORM_FIELD)
        else:
            saved(request, "Need added to the early help plan")
            return redirect("frontdoor:early_help", plan.child_id)
    return _child_form(request, plan.child, form, "frontdoor/early_help_need.html",
                       heading="Add a need to the early help plan", button="Add need")


@login_required
def early_help_review_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, plan_id, page=request.path)
    audit.viewed(request.user, plan.child, request.path)
    form = forms.EarlyHelpReviewForm(request.POST or None,
                                     needs=services.needs_to_review(plan, None))
    if form.is_valid():
        try:
            services.early_help_review_record(plan=plan, by=request.user,
                                              **form.service_arguments())
        except RecordError as error:
            add_error(form, error, FORM_FIELD)
        else:
            saved(request, "Early help review recorded")
            return redirect("frontdoor:early_help", plan.child_id)
    return _child_form(request, plan.child, form, "frontdoor/early_help_review.html",
                       heading="Record a review of the early help plan", plan=plan)


@login_required
def step_request(request: HttpRequest, child_id: int) -> HttpResponse:
    """Ask for a step up to social care or down to early help (F20)."""
    child = recording_child(request, child_id)
    form = forms.StepRequestForm(request.POST or None)
    if form.is_valid():
        up = form.cleaned_data["direction"] == "up"
        try:
            services.step_decision_request(
                child=child, requested_at=timezone.now(), by=request.user,
                early_help_episode=selectors.open_early_help(child) if up else None,
                referral=None if up else selectors.open_referral(child), **form.cleaned_data)
        except RecordError as error:
            add_error(form, error, FORM_FIELD)
        else:
            saved(request, "Step asked for: a manager must now authorise it")
            return redirect("frontdoor:early_help", child.pk)
    return _child_form(request, child, form, "frontdoor/form.html",
                       heading="Ask to step up or step down", button="Ask for authorisation")


@login_required
def step_decide(request: HttpRequest, step_id: int) -> HttpResponse:
    """A manager authorises or declines a step up or down, with their rationale (F20)."""
    step = selectors.step_decision_for(request.user, step_id, page=request.path)
    child = step.child
    audit.viewed(request.user, child, request.path)
    may_decide = policy.can(request.user, policy.AUTHORISE, child)
    form = forms.StepDecideForm(request.POST or None, initial={"version": step.version})
    if request.method == "POST" and not may_decide:
        policy.refuse(request.user, request.path, child_id=child.pk,
                      message="No such step decision")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["outcome"] == forms.StepDecideForm.AUTHORISE:
                services.step_decision_authorise(step=step, authorised_at=timezone.now(),
                                                 by=request.user, reason=data["reason"],
                                                 expected_version=data["version"],
                                                 team=data["team"])
            else:
                services.step_decision_decline(step=step, declined_at=timezone.now(),
                                               by=request.user, reason=data["reason"],
                                               expected_version=data["version"])
        except StaleRecord as error:
            step = selectors.step_decision_for(request.user, step_id, page=request.path)
            show_conflict(form, step, error)
        except RecordError as error:
            add_error(form, error, FORM_FIELD)
            step = selectors.step_decision_for(request.user, step_id, page=request.path)
        else:
            saved(request, f"Step {'authorised' if step.authorised_at else 'declined'}")
            if not policy.can(request.user, policy.VIEW, child):
                # Stepped up from early help to another team: the child is theirs now.
                return redirect("/")
            return redirect("frontdoor:step_decide", step.pk)
    return render_child(request, child, "frontdoor/step_decide.html", form=form, step=step,
                         may_decide=may_decide and step.status == "Awaiting authorisation"
                         and step.requested_by_id != request.user.pk)
