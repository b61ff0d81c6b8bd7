"""Actions: one model for everything agreed to be done (a plan's need, a strategy discussion),
its database constraints, its services (add, done, cancelled, due date moved) and the lists that
read it (a worker's open actions, a team's overdue ones, a child's)."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cairn.access import policy
from cairn.core import selectors
from cairn.core import services as core_services
from cairn.core.errors import RecordError, StaleRecord
from cairn.core.models import Action, AuditEvent
from cairn.core.services import action_add, action_cancel, action_change_due, action_complete
from cairn.protection.models import StrategyDiscussion
from cairn.workforce.models import Role
from support import allocate, make_child, make_staff

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 2)


@pytest.fixture
def discussion(child, social_worker):
    return StrategyDiscussion.objects.create(
        child=child, held_on=DAY, agencies_present="Police, school", decision="Section 47",
        s47_agreed=True, recorded_by=social_worker)


def add(discussion, by, **fields):
    fields.setdefault("what", "Police to interview the mother's partner")
    fields.setdefault("due_on", DAY + timedelta(days=7))
    if "owner_name" not in fields:
        fields.setdefault("owner", by)
    return action_add(source=discussion, by=by, **fields)


def row(discussion, by, **fields):
    """An action written straight to the table, as a migration or an import would."""
    fields.setdefault("what", "Visit the school")
    return Action.objects.create(
        child=discussion.child, source_type=ContentType.objects.get_for_model(discussion),
        source_id=discussion.pk, recorded_by=by, **fields)


# The database keeps each status whole ---------------------------------------------------------

def refused(discussion, by, name, **fields):
    with pytest.raises(IntegrityError, match=name), transaction.atomic():
        row(discussion, by, **fields)


def test_an_action_needs_what_and_an_owner(discussion, social_worker):
    refused(discussion, social_worker, "action_has_what", what="", owner=social_worker)
    refused(discussion, social_worker, "action_has_owner")
    assert row(discussion, social_worker, owner_name="Mother").status == Action.Status.OPEN
    assert row(discussion, social_worker, owner=social_worker, owner_name="Mother")


def test_done_needs_outcome_by_and_when(discussion, social_worker):
    now = timezone.now()
    base = {"owner": social_worker, "status": "done"}
    refused(discussion, social_worker, "action_done_has_outcome", **base, done_by=social_worker,
            done_at=now)
    refused(discussion, social_worker, "action_done_has_outcome", **base, outcome="Seen",
            done_at=now)
    refused(discussion, social_worker, "action_done_has_outcome", **base, outcome="Seen",
            done_by=social_worker)
    # An open action says nothing of being done.
    refused(discussion, social_worker, "action_done_has_outcome", owner=social_worker,
            outcome="Seen")
    assert row(discussion, social_worker, **base, outcome="Seen", done_by=social_worker,
               done_at=now)


def test_cancelled_needs_a_reason_by_and_when(discussion, social_worker):
    now = timezone.now()
    base = {"owner": social_worker, "status": "cancelled"}
    refused(discussion, social_worker, "action_cancelled_has_reason", **base,
            cancelled_by=social_worker, cancelled_at=now)
    refused(discussion, social_worker, "action_cancelled_has_reason", **base,
            cancel_reason="Moved away", cancelled_at=now)
    refused(discussion, social_worker, "action_cancelled_has_reason", owner=social_worker,
            cancel_reason="Moved away", cancelled_by=social_worker, cancelled_at=now)
    refused(discussion, social_worker, "action_status_known", owner=social_worker,
            status="lost")
    assert row(discussion, social_worker, **base, cancel_reason="Moved away",
               cancelled_by=social_worker, cancelled_at=now)


def test_an_action_is_never_deleted(discussion, social_worker):
    action = add(discussion, social_worker)
    with pytest.raises(RuntimeError, match="never deleted"):
        action.delete()
    with pytest.raises(RuntimeError, match="never deleted"):
        Action.objects.all().delete()


# Adding ---------------------------------------------------------------------------------------

def test_an_action_is_added_to_its_source_about_its_child(discussion, social_worker):
    action = add(discussion, social_worker, owner=social_worker,
                 owner_name="  Mill Lane Primary ")
    assert action.child == discussion.child
    assert action.source == discussion
    assert (action.owner, action.owner_name) == (social_worker, "Mill Lane Primary")
    assert action.owner_display == f"{social_worker} and Mill Lane Primary"
    assert action.source_label == "strategy discussion"
    event = AuditEvent.objects.get(action="action.added")
    assert (event.actor, event.object_id, event.child_id) == (
        social_worker, str(action.pk), discussion.child_id)


@pytest.mark.parametrize("fields, field, message", [
    ({"what": "  "}, "what", "Enter what will be done"),
    ({"owner": None, "owner_name": " "}, "owner_name", "Choose the member of staff responsible"),
    ({"due_on": None}, "due_on", "Enter the date the action is due"),
])
def test_adding_refuses_what_is_missing(discussion, social_worker, fields, field, message):
    with pytest.raises(RecordError, match=message) as error:
        add(discussion, social_worker, **fields)
    assert error.value.field == field
    assert not Action.objects.exists()
    assert not AuditEvent.objects.filter(action="action.added").exists()


def test_an_owner_who_has_left_cannot_be_given_an_action(discussion, social_worker, team):
    leaver = make_staff("lee_leaver", Role.SOCIAL_WORKER, team, is_active=False)
    with pytest.raises(RecordError, match="can no longer sign in") as error:
        add(discussion, social_worker, owner=leaver)
    assert error.value.field == "owner"


def test_an_action_is_about_its_sources_child(discussion, social_worker):
    other = make_child("Kim", "Other")
    allocate(other, social_worker)
    with pytest.raises(RecordError, match="different child"):
        add(discussion, social_worker, child=other)


def test_a_removed_source_takes_no_actions(discussion, social_worker):
    core_services.void(obj=discussion, by=social_worker, reason="Wrong child")
    with pytest.raises(RecordError, match="has been removed"):
        add(discussion, social_worker)


def test_several_actions_name_the_place_of_the_one_at_fault(discussion, social_worker):
    items = [{"what": "Interview", "owner": social_worker, "owner_name": "", "due_on": DAY,
              "place": 0},
             {"what": "Medical", "owner": None, "owner_name": "", "due_on": DAY, "place": 2}]
    with pytest.raises(RecordError) as error, transaction.atomic():
        core_services.actions_add(source=discussion, items=items, by=social_worker)
    assert error.value.field == "owner_name_2"
    items[1]["owner_name"] = "Paediatrician"
    assert len(core_services.actions_add(source=discussion, items=items, by=social_worker)) == 2


# Done, cancelled, moved -----------------------------------------------------------------------

def test_marking_done_keeps_what_came_of_it_who_and_when(discussion, social_worker):
    action = add(discussion, social_worker)
    action_complete(action=action, outcome=" Interviewed on Tuesday ", by=social_worker,
                    expected_version=1)
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    assert (action.outcome, action.done_by, action.version) == (
        "Interviewed on Tuesday", social_worker, 2)
    assert action.done_at is not None
    event = AuditEvent.objects.get(action="action.done")
    assert event.before["status"] == "open" and event.after["status"] == "done"


def test_done_needs_an_outcome(discussion, social_worker):
    action = add(discussion, social_worker)
    with pytest.raises(RecordError, match="Enter what was done") as error:
        action_complete(action=action, outcome=" ", by=social_worker, expected_version=1)
    assert error.value.field == "outcome"
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


def test_cancelling_keeps_the_reason(discussion, social_worker):
    action = add(discussion, social_worker)
    action_cancel(action=action, reason="The family moved away", by=social_worker,
                  expected_version=1)
    action.refresh_from_db()
    assert (action.status, action.cancel_reason, action.cancelled_by) == (
        Action.Status.CANCELLED, "The family moved away", social_worker)
    assert AuditEvent.objects.get(action="action.cancelled").reason == "The family moved away"
    with pytest.raises(RecordError, match="Enter why"):
        action_cancel(action=add(discussion, social_worker), reason="", by=social_worker)


def test_a_closed_action_cannot_be_closed_again(discussion, social_worker):
    done = add(discussion, social_worker)
    action_complete(action=done, outcome="Done", by=social_worker)
    with pytest.raises(RecordError, match="was marked done on .* cannot be marked done again"):
        action_complete(action=done, outcome="Again", by=social_worker)
    with pytest.raises(RecordError, match="was marked done on .* cannot be cancelled"):
        action_cancel(action=done, reason="No", by=social_worker)
    cancelled = add(discussion, social_worker)
    action_cancel(action=cancelled, reason="Not needed", by=social_worker)
    with pytest.raises(RecordError, match="was cancelled on .* cannot be marked done"):
        action_complete(action=cancelled, outcome="Done", by=social_worker)
    with pytest.raises(RecordError, match="cannot have its date changed"):
        action_change_due(action=cancelled, due_on=DAY, by=social_worker)


def test_a_removed_action_cannot_be_closed(discussion, social_worker):
    action = add(discussion, social_worker)
    core_services.void(obj=action, by=social_worker, reason="Typed twice")
    with pytest.raises(RecordError, match="removed from the record"):
        action_complete(action=action, outcome="Done", by=social_worker)


def test_someone_elses_save_first_is_a_stale_record(discussion, social_worker, team_manager):
    action = add(discussion, social_worker)
    theirs = Action.objects.get(pk=action.pk)
    action_change_due(action=theirs, due_on=DAY + timedelta(days=14), by=team_manager,
                      expected_version=1, reason="Police asked for more time")
    for call in (
            lambda: action_complete(action=action, outcome="Done", by=social_worker,
                                    expected_version=1),
            lambda: action_cancel(action=action, reason="No", by=social_worker,
                                  expected_version=1),
            lambda: action_change_due(action=action, due_on=DAY, by=social_worker,
                                      expected_version=1)):
        with pytest.raises(StaleRecord), transaction.atomic():
            call()
    action.refresh_from_db()
    assert (action.status, action.due_on, action.version) == (
        Action.Status.OPEN, DAY + timedelta(days=14), 2)
    assert AuditEvent.objects.filter(action__in=["action.done", "action.cancelled"]
                                     ).count() == 0


def test_moving_the_due_date_keeps_the_old_one_and_why(discussion, social_worker):
    action = add(discussion, social_worker)
    action_change_due(action=action, due_on=DAY + timedelta(days=21), by=social_worker,
                      expected_version=1, reason="Police asked for more time")
    event = AuditEvent.objects.get(action="action.due_changed")
    assert (event.before["due_on"], event.after["due_on"], event.reason) == (
        (DAY + timedelta(days=7)).isoformat(), (DAY + timedelta(days=21)).isoformat(),
        "Police asked for more time")
    with pytest.raises(RecordError, match="already due on"):
        action_change_due(action=action, due_on=DAY + timedelta(days=21), by=social_worker)
    with pytest.raises(RecordError, match="Enter the date"):
        action_change_due(action=action, due_on=None, by=social_worker)


def test_a_workers_open_actions_come_overdue_first(discussion, social_worker,
                                                   django_assert_num_queries):
    late = add(discussion, social_worker, due_on=DAY - timedelta(days=1), what="Late")
    soon = add(discussion, social_worker, due_on=DAY + timedelta(days=3), what="Soon")
    today = add(discussion, social_worker, due_on=DAY, what="Today")
    undated = row(discussion, social_worker, owner=social_worker, what="Carried over")
    done = add(discussion, social_worker, what="Done")
    action_complete(action=done, outcome="Done", by=social_worker)
    add(discussion, social_worker, owner=None, owner_name="Mother", what="Mother's")
    with django_assert_num_queries(1):
        rows = list(selectors.actions_open_for(
            social_worker, children=policy.visible_children(social_worker), as_of=DAY))
    assert rows == [late, today, soon, undated]
    assert [a.overdue for a in rows] == [True, False, False, False]
    assert rows[0].child.full_name == discussion.child.full_name


def test_a_workers_list_leaves_out_children_they_can_no_longer_see(discussion, social_worker,
                                                                    stranger):
    add(discussion, social_worker, owner=stranger)
    assert list(selectors.actions_open_for(
        stranger, children=policy.visible_children(stranger), as_of=DAY)) == []


def test_a_managers_team_view_shows_their_workers_overdue_actions(
        discussion, social_worker, team_manager, team, stranger, django_assert_num_queries):
    colleague = make_staff("cal_colleague", Role.SOCIAL_WORKER, team)
    late = add(discussion, social_worker, due_on=DAY - timedelta(days=2))
    later = add(discussion, social_worker, owner=colleague, due_on=DAY - timedelta(days=1))
    add(discussion, social_worker, due_on=DAY)  # due today: not overdue yet
    add(discussion, social_worker, owner=stranger, due_on=DAY - timedelta(days=5))  # not theirs
    closed = add(discussion, social_worker, due_on=DAY - timedelta(days=9))
    action_cancel(action=closed, reason="Not needed", by=social_worker)
    with django_assert_num_queries(1):
        rows = list(selectors.actions_overdue_in_teams(
            [team], children=policy.visible_children(team_manager), as_of=DAY))
    assert rows == [later, late]  # Cal Colleague before Sam Worker
    assert all(a.overdue for a in rows)
    assert rows[0].owner.team == team


def test_a_childs_actions_come_open_first_then_most_recently_closed(discussion, social_worker):
    first = add(discussion, social_worker, what="First closed")
    action_complete(action=first, outcome="Done", by=social_worker)
    second = add(discussion, social_worker, what="Second closed")
    action_cancel(action=second, reason="No need", by=social_worker)
    Action.objects.filter(pk=second.pk).update(cancelled_at=first.done_at + timedelta(hours=1))
    open_one = add(discussion, social_worker, what="Open")
    late = add(discussion, social_worker, what="Late", due_on=DAY - timedelta(days=1))
    voided = add(discussion, social_worker, what="Voided")
    core_services.void(obj=voided, by=social_worker, reason="Typed twice")
    assert list(selectors.actions_for_child(discussion.child, as_of=DAY)) == [
        late, open_one, second, first]


def test_attaching_actions_to_their_sources_takes_one_query(discussion, social_worker, child,
                                                            django_assert_num_queries):
    other = StrategyDiscussion.objects.create(
        child=child, held_on=DAY, agencies_present="Police", decision="No further action",
        recorded_by=social_worker)
    mine = [add(discussion, social_worker, what=f"Action {n}") for n in range(3)]
    ContentType.objects.get_for_model(StrategyDiscussion)  # the content type cache is warm
    with django_assert_num_queries(1):
        sources = selectors.attach_actions([discussion, other], as_of=DAY)
    assert sources[0].agreed_actions == mine
    assert sources[1].agreed_actions == []


def test_the_actions_table_a_page_includes(discussion, social_worker, rf):
    late = add(discussion, social_worker, due_on=DAY - timedelta(days=1), what="Late one")
    add(discussion, social_worker, owner=None, owner_name="Mother", what="Mother's one")
    request = rf.get("/")
    request.user = social_worker
    html = render_to_string("core/_actions_table.html", {
        "actions": selectors.actions_open_for(
            social_worker, children=policy.visible_children(social_worker), as_of=DAY),
        "caption": "Yours",
        "show_child": True, "show_owner": True, "can_change": True}, request=request)
    assert "Yours" in html and "Late one" in html and "Mother's one" not in html
    assert "Overdue" in html and discussion.child.full_name in html
    assert f'/children/{late.child_id}/actions/{late.pk}/done/?next=/' in html
    assert "From: strategy discussion" in html
    empty = render_to_string("core/_actions_table.html", {
        "actions": [], "empty": "No open actions."}, request=request)
    assert "No open actions." in empty and "<table" not in empty
