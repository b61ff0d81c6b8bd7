"""The timescale rules Cairn starts with, as data (loaded by migrations, editable in admin).

Each cites its source; `local` marks a rule that is the authority's own practice, not national
law or statutory guidance (../shared/reference/domain.md), which an administrator may change.
Rule codes, fact names and who is responsible are the constants in core/names.py.

This list is what a new rule set looks like today (tests load it after a flush). The database
gets its rules from the data migrations, each frozen as it was written: a change here needs a
data migration of its own (as 0007 gave the return interview its offer as the finishing fact).
"""

from . import names as N

WD, D, H, W, M, T = "WD", "D", "H", "W", "M", "T"

DEFAULT_RULES: list[dict] = [
    dict(code=N.CONTACT_DECISION, name="Decision on a contact",
         starts=N.CONTACT_RECEIVED, finishes=N.CONTACT_DECIDED,
         first_limit=1, first_unit=WD, responsible=N.FRONT_DOOR, local=True,
         source="Local practice, after Working Together 2023 ch. 3 (referral decision in 1 WD)"),
    dict(code=N.ASSESSMENT, name="Single assessment completed",
         starts=N.REFERRAL_RECEIVED, finishes=N.ASSESSMENT_AUTHORISED, stops=N.REFERRAL_NFA,
         first_limit=45, first_unit=WD, responsible=N.SOCIAL_WORKER,
         source="Working Together 2023 ch. 3: 45 working days from referral"),
    dict(code=N.ICPC, name="Initial child protection conference",
         starts=N.STRATEGY_DISCUSSION_S47, finishes=N.ICPC_HELD, stops=N.ICPC_NOT_REQUIRED,
         first_limit=15, first_unit=WD, responsible=N.SOCIAL_WORKER,
         source="Working Together 2023 ch. 4: 15 working days from the strategy discussion"),
    dict(code=N.FIRST_CORE_GROUP, name="First core group meeting",
         starts=N.CP_PLAN_STARTED, finishes=N.CORE_GROUP_HELD, stops=N.CP_PLAN_ENDED,
         first_limit=10, first_unit=WD, responsible=N.SOCIAL_WORKER,
         source="Working Together 2023 ch. 4: 10 working days after the ICPC"),
    dict(code=N.REVIEW_CONFERENCE, name="Review child protection conference",
         starts=N.CP_PLAN_STARTED, finishes=N.RCPC_HELD, stops=N.CP_PLAN_ENDED,
         first_limit=3, first_unit=M, repeat_limit=6, repeat_unit=M, responsible=N.IRO,
         source="Working Together 2023 ch. 4: within 3 months, then at most every 6 months"),
    dict(code=N.CP_VISIT, name="Child protection visit",
         starts=N.CP_PLAN_STARTED, finishes=N.CP_PLAN_VISITED, stops=N.CP_PLAN_ENDED,
         first_limit=10, first_unit=WD, repeat_limit=10, repeat_unit=WD,
         responsible=N.SOCIAL_WORKER, local=True,
         source="Local practice: no national frequency; 10 working days is common"),
    dict(code=N.CLA_REVIEW, name="Looked-after child review",
         starts=N.LOOKED_AFTER_STARTED, finishes=N.CLA_REVIEW_HELD,
         stops=N.LOOKED_AFTER_CEASED,
         first_limit=20, first_unit=WD, then_limit=3, then_unit=M, repeat_limit=6,
         repeat_unit=M, responsible=N.IRO,
         source="Care Planning, Placement and Case Review Regulations 2010, reg 33"),
    dict(code=N.CLA_VISIT, name="Statutory visit to a looked-after child",
         starts=N.PLACEMENT_STARTED, finishes=N.CLA_VISIT_SEEN, stops=N.LOOKED_AFTER_CEASED,
         first_limit=7, first_unit=D, repeat_limit=6, repeat_unit=W,
         responsible=N.SOCIAL_WORKER,
         source="CPPCR 2010 reg 28: within a week of each placement, then at most 6 weeks"),
    dict(code=N.INITIAL_HEALTH, name="Initial health assessment",
         starts=N.LOOKED_AFTER_STARTED, finishes=N.INITIAL_HEALTH_DONE,
         stops=N.LOOKED_AFTER_CEASED,
         first_limit=20, first_unit=WD, responsible=N.SOCIAL_WORKER,
         source="CPPCR 2010 reg 7; Promoting the health of looked-after children (2015)"),
    dict(code=N.REVIEW_HEALTH_UNDER_5, name="Review health assessment (under 5)",
         starts=N.INITIAL_HEALTH_DONE, finishes=N.REVIEW_HEALTH_DONE,
         stops=N.LOOKED_AFTER_CEASED,
         first_limit=6, first_unit=M, repeat_limit=6, repeat_unit=M, max_age=5,
         responsible=N.SOCIAL_WORKER,
         source="Promoting the health of looked-after children (2015): every 6 months under 5"),
    dict(code=N.REVIEW_HEALTH_5_PLUS, name="Review health assessment (5 and over)",
         starts=N.INITIAL_HEALTH_DONE, finishes=N.REVIEW_HEALTH_DONE,
         stops=N.LOOKED_AFTER_CEASED,
         first_limit=12, first_unit=M, repeat_limit=12, repeat_unit=M, min_age=5,
         responsible=N.SOCIAL_WORKER,
         source="Promoting the health of looked-after children (2015): yearly from 5"),
    dict(code=N.PEP, name="Personal education plan",
         starts=N.LOOKED_AFTER_STARTED, finishes=N.PEP_HELD, stops=N.LOOKED_AFTER_CEASED,
         first_limit=20, first_unit=WD, repeat_limit=1, repeat_unit=T, min_age=4, max_age=16,
         responsible=N.SOCIAL_WORKER,
         source="Promoting the education of looked-after children (2018): each term"),
    dict(code=N.RETURN_INTERVIEW, name="Return home interview offered",
         starts=N.MISSING_RETURNED, finishes=N.RHI_OFFERED,
         first_limit=72, first_unit=H, responsible=N.SOCIAL_WORKER,
         source="Children who run away or go missing from home or care (2014): an independent "
                "return interview offered within 72 hours of the return"),
    dict(code=N.PATHWAY_PLAN_REVIEW, name="Pathway plan review",
         starts=N.PATHWAY_PLAN_MADE, finishes=N.PATHWAY_PLAN_REVIEWED,
         stops=N.LEAVING_CARE_ENDED,
         first_limit=6, first_unit=M, repeat_limit=6, repeat_unit=M,
         responsible=N.PERSONAL_ADVISER,
         source="Care Leavers (England) Regulations 2010 reg 7: at least every 6 months"),
    dict(code=N.PA_CONTACT, name="Personal adviser contact",
         starts=N.LEAVING_CARE_STARTED, finishes=N.PA_CONTACT_IN_TOUCH,
         stops=N.LEAVING_CARE_ENDED,
         first_limit=8, first_unit=W, repeat_limit=8, repeat_unit=W,
         responsible=N.PERSONAL_ADVISER,
         source="Care Leavers (England) Regulations 2010: contact at least every 8 weeks"),
    dict(code=N.PRIVATE_FOSTERING_VISIT, name="Private fostering visit",
         starts=N.PRIVATE_FOSTERING_NOTIFIED, finishes=N.PRIVATE_FOSTERING_VISITED,
         stops=N.PRIVATE_FOSTERING_ENDED,
         first_limit=7, first_unit=WD, repeat_limit=6, repeat_unit=W, later_limit=12,
         later_unit=W, responsible=N.SOCIAL_WORKER,
         source="Children (Private Arrangements for Fostering) Regulations 2005 reg 8"),
    dict(code=N.CARE_PROCEEDINGS, name="Care proceedings concluded",
         starts=N.CARE_PROCEEDINGS_ISSUED, finishes=N.CARE_PROCEEDINGS_CONCLUDED,
         extended_by=N.CARE_PROCEEDINGS_EXTENDED, first_limit=26, first_unit=W,
         responsible=N.SOCIAL_WORKER,
         source="Children Act 1989 s32(1)(a)(ii) and (5): 26 weeks from issue, plus "
                "extensions of up to 8 weeks each"),
    dict(code=N.PRE_PROCEEDINGS, name="Pre-proceedings concluded",
         starts=N.PRE_PROCEEDINGS_STARTED, finishes=N.PRE_PROCEEDINGS_ENDED,
         first_limit=16, first_unit=W, responsible=N.TEAM_MANAGER, local=True,
         source="Public Law Outline pre-proceedings: 16-week expectation (local practice)"),
    # Early help has no national timescales: the authority sets its own (issue 12).
    dict(code=N.EARLY_HELP_ASSESSMENT, name="Early help assessment completed",
         starts=N.EARLY_HELP_STARTED, finishes=N.EARLY_HELP_ASSESSMENT_COMPLETED,
         first_limit=30, first_unit=WD, responsible=N.EARLY_HELP, local=True,
         source="Local practice: early help assessment within 30 working days of the start"),
    dict(code=N.EARLY_HELP_REVIEW, name="Early help plan review",
         starts=N.EARLY_HELP_PLAN_STARTED, finishes=N.EARLY_HELP_REVIEW_HELD,
         stops=f"{N.EARLY_HELP_PLAN_ENDED},{N.EARLY_HELP_ENDED}",
         first_limit=12, first_unit=W, repeat_limit=12, repeat_unit=W,
         responsible=N.EARLY_HELP, local=True,
         source="Local practice: team around the family review at least every 12 weeks"),
    dict(code=N.PRE_PROCEEDINGS_REVIEW, name="Pre-proceedings review point",
         starts=N.PRE_PROCEEDINGS_STARTED, finishes=N.PRE_PROCEEDINGS_REVIEWED,
         stops=N.PRE_PROCEEDINGS_ENDED, first_limit=6, first_unit=W, repeat_limit=4,
         repeat_unit=W, responsible=N.SOCIAL_WORKER, local=True,
         source="Local practice: PLO review 6 weeks after the legal gateway decision, then "
                "every 4 weeks until pre-proceedings end"),
    dict(code=N.ASSESSMENT_UPDATE, name="Assessment updated after a significant event",
         starts=N.ASSESSMENT_UPDATE_DUE, finishes=N.ASSESSMENT_STARTED,
         first_limit=10, first_unit=WD, responsible=N.SOCIAL_WORKER, local=True,
         source="Local practice (F1): an authorised assessment overtaken by a significant "
                "event is updated within 10 working days of it"),
    dict(code=N.CIN_PLAN_REVIEW, name="Child in need plan review",
         starts=N.CIN_PLAN_STARTED, finishes=N.CIN_PLAN_REVIEW_HELD, stops=N.CIN_PLAN_ENDED,
         first_limit=3, first_unit=M, repeat_limit=3, repeat_unit=M,
         responsible=N.SOCIAL_WORKER, local=True,
         source="Local practice: no national frequency for child in need reviews; the "
                "authority reviews each plan within 3 months, then every 3 months"),
]


def load_default_rules(TimescaleRule) -> None:
    """Create the default rules that do not exist yet; an authority's edits are kept."""
    for rule in DEFAULT_RULES:
        TimescaleRule.objects.get_or_create(code=rule["code"], defaults=rule)
