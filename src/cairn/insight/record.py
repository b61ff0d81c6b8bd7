"""What insight adds to My work (core.stages): the analyst's lists, for those who produce the
returns. The role decides, with no query."""

from cairn.access import policy
from cairn.core import stages

stages.section("insight/_my_work.html", order=50, where=stages.HOME,
               context=lambda request, child: {
                   "can_see_characteristics": policy.allows(request.user, policy.RETURNS)})
