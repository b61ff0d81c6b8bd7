"""Dated facts from protection: assessments, strategy discussions, section 47 enquiries,
conferences, plans, core groups, visits and safety plans."""

from django.db.models import Q

from cairn.core import facts, names

from .models import (
    Assessment,
    AssessmentUpdate,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    CINPlanReview,
    CoreGroupMeeting,
    SafetyPlan,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
)

INITIAL = Q(kind=ChildProtectionConference.Kind.INITIAL)
REVIEW = Q(kind=ChildProtectionConference.Kind.REVIEW)

facts.register(names.ASSESSMENT_STARTED, Assessment, date="started_on", key="referral_id",
               label="Assessment started")
facts.register(names.ASSESSMENT_AUTHORISED, Assessment, date="authorised_on", key="referral_id",
               label="Assessment authorised")
facts.register(names.STRATEGY_DISCUSSION_HELD, StrategyDiscussion, date="held_on", key="pk",
               label="Strategy discussion held")
# The same meeting as STRATEGY_DISCUSSION_HELD: the ICPC clock's start, not a second
# chronology line.
facts.register(names.STRATEGY_DISCUSSION_S47, StrategyDiscussion, date="held_on", key="pk",
               where=Q(s47_agreed=True), label="Strategy discussion agreed a section 47 enquiry",
               chronology=False)
facts.register(names.SECTION47_STARTED, Section47Enquiry, date="started_on",
               key="strategy_discussion_id", label="Section 47 enquiry started")
# Every completed enquiry is on the chronology with its outcome; the "not required" one below
# is the ICPC clock's stop and would repeat it there.
facts.register(names.SECTION47_COMPLETED, Section47Enquiry, date="completed_on",
               key="strategy_discussion_id", label="Section 47 enquiry completed",
               detail="outcome")
facts.register(names.ICPC_NOT_REQUIRED, Section47Enquiry, date="completed_on",
               key="strategy_discussion_id", where=Q(icpc_not_required=True),
               label="Section 47 enquiry: conference not required", chronology=False)
facts.register(names.ICPC_HELD, ChildProtectionConference, date="held_on", where=INITIAL,
               key="section47__strategy_discussion_id",
               label="Initial child protection conference held", detail="outcome")
facts.register(names.CP_PLAN_STARTED, ChildProtectionPlan, date="started_on", key="pk",
               label="Child protection plan started", detail="initial_category_of_abuse",
               closed_by=names.CP_PLAN_ENDED)
facts.register(names.CP_PLAN_ENDED, ChildProtectionPlan, date="ended_on", key="pk",
               label="Child protection plan ended", detail="end_reason")
facts.register(names.RCPC_HELD, ChildProtectionConference, date="held_on", where=REVIEW,
               key="plan_id", label="Review child protection conference held",
               detail="outcome")
facts.register(names.CORE_GROUP_HELD, CoreGroupMeeting, date="held_on", key="plan_id",
               label="Core group meeting held")
facts.register(names.CP_PLAN_VISITED, Visit, date="visited_on", key="protection_plan_id",
               where=Q(kind=Visit.Kind.CHILD_PROTECTION), label="Child protection visit")
facts.register(names.CIN_PLAN_VISITED, Visit, date="visited_on", key="cin_plan_id",
               where=Q(kind=Visit.Kind.CHILD_IN_NEED), label="Child in need visit")
facts.register(names.CIN_PLAN_STARTED, CINPlan, date="started_on", key="pk",
               label="Child in need plan started", closed_by=names.CIN_PLAN_ENDED)
facts.register(names.CIN_PLAN_ENDED, CINPlan, date="ended_on", key="pk",
               label="Child in need plan ended")
facts.register(names.SAFETY_PLAN_MADE, SafetyPlan, date="made_on", key="pk",
               label="Safety plan made")
# F1: the update task's clock starts on the significant event's day; any assessment started on
# or after it meets it. The event is on the chronology already, so this is not repeated there.
facts.register(names.ASSESSMENT_UPDATE_DUE, AssessmentUpdate, date="event_on",
               label="Assessment update due", chronology=False)
facts.register(names.CIN_PLAN_REVIEW_HELD, CINPlanReview, date="held_on", key="plan_id",
               label="Child in need plan review held")
