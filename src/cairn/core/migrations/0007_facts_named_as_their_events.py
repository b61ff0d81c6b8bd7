"""Facts take the names of their events' audit actions ("referral_received" becomes
"referral.received"), so a rule, a fact and the audit trail name one event one way; stored rules
are renamed to match. And the return interview clock is met by the interview's offer within 72
hours (the 2014 statutory guidance), where it was the interview held.

Frozen: the names are literals here, as they were when this was written (core/names.py may move
on; a later rename is a later migration).
"""

from django.db import migrations

RENAMED = {
    "case_note": "case_note.added", "child_seen": "case_note.child_seen",
    "contact_received": "contact.received", "contact_decided": "contact.decided",
    "referral_received": "referral.received", "referral_nfa": "referral.nfa",
    "referral_closed": "referral.closed", "early_help_started": "early_help.started",
    "early_help_ended": "early_help.ended", "step_decision": "step_decision.authorised",
    "assessment_started": "assessment.started",
    "assessment_authorised": "assessment.authorised",
    "strategy_discussion": "strategy_discussion.held",
    "strategy_discussion_s47": "strategy_discussion.s47_agreed",
    "s47_started": "section47.started", "s47_completed": "section47.completed",
    "icpc_not_required": "section47.icpc_not_required", "icpc_held": "conference.initial_held",
    "rcpc_held": "conference.review_held", "cp_plan_started": "cp_plan.started",
    "cp_plan_ended": "cp_plan.ended", "core_group_held": "core_group.held",
    "cp_visit": "cp_plan.visited", "cin_visit": "cin_plan.visited",
    "cin_plan_started": "cin_plan.started", "cin_plan_ended": "cin_plan.ended",
    "safety_plan_made": "safety_plan.made", "looked_after_started": "looked_after.started",
    "looked_after_ceased": "looked_after.ceased", "placement_started": "placement.started",
    "placement_ended": "episode.ended", "legal_status_changed": "legal_status.changed",
    "cla_review_held": "cla_review.held", "cla_visit": "cla_visit.child_seen",
    "iha_done": "health_assessment.initial_done", "rha_done": "health_assessment.review_done",
    "health_assessment_done": "health_assessment.done", "dental_check": "dental_check.done",
    "pep_held": "pep.held", "missing_started": "missing.started",
    "missing_returned": "missing.returned", "rhi_done": "rhi.held",
    "care_planning_meeting": "care_planning_meeting.held", "dolo_started": "dolo.started",
    "dolo_ended": "dolo.ended", "plo_started": "pre_proceedings.started",
    "plo_review": "pre_proceedings.reviewed", "plo_ended": "pre_proceedings.ended",
    "proceedings_issued": "care_proceedings.issued",
    "proceedings_concluded": "care_proceedings.concluded",
    "proceedings_extended": "care_proceedings.extended", "hearing_held": "hearing.held",
    "order_made": "legal_order.made", "epo_extended": "legal_order.extended",
    "permanence_plan_agreed": "permanence_plan.agreed", "adm_decision": "adoption.decided",
    "placement_order_made": "placement_order.made", "adoption_matched": "adoption.matched",
    "placed_for_adoption": "adoption.placed", "adoption_order_made": "adoption_order.made",
    "sgo_made": "sgo.made", "leaving_care_started": "leaving_care.started",
    "leaving_care_ended": "leaving_care.ended", "pathway_plan_made": "pathway_plan.made",
    "pathway_plan_reviewed": "pathway_plan.reviewed", "pa_contact": "pa_contact.in_touch",
    "pf_notified": "private_fostering.notified", "pf_visit": "private_fostering.visited",
    "pf_ended": "private_fostering.ended",
}
FIELDS = ("starts", "finishes", "extended_by")


def _rename(rule, names: dict) -> None:
    for field in FIELDS:
        value = getattr(rule, field)
        setattr(rule, field, names.get(value, value))
    rule.stops = ",".join(names.get(n.strip(), n.strip()) for n in rule.stops.split(",")
                          if n.strip())


def forward(apps, schema_editor):
    TimescaleRule = apps.get_model("core", "TimescaleRule")
    for rule in TimescaleRule.objects.all():
        _rename(rule, RENAMED)
        if rule.code == "return-interview" and rule.finishes == "rhi.held":
            rule.finishes = "rhi.offered"
            rule.name = "Return home interview offered"
            rule.source = ("Children who run away or go missing from home or care (2014): an "
                           "independent return interview offered within 72 hours of the return")
        rule.save()


def backward(apps, schema_editor):
    TimescaleRule = apps.get_model("core", "TimescaleRule")
    former = {new: old for old, new in RENAMED.items()}
    for rule in TimescaleRule.objects.all():
        if rule.code == "return-interview" and rule.finishes == "rhi.offered":
            rule.finishes = "rhi.held"
            rule.name = "Return home interview"
            rule.source = ("Children who run away or go missing from home or care (2014): "
                           "72 hours")
        _rename(rule, former)
        rule.save()


class Migration(migrations.Migration):
    dependencies = [("core", "0006_timescale_rule_responsible")]
    operations = [migrations.RunPython(forward, backward)]
