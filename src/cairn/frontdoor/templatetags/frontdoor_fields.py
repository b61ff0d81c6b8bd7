"""Which GOV.UK field include renders a form field, so simple forms need no hand layout."""

from django import forms, template

from cairn.core.forms import DateInputField

register = template.Library()


@register.filter
def field_include(field) -> str:
    widget, kind = field.field.widget, field.field
    if isinstance(kind, DateInputField):
        return "core/fields/date.html"
    if isinstance(widget, forms.Textarea):
        return "core/fields/textarea.html"
    if isinstance(kind, forms.ChoiceField):
        return "core/fields/radios.html"
    return "core/fields/input.html"
