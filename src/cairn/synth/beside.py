"""The workers allocated beside a child's social worker: an independent reviewing officer for
each child protection plan and period of care, and the supervising social worker of the foster
carers a looked-after child lives with. Each sees the child's record through that allocation
(core.policy), so the demo's reviewing officer and fostering worker have caseloads of their own.
"""

from __future__ import annotations

import random
from datetime import date

from cairn.fostering.models import FosteringHousehold
from cairn.workforce.models import Allocation, Staff

from .sink import moment

# The demo reviewing officer chairs about this many of the open plans and periods of care.
DEMO_IRO_CASELOAD = 20


class BesideStages:
    """A Builder stage (mixed into synth.builder.Builder)."""

    def allocations_beside(self) -> list:
        """IRO allocations from each CP plan's ICPC, and from each start of care, to the end;
        supervising social workers for children placed with the authority's foster carers."""

        # Draws of its own, so the rest of the authority is the same with or without these.
        r = random.Random(f"{self.seed}-beside")
        rows = self.table(Allocation, ("child_id", "worker_id", "team_id", "kind", "started_on",
                                       "ended_on", "end_reason"), self.demo["team_manager"])
        iros = self.pools["reviewing"]
        demo_iro = self.demo.get("iro")
        supervisor = dict(FosteringHousehold.objects.values_list("id", "supervising_worker_id"))
        team_of = dict(Staff.objects.filter(pk__in={*iros, *supervisor.values()} - {None})
                       .values_list("id", "team_id"))
        demo_load = 0

        def iro_for(open_: bool) -> int:
            nonlocal demo_load
            worker = r.choice(iros)
            if open_ and demo_iro and demo_load < DEMO_IRO_CASELOAD:
                demo_load += 1
                return demo_iro
            return worker

        for j, child in zip(self.journeys, self.child_ids):
            spans: list[tuple[date, date | None]] = []
            for k, inv in enumerate(j.involvements):
                for s47 in inv.s47s:
                    if s47.plan is not None:
                        spans.append((s47.plan.started_on, s47.plan.ended_on))
                if inv.care is not None:
                    spans.append((inv.care.started_on, inv.care.ended_on))
                    for n, e in enumerate(inv.care.episodes):
                        household = self.carer_of.get((child, k, n))
                        worker = supervisor.get(household)
                        if worker is None or e.started_on > self.as_of:
                            continue
                        rows.add((child, worker, team_of[worker], Allocation.Kind.FOSTERING,
                                  e.started_on, e.ended_on, "MANAGE" if e.ended_on else ""),
                                 moment(e.started_on))
            # One reviewing officer through a plan that becomes care: merge spans that touch.
            for started, ended in _merged(spans):
                if started > self.as_of:
                    continue
                worker = iro_for(ended is None)
                rows.add((child, worker, team_of[worker], Allocation.Kind.IRO, started, ended,
                          "MANAGE" if ended else ""), moment(started))
        rows.flush()
        return [Allocation]


def _merged(spans: list[tuple[date, date | None]]) -> list[tuple[date, date | None]]:
    """Spans joined where one starts before (or on the day) the previous ends."""
    out: list[tuple[date, date | None]] = []
    for started, ended in sorted(spans, key=lambda s: s[0]):
        if out and (out[-1][1] is None or started <= out[-1][1]):
            last_start, last_end = out[-1]
            out[-1] = (last_start, None if last_end is None or ended is None
                       else max(last_end, ended))
        else:
            out.append((started, ended))
    return out


