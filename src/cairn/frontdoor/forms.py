"""Forms at the front door: finding the child, a contact, its decision, early help and the
steps between early help and social care. Messages are GOV.UK's plain English."""

from __future__ import annotations

import re
from datetime import datetime, time

from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone

from cairn.access import policy
from cairn.casework.actions import action_fields
from cairn.core.forms import DateInputField, GovukForm, VersionedForm
from cairn.people.models import Person, Relationship, Sex
from cairn.workforce.models import Staff, Team

from . import selectors
from .models import (
    ConsentStatus,
    ContactDecision,
    ContactSource,
    NeedProgress,
    PrimaryNeed,
    StepDecision,
)
from .services import NEED_PARTS, OWNER_MESSAGE

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")
POLICE_NOTIFICATION = "yes"
OUT_OF_HOURS_SERVICE = "yes"


def _moment(day, typed: str):
    """A date and a typed 24-hour time as an aware moment; noon when the time is not known."""
    hours, minutes = 12, 0
    if typed:
        match = _TIME.match(typed)
        hours, minutes = int(match.group(1)), int(match.group(2))
    return timezone.make_aware(datetime.combine(day, time(hours, minutes)))


def _clean_time(value: str) -> str:
    value = (value or "").strip()
    if value:
        match = _TIME.match(value)
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            raise forms.ValidationError("Enter the time as hours and minutes, for example 14:30")
    return value


def managers() -> forms.ModelChoiceField:
    """Staff who may dispense with consent: managers with the AUTHORISE action (F16)."""
    roles = [role for role, actions in policy.ROLE_ACTIONS.items()
             if policy.AUTHORISE in actions]
    return forms.ModelChoiceField(
        label="Which manager dispensed with consent?", required=False,
        queryset=Staff.objects.filter(role__in=roles, is_active=True)
        .order_by("last_name", "first_name"),
        empty_label="Choose a manager",
        help_text="Only if consent was dispensed with")


class FindChildForm(GovukForm):
    """Who the contact is about: checked against the records Cairn holds before a new one."""

    given_name = forms.CharField(label="First name", max_length=100,
                                 error_messages={"required": "Enter the child's first name"})
    family_name = forms.CharField(label="Last name", max_length=100,
                                  error_messages={"required": "Enter the child's last name"})
    birth_date = DateInputField(label="Date of birth", past_only=True, required=False,
                                help_text="If known. For example, 27 3 2019")
    address_line1 = forms.CharField(label="Address line 1", max_length=120, required=False)
    postcode = forms.CharField(label="Postcode", max_length=8, required=False)
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, required=False)


class FindPersonForm(GovukForm):
    """A parent, carer or household member named in a contact, checked against everyone Cairn
    holds before anyone adds them again."""

    given_name = forms.CharField(label="First name", max_length=100,
                                 error_messages={"required": "Enter the person's first name"})
    family_name = forms.CharField(label="Last name", max_length=100,
                                  error_messages={"required": "Enter the person's last name"})
    birth_date = DateInputField(label="Date of birth", past_only=True, required=False,
                                help_text="If known. For example, 2 7 1998")
    postcode = forms.CharField(label="Postcode", max_length=8, required=False)


class LinkPersonForm(GovukForm):
    """Link a person the check found to the contact's child, naming how they are related."""

    person = forms.ChoiceField(label="Who is related to the child?")
    kind = forms.ChoiceField(label="Their relationship to the child")

    def __init__(self, *args, matches=(), child, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(m.person.pk): m.person for m in matches if m.person.pk != child.pk}
        person, kind = self.fields["person"], self.fields["kind"]
        person.label = f"Who is related to {child.full_name}?"
        person.error_messages["required"] = (f"Select the person to link to "
                                             f"{child.full_name}")
        person.error_messages["invalid_choice"] = "Select one of the people the check found"
        person.choices = [(pk, _described(p)) for pk, p in self.people.items()]
        kind.label = f"Their relationship to {child.full_name}"
        kind.error_messages["required"] = (f"Choose how they are related to "
                                           f"{child.full_name}")
        kind.choices = [("", "Choose the relationship"), *Relationship.Kind.choices]

    def clean_person(self) -> Person:
        return self.people[self.cleaned_data["person"]]


def _described(person: Person) -> str:
    """A person as the worker tells them apart: name, date of birth, record."""
    born = f", born {person.birth_date:%-d %b %Y}" if person.birth_date else ""
    record = f", LA child ID {person.la_child_id}" if person.is_child else ""
    return f"{person.full_name}{born}{record}"


class ChooseChildForm(GovukForm):
    """The worker's answer to the possible duplicates: one of them, or a new record; or, where
    a restricted record the worker cannot see may match (`hidden`), passing the contact to
    someone who can see it in place of a new record."""

    NEW = "new"
    PASS = "pass"
    choice = forms.ChoiceField(
        label="Is the child one of these?",
        error_messages={"required": "Select the child, or that none of these is the child",
                        "invalid_choice": "Select the child, or that none of these is the "
                                          "child"})

    def __init__(self, *args, matches=(), hidden: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        last = ((self.PASS, "None of these: pass the contact to someone who can see the "
                            "restricted record") if hidden
                else (self.NEW, "None of these: create a new record"))
        self.fields["choice"].choices = [
            *((str(m.child.pk), f"{m.child.full_name}, {m.child.la_child_id}") for m in matches),
            last]


def described(data: dict) -> str:
    """The child as the front door described them (FindChildForm's answers), in words."""
    parts = [f"{data['given_name']} {data['family_name']}".strip()]
    if data.get("birth_date"):
        parts.append(f"born {data['birth_date']:%-d %B %Y}")
    if data.get("postcode"):
        parts.append(f"postcode {data['postcode'].strip().upper()}")
    return ", ".join(parts)


class ContactForm(GovukForm):
    received_on = DateInputField(label="Date the contact was received", past_only=True,
                                 error_messages={"required": "Enter the date the contact was "
                                                             "received"})
    received_time = forms.CharField(label="Time received", required=False, max_length=5,
                                    help_text="24-hour clock, for example 14:30")
    caller_name = forms.CharField(label="Who made the contact?", max_length=150,
                                  error_messages={"required": "Enter who made the contact"})
    caller_relationship = forms.CharField(
        label="Their relationship to the child", max_length=100,
        help_text="For example, class teacher, grandmother, police officer",
        error_messages={"required": "Enter their relationship to the child"})
    police_notification = forms.MultipleChoiceField(
        label="Police domestic abuse notification", required=False,
        choices=[(POLICE_NOTIFICATION,
                  "This is a police domestic abuse notification (source 6, police)")])
    source = forms.ChoiceField(label="Source of the contact", required=False,
                               choices=[("", "Choose a source"), *ContactSource.choices])
    concerns = forms.CharField(label="What are they worried about?", widget=forms.Textarea,
                               error_messages={"required": "Enter what they are worried about"})
    household = forms.CharField(label="Who lives with the child?", widget=forms.Textarea,
                                required=False,
                                help_text="Adults and children in the household, if known")
    consent = forms.ChoiceField(
        label="Consent to share information and make enquiries", choices=ConsentStatus.choices,
        error_messages={"required": "Select whether consent was given, refused or dispensed "
                                    "with"})
    consent_given_by = forms.CharField(
        label="Who gave consent?", max_length=150, required=False,
        help_text="Only if consent was given. For example, the child's mother")
    consent_given_to = forms.CharField(
        label="Who did they give it to?", max_length=150, required=False,
        help_text="Only if consent was given. For example, the caller, or you")
    consent_given_on = DateInputField(label="Date consent was given", past_only=True,
                                      required=False,
                                      help_text="Only if consent was given")
    consent_dispensed_by = managers()
    consent_dispensed_reason = forms.CharField(
        label="Why was consent dispensed with?", widget=forms.Textarea, required=False,
        help_text="Only if consent was dispensed with")
    consent_dispensed_on = DateInputField(label="Date consent was dispensed with",
                                          past_only=True, required=False,
                                          help_text="Only if consent was dispensed with")
    out_of_hours_service = forms.MultipleChoiceField(
        label="Out of hours", required=False,
        choices=[(OUT_OF_HOURS_SERVICE, "This contact was taken by the out-of-hours service")],
        help_text="Contacts received in the evening, at night, at a weekend or on a bank "
                  "holiday are marked out of hours whatever you choose")
    overnight_action = forms.CharField(
        label="Action taken out of hours", widget=forms.Textarea, required=False,
        help_text="Only for a contact received out of hours: what the out-of-hours service "
                  "did, for the day team to pick up")

    def clean_received_time(self):
        return _clean_time(self.cleaned_data.get("received_time"))

    def clean(self):
        data = super().clean()
        if data.get("police_notification"):
            data["source"] = ContactSource.POLICE
        elif not data.get("source") and "source" not in self.errors:
            self.add_error("source", "Choose the source of the contact")
        if data.get("received_on") and "received_time" not in self.errors:
            data["received_at"] = _moment(data["received_on"], data.get("received_time", ""))
        # Consent given says who gave it, to whom and when; dispensed with says when.
        if data.get("consent") == ConsentStatus.GIVEN:
            for name, message in (("consent_given_by", "Enter who gave consent"),
                                  ("consent_given_to", "Enter who consent was given to"),
                                  ("consent_given_on", "Enter the date consent was given")):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        if (data.get("consent") == ConsentStatus.DISPENSED_WITH
                and not data.get("consent_dispensed_on")
                and "consent_dispensed_on" not in self.errors):
            self.add_error("consent_dispensed_on", "Enter the date consent was dispensed with")
        # F17: the day team picks up an out-of-hours contact from what was done overnight, so
        # the form asks for it. Like consent's details, the service leaves it optional for a
        # contact recorded elsewhere (an import, a hand-over) that may not know it.
        out_of_hours = data.get("out_of_hours_service") or (
            data.get("received_at") and selectors.out_of_hours(data["received_at"]))
        if (out_of_hours and not data.get("overnight_action", "").strip()
                and "overnight_action" not in self.errors):
            self.add_error("overnight_action", "Enter the action taken out of hours")
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return dict(
            received_at=data["received_at"], caller_name=data["caller_name"],
            caller_relationship=data["caller_relationship"], source=data["source"],
            domestic_abuse_notification=bool(data.get("police_notification")),
            concerns=data["concerns"], household=data.get("household", ""),
            consent=data["consent"], consent_dispensed_by=data.get("consent_dispensed_by"),
            consent_dispensed_reason=data.get("consent_dispensed_reason", ""),
            consent_dispensed_on=data.get("consent_dispensed_on"),
            consent_given_by=data.get("consent_given_by", ""),
            consent_given_to=data.get("consent_given_to", ""),
            consent_given_on=data.get("consent_given_on"),
            out_of_hours_service=bool(data.get("out_of_hours_service")),
            overnight_action=data.get("overnight_action", ""))


REFERRAL_TEAM_KINDS = [Team.Kind.ASSESSMENT, Team.Kind.CHILD_PROTECTION,
                       Team.Kind.DISABLED_CHILDREN, Team.Kind.CHILDREN_IN_CARE]


class ContactDecisionForm(VersionedForm):
    not_stored = ("decided_on", "decided_time")  # default to now, not to the stored contact
    decision = forms.ChoiceField(label="What is the decision?", choices=ContactDecision.choices,
                                 error_messages={"required": "Select the decision"})
    primary_need = forms.ChoiceField(
        label="Primary need", required=False,
        choices=[("", "Choose the primary need"), *PrimaryNeed.choices],
        help_text="For a referral or a strategy discussion")
    team = forms.ModelChoiceField(
        label="Team to pass the referral to", required=False,
        queryset=Team.objects.filter(manager__isnull=False, kind__in=REFERRAL_TEAM_KINDS),
        empty_label="Choose the team",
        help_text="For a referral or a strategy discussion, when no social worker is allocated: "
                  "the team manager holds the work until they allocate it")
    early_help_team = forms.ModelChoiceField(
        label="Early help team to pass the child to", required=False,
        queryset=Team.objects.filter(manager__isnull=False, kind=Team.Kind.EARLY_HELP),
        empty_label="Choose the early help team",
        help_text="For early help, when the child has no early help practitioner: the team "
                  "manager allocates one")
    reason = forms.CharField(label="Reason for the decision", widget=forms.Textarea,
                             required=False,
                             help_text="Required for no further action or information and advice")
    decided_on = DateInputField(label="Date of the decision", past_only=True,
                                error_messages={"required": "Enter the date of the decision"})
    decided_time = forms.CharField(label="Time of the decision", required=False, max_length=5,
                                   help_text="24-hour clock, for example 14:30")

    def clean_decided_time(self):
        return _clean_time(self.cleaned_data.get("decided_time"))

    def clean(self):
        data = super().clean()
        if data.get("decided_on") and "decided_time" not in self.errors:
            data["decided_at"] = _moment(data["decided_on"], data.get("decided_time", ""))
        return data


class EarlyHelpStartForm(GovukForm):
    started_on = DateInputField(label="Date early help started", past_only=True,
                                error_messages={"required": "Enter the date early help started"})
    organisation = forms.CharField(
        label="Lead organisation", max_length=150,
        help_text="For example, Family Hub North, Oak Primary School",
        error_messages={"required": "Enter the lead organisation"})
    reason = forms.CharField(label="Why is early help needed?", widget=forms.Textarea,
                             error_messages={"required": "Enter why early help is needed"})


class EarlyHelpAssessmentForm(GovukForm):
    started_on = DateInputField(label="Date the assessment started", past_only=True,
                                error_messages={"required": "Enter the date the assessment "
                                                            "started"})
    completed_on = DateInputField(label="Date the assessment was completed", past_only=True,
                                  required=False, help_text="If completed. For example, 27 3 2026")
    organisation = forms.CharField(label="Organisation completing the assessment",
                                   max_length=150,
                                   error_messages={"required": "Enter the organisation"})
    summary = forms.CharField(label="What the assessment found", widget=forms.Textarea,
                              error_messages={"required": "Enter what the assessment found"})


MAX_NEEDS = 20


def _need_fields(place: int) -> dict[str, forms.Field]:
    """One need's questions: the need, the outcome wanted, then its action (what, the member of
    staff or someone else responsible, by when) named with the need's place."""
    action = action_fields(f"_{place}", what_label="Actions", what_help="")
    action[f"due_on_{place}"] = DateInputField(label="By when", required=False)
    return {f"need_{place}": forms.CharField(label="What the family needs help with",
                                             required=False, widget=forms.Textarea),
            f"outcome_{place}": forms.CharField(label="Outcome wanted", required=False,
                                                widget=forms.Textarea),
            f"actions_{place}": action.pop(f"what_{place}"), **action}


NEED_FIELDS = ("need", "outcome", "actions", "owner", "owner_name", "due_on")


def _need_item(data: dict, place: int) -> dict:
    item = {part: (data.get(f"{part}_{place}") or "").strip()
            for part in ("need", "outcome", "actions", "owner_name")}
    return item | {"owner": data.get(f"owner_{place}"), "due_on": data.get(f"due_on_{place}"),
                   "place": place}


def _check_need(form, item: dict, place: int) -> None:
    """An error on each part of need `place` left unanswered."""
    n = place + 1
    for part, message in NEED_PARTS:
        if not item[part]:
            form.add_error(f"{part}_{place}", message.format(n=n))
    if item["owner"] is None and not item["owner_name"] and f"owner_name_{place}" not in \
            form.errors:
        form.add_error(f"owner_name_{place}", OWNER_MESSAGE.format(n=n))
    if item["due_on"] is None and f"due_on_{place}" not in form.errors:
        form.add_error(f"due_on_{place}", f"Enter the date need {n} should be met by")


class EarlyHelpNeedForm(GovukForm):
    """One more need for a plan already agreed, with the outcome wanted, the actions, who is
    responsible and by when (F19)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_need_fields(0))

    def fields_in_order(self) -> list:
        return [self[f"{part}_0"] for part in NEED_FIELDS]

    # The service checks the answers: its messages number the need as the plan will.
    def item(self) -> dict:
        return _need_item(self.cleaned_data, 0)


class EarlyHelpPlanForm(GovukForm):
    """The early help plan: the date agreed, then one or more needs, each with the outcome
    wanted, the actions, who is responsible and by when (F19). "Add another need" posts the
    form back with one more empty need, so it works without JavaScript; needs left wholly
    empty are ignored."""

    ADD = "add_need"

    started_on = DateInputField(label="Date the plan was agreed", past_only=True,
                                error_messages={"required": "Enter the date the plan was agreed"})
    needs = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_NEEDS)

    def __init__(self, data=None, *args, **kwargs):
        count = 1
        if data is not None:
            try:
                count = min(max(int(data.get("needs", 1)), 1), MAX_NEEDS)
            except (TypeError, ValueError):
                count = 1
            if self.ADD in data and count < MAX_NEEDS:
                data = data.copy()
                count += 1
                data["needs"] = str(count)
        super().__init__(data, *args, **kwargs)
        self.fields["needs"].initial = count
        self.count = count
        for place in range(count):
            self.fields.update(_need_fields(place))
        if data is not None and self.ADD in data:
            # Another need was asked for, not a save: show what was typed, and no errors yet.
            self._errors = ErrorDict()

    @property
    def can_add(self) -> bool:
        return self.count < MAX_NEEDS

    @property
    def adding(self) -> bool:
        return self.is_bound and self.ADD in self.data

    def need_groups(self) -> list[tuple[int, list]]:
        """Each need's number and its bound fields, in the order the page shows them."""
        return [(place + 1, [self[f"{part}_{place}"] for part in NEED_FIELDS])
                for place in range(self.count)]

    def clean(self):
        data = super().clean()
        needs, filled = [], False
        for place in range(self.count):
            item = _need_item(data, place)
            typed = (any(item[part] for part in ("need", "outcome", "actions", "owner_name",
                                                 "owner", "due_on"))
                     or f"due_on_{place}" in self.errors)
            if not typed:
                continue
            filled = True
            _check_need(self, item, place)
            needs.append(item)
        if not filled:
            self.add_error("need_0", "Enter at least one need, with its outcome, actions, who "
                                     "is responsible and by when")
        data["needs_list"] = needs
        return data

    def service_arguments(self) -> dict:
        return {"started_on": self.cleaned_data["started_on"],
                "needs": self.cleaned_data["needs_list"]}


class EarlyHelpReviewForm(GovukForm):
    """A review of the early help plan: how each need is going (met, progressing or not
    progressing, with a note), the overall progress and the next review (F19).

    `needs` is `services.needs_to_review(plan, None)`: each need's number and the need. A need
    added to the plan after the review was held may be left without a choice."""

    held_on = DateInputField(label="Date of the review", past_only=True,
                             error_messages={"required": "Enter the date of the review"})
    progress = forms.CharField(label="Overall progress against the plan", widget=forms.Textarea,
                               error_messages={"required": "Enter the progress made"})
    next_review_on = DateInputField(label="Date of the next review", required=False,
                                    help_text="If set. For example, 27 6 2026")

    def __init__(self, *args, needs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.needs = [(n, need) for n, need, _ in needs]
        for n, need in self.needs:
            self.fields[f"need_{need.pk}"] = forms.ChoiceField(
                label=f"Need {n}: {need.need}", choices=NeedProgress.choices, required=False,
                help_text=f"Outcome wanted: {need.outcome}")
            self.fields[f"need_{need.pk}_note"] = forms.CharField(
                label=f"What has changed for need {n} (optional)", widget=forms.Textarea,
                required=False)
        self.order_fields(["held_on", *(name for n, need in self.needs
                                        for name in (f"need_{need.pk}", f"need_{need.pk}_note")),
                           "progress", "next_review_on"])

    def need_groups(self) -> list[tuple]:
        """Each need's choice and note, in the plan's order."""
        return [(self[f"need_{need.pk}"], self[f"need_{need.pk}_note"])
                for _, need in self.needs]

    def clean(self):
        data = super().clean()
        held_on = data.get("held_on") or timezone.localdate()
        for n, need in self.needs:
            name = f"need_{need.pk}"
            added_on = timezone.localtime(need.recorded_at).date()
            if not data.get(name) and name not in self.errors and added_on <= held_on:
                self.add_error(name, f"Select how need {n} is going: met, progressing or not "
                                     f"progressing")
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"held_on": data["held_on"], "progress": data["progress"],
                "next_review_on": data.get("next_review_on"),
                "need_progress": {need.pk: {"status": data.get(f"need_{need.pk}", ""),
                                            "note": data.get(f"need_{need.pk}_note", "")}
                                  for _, need in self.needs if data.get(f"need_{need.pk}")}}


class StepRequestForm(GovukForm):
    direction = forms.ChoiceField(label="Which step?", choices=StepDecision.Direction.choices,
                                  error_messages={"required": "Select step up or step down"})
    rationale = forms.CharField(label="Why is this step right for the child?",
                                widget=forms.Textarea,
                                error_messages={"required": "Enter why this step is right"})
    early_help_organisation = forms.CharField(
        label="Organisation that will lead the early help", max_length=150, required=False,
        help_text="For a step down only. For example, Family Hub North")

    def clean(self):
        data = super().clean()
        if (data.get("direction") == StepDecision.Direction.STEP_DOWN
                and not data.get("early_help_organisation", "").strip()):
            self.add_error("early_help_organisation",
                           "Enter the organisation that will lead the early help")
        return data


class StepDecideForm(VersionedForm):
    AUTHORISE, DECLINE = "authorise", "decline"
    outcome = forms.ChoiceField(
        label="Your decision", choices=[(AUTHORISE, "Authorise the step"),
                                        (DECLINE, "Decline the step")],
        error_messages={"required": "Select authorise or decline"})
    team = forms.ModelChoiceField(
        label="Social care team to take the child", required=False,
        queryset=Team.objects.filter(manager__isnull=False, kind__in=REFERRAL_TEAM_KINDS),
        empty_label="Choose the team",
        help_text="For a step up: the team's manager holds the child until they allocate a "
                  "social worker")
    reason = forms.CharField(label="Your rationale", widget=forms.Textarea,
                             error_messages={"required": "Enter your rationale"})



class ReferralNfaForm(VersionedForm):
    """End a referral with no further action (CIN ReferralNFA), saying why (F20)."""

    not_stored = ("closed_on",)
    closed_on = DateInputField(label="Date of the decision", past_only=True,
                               error_messages={"required": "Enter the date of the decision"})
    reason = forms.CharField(label="Why does the referral need no further action?",
                             widget=forms.Textarea,
                             error_messages={"required": "Enter why the referral needs no "
                                                         "further action"})
