from datetime import date, datetime
from datetime import timezone as tz

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from cairn.care import services
from cairn.care.models import (
    CLAReview,
    LookedAfterEpisode,
    MissingEpisode,
    PEPTarget,
    PersonalEducationPlan,
    ReturnHomeInterview,
    StatutoryVisit,
)
from cairn.core import facts
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def start(child, by, **over):
    fields = dict(child=child, started_on=date(2025, 1, 6), reason_new_episode="S",
                  legal_status="C1", category_of_need="N1", placement_type="U6",
                  placement_provider="PR1", home_postcode="tw1 1aa", placement_postcode="TW1 1AF",
                  by=by)
    fields.update(over)
    return services.episode_start(**fields)


def at(y, m, d, h=12):
    return datetime(y, m, d, h, tzinfo=tz.utc)


# Episodes -------------------------------------------------------------------------------------

def test_starting_care_records_the_episode_and_its_audit_row(child, social_worker):
    episode = start(child, social_worker)
    assert episode.home_postcode == "TW1 1AA"
    assert episode.recorded_by == social_worker
    event = AuditEvent.objects.get(action="episode.started")
    assert event.child_id == child.pk and event.actor == social_worker


def test_a_change_closes_the_open_episode_with_x1_the_same_day(child, social_worker):
    first = start(child, social_worker)
    second = services.episode_start(
        child=child, started_on=date(2025, 3, 3), reason_new_episode="L", legal_status="C2",
        category_of_need="N1", placement_type="U6", placement_provider="PR1",
        placement_postcode="TW1 1AF", by=social_worker)
    first.refresh_from_db()
    assert (first.ended_on, first.reason_ceased, first.version) == (date(2025, 3, 3), "X1", 2)
    assert second.ended_on is None
    assert AuditEvent.objects.filter(action="episode.ended", object_id=str(first.pk)).exists()


def test_placement_change_works_out_the_reason_for_the_new_episode(child, social_worker):
    start(child, social_worker)
    moved = services.placement_change(child=child, changed_on=date(2025, 2, 1),
                                      placement_type="K2", placement_provider="PR4",
                                      placement_postcode="SW1 1AA", reason_place_change="CREQB",
                                      by=social_worker)
    assert moved.reason_new_episode == "P"
    assert LookedAfterEpisode.objects.get(ended_on=date(2025, 2, 1)).reason_place_change == "CREQB"
    both = services.placement_change(child=child, changed_on=date(2025, 4, 1),
                                     placement_type="K2", placement_provider="PR4",
                                     placement_postcode="SW1 1AA", reason_place_change="CARPL",
                                     same_carers=True, legal_status="C2", by=social_worker)
    assert both.reason_new_episode == "U"


def test_a_second_start_of_care_while_looked_after_is_refused(child, social_worker):
    start(child, social_worker)
    with pytest.raises(RecordError, match="already looked after") as error:
        start(child, social_worker, started_on=date(2025, 2, 1))
    assert error.value.field == "reason_new_episode"
    assert LookedAfterEpisode.objects.count() == 1


def test_a_change_before_any_period_of_care_is_refused(child, social_worker):
    with pytest.raises(RecordError, match="must start a period of care"):
        start(child, social_worker, reason_new_episode="P", reason_place_change="CARPL")
    assert not LookedAfterEpisode.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_episode_cannot_overlap_an_earlier_one(child, social_worker):
    start(child, social_worker)
    with pytest.raises(RecordError, match="overlap") as error:
        services.placement_change(child=child, changed_on=date(2025, 1, 1), placement_type="K2",
                                  placement_provider="PR4", reason_place_change="CARPL",
                                  by=social_worker)
    assert error.value.field == "changed_on"
    assert LookedAfterEpisode.objects.get().ended_on is None  # nothing half-written


def test_a_legal_status_change_must_change_the_legal_status(child, social_worker):
    start(child, social_worker)
    with pytest.raises(RecordError, match="legal status is the same"):
        start(child, social_worker, started_on=date(2025, 2, 1), reason_new_episode="L")
    assert LookedAfterEpisode.objects.get().ended_on is None


def test_a_placement_change_needs_its_reason(child, social_worker):
    start(child, social_worker)
    with pytest.raises(RecordError, match="why the placement changed") as error:
        services.placement_change(child=child, changed_on=date(2025, 2, 1), placement_type="K2",
                                  placement_provider="PR4", reason_place_change="",
                                  by=social_worker)
    assert error.value.field == "reason_place_change"


def test_temporary_placements_have_no_provider(child, social_worker):
    with pytest.raises(RecordError, match="no placement provider"):
        start(child, social_worker, placement_type="T1")


def test_the_period_of_care_ends_with_a_reason_other_than_x1(child, social_worker):
    episode = start(child, social_worker)
    with pytest.raises(RecordError, match="X1 means a new episode"):
        services.period_of_care_end(episode=episode, ended_on=date(2025, 6, 1),
                                    reason_ceased="X1", by=social_worker)
    with pytest.raises(RecordError, match="cannot end before the episode started") as error:
        services.period_of_care_end(episode=episode, ended_on=date(2025, 1, 1),
                                    reason_ceased="E4A", by=social_worker)
    assert error.value.field == "ended_on"
    services.period_of_care_end(episode=episode, ended_on=date(2025, 6, 1), reason_ceased="E4A",
                                by=social_worker)
    episode.refresh_from_db()
    assert (episode.ended_on, episode.reason_ceased) == (date(2025, 6, 1), "E4A")
    assert AuditEvent.objects.filter(action="episode.ended").count() == 1


def test_the_database_refuses_an_end_without_a_reason(child, social_worker):
    episode = start(child, social_worker)
    with pytest.raises(IntegrityError), transaction.atomic():
        LookedAfterEpisode.objects.filter(pk=episode.pk).update(ended_on=date(2025, 2, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        LookedAfterEpisode.objects.filter(pk=episode.pk).update(
            ended_on=date(2024, 2, 1), reason_ceased="E8")


def test_someone_without_access_cannot_record_an_episode(child, stranger):
    with pytest.raises(PermissionDenied):
        start(child, stranger)
    assert not LookedAfterEpisode.objects.exists()


def test_episode_facts(child, social_worker):
    episode = start(child, social_worker)
    services.episode_start(child=child, started_on=date(2025, 3, 3), reason_new_episode="B",
                           legal_status="C2", category_of_need="N1", placement_type="U4",
                           placement_provider="PR1", reason_place_change="CARPL",
                           by=social_worker)
    services.period_of_care_end(episode=LookedAfterEpisode.objects.open().get(),
                                ended_on=date(2025, 9, 1), reason_ceased="E41", by=social_worker)
    found = facts.occurrences(["looked_after.started", "placement.started",
                               "legal_status.changed", "episode.ended", "looked_after.ceased"],
                              [child.pk])
    days = {name: [o.on for o in by_child.get(child.pk, [])] for name, by_child in found.items()}
    assert days["looked_after.started"] == [episode.started_on]
    assert days["placement.started"] == [date(2025, 1, 6), date(2025, 3, 3)]
    assert days["legal_status.changed"] == [date(2025, 3, 3)]
    assert days["episode.ended"] == [date(2025, 3, 3), date(2025, 9, 1)]
    assert days["looked_after.ceased"] == [date(2025, 9, 1)]


# Reviews and visits ---------------------------------------------------------------------------

def test_a_review_is_recorded_while_looked_after(child, social_worker):
    start(child, social_worker)
    review = services.cla_review_record(child=child, held_on=date(2025, 1, 30),
                                        participation="PN1", by=social_worker)
    assert CLAReview.objects.get() == review
    assert AuditEvent.objects.filter(action="cla_review.held", child_id=child.pk).exists()
    assert facts.occurrences(["cla_review.held"], [child.pk])["cla_review.held"][child.pk][0].on \
        == date(2025, 1, 30)


def test_a_review_before_care_started_is_refused(child, social_worker):
    start(child, social_worker)
    with pytest.raises(RecordError, match="was not looked after") as error:
        services.cla_review_record(child=child, held_on=date(2025, 1, 1), participation="PN1",
                                   by=social_worker)
    assert error.value.field == "held_on"
    assert not CLAReview.objects.exists()


def test_a_statutory_visit_is_recorded(child, social_worker):
    start(child, social_worker)
    visit = services.statutory_visit_record(child=child, visited_on=date(2025, 1, 10), seen=True,
                                            seen_alone=True, by=social_worker)
    assert visit.by == social_worker
    assert AuditEvent.objects.filter(action="cla_visit.recorded").count() == 1


def test_a_child_seen_alone_must_have_been_seen(child, social_worker):
    start(child, social_worker)
    with pytest.raises(RecordError, match="seen alone was seen") as error:
        services.statutory_visit_record(child=child, visited_on=date(2025, 1, 10), seen=False,
                                        seen_alone=True, by=social_worker)
    assert error.value.field == "seen"
    assert not StatutoryVisit.objects.exists()


def test_a_visit_cannot_be_in_the_future(child, social_worker):
    start(child, social_worker)
    with pytest.raises(RecordError, match="cannot be in the future"):
        services.statutory_visit_record(child=child, visited_on=date(2099, 1, 1), seen=True,
                                        seen_alone=False, by=social_worker)


# Missing and return home interviews -----------------------------------------------------------

def test_a_missing_episode_and_its_return_interview(child, social_worker):
    episode = services.missing_episode_record(child=child, kind="M", started_at=at(2025, 5, 1),
                                              ended_at=at(2025, 5, 2), by=social_worker)
    interview = services.return_home_interview_record(
        missing_episode=episode, offered_on=date(2025, 5, 2), accepted=True,
        held_on=date(2025, 5, 4), push_factors="Argument at home", by=social_worker)
    assert ReturnHomeInterview.objects.get() == interview
    assert AuditEvent.objects.get(action="rhi.offered").child_id == child.pk
    found = facts.occurrences(["missing.started", "missing.returned", "rhi.held"], [child.pk])
    assert found["missing.returned"][child.pk][0].key == episode.pk
    assert found["rhi.held"][child.pk][0].key == episode.pk


def test_a_return_cannot_precede_going_missing(child, social_worker):
    with pytest.raises(RecordError, match="cannot return before") as error:
        services.missing_episode_record(child=child, kind="A", started_at=at(2025, 5, 2),
                                        ended_at=at(2025, 5, 1), by=social_worker)
    assert error.value.field == "ended_at"
    assert not MissingEpisode.objects.exists()


def test_missing_episodes_cannot_overlap(child, social_worker):
    services.missing_episode_record(child=child, kind="M", started_at=at(2025, 5, 1),
                                    by=social_worker)
    with pytest.raises(RecordError, match="overlaps another missing episode"):
        services.missing_episode_record(child=child, kind="M", started_at=at(2025, 5, 3),
                                        by=social_worker)
    assert MissingEpisode.objects.count() == 1


def test_recording_the_return(child, social_worker):
    episode = services.missing_episode_record(child=child, kind="M", started_at=at(2025, 5, 1),
                                              by=social_worker)
    with pytest.raises(RecordError, match="cannot return before"):
        services.missing_episode_return(missing_episode=episode, ended_at=at(2025, 4, 30),
                                        by=social_worker)
    services.missing_episode_return(missing_episode=episode, ended_at=at(2025, 5, 1, 20),
                                    by=social_worker)
    episode.refresh_from_db()
    assert episode.ended_at == at(2025, 5, 1, 20) and episode.version == 2
    assert AuditEvent.objects.filter(action="missing.returned").exists()


def test_a_return_interview_cannot_precede_the_return(child, social_worker):
    episode = services.missing_episode_record(child=child, kind="M", started_at=at(2025, 5, 1),
                                              ended_at=at(2025, 5, 3), by=social_worker)
    with pytest.raises(RecordError, match="cannot be held before the child returned") as error:
        services.return_home_interview_record(missing_episode=episode, offered_on=date(2025, 5, 3),
                                              accepted=True, held_on=date(2025, 5, 2),
                                              by=social_worker)
    assert error.value.field == "held_on"
    with pytest.raises(RecordError, match="cannot be offered before"):
        services.return_home_interview_record(missing_episode=episode, offered_on=date(2025, 5, 1),
                                              accepted=False, by=social_worker)
    assert not ReturnHomeInterview.objects.exists()


def test_a_return_interview_needs_a_return(child, social_worker):
    episode = services.missing_episode_record(child=child, kind="M", started_at=at(2025, 5, 1),
                                              by=social_worker)
    with pytest.raises(RecordError, match="Record when the child returned"):
        services.return_home_interview_record(missing_episode=episode, offered_on=date(2025, 5, 3),
                                              accepted=False, by=social_worker)


def test_an_interview_held_was_accepted(child, social_worker):
    episode = services.missing_episode_record(child=child, kind="M", started_at=at(2025, 5, 1),
                                              ended_at=at(2025, 5, 2), by=social_worker)
    with pytest.raises(RecordError, match="tick accepted"):
        services.return_home_interview_record(missing_episode=episode, offered_on=date(2025, 5, 2),
                                              accepted=False, held_on=date(2025, 5, 3),
                                              by=social_worker)


# PEPs -----------------------------------------------------------------------------------------

def test_a_pep_records_its_dated_targets(child, social_worker):
    start(child, social_worker)
    pep = services.pep_record(
        child=child, held_on=date(2025, 2, 1), by=social_worker,
        targets=[{"description": "Read a chapter book independently", "due_on": date(2025, 7, 1)},
                 {"description": "Attend 95% of sessions", "due_on": date(2025, 4, 1)}])
    assert [t.description for t in pep.targets.order_by("due_on")] == [
        "Attend 95% of sessions", "Read a chapter book independently"]
    assert AuditEvent.objects.filter(action="pep.held", child_id=child.pk).exists()


def test_a_pep_target_without_a_date_is_refused_and_nothing_is_saved(child, social_worker):
    start(child, social_worker)
    with pytest.raises(RecordError, match="date target 2 should be met by") as error:
        services.pep_record(child=child, held_on=date(2025, 2, 1), by=social_worker,
                            targets=[{"description": "Phonics", "due_on": date(2025, 3, 1)},
                                     {"description": "Maths", "due_on": None}])
    assert error.value.field == "targets"
    assert not PersonalEducationPlan.objects.exists()
    assert not PEPTarget.objects.exists()


def test_a_pep_target_must_fall_after_the_meeting(child, social_worker):
    start(child, social_worker)
    with pytest.raises(RecordError, match="due after the PEP meeting"):
        services.pep_record(child=child, held_on=date(2025, 2, 1), by=social_worker,
                            targets=[{"description": "Phonics", "due_on": date(2025, 1, 1)}])


def test_an_sdq_has_a_score_or_a_reason(child, social_worker):
    from cairn.care.models import StrengthsDifficultiesScore

    row = StrengthsDifficultiesScore(child=child, assessed_on=date(2025, 1, 1))
    with pytest.raises(ValidationError):
        row.full_clean()
    row.score = 14
    row.full_clean()
