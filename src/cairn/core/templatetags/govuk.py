"""Template helpers for the GOV.UK form field includes and for drafts."""

from __future__ import annotations

import uuid

from django import template
from django.utils.html import format_html, json_script

from cairn.core import services
from cairn.core.models import Draft

register = template.Library()


@register.simple_tag
def described_by(field) -> str:
    """The ids of a field's hint and error message, for aria-describedby."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.filter
def thousands(number) -> str:
    """A count as GOV.UK writes it: 20,000."""
    try:
        return f"{int(number):,}"
    except (TypeError, ValueError):
        return ""


@register.filter
def is_checked(field, value) -> bool:
    """Whether a choice is selected in a bound field (radios, checkboxes, select)."""
    current = field.value()
    if isinstance(current, (list, tuple)):
        return str(value) in {str(v) for v in current}
    if current is None or current == "":
        return value in (None, "")
    return str(current) == str(value)


@register.filter
def part(field, index: int) -> str:
    """One box of a date input as typed (day, month or year)."""
    value = field.value()
    if not isinstance(value, (list, tuple)):
        value = field.field.widget.decompress(value)
    item = value[index] if len(value) > index else None
    return "" if item is None else str(item)


@register.simple_tag
def submission_key() -> str:
    """A one-time key for a POST form: the server saves a form sent twice only once
    (core.middleware.SaveOnce). Place it next to {% csrf_token %}."""
    return format_html('<input type="hidden" name="submission_key" value="{}">',
                       uuid.uuid4().hex)


@register.simple_tag(takes_context=True)
def server_draft(context) -> str:
    """The signed-in user's saved draft for this page's form, as a JSON script element."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    draft = Draft.objects.filter(owner=request.user, key=request.path[:300]).first()
    if draft is None:
        return ""
    return json_script({"data": draft.data, "at": draft.updated_at.timestamp() * 1000},
                       "server-draft")


@register.simple_tag(takes_context=True)
def draft_saved(context) -> str:
    """The form key whose draft the last request saved for good (the script clears its copy)."""
    request = context.get("request")
    if request is None or not hasattr(request, "session"):
        return ""
    return request.session.pop("draft_saved", "")


@register.simple_tag(takes_context=True)
def draft_secret(context) -> str:
    """The key the page encrypts the signed-in user's drafts with in the browser; none for a
    page nobody is signed in to (the sign-in page), so nothing kept there can be read."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return services.draft_secret(user)
