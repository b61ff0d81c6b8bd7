from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from cairn.core import facts
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.frontdoor.models import Referral, ReferralSource
from cairn.protection import services
from cairn.protection.models import (
    Assessment,
    AssessmentDecision,
    AssessmentFactor,
    CategoryOfAbuse,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    PlanCategoryChange,
    Section47Enquiry,
    Section47Outcome,
    StrategyDiscussion,
    Visit,
)

pytestmark = pytest.mark.django_db

Kind = ChildProtectionConference.Kind
Outcome = ChildProtectionConference.Outcome


@pytest.fixture
def referral(child, social_worker):
    return Referral.objects.create(child=child, received_on=date(2026, 3, 2),
                                   source=ReferralSource.POLICE, recorded_by=social_worker)


@pytest.fixture
def discussion(child, referral, social_worker):
    return services.strategy_discussion_record(
        child=child, referral=referral, held_on=date(2026, 3, 3), s47_agreed=True,
        agencies_present="Police, health, school", decision="Section 47 enquiry",
        by=social_worker)


@pytest.fixture
def enquiry(discussion, social_worker):
    return services.section47_enquiry_start(strategy_discussion=discussion,
                                            started_on=date(2026, 3, 3), by=social_worker)


@pytest.fixture
def icpc(enquiry, social_worker):
    return services.conference_record(kind=Kind.INITIAL, section47=enquiry,
                                      held_on=date(2026, 3, 20), outcome=Outcome.PLAN,
                                      by=social_worker)


@pytest.fixture
def plan(icpc, social_worker):
    return services.child_protection_plan_start(
        conference=icpc, initial_category_of_abuse=CategoryOfAbuse.PHYSICAL, by=social_worker)


def submitted(referral, worker, **changes):
    assessment = services.assessment_start(referral=referral, started_on=date(2026, 3, 3),
                                           by=worker)
    values = dict(assessment=assessment, submitted_on=date(2026, 4, 1), by=worker,
                  factors=["3A", "18C"], further_action=True, safety_scale=4,
                  childs_words="I get scared when they shout", child_seen_on=date(2026, 3, 4))
    values.update(changes)
    return services.assessment_submit(**values)


# Assessments


def test_assessment_cannot_start_before_its_referral(referral, social_worker):
    with pytest.raises(RecordError, match="before the referral was received") as error:
        services.assessment_start(referral=referral, started_on=date(2026, 3, 1),
                                  by=social_worker)
    assert error.value.field == "started_on"
    assert not Assessment.objects.exists()
    assert not AuditEvent.objects.exists()


def test_one_open_assessment_per_referral(referral, social_worker):
    services.assessment_start(referral=referral, started_on=date(2026, 3, 3), by=social_worker)
    with pytest.raises(RecordError, match="still open"):
        services.assessment_start(referral=referral, started_on=date(2026, 3, 4),
                                  by=social_worker)


def test_submit_stores_each_factor_as_a_row(referral, social_worker):
    assessment = submitted(referral, social_worker)
    assert sorted(AssessmentFactor.objects.values_list("code", flat=True)) == ["18C", "3A"]
    assert assessment.version == 2
    assert AuditEvent.objects.filter(action="assessment.submitted").exists()


@pytest.mark.parametrize("factors, message", [
    ([], "Choose the factors"),
    (["21", "3A"], "cannot be chosen with other factors"),
    (["3A", "3A"], "only once"),
    (["18A"], "by a child or an adult"),
    (["99Z"], "not a CIN census factor code"),
])
def test_factor_rules(referral, social_worker, factors, message):
    with pytest.raises(RecordError, match=message):
        submitted(referral, social_worker, factors=factors)
    assert not AssessmentFactor.objects.exists()
    assert Assessment.objects.get().submitted_on is None


def test_assessment_cannot_be_submitted_before_it_started(referral, social_worker):
    with pytest.raises(RecordError, match="submitted before it started") as error:
        submitted(referral, social_worker, submitted_on=date(2026, 3, 2))
    assert error.value.field == "submitted_on"


def test_a_manager_authorises_and_the_decision_is_kept(referral, social_worker, team_manager):
    assessment = submitted(referral, social_worker)
    with pytest.raises(PermissionDenied):
        services.assessment_authorise(assessment=assessment, authorised_on=date(2026, 4, 2),
                                      by=social_worker)
    with pytest.raises(RecordError, match="authorised before it was submitted") as error:
        services.assessment_authorise(assessment=assessment, authorised_on=date(2026, 3, 31),
                                      by=team_manager)
    assert error.value.field == "authorised_on"
    assert not AssessmentDecision.objects.exists()
    services.assessment_authorise(assessment=assessment, authorised_on=date(2026, 4, 2),
                                  by=team_manager, comments="Good analysis")
    assessment.refresh_from_db()
    assert (assessment.authorised_on, assessment.authorised_by) == (date(2026, 4, 2),
                                                                    team_manager)
    decision = AssessmentDecision.objects.get()
    assert (decision.outcome, decision.decided_by) == ("authorised", team_manager)
    assert decision.assessment_version == assessment.version - 1  # the version decided on
    assert AuditEvent.objects.get(action="assessment.authorised").kind == "decided"


def test_a_returned_assessment_keeps_the_comments_and_can_be_resubmitted(
        referral, social_worker, team_manager):
    assessment = submitted(referral, social_worker)
    with pytest.raises(RecordError, match="Enter what the worker needs to change"):
        services.assessment_return(assessment=assessment, comments=" ", by=team_manager)
    services.assessment_return(assessment=assessment, comments="Add the father's view",
                               by=team_manager)
    assessment.refresh_from_db()
    assert assessment.submitted_on is None
    returned = AssessmentDecision.objects.get()
    assert returned.comments == "Add the father's view"
    assert returned.assessment_version == assessment.version - 1
    services.assessment_submit(assessment=assessment, submitted_on=date(2026, 4, 3),
                               by=social_worker, factors=["21"], further_action=False)
    assert list(AssessmentFactor.objects.current().values_list("code", flat=True)) == ["21"]
    assert AssessmentFactor.objects.count() == 3  # the replaced factors stay, voided


# Child in need plans


def test_cin_plan_date_order_and_one_open_plan(referral, social_worker):
    with pytest.raises(RecordError, match="before the referral was received"):
        services.cin_plan_start(referral=referral, started_on=date(2026, 3, 1),
                                by=social_worker, childs_words="Fine")
    with pytest.raises(RecordError, match="the child's own words") as error:
        services.cin_plan_start(referral=referral, started_on=date(2026, 4, 3),
                                by=social_worker, childs_words="  ")
    assert error.value.field == "childs_words"
    plan = services.cin_plan_start(referral=referral, started_on=date(2026, 4, 3),
                                   by=social_worker, childs_words="I want to stay at my school")
    assert plan.childs_words == "I want to stay at my school"
    with pytest.raises(RecordError, match="already has an open child in need plan"):
        services.cin_plan_start(referral=referral, started_on=date(2026, 4, 4),
                                by=social_worker, childs_words="Fine")
    with pytest.raises(RecordError, match="cannot end before it started") as error:
        services.cin_plan_end(plan=plan, ended_on=date(2026, 4, 2), by=social_worker)
    assert error.value.field == "ended_on"
    services.cin_plan_end(plan=plan, ended_on=date(2026, 6, 1), by=social_worker)
    assert CINPlan.objects.get().ended_on == date(2026, 6, 1)


# Strategy discussions and section 47 enquiries


def test_strategy_discussion_cannot_precede_its_referral(child, referral, social_worker):
    with pytest.raises(RecordError, match="before the referral was received") as error:
        services.strategy_discussion_record(
            child=child, referral=referral, held_on=date(2026, 3, 1), s47_agreed=True,
            agencies_present="Police", decision="s47", by=social_worker)
    assert error.value.field == "held_on"
    assert not StrategyDiscussion.objects.exists()


def test_strategy_discussion_needs_agencies_and_decision(child, social_worker):
    with pytest.raises(RecordError, match="Enter who took part and for which agency") as error:
        services.strategy_discussion_record(child=child, held_on=date(2026, 3, 3),
                                            s47_agreed=False, agencies_present="",
                                            decision="NFA", by=social_worker)
    assert error.value.field == "agencies_present"


def test_s47_cannot_start_before_its_strategy_discussion(discussion, social_worker):
    with pytest.raises(RecordError, match="cannot start before the strategy discussion") as e:
        services.section47_enquiry_start(strategy_discussion=discussion,
                                         started_on=date(2026, 3, 2), by=social_worker)
    assert e.value.field == "started_on"
    assert not Section47Enquiry.objects.exists()
    assert not AuditEvent.objects.filter(action="section47.started").exists()


def test_s47_needs_a_discussion_that_agreed_it(child, social_worker):
    discussion = services.strategy_discussion_record(
        child=child, held_on=date(2026, 3, 3), s47_agreed=False, agencies_present="Police",
        decision="Single assessment", by=social_worker)
    with pytest.raises(RecordError, match="did not agree a section 47 enquiry"):
        services.section47_enquiry_start(strategy_discussion=discussion,
                                         started_on=date(2026, 3, 3), by=social_worker)


def test_one_open_s47_at_a_time(enquiry, discussion, social_worker):
    with pytest.raises(RecordError, match="still open"):
        services.section47_enquiry_start(strategy_discussion=discussion,
                                         started_on=date(2026, 3, 4), by=social_worker)


def test_s47_completion_sets_icpc_not_required(enquiry, social_worker):
    with pytest.raises(RecordError, match="completed before it started"):
        services.section47_enquiry_complete(enquiry=enquiry, completed_on=date(2026, 3, 2),
                                            outcome=Section47Outcome.CHILD_IN_NEED,
                                            by=social_worker)
    services.section47_enquiry_complete(enquiry=enquiry, completed_on=date(2026, 3, 10),
                                        outcome=Section47Outcome.CHILD_IN_NEED,
                                        by=social_worker)
    enquiry.refresh_from_db()
    assert enquiry.icpc_not_required
    found = facts.occurrences(["section47.icpc_not_required"], [enquiry.child_id])
    [occurrence] = found["section47.icpc_not_required"][enquiry.child_id]
    assert occurrence.key == enquiry.strategy_discussion_id
    with pytest.raises(RecordError, match="no conference was needed"):
        services.conference_record(kind=Kind.INITIAL, section47=enquiry,
                                   held_on=date(2026, 3, 16), outcome=Outcome.PLAN,
                                   by=social_worker)


# Conferences and plans


def test_icpc_cannot_precede_its_strategy_discussion(child, social_worker):
    discussion = services.strategy_discussion_record(
        child=child, held_on=date(2026, 3, 10), s47_agreed=True, agencies_present="Police",
        decision="s47", by=social_worker)
    enquiry = Section47Enquiry.objects.create(  # as loaded from an earlier system
        child=child, strategy_discussion=discussion, started_on=date(2026, 3, 2))
    with pytest.raises(RecordError, match="before its strategy discussion") as error:
        services.conference_record(kind=Kind.INITIAL, section47=enquiry,
                                   held_on=date(2026, 3, 9), outcome=Outcome.PLAN,
                                   by=social_worker)
    assert error.value.field == "held_on"
    assert not ChildProtectionConference.objects.exists()


def test_icpc_cannot_be_on_a_weekend(enquiry, social_worker):
    with pytest.raises(RecordError, match="weekend"):
        services.conference_record(kind=Kind.INITIAL, section47=enquiry,
                                   held_on=date(2026, 3, 21), outcome=Outcome.PLAN,
                                   by=social_worker)


def test_icpc_needs_a_section47_enquiry(child, social_worker):
    with pytest.raises(RecordError, match="Choose the section 47 enquiry") as error:
        services.conference_record(kind=Kind.INITIAL, held_on=date(2026, 3, 20), child=child,
                                   outcome=Outcome.PLAN, by=social_worker)
    assert error.value.field == "section47"


def test_plan_starts_on_the_day_of_its_icpc(icpc, social_worker):
    with pytest.raises(RecordError, match="starts on the day of the conference") as error:
        services.child_protection_plan_start(
            conference=icpc, started_on=date(2026, 3, 21),
            initial_category_of_abuse=CategoryOfAbuse.NEGLECT, by=social_worker)
    assert error.value.field == "started_on"
    plan = services.child_protection_plan_start(
        conference=icpc, initial_category_of_abuse=CategoryOfAbuse.NEGLECT, by=social_worker)
    assert plan.started_on == date(2026, 3, 20)
    assert plan.referral_id == icpc.section47.strategy_discussion.referral_id
    assert AuditEvent.objects.filter(action="cp_plan.started", object_id=str(plan.pk)).exists()


def test_only_a_conference_that_decided_on_a_plan_starts_one(enquiry, social_worker):
    icpc = services.conference_record(kind=Kind.INITIAL, section47=enquiry,
                                      held_on=date(2026, 3, 20), outcome=Outcome.NO_PLAN,
                                      by=social_worker)
    with pytest.raises(RecordError, match="decided on a plan"):
        services.child_protection_plan_start(
            conference=icpc, initial_category_of_abuse=CategoryOfAbuse.NEGLECT,
            by=social_worker)
    assert not ChildProtectionPlan.objects.exists()


def test_cp_plan_cannot_run_alongside_a_cin_plan(icpc, referral, social_worker):
    services.cin_plan_start(referral=referral, started_on=date(2026, 3, 5), by=social_worker,
                            childs_words="Fine")
    with pytest.raises(RecordError, match="End the child in need plan"):
        services.child_protection_plan_start(
            conference=icpc, initial_category_of_abuse=CategoryOfAbuse.NEGLECT,
            by=social_worker)


def test_cp_plan_end_is_after_its_start(plan, social_worker):
    with pytest.raises(RecordError, match="must end after the day it started") as error:
        services.child_protection_plan_end(plan=plan, ended_on=date(2026, 3, 20),
                                           end_reason="safe", by=social_worker)
    assert error.value.field == "ended_on"
    with pytest.raises(RecordError, match="Choose why"):
        services.child_protection_plan_end(plan=plan, ended_on=date(2026, 9, 1),
                                           end_reason="", by=social_worker)
    plan.refresh_from_db()
    assert plan.ended_on is None and plan.version == 1
    services.child_protection_plan_end(plan=plan, ended_on=date(2026, 9, 1),
                                       end_reason="safe", by=social_worker)
    assert ChildProtectionPlan.objects.get().ended_on == date(2026, 9, 1)


def test_review_conference_must_follow_the_plan_start(plan, social_worker):
    with pytest.raises(RecordError, match="must be after the plan started"):
        services.conference_record(kind=Kind.REVIEW, plan=plan, held_on=date(2026, 3, 20),
                                   outcome=Outcome.PLAN_CONTINUES, by=social_worker)
    review = services.conference_record(kind=Kind.REVIEW, plan=plan, held_on=date(2026, 6, 19),
                                        outcome=Outcome.PLAN_CONTINUES, by=social_worker)
    assert review.child == plan.child


def test_latest_category_is_the_most_recent_change(plan, social_worker):
    assert plan.latest_category_of_abuse == "PHY"
    PlanCategoryChange.objects.create(child=plan.child, plan=plan, changed_on=date(2026, 6, 19),
                                      category=CategoryOfAbuse.MULTIPLE)
    PlanCategoryChange.objects.create(child=plan.child, plan=plan, changed_on=date(2026, 5, 1),
                                      category=CategoryOfAbuse.NEGLECT)
    assert plan.latest_category_of_abuse == "MUL"


def test_core_group_and_visit_follow_the_plan(plan, social_worker):
    with pytest.raises(RecordError, match="before the plan started"):
        services.core_group_record(plan=plan, held_on=date(2026, 3, 19), by=social_worker)
    services.core_group_record(plan=plan, held_on=date(2026, 3, 30), by=social_worker)
    with pytest.raises(RecordError, match="seen alone"):
        services.visit_record(child=plan.child, kind=Visit.Kind.CHILD_PROTECTION,
                              protection_plan=plan, visited_on=date(2026, 3, 25),
                              child_seen=False, child_seen_alone=True, by=social_worker)
    services.visit_record(child=plan.child, kind=Visit.Kind.CHILD_PROTECTION,
                          protection_plan=plan, visited_on=date(2026, 3, 25), child_seen=True,
                          child_seen_alone=True, by=social_worker)
    # Not seen alone, or not seen at all: the reason is asked for, and kept.
    for seen, message in ((True, "Enter why the child was not seen alone"),
                          (False, "Enter why the child was not seen")):
        with pytest.raises(RecordError, match=message) as error:
            services.visit_record(child=plan.child, kind=Visit.Kind.CHILD_PROTECTION,
                                  protection_plan=plan, visited_on=date(2026, 3, 26),
                                  child_seen=seen, by=social_worker,
                                  not_seen_alone_reason=" ")
        assert error.value.field == "not_seen_alone_reason"
    visit = services.visit_record(child=plan.child, kind=Visit.Kind.CHILD_PROTECTION,
                                  protection_plan=plan, visited_on=date(2026, 3, 26),
                                  child_seen=True, by=social_worker,
                                  not_seen_alone_reason="Mother would not leave the room")
    assert visit.not_seen_alone_reason == "Mother would not leave the room"
    found = facts.occurrences(["core_group.held", "cp_plan.visited", "cp_plan.started"],
                              [plan.child_id])
    assert found["core_group.held"][plan.child_id][0].key == plan.pk
    assert found["cp_plan.visited"][plan.child_id][0].key == plan.pk
    assert found["cp_plan.started"][plan.child_id][0].key == plan.pk


def test_icpc_fact_pairs_with_its_strategy_discussion(icpc, discussion):
    found = facts.occurrences(["strategy_discussion.s47_agreed", "conference.initial_held",
                               "section47.started"], [icpc.child_id])
    assert found["strategy_discussion.s47_agreed"][icpc.child_id][0].key == discussion.pk
    assert found["conference.initial_held"][icpc.child_id][0].key == discussion.pk
    assert found["section47.started"][icpc.child_id][0].key == discussion.pk


def test_a_stranger_cannot_record(discussion, stranger):
    with pytest.raises(PermissionDenied):
        services.section47_enquiry_start(strategy_discussion=discussion,
                                         started_on=date(2026, 3, 3), by=stranger)


def test_every_protection_fact_is_registered():
    for name in ("assessment.started", "assessment.authorised", "strategy_discussion.held",
                 "strategy_discussion.s47_agreed", "section47.started",
                 "section47.icpc_not_required", "conference.initial_held", "cp_plan.started",
                 "cp_plan.ended", "conference.review_held", "core_group.held", "cp_plan.visited",
                 "cin_plan.visited", "cin_plan.started", "cin_plan.ended", "safety_plan.made"):
        assert name in facts.REGISTRY, name
