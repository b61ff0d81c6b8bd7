"""What the banner of a child's record says that a stage knows: an alert (missing now, a risk
of exploitation), a plan in force (the care plan) or who chairs the child's meetings.

A stage registers what it adds from its record.py (as it registers open periods with
core.stages); the banner (selectors.child_summary) asks each, once a page. Each stage's part
costs the page a fixed number of queries, whatever the child's record holds. The banner's own
parts, from casework and people (the IRO, disability, asylum-seeking status, interpreter,
restriction, what is due), are in selectors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass
class Part:
    """What one stage adds to a child's banner, each a sentence as the banner says it."""

    alerts: list[str] = field(default_factory=list)  # what every reader must see first
    plans: list[str] = field(default_factory=list)  # beside "Legal status and plans"
    # Who chairs or reviews the child's plan besides an allocated IRO: (name, as what).
    chairs: list[tuple[str, str]] = field(default_factory=list)


# A stage's part, given the child (its open periods prefetched: core.stages.open_for) and today.
PARTS: dict[str, Callable[[object, date], Part]] = {}


def part(name: str, read: Callable[[object, date], Part]) -> None:
    PARTS[name] = read


def parts(child, today: date) -> Part:
    """Every stage's part of `child`'s banner, in the order the stages registered."""
    out = Part()
    for read in PARTS.values():
        one = read(child, today)
        out.alerts += one.alerts
        out.plans += one.plans
        out.chairs += one.chairs
    return out
