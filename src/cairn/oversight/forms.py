"""Forms on team pages: allocating and reallocating a child's work."""

from __future__ import annotations

from django import forms

from cairn.core.forms import DateInputField, GovukForm, VersionedForm, date_question
from cairn.workforce.models import Allocation, Role, Staff


class ReallocationForm(VersionedForm):
    not_stored = ("on",)  # defaults to today, not to the stored allocation
    allocation = forms.IntegerField(widget=forms.HiddenInput)  # the allocation the page read
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


class AllocateForm(GovukForm):
    """Allocate an independent reviewing officer or a personal adviser to a child."""

    worker = forms.ModelChoiceField(
        label="Who is to be allocated?", queryset=Staff.objects.none(),
        empty_label="Choose a reviewing officer or personal adviser",
        error_messages={"required": "Choose who is to be allocated"})
    on = date_question("Date the allocation starts", "Enter the date the allocation starts")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = (
            Staff.objects.filter(is_active=True, role__in=[Role.IRO, Role.PERSONAL_ADVISER],
                                 team__isnull=False).order_by("role", "last_name"))
        self.fields["worker"].label_from_instance = (
            lambda staff: f"{staff} ({staff.get_role_display().split(' /')[0].lower()})")


class AccessLogFilterForm(GovukForm):
    """Narrow an access log: by who (a child's log) and by the days it covers."""

    who = forms.CharField(label="Member of staff", required=False, max_length=100,
                          help_text="Part of their name or username")
    since = DateInputField(label="From", required=False)
    until = DateInputField(label="To", required=False)

    def __init__(self, *args, with_who: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_who:
            del self.fields["who"]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "The ‘To’ date must be the same as or after the ‘From’ date")
        return data


class StaffLookupForm(GovukForm):
    q = forms.CharField(label="Name, username or job title", required=False, max_length=100)


class SubjectAccessForm(GovukForm):
    reference = forms.CharField(
        label="Request reference", max_length=60,
        help_text="The council's reference for the subject access request, kept with the "
                  "record of this export",
        error_messages={"required": "Enter the request's reference",
                        "max_length": "Request reference must be 60 characters or fewer"})
