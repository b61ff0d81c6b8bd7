"""Forms on casework pages: search, a case note, the child's details."""

from __future__ import annotations

from django import forms

from cairn.core.forms import (
    LONG_TEXT,
    REASON,
    DateInputField,
    GovukForm,
    VersionedForm,
    text,
    yes_no,
)
from cairn.people.models import CaseNote, DisabilityCode, Ethnicity, Sex, UPNUnknown

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class SearchForm(GovukForm):
    q = forms.CharField(
        label="Name, date of birth, LA child ID, UPN or NHS number", required=False,
        help_text="For example, Jayden Smith, 27/3/2019 or 9434765919")


class CaseNoteForm(GovukForm):
    kind = forms.ChoiceField(label="What kind of work was this?", choices=CaseNote.Kind,
                             error_messages={"required": "Select what kind of work this was"})
    occurred_on = DateInputField(
        label="When did it happen?", past_only=True,
        error_messages={"required": "Enter the date it happened"})
    subject = forms.CharField(
        label="Subject", max_length=150,
        error_messages={"required": "Enter a subject",
                        "max_length": "The subject must be 150 characters or fewer"})
    body = forms.CharField(label="Note", widget=forms.Textarea, max_length=LONG_TEXT,
                           error_messages={"required": "Enter the note",
                                           "max_length": "Case note must be "
                                                         f"{LONG_TEXT:,} characters or fewer"})
    child_seen = forms.TypedChoiceField(label="Was the child seen?", choices=YES_NO,
                                        coerce=_yes_no, required=False, empty_value=None)
    child_seen_alone = forms.TypedChoiceField(label="Was the child seen alone?", choices=YES_NO,
                                              coerce=_yes_no, required=False, empty_value=None)

    def clean(self):
        data = super().clean()
        if data.get("child_seen_alone") and data.get("child_seen") is not True:
            self.add_error("child_seen_alone",
                           "You cannot record the child as seen alone unless the child was seen")
        return data


class CaseNoteCorrectForm(VersionedForm, CaseNoteForm):
    """A correction of a case note: what it should say, and why it is being corrected."""

    reason = text("Why are you correcting this note?",
                  "Enter why the case note is being corrected", max_length=REASON,
                  help_text="For example, the wrong date, or a name spelt wrongly. The reason "
                            "and the note as it was are kept with the record.")

    def __init__(self, *args, **kwargs):
        # The note stores yes/no as True/False; the radios show the choice they stand for, so
        # an unchanged answer is saved again as it was, not as "not recorded".
        initial = dict(kwargs.get("initial") or {})
        for name in ("child_seen", "child_seen_alone"):
            if isinstance(initial.get(name), bool):
                initial[name] = "yes" if initial[name] else "no"
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        # One page template draws every field from its widget: radios, as adding a note asks.
        for name in ("kind", "child_seen", "child_seen_alone"):
            self.fields[name].widget = forms.RadioSelect(choices=self.fields[name].choices)


class ChildDetailsForm(VersionedForm):
    """Who the child is: what the census and the SSDA903 need, kept up to date by the worker."""

    given_name = text("Given name", "Enter the child's given name", area=False, max_length=100)
    family_name = text("Family name", "Enter the child's family name", area=False,
                       max_length=100)
    other_names = text("Other names", required=False, area=False, max_length=200,
                       help_text="Known as, former names")
    birth_date = DateInputField(label="Date of birth", past_only=True, required=False)
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=forms.RadioSelect,
                            error_messages={"required": "Select the child's sex"})
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=Ethnicity.choices,
                                  error_messages={"required": "Select the child's ethnicity"})
    upn = text("Unique pupil number (UPN)", required=False, area=False, max_length=13,
               help_text="13 characters, for example A123456789012")
    upn_unknown = forms.ChoiceField(
        label="Why there is no UPN", required=False,
        choices=[("", "Not applicable: the UPN is recorded"), *UPNUnknown.choices])
    nhs_number = text("NHS number", required=False, area=False, max_length=10,
                      help_text="10 digits")
    first_language = text("First language", required=False, area=False, max_length=60)
    interpreter_needed = yes_no("Does the child or family need an interpreter?",
                                required=False)
    # CIN census Disability: every code that applies; none ticked is the census's NONE.
    disabilities = forms.MultipleChoiceField(
        label="Disability", required=False, choices=DisabilityCode.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every one that applies, as the child in need census counts them. "
                  "Leave all unticked if the child has no disability.")
    # Unaccompanied asylum-seeking child (SSDA903 UASC table, Annex A).
    uasc_from = DateInputField(
        label="Unaccompanied asylum-seeking child from", past_only=True, required=False,
        help_text="Leave blank if the child is not an unaccompanied asylum-seeking child")
    uasc_ceased_on = DateInputField(
        label="Unaccompanied asylum-seeking status ended on", past_only=True, required=False,
        help_text="For example, when leave to remain was granted. Leave blank while it lasts.")

    def clean_nhs_number(self):
        value = self.cleaned_data["nhs_number"].replace(" ", "")
        if value and not (value.isdigit() and len(value) == 10):
            raise forms.ValidationError("Enter the NHS number as 10 digits")
        return value

    def clean_upn(self):
        value = self.cleaned_data["upn"].strip().upper()
        if value and not (len(value) == 13 and value[0].isalpha() and value[1:12].isdigit()):
            raise forms.ValidationError(
                "Enter the UPN as a letter, 11 digits and a final letter or digit")
        return value

    def clean(self):
        data = super().clean()
        if data.get("upn") and data.get("upn_unknown"):
            self.add_error("upn_unknown", "Leave the reason blank when the UPN is recorded")
        return data
