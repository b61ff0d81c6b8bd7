"""A restricted child is absent for everyone not named on the record (issue 11): from a
sibling's relationships, from the team's lists (whose counts say "and 1 record you cannot
open"), and from the front door's duplicate check, which passes the contact to someone who can
see the record in place of making a second, unrestricted one."""

from datetime import date

import pytest
from django.utils import timezone

import support
from cairn.access import policy
from cairn.access.models import AccessGrant
from cairn.core.models import Action, AuditEvent
from cairn.frontdoor.models import ConsentStatus, Contact, ContactSource
from cairn.people.models import Child, Person, Relationship
from cairn.workforce.models import Allocation
from cairn.workforce.selectors import team_caseloads

pytestmark = pytest.mark.django_db

HIDDEN = "Robin Hale"  # the conftest's restricted_child, allocated to the social worker


def _siblings(child, restricted_child, by):
    mother = Person.objects.create(given_name="Mara", family_name="Morgan")
    for kid in (child, restricted_child):
        Relationship.objects.create(child=kid, person=mother, kind="mother", recorded_by=by)
    Relationship.objects.create(child=child, person=restricted_child, kind="sibling",
                                recorded_by=by)
    Relationship.objects.create(child=restricted_child, person=child, kind="sibling",
                                recorded_by=by)


# A sibling's relationships ------------------------------------------------------------------

def test_a_siblings_relationships_leave_out_the_restricted_child(
        child, restricted_child, social_worker, team_manager, front_door_worker, auditor):
    _siblings(child, restricted_child, social_worker)
    url = f"/children/{child.pk}/relationships/"
    for viewer in (team_manager, front_door_worker, auditor):
        page = support.client_for(viewer).get(url).content.decode()
        assert "Mara Morgan" in page, viewer.role  # the rest of the network is shown
        assert "Robin" not in page and "Hale" not in page, viewer.role
        assert "Sibling" not in page, viewer.role  # absent, not a row without a name


def test_those_named_on_the_record_see_the_restricted_sibling(
        child, restricted_child, social_worker, stranger):
    _siblings(child, restricted_child, social_worker)
    url = f"/children/{child.pk}/relationships/"
    # The allocated worker is named; so is a member of staff granted access.
    AccessGrant.objects.create(child=restricted_child, staff=stranger, reason="Named")
    support.allocate(child, stranger)
    for viewer in (social_worker, stranger):
        assert HIDDEN in support.client_for(viewer).get(url).content.decode(), viewer


# Team counts ----------------------------------------------------------------------------------

def test_the_team_page_count_acknowledges_the_record_it_does_not_list(
        child, restricted_child, social_worker, team_manager, team):
    page = support.client_for(team_manager).get(f"/teams/{team.pk}/").content.decode()
    assert HIDDEN not in page and "Robin" not in page
    assert "Alex Morgan" in page
    # The worker's caseload is 2 (a restricted child is work all the same); the list holds 1.
    assert "including 1 record you cannot open" in page
    assert "Children allocated in the team (1 and 1 record you cannot open)" in page
    assert "1 record allocated in the team is restricted" in page


def test_the_team_page_says_nothing_of_hidden_records_to_the_named(
        child, restricted_child, social_worker, team_manager, team):
    AccessGrant.objects.create(child=restricted_child, staff=team_manager, reason="Named")
    page = support.client_for(team_manager).get(f"/teams/{team.pk}/").content.decode()
    assert HIDDEN in page
    assert "you cannot open" not in page
    assert "Children allocated in the team (2)" in page


def test_teams_at_a_glance_acknowledge_the_record_they_do_not_count(
        child, restricted_child, social_worker, team_manager, service_manager, team):
    for manager in (team_manager, service_manager):
        page = support.client_for(manager).get("/").content.decode()
        assert "Robin" not in page, manager.role
        row = page[page.index(f'href="/teams/{team.pk}/"'):]
        row = row[:row.index("</tr>")]
        assert "1<br>" in row and "and 1 record you cannot open" in row, manager.role


def test_caseload_counts_say_how_many_the_viewer_cannot_open(child, restricted_child,
                                                              social_worker, team_manager, team):
    load = team_caseloads(team, visible=policy.visible_children(team_manager))[0]
    assert (load.worker, load.children, load.hidden) == (social_worker, 2, 1)
    load = team_caseloads(team, visible=policy.visible_children(social_worker))[0]
    assert (load.children, load.hidden) == (2, 0)


# The front door's duplicate check -----------------------------------------------------------

def _date(prefix: str, day: date) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _find(**changes) -> dict:
    # As the caller spells the child: near the restricted record's name, the same birthday.
    return {"given_name": "Robyn", "family_name": "Hale", **_date("birth_date", date(2015, 6, 1)),
            "address_line1": "", "postcode": "", "sex": "U", **changes}


def _contact() -> dict:
    today = timezone.localdate()
    return {**_date("received_on", today), "received_time": "00:00", "caller_name": "Ms Reed",
            "overnight_action": "Police checked the child was safe at home",
            "caller_relationship": "Class teacher", "source": ContactSource.SCHOOLS,
            "concerns": "Bruising seen at school", "consent": ConsentStatus.GIVEN,
            "consent_given_by": "Mother", "consent_given_to": "Ms Reed",
            **_date("consent_given_on", today)}


def test_the_check_says_a_restricted_record_may_match_without_naming_it(
        restricted_child, front_door_worker):
    client = support.client_for(front_door_worker)
    page = client.post("/front-door/contacts/new/", {**_find(), "check": "1"}).content.decode()
    assert "A restricted record you cannot see may match this child" in page
    assert "Robin" not in page and restricted_child.la_child_id not in page
    assert str(restricted_child.pk) not in page.split('name="choice"')[-1].split("</div>")[0]
    assert "create a new record" not in page
    assert "pass the contact to someone who can see the restricted record" in page


def test_no_second_record_is_made_of_a_restricted_child(restricted_child, front_door_worker):
    client = support.client_for(front_door_worker)
    page = client.post("/front-door/contacts/new/", {**_find(), "choice": "new"}
                       ).content.decode()
    assert "Select the child, or that none of these is the child" in page
    assert Child.objects.count() == 1


def test_the_contact_is_passed_to_the_allocated_worker(restricted_child, front_door_worker,
                                                        social_worker):
    client = support.client_for(front_door_worker)
    response = client.post("/front-door/contacts/new/", {**_find(), "choice": "pass"})
    assert response["Location"] == "/front-door/contacts/new/pass-on/"
    page = client.get(response["Location"]).content.decode()
    assert "A restricted record may match this child" in page
    assert "Robyn Hale, born 1 June 2015" in page  # what the worker typed, not the record
    assert "Robin" not in page and restricted_child.la_child_id not in page
    response = client.post("/front-door/contacts/new/pass-on/", _contact(), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/front-door/"
    assert ("A restricted record may match this child. The contact has been passed to someone "
            "who can see it.") in page
    assert "Robin" not in page
    contact = Contact.objects.get()
    assert (contact.child, contact.recorded_by, contact.concerns) == (
        restricted_child, front_door_worker, "Bruising seen at school")
    assert Child.objects.count() == 1  # no second record
    action = Action.objects.get()
    assert (action.child, action.owner, action.source) == (restricted_child, social_worker,
                                                           contact)
    assert f"A new contact may concern a restricted record you hold: contact ref {contact.pk}" \
        in action.what and "Robyn Hale, born 1 June 2015" in action.what
    assert AuditEvent.objects.filter(action="contact.passed", child_id=restricted_child.pk
                                     ).exists()
    # The holder sees it on My work; the front door cannot open it afterwards.
    assert f"contact ref {contact.pk}" in support.client_for(social_worker).get("/").content.decode()
    assert client.get(f"/front-door/contacts/{contact.pk}/decision/").status_code == 404
    assert client.get("/front-door/contacts/new/pass-on/")["Location"] == \
        "/front-door/contacts/new/"  # passed once: the session no longer holds the match


def test_a_named_member_of_staff_takes_it_when_no_one_is_allocated(
        restricted_child, front_door_worker, social_worker, stranger):
    Allocation.objects.filter(child=restricted_child).update(ended_on=date(2020, 1, 1),
                                                            started_on=date(2019, 1, 1))
    AccessGrant.objects.create(child=restricted_child, staff=stranger, reason="Named")
    client = support.client_for(front_door_worker)
    client.post("/front-door/contacts/new/", {**_find(), "choice": "pass"})
    client.post("/front-door/contacts/new/pass-on/", _contact())
    assert Action.objects.get().owner == stranger


def test_with_no_one_to_pass_to_nothing_is_made(restricted_child, front_door_worker):
    Allocation.objects.filter(child=restricted_child).update(ended_on=date(2020, 1, 1),
                                                            started_on=date(2019, 1, 1))
    client = support.client_for(front_door_worker)
    client.post("/front-door/contacts/new/", {**_find(), "choice": "pass"})
    page = client.post("/front-door/contacts/new/pass-on/", _contact()).content.decode()
    assert "no one named on it can take the contact" in page
    assert not Contact.objects.exists() and not Action.objects.exists()
    assert Child.objects.count() == 1


def test_the_pass_on_page_needs_a_check_first(front_door_worker, restricted_child):
    client = support.client_for(front_door_worker)
    assert client.get("/front-door/contacts/new/pass-on/")["Location"] == \
        "/front-door/contacts/new/"


def test_the_named_see_the_restricted_record_among_the_matches(restricted_child, social_worker,
                                                               front_door_worker):
    AccessGrant.objects.create(child=restricted_child, staff=front_door_worker, reason="Named")
    page = support.client_for(front_door_worker).post(
        "/front-door/contacts/new/", {**_find(), "check": "1"}).content.decode()
    assert HIDDEN in page and restricted_child.la_child_id in page
    assert "restricted record you cannot see" not in page
    assert "create a new record" in page
