"""Child protection pages: strategy discussions, section 47 enquiries, safety plans,
conferences, child protection plans with their needs, core groups, visits and their end.

Views are thin: the access policy finds the child (404 for anyone who may not record on it), the
services write and raise RecordError naming the field, and the one form template shows it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from cairn.access import policy
from cairn.casework.recording import record_page, render_child
from cairn.casework.recording import recording_child as child_for
from cairn.core import names
from cairn.workforce.models import Role

from . import forms, services
from . import selectors_protection as selectors
from .models import ChildProtectionConference, Section47Outcome, Visit

Kind = ChildProtectionConference.Kind
Outcome = ChildProtectionConference.Outcome


def _chair(user):
    return user if user.role == Role.IRO else None


def _record_url(child) -> str:
    return reverse("protection_record", args=[child.pk])


def _plan_url(plan) -> str:
    return reverse("cp_plan", args=[plan.child_id, plan.pk])


def _day(value) -> str:
    return f"{value:%-d %B %Y}" if value else "Not recorded"


@login_required
def protection_record(request: HttpRequest, child_id: int) -> HttpResponse:
    """A child's protection record: discussions, enquiries, safety plans, conferences, plans."""
    child = child_for(request, child_id, action=policy.VIEW)
    return render_child(request, child, "protection/protection_record.html", tab="protection",
                        can_record_child=policy.can(request.user, policy.RECORD, child),
                        bookings=selectors.bookings_for(child),
                        **selectors.protection_record(child))


@login_required
def strategy_discussion_add(request: HttpRequest, child_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    form = forms.StrategyDiscussionForm(request.POST or None)

    def save(data):
        # The discussion belongs to the referral open that day: the census reports the
        # enquiry, the conference and the plan inside that referral's episode, or not at all.
        return services.strategy_discussion_record(
            child=child, by=request.user, chaired_by=request.user,
            referral=selectors.referral_open_on(child, data["held_on"]),
            **form.service_arguments())

    return record_page(request, child, form, title="Record a strategy discussion",
                       button="Save strategy discussion", save=save,
                       done=lambda d: (reverse("section47_start", args=[child.pk])
                                       if d.s47_agreed else _record_url(child)),
                       success="Strategy discussion recorded", cancel_url=_record_url(child),
                       aliases={"agencies_present": "agency_0", "held_at": "held_time"},
                       template="protection/strategy_discussion.html")


@login_required
def section47_start(request: HttpRequest, child_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    discussions = list(selectors.discussions_awaiting_enquiry(child))
    if not discussions:
        # Without a discussion that agreed it, the form could never be sent: say what comes first.
        return render_child(request, child, "protection/section47_nothing_agreed.html")
    latest = discussions[0]
    # Prefilled from the record: the enquiry usually starts the day the discussion agreed it.
    initial = {"strategy_discussion": str(latest.pk), "started_on": latest.held_on}
    form = forms.Section47StartForm(request.POST or None, initial=initial,
                                    discussions=discussions)
    by_pk = {str(d.pk): d for d in discussions}

    def save(data):
        return services.section47_enquiry_start(
            strategy_discussion=by_pk[data["strategy_discussion"]],
            started_on=data["started_on"], by=request.user)

    return record_page(
        request, child, form, title="Start a section 47 enquiry", button="Start enquiry",
        save=save, done=_record_url(child), success="Section 47 enquiry started",
        cancel_url=_record_url(child))


@login_required
def section47_outcome(request: HttpRequest, child_id: int, enquiry_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    enquiry = selectors.enquiry_for(child, enquiry_id, staff=request.user, page=request.path)
    form = forms.Section47OutcomeForm(request.POST or None, initial={
        "version": enquiry.version, "completed_on": enquiry.completed_on,
        "outcome": enquiry.outcome or None})

    def save(data):
        return services.section47_enquiry_complete(
            enquiry=enquiry, completed_on=data["completed_on"], outcome=data["outcome"],
            by=request.user, expected_version=data["version"])

    def done(saved):
        if saved.outcome == Section47Outcome.ICPC:
            return reverse("safety_plan_add", args=[child.pk])
        return _record_url(child)

    return record_page(
        request, child, form, title="Record the outcome of the section 47 enquiry",
        button="Save outcome", save=save, done=done, success="Enquiry outcome recorded",
        versioned=enquiry,
        cancel_url=_record_url(child),
        about=[("Strategy discussion", _day(enquiry.strategy_discussion.held_on)),
               ("Enquiry started", _day(enquiry.started_on))])


@login_required
def safety_plan_add(request: HttpRequest, child_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    form = forms.SafetyPlanForm(request.POST or None)

    def save(data):
        return services.safety_plan_record(child=child, by=request.user, **data)

    return record_page(
        request, child, form, title="Record a safety plan", button="Save safety plan",
        save=save, done=_record_url(child), success="Safety plan recorded",
        cancel_url=_record_url(child),
        intro="When an enquiry finds risk, the safety plan agreed with the family and their "
              "network is recorded before the initial conference. A new safety plan replaces "
              "the one in force.")


@login_required
def safety_plan_print(request: HttpRequest, child_id: int, safety_plan_id: int) -> HttpResponse:
    """The safety plan on a page of its own, to print and give to the family and network."""
    child = child_for(request, child_id, action=policy.VIEW)
    plan = selectors.safety_plan_for(child, safety_plan_id, staff=request.user,
                                     page=request.path)
    # A page of its own, without the record's banner and tabs: it is printed for the family.
    return render(request, "protection/safety_plan_print.html", {
        "child": child, "plan": plan, "in_force": plan.in_force_on(timezone.localdate())})


@login_required
def safety_plan_end(request: HttpRequest, child_id: int, safety_plan_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    plan = selectors.safety_plan_for(child, safety_plan_id, staff=request.user,
                                     page=request.path)
    form = forms.SafetyPlanEndForm(request.POST or None, initial={"version": plan.version})

    def save(data):
        return services.safety_plan_end(plan=plan, ended_on=data["ended_on"],
                                        reason=data["reason"], by=request.user,
                                        expected_version=data["version"])

    return record_page(
        request, child, form, title="End the safety plan", button="End safety plan",
        save=save, done=_record_url(child), success="Safety plan ended",
        cancel_url=_record_url(child), versioned=plan,
        about=[("Agreed", _day(plan.made_on)), ("Safety goal", plan.safety_goal)])


@login_required
def initial_conference_add(request: HttpRequest, child_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    enquiries = list(selectors.enquiries_awaiting_conference(child))
    initial = {"section47": str(enquiries[0].pk)} if enquiries else {}
    form = forms.InitialConferenceForm(request.POST or None, initial=initial,
                                       enquiries=enquiries,
                                       due_on=selectors.next_due(child, names.ICPC))
    by_pk = {str(e.pk): e for e in enquiries}

    def save(data):
        conference = services.conference_record(
            kind=Kind.INITIAL, section47=by_pk[data["section47"]], held_on=data["held_on"],
            outcome=data["outcome"], reason_late=data["reason_late"],
            chaired_by=_chair(request.user), by=request.user)
        if data["outcome"] == Outcome.PLAN:
            return services.child_protection_plan_start(
                conference=conference, initial_category_of_abuse=data["category"],
                by=request.user)
        return conference

    return record_page(
        request, child, form, title="Record an initial child protection conference",
        button="Save conference", save=save,
        done=lambda saved: _plan_url(saved) if hasattr(saved, "initial_category_of_abuse")
        else _record_url(child),
        success="Initial child protection conference recorded", cancel_url=_record_url(child),
        aliases={"initial_category_of_abuse": "category", "started_on": "held_on",
                 "conference": "outcome"},
        intro="" if enquiries else "No section 47 enquiry is waiting for a conference.")


@login_required
def conference_chair_ask(request: HttpRequest, child_id: int) -> HttpResponse:
    """The worker (or manager) books a conference with the chair asked to chair it."""
    child = child_for(request, child_id)
    choices = selectors.conferences_to_book(child)
    by_key = {key: row for key, _label, row in choices}
    initial = {"conference": choices[0][0]} if len(choices) == 1 else {}
    form = forms.ChairForm(request.POST or None, initial=initial,
                           conferences=[(key, label) for key, label, _row in choices],
                           chairs=selectors.conference_chairs())

    def save(data):
        row = by_key[data["conference"]]
        initial_conference = data["conference"].startswith("s47-")
        return services.conference_chair_ask(
            child=child, chair=data["chair"], booked_for=data["booked_for"], by=request.user,
            section47=row if initial_conference else None,
            plan=None if initial_conference else row)

    return record_page(
        request, child, form, title="Ask a chair to chair a conference", button="Book conference",
        save=save, done=_record_url(child), success="Conference booked with the chair",
        cancel_url=_record_url(child),
        intro="The chair can open this record, and record the conference, from now until four "
              "weeks after the conference." if choices else
              "No section 47 enquiry is waiting for a conference, and there is no open plan "
              "to review.")


@login_required
def conferences_to_chair(request: HttpRequest) -> HttpResponse:
    """For a chair: the conferences they are asked to chair, with the way to record each."""
    policy.require_role(request.user, policy.RECORD)
    return render(request, "protection/conferences_to_chair.html",
                  {"bookings": selectors.conferences_to_chair(request.user)})


@login_required
def late_initial_conferences(request: HttpRequest) -> HttpResponse:
    """For managers: initial conferences held late in the last 12 months, with the reasons
    given (F18), for the children in their line (the whole authority for those who see it)."""
    policy.require_role(request.user, policy.SEE_TEAMS)
    today = timezone.localdate()
    since = today.replace(year=today.year - 1) if (today.month, today.day) != (2, 29) \
        else today.replace(year=today.year - 1, day=28)
    late, held = selectors.late_initial_conferences(request.user, since=since)
    return render(request, "protection/late_initial_conferences.html", {
        "late": late, "held": held, "since": since,
        "share": round(100 * len(late) / held) if held else 0})


@login_required
def cp_plan(request: HttpRequest, child_id: int, plan_id: int) -> HttpResponse:
    """A child protection plan: categories, needs (flagging any without outcome, actions,
    owner or timescale), conferences, core groups and visits."""
    child = child_for(request, child_id, action=policy.VIEW)
    plan = selectors.plan_for(child, plan_id, staff=request.user, page=request.path)
    record = selectors.plan_record(plan)
    return render_child(request, child, "protection/cp_plan.html", plan=plan,
                        incomplete=sum(1 for check in record["needs"] if check.missing),
                        can_record_child=policy.can(request.user, policy.RECORD, child),
                        review_due=selectors.next_due(child, names.REVIEW_CONFERENCE),
                        **record)


@login_required
def review_conference_add(request: HttpRequest, child_id: int, plan_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    plan = selectors.plan_for(child, plan_id, staff=request.user, page=request.path)
    form = forms.ReviewConferenceForm(request.POST or None,
                                      due_on=selectors.next_due(child, names.REVIEW_CONFERENCE))

    def save(data):
        conference = services.conference_record(
            kind=Kind.REVIEW, plan=plan, held_on=data["held_on"], outcome=data["outcome"],
            reason_late=data["reason_late"], chaired_by=_chair(request.user), by=request.user)
        if data["category"] and data["category"] != plan.latest_category_of_abuse:
            services.plan_category_change_record(plan=plan, changed_on=data["held_on"],
                                                 category=data["category"], by=request.user,
                                                 reason="Decided at the review conference")
        if data["outcome"] == Outcome.PLAN_ENDS:
            services.child_protection_plan_end(plan=plan, ended_on=data["held_on"],
                                               end_reason=data["end_reason"], by=request.user)
        return conference

    return record_page(
        request, child, form, title="Record a review child protection conference",
        button="Save review", save=save, done=_plan_url(plan),
        success="Review conference recorded", cancel_url=_plan_url(plan),
        aliases={"changed_on": "held_on", "ended_on": "held_on", "plan": "held_on"},
        about=[("Plan started", _day(plan.started_on)),
               ("Category of abuse", plan.get_initial_category_of_abuse_display())])


@login_required
def plan_need_add(request: HttpRequest, child_id: int, plan_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    plan = selectors.plan_for(child, plan_id, staff=request.user, page=request.path)
    form = forms.PlanNeedForm(request.POST or None)

    def save(data):
        return services.plan_need_record(plan=plan, by=request.user, **form.service_arguments())

    return record_page(
        request, child, form, title="Add a need to the plan", button="Save need", save=save,
        done=_plan_url(plan), success="Need added to the plan", cancel_url=_plan_url(plan),
        intro="Every need says what will be different for the child, and each action who is "
              "responsible and by when.")


@login_required
def core_group_add(request: HttpRequest, child_id: int, plan_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    plan = selectors.plan_for(child, plan_id, staff=request.user, page=request.path)
    form = forms.CoreGroupForm(request.POST or None)

    def save(data):
        return services.core_group_record(plan=plan, by=request.user, **data)

    return record_page(
        request, child, form, title="Record a core group meeting", button="Save meeting",
        save=save, done=_plan_url(plan), success="Core group meeting recorded",
        cancel_url=_plan_url(plan), about=[("Plan started", _day(plan.started_on))])


@login_required
def visit_add(request: HttpRequest, child_id: int, plan_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    plan = selectors.plan_for(child, plan_id, staff=request.user, page=request.path)
    form = forms.VisitForm(request.POST or None)

    def save(data):
        return services.visit_record(child=child, kind=Visit.Kind.CHILD_PROTECTION,
                                     protection_plan=plan, by=request.user, **data)

    return record_page(
        request, child, form, title="Record a child protection visit", button="Save visit",
        save=save, done=_plan_url(plan), success="Visit recorded", cancel_url=_plan_url(plan))


@login_required
def plan_end(request: HttpRequest, child_id: int, plan_id: int) -> HttpResponse:
    child = child_for(request, child_id)
    plan = selectors.plan_for(child, plan_id, staff=request.user, page=request.path)
    form = forms.PlanEndForm(request.POST or None, initial={"version": plan.version})

    def save(data):
        return services.child_protection_plan_end(
            plan=plan, ended_on=data["ended_on"], end_reason=data["end_reason"],
            by=request.user, expected_version=data["version"])

    return record_page(
        request, child, form, title="End the child protection plan", button="End plan",
        save=save, done=_plan_url(plan), success="Child protection plan ended",
        cancel_url=_plan_url(plan), about=[("Plan started", _day(plan.started_on))],
        versioned=plan)
