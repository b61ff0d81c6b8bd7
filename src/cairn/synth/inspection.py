"""The synthetic authority's inspections (F38, F40): its last ILACS, about a year before --as-of,
with its judgements, areas for improvement and an improvement plan part done (some actions late),
and the inspection on site now, whose inspector (inspector.demo) reads a sample of open cases
(the grants the audit stage gives). So sm.demo finds a plan to follow and an inspector's access
to oversee, and inspector.demo finds their sampled children."""

from __future__ import annotations

from datetime import timedelta

from cairn.access.models import AccessGrant
from cairn.inspection.models import (
    AreaForImprovement,
    Evidence,
    ImprovementAction,
    Inspection,
    InspectorAccess,
    Judgement,
    ProgressUpdate,
)

from .sink import moment, next_id

GRADES = {"overall": "requires_improvement", "leaders": "requires_improvement",
          "help_and_protection": "requires_improvement", "children_in_care": "good",
          "care_leavers": "good"}
# Each area for improvement with its actions: (what, owner's demo role, due (days after the
# report), done (days after the report) or None, the indicator that shows it working).
PLAN = (
    ("The quality and consistency of management oversight and supervision of social work "
     "practice, so that plans progress without drift",
     (("Monthly audit of supervision records in every team, reported to the service's "
       "management meeting", "service_manager", 60, 55, ""),
      ("Supervision policy rewritten with reflective supervision at its core, and every team "
       "manager trained in it", "team_manager", 150, None, ""),
      ("Caseloads of social workers in child protection teams brought under 20",
       "service_manager", 300, None, "cp_visits_in_time"))),
    ("The timeliness of initial child protection conferences and first core group meetings",
     (("Conference chairs' diaries hold two slots a week kept for initial conferences",
       "iro", 45, 40, "cin_icpcs_within_15wd"),
      ("Core groups booked at the initial conference, before the family leaves",
       "team_manager", 90, None, "cp_first_core_group_10wd"))),
    ("Return home interviews for children who go missing from care, and how what children say "
     "in them is used in their plans",
     (("Return home interviews offered within 72 hours, tracked daily by the missing "
       "coordinator", "service_manager", 120, None, "return_interviews_72h"),
      ("What children say in return home interviews recorded on their plans and reviewed at "
       "their next looked after review", "iro", 420, None, "missing_children"))),
    ("Pathway plans for care leavers: written with young people, specific, and reviewed on time",
     (("Pathway plan template rewritten with care leavers", "personal_adviser", 100, 95,
       "care_leavers_age19_21_in_touch"),)),
)


class InspectionStage:
    """A stage mixed into `builder.Builder`, run after `audit` (whose grants it names)."""

    def inspections(self) -> list:
        demo = self.demo
        sm = demo["service_manager"]
        on_site = self.as_of - timedelta(days=420)
        published = on_site + timedelta(days=52)
        pk = next_id(Inspection)
        past = Inspection(id=pk, kind="ilacs_standard", started_on=on_site,
                          ended_on=on_site + timedelta(days=11), published_on=published,
                          summary="Help and protection and leadership require improvement to "
                                  "be good; children in care and care leavers are well served.",
                          recorded_by_id=sm, recorded_at=moment(published, 14))
        now = Inspection(id=pk + 1, kind="ilacs_short", started_on=self.as_of,
                         ended_on=self.as_of + timedelta(days=4), recorded_by_id=sm,
                         recorded_at=moment(self.as_of, 8))
        Inspection.objects.bulk_create([past, now])
        jid = next_id(Judgement)
        Judgement.objects.bulk_create([
            Judgement(id=jid + n, inspection=past, area=area, grade=grade, recorded_by_id=sm,
                      recorded_at=moment(published, 14))
            for n, (area, grade) in enumerate(GRADES.items())])
        aid, xid = next_id(AreaForImprovement), next_id(ImprovementAction)
        uid, eid = next_id(ProgressUpdate), next_id(Evidence)
        areas, actions, updates, evidence = [], [], [], []
        for n, (text, planned) in enumerate(PLAN):
            area = AreaForImprovement(id=aid + n, inspection=past, text=text, recorded_by_id=sm,
                                      recorded_at=moment(published, 15))
            areas.append(area)
            for what, owner, due, done, indicator in planned:
                due_on = published + timedelta(days=due)
                done_on = published + timedelta(days=done) if done is not None else None
                if done_on and done_on > self.as_of:
                    done_on = None
                started = published + timedelta(days=min(30, due // 2))
                status = ("completed" if done_on else
                          "in_progress" if started <= self.as_of else "not_started")
                action = ImprovementAction(
                    id=xid + len(actions), area=area, description=what,
                    owner_id=demo[owner], due_on=due_on, status=status, completed_on=done_on,
                    recorded_by_id=sm, recorded_at=moment(published + timedelta(days=7), 11))
                actions.append(action)
                if status != "not_started":
                    updates.append(ProgressUpdate(
                        id=uid + len(updates), action=action, status="in_progress",
                        text="Started: the owner has set out the work and who does what.",
                        recorded_by_id=demo[owner], recorded_at=moment(started, 16)))
                if done_on:
                    updates.append(ProgressUpdate(
                        id=uid + len(updates), action=action, status="completed",
                        text="Done, and checked at the service's management meeting.",
                        recorded_by_id=demo[owner], recorded_at=moment(done_on, 16)))
                    evidence.append(Evidence(
                        id=eid + len(evidence), action=action, indicator=indicator,
                        text="" if indicator else "Audit of 40 case files: 31 good or better.",
                        recorded_by_id=sm, recorded_at=moment(done_on, 17)))
                elif indicator and status == "in_progress":
                    evidence.append(Evidence(
                        id=eid + len(evidence), action=action, indicator=indicator,
                        recorded_by_id=sm, recorded_at=moment(started, 17)))
        AreaForImprovement.objects.bulk_create(areas)
        ImprovementAction.objects.bulk_create(actions)
        ProgressUpdate.objects.bulk_create(updates)
        Evidence.objects.bulk_create(evidence)
        # The inspector on site now reads the sample the audit stage granted them.
        grants = list(AccessGrant.objects.filter(staff_id=demo["inspector"])
                      .order_by("pk").values_list("pk", "until"))
        access = InspectorAccess(id=next_id(InspectorAccess), inspection=now,
                                 inspector_id=demo["inspector"], starts_on=self.as_of,
                                 ends_on=max((u for _, u in grants if u), default=self.as_of),
                                 cohort="chosen", granted_by_id=sm,
                                 granted_at=moment(self.as_of, 8))
        access.save(force_insert=True)
        through = InspectorAccess.grants.through
        tid = next_id(through)
        through.objects.bulk_create([through(id=tid + n, inspectoraccess_id=access.pk,
                                             accessgrant_id=grant)
                                     for n, (grant, _) in enumerate(grants)])
        written = [Inspection, Judgement, AreaForImprovement, ImprovementAction, ProgressUpdate,
                   Evidence, InspectorAccess, through]
        for model_, rows in ((Inspection, 2), (Judgement, len(GRADES)),
                             (AreaForImprovement, len(areas)), (ImprovementAction, len(actions)),
                             (ProgressUpdate, len(updates)), (Evidence, len(evidence)),
                             (InspectorAccess, 1)):
            self.counts[model_._meta.label] = rows
        return written
