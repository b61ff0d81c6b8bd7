"""The count of work awaiting a manager's authorisation, for the navigation; how a count says
the records in it the viewer cannot open."""

from django import template

from cairn.access import policy

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def authorisations_waiting(context) -> int | None:
    """How many decisions wait for the signed-in manager; None for staff who cannot authorise."""
    user = context.get("user")
    if user is None or not policy.allows(user, policy.AUTHORISE):
        return None
    return selectors.awaiting_count(user)


@register.filter
def cannot_open(count) -> str:
    """" and 1 record you cannot open" after a count of children, where `count` of the
    children counted are restricted records the viewer is not named on; "" where none are.
    The records are acknowledged without a name, so the count and its list agree."""
    if not count:
        return ""
    return f" and {count} record{'s' if count != 1 else ''} you cannot open"
