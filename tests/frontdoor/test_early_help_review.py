"""An early help review says how each need of the plan is going (met, progressing or not
progressing, with a note), beside the overall progress; the early help page shows each need's
latest progress (F19)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import support
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.frontdoor import selectors, services
from cairn.frontdoor.models import (
    EarlyHelpPlanNeed,
    EarlyHelpReview,
    EarlyHelpReviewNeedProgress,
    NeedProgress,
)

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: date) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _need(need: str, owner: str, days: int = 28) -> dict:
    return {"need": need, "outcome": f"{need}: sorted", "actions": "Weekly visit",
            "owner_name": owner, "due_on": timezone.localdate() + timedelta(days=days)}


@pytest.fixture
def plan(child, social_worker):
    started = timezone.localdate() - timedelta(days=20)
    episode = services.early_help_start(child=child, organisation="Family Hub North",
                                        started_on=started, by=social_worker)
    return services.early_help_plan_record(
        episode=episode, started_on=started, by=social_worker,
        needs=[_need("Missing school", "Ms Reed"), _need("Mum is isolated", "Jo Bell")])


def _url(plan) -> str:
    return f"/front-door/early-help/plans/{plan.pk}/reviews/new/"


def _needs(plan) -> list[EarlyHelpPlanNeed]:
    return list(plan.needs.order_by("pk"))


def test_a_review_records_how_each_need_is_going_with_an_audit_row_each(
        child, social_worker, plan):
    school, mum = _needs(plan)
    client = support.client_for(social_worker)
    page = client.get(_url(plan)).content.decode()
    assert "Need 1: Missing school" in page and "Need 2: Mum is isolated" in page
    assert "Outcome wanted: Mum is isolated: sorted" in page
    today = timezone.localdate()
    response = client.post(_url(plan), {
        **_date("held_on", today), "progress": "Attendance is up; Mum has been to one group",
        f"need_{school.pk}": "progressing", f"need_{school.pk}_note": "Attendance at 85%",
        f"need_{mum.pk}": "met", f"need_{mum.pk}_note": ""})
    assert response.status_code == 302
    review = EarlyHelpReview.objects.get()
    assert review.progress == "Attendance is up; Mum has been to one group"
    rows = {row.need_id: row for row in EarlyHelpReviewNeedProgress.objects.all()}
    assert (rows[school.pk].status, rows[school.pk].note) == (NeedProgress.PROGRESSING,
                                                             "Attendance at 85%")
    assert (rows[mum.pk].status, rows[mum.pk].note) == (NeedProgress.MET, "")
    assert all(row.review == review and row.child == child and row.recorded_by == social_worker
               for row in rows.values())
    events = AuditEvent.objects.filter(action="early_help_review.need_progress")
    assert sorted(int(e.object_id) for e in events) == sorted(r.pk for r in rows.values())
    assert all(e.child_id == child.pk for e in events)
    assert AuditEvent.objects.filter(action="early_help_review.recorded").count() == 1
    page = client.get(f"/front-door/children/{child.pk}/early-help/").content.decode()
    assert "Latest review" in page and "Attendance at 85%" in page
    assert f">Progressing</strong> at the review on {today:%-d %b %Y}" in page
    assert f">Met</strong> at the review on {today:%-d %b %Y}" in page


def test_a_need_left_without_a_choice_is_refused_next_to_its_radios_keeping_what_was_typed(
        child, social_worker, plan):
    school, mum = _needs(plan)
    page = support.client_for(social_worker).post(_url(plan), {
        **_date("held_on", timezone.localdate()), "progress": "Some better, some not",
        f"need_{school.pk}": "not_progressing", f"need_{school.pk}_note": "Still late daily",
        f"need_{mum.pk}_note": "Did not go to the group"}).content.decode()
    message = "Select how need 2 is going: met, progressing or not progressing"
    assert "<title>Error: " in page
    assert page.count(message) == 2  # in the summary and next to the radios
    assert f'href="#id_need_{mum.pk}"' in page and f'id="id_need_{mum.pk}-error"' in page
    assert "need 1 is going" not in page
    assert "Still late daily" in page and "Did not go to the group" in page
    assert "Some better, some not" in page
    assert 'value="not_progressing" checked' in page
    assert not EarlyHelpReview.objects.exists()
    assert not EarlyHelpReviewNeedProgress.objects.exists()


def test_every_missing_answer_is_named_at_once(child, social_worker, plan):
    school, mum = _needs(plan)
    page = support.client_for(social_worker).post(_url(plan), {
        f"need_{school.pk}": "met"}).content.decode()
    assert "Enter the date of the review" in page and "Enter the progress made" in page
    assert "Select how need 2 is going" in page and "Select how need 1 is going" not in page
    # The summary lists the errors in the order of the form: date, needs, overall progress.
    assert (page.index('href="#id_held_on_0"') < page.index(f'href="#id_need_{mum.pk}"')
            < page.index('href="#id_progress"'))
    assert not EarlyHelpReview.objects.exists()


def test_the_service_refuses_a_need_without_a_choice_and_writes_nothing(
        child, social_worker, plan):
    school, mum = _needs(plan)
    with pytest.raises(RecordError, match="Select how need 2 is going") as error:
        services.early_help_review_record(
            plan=plan, held_on=timezone.localdate(), progress="Better", by=social_worker,
            need_progress={school.pk: {"status": "met"}, mum.pk: {"status": ""}})
    assert error.value.field == f"need_{mum.pk}"
    assert not EarlyHelpReview.objects.exists()
    assert not EarlyHelpReviewNeedProgress.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="early_help_review").exists()


def test_the_service_refuses_an_unknown_status_or_another_plans_need(
        child, social_worker, plan):
    school, mum = _needs(plan)
    today = timezone.localdate()
    with pytest.raises(RecordError, match="Select how need 1 is going"):
        services.early_help_review_record(
            plan=plan, held_on=today, progress="Better", by=social_worker,
            need_progress={school.pk: {"status": "sorted"}, mum.pk: {"status": "met"}})
    other = services.early_help_plan_record(
        episode=plan.episode, started_on=today, by=social_worker,
        needs=[_need("Housing", "Ms Khan")]).needs.get()
    with pytest.raises(RecordError, match="not one of this plan's needs"):
        services.early_help_review_record(
            plan=plan, held_on=today, progress="Better", by=social_worker,
            need_progress={school.pk: {"status": "met"}, mum.pk: {"status": "met"},
                           other.pk: {"status": "met"}})
    assert not EarlyHelpReview.objects.exists()


def test_a_need_added_after_the_review_was_held_is_not_required(child, social_worker, plan):
    school, mum = _needs(plan)
    held = timezone.localdate() - timedelta(days=2)
    for need in (school, mum):  # on the plan from before the review
        EarlyHelpPlanNeed.objects.filter(pk=need.pk).update(
            recorded_at=timezone.now() - timedelta(days=20))
    housing = EarlyHelpPlanNeed.objects.create(  # added to the plan today
        child=child, plan=plan, need="Rent arrears", outcome="Rent paid", actions="Advice",
        owner="Ms Khan", due_on=timezone.localdate() + timedelta(days=30),
        recorded_by=social_worker)
    client = support.client_for(social_worker)
    assert "Need 3: Rent arrears" in client.get(_url(plan)).content.decode()
    response = client.post(_url(plan), {
        **_date("held_on", held), "progress": "Steady",
        f"need_{school.pk}": "met", f"need_{mum.pk}": "progressing"})
    assert response.status_code == 302
    review = EarlyHelpReview.objects.get()
    assert not review.need_progress.filter(need=housing).exists()
    page = client.get(f"/front-door/children/{child.pk}/early-help/").content.decode()
    assert "Not reviewed yet" in page
    # A review held today, after the need was added, must say how it is going.
    page = client.post(_url(plan), {
        **_date("held_on", timezone.localdate()), "progress": "Steady",
        f"need_{school.pk}": "met", f"need_{mum.pk}": "met"}).content.decode()
    assert "Select how need 3 is going" in page
    assert EarlyHelpReview.objects.count() == 1


def test_the_page_shows_each_needs_latest_progress_and_old_reviews_keep_their_text(
        child, social_worker, plan):
    school, mum = _needs(plan)
    today = timezone.localdate()
    EarlyHelpReview.objects.create(child=child, plan=plan, held_on=today - timedelta(days=10),
                                   progress="Written before needs were reviewed one by one",
                                   recorded_by=social_worker)
    services.early_help_review_record(
        plan=plan, held_on=today - timedelta(days=5), progress="First", by=social_worker,
        need_progress={school.pk: {"status": "not_progressing", "note": "Late every day"},
                       mum.pk: {"status": "progressing"}})
    services.early_help_review_record(
        plan=plan, held_on=today - timedelta(days=1), progress="Second", by=social_worker,
        need_progress={school.pk: {"status": "met", "note": "At school all week"},
                       mum.pk: {"status": "progressing", "note": "Went twice"}})
    page = support.client_for(social_worker).get(
        f"/front-door/children/{child.pk}/early-help/").content.decode()
    assert "Written before needs were reviewed one by one" in page
    assert "At school all week" in page and "Went twice" in page
    assert "Late every day" not in page  # an earlier review's progress is not the latest
    assert "Not progressing" not in page


def test_the_early_help_page_reads_needs_and_progress_without_a_query_per_row(
        child, social_worker, plan):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            for episode in selectors.early_help_of(child):
                for p in episode.current_plans:
                    for need in p.current_needs:
                        _ = [row.review.held_on for row in need.reviewed]
        return len(queries)

    school, mum = _needs(plan)
    before = count()
    for day in (3, 2, 1):
        services.early_help_review_record(
            plan=plan, held_on=timezone.localdate() - timedelta(days=day), progress="Ok",
            by=social_worker, need_progress={school.pk: {"status": "met"},
                                             mum.pk: {"status": "progressing"}})
    assert count() == before


def test_a_stranger_cannot_record_a_review(child, social_worker, stranger, plan):
    school, mum = _needs(plan)
    client = support.client_for(stranger)
    assert client.get(_url(plan)).status_code == 404
    response = client.post(_url(plan), {
        **_date("held_on", timezone.localdate()), "progress": "Better",
        f"need_{school.pk}": "met", f"need_{mum.pk}": "met"})
    assert response.status_code == 404
    assert not EarlyHelpReview.objects.exists()
    assert not EarlyHelpReviewNeedProgress.objects.exists()
