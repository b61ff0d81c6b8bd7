"""Forms on workforce pages: reallocating a child's work."""

from __future__ import annotations

from django import forms

from cairn.core.forms import DateInputField

from .models import Allocation


class ReallocationForm(forms.Form):
    allocation = forms.IntegerField(widget=forms.HiddenInput)  # the allocation the page read
    version = forms.IntegerField(widget=forms.HiddenInput)
    worker = forms.ModelChoiceField(
        label="New worker", queryset=None, empty_label="Choose a worker",
        error_messages={"required": "Choose the worker to allocate",
                        "invalid_choice": "Choose a worker in a team you manage"})
    end_reason = forms.ChoiceField(
        label="Why is the worker changing?", choices=Allocation.EndReason.choices,
        help_text="The reason the SSDA903 return gives for a change of social worker",
        error_messages={"required": "Choose why the worker is changing"})
    on = DateInputField(label="Date of the change", past_only=True,
                        error_messages={"required": "Enter the date of the change"})

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
        self.fields["worker"].label_from_instance = (
            lambda s: f"{s}, {s.team}" if s.team_id else str(s))
