"""The front door's lists are read a page at a time, so the page costs the same however many
contacts the authority holds: the queue of contacts awaiting a decision, oldest first, with
the total counted and the overdue flagged, and the contacts received out of hours. Walking the
pages finds every contact, once."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

import support
from cairn.core.working_days import add_working_days
from cairn.frontdoor import selectors, services
from cairn.frontdoor.models import ContactSource

pytestmark = pytest.mark.django_db


def _contact(child, by, received_at):
    return services.contact_record(child=child, received_at=received_at,
                                   source=ContactSource.SCHOOLS, concerns="Bruising",
                                   consent="given", by=by)


def _walk(client, first: str, param: str, section: str) -> list[list[int]]:
    """The contact ids each page of `section` links to, following its Next links."""
    pages, url = [], first
    while url:
        html = client.get(url).content.decode()
        part = html.split(section)[1].split("<h2")[0]
        pages.append([int(pk) for pk in re.findall(r"/front-door/contacts/(\d+)/decision/",
                                                   part)])
        following = re.search(rf'href="\?{param}=(\d+)[^"]*" rel="next"', part)
        url = f"/front-door/?{param}={following.group(1)}" if following else None
    return pages


@pytest.fixture
def five_waiting(child, front_door):
    """Five contacts awaiting a decision on two children: three waiting for days (overdue),
    two from the last hour."""
    other = support.make_child("Bo", "Lane")
    now = timezone.now()
    return [_contact(c, front_door, at) for c, at in (
        (child, now - timedelta(days=12)), (other, now - timedelta(days=11)),
        (child, now - timedelta(days=10)), (other, now - timedelta(minutes=50)),
        (child, now - timedelta(minutes=40)))]


def test_the_queue_is_paged_oldest_first_and_every_contact_is_on_a_page(
        five_waiting, front_door, monkeypatch):
    monkeypatch.setattr(selectors, "AWAITING_PER_PAGE", 2)
    client = support.client_for(front_door)
    page = client.get("/front-door/").content.decode()
    assert "5 awaiting a decision, 1 to 2 shown, oldest first" in page
    assert "2 of these overdue" in page and "more may be on the next page" in page
    assert "Page 1 of 3" in page
    pages = _walk(client, "/front-door/", "page", "Contacts awaiting a decision</h2>")
    assert pages == [[c.pk for c in five_waiting[i:i + 2]] for i in (0, 2, 4)]

    second = client.get("/front-door/?page=2").content.decode()
    assert "5 awaiting a decision, 3 to 4 shown" in second and "1 of these overdue" in second
    assert "more may be on the next page" not in second
    # A page past the last shows the last; a page that is not a number shows the first.
    assert "5 to 5 shown" in client.get("/front-door/?page=9").content.decode()
    assert "1 to 2 shown" in client.get("/front-door/?page=x").content.decode()


def test_a_queue_that_fits_on_a_page_is_shown_whole(five_waiting, front_door):
    page = support.client_for(front_door).get("/front-door/").content.decode()
    assert "5 awaiting a decision, " in page and "3 overdue" in page
    assert "shown, oldest first" not in page and "govuk-pagination" not in page


def test_my_work_counts_the_whole_queue_and_says_when_more_may_be_overdue(
        five_waiting, front_door, monkeypatch):
    client = support.client_for(front_door)
    section = client.get("/").content.decode().split('id="front-door-waiting"')[1]
    assert "5 contacts waiting for a decision" in section and ">3 overdue<" in section
    monkeypatch.setattr(selectors, "AWAITING_PER_PAGE", 2)
    section = client.get("/").content.decode().split('id="front-door-waiting"')[1]
    assert "5 contacts waiting for a decision" in section and "at least 2 overdue" in section


def test_out_of_hours_contacts_are_paged_and_every_one_is_on_a_page(
        child, front_door, monkeypatch):
    monkeypatch.setattr(selectors, "OVERNIGHT_PER_PAGE", 2)
    last_day = add_working_days(timezone.localdate(), -1)
    overnight = [_contact(child, front_door, timezone.make_aware(datetime.combine(
        last_day, time(hour)))) for hour in (18, 20, 22)]
    assert all(c.out_of_hours for c in overnight)
    client = support.client_for(front_door)
    page = client.get("/front-door/").content.decode()
    assert "3 contacts came in out of hours; 1 to 2 shown, oldest first." in page
    pages = _walk(client, "/front-door/", "overnight", 'id="overnight"')
    assert pages == [[c.pk for c in overnight[:2]], [overnight[2].pk]]
