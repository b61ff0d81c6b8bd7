"""Forms for child protection: strategy discussions, section 47 enquiries, safety plans,
conferences, child protection plans and their needs, core groups and visits."""

from __future__ import annotations

import re
from datetime import time

from django import forms

from cairn.casework.actions import ActionRowsMixin, OneActionMixin, action_item
from cairn.core.forms import DateInputField, GovukForm, VersionedForm, text, yes_no
from cairn.core.forms import date_question as date

from .models import Agency, CategoryOfAbuse, ChildProtectionConference, ChildProtectionPlan

Outcome = ChildProtectionConference.Outcome


def _choices(objects, label) -> list[tuple[str, str]]:
    return [(str(obj.pk), label(obj)) for obj in objects]


_TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")


class AttendeeRowsMixin:
    """Who took part in a meeting, one person a row: the agency (from a list), their name, and
    their role or organisation, with the suffix `_0`, `_1`... Three rows to begin with (police,
    health and education usually take part); "Add another person" posts the form back with one
    more, so it works without JavaScript; a row left wholly empty is ignored."""

    ADD_ATTENDEE = "add_attendee"
    FIRST_ATTENDEES = 3
    MAX_ATTENDEES = 20
    ATTENDEE_PARTS = ("agency", "name", "role")

    def add_attendee_rows(self) -> None:
        count = self.FIRST_ATTENDEES
        if self.is_bound:
            try:
                count = min(max(int(self.data.get("attendees", count)), 1), self.MAX_ATTENDEES)
            except (TypeError, ValueError):
                count = self.FIRST_ATTENDEES
            if self.ADD_ATTENDEE in self.data and count < self.MAX_ATTENDEES:
                count += 1
                self.data = self.data.copy()
                self.data["attendees"] = str(count)
        self.attendee_count = count
        self.fields["attendees"] = forms.IntegerField(widget=forms.HiddenInput, required=False,
                                                      initial=count)
        for place in range(count):
            self.fields[f"agency_{place}"] = forms.ChoiceField(
                label="Agency", required=False, choices=[("", "Choose an agency"),
                                                         *Agency.choices])
            self.fields[f"name_{place}"] = forms.CharField(
                label="Name", required=False, max_length=150,
                error_messages={"max_length": "The name must be 150 characters or fewer"})
            self.fields[f"role_{place}"] = forms.CharField(
                label="Role or organisation", required=False, max_length=150,
                help_text="For example, detective sergeant, or Oak Primary School. For "
                          "another agency, name the agency.",
                error_messages={"max_length": "The role must be 150 characters or fewer"})

    @property
    def adding_attendee(self) -> bool:
        return self.is_bound and self.ADD_ATTENDEE in self.data

    @property
    def can_add_attendee(self) -> bool:
        return self.attendee_count < self.MAX_ATTENDEES

    def is_valid(self) -> bool:
        # "Add another person" is not a save: the form comes back with what was typed.
        return not self.adding_attendee and super().is_valid()

    @property
    def errors(self):
        if self.adding_attendee:
            return forms.utils.ErrorDict()
        return super().errors

    def attendee_groups(self) -> list[tuple[int, list]]:
        """Each person's number and their bound fields, in the order the page shows them."""
        return [(place + 1, [self[f"{part}_{place}"] for part in self.ATTENDEE_PARTS])
                for place in range(self.attendee_count)]

    def clean_attendee_rows(self) -> list[dict]:
        """The people named, each checked; an error names the person by number."""
        data, out = self.cleaned_data, []
        for place in range(self.attendee_count):
            agency = data.get(f"agency_{place}") or ""
            name = (data.get(f"name_{place}") or "").strip()
            role = (data.get(f"role_{place}") or "").strip()
            if not (agency or name or role):
                continue
            which = f"person {place + 1}"
            if not agency:
                self.add_error(f"agency_{place}", f"Choose the agency {which} attended for")
            if not name and f"name_{place}" not in self.errors:
                self.add_error(f"name_{place}", f"Enter the name of {which}")
            if agency == Agency.OTHER and not role and f"role_{place}" not in self.errors:
                self.add_error(f"role_{place}", f"Enter the agency {which} attended for")
            out.append({"agency": agency, "name": name, "role": role, "place": place})
        if not out:
            self.add_error("agency_0", "Enter who took part: each person's agency and name")
        return out


class StrategyDiscussionForm(AttendeeRowsMixin, ActionRowsMixin, GovukForm):
    """When the discussion was held, who took part for which agency, what was shared and
    decided, then any actions agreed at it, each with who and by when (F18)."""

    held_on = date("Date of the strategy discussion", "Enter the date of the strategy discussion")
    held_time = forms.CharField(
        label="Time of the strategy discussion", max_length=5,
        help_text="24-hour clock, for example 14:30",
        error_messages={"required": "Enter the time of the strategy discussion"})
    information_shared = text("Information shared", "Enter the information each agency shared",
                              help_text="What each agency knows about the child and family")
    decision = text("Decision", "Enter what the discussion decided")
    s47_agreed = yes_no("Did the discussion agree a section 47 enquiry?",
                        message="Select yes if a section 47 enquiry is to start")
    WHEN = ("held_on", "held_time")
    WHAT = ("information_shared", "decision", "s47_agreed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_attendee_rows()
        self.add_action_rows()

    def when_rows(self):
        """The date and time, before the people."""
        return [row for row in self.rows() if row[1].name in self.WHEN]

    def discussion_rows(self):
        """What was shared and decided, after the people and before the actions."""
        return [row for row in self.rows() if row[1].name in self.WHAT]

    def clean_held_time(self):
        typed = self.cleaned_data.get("held_time", "")
        match = _TIME.match(typed)
        if not match:
            raise forms.ValidationError("Enter the time as hours and minutes on the 24-hour "
                                        "clock, for example 14:30")
        return time(int(match.group(1)), int(match.group(2)))

    def clean(self):
        data = super().clean()
        data["attendee_items"] = self.clean_attendee_rows()
        data["action_items"] = self.clean_action_rows()
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("held_on", *self.WHAT)} | {
            "held_at": data["held_time"], "attendees": data["attendee_items"],
            "actions": data["action_items"]}


class Section47StartForm(GovukForm):
    strategy_discussion = forms.ChoiceField(
        label="Strategy discussion that agreed the enquiry", widget=forms.RadioSelect,
        error_messages={"required": "Select the strategy discussion that agreed the enquiry"})
    started_on = date("Date the enquiry started", "Enter the date the enquiry started")

    def __init__(self, *args, discussions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategy_discussion"].choices = _choices(
            discussions, lambda d: f"{d.held_on:%-d %B %Y}: {d.decision[:80]}")


class Section47OutcomeForm(VersionedForm):
    completed_on = date("Date the enquiry concluded", "Enter the date the enquiry concluded")
    outcome = forms.ChoiceField(
        label="What did the enquiry find?", widget=forms.RadioSelect,
        choices=[("icpc", "Risk of significant harm: an initial child protection conference "
                          "is needed"),
                 ("cin", "Concerns not substantiated: child in need support "
                         "(conference not required)"),
                 ("nfa", "Concerns not substantiated: no further action "
                         "(conference not required)")],
        error_messages={"required": "Select what the enquiry found"})


class SafetyPlanForm(GovukForm):
    """The safety plan agreed with the family and network (F37)."""

    made_on = date("Date the safety plan was agreed", "Enter the date the safety plan was agreed")
    agreed_by = text("Who agreed the safety plan", "Enter who agreed the safety plan",
                     help_text="The parents or carers, the people in the safety network and "
                               "the child, by name and relationship")
    safety_goal = text("Safety goal", "Enter the safety goal",
                       help_text="What everyone needs to see to know the child is safe")
    arrangements = text("Arrangements", "Enter who will do what, and when",
                        help_text="Who will do what, and when")
    network = text("Safety network", required=False,
                   help_text="The people in the safety network and how to reach them")
    childs_words = text("What the child said", "Enter what the child said, in their own words",
                        help_text="The child's own words about what keeps them safe. For a "
                                  "child too young to say, what was seen of how they are.")
    if_breaks_down = text("What happens if the plan breaks down",
                          "Enter what happens if the safety plan breaks down",
                          help_text="Who does what, and who is called, if the arrangements "
                                    "are not kept")


class SafetyPlanEndForm(VersionedForm):
    ended_on = date("Date the safety plan ended", "Enter the date the safety plan ended")
    reason = text("Why is the safety plan ending?", "Enter why the safety plan is ending",
                  help_text="For example, the child protection plan now sets out how the "
                            "child is kept safe")


class ChairForm(GovukForm):
    """Ask a chair (an IRO or conference chair) to chair a conference, on a date."""

    conference = forms.ChoiceField(
        label="Which conference?", widget=forms.RadioSelect,
        error_messages={"required": "Select the conference the chair is asked to chair"})
    chair = forms.ModelChoiceField(
        label="Chair", queryset=None, empty_label="Choose a chair",
        error_messages={"required": "Choose the conference chair",
                        "invalid_choice": "Choose the conference chair"})
    booked_for = DateInputField(label="Date of the conference",
                                error_messages={"required": "Enter the date of the conference"})

    def __init__(self, *args, conferences, chairs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conference"].choices = conferences
        self.fields["chair"].queryset = chairs


class InitialConferenceForm(GovukForm):
    section47 = forms.ChoiceField(
        label="Section 47 enquiry the conference follows", widget=forms.RadioSelect,
        error_messages={"required": "Select the section 47 enquiry this conference follows"})
    held_on = date("Date of the conference", "Enter the date of the conference")
    outcome = forms.ChoiceField(
        label="What did the conference decide?", widget=forms.RadioSelect,
        choices=[(Outcome.PLAN, "Child protection plan"),
                 (Outcome.NO_PLAN, "No plan: child in need support"),
                 (Outcome.NO_FURTHER_ACTION, "No further action")],
        error_messages={"required": "Select what the conference decided"})
    category = forms.ChoiceField(
        label="Category of abuse (if a plan)", required=False,
        choices=[("", "Choose a category"), *CategoryOfAbuse.choices])
    reason_late = text("Reason the conference is late", required=False)

    def __init__(self, *args, enquiries, due_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.due_on = due_on
        self.fields["section47"].choices = _choices(
            enquiries, lambda e: f"Started {e.started_on:%-d %B %Y}"
            + (f", {e.get_outcome_display().lower()}" if e.outcome else ""))
        if due_on is not None:
            self.fields["reason_late"].help_text = (
                f"The conference was due by {due_on:%-d %B %Y}. If it is held after that date, "
                "say why.")

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.PLAN and not data.get("category"):
            self.add_error("category", "Select the category of abuse for the plan")
        held_on = data.get("held_on")
        if (self.due_on and held_on and held_on > self.due_on
                and not data.get("reason_late", "").strip()):
            self.add_error("reason_late", f"The conference is late (it was due by "
                                          f"{self.due_on:%-d %B %Y}): enter the reason")
        return data


class ReviewConferenceForm(GovukForm):
    held_on = date("Date of the review conference", "Enter the date of the review conference")
    outcome = forms.ChoiceField(
        label="What did the conference decide?", widget=forms.RadioSelect,
        choices=[(Outcome.PLAN_CONTINUES, "The plan continues"),
                 (Outcome.PLAN_ENDS, "The plan ends")],
        error_messages={"required": "Select what the conference decided"})
    category = forms.ChoiceField(
        label="Category of abuse from now on", required=False,
        choices=[("", "No change"), *CategoryOfAbuse.choices],
        help_text="Only if the conference changed the category")
    end_reason = forms.ChoiceField(
        label="Why does the plan end?", required=False,
        choices=[("", "Choose a reason"), *ChildProtectionPlan.EndReason.choices])
    reason_late = text("Reason the conference is late", required=False)

    def __init__(self, *args, due_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.due_on = due_on
        if due_on is not None:
            self.fields["reason_late"].help_text = (
                f"The review was due by {due_on:%-d %B %Y}. If it is held after that date, "
                "say why.")

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.PLAN_ENDS and not data.get("end_reason"):
            self.add_error("end_reason", "Select why the plan ends")
        held_on = data.get("held_on")
        if (self.due_on and held_on and held_on > self.due_on
                and not data.get("reason_late", "").strip()):
            self.add_error("reason_late", f"The review is late (it was due by "
                                          f"{self.due_on:%-d %B %Y}): enter the reason")
        return data


class PlanNeedForm(OneActionMixin, GovukForm):
    """A need, the outcome wanted, and its first action with who and by when (F19)."""

    need = text("Need", "Enter the need", help_text="What the child needs, in plain words")
    outcome = text("Outcome", "Enter the outcome: what will be different for the child",
                   help_text="What will be different for the child")

    action_help = "What will be done. More actions can be added to the need from the plan."

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"need": data["need"], "outcome": data["outcome"], **action_item(data)}


class CoreGroupForm(GovukForm):
    held_on = date("Date of the core group meeting", "Enter the date of the core group meeting")
    attendees = text("Who attended", required=False)
    notes = text("Notes", required=False)


class VisitForm(GovukForm):
    visited_on = date("Date of the visit", "Enter the date of the visit")
    child_seen = yes_no("Was the child seen?", message="Select yes if the child was seen")
    child_seen_alone = yes_no("Was the child seen alone?",
                              message="Select yes if the child was seen alone")
    not_seen_alone_reason = text(
        "Why was the child not seen alone?", required=False,
        help_text="If the child was not seen alone, or not seen at all, say why: for example, "
                  "a parent refused, or the child did not want to")
    bedroom_seen = yes_no("Was the child's bedroom seen?", required=False)
    notes = text("Notes", required=False)

    def clean(self):
        data = super().clean()
        if data.get("child_seen_alone") and data.get("child_seen") is False:
            self.add_error("child_seen_alone",
                           "You cannot record the child as seen alone unless the child was seen")
        check_not_seen_alone(self)
        return data


def check_not_seen_alone(form) -> None:
    """A visit where the child was not seen alone (or not seen) says why."""
    data = form.cleaned_data
    if data.get("child_seen_alone") or {"child_seen", "child_seen_alone"} & set(form.errors):
        return  # seen alone, or the answers above are still to correct
    if not (data.get("not_seen_alone_reason") or "").strip() \
            and "not_seen_alone_reason" not in form.errors:
        form.add_error("not_seen_alone_reason",
                       "Enter why the child was not seen alone" if data.get("child_seen")
                       else "Enter why the child was not seen")


class ChildsWordsForm(VersionedForm):
    """The child's own words on a plan (F19)."""

    childs_words = text(
        "The child's own words",
        "Enter the child's own words: what they said about their life and what they want to "
        "happen (or how they showed it)",
        help_text="In their words, not a summary of them. For a child who does not speak, how "
                  "they showed what they feel")


class PlanEndForm(VersionedForm):
    ended_on = date("Date the plan ended", "Enter the date the plan ended")
    end_reason = forms.ChoiceField(
        label="Why did the plan end?", widget=forms.RadioSelect,
        choices=ChildProtectionPlan.EndReason.choices,
        error_messages={"required": "Select why the plan ended"})
