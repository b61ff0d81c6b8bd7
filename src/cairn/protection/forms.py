"""Forms for child protection: strategy discussions, section 47 enquiries, safety plans,
conferences, child protection plans and their needs, core groups and visits."""

from __future__ import annotations

from django import forms

from cairn.casework.actions import ActionRowsMixin, OneActionMixin, action_item
from cairn.core.forms import GovukForm, VersionedForm, text, yes_no
from cairn.core.forms import date_question as date

from .models import CategoryOfAbuse, ChildProtectionConference, ChildProtectionPlan

Outcome = ChildProtectionConference.Outcome


def _choices(objects, label) -> list[tuple[str, str]]:
    return [(str(obj.pk), label(obj)) for obj in objects]


class StrategyDiscussionForm(ActionRowsMixin, GovukForm):
    """The discussion, then any actions agreed at it, each with who and by when."""

    held_on = date("Date of the strategy discussion", "Enter the date of the strategy discussion")
    agencies_present = text("Agencies present", "Enter the agencies that took part",
                            help_text="For example, police, health, school")
    information_shared = text("Information shared", required=False)
    decision = text("Decision", "Enter what the discussion decided")
    s47_agreed = yes_no("Did the discussion agree a section 47 enquiry?",
                        message="Select yes if a section 47 enquiry is to start")
    FIELDS = ("held_on", "agencies_present", "information_shared", "decision", "s47_agreed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_action_rows()

    def discussion_rows(self):
        """The discussion's own questions, before the actions."""
        return [row for row in self.rows() if row[1].name in self.FIELDS]

    def clean(self):
        data = super().clean()
        data["action_items"] = self.clean_action_rows()
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in self.FIELDS} | {"actions": data["action_items"]}


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
    made_on = date("Date the safety plan was agreed", "Enter the date the safety plan was agreed")
    safety_goal = text("Safety goal", "Enter the safety goal",
                       help_text="What everyone needs to see to know the child is safe")
    arrangements = text("Arrangements", "Enter who will do what, and when",
                        help_text="Who will do what, and when")
    network = text("Safety network", required=False,
                   help_text="The people in the safety network and how to reach them")


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
    bedroom_seen = yes_no("Was the child's bedroom seen?", required=False)
    notes = text("Notes", required=False)

    def clean(self):
        data = super().clean()
        if data.get("child_seen_alone") and data.get("child_seen") is False:
            self.add_error("child_seen_alone",
                           "You cannot record the child as seen alone unless the child was seen")
        return data


class PlanEndForm(VersionedForm):
    ended_on = date("Date the plan ended", "Enter the date the plan ended")
    end_reason = forms.ChoiceField(
        label="Why did the plan end?", widget=forms.RadioSelect,
        choices=ChildProtectionPlan.EndReason.choices,
        error_messages={"required": "Select why the plan ended"})
