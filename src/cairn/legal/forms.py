"""Forms for pre-proceedings and care proceedings: PLO start, letter, meetings, reviews and end;
issue, hearings, directions, compliance, extensions and the final order."""

from __future__ import annotations

import re
from datetime import datetime, time

from django import forms
from django.utils import timezone

from cairn.casework.actions import StaffChoiceField, responsible_staff
from cairn.core.forms import DateInputField, GovukForm, VersionedForm, text, yes_no
from cairn.core.forms import date_question as date

from .models import (
    EMERGENCY_ORDERS,
    FINAL_ORDERS,
    INTERIM_ORDERS,
    MAX_EXTENSION_WEEKS,
    CareProceedings,
    Hearing,
    PreProceedings,
    PreProceedingsReview,
)


def _radios(label: str, choices, message: str):
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect,
                             error_messages={"required": message})


class PreProceedingsStartForm(GovukForm):
    started_on = date("Date of the legal gateway decision to enter pre-proceedings",
                      "Enter the date pre-proceedings started")
    letter_before_proceedings_on = DateInputField(
        label="Date the letter before proceedings was sent (if sent)", required=False,
        past_only=True)


class LetterForm(VersionedForm):
    letter_before_proceedings_on = date("Date the letter before proceedings was sent",
                                        "Enter the date the letter was sent")


class PreProceedingsMeetingForm(GovukForm):
    held_on = date("Date of the pre-proceedings meeting", "Enter the date of the meeting")
    attendees = text("Who attended", required=False)
    agreement = text("What the parents agreed to do", required=False)


class PreProceedingsReviewForm(GovukForm):
    held_on = date("Date of the review", "Enter the date of the review")
    attendees = text("Who attended", "Enter who attended the review",
                     help_text="Names and roles, for example the parents, their solicitor, "
                               "the social worker and the team manager")
    progress = text("Progress against the plan", "Enter the progress made")
    decision = _radios("Decision", PreProceedingsReview.Decision.choices, "Select the decision")


class PreProceedingsEndForm(VersionedForm):
    ended_on = date("Date pre-proceedings ended", "Enter the date pre-proceedings ended")
    outcome = _radios("Outcome", PreProceedings.Outcome.choices, "Select the outcome")


class ProceedingsIssueForm(GovukForm):
    issued_on = date("Date the application was issued", "Enter the date of issue")
    court = text("Court", "Enter the court", area=False, max_length=150)
    case_number = text("Case number", required=False, area=False, max_length=40)
    application = _radios("Application", CareProceedings.Application.choices,
                          "Select the application made")
    from_pre_proceedings = yes_no("Do these proceedings follow the open pre-proceedings?",
                                  required=False)

    def __init__(self, *args, pre_proceedings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if pre_proceedings is None:
            del self.fields["from_pre_proceedings"]
        else:
            self.fields["from_pre_proceedings"].help_text = (
                f"Pre-proceedings started {pre_proceedings.started_on:%-d %B %Y}")


NO_ORDER = "none"


def _owner_field() -> forms.Field:
    return StaffChoiceField(
        label="Member of staff responsible", queryset=responsible_staff(), required=False,
        empty_label="Not a member of staff",
        help_text="The direction goes on their list until it is met")


class HearingForm(GovukForm):
    held_on = DateInputField(label="Date of the hearing",
                             error_messages={"required": "Enter the date of the hearing"},
                             help_text="A hearing listed for a future date can be recorded now")
    kind = _radios("Kind of hearing", Hearing.Kind.choices, "Select the kind of hearing")
    outcome = text("What happened", required=False)
    direction = text("A direction the court made (optional)", required=False,
                     help_text="Add more directions from the proceedings page")
    owner = _owner_field()
    responsible = text("Who else must comply, if not a member of staff", required=False,
                       area=False, max_length=150)
    due_on = DateInputField(label="Date the direction is due", required=False)
    order_made = forms.ChoiceField(
        label="Order made at this hearing", required=False, initial=NO_ORDER,
        widget=forms.RadioSelect,
        choices=[(NO_ORDER, "No order made"), *((k.value, k.label) for k in INTERIM_ORDERS)])
    order_ends_on = DateInputField(
        label="Date the order runs to (if the court set one)", required=False,
        help_text="Leave empty if it runs until the proceedings end or the court orders "
                  "otherwise")

    def clean(self):
        data = super().clean()
        if data.get("direction", "").strip() and not data.get("due_on"):
            self.add_error("due_on", "Enter the date the direction is due")
        if data.get("order_made") == NO_ORDER:
            data["order_made"] = ""
        if data.get("order_ends_on") and not data.get("order_made"):
            self.add_error("order_ends_on", "Select the order the court made, or leave the "
                                            "date it runs to empty")
        return data


class DirectionForm(GovukForm):
    direction = text("Direction", "Enter what the court directed")
    owner = _owner_field()
    responsible = text("Who else must comply, if not a member of staff", required=False,
                       area=False, max_length=150,
                       help_text="For example, the children's guardian or the parents' "
                                 "solicitor")
    due_on = DateInputField(label="Date the direction is due",
                            error_messages={"required": "Enter the date the direction is due"})


class ComplianceForm(VersionedForm):
    met = yes_no("Was the direction met?", message="Select yes if the direction was met")
    complied_on = DateInputField(label="Date it was met", required=False, past_only=True)

    def clean(self):
        data = super().clean()
        # A date given but refused (in the future) already has its own error.
        if (data.get("met") and not data.get("complied_on")
                and "complied_on" not in self.errors):
            self.add_error("complied_on", "Enter the date the direction was met")
        return data


class ExtensionForm(GovukForm):
    granted_on = date("Date the court granted the extension", "Enter the date it was granted")
    weeks = forms.TypedChoiceField(
        label="Length of the extension", coerce=int, widget=forms.RadioSelect,
        choices=[(str(n), f"{n} week{'s' if n > 1 else ''}")
                 for n in range(MAX_EXTENSION_WEEKS, 0, -1)],
        error_messages={"required": "Select the length of the extension"},
        help_text=f"Up to {MAX_EXTENSION_WEEKS} weeks each time")
    reason = text("The court's reason", "Enter the court's reason for the extension")


class ConcludeForm(VersionedForm):
    concluded_on = date("Date the proceedings concluded", "Enter the date they concluded")
    final_order = forms.ChoiceField(
        label="Final order",
        choices=[("", "Choose the order"), *((k.value, k.label) for k in FINAL_ORDERS)],
        error_messages={"required": "Select the final order"})


class EpoExtensionForm(VersionedForm):
    extended_on = date("Date the court extended the order",
                       "Enter the date the court extended the order")
    extended_to = DateInputField(
        label="Date the extension ends",
        error_messages={"required": "Enter the date the extension ends"},
        help_text="An emergency protection order can be extended once, by up to 7 days")


_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*(am|pm)?\s*$", re.IGNORECASE)


def _time(value: str) -> time:
    """A time of day typed as 14:30, 2.30pm or 9:05am."""
    found = _TIME.match(value)
    if not found:
        raise forms.ValidationError(
            "Enter the time the child was removed as hours and minutes, for example 14:30")
    hours, minutes, half = int(found[1]), int(found[2]), (found[3] or "").lower()
    if half:
        if not 1 <= hours <= 12:
            raise forms.ValidationError("The time must be a real time, for example 2:30pm")
        hours = hours % 12 + (12 if half == "pm" else 0)
    if hours > 23 or minutes > 59:
        raise forms.ValidationError("The time must be a real time, for example 14:30")
    return time(hours, minutes)


class EmergencyOrderForm(GovukForm):
    """An emergency protection order or police protection, in proceedings or not."""

    kind = _radios("What was it?", [(k.value, k.label) for k in EMERGENCY_ORDERS],
                   "Select an emergency protection order or police protection")
    made_on = date("Date the order was made or police protection started",
                   "Enter the date the order was made or police protection started")
    ended_on = DateInputField(
        label="Date it ends or ended",
        error_messages={"required": "Enter the date the order or police protection ends"},
        help_text="An emergency protection order lasts at most 8 days; police protection at "
                  "most 72 hours from when the child was taken")
    court = text("Court that made the order (emergency protection order)", required=False,
                 area=False, max_length=150)
    police_force = text("Police force (police protection)", required=False, area=False,
                        max_length=150)
    police_officer = text("Designated officer (police protection)", required=False,
                          area=False, max_length=150,
                          help_text="Name and collar number, if known")
    removed_on = DateInputField(label="Date the child was removed", required=False,
                                past_only=True,
                                help_text="For police protection, when the child was taken")
    removed_time = text("Time the child was removed", required=False, area=False,
                        max_length=10, help_text="For example, 14:30 or 2:30pm")
    extended_to = DateInputField(
        label="If the court extended the order, the date the extension ends", required=False,
        help_text="An emergency protection order can be extended once, by up to 7 days")

    def clean(self):
        data = super().clean()
        typed = (data.get("removed_time") or "").strip()
        when = None
        if typed:
            try:
                when = _time(typed)
            except forms.ValidationError as error:
                self.add_error("removed_time", error)
        if data.get("removed_on") and not typed:
            self.add_error("removed_time", "Enter the time the child was removed")
        elif typed and not data.get("removed_on") and "removed_on" not in self.errors:
            self.add_error("removed_on", "Enter the date the child was removed")
        data["removed_at"] = (
            timezone.make_aware(datetime.combine(data["removed_on"], when))
            if when and data.get("removed_on") else None)
        return data
