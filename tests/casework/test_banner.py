"""The banner on every page of a child's record: what a worker covering a colleague's case
must see at once (the IRO or conference chair, plans, alerts, what is overdue and next due)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

import support
from cairn.care import services as care
from cairn.care.models import CarePlan
from cairn.casework import selectors
from cairn.core import timescales
from cairn.core.models import Action
from cairn.core.services import short_date
from cairn.frontdoor.models import Referral
from cairn.people.models import Alert, Disability
from cairn.protection.models import (
    Assessment,
    AssessmentFactor,
    ChildProtectionConference,
    ChildProtectionPlan,
    PlanCategoryChange,
)
from cairn.workforce.models import Allocation

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def banner(client, child, page="child") -> str:
    """The banner's text (before the record's tabs), from any page of the record."""
    html = client.get(reverse(page, args=[child.pk])).content.decode()
    return html[:html.index('class="govuk-tabs"')]


def moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_a_new_childs_banner_says_nothing_is_due_and_no_chair(worker_client, child):
    text = banner(worker_client, child)
    assert "IRO or conference chair" in text and "None" in text
    assert "Nothing overdue" in text and "Nothing due" in text
    assert "cairn-alerts" not in text


def test_the_banner_names_the_iro_and_the_conference_chair(worker_client, child, iro,
                                                            social_worker):
    support.allocate(child, iro, kind=Allocation.Kind.IRO)
    plan = ChildProtectionPlan.objects.create(
        child=child, started_on=TODAY - timedelta(days=100), initial_category_of_abuse="NEG",
        recorded_by=social_worker)
    chair = support.make_staff("cara_chair", iro.role, iro.team)
    ChildProtectionConference.objects.create(
        child=child, kind="review", plan=plan, held_on=TODAY - timedelta(days=10),
        chaired_by=chair, outcome="continue", recorded_by=social_worker)
    # The category now is the review conference's change, not the initial one.
    PlanCategoryChange.objects.create(child=child, plan=plan, category="EMO",
                                      changed_on=TODAY - timedelta(days=10),
                                      recorded_by=social_worker)
    text = banner(worker_client, child, "child_chronology")
    assert f"{iro} (independent reviewing officer)" in text
    assert f"{chair} (child protection conference chair)" in text
    assert (f"Child protection plan since {short_date(TODAY - timedelta(days=100))} "
            "(emotional abuse)") in text


def test_the_banner_alerts_what_the_record_itself_tells(worker_client, child, social_worker):
    child.uasc_from, child.interpreter_needed = TODAY - timedelta(days=200), True
    child.first_language = "Tigrinya"
    child.save()
    Disability.objects.create(person=child, code="HEAR", recorded_by=social_worker)
    Alert.objects.create(child=child, text="Dog at the address", recorded_by=social_worker)
    referral = Referral.objects.create(child=child, received_on=TODAY - timedelta(days=90),
                                       source="5A", primary_need="N1",
                                       recorded_by=social_worker)
    old = Assessment.objects.create(child=child, referral=referral,
                                    started_on=TODAY - timedelta(days=400),
                                    recorded_by=social_worker)
    latest = Assessment.objects.create(child=child, referral=referral,
                                       started_on=TODAY - timedelta(days=80),
                                       recorded_by=social_worker)
    AssessmentFactor.objects.create(child=child, assessment=old, code="11A",
                                    recorded_by=social_worker)
    AssessmentFactor.objects.create(child=child, assessment=latest, code="24A",
                                    recorded_by=social_worker)
    care.episode_start(child=child, started_on=TODAY - timedelta(days=60),
                       reason_new_episode="S", legal_status="V2", category_of_need="N1",
                       placement_type="U3", placement_provider="PR1", by=social_worker)
    care.missing_episode_record(child=child, kind="M", started_at=moment(TODAY - timedelta(
        days=2), 21), by=social_worker)
    care.missing_episode_record(child=child, kind="A", started_at=moment(TODAY - timedelta(
        days=20)), ended_at=moment(TODAY - timedelta(days=19)), by=social_worker)
    care.missing_episode_record(child=child, kind="A", started_at=moment(TODAY - timedelta(
        days=50)), ended_at=moment(TODAY - timedelta(days=49)), by=social_worker)
    text = banner(worker_client, child)
    assert "Dog at the address" in text
    assert f"Missing now, since {TODAY - timedelta(days=2):%-d %b %Y} 21:00" in text
    assert "Missing or away 1 time in the last 30 days" in text
    # Only the latest assessment's factors: the older sexual exploitation was not found again.
    assert "Risk of exploitation: Child criminal exploitation (latest assessment)" in text
    assert "Child sexual exploitation" not in text
    assert "Disability: Hearing" in text
    assert (f"Unaccompanied asylum-seeking child since "
            f"{short_date(TODAY - timedelta(days=200))}") in text
    assert "Interpreter needed (Tigrinya)" in text
    assert "No care plan recorded" in text
    CarePlan.objects.create(child=child, agreed_on=TODAY - timedelta(days=30),
                            for_child="You live with Sam", recorded_by=social_worker)
    assert f"Care plan agreed {short_date(TODAY - timedelta(days=30))}" in banner(
        worker_client, child)


def test_asylum_seeking_status_that_ended_is_no_alert(worker_client, child):
    child.uasc_from, child.uasc_ceased_on = TODAY - timedelta(days=400), TODAY - timedelta(days=3)
    child.save()
    assert "Unaccompanied asylum-seeking" not in banner(worker_client, child)


def test_the_banner_shows_what_is_overdue_and_next_due(worker_client, child, social_worker,
                                                       team_manager):
    source = ContentType.objects.get_for_model(Alert)
    alert = Alert.objects.create(child=child, text="Seen at school", recorded_by=social_worker)

    def action(what, due_on, owner):
        return Action.objects.create(child=child, source_type=source, source_id=alert.pk,
                                     what=what, owner=owner, due_on=due_on,
                                     recorded_by=social_worker)

    action("Book the interpreter", TODAY + timedelta(days=5), social_worker)
    action("Write to the school", TODAY - timedelta(days=4), team_manager)
    action("Chase the GP", TODAY + timedelta(days=9), social_worker)
    text = banner(worker_client, child, "child_actions")
    assert "1 overdue" in text
    assert (f"Write to the school, due {TODAY - timedelta(days=4):%-d %b %Y} "
            f"({team_manager})") in text
    next_due = text[text.index("Next due"):]
    assert f"Book the interpreter, due {TODAY + timedelta(days=5):%-d %b %Y}" in next_due
    assert "Chase the GP" not in text


def test_a_page_that_evaluated_the_timescales_gives_the_banner_the_same(child, social_worker):
    # The timescales and chronology pages hand the banner the evaluation they made; what it
    # shows must be what it would have found on its own.
    source = ContentType.objects.get_for_model(Alert)
    alert = Alert.objects.create(child=child, text="Seen at school", recorded_by=social_worker)
    Action.objects.create(child=child, source_type=source, source_id=alert.pk,
                          what="Write to the school", owner=social_worker,
                          due_on=TODAY - timedelta(days=4), recorded_by=social_worker)
    Referral.objects.create(child=child, received_on=TODAY - timedelta(days=60), source="5A",
                            primary_need="N1", recorded_by=social_worker)
    alone = selectors.child_summary(child)
    given = selectors.child_summary(child, due=timescales.evaluate([child.pk]))
    assert given == alone
    assert alone["overdue_count"] >= 1


def test_the_summary_prints_no_template_comment(worker_client, child):
    html = worker_client.get(reverse("child", args=[child.pk])).content.decode()
    assert "{#" not in html and "#}" not in html and "{% comment" not in html
