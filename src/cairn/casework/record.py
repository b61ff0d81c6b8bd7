"""What casework adds to the pages it shares with the stages (core.stages): a person's open
actions on My work, and a child's actions as a part of their record."""

from cairn.access import policy
from cairn.core import selectors as core_selectors
from cairn.core import stages


def _my_actions(request, child) -> dict:
    return {"my_actions": list(core_selectors.actions_open_for(
        request.user, children=policy.visible_children(request.user)))}


stages.section("casework/_my_actions.html", order=15, where=stages.HOME, context=_my_actions)
stages.tab("actions", "Actions", "child_actions", order=5)
# Restricting the record and who may see it: senior managers only (policy.RESTRICT). The
# viewer already sees the child, so the role decides, with no query.
stages.section("casework/_restriction.html", order=90, context=lambda request, child: {
    "can_restrict": policy.allows(request.user, policy.RESTRICT)})
# Every change to the record, field by field (casework.history); last, after every stage's.
stages.tab("history", "History", "child_history", order=100)
