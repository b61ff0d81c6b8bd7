"""What inspection adds to My work (core.stages): for a senior manager, the improvement plan's
progress and the inspectors' access open; for an inspector, the children they may read and
when their access ends. Anyone else gets nothing, and no query: the role decides."""

from django.utils import timezone

from cairn.access import policy
from cairn.core import stages
from cairn.workforce.models import Role

from . import selectors


def _home(request, child) -> dict:
    user = request.user
    if user.role == Role.INSPECTOR and policy.allows(user, policy.VIEW):
        return {"inspection_home": {"inspector": selectors.inspectors_own(user),
                                    "today": timezone.localdate()}}
    if not policy.allows(user, policy.INSPECTIONS):
        return {"inspection_home": None}
    return {"inspection_home": {
        "plan": selectors.plan_summary(),
        "accesses": (list(selectors.open_accesses(timezone.localdate())[:10])
                     if policy.allows(user, policy.GRANT_INSPECTION) else None)}}


stages.section("inspection/_home.html", order=15, where=stages.HOME, context=_home)
