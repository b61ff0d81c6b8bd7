"""What performance reports add to My work (core.stages HOME): for managers and analysts, the
way to this month's report and past ones. The role decides, with no query, so a manager's home
costs the same whatever the authority's size."""

from cairn.access import policy
from cairn.core import stages

stages.section("insight/reports/_my_work.html", order=55, where=stages.HOME,
               context=lambda request, child: {
                   "can_see_reports": policy.allows(request.user, policy.SEE_REPORTS),
                   "can_make_reports": policy.allows(request.user, policy.MAKE_REPORTS),
                   "can_sign_off_reports": policy.allows(request.user,
                                                         policy.SIGN_OFF_REPORTS)})
