"""Every page kind costs a fixed number of queries, whatever the number of rows it lists.

Each test builds a small authority (`World`), requests a page signed in as the role that uses
it and counts its queries; then adds more rows of every kind the page lists (children on the
caseload, contacts, visits, hearings, team members...) and counts again. The count is a literal
in QUERIES below: a page that starts reading a row at a time (an N+1) fails here, and a page
that gains a query on purpose changes one number, in one place, in review.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

import support
from cairn.access.models import AccessGrant
from cairn.care import services as care
from cairn.casework import correction
from cairn.casework import services as casework
from cairn.core import names
from cairn.core import services as core_services
from cairn.core.models import Action
from cairn.core.working_days import is_working_day
from cairn.frontdoor import services as frontdoor
from cairn.frontdoor.models import StepDecision
from cairn.insight import reports
from cairn.leaving_care import services as leaving_care
from cairn.leaving_care.models import LeavingCareEligibility, PathwayPlan, PathwayPlanReview
from cairn.legal import services as legal
from cairn.legal.models import CareProceedings, OrderKind
from cairn.people.models import Alert, Person
from cairn.protection import services as protection
from cairn.protection.models import ChildProtectionConference, Visit
from cairn.returns.models import ReturnKind, ValidationFailure, ValidationRun
from cairn.workforce.models import Allocation, Role, Team

pytestmark = pytest.mark.django_db

# Page -> queries per request, the same with a few rows and with many. Where a page asks
# PostgreSQL for something SQLite does without, the entry is per vendor, and says why.
QUERIES = {
    # Every child page carries the banner: its IRO or chair, alerts (disability, missing,
    # exploitation), care plan and what is due (timescales and actions) cost 8 of each.
    "child summary": 38,  # and the referrals, consent, safety plan in force
    "child actions": 24,
    # ...and who recorded each entry: one union over the kinds of record, one for the audit
    # trail (who took each later step), one for the staff.
    "child chronology": 29,
    "child timescales": 23,
    "child relationships": 24,
    "child case notes": 25,
    "child history": 33,
    "child early help": 32,
    "child protection": 32,  # and strategy attendees, safety plans
    "child court": 35,
    "child care": 29,
    "my work: social worker": 18,  # the update warning is a due item now
    # ...and the headline indicators: the scope, the rules, every figure in one statement (on
    # PostgreSQL in a transaction of its own with JIT off: a savepoint, the set_config and the
    # release).
    "my work: team manager": {"sqlite": 26, "postgresql": 29},  # early help to allocate,
    # directions, ICPCs; kept open items
    # As the team manager; the improvement plan, inspectors.
    "my work: service manager": {"sqlite": 29, "postgresql": 32},
    "my work: front door": 14,  # court directions they answer for; the queue counted in SQL
    "my work: early help": 18,
    "my work: reviewing officer": 19,
    "my work: personal adviser": 18,
    "my work: fostering": 18,
    "my work: performance analyst": {"sqlite": 13, "postgresql": 16},  # headline indicators
    "my work: auditor": {"sqlite": 13, "postgresql": 16},
    "my work: inspector": 10,  # their access and its children
    "team": 17,
    "front door": 13,  # out of hours, re-referrals; each list a page, counted in SQL
    # One page of the union, its totals in the same query; the extension totals in force.
    "legal tracker": 19,  # last and next review points
    "authorisations": 11,  # consent dispensed with, to confirm
    # Name search on PostgreSQL sets pg_trgm's threshold for its own transaction: a savepoint,
    # the set_config and the release (people.selectors._name_candidates). SQLite has no index
    # to steer and scores every visible child in Python.
    "search": {"sqlite": 8, "postgresql": 11},  # and current addresses
    "returns": 10,  # the analyst's recent requests; the authority returns are made for
    # The report, its figures, their commentary and writers, the commentary needed, the
    # earlier versions and their writers: the same for a report of any length.
    "performance report": 14,
    # Indicators: every figure in one statement (on PostgreSQL in a transaction of its own, JIT
    # off: a savepoint, the set_config and the release), and the timescale rules some read.
    "indicators": {"sqlite": 33, "postgresql": 36},
    "indicator": {"sqlite": 12, "postgresql": 15},  # the trend's 12 month-ends in one statement
    "indicator children": {"sqlite": 15, "postgresql": 18},  # the figure, a page, the workers
}


def expected(page: str) -> int:
    """The pinned count for `page` on the database the tests run on."""
    count = QUERIES[page]
    return count[connection.vendor] if isinstance(count, dict) else count


# The authority the pages read ----------------------------------------------------------------

def moment(day: date, hour: int = 10) -> datetime:
    """`day` at `hour`, local time: contacts and decisions are recorded to the minute."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


GIVEN_NAMES = ["Riley", "Jordan", "Casey", "Taylor", "Jamie", "Avery", "Quinn", "Rowan",
               "Skyler", "Harper", "Reese", "Emerson", "Finley", "Hayden", "Sasha", "Ellis",
               "Robin", "Kai", "Frankie", "Charlie", "Sam", "Jesse", "Drew", "Blake", "Eden",
               "Remy", "Arden", "Sage", "Tate", "Noel", "Lane", "Dale", "Perry", "Shay", "Jude",
               "Marley", "Rory", "Sidney", "Billie", "Kit", "Lou", "Ash", "Bay", "Cam", "Dev"]
# Every child is a Morgan, so one search ("Morgan") finds them all.


class World:
    """A small authority around the cast's child, Alex Morgan (`focus`), whose record has been
    through every stage: early help, a referral and assessment, a child protection plan,
    pre-proceedings, care proceedings and care. Each `grow()` adds more of every kind of row to
    Alex's record and another child at each stage to the caseloads and lists, and a new team
    member and a new team, so that a page reading a row at a time costs more after it."""

    def __init__(self, cast: dict, focus):
        self.cast = cast
        self.sw, self.tm = cast["social_worker"], cast["team_manager"]
        self.team = self.sw.team
        self.service = self.team.service
        self.today = timezone.localdate()
        self.focus = focus
        self.rounds = 0
        self.latest: dict = {}  # the children the last grow() added, by what they show
        self.names = iter(GIVEN_NAMES)  # nine children a grow(): five grow()s at most
        self._focus_journey()

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def working_day(self, days_ago: int) -> date:
        """The working day on or before `days_ago` (conferences are not held at weekends)."""
        day = self.day(days_ago)
        while not is_working_day(day):
            day -= timedelta(days=1)
        return day

    def child(self, worker=None, *, kind=Allocation.Kind.SOCIAL_WORKER, born=None):
        """A new child, allocated to `worker` (as `kind`) where one is given."""
        child = support.make_child(next(self.names), "Morgan",
                                   birth_date=born or date(2016, 3, 14))
        if worker is not None:
            support.allocate(child, worker, kind=kind, started_on=self.day(400))
        return child

    # Alex's journey, once ----------------------------------------------------------------------

    def _focus_journey(self):
        child, sw, tm, eh = self.focus, self.sw, self.tm, self.cast["early_help"]
        d = self.day
        support.allocate(child, self.cast["iro"], kind=Allocation.Kind.IRO, started_on=d(540))
        # A contact, early help, and a step up to social care that opens the referral.
        fd = self.cast["front_door"]
        contact = frontdoor.contact_record(
            child=child, received_at=moment(d(702), 9), source="2A", concerns="Often late",
            consent="given", caller_name="Head teacher", by=fd)
        frontdoor.contact_decide(contact=contact, decision="early_help",
                                 decided_at=moment(d(702), 15), by=fd,
                                 reason="Needs met by early help")
        self.eh_episode = frontdoor.early_help_start(
            child=child, started_on=d(700), organisation="Riverside Family Hub", by=sw,
            reason="School attendance and parental conflict", worker=eh)
        frontdoor.early_help_assessment_record(
            child=child, episode=self.eh_episode, started_on=d(698), completed_on=d(690),
            organisation="Riverside Family Hub", summary="Attendance 78%", by=sw)
        self.eh_plan = frontdoor.early_help_plan_record(
            episode=self.eh_episode, started_on=d(685), by=sw, needs=[
                {"need": "School attendance", "outcome": "In school every day",
                 "actions": "Morning routine support", "owner": eh, "due_on": d(600)}])
        step = frontdoor.step_decision_request(
            child=child, direction=StepDecision.Direction.STEP_UP, requested_at=moment(d(560)),
            rationale="Bruising seen at school", early_help_episode=self.eh_episode, by=sw)
        step = frontdoor.step_decision_authorise(step=step, authorised_at=moment(d(560), 14),
                                                 by=tm, reason="Threshold met")
        self.referral = step.referral
        assessment = protection.assessment_start(referral=self.referral, started_on=d(559),
                                                 by=sw)
        discussion = protection.strategy_discussion_record(
            child=child, held_on=d(559), agencies_present="Police, school, health",
            decision="Section 47 enquiry", s47_agreed=True, referral=self.referral, by=sw)
        enquiry = protection.section47_enquiry_start(strategy_discussion=discussion,
                                                     started_on=d(559), by=sw)
        protection.safety_plan_record(child=child, made_on=d(558), safety_goal="Safe at home",
                                      arrangements="Grandmother stays",
                                      agreed_by="Mother", childs_words="I feel safe",
                                      if_breaks_down="Call the duty team", by=sw)
        protection.section47_enquiry_complete(enquiry=enquiry, completed_on=d(552),
                                              outcome="icpc", by=sw)
        protection.assessment_submit(assessment=assessment, submitted_on=d(547), by=sw,
                                     factors=["3A", "4A"], further_action=True)
        protection.assessment_authorise(assessment=assessment, authorised_on=d(546), by=tm)
        icpc = protection.conference_record(
            kind=ChildProtectionConference.Kind.INITIAL, held_on=self.working_day(545),
            outcome="plan", section47=enquiry, child=child, chaired_by=self.cast["iro"], by=sw)
        self.cp_plan = protection.child_protection_plan_start(
            conference=icpc, initial_category_of_abuse="NEG", by=sw)
        # Pre-proceedings, then proceedings, an order and care.
        self.plo = legal.pre_proceedings_start(child=child, started_on=d(200), by=tm,
                                               letter_before_proceedings_on=d(199))
        self.proceedings = legal.care_proceedings_issue(
            child=child, issued_on=d(120), court="Family Court at Oxford",
            application=CareProceedings.Application.CARE_ORDER, pre_proceedings=self.plo,
            by=sw)
        legal.pre_proceedings_end(pre_proceedings=self.plo, ended_on=d(120),
                                  outcome="proceedings", by=tm)
        legal.hearing_record(proceedings=self.proceedings, held_on=d(119), kind="ICO",
                             order_made=OrderKind.INTERIM_CARE, by=sw)
        care.episode_start(
            child=child, started_on=d(118), reason_new_episode="S", legal_status="C1",
            category_of_need="N1", placement_type="U3", placement_provider="PR1",
            home_postcode="OX1 1DB", placement_postcode="OX1 1DF", urn="SC123456", by=sw)
        legal.hearing_record(proceedings=self.proceedings, held_on=d(1) + timedelta(days=30),
                             kind="IRH", by=sw)

    # More of everything ------------------------------------------------------------------------

    def grow(self):
        r = self.rounds
        self.rounds += 1
        self._more_on_focus(r)
        self._more_children(r)

    def _more_on_focus(self, r: int):
        child, sw, tm, d = self.focus, self.sw, self.tm, self.day
        fd = self.cast["front_door"]
        # Front door and early help.
        contact = frontdoor.contact_record(
            child=child, received_at=moment(d(250 - r)), source="6", concerns="Police called",
            consent="given", domestic_abuse_notification=True, by=fd)
        frontdoor.contact_decide(contact=contact, decision="advice",
                                 decided_at=moment(d(250 - r), 16), by=fd,
                                 reason="Advice to mother on support services")
        frontdoor.early_help_assessment_record(
            child=child, episode=self.eh_episode, started_on=d(680 - r), organisation="School",
            summary=f"Assessment ({r})", by=sw)
        need = frontdoor.early_help_plan_need_add(plan=self.eh_plan, by=sw, item={
            "need": f"Need {r}", "outcome": "Better", "actions": "Support", "owner": None,
            "owner_name": "School", "due_on": d(600)})
        frontdoor.early_help_review_record(
            plan=self.eh_plan, held_on=d(650 - r), progress="Some progress", by=sw,
            need_progress={need.pk: {"status": "progressing", "note": "Going well"}})
        step = frontdoor.step_decision_request(
            child=child, direction=StepDecision.Direction.STEP_DOWN,
            requested_at=moment(d(300 - r)), rationale=f"Could early help do this? ({r})",
            referral=self.referral, early_help_organisation="Riverside Family Hub", by=sw)
        frontdoor.step_decision_decline(step=step, declined_at=moment(d(299 - r)), by=tm,
                                        reason="Risk remains")
        # Protection.
        discussion = protection.strategy_discussion_record(
            child=child, held_on=d(400 - r), agencies_present="Police, health",
            decision=f"Continue the plan ({r})", s47_agreed=False, referral=self.referral,
            by=sw, actions=[
                {"what": f"Tell the school ({r})", "owner": sw, "due_on": d(390)},
                {"what": "Attend the GP", "owner_name": "Mother", "due_on": d(380)}])
        protection.safety_plan_record(child=child, made_on=d(450 - r), safety_goal=f"Safe ({r})",
                                      arrangements="Contact supervised",
                                      agreed_by="Mother", childs_words="I feel safe",
                                      if_breaks_down="Call the duty team", by=sw)
        protection.conference_record(
            kind=ChildProtectionConference.Kind.REVIEW, held_on=d(460 - 80 * r),
            outcome="continue", plan=self.cp_plan, child=child, chaired_by=self.cast["iro"],
            by=sw)
        protection.core_group_record(plan=self.cp_plan, held_on=d(535 - 10 * r), by=sw)
        protection.visit_record(child=child, kind=Visit.Kind.CHILD_PROTECTION,
                                visited_on=d(540 - 10 * r), child_seen=True, by=sw,
                                not_seen_alone_reason="Asleep", protection_plan=self.cp_plan)
        need = protection.plan_need_record(
            plan=self.cp_plan, need=f"Need {r}", outcome="Safe", what=f"Weekly visits ({r})",
            owner=sw, owner_name="Mother", due_on=d(-30), by=sw)
        told, gp = Action.objects.filter(source_id=discussion.pk,
                                         source_type__model="strategydiscussion").order_by("pk")
        core_services.action_complete(action=told, outcome="Head teacher told", by=sw)
        core_services.action_cancel(action=gp, reason="Registered with a new GP", by=sw)
        core_services.action_add(source=need, what="Parenting course", owner_name="Father",
                                 due_on=d(-60), by=sw)
        protection.plan_category_change_record(plan=self.cp_plan, changed_on=d(460 - 80 * r),
                                               category="EMO", by=sw)
        # Court.
        legal.pre_proceedings_meeting_record(pre_proceedings=self.plo, held_on=d(190 - r),
                                             attendees="Parents, solicitor", by=tm)
        legal.pre_proceedings_review_record(pre_proceedings=self.plo, held_on=d(160 - r),
                                            progress="Little change", decision="continue", by=tm)
        hearing = legal.hearing_record(proceedings=self.proceedings, held_on=d(100 - 10 * r),
                                       kind="CMH", order_made=OrderKind.INTERIM_CARE, by=sw)
        legal.court_direction_record(hearing=hearing, direction=f"Parenting assessment ({r})",
                                     due_on=d(20 - r), responsible="Local authority", by=sw)
        legal.legal_order_record(child=child, kind=OrderKind.POLICE_PROTECTION,
                                 made_on=d(900 - 30 * r), ended_on=d(899 - 30 * r),
                                 police_force="Thames Valley Police",
                                 removed_at=moment(d(900 - 30 * r), 22), by=sw)
        # Care.
        care.placement_change(child=child, changed_on=d(60 - 5 * r), placement_type="U4",
                              reason_place_change="CARPL", placement_provider="PR1",
                              placement_postcode="OX2 6AA", by=sw)
        care.cla_review_record(child=child, held_on=d(100 - 3 * r), participation="PN1",
                               notes=f"Review ({r})", by=sw)
        care.statutory_visit_record(child=child, visited_on=d(50 - 2 * r), seen=True,
                                    seen_alone=True, by=sw)
        # The record itself.
        casework.case_note_add(child=child, by=sw, kind="visit", occurred_on=d(10 + r),
                               subject=f"Visit {r}", body="Seen at the placement",
                               child_seen=True, child_seen_alone=True)
        twice = casework.case_note_add(child=child, by=sw, kind="visit", occurred_on=d(10 + r),
                                       subject=f"Visit {r}", body="Seen at the placement")
        correction.entry_remove(child=child, fact_name=names.CASE_NOTE_ADDED, entry=twice,
                                by=sw, reason=f"Saved twice ({r})",
                                expected_version=twice.version)
        relative = Person.objects.create(given_name=f"Relative{r}", family_name="Morgan",
                                         birth_date=date(1960, 1, 1))
        casework.relationship_add(child=child, person=relative, kind="grandparent", by=sw)
        Alert.objects.create(child=child, text=f"Alert {r}", started_on=d(30 + r),
                             recorded_by=sw)

    def _referral(self, child, days_ago: int, by):
        """A contact from the police, decided the same day: a referral to social care."""
        fd = self.cast["front_door"]
        contact = frontdoor.contact_record(
            child=child, received_at=moment(self.day(days_ago), 9), source="6",
            concerns="Domestic abuse incident", consent="given", by=fd)
        return frontdoor.contact_decision_record(
            contact=contact, decision="referral", decided_at=moment(self.day(days_ago), 15),
            primary_need="N1", by=fd)[1]

    def _more_children(self, r: int):
        c, d, sw, tm = self.cast, self.day, self.sw, self.tm
        # A new member of the team, who holds some of its children.
        colleague = support.make_staff(f"colleague_{r}", Role.SOCIAL_WORKER, self.team)
        # An assessment waiting for the manager's authorisation.
        waiting = self.child(sw)
        assessment = protection.assessment_start(referral=self._referral(waiting, 30, sw),
                                                 started_on=d(29), by=sw)
        protection.assessment_submit(assessment=assessment, submitted_on=d(3), by=sw,
                                     factors=["2B"], further_action=False)
        # A step down to early help asked for, waiting for the manager.
        stepping = self.child(colleague)
        referral = self._referral(stepping, 60, colleague)
        assessment = protection.assessment_start(referral=referral, started_on=d(59),
                                                 by=colleague)
        protection.assessment_submit(assessment=assessment, submitted_on=d(20), by=colleague,
                                     factors=["21"], further_action=False)
        protection.assessment_authorise(assessment=assessment, authorised_on=d(18), by=tm)
        frontdoor.step_decision_request(
            child=stepping, direction=StepDecision.Direction.STEP_DOWN,
            requested_at=moment(d(2)), rationale="Needs can be met by early help",
            referral=referral, early_help_organisation="Riverside Family Hub", by=colleague)
        # A child protection plan, reviewed by the reviewing officer.
        planned = self.child(sw)
        support.allocate(planned, c["iro"], kind=Allocation.Kind.IRO, started_on=d(150))
        referral = self._referral(planned, 160, sw)
        discussion = protection.strategy_discussion_record(
            child=planned, held_on=d(160), agencies_present="Police, health",
            decision="Section 47 enquiry", s47_agreed=True, referral=referral, by=sw, actions=[
                {"what": "Check the school's records", "owner": sw, "due_on": d(150)},
                {"what": "Speak to the health visitor", "owner": colleague, "due_on": d(150)},
                {"what": "Book the conference room", "owner": c["iro"], "due_on": d(150)}])
        enquiry = protection.section47_enquiry_start(strategy_discussion=discussion,
                                                     started_on=d(160), by=sw)
        protection.safety_plan_record(child=planned, made_on=d(159), safety_goal="Safe",
                                      arrangements="Father leaves the home",
                                      agreed_by="Mother", childs_words="I feel safe",
                                      if_breaks_down="Call the duty team", by=sw)
        protection.section47_enquiry_complete(enquiry=enquiry, completed_on=d(156),
                                              outcome="icpc", by=sw)
        icpc = protection.conference_record(
            kind=ChildProtectionConference.Kind.INITIAL, held_on=self.working_day(148),
            outcome="plan", section47=enquiry, child=planned, chaired_by=c["iro"], by=sw)
        plan = protection.child_protection_plan_start(conference=icpc,
                                                      initial_category_of_abuse="EMO", by=sw)
        protection.plan_need_record(plan=plan, need="Safe from harm at home", outcome="Safe",
                                    what="Weekly visits", owner=sw, due_on=d(-60), by=sw)
        protection.core_group_record(plan=plan, held_on=d(140), by=sw)
        protection.visit_record(child=planned, kind=Visit.Kind.CHILD_PROTECTION,
                                visited_on=d(100), child_seen=True, by=sw, protection_plan=plan,
                                not_seen_alone_reason="Mother would not leave the room")
        # Pre-proceedings, past the limit.
        pre = self.child(colleague)
        self._referral(pre, 300, colleague)
        legal.pre_proceedings_start(child=pre, started_on=d(130 + r), by=tm,
                                    letter_before_proceedings_on=d(129 + r))
        # In care, in proceedings, with a hearing to come and a direction overdue.
        in_care = self.child(sw)
        support.allocate(in_care, c["iro"], kind=Allocation.Kind.IRO, started_on=d(199))
        support.allocate(in_care, c["fostering"], kind=Allocation.Kind.FOSTERING,
                         started_on=d(199))
        self._referral(in_care, 260, sw)
        proceedings = legal.care_proceedings_issue(
            child=in_care, issued_on=d(200 + r), court="Family Court at Reading",
            application=CareProceedings.Application.CARE_ORDER, by=sw)
        hearing = legal.hearing_record(proceedings=proceedings, held_on=d(199 + r), kind="ICO",
                                       order_made=OrderKind.INTERIM_CARE, by=sw)
        legal.court_direction_record(hearing=hearing, direction="Parenting assessment",
                                     due_on=d(30), responsible="Local authority", by=sw)
        legal.hearing_record(proceedings=proceedings, held_on=d(1) + timedelta(days=20 + r),
                             kind="IRH", by=sw)
        care.episode_start(
            child=in_care, started_on=d(198), reason_new_episode="S", legal_status="C1",
            category_of_need="N1", placement_type="U4", placement_provider="PR1",
            home_postcode="RG1 1AA", placement_postcode="RG2 2BB", by=sw)
        care.cla_review_record(child=in_care, held_on=d(180), participation="PN1", by=sw)
        care.statutory_visit_record(child=in_care, visited_on=d(190), seen=True,
                                    seen_alone=False, by=sw)
        # A care leaver with a personal adviser.
        leaver = self.child(c["personal_adviser"], kind=Allocation.Kind.PERSONAL_ADVISER,
                            born=self.day(19 * 365 + 99))
        LeavingCareEligibility.objects.create(child=leaver, category="former_relevant",
                                              started_on=d(400), recorded_by=sw)
        plan = PathwayPlan.objects.create(child=leaver, made_on=d(380),
                                          young_person_participated=True, recorded_by=sw)
        PathwayPlanReview.objects.create(plan=plan, reviewed_on=d(200),
                                         young_person_participated=True, recorded_by=sw)
        leaving_care.personal_adviser_contact_record(
            child=leaver, contacted_on=d(70), in_touch="YES", by=c["personal_adviser"])
        # Early help, and a step up asked for.
        helped = self.child(c["early_help"], kind=Allocation.Kind.EARLY_HELP)
        episode = frontdoor.early_help_start(
            child=helped, started_on=d(90), organisation="Riverside Family Hub",
            by=c["early_help"], worker=c["early_help"])
        frontdoor.early_help_assessment_record(
            child=helped, episode=episode, started_on=d(89), completed_on=d(80),
            organisation="Riverside Family Hub", by=c["early_help"])
        frontdoor.step_decision_request(
            child=helped, direction=StepDecision.Direction.STEP_UP, requested_at=moment(d(4)),
            rationale="Neglect getting worse", early_help_episode=episode, by=c["early_help"])
        # Contacts at the front door: one waiting for a decision, one decided.
        fd = c["front_door"]
        new = frontdoor.child_create(given_name=next(self.names), family_name="Morgan",
                                     birth_date=date(2019, 2, 2), by=fd)
        frontdoor.contact_record(child=new, received_at=moment(d(2), 11), source="3A",
                                 concerns="Missed appointments", consent="given", by=fd)
        # One taken by the out-of-hours service minutes ago: the day team's overnight list holds
        # a row at whatever hour the suite's clock says (an empty page makes no query).
        frontdoor.contact_record(child=new, received_at=timezone.now() - timedelta(minutes=5),
                                 source="3A", concerns="Found alone at home", consent="given",
                                 out_of_hours_service=True, overnight_action="Police attended",
                                 by=fd)
        decided = frontdoor.contact_record(child=helped, received_at=moment(d(5), 11),
                                           source="2A", concerns="Hungry at school",
                                           consent="given", by=fd)
        frontdoor.contact_decide(contact=decided, decision="nfa", decided_at=moment(d(5), 15),
                                 reason="Already known to early help", by=fd)
        # An inspector's sample.
        AccessGrant.objects.create(child=in_care, staff=c["inspector"], reason="Inspection",
                                   until=d(-14), granted_by=tm)
        # A team of its own in the service, with a worker and a child.
        other = Team.objects.create(name=f"Children in care {r}",
                                    kind=Team.Kind.CHILDREN_IN_CARE, service=self.service)
        support.allocate(self.child(), support.make_staff(f"cic_{r}", Role.SOCIAL_WORKER, other))
        self.latest = {"waiting": waiting, "stepping": stepping, "planned": planned, "pre": pre,
                       "in_care": in_care, "leaver": leaver, "helped": helped, "new": new,
                       "team": other}
        # The latest check of each return, with failures on the children's facts.
        for kind in ReturnKind.values:
            run = ValidationRun.objects.create(kind=kind, year=2026, rules_fired=3,
                                               ran_by=c["performance_analyst"])
            for failing in (self.focus, waiting, in_care):
                ValidationFailure.objects.create(
                    run=run, child=failing, la_child_id=failing.la_child_id, rule="8606",
                    message="Check the date", table="Header")


@pytest.fixture
def world(child, social_worker, team_manager, service_manager, front_door_worker,
          early_help_worker, iro, personal_adviser, fostering_worker, performance_analyst,
          auditor, inspector):
    """The authority with a few rows of everything: Alex's journey and one grow()."""
    cast = {"social_worker": social_worker, "team_manager": team_manager,
            "service_manager": service_manager, "front_door": front_door_worker,
            "early_help": early_help_worker, "iro": iro, "personal_adviser": personal_adviser,
            "fostering": fostering_worker, "performance_analyst": performance_analyst,
            "auditor": auditor, "inspector": inspector}
    world = World(cast, child)
    world.grow()
    return world


# The pages -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Page:
    viewer: str  # the cast member who uses the page
    url: Callable[[World], str]
    # What the page must show after each grow(): the latest rows, so a page that stopped
    # listing them could not pass on a smaller count.
    shows: Callable[[World], list[str]] = lambda world: []


def _child_url(name: str) -> Callable[[World], str]:
    return lambda world: reverse(name, args=[world.focus.pk])


def _latest(*labels: str) -> Callable[[World], list[str]]:
    return lambda world: [world.latest[label].full_name for label in labels]


def _round(*texts: str) -> Callable[[World], list[str]]:
    """Texts of the latest grow() on Alex's record: "Visit {r}"; "{due}" is the number of the
    looked-after review each grow()'s review leaves due."""
    return lambda world: [text.format(r=world.rounds - 1, due=world.rounds + 1)
                          for text in texts]


def _and(*parts: Callable[[World], list[str]]) -> Callable[[World], list[str]]:
    return lambda world: [text for part in parts for text in part(world)]


def HOME(world: World) -> str:
    return reverse("home")


PAGES = {
    "child summary": Page("social_worker", _child_url("child"),
                          _round("Visit {r}", "Alert {r}")),
    "child actions": Page("social_worker", _child_url("child_actions"),
                          _round("Weekly visits ({r})", "Tell the school ({r})")),
    "child chronology": Page("social_worker", _child_url("child_chronology"),
                             _round("Visit {r}", "Saved twice ({r})")),
    "child timescales": Page("social_worker", _child_url("child_timescales"),
                             _round("Looked-after child review ({due})")),
    "child relationships": Page("social_worker", _child_url("child_relationships"),
                                _round("Relative{r} Morgan")),
    "child case notes": Page("social_worker", _child_url("child_case_notes"),
                             _round("Visit {r}")),
    "child history": Page("social_worker", _child_url("child_history"),
                          _round("Relative{r} Morgan", "Visit {r}")),
    "child early help": Page("social_worker", _child_url("frontdoor:early_help"),
                             _round("Need {r}", "Assessment ({r})")),
    "child protection": Page("social_worker", _child_url("protection_record"),
                             _round("Continue the plan ({r})", "Safe ({r})")),
    "child court": Page("social_worker", _child_url("legal_record"),
                        _round("Parenting assessment ({r})")),
    "child care": Page("social_worker", _child_url("care_record"), _round("Review ({r})")),
    "my work: social worker": Page("social_worker", HOME,
                                   _and(_latest("waiting", "planned", "in_care"),
                                        _round("Weekly visits ({r})"))),
    "my work: team manager": Page("team_manager", HOME, _latest("pre")),
    "my work: service manager": Page("service_manager", HOME,
                                     lambda w: [w.latest["team"].name]),
    "my work: front door": Page("front_door", HOME),
    "my work: early help": Page("early_help", HOME, _latest("helped")),
    "my work: reviewing officer": Page("iro", HOME, _latest("planned", "in_care")),
    "my work: personal adviser": Page("personal_adviser", HOME, _latest("leaver")),
    "my work: fostering": Page("fostering", HOME, _latest("in_care")),
    "my work: performance analyst": Page("performance_analyst", HOME),
    "my work: auditor": Page("auditor", HOME),
    "my work: inspector": Page("inspector", HOME, _latest("in_care")),
    "team": Page("team_manager", lambda w: reverse("team", args=[w.team.pk]),
                 _and(_latest("waiting", "stepping"), _round("Colleague {r}"))),
    "front door": Page("front_door", lambda w: reverse("frontdoor:front_door"),
                       _latest("new", "helped")),
    "legal tracker": Page("team_manager", lambda w: reverse("legal_tracker"),
                          _latest("pre", "in_care")),
    "authorisations": Page("team_manager", lambda w: reverse("authorisations"),
                           _latest("waiting", "stepping")),
    "search": Page("social_worker", lambda w: reverse("search") + "?q=Morgan",
                   _latest("waiting", "planned")),
    "returns": Page("performance_analyst", lambda w: reverse("returns")),
    "performance report": Page("service_manager", lambda w: _report_url(w),
                               lambda w: ["On cin_referrals, settled", "First thoughts"]),
    # (As a team manager: the authority's roles choose among every team and service, a list
    # as long as the authority has teams.)
    "indicators": Page("team_manager", lambda w: reverse("indicators")),
    "indicator": Page("team_manager",
                      lambda w: reverse("indicator", args=["cla_visits_in_time"])),
    "indicator children": Page("team_manager", lambda w: reverse(
        "indicator_children", args=["cin_cin_31mar"]), _latest("waiting", "planned")),
}


def _report_url(world: World) -> str:
    """This month's report, made on the first call (outside the count) with commentary on
    every figure, each changed once by another manager: every row the page reads per figure
    is there from the start (a report's length does not grow with the authority)."""
    made = getattr(world, "report", None)
    if made is None:
        manager = world.cast["service_manager"]
        world.report = made = reports.make_report(by=manager, on=world.today)
        for figure in made.figures.all():
            first = reports.comment(figure=figure, text="First thoughts", by=world.tm,
                                    expected_version=0)
            reports.comment(figure=figure, text=f"On {figure.indicator}, settled", by=manager,
                            expected_version=first.version)
    return reverse("report", args=[made.pk])


def test_every_page_kind_has_a_pinned_count():
    assert set(PAGES) == set(QUERIES)


@pytest.mark.parametrize("name", list(PAGES),
                         ids=[n.replace(": ", "-").replace(" ", "-") for n in PAGES])
def test_a_page_costs_the_same_queries_with_more_rows(name, world, django_assert_num_queries):
    page = PAGES[name]
    client = support.client_for(world.cast[page.viewer])
    # Once first, so that a cache the process fills on first use (compiled SQL, say) cannot
    # make the count depend on which test happened to run before this one.
    assert client.get(page.url(world)).status_code == 200
    for grown in (False, True):
        if grown:
            world.grow()
            world.grow()
        with django_assert_num_queries(expected(name)):
            response = client.get(page.url(world))
        assert response.status_code == 200
        html = response.content.decode()
        for text in page.shows(world):
            assert text in html, f"{name} does not show {text!r}"
