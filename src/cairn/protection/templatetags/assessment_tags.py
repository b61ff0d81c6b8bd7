"""Template tags for the panels other apps' pages include: assessments due an update (F1) and
cumulative concern (F26)."""

from __future__ import annotations

from django import template

from cairn.access import policy

from .. import selectors_assessment as selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def updates_due(context, child=None, allocations=None) -> list:
    """(child, UpdateDue) for one child's record or for the children of a caseload."""
    if child:
        children = {child.pk: child}
    else:
        children = {a.child_id: a.child for a in allocations or ()}
    found = selectors.updates_due(children)
    return [(children[child_id], due) for child_id, due in found.items()]


@register.simple_tag(takes_context=True)
def cumulative_concern(context, child):
    user = context.get("user")
    if child is None or not policy.allows(user, policy.VIEW):
        return None
    return selectors.cumulative_concern(child)


@register.simple_tag(takes_context=True)
def may(context, action: str) -> bool:
    """Whether the signed-in member of staff's role allows `action` ("allocate", "authorise")."""
    return policy.allows(context.get("user"), action)
