"""The conference chair (IRO or chair role) opens and records the conferences they are asked to
chair, for children outside their caseload, without being the child's worker."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.access.models import AccessGrant
from cairn.core.errors import RecordError
from cairn.core.working_days import add_working_days
from cairn.protection import services
from cairn.protection.models import (
    CategoryOfAbuse,
    ChildProtectionConference,
    ChildProtectionPlan,
    ConferenceBooking,
    Section47Outcome,
)
from cairn.workforce.models import Role
from support import client_for, form_data, make_staff

pytestmark = pytest.mark.django_db

Kind = ChildProtectionConference.Kind
Outcome = ChildProtectionConference.Outcome


def weekday(days_ago: int) -> date:
    day = timezone.localdate() - timedelta(days=days_ago)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def errors(response) -> str:
    return " ".join(str(e) for field in response.context["form"].errors.values()
                    for e in field)


@pytest.fixture
def chair(other_team):
    return make_staff("cora_chair", role=Role.IRO, team=other_team)


@pytest.fixture
def enquiry(child, social_worker):
    held = weekday(6)
    discussion = services.strategy_discussion_record(
        child=child, held_on=held, agencies_present="Police", decision="Section 47",
        s47_agreed=True, by=social_worker)
    enquiry = services.section47_enquiry_start(strategy_discussion=discussion,
                                               started_on=held, by=social_worker)
    services.section47_enquiry_complete(enquiry=enquiry, completed_on=held,
                                        outcome=Section47Outcome.ICPC, by=social_worker)
    services.safety_plan_record(child=child, made_on=held, safety_goal="Safe",
                                arrangements="Gran stays", agreed_by="Mother",
                                childs_words="I like Gran", if_breaks_down="Call the team",
                                by=social_worker)
    return enquiry


def test_a_chair_asked_opens_and_records_the_conference(child, social_worker, chair, enquiry):
    chair_client = client_for(chair)
    record_url = reverse("protection_record", args=[child.pk])
    assert chair_client.get(record_url).status_code == 404  # not their child, yet
    worker = client_for(social_worker)
    ask_url = reverse("conference_chair_ask", args=[child.pk])
    page = worker.get(ask_url).content.decode()
    assert "Initial conference after the section 47 enquiry started" in page
    assert "Cora Chair" in page
    booked_for = add_working_days(timezone.localdate(), 1)
    response = worker.post(ask_url, form_data(conference=f"s47-{enquiry.pk}", chair=chair.pk,
                                              booked_for=booked_for))
    assert response.status_code == 302, errors(response)
    booking = ConferenceBooking.objects.get()
    assert (booking.chair, booking.kind, booking.section47) == (chair, Kind.INITIAL, enquiry)
    grant = AccessGrant.objects.get(staff=chair, child=child)
    assert grant.until == booked_for + timedelta(days=28) and grant.granted_by == social_worker
    assert booking.grant == grant
    assert "chaired by Cora Chair" in worker.get(record_url).content.decode()

    # The chair finds it on My work, opens the record and records the conference.
    home = chair_client.get(reverse("home")).content.decode()
    assert "Conferences you are asked to chair" in home and child.full_name in home
    listed = chair_client.get(reverse("conferences_to_chair")).content.decode()
    add_url = reverse("initial_conference_add", args=[child.pk])
    assert f'href="{add_url}"' in listed
    assert chair_client.get(record_url).status_code == 200
    response = chair_client.post(add_url, form_data(
        section47=enquiry.pk, held_on=weekday(0), outcome=Outcome.PLAN,
        category=CategoryOfAbuse.NEGLECT))
    assert response.status_code == 302, errors(response)
    conference = ChildProtectionConference.objects.get()
    assert conference.chaired_by == chair and conference.recorded_by == chair
    assert ChildProtectionPlan.objects.get().conference == conference
    booking.refresh_from_db()
    assert booking.conference == conference
    assert "You are not asked to chair any conference" in chair_client.get(
        reverse("conferences_to_chair")).content.decode()
    # A social worker's My work has no chair's list.
    assert "Conferences you are asked to chair" not in worker.get(
        reverse("home")).content.decode()


def test_the_worker_books_a_review_and_the_chair_records_it(child, social_worker, chair,
                                                            enquiry):
    icpc = services.conference_record(kind=Kind.INITIAL, section47=enquiry,
                                      held_on=enquiry.started_on, outcome=Outcome.PLAN,
                                      by=social_worker)
    plan = services.child_protection_plan_start(
        conference=icpc, initial_category_of_abuse=CategoryOfAbuse.NEGLECT, by=social_worker)
    booking = services.conference_chair_ask(child=child, chair=chair, plan=plan,
                                            booked_for=timezone.localdate(), by=social_worker)
    review_url = reverse("review_conference_add", args=[child.pk, plan.pk])
    assert f'href="{review_url}"' in client_for(chair).get(
        reverse("conferences_to_chair")).content.decode()
    response = client_for(chair).post(review_url, form_data(
        held_on=timezone.localdate(), outcome=Outcome.PLAN_CONTINUES))
    assert response.status_code == 302, errors(response)
    booking.refresh_from_db()
    assert booking.conference.kind == Kind.REVIEW and booking.conference.chaired_by == chair


def test_asking_a_chair_is_checked(child, social_worker, chair, enquiry, team_manager):
    ask = dict(child=child, section47=enquiry, by=social_worker,
               booked_for=add_working_days(timezone.localdate(), 2))
    for who, field in [(team_manager, "chair"), (None, "chair")]:
        with pytest.raises(RecordError) as error:
            services.conference_chair_ask(chair=who, **ask)
        assert error.value.field == field
    with pytest.raises(RecordError, match="must be today or later"):
        services.conference_chair_ask(chair=chair, **(ask | {"booked_for": weekday(3)}))
    services.conference_chair_ask(chair=chair, **ask)
    with pytest.raises(RecordError, match="Cora Chair is already asked to chair"):
        services.conference_chair_ask(chair=make_staff("ian_iro", role=Role.IRO), **ask)
    # On a restricted record the senior manager names who may see it: a chair is not let in.
    other = make_staff("rita_iro", role=Role.IRO)
    child.restricted = True
    child.save()
    ConferenceBooking.objects.update(voided_at=timezone.now())
    with pytest.raises(RecordError, match="This record is restricted"):
        services.conference_chair_ask(chair=other, **ask)
    assert not AccessGrant.objects.filter(staff=other).exists()
