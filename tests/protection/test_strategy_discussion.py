"""The structured strategy discussion (F18): when it was held (date and time), who took part for
which agency (from a list, with names), what was shared, the decision, and the actions agreed;
through the page, and the service's own checks."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.core.errors import RecordError
from cairn.core.models import Action
from cairn.protection import services
from cairn.protection.models import Agency, StrategyAttendee, StrategyDiscussion
from support import client_for, form_data

pytestmark = pytest.mark.django_db


def weekday(days_ago: int) -> date:
    day = timezone.localdate() - timedelta(days=days_ago)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def errors(response) -> str:
    return " ".join(str(e) for field in response.context["form"].errors.values()
                    for e in field)


def test_the_discussion_records_when_who_for_which_agency_and_the_actions(
        child, social_worker):
    client = client_for(social_worker)
    url = reverse("strategy_discussion_add", args=[child.pk])
    held = weekday(3)
    page = client.get(url).content.decode()
    # Three people to begin with, each agency chosen from the list.
    assert "Person 3" in page and "Person 4" not in page
    assert '<option value="police">Police</option>' in page
    response = client.post(url, form_data(
        held_on=held, held_time="14:30",
        agency_0="police", name_0="DS Rowe", role_0="Child abuse investigation unit",
        agency_1="health", name_1="Amina Ali", role_1="Health visitor",
        agency_2="other", name_2="Jo Marsh", role_2="Riverside Housing",
        attendees="3",
        information_shared="Police: two call-outs in May. Health: missed checks.",
        decision="Section 47 enquiry; joint visit today", s47_agreed="yes",
        what_0="Joint visit with police", owner=None, owner_name_0="DS Rowe",
        due_on_0=held, actions="1"))
    assert response.status_code == 302, errors(response)
    discussion = StrategyDiscussion.objects.get()
    assert discussion.held_on == held and discussion.held_at == time(14, 30)
    assert discussion.agencies_present == "Police, Health, Riverside Housing"
    assert [(a.agency, a.name, a.role, a.recorded_by) for a in
            StrategyAttendee.objects.order_by("pk")] == [
        (Agency.POLICE, "DS Rowe", "Child abuse investigation unit", social_worker),
        (Agency.HEALTH, "Amina Ali", "Health visitor", social_worker),
        (Agency.OTHER, "Jo Marsh", "Riverside Housing", social_worker)]
    action = Action.objects.get()
    assert (action.source, action.owner_name, action.due_on) == (discussion, "DS Rowe", held)
    record = client.get(reverse("protection_record", args=[child.pk])).content.decode()
    assert f"Strategy discussion, {held:%-d %B %Y} at 14:30" in record
    assert "Police: DS Rowe, Child abuse investigation unit" in record
    assert "Health: Amina Ali, Health visitor" in record
    assert "Riverside Housing: Jo Marsh" in record
    assert "Police: two call-outs in May." in record
    assert "Section 47 enquiry; joint visit today" in record
    assert "Joint visit with police" in record


def test_another_person_can_be_added_and_each_row_is_checked(child, social_worker):
    client = client_for(social_worker)
    url = reverse("strategy_discussion_add", args=[child.pk])
    base = form_data(held_on=weekday(1), held_time="9:05", information_shared="Shared",
                     decision="No section 47", s47_agreed="no", attendees="3",
                     agency_0="police", name_0="DS Rowe")
    page = client.post(url, {**base, "add_attendee": "1"})
    assert page.status_code == 200 and not page.context["form"].errors
    text = page.content.decode()
    assert "Person 4" in text and 'name="attendees" value="4"' in text and "DS Rowe" in text
    # A person without a name, and another agency left unnamed, are refused by number.
    response = client.post(url, {**base, "attendees": "4", "agency_1": "education",
                                 "agency_3": "other", "name_3": "Jo Marsh"})
    text = errors(response)
    assert "Enter the name of person 2" in text
    assert "Enter the agency person 4 attended for" in text
    assert not StrategyDiscussion.objects.exists()
    # Nobody named at all, and a time that is not one.
    response = client.post(url, {**base, "agency_0": "", "name_0": "", "held_time": "25:00"})
    text = errors(response)
    assert "Enter who took part: each person's agency and name" in text
    assert "Enter the time as hours and minutes on the 24-hour clock" in text
    assert not StrategyDiscussion.objects.exists()
    response = client.post(url, base)
    assert response.status_code == 302
    assert StrategyDiscussion.objects.get().held_at == time(9, 5)


def test_the_service_names_the_person_at_fault(child, social_worker):
    common = dict(child=child, held_on=weekday(1), decision="NFA", s47_agreed=False,
                  by=social_worker)
    for attendees, field in [
            ([{"agency": "police", "name": "A"}, {"agency": "", "name": "B", "place": 4}],
             "agency_4"),
            ([{"agency": "health", "name": " "}], "name_0"),
            ([{"agency": "other", "name": "C", "role": ""}], "role_0")]:
        with pytest.raises(RecordError) as error:
            services.strategy_discussion_record(attendees=attendees, **common)
        assert error.value.field == field
    assert not StrategyDiscussion.objects.exists()
    # Imported discussions, without names, keep the agencies in words.
    discussion = services.strategy_discussion_record(agencies_present="Police", **common)
    assert discussion.agencies_present == "Police" and not discussion.attendees.exists()
