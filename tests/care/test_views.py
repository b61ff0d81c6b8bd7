"""The looked-after pages: starting care, a change of placement or legal status, the end of care,
reviews and statutory visits. Each saves, says what is wrong, keeps what was typed, meets a
conflict, and is a 404 to staff who may not see the child."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

import support
from cairn.care import services
from cairn.care.models import CLAReview, LookedAfterEpisode, StatutoryVisit
from cairn.core import facts, timescales
from cairn.core import services as core_services
from cairn.core.models import AuditEvent
from cairn.core.working_days import add_working_days
from cairn.legal import services as legal
from cairn.legal.models import CareProceedings, Hearing, OrderKind
from cairn.people.models import Address
from support import form_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
HOME, PLACED, MOVED = "OX1 1DB", "OX1 1DF", "OX1 1DL"


def errors(response) -> str:
    return " ".join(str(e) for field in response.context["form"].errors.values()
                    for e in field)


def start_data(**over) -> dict:
    values = dict(started_on=TODAY - timedelta(days=30), legal_status="C1",
                  category_of_need="N1", placement_type="U3", placement_provider="PR1",
                  placement_postcode=PLACED, urn="SC123456", home_postcode=HOME)
    values.update(over)
    return form_data(**values)


@pytest.fixture
def sw(social_worker):
    return support.client_for(social_worker)


@pytest.fixture
def in_care(child, social_worker):
    """A child looked after under an interim care order for the last 30 days."""
    return services.episode_start(
        child=child, started_on=TODAY - timedelta(days=30), reason_new_episode="S",
        legal_status="C1", category_of_need="N1", placement_type="U3",
        placement_provider="PR1", home_postcode=HOME, placement_postcode=PLACED,
        urn="SC123456", by=social_worker)


# Start a period of care ------------------------------------------------------------------------

def test_starting_care_saves_the_episode_and_shows_it(sw, child, social_worker):
    response = sw.post(reverse("care_start", args=[child.pk]), start_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("care_record", args=[child.pk])
    episode = LookedAfterEpisode.objects.get(child=child)
    assert (episode.reason_new_episode, episode.legal_status, episode.placement_type,
            episode.placement_postcode, episode.home_postcode, episode.urn) == (
        "S", "C1", "U3", PLACED, HOME, "SC123456")
    assert AuditEvent.objects.filter(action="episode.started", actor=social_worker).exists()
    page = sw.get(reverse("care_record", args=[child.pk])).content.decode()
    assert "Interim care order (C1)" in page and "Looked-after child review" in page


def test_start_page_prefills_the_home_postcode_and_the_interim_care_order(sw, child,
                                                                          social_worker):
    Address.objects.create(person=child, line1="12 Mill Lane", postcode=HOME,
                           recorded_by=social_worker)
    proceedings = legal.care_proceedings_issue(
        child=child, issued_on=TODAY - timedelta(days=10), court="Family Court at Oxford",
        application=CareProceedings.Application.CARE_ORDER, by=social_worker)
    form = sw.get(reverse("care_start", args=[child.pk])).context["form"]
    assert form["home_postcode"].value() == HOME
    assert not form["legal_status"].value()
    # A hearing is not an order: the court may refuse the interim care order asked for.
    legal.hearing_record(proceedings=proceedings, held_on=TODAY - timedelta(days=9),
                         kind=Hearing.Kind.INTERIM, by=social_worker)
    assert not sw.get(reverse("care_start", args=[child.pk])).context["form"][
        "legal_status"].value()
    legal.hearing_record(proceedings=proceedings, held_on=TODAY - timedelta(days=8),
                         kind=Hearing.Kind.INTERIM, order_made=OrderKind.INTERIM_CARE,
                         by=social_worker)
    form = sw.get(reverse("care_start", args=[child.pk])).context["form"]
    assert form["legal_status"].value() == "C1"


def test_start_page_prefills_the_care_order_once_made(sw, child, social_worker):
    proceedings = legal.care_proceedings_issue(
        child=child, issued_on=TODAY - timedelta(days=60), court="Family Court at Oxford",
        application=CareProceedings.Application.CARE_ORDER, by=social_worker)
    legal.hearing_record(proceedings=proceedings, held_on=TODAY - timedelta(days=59),
                         kind=Hearing.Kind.INTERIM, order_made=OrderKind.INTERIM_CARE,
                         by=social_worker)
    legal.care_proceedings_conclude(proceedings=proceedings, concluded_on=TODAY,
                                    final_order=OrderKind.CARE, by=social_worker)
    form = sw.get(reverse("care_start", args=[child.pk])).context["form"]
    assert form["legal_status"].value() == "C2"


def test_start_says_what_is_missing_and_keeps_what_was_typed(sw, child):
    response = sw.post(reverse("care_start", args=[child.pk]),
                       form_data(placement_postcode="ox1 1df"))
    message = errors(response)
    for expected in ("Enter the date the child started to be looked after",
                     "Select the legal status", "Select the category of need",
                     "Select the placement type"):
        assert expected in message
    assert response.context["form"]["placement_postcode"].value() == "ox1 1df"
    assert response.content.decode().count('class="govuk-error-summary"') == 1
    assert not LookedAfterEpisode.objects.exists()


@pytest.mark.parametrize(("over", "message"), [
    (dict(urn=""), "Enter the Ofsted URN of the placement"),
    (dict(placement_type="P1", placement_provider="PR0"),
     "This type of placement has no Ofsted URN"),
    (dict(placement_postcode=HOME), "the same as the home postcode"),
    (dict(placement_postcode=""), "Enter the postcode of the placement"),
    (dict(home_postcode=""), "Enter the postcode where the child lived"),
    (dict(placement_postcode="NOTACODE"), "Enter a real postcode"),
    (dict(legal_status="V3"), "Leave the placement postcode blank for a short break"),
    (dict(placement_type="T0", urn=""), "has no placement provider"),
    (dict(placement_provider=""), "Enter the placement provider"),
    (dict(started_on=TODAY + timedelta(days=1)),
     "Date the child started to be looked after must be today or in the past"),
])
def test_start_refuses_what_the_903_rejects(sw, child, over, message):
    response = sw.post(reverse("care_start", args=[child.pk]), start_data(**over))
    assert response.status_code == 200
    assert message in errors(response)
    assert not LookedAfterEpisode.objects.exists()


def test_care_cannot_start_twice_or_before_the_last_period_ended(sw, child, social_worker,
                                                                 in_care):
    response = sw.post(reverse("care_start", args=[child.pk]), start_data(started_on=TODAY))
    assert "is already looked after: record a change" in errors(response)
    services.period_of_care_end(episode=in_care, ended_on=TODAY - timedelta(days=5),
                                reason_ceased="E4A", by=social_worker)
    response = sw.post(reverse("care_start", args=[child.pk]),
                       start_data(started_on=TODAY - timedelta(days=6)))
    assert "must start on or after" in errors(response)
    assert LookedAfterEpisode.objects.count() == 1


# Change placement or legal status --------------------------------------------------------------

def test_a_placement_change_closes_the_episode_with_x1_and_its_reason(sw, child, in_care):
    url = reverse("care_change", args=[child.pk])
    form = sw.get(url).context["form"]
    assert form["placement_type"].value() == "U3" and form["version"].value() == 1
    response = sw.post(url, form_data(
        episode=in_care.pk, version=1, changed_on=TODAY - timedelta(days=10),
        reason_new_episode="P",
        legal_status="C1", placement_type="U6", placement_provider="PR4",
        placement_postcode=MOVED, urn="SC654321", reason_place_change="CREQO"))
    assert response.status_code == 302
    in_care.refresh_from_db()
    assert (in_care.ended_on, in_care.reason_ceased, in_care.reason_place_change) == (
        TODAY - timedelta(days=10), "X1", "CREQO")
    new = LookedAfterEpisode.objects.get(ended_on__isnull=True)
    assert (new.reason_new_episode, new.placement_type, new.home_postcode) == ("P", "U6", HOME)


def test_a_legal_status_change_keeps_the_placement(sw, child, in_care):
    response = sw.post(reverse("care_change", args=[child.pk]), form_data(
        episode=in_care.pk, version=1, changed_on=TODAY - timedelta(days=3),
        reason_new_episode="L",
        legal_status="C2", placement_type="", urn=""))
    assert response.status_code == 302
    new = LookedAfterEpisode.objects.get(ended_on__isnull=True)
    assert (new.reason_new_episode, new.legal_status, new.placement_type, new.urn,
            new.placement_postcode) == ("L", "C2", "U3", "SC123456", PLACED)


@pytest.mark.parametrize(("over", "message"), [
    (dict(reason_new_episode=None), "Select what changed"),
    (dict(reason_place_change=""), "Enter why the placement changed"),
    (dict(reason_new_episode="L"), "the legal status is the same as before"),
    (dict(legal_status="C2"), "choose a reason that includes a change of legal status"),
    (dict(reason_new_episode="B", legal_status=""), "Select the new legal status"),
    (dict(changed_on=TODAY - timedelta(days=40)), "must start on or after"),
    (dict(changed_on=TODAY - timedelta(days=30)), "cannot start on the same day"),
    (dict(placement_type=""), "Select the placement type"),
    (dict(urn=""), "Enter the Ofsted URN of the placement"),
])
def test_a_change_says_what_is_wrong(sw, child, in_care, over, message):
    values = dict(episode=in_care.pk, version=1, changed_on=TODAY - timedelta(days=10),
                  reason_new_episode="P",
                  legal_status="C1", placement_type="U6", placement_provider="PR4",
                  placement_postcode=MOVED, urn="SC654321", reason_place_change="CREQO")
    values.update(over)
    response = sw.post(reverse("care_change", args=[child.pk]), form_data(**values))
    assert response.status_code == 200
    assert message in errors(response)
    assert LookedAfterEpisode.objects.count() == 1


def test_a_change_made_by_someone_else_first_is_a_conflict(sw, child, in_care, social_worker):
    url = reverse("care_change", args=[child.pk])
    services.placement_change(child=child, changed_on=TODAY - timedelta(days=20),
                              placement_type="U6", placement_provider="PR4",
                              placement_postcode=MOVED, urn="SC654321",
                              reason_place_change="CARPL", by=social_worker)
    # The page was opened on the first episode (version 1); that episode has since ended.
    response = sw.post(url, form_data(
        episode=in_care.pk, version=1, changed_on=TODAY - timedelta(days=10),
        reason_new_episode="P",
        legal_status="C1", placement_type="K2", placement_provider="PR4",
        placement_postcode=PLACED, urn="SC111111", reason_place_change="CREQO"))
    assert "changed this period of care while you were editing it" in errors(response)
    form = response.context["form"]
    assert form["urn"].value() == "SC111111"
    assert LookedAfterEpisode.objects.count() == 2
    # Saving again, after reading the change, is a deliberate choice against the new episode.
    moved = LookedAfterEpisode.objects.get(ended_on__isnull=True)
    assert (form["episode"].value(), form["version"].value()) == (str(moved.pk), "1")
    response = sw.post(url, {**form.data, "placement_postcode": PLACED})
    assert response.status_code == 302
    assert LookedAfterEpisode.objects.get(ended_on__isnull=True).placement_type == "K2"


def test_change_and_end_pages_explain_when_the_child_is_not_looked_after(sw, child):
    for name in ("care_change", "care_end"):
        response = sw.get(reverse(name, args=[child.pk]))
        assert response.status_code == 200
        assert "is not looked after" in response.content.decode()


# End the period of care ------------------------------------------------------------------------

def test_ending_care(sw, child, in_care):
    url = reverse("care_end", args=[child.pk])
    response = sw.post(url, form_data(episode=in_care.pk, version=1))
    assert "Enter the date the child stopped being looked after" in errors(response)
    assert "Select why the child stopped being looked after" in errors(response)
    response = sw.post(url, form_data(episode=in_care.pk, version=1,
                                      ended_on=TODAY - timedelta(days=31), reason_ceased="E4A"))
    assert "cannot end before the episode started" in errors(response)
    response = sw.post(url, form_data(episode=in_care.pk, version=1, ended_on=TODAY,
                                      reason_ceased="E4A"))
    assert response.status_code == 302
    in_care.refresh_from_db()
    assert (in_care.ended_on, in_care.reason_ceased) == (TODAY, "E4A")
    assert any(o.fact == "looked_after.ceased" for o in facts.chronology(child.pk))


def test_ending_care_after_someone_else_changed_it_is_a_conflict(sw, child, in_care,
                                                                 social_worker):
    core_services.update(obj=in_care, by=social_worker, expected_version=1,
                         changes={"urn": "SC999999"})
    response = sw.post(reverse("care_end", args=[child.pk]),
                       form_data(episode=in_care.pk, version=1, ended_on=TODAY,
                                 reason_ceased="E13"))
    assert "changed this period of care while you were editing it" in errors(response)
    assert response.context["form"]["version"].value() == "2"
    in_care.refresh_from_db()
    assert in_care.ended_on is None


# Reviews and visits ------------------------------------------------------------------------------

def test_review_saves_and_moves_the_timescale(sw, child, in_care):
    url = reverse("cla_review_add", args=[child.pk])
    response = sw.post(url, form_data(held_on=TODAY - timedelta(days=31), participation="PN1"))
    assert "was not looked after on" in errors(response)
    response = sw.post(url, form_data(held_on=TODAY))
    assert "Select how the child took part in the review" in errors(response)
    response = sw.post(url, form_data(held_on=TODAY - timedelta(days=2), participation="PN1",
                                      notes="Settled with the grandmother"))
    assert response.status_code == 302
    assert CLAReview.objects.get(child=child).participation == "PN1"
    first = next(d for d in timescales.evaluate([child.pk]) if d.rule.code == "cla-review")
    assert first.due_on == add_working_days(in_care.started_on, 20)
    assert first.met_on == TODAY - timedelta(days=2)


def test_visit_saves_seen_and_seen_alone(sw, child, in_care, social_worker):
    url = reverse("cla_visit_add", args=[child.pk])
    response = sw.post(url, form_data(visited_on=TODAY, seen="no", seen_alone="yes"))
    assert "A child seen alone was seen" in errors(response)
    assert response.context["form"]["seen_alone"].value() == "yes"
    response = sw.post(url, form_data(visited_on=TODAY + timedelta(days=1)))
    assert "Date of the visit must be today or in the past" in errors(response)
    assert "Select yes if the child was seen" in errors(response)
    response = sw.post(url, form_data(visited_on=TODAY - timedelta(days=3), seen="yes",
                                      seen_alone="yes"))
    assert response.status_code == 302
    visit = StatutoryVisit.objects.get(child=child)
    assert (visit.seen, visit.seen_alone, visit.by) == (True, True, social_worker)
    assert any(o.fact == "cla_visit.child_seen" for o in facts.chronology(child.pk))


# Access ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["care_record", "care_start", "care_change", "care_end",
                                  "cla_review_add", "cla_visit_add"])
def test_another_teams_worker_gets_404_and_writes_nothing(name, child, stranger, in_care):
    client = support.client_for(stranger)
    url = reverse(name, args=[child.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, start_data(version=1, held_on=TODAY, visited_on=TODAY,
                                       seen="yes", seen_alone="no", participation="PN1",
                                       ended_on=TODAY, reason_ceased="E4A")
                       ).status_code == 404
    assert LookedAfterEpisode.objects.count() == 1
    assert not CLAReview.objects.exists() and not StatutoryVisit.objects.exists()


IN_CARE_ONLY = ("care_change", "care_end", "cla_review_add", "cla_visit_add")


def test_the_childs_record_links_to_the_care_pages(sw, child, in_care):
    page = sw.get(reverse("child", args=[child.pk])).content.decode()
    for name in ("care_record", "care_start", *IN_CARE_ONLY):
        assert reverse(name, args=[child.pk]) in page


def test_a_child_not_in_care_is_offered_only_the_start_of_care(sw, child, in_care,
                                                                social_worker):
    page = sw.get(reverse("child", args=[child.pk])).content.decode()
    assert reverse("care_start", args=[child.pk]) in page
    services.period_of_care_end(episode=in_care, ended_on=TODAY, reason_ceased="E4A",
                                by=social_worker)
    page = sw.get(reverse("child", args=[child.pk])).content.decode()
    assert reverse("care_start", args=[child.pk]) in page
    for name in IN_CARE_ONLY:
        assert reverse(name, args=[child.pk]) not in page


def test_a_review_or_visit_is_refused_for_a_child_never_in_care(sw, child):
    response = sw.post(reverse("cla_review_add", args=[child.pk]),
                       form_data(held_on=TODAY, participation="PN1"))
    assert response.status_code == 200
    assert (f"{child.full_name} was not looked after on {TODAY:%-d %B %Y}, so a review cannot "
            "be recorded for that date") in errors(response)
    assert list(response.context["form"].errors) == ["held_on"]
    response = sw.post(reverse("cla_visit_add", args=[child.pk]),
                       form_data(visited_on=TODAY, seen="yes", seen_alone="yes"))
    assert "so a statutory visit cannot be recorded" in errors(response)
    assert response.context["form"]["seen_alone"].value() == "yes"
    assert not CLAReview.objects.exists() and not StatutoryVisit.objects.exists()


def test_a_review_or_visit_after_care_ended_is_refused_and_one_during_care_is_kept(
        sw, child, in_care, social_worker):
    ended_on = TODAY - timedelta(days=10)
    services.period_of_care_end(episode=in_care, ended_on=ended_on, reason_ceased="E4A",
                                by=social_worker)
    review_url = reverse("cla_review_add", args=[child.pk])
    visit_url = reverse("cla_visit_add", args=[child.pk])
    for day in (ended_on, TODAY):
        response = sw.post(review_url, form_data(held_on=day, participation="PN1"))
        assert f"was not looked after on {day:%-d %B %Y}" in errors(response)
        response = sw.post(visit_url, form_data(visited_on=day, seen="yes", seen_alone="no"))
        assert f"was not looked after on {day:%-d %B %Y}" in errors(response)
    assert not CLAReview.objects.exists() and not StatutoryVisit.objects.exists()
    # A review or visit made while the child was looked after may still be recorded late.
    during = ended_on - timedelta(days=1)
    assert sw.post(review_url, form_data(held_on=during, participation="PN1")).status_code == 302
    assert sw.post(visit_url, form_data(visited_on=during, seen="yes",
                                        seen_alone="no")).status_code == 302
    assert CLAReview.objects.get().held_on == during
    assert StatutoryVisit.objects.get().visited_on == during


def test_recording_pages_keep_drafts(sw, child, in_care):
    for name in ("care_start", "care_change", "care_end", "cla_review_add", "cla_visit_add"):
        url = reverse(name, args=[child.pk])
        assert f'data-draft="{url}"' in sw.get(url).content.decode()


# The banner --------------------------------------------------------------------------------------

def test_the_banner_says_looked_after_since_the_child_came_into_care(sw, child, social_worker):
    """"Looked after since" is when the current period of care began, not the latest move; an
    earlier period of care that ended does not count."""
    earlier = TODAY - timedelta(days=400)
    LookedAfterEpisode.objects.create(
        child=child, started_on=earlier, reason_new_episode="S", legal_status="V2",
        category_of_need="N1", placement_type="U1", ended_on=earlier + timedelta(days=60),
        reason_ceased="E13", recorded_by=social_worker)
    services.episode_start(
        child=child, started_on=TODAY - timedelta(days=90), reason_new_episode="S",
        legal_status="C1", category_of_need="N1", placement_type="U3",
        placement_provider="PR1", home_postcode=HOME, placement_postcode=PLACED,
        urn="SC123456", by=social_worker)
    services.placement_change(child=child, changed_on=TODAY - timedelta(days=20),
                              placement_type="U6", placement_provider="PR4",
                              placement_postcode=MOVED, urn="SC654321",
                              reason_place_change="CARPL", by=social_worker)
    came_into_care = core_services.short_date(TODAY - timedelta(days=90))
    moved = core_services.short_date(TODAY - timedelta(days=20))
    page = sw.get(reverse("child", args=[child.pk])).content.decode()
    assert f"Looked after since {came_into_care}" in page
    assert f"Looked after since {moved}" not in page
    # The change form says the same beside the episode it changes.
    change_page = sw.get(reverse("care_change", args=[child.pk])).content.decode()
    assert core_services.long_date(TODAY - timedelta(days=90)) in change_page
