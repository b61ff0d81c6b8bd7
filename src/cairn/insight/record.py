"""What insight adds to My work (core.stages): the analyst's lists, for those who produce the
returns (the role decides, with no query); and, for those who oversee teams, the headline
indicators of what they manage."""

from django.utils import timezone

from cairn.access import policy
from cairn.core import stages

from . import dashboard, indicators

stages.section("insight/_my_work.html", order=50, where=stages.HOME,
               context=lambda request, child: {
                   "can_see_characteristics": policy.allows(request.user, policy.RETURNS)})


def _dashboard(request, child) -> dict:
    """What the manager manages, in a handful of headline indicators: each now and at the end
    of last month, in one query (and a few to find the scope and the rules); nothing and no
    query for those who oversee no team."""
    scope = dashboard.home_scope(request.user)
    if scope is None:
        return {"dashboard": None}
    inds = [indicators.REGISTRY[i] for i in dashboard.headline_ids(scope)]
    if not inds:  # a team that holds no children to count (the front door): no headlines
        return {"dashboard": None}
    return {"dashboard": {"scope": scope, "headlines": dashboard.headlines(
        inds, scope, timezone.localdate())}}


stages.section("insight/_dashboard.html", order=25, where=stages.HOME, context=_dashboard)
