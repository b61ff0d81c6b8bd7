"""The names that tie rules, facts and the audit trail together, in one place.

A fact's name is the audit action of the same event ("referral.closed" is both the audit row
written when a referral is closed and the dated fact a timescale stops on), so one event has one
name wherever it is read. Rules (core.TimescaleRule) refer to facts by these names and are looked
up by their codes; each app's facts.py registers its facts under them. Plain strings, so that
migrations, rules and apps can all use them without importing one another.
"""

# Timescale rule codes ------------------------------------------------------------------------

CONTACT_DECISION = "contact-decision"
ASSESSMENT = "assessment"
ICPC = "icpc"
FIRST_CORE_GROUP = "first-core-group"
REVIEW_CONFERENCE = "review-conference"
CP_VISIT = "cp-visit"
CLA_REVIEW = "cla-review"
CLA_VISIT = "cla-visit"
INITIAL_HEALTH = "initial-health"
REVIEW_HEALTH_UNDER_5 = "review-health-under-5"
REVIEW_HEALTH_5_PLUS = "review-health-5-plus"
PEP = "pep"
RETURN_INTERVIEW = "return-interview"
PATHWAY_PLAN_REVIEW = "pathway-plan-review"
PA_CONTACT = "pa-contact"
PRIVATE_FOSTERING_VISIT = "private-fostering-visit"
CARE_PROCEEDINGS = "care-proceedings"
PRE_PROCEEDINGS = "pre-proceedings"
EARLY_HELP_ASSESSMENT = "early-help-assessment"
EARLY_HELP_REVIEW = "early-help-review"
PRE_PROCEEDINGS_REVIEW = "pre-proceedings-review"
ASSESSMENT_UPDATE = "assessment-update"
CIN_PLAN_REVIEW = "cin-plan-review"

# Who a rule's due items go to: workforce.models.Role values where the person is a role ---------

SOCIAL_WORKER = "social_worker"
TEAM_MANAGER = "team_manager"
FRONT_DOOR = "front_door"
IRO = "iro"  # independent reviewing officer or conference chair
PERSONAL_ADVISER = "personal_adviser"
FOSTERING = "fostering"
EARLY_HELP = "early_help"  # the early help practitioner

RESPONSIBLE = [
    (SOCIAL_WORKER, "Social worker"),
    (TEAM_MANAGER, "Team manager"),
    (FRONT_DOOR, "Front door worker"),
    (IRO, "Independent reviewing officer / conference chair"),
    (PERSONAL_ADVISER, "Personal adviser"),
    (FOSTERING, "Fostering social worker"),
    (EARLY_HELP, "Early help practitioner"),
]

# Facts: people --------------------------------------------------------------------------------

BORN = "person.born"
CASE_NOTE_ADDED = "case_note.added"
CHILD_SEEN = "case_note.child_seen"

# Facts: front door ----------------------------------------------------------------------------

CONTACT_RECEIVED = "contact.received"
CONTACT_DECIDED = "contact.decided"
CONSENT_DISPENSED = "contact.consent_dispensed"
REFERRAL_RECEIVED = "referral.received"
REFERRAL_NFA = "referral.nfa"
REFERRAL_CLOSED = "referral.closed"
EARLY_HELP_STARTED = "early_help.started"
EARLY_HELP_ENDED = "early_help.ended"
STEP_DECISION_AUTHORISED = "step_decision.authorised"
STEP_DECISION_REQUESTED = "step_decision.requested"
STEP_DECISION_DECLINED = "step_decision.declined"
STEP_DECISION_CLOSED = "step_decision.closed"
EARLY_HELP_ASSESSMENT_COMPLETED = "early_help_assessment.completed"
EARLY_HELP_PLAN_STARTED = "early_help_plan.started"
EARLY_HELP_PLAN_ENDED = "early_help_plan.ended"
EARLY_HELP_REVIEW_HELD = "early_help_review.held"

# Facts: protection ----------------------------------------------------------------------------

ASSESSMENT_STARTED = "assessment.started"
ASSESSMENT_AUTHORISED = "assessment.authorised"
STRATEGY_DISCUSSION_HELD = "strategy_discussion.held"
STRATEGY_DISCUSSION_S47 = "strategy_discussion.s47_agreed"
SECTION47_STARTED = "section47.started"
SECTION47_COMPLETED = "section47.completed"
ICPC_NOT_REQUIRED = "section47.icpc_not_required"
ICPC_HELD = "conference.initial_held"
RCPC_HELD = "conference.review_held"
CP_PLAN_STARTED = "cp_plan.started"
CP_PLAN_ENDED = "cp_plan.ended"
CORE_GROUP_HELD = "core_group.held"
CP_PLAN_VISITED = "cp_plan.visited"
CIN_PLAN_VISITED = "cin_plan.visited"
CIN_PLAN_STARTED = "cin_plan.started"
CIN_PLAN_ENDED = "cin_plan.ended"
SAFETY_PLAN_MADE = "safety_plan.made"
ASSESSMENT_UPDATE_DUE = "assessment.update_due"
CIN_PLAN_REVIEW_HELD = "cin_plan_review.held"

# Facts: children looked after -----------------------------------------------------------------

LOOKED_AFTER_STARTED = "looked_after.started"
LOOKED_AFTER_CEASED = "looked_after.ceased"
PLACEMENT_STARTED = "placement.started"
EPISODE_ENDED = "episode.ended"
LEGAL_STATUS_CHANGED = "legal_status.changed"
CLA_REVIEW_HELD = "cla_review.held"
CLA_VISIT_SEEN = "cla_visit.child_seen"
INITIAL_HEALTH_DONE = "health_assessment.initial_done"
REVIEW_HEALTH_DONE = "health_assessment.review_done"
HEALTH_ASSESSMENT_DONE = "health_assessment.done"
DENTAL_CHECK_DONE = "dental_check.done"
PEP_HELD = "pep.held"
MISSING_STARTED = "missing.started"
MISSING_RETURNED = "missing.returned"
RHI_OFFERED = "rhi.offered"
RHI_HELD = "rhi.held"
CARE_PLANNING_MEETING_HELD = "care_planning_meeting.held"
DOLO_STARTED = "dolo.started"
DOLO_ENDED = "dolo.ended"

# Facts: legal ---------------------------------------------------------------------------------

PRE_PROCEEDINGS_STARTED = "pre_proceedings.started"
PRE_PROCEEDINGS_REVIEWED = "pre_proceedings.reviewed"
PRE_PROCEEDINGS_ENDED = "pre_proceedings.ended"
CARE_PROCEEDINGS_ISSUED = "care_proceedings.issued"
CARE_PROCEEDINGS_CONCLUDED = "care_proceedings.concluded"
CARE_PROCEEDINGS_EXTENDED = "care_proceedings.extended"
HEARING_HELD = "hearing.held"
LEGAL_ORDER_MADE = "legal_order.made"
LEGAL_ORDER_EXTENDED = "legal_order.extended"

# Facts: permanence ----------------------------------------------------------------------------

PERMANENCE_PLAN_AGREED = "permanence_plan.agreed"
ADOPTION_DECIDED = "adoption.decided"
PLACEMENT_ORDER_MADE = "placement_order.made"
ADOPTION_MATCHED = "adoption.matched"
ADOPTION_PLACED = "adoption.placed"
ADOPTION_ORDER_MADE = "adoption_order.made"
SGO_MADE = "sgo.made"

# Facts: leaving care --------------------------------------------------------------------------

LEAVING_CARE_STARTED = "leaving_care.started"
LEAVING_CARE_ENDED = "leaving_care.ended"
PATHWAY_PLAN_MADE = "pathway_plan.made"
PATHWAY_PLAN_REVIEWED = "pathway_plan.reviewed"
PA_CONTACT_IN_TOUCH = "pa_contact.in_touch"

# Facts: private fostering ---------------------------------------------------------------------

PRIVATE_FOSTERING_NOTIFIED = "private_fostering.notified"
PRIVATE_FOSTERING_VISITED = "private_fostering.visited"
PRIVATE_FOSTERING_ENDED = "private_fostering.ended"
