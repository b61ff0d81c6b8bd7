"""Forms for early help's own work: allocating a practitioner, withdrawing a step request."""

from __future__ import annotations

from django import forms

from cairn.core.forms import GovukForm, VersionedForm, date_question


class EarlyHelpAllocateForm(GovukForm):
    worker = forms.ModelChoiceField(
        label="Early help practitioner", queryset=None,
        empty_label="Choose a practitioner",
        error_messages={"required": "Choose the early help practitioner",
                        "invalid_choice": "Choose an early help practitioner in a team you "
                                          "manage"})
    on = date_question("Date the allocation starts", "Enter the date the allocation starts")

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
        self.fields["worker"].label_from_instance = (
            lambda s: f"{s}, {s.team}" if s.team_id else str(s))


class StepWithdrawForm(VersionedForm):
    reason = forms.CharField(label="Why are you withdrawing the request?",
                             widget=forms.Textarea,
                             error_messages={"required": "Enter why you are withdrawing the "
                                                         "request"})
