"""Form pieces every app reuses: the GOV.UK date input (day, month, year) and its field."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone

from . import conflicts


class DateInputWidget(forms.MultiWidget):
    """Three boxes, day, month and year, as the GOV.UK date input pattern asks."""

    parts = ("day", "month", "year")

    def __init__(self, attrs=None):
        widgets = [forms.TextInput(attrs={"inputmode": "numeric"}) for _ in self.parts]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def id_for_label(self, id_):
        # The error summary links to the first box, as GOV.UK's date input guidance says.
        return f"{id_}_0" if id_ else id_


class DateInputField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK's plain-English error messages.

    `past_only` refuses dates after today (a visit cannot have happened tomorrow).
    """

    widget = DateInputWidget
    # "{name}" is what the errors call the date: the field's label, as GOV.UK's date input
    # pattern asks ("Date of the visit must be a real date").
    default_error_messages = {
        "required": "Enter {object}",
        "incomplete": "{name} must include a {missing}",
        "invalid": "{name} must be a real date",
        "future": "{name} must be today or in the past",
    }

    def __init__(self, *, past_only: bool = False, **kwargs):
        self.past_only = past_only
        fields = [forms.CharField(max_length=4, required=False) for _ in DateInputWidget.parts]
        super().__init__(fields, require_all_fields=False, **kwargs)

    def clean(self, value):
        # MultiValueField only reports "required" when every box is empty; a half-filled
        # date gets its own message naming what is missing.
        if not isinstance(value, (list, tuple)):
            value = self.widget.decompress(value)
        parts = [str(p or "").strip() for p in value]
        if not any(parts):
            if self.required:
                raise self._error("required")
            return None
        missing = [name for name, part in zip(DateInputWidget.parts, parts) if not part]
        if missing:
            raise self._error("incomplete", missing=" and ".join(missing))
        try:
            day, month, year = (int(p) for p in parts)
            if year < 1000:
                raise ValueError
            result = date(year, month, day)
        except ValueError:
            raise self._error("invalid") from None
        if self.past_only and result > timezone.localdate():
            raise self._error("future")
        for validator in self.validators:
            validator(result)
        return result

    def compress(self, data_list):
        return data_list

    def error_name(self) -> str:
        """What the errors call this date: its label, less a trailing "(optional)"-like aside.

        A question label ("When did it happen?") cannot start a sentence, so the errors use
        the required message's object ("Enter the date it happened") or "The date".
        """
        label = re.sub(r"\s*\([^)]*\)$", "", str(self.label or "")).strip()
        if label and not label.endswith("?"):
            return label
        required = str(self.error_messages.get("required", ""))
        if required.startswith("Enter the date"):
            return "T" + required.removeprefix("Enter t")
        return "The date"

    def _error(self, code: str, **params) -> ValidationError:
        message = str(self.error_messages[code])
        name = self.error_name()
        # Mid-sentence the name keeps an acronym's capitals ("Enter ICPC date") and lowers
        # an ordinary first letter ("Enter date of birth").
        obj = name if name[:2].isupper() else name[:1].lower() + name[1:]
        return ValidationError(message.format(name=name, object=obj, **params), code=code)


class SignInForm(AuthenticationForm):
    """Django's sign-in form with GOV.UK's wording for what is wrong."""

    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account is not active. Ask your team manager.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Username"
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


# Recording forms: GOV.UK questions and forms that know their field templates.

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def yes_no(label: str, *, required: bool = True, message: str = "", **kwargs):
    """A Yes / No question as GOV.UK inline radios, giving True or False."""
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, coerce=_yes_no, empty_value=None, required=required,
        widget=forms.RadioSelect, error_messages={"required": message or "Select yes or no"},
        **kwargs)


def text(label: str, message: str = "", *, required: bool = True, area: bool = True,
         max_length: int | None = None, **kwargs):
    """A text question whose 'required' message says what to enter. Without `max_length` the
    form's TextLimits gives it the limit its kind of answer has."""
    errors = {"required": message or f"Enter {label.lower()}"}
    if max_length is not None:
        errors["max_length"] = too_long_message(label, max_length)
    return forms.CharField(
        label=label, required=required, max_length=max_length,
        widget=forms.Textarea if area else forms.TextInput, error_messages=errors, **kwargs)


# Free text has a limit, so that a paste of a whole file is a clear error, not a row the
# database refuses or a page nobody can read. A field sets its own where it has one (a name,
# a postcode, a model's column); the rest take the limit of their kind.
LONG_TEXT = 20_000  # a case note, an assessment's sections, a plan's words
REASON = 2_000  # why: a decision's reason, a removal's, a correction's
SHORT_TEXT = 200  # a one-line answer
NAME = 100  # a person's given or family name
REASON_WORDS = ("reason", "rationale")


def too_long_message(label: str, limit: int) -> str:
    """GOV.UK's words for an answer over its limit: "Note must be 20,000 characters or
    fewer". A question ("Why is it cancelled?") cannot start a sentence, so it is quoted."""
    label = re.sub(r"\s*\([^)]*\)$", "", str(label or "")).strip()
    if not label:
        name = "The answer"
    elif label.endswith("?"):
        name = f"The answer to \u201c{label}\u201d"
    else:
        name = label
    return f"{name} must be {limit:,} characters or fewer"


def default_limit(name: str, field: forms.CharField) -> int:
    """The limit of an answer with none of its own: a reason, a long answer or a line."""
    if isinstance(field.widget, forms.Textarea):
        return REASON if any(word in name for word in REASON_WORDS) else LONG_TEXT
    return SHORT_TEXT


def limit_text(name: str, field: forms.Field) -> None:
    """Give a free-text field a length limit (if it has none) and GOV.UK's message for it."""
    if (not isinstance(field, forms.CharField) or isinstance(field.widget, forms.HiddenInput)
            or getattr(field, "choices", None) is not None):
        return
    if field.max_length is None:
        field.max_length = default_limit(name, field)
        field.validators.append(MaxLengthValidator(field.max_length))
    field.error_messages.setdefault("max_length",
                                    too_long_message(field.label or name, field.max_length))


class TextLimits:
    """A form whose every free-text field has a length limit and a clear error past it,
    including fields a form adds as it is made (one per need of a plan): the limits are
    applied again as the form is checked and as each field is drawn."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_all()

    def _limit_all(self) -> None:
        for name, field in self.fields.items():
            limit_text(name, field)

    def full_clean(self):
        self._limit_all()
        super().full_clean()

    def __getitem__(self, name):
        if name in self.fields:
            limit_text(name, self.fields[name])
        return super().__getitem__(name)


def date_question(label: str, message: str, **kwargs):
    """A past date, as the GOV.UK day, month and year inputs, with its required message."""
    return DateInputField(label=label, past_only=True, error_messages={"required": message},
                          **kwargs)


class GovukForm(TextLimits, forms.Form):
    """A form that knows which GOV.UK field include renders each of its fields, and whose
    free text has limits (TextLimits). Every Cairn form is one."""

    def rows(self):
        """(include, bound field, inline) for each visible field, in order."""
        for field in self.visible_fields():
            widget = field.field.widget
            if isinstance(widget, DateInputWidget):
                template = "core/fields/date.html"
            elif isinstance(widget, forms.CheckboxSelectMultiple):
                template = "core/fields/checkboxes.html"
            elif isinstance(widget, forms.RadioSelect):
                template = "core/fields/radios.html"
            elif isinstance(widget, forms.Select):
                template = "core/fields/select.html"
            elif isinstance(widget, forms.Textarea):
                template = "core/fields/textarea.html"
            else:
                template = "core/fields/input.html"
            yield template, field, list(getattr(field.field, "choices", [])) == YES_NO


class VersionedForm(GovukForm):
    """An edit of a stored record: carries the version it was read at (StaleRecord on clash)
    and a fingerprint of the values it started from, so that after a clash the page can say
    which fields the other person changed (core.conflicts)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    started = forms.CharField(widget=forms.HiddenInput, required=False)
    # Fields whose first value is not the stored record's (a decision's date defaulting to
    # today): never taken for the other person's change.
    not_stored: tuple[str, ...] = ()
    conflict = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # Worked out when the page is drawn, once a subclass has set its fields' choices.
            self.initial["started"] = lambda: conflicts.fingerprint(self)

    def full_clean(self):
        conflicts.apply_choices(self)  # after a clash: their value where the user kept theirs
        super().full_clean()
