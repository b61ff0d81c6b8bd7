"""Forms on people's pages: search and adding a case note."""

from __future__ import annotations

from django import forms

from cairn.core.forms import DateInputField

from .models import CaseNote

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Name, date of birth, LA child ID, UPN or NHS number", required=False,
        help_text="For example, Jayden Smith, 27/3/2019 or 9434765919")


class CaseNoteForm(forms.Form):
    kind = forms.ChoiceField(label="What kind of work was this?", choices=CaseNote.Kind,
                             error_messages={"required": "Select what kind of work this was"})
    occurred_on = DateInputField(
        label="When did it happen?", past_only=True,
        error_messages={"required": "Enter the date it happened"})
    subject = forms.CharField(
        label="Subject", max_length=150,
        error_messages={"required": "Enter a subject",
                        "max_length": "The subject must be 150 characters or fewer"})
    body = forms.CharField(label="Note", widget=forms.Textarea,
                           error_messages={"required": "Enter the note"})
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
