"""Issue 12, "Front door": what a front door worker and their manager now see, each through the
pages: search results that tell children apart, how long a contact has waited and how long its
decision took, consent given and dispensed with (and the manager's tray), out-of-hours contacts
for the day team, the history of concern before deciding, referrals ended with no further action
and re-referrals flagged and counted, and the new person form choosing no sex."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

import support
from cairn.access.models import AccessGrant
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.core.working_days import add_working_days
from cairn.frontdoor import selectors, services
from cairn.frontdoor.models import (
    ConsentStatus,
    Contact,
    ContactDecision,
    ContactSource,
    Referral,
)
from cairn.people.models import Address
from cairn.protection.models import Assessment, ChildProtectionPlan
from cairn.workforce.models import Role, Staff

pytestmark = pytest.mark.django_db


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def _date(prefix: str, day: date) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _contact(child, by, **changes) -> Contact:
    values = dict(child=child, received_at=timezone.now() - timedelta(minutes=5),
                  source=ContactSource.SCHOOLS, concerns="Bruising", consent=ConsentStatus.GIVEN,
                  by=by)
    values.update(changes)
    return services.contact_record(**values)


def _contact_post(**changes) -> dict:
    today = timezone.localdate()
    data = {**_date("received_on", today), "received_time": "00:00",
            "overnight_action": "Police checked the child was safe at home",
            "caller_name": "Ms Reed", "caller_relationship": "Class teacher",
            "source": ContactSource.SCHOOLS, "concerns": "Bruising seen at school",
            "consent": ConsentStatus.GIVEN}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# A Friday, the Monday after and the Wednesday, all before the suite's earliest clock.
FRIDAY, MONDAY, WEDNESDAY = date(2026, 11, 13), date(2026, 11, 16), date(2026, 11, 18)


# Search results ---------------------------------------------------------------------------------

def test_search_results_show_age_identifier_and_current_address(front_door):
    today = timezone.localdate()
    born = date(today.year - 9, 1, 15)
    first = support.make_child("Maya", "Okafor", birth_date=born, la_child_id="C1000001")
    second = support.make_child("Maya", "Okafor", birth_date=date(today.year - 4, 2, 3),
                                la_child_id="C1000002")
    Address.objects.create(person=first, line1="4 Mill Lane", town="Leeds", postcode="LS6 1AA",
                           started_on=date(2020, 1, 1), ended_on=date(2023, 1, 1))
    Address.objects.create(person=first, line1="9 Hill Rise", town="Leeds", postcode="LS7 2BB",
                           started_on=date(2023, 1, 1))
    page = support.client_for(front_door).get("/search", {"q": "Maya Okafor"}).content.decode()
    rows = {row.split("</td>")[0]: row for row in page.split('<tr class="govuk-table__row">')[2:]}
    assert len(rows) == 2
    first_row = next(r for r in rows.values() if "C1000001" in r)
    second_row = next(r for r in rows.values() if "C1000002" in r)
    assert f">{first.age}<" in first_row and f">{second.age}<" in second_row
    assert "9 Hill Rise" in first_row and "LS7 2BB" in first_row
    assert "LS6 1AA" not in first_row  # an ended address is not where the child lives now
    assert "Not known" in second_row  # no address recorded


# Awaiting a decision, and how long the decision took ------------------------------------------

def test_waiting_counts_working_days_and_hours_not_the_weekend():
    waited = selectors.working_time_between(_at(FRIDAY, 16), _at(MONDAY, 10))
    assert waited == timedelta(hours=18)
    assert selectors.waited_words(waited) == "18 hours"
    waited = selectors.working_time_between(_at(FRIDAY, 9), _at(MONDAY, 12))
    assert selectors.waited_words(waited) == "1 working day 3 hours"
    assert selectors.waited_words(timedelta(minutes=20)) == "under an hour"


def test_the_awaiting_list_shows_how_long_each_contact_has_waited(child, front_door):
    _contact(child, front_door, received_at=_at(FRIDAY, 10))
    page = support.client_for(front_door).get("/front-door/").content.decode()
    assert ">Waiting</th>" in page
    # Over a week ago at the suite's earliest clock: whole working days, then any hours.
    assert re.search(r'<td class="govuk-table__cell">\d+ working days( \d+ hours?)?</td>',
                     page)


def test_a_contact_decided_late_shows_how_many_working_days_it_took(child, front_door):
    late = _contact(child, front_door, received_at=_at(FRIDAY, 10))
    services.contact_decide(contact=late, decision=ContactDecision.INFORMATION_AND_ADVICE,
                            decided_at=_at(WEDNESDAY, 10), by=front_door, reason="Advice given")
    on_time = _contact(child, front_door, received_at=_at(MONDAY, 10))
    services.contact_decide(contact=on_time, decision=ContactDecision.INFORMATION_AND_ADVICE,
                            decided_at=_at(MONDAY, 14), by=front_door, reason="Advice given")
    client = support.client_for(front_door)
    page = client.get(f"/front-door/contacts/{late.pk}/decision/").content.decode()
    decision = page.split('id="decision">')[1].split("</dd>")[0]
    assert "The decision took 3 working days" in decision and "Decided late" in decision
    page = client.get(f"/front-door/contacts/{on_time.pk}/decision/").content.decode()
    decision = page.split('id="decision">')[1].split("</dd>")[0]
    assert "The decision took 4 hours" in decision and "Decided late" not in decision


def test_the_decision_time_agrees_with_the_wait_the_list_showed(child, front_door):
    """Received Sunday 22:30, decided Monday 13:31: the list showed it waiting 13 hours, so the
    decision took 13 hours, not "1 working day"."""
    sunday = date(2026, 11, 15)
    contact = _contact(child, front_door, received_at=_at(sunday, 22, 30),
                       overnight_action="Police checked the child was safe at home")
    waited = selectors.working_time_between(contact.received_at, _at(MONDAY, 13, 31))
    assert selectors.waited_words(waited) == "13 hours"
    services.contact_decide(contact=contact, decision=ContactDecision.INFORMATION_AND_ADVICE,
                            decided_at=_at(MONDAY, 13, 31), by=front_door, reason="Advice given")
    page = support.client_for(front_door).get(
        f"/front-door/contacts/{contact.pk}/decision/").content.decode()
    decision = page.split('id="decision">')[1].split("</dd>")[0]
    assert "The decision took 13 hours" in decision


# Recent decisions -------------------------------------------------------------------------------

def test_recent_decisions_leave_out_decisions_timed_after_now(child, front_door):
    past = _contact(child, front_door, received_at=_at(MONDAY, 10))
    services.contact_decide(contact=past, decision=ContactDecision.INFORMATION_AND_ADVICE,
                            decided_at=_at(MONDAY, 11), by=front_door, reason="Advice given")
    future = _contact(child, front_door, received_at=_at(MONDAY, 10), caller_name="Future")
    # As the synthetic authority once wrote them: decided later than now.
    Contact.objects.filter(pk=future.pk).update(
        decision=ContactDecision.NO_FURTHER_ACTION, decided_by=front_door,
        decided_at=timezone.now() + timedelta(hours=3))
    assert selectors.recent_decisions(viewer=front_door) == [past]
    page = support.client_for(front_door).get("/front-door/").content.decode()
    recent = page.split("Recent decisions")[1]
    assert f"/front-door/contacts/{past.pk}/decision/" in recent
    assert f"/front-door/contacts/{future.pk}/decision/" not in recent


# Consent ---------------------------------------------------------------------------------------

def test_consent_given_records_who_gave_it_to_whom_and_when(child, front_door):
    client = support.client_for(front_door)
    url = f"/front-door/children/{child.pk}/contacts/new/"
    page = client.post(url, _contact_post()).content.decode()
    for message in ("Enter who gave consent", "Enter who consent was given to",
                    "Enter the date consent was given"):
        assert message in page
    assert not Contact.objects.exists()
    response = client.post(url, _contact_post(consent_given_by="Mother",
                                              consent_given_to="Ms Reed, class teacher",
                                              **_date("consent_given_on", MONDAY)))
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert (contact.consent_given_by, contact.consent_given_to, contact.consent_given_on) == (
        "Mother", "Ms Reed, class teacher", MONDAY)
    page = client.get(f"/front-door/contacts/{contact.pk}/decision/").content.decode()
    consent = page.split('id="consent">')[1].split("</dd>")[0]
    assert "given by Mother to Ms Reed, class teacher on 16 Nov 2026" in consent


def test_dispensed_consent_reaches_the_managers_tray_summary_and_chronology(
        child, front_door, team_manager):
    client = support.client_for(front_door)
    response = client.post(f"/front-door/children/{child.pk}/contacts/new/", _contact_post(
        consent=ConsentStatus.DISPENSED_WITH, consent_dispensed_by=team_manager.pk,
        consent_dispensed_reason="Asking would alert the alleged abuser",
        **_date("consent_dispensed_on", MONDAY)))
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.consent_dispensed_on == MONDAY

    manager = support.client_for(team_manager)
    tray = manager.get("/authorisations/").content.decode()
    assert "Consent dispensed with: confirm" in tray
    assert f"/front-door/contacts/{contact.pk}/decision/" in tray
    assert "Asking would alert the alleged abuser" in tray
    # Another manager's tray does not hold it.
    other = Staff.objects.create_user("tm3", password="x", role=Role.TEAM_MANAGER,
                                      team=team_manager.team)
    assert "Consent dispensed with" not in support.client_for(other).get(
        "/authorisations/").content.decode()

    page = manager.get(f"/front-door/contacts/{contact.pk}/decision/").content.decode()
    assert "Confirm I dispensed with consent" in page
    assert "Confirm I dispensed with consent" not in client.get(
        f"/front-door/contacts/{contact.pk}/decision/").content.decode()
    # Only the named manager can confirm it.
    client.post(f"/front-door/contacts/{contact.pk}/consent-seen/")
    contact.refresh_from_db()
    assert contact.consent_dispensed_seen_at is None
    manager.post(f"/front-door/contacts/{contact.pk}/consent-seen/")
    contact.refresh_from_db()
    assert contact.consent_dispensed_seen_at is not None
    assert "Consent dispensed with" not in manager.get("/authorisations/").content.decode()
    assert AuditEvent.objects.filter(action="contact.consent_dispensal_seen",
                                     actor=team_manager).exists()

    summary = manager.get(f"/children/{child.pk}/").content.decode()
    dispensed = summary.split('id="consent-dispensed">')[1].split("</ul>")[0]
    assert "16 Nov 2026, by Tess Manager: Asking would alert the alleged abuser" in dispensed
    chronology = manager.get(f"/children/{child.pk}/chronology/").content.decode()
    assert "Consent dispensed with" in chronology
    assert ("By Tess Manager on 16 Nov 2026: Asking would alert the alleged abuser"
            in chronology)


def test_dispensed_consent_reaches_a_manager_outside_the_childs_team_at_once(
        child, front_door, other_team, social_worker):
    """The named manager manages another team: the contact's naming them lets them open the
    record for a time, so the item is in their tray while the contact waits."""
    elsewhere = Staff.objects.create_user("tmw", password="x", role=Role.TEAM_MANAGER,
                                          team=other_team, first_name="Wren", last_name="Hale")
    client = support.client_for(front_door)
    response = client.post(f"/front-door/children/{child.pk}/contacts/new/", _contact_post(
        consent=ConsentStatus.DISPENSED_WITH, consent_dispensed_by=elsewhere.pk,
        consent_dispensed_reason="Asking would alert the alleged abuser",
        **_date("consent_dispensed_on", MONDAY)))
    assert response.status_code == 302
    contact = Contact.objects.get()
    manager = support.client_for(elsewhere)
    tray = manager.get("/authorisations/").content.decode()
    assert "Consent dispensed with: confirm" in tray
    assert f"/front-door/contacts/{contact.pk}/decision/" in tray
    manager.post(f"/front-door/contacts/{contact.pk}/consent-seen/")
    contact.refresh_from_db()
    assert contact.consent_dispensed_seen_at is not None
    grant = AccessGrant.objects.get(staff=elsewhere, child=child)
    assert grant.until == MONDAY + services.CONSENT_ACCESS_AFTER
    assert AuditEvent.objects.filter(action="accessgrant.created", actor=front_door).exists()


def test_dispensed_consent_on_a_restricted_record_needs_the_manager_named(
        child, front_door, other_team, social_worker):
    elsewhere = Staff.objects.create_user("tmw", password="x", role=Role.TEAM_MANAGER,
                                          team=other_team)
    child.restricted = True
    child.save()
    with pytest.raises(RecordError, match="not named on it"):
        _contact(child, social_worker, consent=ConsentStatus.DISPENSED_WITH,
                 consent_dispensed_by=elsewhere, consent_dispensed_reason="Risk to the child")
    assert not AccessGrant.objects.filter(staff=elsewhere).exists()


# Out of hours (F17) -----------------------------------------------------------------------------

def test_out_of_hours_is_marked_from_the_moment_or_by_the_worker(child, front_door):
    saturday = _contact(child, front_door, received_at=_at(date(2026, 11, 14), 22),
                        overnight_action="Police checked the child was safe at home")
    evening = _contact(child, front_door, received_at=_at(MONDAY, 19))
    day = _contact(child, front_door, received_at=_at(MONDAY, 11))
    taken = _contact(child, front_door, received_at=_at(MONDAY, 11), out_of_hours_service=True)
    assert [c.out_of_hours for c in (saturday, evening, day, taken)] == [True, True, False, True]
    assert saturday.overnight_action == "Police checked the child was safe at home"
    with pytest.raises(RecordError, match="Only a contact received out of hours"):
        _contact(child, front_door, received_at=_at(MONDAY, 11), overnight_action="Visited")


def test_out_of_hours_contacts_reach_the_day_team_next_working_day(child, front_door):
    friday_night = _contact(child, front_door, received_at=_at(FRIDAY, 18),
                            overnight_action="Emergency duty social worker visited")
    sunday = _contact(child, front_door, received_at=_at(date(2026, 11, 15), 3))
    thursday_night = _contact(child, front_door, received_at=_at(date(2026, 11, 12), 20))
    listed = selectors.out_of_hours_for_day_team(viewer=front_door, now=_at(MONDAY, 9, 30))
    assert listed == [friday_night, sunday]
    assert thursday_night not in listed

    # Through the page, at the suite's clock: last night's contact, with its action.
    last_working_day = add_working_days(timezone.localdate(), -1)
    overnight = _contact(child, front_door, received_at=_at(last_working_day, 21),
                         out_of_hours_service=True, overnight_action="Child placed with aunt")
    page = support.client_for(front_door).get("/front-door/").content.decode()
    section = page.split('id="overnight"')[1].split("<h2")[0]
    assert f"/front-door/contacts/{overnight.pk}/decision/" in section
    assert "Child placed with aunt" in section and "Out-of-hours service" in section
    decide = support.client_for(front_door).get(
        f"/front-door/contacts/{overnight.pk}/decision/").content.decode()
    assert "Taken by the out-of-hours service" in decide and "Child placed with aunt" in decide


def test_the_contact_form_takes_the_out_of_hours_service_and_the_action(child, front_door):
    client = support.client_for(front_door)
    response = client.post(f"/front-door/children/{child.pk}/contacts/new/", _contact_post(
        received_time="11:00", **_date("received_on", MONDAY), consent=ConsentStatus.REFUSED,
        out_of_hours_service="yes", overnight_action="Advice given to the caller"))
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.out_of_hours, contact.out_of_hours_service, contact.overnight_action) == (
        True, True, "Advice given to the caller")


def test_an_out_of_hours_contact_needs_the_action_taken(child, front_door):
    """Sunday 22:30, or ticked as taken by the out-of-hours service: the form asks what was
    done overnight, next to the field, and saves nothing without it."""
    client = support.client_for(front_door)
    url = f"/front-door/children/{child.pk}/contacts/new/"
    sunday = date(2026, 11, 15)
    for changes in ({"received_time": "22:30", **_date("received_on", sunday)},
                    {"received_time": "11:00", **_date("received_on", MONDAY),
                     "out_of_hours_service": "yes"}):
        response = client.post(url, _contact_post(overnight_action="", consent=ConsentStatus.REFUSED,
                                                  **changes))
        assert response.status_code == 200
        page = response.content.decode()
        field = page.split('overnight_action-error"')[1].split("</p>")[0]
        assert "Enter the action taken out of hours" in field
    assert not Contact.objects.exists()
    response = client.post(url, _contact_post(
        received_time="11:00", **_date("received_on", MONDAY), overnight_action="",
        consent=ConsentStatus.REFUSED))
    assert response.status_code == 302


# History of concern (F26), NFA and re-referrals (F20) --------------------------------------------

def _referral(child, by, on, **changes) -> Referral:
    return services.referral_record(child=child, received_on=on, source=ContactSource.SCHOOLS,
                                    by=by, primary_need="N1", **changes)


def test_the_decision_page_shows_the_history_of_concern(child, front_door, social_worker):
    today = timezone.localdate()
    earlier = _contact(child, front_door, received_at=_at(today - timedelta(days=500), 10))
    recent = _contact(child, front_door, received_at=_at(today - timedelta(days=100), 10))
    old = _referral(child, front_door, today - timedelta(days=500))
    services.referral_close(referral=old, closed_on=today - timedelta(days=300),
                            reason="RC7", by=front_door)
    ChildProtectionPlan.objects.create(child=child, started_on=date(2025, 6, 2),
                                       initial_category_of_abuse="NEG",
                                       ended_on=date(2025, 12, 1), end_reason="safe")
    last = _referral(child, front_door, today - timedelta(days=100))
    services.referral_end_nfa(referral=last, closed_on=today - timedelta(days=99),
                              reason="Family accepted support from school", by=front_door)
    contact = _contact(child, front_door)
    page = support.client_for(front_door).get(
        f"/front-door/contacts/{contact.pk}/decision/").content.decode()
    history = page.split('id="history-of-concern"')[1].split("</section>")[0]
    assert "2 in all, 1 in the last 12 months" in history  # contacts, this one left out
    assert "A referral now would be a re-referral" in history
    assert "From 2 Jun 2025 to 1 Dec 2025, neglect" in history
    assert f"/front-door/contacts/{earlier.pk}/decision/" in history
    assert f"/front-door/contacts/{recent.pk}/decision/" in history
    assert f"/front-door/contacts/{contact.pk}/decision/" not in history
    assert "No further action" in history
    assert "?kind=cp_plan.started" in history


def test_a_referral_ends_with_no_further_action_and_the_child_can_be_referred_again(
        child, front_door, social_worker, team_manager):
    today = timezone.localdate()
    first_contact = _contact(child, front_door, received_at=_at(today - timedelta(days=60), 10))
    first = _referral(child, front_door, today - timedelta(days=60), contact=first_contact)
    client = support.client_for(social_worker)
    url = f"/front-door/referrals/{first.pk}/no-further-action/"
    summary = client.get(f"/children/{child.pk}/").content.decode()
    assert url in summary
    page = client.post(url, {**_date("closed_on", today), "reason": "",
                             "version": first.version}).content.decode()
    assert "Enter why the referral needs no further action" in page
    response = client.post(url, {**_date("closed_on", today - timedelta(days=59)),
                                 "reason": "Needs met by the school nurse",
                                 "version": first.version})
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.nfa, first.closed_on, first.closure_reason, first.nfa_reason) == (
        True, today - timedelta(days=59), "RC7", "Needs met by the school nurse")

    # Referred again: the new referral is a re-referral, flagged and counted.
    contact = _contact(child, front_door)
    response = support.client_for(front_door).post(
        f"/front-door/contacts/{contact.pk}/decision/", {
            "decision": ContactDecision.REFERRAL, "primary_need": "N1", "reason": "",
            **_date("decided_on", timezone.localdate()),
            "decided_time": timezone.localtime().strftime("%H:%M"), "version": contact.version})
    assert response.status_code == 302
    page = support.client_for(front_door).get(
        f"/front-door/contacts/{contact.pk}/decision/").content.decode()
    referral = page.split('id="referral">')[1].split("</dd>")[0]
    assert "Re-referral within 12 months" in referral
    # The source by its label, not its code.
    source = Referral.objects.latest("pk")
    assert f"source {source.get_source_display()}," in referral
    assert f"source {source.source}," not in referral
    summary = client.get(f"/children/{child.pk}/").content.decode()
    counted = summary.split('id="referral-count">')[1].split("</p>")[0]
    assert "2 referrals in all, 2 in the last 12 months" in counted and "1 re-referral" in counted
    home = support.client_for(front_door).get("/front-door/").content.decode()
    assert "1 of 2 referrals in the last 12 months (50%)" in home


def test_a_referral_that_went_further_cannot_end_with_no_further_action(
        child, front_door, social_worker):
    referral = _referral(child, front_door, timezone.localdate() - timedelta(days=10))
    Assessment.objects.create(child=child, referral=referral,
                              started_on=timezone.localdate() - timedelta(days=9))
    with pytest.raises(RecordError, match="cannot end with no further action"):
        services.referral_end_nfa(referral=referral, closed_on=timezone.localdate(),
                                  reason="No longer needed", by=social_worker)
    referral.refresh_from_db()
    assert not referral.nfa and referral.closed_on is None


def test_re_referrals_are_counted_among_the_children_the_viewer_may_see(
        child, front_door, stranger):
    today = timezone.localdate()
    first = _referral(child, front_door, today - timedelta(days=400))
    services.referral_end_nfa(referral=first, closed_on=today - timedelta(days=400),
                              reason="Advice given", by=front_door)
    second = _referral(child, front_door, today - timedelta(days=200))  # a re-referral
    services.referral_end_nfa(referral=second, closed_on=today - timedelta(days=200),
                              reason="Advice given", by=front_door)
    _referral(child, front_door, today - timedelta(days=2))  # over a year after the first
    other = support.make_child("Other")
    _referral(other, front_door, today - timedelta(days=5))
    counts = selectors.re_referrals(viewer=front_door)
    assert (counts.referrals, counts.re_referrals, counts.percent) == (3, 2, 67)
    assert selectors.re_referrals(viewer=stranger).referrals == 0


# Allocation, and the new person form -------------------------------------------------------------

def test_a_team_manager_holding_a_new_referral_is_not_called_its_social_worker(front_door, team):
    manager = Staff.objects.create_user("atm", password="x", role=Role.TEAM_MANAGER, team=team,
                                        first_name="Tara", last_name="Lead")
    team.manager = manager
    team.save()
    child = support.make_child("Noor")
    contact = _contact(child, front_door)
    services.contact_decision_record(contact=contact, decision=ContactDecision.REFERRAL,
                                     decided_at=timezone.now(), by=front_door,
                                     primary_need="N1", team=team)
    page = support.client_for(manager).get(f"/children/{child.pk}/").content.decode()
    assert "Tara Lead (team manager, to allocate)" in page
    assert "Tara Lead (social worker)" not in page


def test_the_new_person_form_chooses_no_sex(front_door):
    client = support.client_for(front_door)
    for page in (client.get("/front-door/contacts/new/").content.decode(),
                 client.post("/front-door/contacts/new/", {
                     "given_name": "Ava", "family_name": "Stone", "check": "1"}
                 ).content.decode()):
        radios = re.findall(r'<input class="govuk-radios__input"[^>]*name="sex"[^>]*>', page)
        assert len(radios) == 3
        assert not any("checked" in radio for radio in radios)


def test_a_referral_carried_into_the_census_year_cannot_end_with_no_further_action(
        child, front_door):
    # CIN 8569Q: received over a working day before 1 April, closed after it.
    referral = _referral(child, front_door, date(2026, 3, 27))
    with pytest.raises(RecordError, match="received before 1 April 2026"):
        services.referral_end_nfa(referral=referral, closed_on=date(2026, 11, 2),
                                  reason="No longer needed", by=front_door)
    referral.refresh_from_db()
    assert not referral.nfa and referral.closed_on is None
