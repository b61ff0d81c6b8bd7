"""The GOV.UK date input's errors name the date they are about."""

from datetime import timedelta

import pytest
from django import forms
from django.utils import timezone

from cairn.core.forms import DateInputField, date_question


class VisitForm(forms.Form):
    visited_on = date_question("Date of the visit", "Enter the date of the visit")
    due_on = DateInputField(label="Due date (optional)", required=False)
    happened_on = date_question("When did it happen?", "Enter the date it happened",
                                required=False)
    asked_on = DateInputField(label="When was it?", required=False)


def _errors(**dates) -> dict[str, list[str]]:
    data = {}
    for name, (day, month, year) in dates.items():
        data |= {f"{name}_0": day, f"{name}_1": month, f"{name}_2": year}
    form = VisitForm(data)
    form.is_valid()
    return form.errors


@pytest.mark.parametrize("parts, message", [
    (("31", "2", "2025"), "Date of the visit must be a real date"),
    (("x", "1", "2025"), "Date of the visit must be a real date"),
    (("1", "1", "25"), "Date of the visit must be a real date"),
    (("1", "", ""), "Date of the visit must include a month and year"),
    (("", "3", "2025"), "Date of the visit must include a day"),
    (("", "", ""), "Enter the date of the visit"),
])
def test_date_errors_start_with_the_fields_label(parts, message):
    assert _errors(visited_on=parts)["visited_on"] == [message]


def test_a_future_date_is_refused_by_name():
    tomorrow = timezone.localdate() + timedelta(days=1)
    errors = _errors(visited_on=(str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)))
    assert errors["visited_on"] == ["Date of the visit must be today or in the past"]


def test_an_aside_in_the_label_is_left_out_of_the_error():
    errors = _errors(visited_on=("1", "1", "2025"), due_on=("30", "2", "2026"))
    assert errors["due_on"] == ["Due date must be a real date"]


def test_a_question_label_is_named_from_its_required_message_or_as_the_date():
    errors = _errors(visited_on=("1", "1", "2025"), happened_on=("1", "13", "2025"),
                     asked_on=("1", "", "2025"))
    assert errors["happened_on"] == ["The date it happened must be a real date"]
    assert errors["asked_on"] == ["The date must include a month"]


def test_a_label_changed_after_the_form_is_built_is_the_one_named():
    form = VisitForm({"visited_on_0": "32", "visited_on_1": "1", "visited_on_2": "2025"})
    form.fields["visited_on"].label = "Date of the home visit"
    assert form.errors["visited_on"] == ["Date of the home visit must be a real date"]


class BareForm(forms.Form):
    born_on = DateInputField(label="Date of birth")
    icpc_on = DateInputField(label="ICPC date")
    when_on = DateInputField(label="When was it?")


@pytest.mark.parametrize("field, message", [
    ("born_on", "Enter date of birth"),
    ("icpc_on", "Enter ICPC date"),
    ("when_on", "Enter the date"),
])
def test_an_empty_date_with_no_message_of_its_own_asks_for_the_date_by_its_name(field, message):
    form = BareForm({})
    assert not form.is_valid()
    assert form.errors[field] == [message]
