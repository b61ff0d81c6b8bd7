"""The front door's pages: each form's happy path, its errors, access and the conflict."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

import support
from cairn.core.models import AuditEvent
from cairn.frontdoor import services
from cairn.frontdoor.models import (
    ConsentStatus,
    Contact,
    ContactDecision,
    ContactSource,
    EarlyHelpEpisode,
    EarlyHelpPlan,
    EarlyHelpReview,
    Referral,
    StepDecision,
)
from cairn.people.models import Address, Child
from cairn.workforce.models import Allocation, Role, Staff

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: date) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _contact_post(**changes) -> dict:
    today = timezone.localdate()
    # Midnight: any later time today is in the future when the suite runs just after it.
    data = {**_date("received_on", today), "received_time": "00:00",
            "overnight_action": "Police checked the child was safe at home",
            "caller_name": "Ms Reed", "caller_relationship": "Class teacher",
            "source": ContactSource.SCHOOLS, "concerns": "Bruising seen at school",
            "household": "Mother and a brother, 3", "consent": ConsentStatus.GIVEN,
            "consent_given_by": "Mother", "consent_given_to": "Ms Reed",
            **_date("consent_given_on", today)}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def DISPENSED_TODAY() -> dict:  # noqa: N802  (reads as the constant it stands for)
    return _date("consent_dispensed_on", timezone.localdate())


def _contact(child, by, **changes):
    values = dict(child=child, received_at=timezone.now() - timedelta(hours=2),
                  source=ContactSource.SCHOOLS, concerns="Bruising", consent=ConsentStatus.GIVEN,
                  by=by)
    values.update(changes)
    return services.contact_record(**values)


def _decision_post(contact, **changes) -> dict:
    data = {"decision": ContactDecision.REFERRAL, "primary_need": "N1", "reason": "",
            **_date("decided_on", timezone.localdate()),
            "decided_time": timezone.localtime().strftime("%H:%M"), "version": contact.version}
    data.update(changes)
    return data


# Record a contact ------------------------------------------------------------------------------

def test_front_door_records_a_police_domestic_abuse_notification(child, front_door):
    client = support.client_for(front_door)
    url = f"/front-door/children/{child.pk}/contacts/new/"
    assert client.get(url).status_code == 200
    response = client.post(url, _contact_post(source="", police_notification="yes",
                                              caller_name="PC Lane",
                                              caller_relationship="Police officer"))
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/front-door/contacts/{contact.pk}/decision/"
    assert (contact.source, contact.domestic_abuse_notification) == ("6", True)
    assert contact.household == "Mother and a brother, 3"
    assert AuditEvent.objects.filter(action="contact.received").count() == 1


def test_contact_form_says_what_is_missing_and_keeps_what_was_typed(child, front_door):
    client = support.client_for(front_door)
    response = client.post(f"/front-door/children/{child.pk}/contacts/new/",
                           _contact_post(source="", concerns="", consent=None))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.startswith("<!DOCTYPE html>") and "<title>Error: " in page
    for message in ("Choose the source of the contact", "Enter what they are worried about",
                    "Select whether consent was given, refused or dispensed with"):
        assert message in page
    assert 'value="Ms Reed"' in page
    assert not Contact.objects.exists()


def test_dispensed_consent_needs_a_manager_and_a_reason(child, front_door, team_manager):
    client = support.client_for(front_door)
    url = f"/front-door/children/{child.pk}/contacts/new/"
    response = client.post(url, _contact_post(**DISPENSED_TODAY(), consent=ConsentStatus.DISPENSED_WITH))
    assert "Consent can only be dispensed with by a manager" in response.content.decode()
    response = client.post(url, _contact_post(**DISPENSED_TODAY(), consent=ConsentStatus.DISPENSED_WITH,
                                              consent_dispensed_by=team_manager.pk))
    assert "Enter why consent was dispensed with" in response.content.decode()
    assert not Contact.objects.exists()
    client.post(url, _contact_post(**DISPENSED_TODAY(), consent=ConsentStatus.DISPENSED_WITH,
                                   consent_dispensed_by=team_manager.pk,
                                   consent_dispensed_reason="Asking would put her at risk"))
    assert Contact.objects.get().consent_dispensed_by == team_manager


def test_a_contact_cannot_be_received_in_the_future(child, front_door):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = support.client_for(front_door).post(
        f"/front-door/children/{child.pk}/contacts/new/",
        _contact_post(**_date("received_on", tomorrow)))
    message = "Date the contact was received must be today or in the past"
    assert message in response.content.decode()
    assert not Contact.objects.exists()


def test_a_stranger_cannot_open_or_record_a_contact(child, stranger):
    client = support.client_for(stranger)
    url = f"/front-door/children/{child.pk}/contacts/new/"
    assert client.get(url).status_code == 404
    assert client.post(url, _contact_post()).status_code == 404
    assert not Contact.objects.exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED).count() == 2


# Find the child, or create them ----------------------------------------------------------------

def _find_post(**changes) -> dict:
    data = {"given_name": "Adah", "family_name": "Brooke", **_date("birth_date", date(2016, 5, 4)),
            "address_line1": "4 Mill Lane", "postcode": "ls6 1aa", "sex": "F"}
    data.update(changes)
    return data


def test_possible_duplicates_are_shown_before_a_new_record(child, front_door):
    client = support.client_for(front_door)
    page = client.post("/front-door/contacts/new/", {**_find_post(), "check": "1"}
                       ).content.decode()
    assert "Ada Brook" in page and "C0001" in page and "Similar name, same date of birth" in page
    assert Child.objects.count() == 1


def test_choosing_the_same_child_goes_to_their_contact_form(child, front_door):
    response = support.client_for(front_door).post(
        "/front-door/contacts/new/", {**_find_post(), "choice": str(child.pk)})
    assert response["Location"] == f"/front-door/children/{child.pk}/contacts/new/"
    assert Child.objects.count() == 1


def test_none_of_these_creates_a_child_with_the_next_la_child_id(child, front_door):
    Child.objects.create(given_name="Zed", family_name="Other", la_child_id="C0000041")
    response = support.client_for(front_door).post(
        "/front-door/contacts/new/", {**_find_post(), "choice": "new"})
    new = Child.objects.get(given_name="Adah")
    assert response["Location"] == f"/front-door/children/{new.pk}/contacts/new/"
    assert new.la_child_id == "C0000042"
    assert (new.birth_date, new.sex, new.recorded_by) == (date(2016, 5, 4), "F", front_door)
    assert Address.objects.get(person=new).postcode == "LS6 1AA"
    assert AuditEvent.objects.filter(action="child.created", child_id=new.pk).exists()


def test_the_worker_must_answer_the_duplicate_question(child, front_door):
    response = support.client_for(front_door).post(
        "/front-door/contacts/new/", {**_find_post(), "continue": "1"})
    page = response.content.decode()
    assert "Select the child, or that none of these is the child" in page
    assert "<title>Error: " in page
    assert Child.objects.count() == 1


# Decide ---------------------------------------------------------------------------------------

@pytest.fixture
def assessment_team(team):
    """A team whose manager holds new referrals until they allocate them."""
    team.manager = Staff.objects.create_user("atm", password="x", role=Role.TEAM_MANAGER,
                                             team=team)
    team.save()
    return team


def test_a_referral_decision_opens_a_referral_with_the_contact_source(child, front_door,
                                                                      assessment_team):
    contact = _contact(child, front_door, source=ContactSource.GP)
    client = support.client_for(front_door)
    url = f"/front-door/contacts/{contact.pk}/decision/"
    assert "Save decision" in client.get(url).content.decode()
    page = client.post(url, _decision_post(contact)).content.decode()
    assert "Choose the team to pass the referral to" in page  # nobody is allocated yet
    assert not Referral.objects.exists() and not Allocation.objects.exists()
    response = client.post(url, _decision_post(contact, team=assessment_team.pk))
    assert response.status_code == 302
    contact.refresh_from_db()
    referral = Referral.objects.get()
    assert contact.decision == ContactDecision.REFERRAL and contact.decided_by == front_door
    assert (referral.contact, referral.source, referral.primary_need) == (contact, "3A", "N1")
    held = Allocation.objects.get(child=child)  # the team manager holds it until allocated
    assert (held.worker, held.team, held.kind) == (assessment_team.manager, assessment_team, "SW")


def test_strategy_decision_offers_the_strategy_discussion(child, front_door, assessment_team):
    contact = _contact(child, front_door)
    client = support.client_for(front_door)
    url = f"/front-door/contacts/{contact.pk}/decision/"
    client.post(url, _decision_post(contact, decision=ContactDecision.STRATEGY_DISCUSSION,
                                    team=assessment_team.pk))
    page = client.get(url).content.decode()
    assert "Record the strategy discussion" in page
    assert Referral.objects.count() == 1


def test_decision_errors_name_the_field(child, front_door):
    contact = _contact(child, front_door)
    client = support.client_for(front_door)
    url = f"/front-door/contacts/{contact.pk}/decision/"
    page = client.post(url, _decision_post(contact, primary_need="")).content.decode()
    assert "Choose the child&#x27;s primary need for the referral" in page
    page = client.post(url, _decision_post(contact, decision=ContactDecision.NO_FURTHER_ACTION)
                       ).content.decode()
    assert "Enter why the contact needs no referral" in page
    yesterday = timezone.localdate() - timedelta(days=1)
    page = client.post(url, _decision_post(contact, decided_time="",
                                           **_date("decided_on", yesterday))).content.decode()
    assert "The decision cannot be made before the contact was received" in page
    contact.refresh_from_db()
    assert contact.decided_at is None and not Referral.objects.exists()


def test_two_people_deciding_the_same_contact_get_a_conflict(child, front_door, team_manager):
    contact = _contact(child, front_door)
    first = _decision_post(contact, decision=ContactDecision.NO_FURTHER_ACTION,
                           reason="Already known: no new concern")
    second = _decision_post(contact, decision=ContactDecision.INFORMATION_AND_ADVICE,
                            reason="Advice on parenting classes")
    support.client_for(team_manager).post(f"/front-door/contacts/{contact.pk}/decision/", first)
    page = support.client_for(front_door).post(
        f"/front-door/contacts/{contact.pk}/decision/", second).content.decode()
    assert "Tess Manager changed this contact while you were editing it" in page
    assert "Advice on parenting classes" in page  # what they typed is kept on the page
    contact.refresh_from_db()
    assert contact.decision == ContactDecision.NO_FURTHER_ACTION


def test_a_stranger_cannot_decide_a_contact(child, front_door, stranger):
    contact = _contact(child, front_door)
    client = support.client_for(stranger)
    url = f"/front-door/contacts/{contact.pk}/decision/"
    assert client.get(url).status_code == 404
    assert client.post(url, _decision_post(contact)).status_code == 404
    contact.refresh_from_db()
    assert contact.decided_at is None


# The front door home ---------------------------------------------------------------------------

def test_home_lists_undecided_contacts_oldest_first_and_flags_overdue(child, front_door):
    other = Child.objects.create(given_name="Bo", family_name="Lane", la_child_id="C0002")
    old = _contact(other, front_door, received_at=timezone.now() - timedelta(days=10))
    new = _contact(child, front_door)
    page = support.client_for(front_door).get("/front-door/").content.decode()
    assert page.index(f"/front-door/contacts/{old.pk}/decision/") < page.index(
        f"/front-door/contacts/{new.pk}/decision/")
    assert "1 overdue" in page


def test_a_role_that_cannot_record_has_no_front_door(auditor_staff):
    assert support.client_for(auditor_staff).get("/front-door/").status_code == 404


@pytest.fixture
def auditor_staff(team):
    from cairn.workforce.models import Role
    return support.make_staff("audrey", Role.AUDITOR, team)


# Early help and step decisions -----------------------------------------------------------------

def test_early_help_episode_assessment_plan_and_review(child, social_worker):
    client = support.client_for(social_worker)
    today = timezone.localdate()
    start = today - timedelta(days=20)
    assert client.post(f"/front-door/children/{child.pk}/early-help/new/",
                       {**_date("started_on", start), "organisation": "Family Hub North",
                        "reason": "Low school attendance"}).status_code == 302
    episode = EarlyHelpEpisode.objects.get()
    page = client.get(f"/front-door/early-help/{episode.pk}/assessments/new/").content.decode()
    assert 'value="Family Hub North"' in page  # prefilled from the episode
    assert client.post(f"/front-door/early-help/{episode.pk}/assessments/new/",
                       {**_date("started_on", start), **_date("completed_on", start),
                        "organisation": "Family Hub North", "summary": "Mum is isolated"}
                       ).status_code == 302
    need = {"needs": "1", "need_0": "Missing school", "outcome_0": "Attendance above 90%",
            "actions_0": "School: daily call", "owner_name_0": "Ms Reed",
            **_date("due_on_0", today + timedelta(days=30))}
    page = client.post(f"/front-door/early-help/{episode.pk}/plans/new/",
                       {**_date("started_on", start - timedelta(days=1)), **need}
                       ).content.decode()
    assert "The plan cannot start before the early help started" in page
    client.post(f"/front-door/early-help/{episode.pk}/plans/new/",
                {**_date("started_on", start), **need})
    plan = EarlyHelpPlan.objects.get()
    page = client.post(f"/front-door/early-help/plans/{plan.pk}/reviews/new/",
                       {**_date("held_on", today), "progress": "Better",
                        f"need_{plan.needs.get().pk}": "progressing",
                        **_date("next_review_on", today)}).content.decode()
    assert "The next review must be after this one" in page
    client.post(f"/front-door/early-help/plans/{plan.pk}/reviews/new/",
                {**_date("held_on", today), "progress": "Attendance at 92%",
                 f"need_{plan.needs.get().pk}": "met"})
    assert EarlyHelpReview.objects.get().progress == "Attendance at 92%"
    page = client.get(f"/front-door/children/{child.pk}/early-help/").content.decode()
    assert "Mum is isolated" in page and "Attendance at 92%" in page


def test_step_up_is_asked_for_then_authorised_by_a_manager(child, social_worker, team_manager):
    services.early_help_start(child=child, started_on=date(2026, 1, 5), organisation="Hub",
                              by=social_worker)
    client = support.client_for(social_worker)
    page = client.post(f"/front-door/children/{child.pk}/steps/new/",
                       {"direction": "up", "rationale": ""}).content.decode()
    assert "Enter why this step is right" in page
    client.post(f"/front-door/children/{child.pk}/steps/new/",
                {"direction": "up", "rationale": "Neglect continues despite the plan"})
    step = StepDecision.objects.get()
    assert step.early_help_episode is not None
    assert "Save decision" not in client.get(f"/front-door/step-decisions/{step.pk}/"
                                             ).content.decode()
    assert client.post(f"/front-door/step-decisions/{step.pk}/",
                       {"outcome": "authorise", "reason": "x", "version": step.version}
                       ).status_code == 404
    manager = support.client_for(team_manager)
    assert "Save decision" in manager.get(f"/front-door/step-decisions/{step.pk}/"
                                          ).content.decode()
    page = manager.post(f"/front-door/step-decisions/{step.pk}/",
                        {"outcome": "authorise", "reason": "", "version": step.version}
                        ).content.decode()
    assert "Enter your rationale" in page
    manager.post(f"/front-door/step-decisions/{step.pk}/",
                 {"outcome": "authorise", "reason": "Agreed: refer to assessment team",
                  "version": step.version})
    step.refresh_from_db()
    assert step.authorised_by == team_manager
    assert step.decision_reason == "Agreed: refer to assessment team"


def test_a_manager_cannot_authorise_their_own_request(child, team_manager):
    step = services.step_decision_request(child=child, direction="down", rationale="Stable",
                                          requested_at=timezone.now(), by=team_manager,
                                          early_help_organisation="Hub")
    client = support.client_for(team_manager)
    page = client.post(f"/front-door/step-decisions/{step.pk}/",
                       {"outcome": "authorise", "reason": "Fine", "version": step.version}
                       ).content.decode()
    assert "Another manager must authorise a step you asked for" in page
    step.refresh_from_db()
    assert step.authorised_at is None


def test_a_step_can_be_declined_and_a_late_second_decision_conflicts(
        child, social_worker, team_manager, second_manager):
    step = services.step_decision_request(child=child, direction="down", rationale="Stable",
                                          requested_at=timezone.now(), by=social_worker,
                                          early_help_organisation="Hub")
    stale = step.version
    support.client_for(team_manager).post(
        f"/front-door/step-decisions/{step.pk}/",
        {"outcome": "decline", "reason": "Too soon: one good month", "version": stale})
    page = support.client_for(second_manager).post(
        f"/front-door/step-decisions/{step.pk}/",
        {"outcome": "authorise", "reason": "Fine by me", "version": stale}).content.decode()
    assert "Tess Manager changed this step decision while you were editing it" in page
    assert "Fine by me" in page
    step.refresh_from_db()
    assert (step.declined_by, step.authorised_at) == (team_manager, None)


def test_step_decisions_awaiting_a_manager(child, social_worker, team_manager, stranger):
    from cairn.frontdoor.selectors import step_decisions_awaiting
    mine = services.step_decision_request(child=child, direction="up", rationale="Worse",
                                          requested_at=timezone.now(), by=social_worker)
    services.step_decision_request(child=child, direction="down", rationale="Better",
                                   requested_at=timezone.now(), by=team_manager,
                                   early_help_organisation="Hub")
    assert list(step_decisions_awaiting(team_manager)) == [mine]
    assert not step_decisions_awaiting(social_worker).exists()  # not a manager
    assert not step_decisions_awaiting(stranger).exists()


def test_a_stranger_cannot_see_early_help_or_a_step(child, social_worker, stranger):
    step = services.step_decision_request(child=child, direction="up", rationale="Worse",
                                          requested_at=timezone.now(), by=social_worker)
    client = support.client_for(stranger)
    for url in (f"/front-door/children/{child.pk}/early-help/",
                f"/front-door/children/{child.pk}/early-help/new/",
                f"/front-door/step-decisions/{step.pk}/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/front-door/children/{child.pk}/steps/new/",
                       {"direction": "up", "rationale": "x"}).status_code == 404
    assert StepDecision.objects.count() == 1


def test_child_record_links_to_recording_a_contact(child, social_worker):
    page = support.client_for(social_worker).get(f"/children/{child.pk}/").content.decode()
    assert f"/front-door/children/{child.pk}/contacts/new/" in page
    assert "Record a contact about this child" in page


