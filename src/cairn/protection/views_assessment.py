"""Pages to record referrals, single assessments and their authorisation, and child in need
plans with their needs, reviews and visits."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from cairn.access import policy
from cairn.casework.recording import (
    add_error,
    record_page,
    recording_child,
    render_child,
    saved,
    show_conflict,
)
from cairn.core import audit
from cairn.core.errors import RecordError, StaleRecord
from cairn.core.selectors import attach_actions
from cairn.frontdoor import services as frontdoor_services

from . import selectors_assessment as selectors
from . import selectors_protection, services, services_assessment
from .forms import ChildsWordsForm
from .forms_assessment import (
    FACTOR_GROUPS,
    AssessmentForm,
    AssessmentStartForm,
    CINPlanEndForm,
    CINPlanReviewForm,
    CINPlanStartForm,
    CINVisitForm,
    DecisionForm,
    PlanNeedForm,
    PlanNeedReviewForm,
    ReferralForm,
)
from .models import AssessmentFactor, Visit


def _page(request, child, template: str, **context) -> HttpResponse:
    return render_child(request, child, template, tab="summary", **context)


def _apply(form, call):
    """Run a service; a RecordError lands on its field (or the summary). True when saved."""
    try:
        call()
    except RecordError as error:
        add_error(form, error)
        return False
    return True


def _saved(request, message: str, to):
    saved(request, message)
    return redirect(*to) if isinstance(to, tuple) else redirect(to)


# Referrals


@login_required
def referral_add(request: HttpRequest, child_id: int) -> HttpResponse:
    """Record a referral from the child's record, prefilled from a contact when there is one."""
    child = recording_child(request, child_id)
    contact = selectors.contact_for(child, request.GET.get("contact") or
                                    request.POST.get("contact"))
    initial = {}
    if contact is not None:
        initial = {"source": contact.source,
                   "received_on": timezone.localtime(contact.received_at).date()}
    form = ReferralForm(request.POST or None, initial=initial)
    if form.is_valid() and _apply(form, lambda: frontdoor_services.referral_record(
            child=child, by=request.user, contact=contact, **form.cleaned_data)):
        return _saved(request, "Referral recorded", ("protection_child_work", child.pk))
    return _page(request, child, "protection/assessment_referral.html", form=form,
                 contact=contact)


# Assessments


@login_required
def child_work(request: HttpRequest, child_id: int) -> HttpResponse:
    """The child's referrals, assessments and child in need plans, with what to do next."""
    child = policy.child_for(request.user, child_id, page=request.path)
    audit.viewed(request.user, child, request.path)
    return _page(request, child, "protection/assessment_child_work.html",
                 referrals=selectors.referrals(child), **selectors.child_work(child),
                 can_authorise=policy.allows(request.user, policy.AUTHORISE))


@login_required
def assessment_start(request: HttpRequest, child_id: int) -> HttpResponse:
    child = recording_child(request, child_id)
    referrals = list(selectors.open_referrals(child))
    initial = {"referral": referrals[0].pk} if len(referrals) == 1 else {}
    form = AssessmentStartForm(request.POST or None, referrals=referrals, initial=initial)
    if form.is_valid():
        result = {}
        if _apply(form, lambda: result.setdefault("a", services.assessment_start(
                by=request.user, **form.cleaned_data))):
            return _saved(request, "Assessment started", ("assessment", result["a"].pk))
    return _page(request, child, "protection/assessment_start.html", form=form,
                 referrals=referrals)


def _assessment_initial(assessment) -> dict:
    return {"version": assessment.version, "childs_words": assessment.childs_words,
            "worries": assessment.worries, "working_well": assessment.working_well,
            "needs_to_happen": assessment.needs_to_happen,
            "safety_scale": ("" if assessment.safety_scale is None
                             else str(assessment.safety_scale)),
            "child_seen_on": assessment.child_seen_on,
            "factors": selectors.factor_codes(assessment),
            "further_action": {True: "yes", False: "no"}.get(assessment.further_action)}


def _versions(assessment) -> dict:
    """The versions a page lists, and the numbers it may link (only those that open)."""
    versions = selectors.assessment_versions(assessment)
    return {"versions": versions, "openable": {v.number for v in versions}}


@login_required
def assessment(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The assessment: the worker writes it, saves it as a draft and submits it; once with a
    manager or authorised it is shown, not edited."""
    assessment = selectors.assessment_for(request.user, assessment_id, action=policy.VIEW,
                                          page=request.path)
    child = assessment.child
    audit.viewed(request.user, child, request.path)
    editable = assessment.submitted_on is None and assessment.authorised_on is None
    conflict = False
    submitting = request.POST.get("action") == "submit"
    form = AssessmentForm(request.POST or None, initial=_assessment_initial(assessment),
                          submitting=submitting)
    if request.method == "POST":
        # Writing needs RECORD on this child: a viewer who may only look gets the 404.
        policy.child_for(request.user, child.pk, action=policy.RECORD, page=request.path)
        if not editable:
            form.is_valid()
            form.add_error(None, "This assessment is with a manager or authorised, so it can "
                                 "no longer be changed here")
        elif form.is_valid():
            data = form.cleaned_data
            fields = {name: data[name] for name in services_assessment.PRACTICE_FIELDS}
            try:
                if submitting:
                    services.assessment_submit(
                        assessment=assessment, by=request.user, factors=data["factors"],
                        submitted_on=data["submitted_on"],
                        expected_version=data["version"], **fields)
                else:
                    services_assessment.assessment_save(
                        assessment=assessment, by=request.user, factors=data["factors"],
                        expected_version=data["version"], **fields)
            except StaleRecord as error:
                fresh = selectors.assessment_for(request.user, assessment_id,
                                                 action=policy.RECORD, page=request.path)
                show_conflict(form, fresh, error)
                assessment, conflict = fresh, True
            except RecordError as error:
                form.add_error(error.field if error.field in form.fields else None,
                               error.message)
            else:
                if submitting:
                    return _saved(request, "Assessment submitted to a manager",
                                  ("assessment", assessment.pk))
                return _saved(request, "Assessment saved as a draft",
                              ("assessment", assessment.pk))
    return _page(request, child, "protection/assessment_form.html", form=form,
                 assessment=assessment, editable=editable, conflict=conflict,
                 can_record=policy.can(request.user, policy.RECORD, child),
                 can_authorise=policy.can(request.user, policy.AUTHORISE, child),
                 factor_groups=FACTOR_GROUPS, clock=selectors.assessment_clock(assessment),
                 decisions=selectors.decisions(assessment),
                 **_versions(assessment),
                 factors=assessment.factors.current().order_by("code"),
                 factor_labels=dict(AssessmentFactor._meta.get_field("code").choices))


@login_required
def assessment_version(request: HttpRequest, assessment_id: int, number: int) -> HttpResponse:
    """One version of an assessment as it was saved: what a manager read and returned, with
    their comments, or what they authorised."""
    assessment = selectors.assessment_for(request.user, assessment_id, action=policy.VIEW,
                                          page=request.path)
    audit.viewed(request.user, assessment.child, request.path)
    versions = selectors.assessment_versions(assessment)
    version = next((v for v in versions if v.number == number), None)
    if version is None:  # a number the page never offered: nothing is kept under it
        raise Http404("This assessment has no such version")
    return _page(request, assessment.child, "protection/assessment_version.html",
                 assessment=version.assessment, version=version, versions=versions,
                 number=number, factors=version.factors, decisions=version.decisions,
                 current=assessment)


@login_required
def assessment_decide(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """A manager authorises a submitted assessment or returns it with comments."""
    assessment = selectors.assessment_for(request.user, assessment_id,
                                          action=policy.AUTHORISE, page=request.path)
    child = assessment.child
    audit.viewed(request.user, child, request.path)
    form = DecisionForm(request.POST or None, initial={"version": assessment.version},
                        due_on=services.assessment_due_on(assessment))
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["outcome"] == "authorise":
                services.assessment_authorise(
                    assessment=assessment, by=request.user, comments=data["comments"],
                    authorised_on=data["authorised_on"] or timezone.localdate(),
                    reason_late=data["reason_late"], expected_version=data["version"])
            else:
                services.assessment_return(assessment=assessment, by=request.user,
                                           comments=data["comments"],
                                           expected_version=data["version"])
        except StaleRecord as error:
            fresh = selectors.assessment_for(request.user, assessment_id,
                                             action=policy.AUTHORISE, page=request.path)
            show_conflict(form, fresh, error)
            assessment = fresh
        except RecordError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            done = ("Assessment authorised" if data["outcome"] == "authorise"
                    else "Assessment returned to the worker")
            return _saved(request, done, "authorisations")
    return _page(request, child, "protection/assessment_decide.html", form=form,
                 assessment=assessment, clock=selectors.assessment_clock(assessment),
                 decisions=selectors.decisions(assessment), **_versions(assessment),
                 factors=assessment.factors.current().order_by("code"))


# Child in need plans


@login_required
def cin_plan_start(request: HttpRequest, child_id: int) -> HttpResponse:
    child = recording_child(request, child_id)
    referrals = list(selectors.open_referrals(child))
    initial = {"referral": referrals[0].pk} if len(referrals) == 1 else {}
    form = CINPlanStartForm(request.POST or None, referrals=referrals, initial=initial)
    if form.is_valid():
        result = {}
        if _apply(form, lambda: result.setdefault("p", services.cin_plan_start(
                by=request.user, **form.cleaned_data))):
            return _saved(request, "Child in need plan started", ("cin_plan", result["p"].pk))
    return _page(request, child, "protection/cin_plan_start.html", form=form,
                 referrals=referrals)


@login_required
def cin_plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    """A child in need plan: its needs (outcome, actions, owner, timescale), visits and end."""
    plan = selectors.cin_plan_for(request.user, plan_id, page=request.path,
                                  action=policy.VIEW)
    audit.viewed(request.user, plan.child, request.path)
    end_form = CINPlanEndForm(request.POST or None, initial={"version": plan.version})
    if request.method == "POST":
        policy.child_for(request.user, plan.child_id, action=policy.RECORD, page=request.path)
        if end_form.is_valid():
            data = end_form.cleaned_data
            try:
                services.cin_plan_end(plan=plan, ended_on=data["ended_on"], by=request.user,
                                      expected_version=data["version"])
            except StaleRecord as error:
                plan = selectors.cin_plan_for(request.user, plan_id, page=request.path)
                show_conflict(end_form, plan, error)
            except RecordError as error:
                end_form.add_error(error.field if error.field in end_form.fields else None,
                                   error.message)
            else:
                return _saved(request, "Child in need plan ended", ("cin_plan", plan.pk))
    return _page(request, plan.child, "protection/cin_plan_detail.html", plan=plan,
                 form=end_form, needs=attach_actions(plan.needs.current().order_by("pk")),
                 visits=plan.visits.current().order_by("-visited_on"),
                 reviews=plan.reviews.current().order_by("-held_on", "-pk"),
                 next_review=selectors.next_cin_review(plan),
                 can_record=policy.can(request.user, policy.RECORD, plan.child))


@login_required
def cin_plan_review_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    """A dated review of a child in need plan; the page says when it was due."""
    plan = selectors.cin_plan_for(request.user, plan_id, page=request.path)
    audit.viewed(request.user, plan.child, request.path)
    form = CINPlanReviewForm(request.POST or None)
    due = selectors.next_cin_review(plan)
    plan_url = reverse("cin_plan", args=[plan.pk])
    return record_page(
        request, plan.child, form, title="Record a child in need plan review",
        button="Save review", success="Review of the plan recorded", done=plan_url + "#reviews",
        cancel_url=plan_url,
        save=lambda data: services_assessment.cin_plan_review_record(plan=plan, by=request.user,
                                                                     **data),
        about=[("Plan started", plan.started_on.strftime("%-d %B %Y")),
               ("Review due by", due.due_on.strftime("%-d %B %Y") if due else "None due")],
        intro="Review each need from the plan as well: its outcome, and its actions done or "
              "still to do.")


def _words_page(request, plan, *, back: str) -> HttpResponse:
    form = ChildsWordsForm(request.POST or None, initial={"version": plan.version,
                                                          "childs_words": plan.childs_words})
    return record_page(
        request, plan.child, form, title="The child's own words on the plan",
        button="Save the child's words", success="The child's words recorded",
        done=back + "#childs-words", cancel_url=back, versioned=plan,
        save=lambda data: services_assessment.plan_childs_words_record(
            plan=plan, childs_words=data["childs_words"], by=request.user,
            expected_version=data["version"]),
        intro="A plan is written with the child: what they said about their life and what "
              "they want to happen, in their own words.")


@login_required
def cin_plan_childs_words(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.cin_plan_for(request.user, plan_id, page=request.path)
    audit.viewed(request.user, plan.child, request.path)
    return _words_page(request, plan, back=reverse("cin_plan", args=[plan.pk]))


@login_required
def cp_plan_childs_words(request: HttpRequest, child_id: int, plan_id: int) -> HttpResponse:
    child = recording_child(request, child_id)
    plan = selectors_protection.plan_for(child, plan_id, staff=request.user, page=request.path)
    plan.child = child
    return _words_page(request, plan, back=reverse("cp_plan", args=[child.pk, plan.pk]))


@login_required
def plan_need_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.cin_plan_for(request.user, plan_id, page=request.path)
    audit.viewed(request.user, plan.child, request.path)
    form = PlanNeedForm(request.POST or None)
    if form.is_valid() and _apply(form, lambda: services_assessment.plan_need_add(
            plan=plan, by=request.user, **form.service_arguments())):
        return _saved(request, "Need added to the plan", ("cin_plan", plan.pk))
    return _page(request, plan.child, "protection/cin_plan_need.html", form=form, plan=plan)


@login_required
def plan_need_review(request: HttpRequest, plan_id: int, need_id: int) -> HttpResponse:
    """A child in need review of one need: progress, owner, timescale, met."""
    plan = selectors.cin_plan_for(request.user, plan_id, page=request.path)
    need = selectors.plan_need_for(plan, need_id, staff=request.user, page=request.path)
    audit.viewed(request.user, plan.child, request.path)
    initial = {name: getattr(need, name) for name in ("outcome", "met_on", "version")}
    form = PlanNeedReviewForm(request.POST or None, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services_assessment.plan_need_review(need=need, by=request.user,
                                                 expected_version=data["version"],
                                                 outcome=data["outcome"], met_on=data["met_on"])
        except StaleRecord as error:
            need = selectors.plan_need_for(plan, need_id, staff=request.user, page=request.path)
            show_conflict(form, need, error)
        except RecordError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return _saved(request, "Review of the need recorded", ("cin_plan", plan.pk))
    return _page(request, plan.child, "protection/cin_plan_need.html", form=form, plan=plan,
                 need=need)


@login_required
def cin_visit_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.cin_plan_for(request.user, plan_id, page=request.path)
    audit.viewed(request.user, plan.child, request.path)
    form = CINVisitForm(request.POST or None)
    if form.is_valid() and _apply(form, lambda: services.visit_record(
            child=plan.child, kind=Visit.Kind.CHILD_IN_NEED, cin_plan=plan, by=request.user,
            **form.cleaned_data)):
        return _saved(request, "Child in need visit recorded", ("cin_plan", plan.pk))
    return _page(request, plan.child, "protection/cin_plan_visit.html", form=form, plan=plan)
