"""Forms for referrals, single assessments, managers' decisions and child in need plans."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from cairn.casework.actions import OneActionMixin, action_item
from cairn.core.forms import DateInputField, GovukForm, VersionedForm
from cairn.frontdoor.models import PrimaryNeed, ReferralSource

from .forms import check_not_seen_alone
from .models import AssessmentFactors as F

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


# The census codes grouped as a worker thinks of them; 18A and 19A are only for past returns.
FACTOR_GROUPS: list[tuple[str, list[F]]] = [
    ("Abuse or neglect", [F.NEGLECT, F.EMOTIONAL_ABUSE, F.PHYSICAL_ABUSE_ADULT_ON_CHILD,
                          F.PHYSICAL_ABUSE_CHILD_ON_CHILD, F.SEXUAL_ABUSE_ADULT_ON_CHILD,
                          F.SEXUAL_ABUSE_CHILD_ON_CHILD, F.FGM, F.FAITH_OR_BELIEF]),
    ("Domestic abuse", [F.DOMESTIC_ABUSE_CHILD, F.DOMESTIC_ABUSE_PARENT,
                        F.DOMESTIC_ABUSE_OTHER]),
    ("Mental health", [F.MENTAL_HEALTH_CHILD, F.MENTAL_HEALTH_PARENT, F.MENTAL_HEALTH_OTHER]),
    ("Alcohol and drugs", [F.ALCOHOL_CHILD, F.ALCOHOL_PARENT, F.ALCOHOL_OTHER, F.DRUGS_CHILD,
                           F.DRUGS_PARENT, F.DRUGS_OTHER]),
    ("Disability and illness", [F.LEARNING_DISABILITY_CHILD, F.LEARNING_DISABILITY_PARENT,
                                F.LEARNING_DISABILITY_OTHER, F.PHYSICAL_DISABILITY_CHILD,
                                F.PHYSICAL_DISABILITY_PARENT, F.PHYSICAL_DISABILITY_OTHER,
                                F.YOUNG_CARER]),
    ("Exploitation, missing and behaviour", [F.CSE, F.CCE, F.TRAFFICKING, F.GANGS, F.MISSING,
                                             F.SELF_HARM, F.SOCIALLY_UNACCEPTABLE]),
    ("Private fostering and asylum", [F.PF_OVERSEAS_RETURN, F.PF_OVERSEAS_STAY, F.PF_EDUCATION,
                                      F.PF_FAMILY_ARRANGEMENT, F.PF_OTHER, F.UASC]),
    ("Other", [F.OTHER, F.NO_FACTORS]),
]
FACTOR_CHOICES = [(code.value, code.label) for _, codes in FACTOR_GROUPS for code in codes]


class ReferralForm(GovukForm):
    received_on = DateInputField(label="Date the referral was received", past_only=True,
                                 error_messages={"required": "Enter the date the referral was "
                                                             "received"})
    source = forms.ChoiceField(label="Who made the referral", help_text="The CIN census source",
                               choices=[("", "Choose the source")] + list(ReferralSource.choices),
                               error_messages={"required": "Choose who made the referral"})
    primary_need = forms.ChoiceField(label="Primary need", choices=PrimaryNeed.choices,
                                     error_messages={"required": "Choose the primary need"})
    nfa = forms.TypedChoiceField(
        label="Is the referral closed with no further action?", choices=YES_NO, coerce=_yes_no,
        help_text="Choose yes only if there will be no assessment or plan",
        error_messages={"required": "Say whether the referral is closed with no further "
                                    "action"})


class _ReferralChoiceForm(GovukForm):
    referral = forms.TypedChoiceField(label="Referral", coerce=int,
                                      error_messages={"required": "Choose the referral"})

    def __init__(self, *args, referrals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.referrals = {r.pk: r for r in referrals}
        self.fields["referral"].choices = [
            (r.pk, f"Received {r.received_on:%-d %B %Y} from {r.get_source_display()}")
            for r in referrals]

    def clean_referral(self):
        return self.referrals[self.cleaned_data["referral"]]


class AssessmentStartForm(_ReferralChoiceForm):
    started_on = DateInputField(label="Date the assessment started", past_only=True,
                                error_messages={"required": "Enter the date the assessment "
                                                            "started"})


class AssessmentForm(VersionedForm):
    """The single assessment in the practice model's words (F39)."""

    childs_words = forms.CharField(
        label="The child's own words", required=False, widget=forms.Textarea,
        help_text="What the child said, wrote or showed you, in their words")
    worries = forms.CharField(label="What are we worried about?", required=False,
                              widget=forms.Textarea)
    working_well = forms.CharField(label="What is working well?", required=False,
                                   widget=forms.Textarea)
    needs_to_happen = forms.CharField(label="What needs to happen?", required=False,
                                      widget=forms.Textarea)
    safety_scale = forms.TypedChoiceField(
        label="On a scale of 0 to 10, how safe is the child?", required=False, coerce=int,
        empty_value=None, choices=[(str(n), str(n)) for n in range(11)],
        help_text="0 means the child is certain to be harmed again; 10 means the child is safe "
                  "enough for children's social care to close")
    child_seen_on = DateInputField(label="Date the child was seen", required=False,
                                   past_only=True)
    factors = forms.MultipleChoiceField(
        label="Assessment factors", required=False, choices=FACTOR_CHOICES,
        help_text="Choose every factor the assessment identified")
    further_action = forms.TypedChoiceField(
        label="Does the child need support from children's social care?", choices=YES_NO,
        coerce=_yes_no, required=False, empty_value=None)
    submitted_on = DateInputField(label="Date submitted to a manager", required=False,
                                  past_only=True, help_text="Leave blank for today")

    SUBMIT_REQUIRES = {
        "childs_words": "Enter the child's own words: every assessment records what the child "
                        "said or showed",
        "worries": "Enter what we are worried about",
        "working_well": "Enter what is working well",
        "needs_to_happen": "Enter what needs to happen",
        "safety_scale": "Choose a number from 0 to 10 on the safety scale",
        "child_seen_on": "Enter the date the child was seen",
        "further_action": "Say whether the child needs support from children's social care",
    }

    def __init__(self, *args, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting

    def clean(self):
        data = super().clean()
        if self.submitting:
            for name, message in self.SUBMIT_REQUIRES.items():
                value = data.get(name)
                if name not in self.errors and (value is None or value == ""):
                    self.add_error(name, message)
            if data.get("submitted_on") is None and "submitted_on" not in self.errors:
                data["submitted_on"] = timezone.localdate()
        return data


class DecisionForm(VersionedForm):
    outcome = forms.ChoiceField(
        label="Your decision", choices=[("authorise", "Authorise the assessment"),
                                        ("return", "Return it to the worker")],
        error_messages={"required": "Choose whether to authorise or return the assessment"})
    authorised_on = DateInputField(label="Date authorised", required=False, past_only=True,
                                   help_text="Leave blank for today")
    comments = forms.CharField(
        label="Comments", required=False, widget=forms.Textarea,
        help_text="Why you decided as you did; if you return it, what the worker needs to change")
    reason_late = forms.CharField(
        label="Reason for the delay", required=False, widget=forms.Textarea,
        help_text="If the assessment is authorised after its 45 working days, say why it took "
                  "longer")

    def __init__(self, *args, due_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.due_on = due_on
        if due_on is not None:
            self.fields["reason_late"].help_text = (
                f"The assessment was due by {due_on:%-d %B %Y}. If you authorise it after that "
                f"date, say why it took longer.")

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "return" and not (data.get("comments") or "").strip():
            self.add_error("comments", "Enter what the worker needs to change")
        if data.get("outcome") == "authorise" and self.due_on is not None:
            on = data.get("authorised_on") or timezone.localdate()
            if on > self.due_on and not (data.get("reason_late") or "").strip() \
                    and "authorised_on" not in self.errors:
                self.add_error("reason_late", f"The assessment is late (it was due by "
                                              f"{self.due_on:%-d %B %Y}): enter the reason for "
                                              f"the delay")
        return data


class CINPlanStartForm(_ReferralChoiceForm):
    started_on = DateInputField(label="Date the plan started", past_only=True,
                                error_messages={"required": "Enter the date the plan started"})
    childs_words = forms.CharField(
        label="The child's own words", widget=forms.Textarea,
        help_text="What the child said about their life and what they want to happen, in their "
                  "words; for a child who does not speak, how they showed it",
        error_messages={"required": "Enter the child's own words: what they said about their "
                                    "life and what they want to happen (or how they showed "
                                    "it)"})


class CINPlanReviewForm(GovukForm):
    """A dated review of a child in need plan (the needs are reviewed one by one from the
    plan)."""

    held_on = DateInputField(label="Date of the review", past_only=True,
                             error_messages={"required": "Enter the date of the review"})
    attendees = forms.CharField(label="Who took part", widget=forms.Textarea,
                                help_text="Names and who they are: the child, family, agencies",
                                error_messages={"required": "Enter who took part in the review"})
    progress = forms.CharField(
        label="What the review found", widget=forms.Textarea,
        help_text="What has changed for the child, and what happens next",
        error_messages={"required": "Enter what the review found: what has changed for the "
                                    "child and what happens next"})


class PlanNeedForm(OneActionMixin, GovukForm):
    """A need, the outcome wanted, and its first action with who and by when (F19)."""

    need = forms.CharField(label="Need", widget=forms.Textarea,
                           error_messages={"required": "Enter the need"})
    outcome = forms.CharField(label="Outcome", widget=forms.Textarea,
                              help_text="What will be different for the child",
                              error_messages={"required": "Enter the outcome wanted"})

    action_help = "What will be done. More actions can be added to the need from the plan."

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"need": data["need"], "outcome": data["outcome"], **action_item(data)}


class PlanNeedReviewForm(VersionedForm):
    """A child in need review of one need: the outcome as it now reads, and whether it is met.
    The need's actions are marked done, cancelled or added from the plan."""

    outcome = forms.CharField(label="Outcome", widget=forms.Textarea,
                              help_text="What will be different for the child",
                              error_messages={"required": "Enter the outcome wanted"})
    met_on = DateInputField(label="Date the outcome was met", required=False, past_only=True,
                            help_text="Leave blank if it has not been met yet")


class CINVisitForm(GovukForm):
    visited_on = DateInputField(label="Date of the visit", past_only=True,
                                error_messages={"required": "Enter the date of the visit"})
    child_seen = forms.TypedChoiceField(label="Was the child seen?", choices=YES_NO,
                                        coerce=_yes_no,
                                        error_messages={"required": "Say whether the child was "
                                                                    "seen"})
    child_seen_alone = forms.TypedChoiceField(label="Was the child seen alone?", choices=YES_NO,
                                              coerce=_yes_no, required=False, empty_value=False)
    not_seen_alone_reason = forms.CharField(
        label="Why was the child not seen alone?", widget=forms.Textarea, required=False,
        help_text="If the child was not seen alone, or not seen at all, say why: for example, "
                  "a parent refused, or the child did not want to")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def clean(self):
        data = super().clean()
        check_not_seen_alone(self)
        return data


class CINPlanEndForm(VersionedForm):
    ended_on = DateInputField(label="Date the plan ended", past_only=True,
                              error_messages={"required": "Enter the date the plan ended"})
