"""Dated facts from protection: assessments, strategy discussions, section 47 enquiries,
conferences, plans, core groups, visits and safety plans."""

from django.db.models import Q

from cairn.core import facts

from .models import (
    Assessment,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    CoreGroupMeeting,
    SafetyPlan,
    Section47Enquiry,
    StrategyDiscussion,
    Visit,
)

INITIAL = Q(kind=ChildProtectionConference.Kind.INITIAL)
REVIEW = Q(kind=ChildProtectionConference.Kind.REVIEW)

facts.register("assessment_started", Assessment, date="started_on", key="referral_id",
               label="Assessment started")
facts.register("assessment_authorised", Assessment, date="authorised_on", key="referral_id",
               label="Assessment authorised")
facts.register("strategy_discussion", StrategyDiscussion, date="held_on", key="pk",
               label="Strategy discussion held")
# The same meeting as strategy_discussion: the ICPC clock's start, not a second chronology line.
facts.register("strategy_discussion_s47", StrategyDiscussion, date="held_on", key="pk",
               where=Q(s47_agreed=True), label="Strategy discussion agreed a section 47 enquiry",
               chronology=False)
facts.register("s47_started", Section47Enquiry, date="started_on", key="strategy_discussion_id",
               label="Section 47 enquiry started")
# Every completed enquiry is on the chronology with its outcome; the "not required" one below
# is the ICPC clock's stop and would repeat it there.
facts.register("s47_completed", Section47Enquiry, date="completed_on",
               key="strategy_discussion_id", label="Section 47 enquiry completed",
               detail="outcome")
facts.register("icpc_not_required", Section47Enquiry, date="completed_on",
               key="strategy_discussion_id", where=Q(icpc_not_required=True),
               label="Section 47 enquiry: conference not required", chronology=False)
facts.register("icpc_held", ChildProtectionConference, date="held_on", where=INITIAL,
               key="section47__strategy_discussion_id",
               label="Initial child protection conference held", detail="outcome")
facts.register("cp_plan_started", ChildProtectionPlan, date="started_on", key="pk",
               label="Child protection plan started", detail="initial_category_of_abuse")
facts.register("cp_plan_ended", ChildProtectionPlan, date="ended_on", key="pk",
               label="Child protection plan ended", detail="end_reason")
facts.register("rcpc_held", ChildProtectionConference, date="held_on", where=REVIEW,
               key="plan_id", label="Review child protection conference held",
               detail="outcome")
facts.register("core_group_held", CoreGroupMeeting, date="held_on", key="plan_id",
               label="Core group meeting held")
facts.register("cp_visit", Visit, date="visited_on", key="protection_plan_id",
               where=Q(kind=Visit.Kind.CHILD_PROTECTION), label="Child protection visit")
facts.register("cin_visit", Visit, date="visited_on", key="cin_plan_id",
               where=Q(kind=Visit.Kind.CHILD_IN_NEED), label="Child in need visit")
facts.register("cin_plan_started", CINPlan, date="started_on", key="pk",
               label="Child in need plan started")
facts.register("cin_plan_ended", CINPlan, date="ended_on", key="pk",
               label="Child in need plan ended")
facts.register("safety_plan_made", SafetyPlan, date="made_on", key="pk",
               label="Safety plan made")
