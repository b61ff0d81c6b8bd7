"""What the statutory returns add to a child's record: the problems the latest check of the
returns found with this child's facts (core.stages)."""

from cairn.core import stages

from .validators import open_failures

stages.section("returns/child_failures.html", order=10,
               context=lambda request, child: {"return_failures": open_failures(child)})
