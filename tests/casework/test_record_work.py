"""The summary's "Record work": what fits what is open for the child comes first, set apart and
grouped by stage; the rest follows under "Other work", rather than one long list of every
form."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.care import services as care
from cairn.core import stages

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def parts(client, child) -> tuple[str, str]:
    """The work offered first, and the work under "Other work"."""
    html = client.get(reverse("child", args=[child.pk])).content.decode()
    now = html[html.index('id="record-work-now"'):]
    first, _, rest = now.partition('id="record-work-other"')
    return first, rest


def test_a_child_with_nothing_open_is_offered_the_front_door_first(worker_client, child):
    first, other = parts(worker_client, child)
    assert "Nothing is open for Alex: start here." in first
    assert "Record a contact about this child" in first
    assert "Start a period of care" not in first
    assert other.index("Referral, assessment and protection") < other.index("Court") \
        < other.index("Looked after")
    assert reverse("care_start", args=[child.pk]) in other


def test_a_child_in_care_is_offered_care_work_first(worker_client, child, social_worker):
    care.episode_start(child=child, started_on=TODAY - timedelta(days=20),
                       reason_new_episode="S", legal_status="V2", category_of_need="N1",
                       placement_type="U3", placement_provider="PR1", by=social_worker)
    first, other = parts(worker_client, child)
    assert "Open for Alex now: period of care." in first
    assert reverse("cla_visit_add", args=[child.pk]) in first
    assert reverse("cla_review_add", args=[child.pk]) in first
    assert "Record a contact about this child" not in first
    assert "Record a contact about this child" in other  # still offered, after


def test_every_stages_links_say_what_they_fit():
    """A new stage's links that fit nothing would never be offered first."""
    assert all(group.fits for group in stages.links())
