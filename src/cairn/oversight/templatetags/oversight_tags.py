"""The count of work awaiting a manager's authorisation, for the navigation."""

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
