"""The migrations that made Action rows of the actions plans' needs held as text
(protection/0003, frontdoor/0006): what each need becomes, and the way back."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cairn.core.models import Action
from cairn.frontdoor.models import (
    EarlyHelpPlanNeed,
)
from cairn.protection.models import CategoryOfAbuse, PlanNeed
from support import make_child, make_staff

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("protection", "0002_assessment_decision_version"),
          ("frontdoor", "0005_early_help_review_need_progress")]
AFTER = [("protection", "0003_plan_need_actions"), ("frontdoor", "0006_early_help_need_actions")]
START = date(2026, 1, 5)


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture
def before_actions():
    """The database as it stood before the migrations; put back to the newest after."""
    migrate(BEFORE)
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def old(app: str, name: str):
    """A model as it stood before the migrations: rows are written with the columns of then
    (later migrations add columns the current models have and that database has not)."""
    return MigrationExecutor(connection).loader.project_state(BEFORE).apps.get_model(app, name)


def legacy_need(plan, by, **fields):
    """A need as the text-only forms saved it."""
    kind = "protection_plan_id" if plan._meta.model_name == "childprotectionplan" else "cin_plan_id"
    fields = {"need": "Safe care", "outcome": "Not hurt", "actions": "Weekly visits",
              "owner": "Social worker and mother", **fields}
    return old("protection", "PlanNeed").objects.create(
        child_id=plan.child_id, recorded_by_id=by.pk, **{kind: plan.pk}, **fields)


def early_help_plan(child, by, *, ended_on=None):
    episode = old("frontdoor", "EarlyHelpEpisode").objects.create(
        child_id=child.pk, started_on=START, ended_on=ended_on, organisation="Family Hub",
        recorded_by_id=by.pk)
    return old("frontdoor", "EarlyHelpPlan").objects.create(
        child_id=child.pk, episode_id=episode.pk, started_on=START, recorded_by_id=by.pk)


def early_help_need(plan, by, text):
    return old("frontdoor", "EarlyHelpPlanNeed").objects.create(
        child_id=plan.child_id, plan_id=plan.pk, need=text, outcome="Better",
        actions=f"{text}: act", owner="Ms Reed", due_on=START + timedelta(days=28),
        recorded_by_id=by.pk)


# One test walks there and back: each migration of the whole graph takes a while.
def test_needs_typed_as_text_become_actions_and_come_back(before_actions):
    worker = make_staff("sam_worker")
    child = make_child("Leo", "Hart")
    cp = old("protection", "ChildProtectionPlan").objects.create(
        child_id=child.pk, started_on=START, recorded_by_id=worker.pk,
        initial_category_of_abuse=CategoryOfAbuse.NEGLECT)
    referral = old("frontdoor", "Referral").objects.create(child_id=child.pk, received_on=START,
                                                           recorded_by_id=worker.pk)
    ended = old("protection", "CINPlan").objects.create(
        child_id=child.pk, referral_id=referral.pk, started_on=START, ended_on=date(2026, 3, 1),
        recorded_by_id=worker.pk)
    open_need = legacy_need(cp, worker, timescale="Until the review conference")
    dated = legacy_need(cp, worker, actions="GP checks weight", owner="Dr Patel",
                        due_on=date(2026, 2, 1))
    met = legacy_need(cp, worker, actions="Cot bought", met_on=date(2026, 1, 20))
    cancelled = legacy_need(ended, worker, actions="Family group conference")
    legacy_need(cp, worker, actions="Typed twice", voided_at=timezone.now())
    legacy_need(cp, worker, actions="")  # no actions typed: nothing to carry over

    help_plan = early_help_plan(child, worker)
    school, mum = (early_help_need(help_plan, worker, text) for text in ("School", "Mum"))
    review = old("frontdoor", "EarlyHelpReview").objects.create(
        child_id=child.pk, plan_id=help_plan.pk, held_on=date(2026, 2, 2), progress="Good",
        recorded_by_id=worker.pk)
    for item, status in ((school, "met"), (mum, "progressing")):
        old("frontdoor", "EarlyHelpReviewNeedProgress").objects.create(
            child_id=child.pk, review_id=review.pk, need_id=item.pk, status=status,
            note="Every day this week", recorded_by_id=worker.pk)
    over = early_help_need(early_help_plan(make_child("Mia", "Hart"), worker,
                                           ended_on=date(2026, 4, 1)), worker, "Rent")

    migrate(AFTER)

    need_type = ContentType.objects.get_for_model(PlanNeed)
    rows = {a.source_id: a for a in Action.objects.filter(source_type=need_type)}
    assert set(rows) == {open_need.pk, dated.pk, met.pk, cancelled.pk}
    assert all(a.child_id == child.pk and a.recorded_by_id == worker.pk for a in rows.values())
    first = rows[open_need.pk]
    assert (first.what, first.owner_name, first.owner_id, first.due_on, first.status) == (
        "Weekly visits\nTimescale: Until the review conference", "Social worker and mother",
        None, None, "open")
    assert (rows[dated.pk].what, rows[dated.pk].due_on) == ("GP checks weight",
                                                            date(2026, 2, 1))
    assert (rows[met.pk].status, rows[met.pk].outcome, rows[met.pk].done_by_id) == (
        "done", "The need was met on 20 January 2026", worker.pk)
    assert (rows[cancelled.pk].status, rows[cancelled.pk].cancel_reason) == (
        "cancelled", "The plan ended on 1 March 2026")
    open_need.refresh_from_db()
    assert open_need.actions == "Weekly visits"  # the text stays as typed

    help_rows = {a.source_id: a for a in Action.objects.filter(
        source_type=ContentType.objects.get_for_model(EarlyHelpPlanNeed))}
    assert (help_rows[school.pk].status, help_rows[school.pk].outcome) == (
        "done", "Met at the review on 2 February 2026: Every day this week")
    assert (help_rows[mum.pk].status, help_rows[mum.pk].what, help_rows[mum.pk].owner_name,
            help_rows[mum.pk].due_on) == ("open", "Mum: act", "Ms Reed",
                                          START + timedelta(days=28))
    assert (help_rows[over.pk].status, help_rows[over.pk].cancel_reason) == (
        "cancelled", "The early help plan ended on 1 April 2026")

    # A need recorded after the migration holds its action only in the Action row.
    later = PlanNeed.objects.create(child=child, protection_plan_id=cp.pk, need="School",
                                    outcome="Attends", recorded_by=worker)
    Action.objects.create(child=child, source_type=need_type, source_id=later.pk,
                          what="Walk to school", owner=worker, owner_name="Nan",
                          due_on=date(2026, 4, 1), recorded_by=worker)

    migrate(BEFORE)

    assert not Action.objects.exists()
    later.refresh_from_db()
    assert (later.actions, later.owner, later.due_on) == (
        "Walk to school", "Sam Worker and Nan", date(2026, 4, 1))
    dated.refresh_from_db()
    assert (dated.actions, dated.owner) == ("GP checks weight", "Dr Patel")
    assert EarlyHelpPlanNeed.objects.get(pk=mum.pk).actions == "Mum: act"
