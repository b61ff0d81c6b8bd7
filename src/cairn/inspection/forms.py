"""Forms for inspections, the improvement plan and inspectors' access."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from cairn.core.errors import RecordError
from cairn.core.forms import DateInputField, GovukForm, text
from cairn.workforce.models import Role, Staff

from . import selectors, services
from .models import ActionStatus, Cohort, Grade, InspectionKind, JudgementArea

GRADE_CHOICES = [("", "Not graded")] + list(Grade.choices)


def show_problems(form, problems: list[RecordError]) -> None:
    """Put each of a service's problems next to its question (or above the form), unless the
    question already has an error of its own: so every problem shows on the first submit."""
    for problem in problems:
        field = problem.field if problem.field in form.fields else None
        if field is None or field not in form.errors:
            form.add_error(field, problem.message)


def _grade_fields(form) -> None:
    for value, label in JudgementArea.choices:
        form.fields[value] = forms.ChoiceField(label=label, choices=GRADE_CHOICES,
                                               required=False)


class InspectionForm(GovukForm):
    kind = forms.ChoiceField(label="Type of inspection", choices=InspectionKind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": "Select the type of inspection"})
    started_on = DateInputField(label="First day on site",
                                error_messages={"required": "Enter the first day on site"})
    ended_on = DateInputField(label="Last day on site",
                              error_messages={"required": "Enter the last day on site"})
    published_on = DateInputField(label="Date the report was published (optional)",
                                  required=False)
    summary = text("Summary of the findings (optional)", required=False)
    areas = text("Areas for improvement (optional)", required=False,
                 help_text="One on each line, as the report words them")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _grade_fields(self)

    def grades(self) -> dict[str, str]:
        return {value: self.cleaned_data.get(value, "") for value in JudgementArea.values}

    def clean(self):
        data = super().clean()
        show_problems(self, services.inspection_problems(
            kind=data.get("kind"), started_on=data.get("started_on"),
            ended_on=data.get("ended_on"), published_on=data.get("published_on"),
            grades=self.grades(), today=timezone.localdate()))
        return data


class JudgementsForm(GovukForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _grade_fields(self)

    def grades(self) -> dict[str, str]:
        return {value: self.cleaned_data.get(value, "") for value in JudgementArea.values}

    def clean(self):
        data = super().clean()
        grades = self.grades()
        if not any(grades.values()):
            self.add_error("overall", "Select at least one grade")
        # A grade given is corrected, never removed (the audit keeps the earlier one).
        for area, label in JudgementArea.choices:
            if self.initial.get(area) and not grades.get(area) and area not in self.errors:
                self.add_error(area, f"{label} was graded: choose the corrected grade, as a "
                                     "grade given cannot be removed")
        return data


class AreaForm(GovukForm):
    text = text("Area for improvement", "Enter the area for improvement")


def _owners():
    return (Staff.objects.filter(is_active=True).exclude(role__in=[Role.INSPECTOR,
                                                                   Role.ADMINISTRATOR])
            .order_by("last_name", "first_name", "pk"))


class ActionForm(GovukForm):
    description = text("What will be done")
    owner = forms.ModelChoiceField(label="Owner", queryset=Staff.objects.none(),
                                   empty_label="Choose who owns the action",
                                   error_messages={"required": "Choose who owns the action"})
    due_on = DateInputField(label="Due by", error_messages={"required": "Enter the due date"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _owners()
        self.fields["owner"].label_from_instance = (
            lambda s: f"{s}, {s.job_title or s.get_role_display()}")

    def clean(self):
        data = super().clean()
        show_problems(self, services.action_problems(due_on=data.get("due_on"),
                                                     today=timezone.localdate()))
        return data


class ProgressForm(GovukForm):
    text = text("Progress made")
    status = forms.ChoiceField(label="Status now", choices=ActionStatus.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "Select the action's status"})


class EvidenceForm(GovukForm):
    indicator = forms.ChoiceField(label="Indicator (optional)", required=False, choices=())
    evidence = text("Other evidence (optional)", required=False,
                help_text="For example, a case file audit: its date, scope and findings")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = selectors.indicator_choices()

    def clean(self):
        data = super().clean()
        if "indicator" not in self.errors and "evidence" not in self.errors:
            for problem in services.evidence_problems(indicator=data.get("indicator", ""),
                                                      text=data.get("evidence", "")):
                self.add_error("evidence", problem.message)
        return data


class AccessForm(GovukForm):
    inspector = forms.ModelChoiceField(label="Inspector", queryset=Staff.objects.none(),
                                       empty_label="Choose an inspector",
                                       error_messages={"required": "Choose an inspector"})
    cohort = forms.ChoiceField(
        label="Which children?", choices=Cohort.choices, widget=forms.RadioSelect,
        help_text="Tick children found by name, or sample a cohort at random",
        error_messages={"required": "Select how the children are chosen"})
    sample_size = forms.IntegerField(label="Sample size (for a cohort)", required=False,
                                     min_value=1,
                                     error_messages={"invalid": "Enter the sample size as a "
                                                                "number",
                                                     "min_value": "Enter a sample size of 1 "
                                                                  "or more"})
    children = forms.ModelMultipleChoiceField(
        label="Children found", required=False, queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "You can give access only to records you may open "
                                          "that are not restricted",
                        "invalid_pk_value": "Tick the children from the list"})
    starts_on = DateInputField(label="Access starts on",
                               error_messages={"required": "Enter the day access starts"})
    ends_on = DateInputField(label="Access ends on",
                             error_messages={"required": "Enter the day access ends"})

    def __init__(self, *args, children, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by
        self.fields["inspector"].queryset = selectors.inspectors()
        self.fields["children"].queryset = children
        self.fields["children"].label_from_instance = (
            lambda c: f"{c.full_name}, {c.la_child_id}"
                      + (f", born {c.birth_date:%-d %B %Y}" if c.birth_date else ""))

    def clean(self):
        data = super().clean()
        cohort = data.get("cohort")
        if cohort and cohort != Cohort.CHOSEN and not data.get(
                "sample_size") and "sample_size" not in self.errors:
            self.add_error("sample_size", "Enter the sample size")
        show_problems(self, services.access_problems(
            by=self.by, inspector=data.get("inspector"), starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"), cohort=cohort, sample_size=data.get("sample_size"),
            children=data.get("children") or (), today=timezone.localdate()))
        return data


class EndAccessForm(GovukForm):
    reason = text("Why is the access ending early?", "Enter why the access is ending early")
