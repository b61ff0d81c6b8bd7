"""What management oversight adds to a manager's home page: the teams in their line at a
glance; and, for those who may read access logs, the way to who looked at a record and what a
member of staff opened (core.stages)."""

from cairn.access import policy
from cairn.core import stages

from . import selectors, selectors_access

stages.section("oversight/_teams_at_a_glance.html", order=20, where=stages.HOME,
               context=lambda request, child: {
                   "teams_at_a_glance": selectors.teams_at_a_glance(request.user)})


def _record_access(request, child) -> dict:
    # The child's summary is shown only to those who may open the record; the role decides.
    return {"record_access": {
        "log": policy.allows(request.user, policy.SEE_ACCESS_LOG),
        "export": policy.allows(request.user, policy.SUBJECT_ACCESS)}}


def _information_governance(request, child) -> dict:
    """The data protection lead's work: requests to answer, refusals to look into. A manager
    gets the way to their staff's access logs; anyone else nothing (and no query)."""
    user = request.user
    if not policy.allows(user, policy.SEE_ACCESS_LOG):
        return {"governance": None}
    if not policy.allows(user, policy.SUBJECT_ACCESS):
        return {"governance": {"lead": False}}
    exports = selectors_access.recent_exports()
    ids = {e.child_id for e in exports if e.child_id}
    children = ({c.pk: c for c in policy.visible_children(user).filter(pk__in=ids)}
                if ids else {})
    return {"governance": {
        "lead": True, "refusals": selectors_access.recent_refusals(),
        "exports": [(e, children.get(e.child_id)) for e in exports]}}


stages.section("oversight/_record_access.html", order=90, context=_record_access)
stages.section("oversight/_information_governance.html", order=5, where=stages.HOME,
               context=_information_governance)
