"""Every chronology entry names who recorded it and when, besides the date it happened."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.care import services as care
from cairn.care.models import LookedAfterEpisode
from cairn.core import names
from cairn.frontdoor import services as frontdoor
from cairn.protection import services as protection

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_each_entry_names_who_recorded_it_and_when(worker_client, child, social_worker):
    episode = care.episode_start(
        child=child, started_on=TODAY - timedelta(days=60), reason_new_episode="S",
        legal_status="V2", category_of_need="N1", placement_type="U3",
        placement_provider="PR1", by=social_worker)
    # An entry a return brought in has no one to name.
    LookedAfterEpisode.objects.filter(pk=episode.pk).update(ended_on=TODAY - timedelta(days=30),
                                                             reason_ceased="E13")
    LookedAfterEpisode.objects.create(
        child=child, started_on=TODAY - timedelta(days=400), reason_new_episode="S",
        legal_status="V2", category_of_need="N1", placement_type="U1",
        ended_on=TODAY - timedelta(days=300), reason_ceased="E13")
    response = worker_client.get(reverse("child_chronology", args=[child.pk]))
    page = response.content.decode()
    assert "Recorded by" in page
    at = timezone.localtime(episode.recorded_at)
    assert f"{social_worker}<br><span class=\"govuk-body-s cairn-nowrap\">on " \
           f"{at:%-d %b %Y} at {at:%H:%M}" in page
    assert "Imported<br>" in page
    recorded = [r for _, r, _, _ in response.context["rows"]]
    assert recorded and all(r is not None for r in recorded)


def test_a_later_step_on_a_record_names_who_took_it(worker_client, child, social_worker,
                                                      team_manager):
    """An assessment is started by the worker and authorised by the manager: the chronology's
    "Assessment authorised" names the manager, when they authorised it."""
    referral = frontdoor.referral_record(child=child, received_on=TODAY - timedelta(days=20),
                                         source="2A", by=social_worker)
    assessment = protection.assessment_start(referral=referral,
                                             started_on=TODAY - timedelta(days=19),
                                             by=social_worker)
    protection.assessment_submit(assessment=assessment, submitted_on=TODAY - timedelta(days=2),
                                 by=social_worker, factors=["16A"], further_action=True,
                                 childs_words="I like my nan's house")
    protection.assessment_authorise(assessment=assessment,
                                    authorised_on=TODAY - timedelta(days=1), by=team_manager)
    response = worker_client.get(reverse("child_chronology", args=[child.pk]))
    rows = {event.fact: recorded for event, recorded, _, _ in response.context["rows"]}
    assert rows[names.ASSESSMENT_AUTHORISED].who == str(team_manager)
    assert rows[names.ASSESSMENT_STARTED].who == str(social_worker)
