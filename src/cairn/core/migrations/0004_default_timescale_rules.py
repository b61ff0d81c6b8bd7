"""The timescale rules Cairn started with, frozen as they were when this migration was written.

The rules are literals here, not imported from core/rules.py: a migration must load the same rows
whatever the code looks like later (a field added to TimescaleRule, a rule or a fact renamed).
Later changes to the defaults are later data migrations (0007 gives facts their events' names).
"""

from django.db import migrations

WD, D, H, W, M, T = "WD", "D", "H", "W", "M", "T"

DEFAULT_RULES: list[dict] = [
    dict(code="contact-decision", name="Decision on a contact",
         starts="contact_received", finishes="contact_decided",
         first_limit=1, first_unit=WD, responsible="front_door", local=True,
         source="Local practice, after Working Together 2023 ch. 3 (referral decision in 1 WD)"),
    dict(code="assessment", name="Single assessment completed",
         starts="referral_received", finishes="assessment_authorised", stops="referral_nfa",
         first_limit=45, first_unit=WD, responsible="social_worker",
         source="Working Together 2023 ch. 3: 45 working days from referral"),
    dict(code="icpc", name="Initial child protection conference",
         starts="strategy_discussion_s47", finishes="icpc_held", stops="icpc_not_required",
         first_limit=15, first_unit=WD, responsible="social_worker",
         source="Working Together 2023 ch. 4: 15 working days from the strategy discussion"),
    dict(code="first-core-group", name="First core group meeting",
         starts="cp_plan_started", finishes="core_group_held", stops="cp_plan_ended",
         first_limit=10, first_unit=WD, responsible="social_worker",
         source="Working Together 2023 ch. 4: 10 working days after the ICPC"),
    dict(code="review-conference", name="Review child protection conference",
         starts="cp_plan_started", finishes="rcpc_held", stops="cp_plan_ended",
         first_limit=3, first_unit=M, repeat_limit=6, repeat_unit=M, responsible="iro",
         source="Working Together 2023 ch. 4: within 3 months, then at most every 6 months"),
    dict(code="cp-visit", name="Child protection visit",
         starts="cp_plan_started", finishes="cp_visit", stops="cp_plan_ended",
         first_limit=10, first_unit=WD, repeat_limit=10, repeat_unit=WD,
         responsible="social_worker", local=True,
         source="Local practice: no national frequency; 10 working days is common"),
    dict(code="cla-review", name="Looked-after child review",
         starts="looked_after_started", finishes="cla_review_held", stops="looked_after_ceased",
         first_limit=20, first_unit=WD, then_limit=3, then_unit=M, repeat_limit=6,
         repeat_unit=M, responsible="iro",
         source="Care Planning, Placement and Case Review Regulations 2010, reg 33"),
    dict(code="cla-visit", name="Statutory visit to a looked-after child",
         starts="placement_started", finishes="cla_visit", stops="looked_after_ceased",
         first_limit=7, first_unit=D, repeat_limit=6, repeat_unit=W,
         responsible="social_worker",
         source="CPPCR 2010 reg 28: within a week of each placement, then at most 6 weeks"),
    dict(code="initial-health", name="Initial health assessment",
         starts="looked_after_started", finishes="iha_done", stops="looked_after_ceased",
         first_limit=20, first_unit=WD, responsible="social_worker",
         source="CPPCR 2010 reg 7; Promoting the health of looked-after children (2015)"),
    dict(code="review-health-under-5", name="Review health assessment (under 5)",
         starts="iha_done", finishes="rha_done", stops="looked_after_ceased",
         first_limit=6, first_unit=M, repeat_limit=6, repeat_unit=M, max_age=5,
         responsible="social_worker",
         source="Promoting the health of looked-after children (2015): every 6 months under 5"),
    dict(code="review-health-5-plus", name="Review health assessment (5 and over)",
         starts="iha_done", finishes="rha_done", stops="looked_after_ceased",
         first_limit=12, first_unit=M, repeat_limit=12, repeat_unit=M, min_age=5,
         responsible="social_worker",
         source="Promoting the health of looked-after children (2015): yearly from 5"),
    dict(code="pep", name="Personal education plan",
         starts="looked_after_started", finishes="pep_held", stops="looked_after_ceased",
         first_limit=20, first_unit=WD, repeat_limit=1, repeat_unit=T, min_age=4, max_age=16,
         responsible="social_worker",
         source="Promoting the education of looked-after children (2018): each term"),
    dict(code="return-interview", name="Return home interview",
         starts="missing_returned", finishes="rhi_done",
         first_limit=72, first_unit=H, responsible="social_worker",
         source="Children who run away or go missing from home or care (2014): 72 hours"),
    dict(code="pathway-plan-review", name="Pathway plan review",
         starts="pathway_plan_made", finishes="pathway_plan_reviewed", stops="leaving_care_ended",
         first_limit=6, first_unit=M, repeat_limit=6, repeat_unit=M,
         responsible="personal_adviser",
         source="Care Leavers (England) Regulations 2010 reg 7: at least every 6 months"),
    dict(code="pa-contact", name="Personal adviser contact",
         starts="leaving_care_started", finishes="pa_contact", stops="leaving_care_ended",
         first_limit=8, first_unit=W, repeat_limit=8, repeat_unit=W,
         responsible="personal_adviser",
         source="Care Leavers (England) Regulations 2010: contact at least every 8 weeks"),
    dict(code="private-fostering-visit", name="Private fostering visit",
         starts="pf_notified", finishes="pf_visit", stops="pf_ended",
         first_limit=7, first_unit=WD, repeat_limit=6, repeat_unit=W, later_limit=12,
         later_unit=W, responsible="social_worker",
         source="Children (Private Arrangements for Fostering) Regulations 2005 reg 8"),
    dict(code="care-proceedings", name="Care proceedings concluded",
         starts="proceedings_issued", finishes="proceedings_concluded",
         extended_by="proceedings_extended", first_limit=26, first_unit=W, responsible="social_worker",
         source="Children Act 1989 s32(1)(a)(ii) and (5): 26 weeks from issue, plus "
                "extensions of up to 8 weeks each"),
    dict(code="pre-proceedings", name="Pre-proceedings concluded",
         starts="plo_started", finishes="plo_ended",
         first_limit=16, first_unit=W, responsible="team_manager", local=True,
         source="Public Law Outline pre-proceedings: 16-week expectation (local practice)"),
]



def load(apps, schema_editor):
    TimescaleRule = apps.get_model("core", "TimescaleRule")
    for rule in DEFAULT_RULES:
        TimescaleRule.objects.get_or_create(code=rule["code"], defaults=rule)


def unload(apps, schema_editor):
    apps.get_model("core", "TimescaleRule").objects.filter(
        code__in=[r["code"] for r in DEFAULT_RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_timescale_rule_extended_by")]
    operations = [migrations.RunPython(load, unload)]
