"""What management oversight adds to a manager's home page: the teams in their line at a
glance (core.stages)."""

from cairn.core import stages

from . import selectors

stages.section("oversight/_teams_at_a_glance.html", order=20, where=stages.HOME,
               context=lambda request, child: {
                   "teams_at_a_glance": selectors.teams_at_a_glance(request.user)})
