"""Inspections, the improvement plan and inspectors' access (F38, F40): services (validation,
audit, nothing deleted) and the access policy (an inspector reads only their sample, only
while it is open, and records nothing)."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

import support
from cairn.access import policy
from cairn.access.models import AccessGrant
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.frontdoor.models import Referral
from cairn.inspection import selectors, services
from cairn.inspection.models import (
    ActionStatus,
    Cohort,
    Evidence,
    ImprovementAction,
    Inspection,
    InspectionKind,
    InspectorAccess,
)
from cairn.returns.models import ReturnJob
from cairn.workforce.models import Role, Service, Team

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def team():
    service = Service.objects.create(name="Safeguarding")
    return Team.objects.create(name="Child protection 1", service=service)


@pytest.fixture
def manager(team):
    staff = support.make_staff("sam_senior", Role.SERVICE_MANAGER)
    team.service.manager = staff
    team.service.save()
    return staff


@pytest.fixture
def inspector():
    return support.make_staff("ida_inspector", Role.INSPECTOR)


@pytest.fixture
def worker(team):
    return support.make_staff("will_worker", Role.SOCIAL_WORKER, team)


@pytest.fixture
def children(worker):
    out = []
    for n in range(6):
        child = support.make_child("Kid", f"Number{n}")
        support.allocate(child, worker)
        out.append(child)
    return out


@pytest.fixture
def ilacs(manager):
    return services.record_inspection(
        by=manager, kind=InspectionKind.ILACS_STANDARD, started_on=TODAY - timedelta(days=200),
        ended_on=TODAY - timedelta(days=190), published_on=TODAY - timedelta(days=150),
        grades={"overall": "requires_improvement", "leaders": "good"},
        areas=["Management oversight of plans", "", "Return home interviews"])


def test_an_inspection_is_recorded_with_grades_areas_and_audit(ilacs, manager):
    assert {j.area: j.grade for j in ilacs.judgements.all()} == {
        "overall": "requires_improvement", "leaders": "good"}
    assert [a.text for a in ilacs.areas_for_improvement.all()] == [
        "Management oversight of plans", "Return home interviews"]
    actions = set(AuditEvent.objects.filter(actor=manager).values_list("action", flat=True))
    assert {"inspection.recorded", "inspection.judged", "inspection.area_added"} <= actions


def test_a_visit_is_not_graded_and_dates_must_be_in_order(manager):
    with pytest.raises(RecordError, match="Only ILACS"):
        services.record_inspection(by=manager, kind=InspectionKind.FOCUSED_VISIT,
                                   started_on=TODAY, ended_on=TODAY, grades={"overall": "good"})
    with pytest.raises(RecordError, match="last day on site"):
        services.record_inspection(by=manager, kind=InspectionKind.JTAI, started_on=TODAY,
                                   ended_on=TODAY - timedelta(days=1))
    with pytest.raises(RecordError, match="published must be today or in the past"):
        services.record_inspection(by=manager, kind=InspectionKind.JTAI, started_on=TODAY,
                                   ended_on=TODAY, published_on=TODAY + timedelta(days=1))
    assert not Inspection.objects.exists()


def test_only_those_who_keep_the_plan_record_inspections(worker, inspector):
    for who in (worker, inspector):
        with pytest.raises(PermissionDenied):
            services.record_inspection(by=who, kind=InspectionKind.JTAI, started_on=TODAY,
                                       ended_on=TODAY)


def test_a_corrected_grade_keeps_the_earlier_one_in_the_audit(ilacs, manager):
    services.record_judgements(inspection=ilacs, grades={"overall": "good"}, by=manager)
    assert ilacs.judgements.get(area="overall").grade == "good"
    event = AuditEvent.objects.get(action="inspection.judgement_changed")
    assert event.before["grade"] == "requires_improvement"


def _late(area, manager, owner, days: int, description: str = "Audit 50 plans"):
    """An action added a month ago, due `days` ago: overdue now (a new action cannot be)."""
    with time_machine.travel(timezone.now() - timedelta(days=30)):
        return services.add_action(area=area, description=description, owner=owner,
                                   due_on=TODAY - timedelta(days=days), by=manager)


def test_actions_progress_evidence_and_overdue(ilacs, manager, worker):
    area = ilacs.areas_for_improvement.first()
    late = _late(area, manager, worker, 1)
    services.add_action(area=area, description="Train managers", owner=worker,
                        due_on=TODAY + timedelta(days=30), by=manager)
    assert list(ImprovementAction.objects.overdue_on(TODAY)) == [late]
    progress = selectors.plan(ilacs)
    assert progress.total == 2 and progress.overdue == 1
    # The owner reports progress; completing it clears the overdue flag.
    services.update_progress(action=late, text="Audit done", status=ActionStatus.COMPLETED,
                             by=worker)
    late.refresh_from_db()
    assert late.status == ActionStatus.COMPLETED and late.completed_on == TODAY
    assert selectors.plan(ilacs).overdue == 0
    with pytest.raises(RecordError):
        services.update_progress(action=late, text="  ", status="in_progress", by=worker)
    with pytest.raises(RecordError, match="indicator from the list"):
        services.add_evidence(action=late, indicator="no_such_thing", by=manager)
    with pytest.raises(RecordError, match="describe the evidence"):
        services.add_evidence(action=late, by=manager)
    services.add_evidence(action=late, indicator="cin_referrals", text="Down 10%", by=manager)
    assert Evidence.objects.get().indicator == "cin_referrals"
    # Someone who neither keeps the plan nor owns the action cannot report on it.
    other = support.make_staff("otto_other", Role.SOCIAL_WORKER)
    with pytest.raises(PermissionDenied):
        services.update_progress(action=late, text="x", status="in_progress", by=other)
    with pytest.raises(RuntimeError):
        late.delete()


def test_an_owner_must_be_staff_of_the_authority(ilacs, manager, inspector):
    with pytest.raises(RecordError, match="staff to own"):
        services.add_action(area=ilacs.areas_for_improvement.first(), description="x",
                            owner=inspector, due_on=TODAY, by=manager)


def _grant(ilacs, manager, inspector, children, **kwargs):
    return services.grant_access(inspection=ilacs, inspector=inspector, starts_on=TODAY,
                                 ends_on=TODAY + timedelta(days=7), by=manager,
                                 children=children, **kwargs)


def test_an_inspector_sees_only_the_sample_and_records_nothing(ilacs, manager, inspector,
                                                               children):
    access = _grant(ilacs, manager, inspector, children[:2])
    assert set(policy.visible_children(inspector)) == set(children[:2])
    assert policy.can(inspector, policy.VIEW, children[0])
    assert not policy.can(inspector, policy.RECORD, children[0])
    assert not policy.can(inspector, policy.VIEW, children[3])
    inspector.refresh_from_db()
    assert inspector.access_until == TODAY + timedelta(days=7)
    assert access.grants.count() == 2
    client = support.client_for(inspector)
    assert client.get(reverse("child", args=[children[0].pk])).status_code == 200
    assert client.get(reverse("child", args=[children[3].pk])).status_code == 404
    # The inspection's own pages are a senior manager's: 404 to the inspector.
    assert client.get(reverse("inspection", args=[ilacs.pk])).status_code == 404
    assert client.get(reverse("inspector_access", args=[access.pk])).status_code == 404


def test_access_ends_with_its_end_date(ilacs, manager, inspector, children):
    _grant(ilacs, manager, inspector, children[:2])
    with time_machine.travel(timezone.now() + timedelta(days=7)):
        assert policy.visible_children(inspector).count() == 2
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert not policy.visible_children(inspector).exists()


def test_access_given_ahead_opens_on_its_first_day(ilacs, manager, inspector, children):
    services.grant_access(inspection=ilacs, inspector=inspector,
                          starts_on=TODAY + timedelta(days=3), ends_on=TODAY + timedelta(days=7),
                          by=manager, children=children[:1])
    assert not policy.visible_children(inspector).exists()
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert list(policy.visible_children(inspector)) == [children[0]]


def test_ending_access_early_needs_a_reason_and_ends_every_grant(ilacs, manager, inspector,
                                                                 children):
    access = _grant(ilacs, manager, inspector, children[:3])
    with pytest.raises(RecordError, match="why"):
        services.end_access(access=access, reason=" ", by=manager)
    services.end_access(access=access, reason="Inspection finished a day early", by=manager)
    assert not policy.visible_children(inspector).exists()
    assert AccessGrant.objects.filter(staff=inspector).count() == 3  # ended, not deleted
    assert AccessGrant.objects.filter(staff=inspector, revoked_at__isnull=True).count() == 0
    assert InspectorAccess.objects.get().end_reason == "Inspection finished a day early"
    with pytest.raises(RecordError, match="already"):
        services.end_access(access=access, reason="again", by=manager)
    client = support.client_for(inspector)
    assert client.get(reverse("child", args=[children[0].pk])).status_code == 404


def test_a_manager_gives_only_records_they_may_open(ilacs, manager, inspector, children):
    stranger = support.make_child("Out", "Ofline")
    with pytest.raises(RecordError, match="only to records you may open"):
        _grant(ilacs, manager, inspector, [children[0], stranger])
    restricted = children[1]
    restricted.restricted = True
    restricted.save()
    with pytest.raises(RecordError, match="only to records you may open"):
        _grant(ilacs, manager, inspector, [restricted])
    with pytest.raises(RecordError, match="Choose an inspector"):
        _grant(ilacs, manager, manager, children[:1])
    with pytest.raises(PermissionDenied):
        _grant(ilacs, support.make_staff("tm", Role.TEAM_MANAGER), inspector, children[:1])
    assert not AccessGrant.objects.filter(staff=inspector).exists()


def test_a_cohort_sample_is_random_repeatable_and_recorded(ilacs, manager, inspector,
                                                            children, worker):
    for child in children[:5]:
        Referral.objects.create(child=child, received_on=TODAY - timedelta(days=30),
                                source="5A", primary_need="N1", recorded_by=worker)
    Referral.objects.create(child=children[5], received_on=TODAY - timedelta(days=400),
                            source="5A", primary_need="N1", recorded_by=worker)
    access = _grant(ilacs, manager, inspector, [], cohort=Cohort.RECENT_REFERRALS,
                    sample_size=3, seed=42)
    sampled = set(access.grants.values_list("child_id", flat=True))
    assert len(sampled) == 3 and sampled <= {c.pk for c in children[:5]}
    assert sampled == set(selectors.sample(Cohort.RECENT_REFERRALS, 3, 42, TODAY))
    assert access.seed == 42 and access.cohort == Cohort.RECENT_REFERRALS
    with pytest.raises(RecordError, match="sample size"):
        _grant(ilacs, manager, inspector, [], cohort=Cohort.RECENT_REFERRALS, sample_size=0)
    with pytest.raises(RecordError, match="no children in that cohort"):
        _grant(ilacs, manager, inspector, [], cohort=Cohort.IN_CARE, sample_size=3)


def test_the_manager_sees_every_page_the_inspector_opened(ilacs, manager, inspector, children):
    access = _grant(ilacs, manager, inspector, children[:2])
    client = support.client_for(inspector)
    client.get(reverse("child", args=[children[0].pk]))
    client.get(reverse("child", args=[children[4].pk]))  # refused, and shown as refused
    page = support.client_for(manager).get(reverse("inspector_access", args=[access.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert f"/children/{children[0].pk}/" in body and f"/children/{children[4].pk}/" in body
    assert "Refused" in body


def test_an_accesss_pages_are_its_own_childrens_from_when_it_was_given(
        ilacs, manager, inspector, children):
    first = _grant(ilacs, manager, inspector, children[:2])
    client = support.client_for(inspector)
    client.get(reverse("child", args=[children[0].pk]))
    second = _grant(ilacs, manager, inspector, children[2:3])
    client.get(reverse("child", args=[children[2].pk]))
    body = support.client_for(manager).get(
        reverse("inspector_access", args=[second.pk])).content.decode()
    assert f"/children/{children[2].pk}/" in body
    assert f"/children/{children[0].pk}/" not in body  # the first access's, and before this
    body = support.client_for(manager).get(
        reverse("inspector_access", args=[first.pk])).content.decode()
    assert f"/children/{children[2].pk}/" not in body  # not one of this access's children


def test_pages_answer_the_senior_manager_and_refuse_others(ilacs, manager, worker, inspector,
                                                           children):
    area = ilacs.areas_for_improvement.first()
    action = _late(area, manager, worker, 3, "Audit plans")
    access = _grant(ilacs, manager, inspector, children[:1])
    sm = support.client_for(manager)
    urls = [reverse("inspections"), reverse("record_inspection"),
            reverse("inspection", args=[ilacs.pk]),
            reverse("inspection_judgements", args=[ilacs.pk]),
            reverse("inspection_add_area", args=[ilacs.pk]),
            reverse("grant_inspector_access", args=[ilacs.pk]) + "?q=Number",
            reverse("improvement_plan"), reverse("improvement_add_action", args=[area.pk]),
            reverse("improvement_action", args=[action.pk]),
            reverse("inspector_access", args=[access.pk])]
    for url in urls:
        assert sm.get(url).status_code == 200, url
    assert "Overdue" in sm.get(reverse("improvement_plan")).content.decode()
    assert "Kid Number0" in sm.get(urls[5]).content.decode()
    home = sm.get("/").content.decode()
    assert "1 overdue" in home and "Ida Inspector" in home
    other = support.client_for(support.make_staff("ola_other", Role.SOCIAL_WORKER))
    for url in urls:
        assert other.get(url).status_code == 404, url
    # The action's owner reports on their action, and sees nothing else of the plan.
    owner = support.client_for(worker)
    assert owner.get(reverse("improvement_action", args=[action.pk])).status_code == 200
    assert owner.get(reverse("improvement_plan")).status_code == 404
    # The inspector's home lists their children and when access ends.
    home = support.client_for(inspector).get("/").content.decode()
    assert "Kid Number0" in home and "Kid Number1" not in home


def test_recording_through_the_pages(manager, worker):
    sm = support.client_for(manager)
    response = sm.post(reverse("record_inspection"), support.form_data(
        kind="ilacs_short", started_on=TODAY - timedelta(days=20),
        ended_on=TODAY - timedelta(days=15), overall="good",
        areas="Quality of supervision\nPathway plans"))
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert inspection.areas_for_improvement.count() == 2
    area = inspection.areas_for_improvement.first()
    response = sm.post(reverse("improvement_add_action", args=[area.pk]), support.form_data(
        description="Monthly supervision audit", owner=worker.pk, due_on=TODAY))
    action = ImprovementAction.objects.get()
    assert response.status_code == 302
    response = sm.post(reverse("improvement_action_progress", args=[action.pk]),
                       support.form_data(text="Two audits done", status="in_progress"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress"
    response = sm.post(reverse("improvement_action_progress", args=[action.pk]),
                       support.form_data(text="", status="in_progress"))
    assert response.status_code == 400 and "Enter progress made" in response.content.decode()


def test_giving_access_through_the_page(ilacs, manager, inspector, children):
    sm = support.client_for(manager)
    url = reverse("grant_inspector_access", args=[ilacs.pk])
    ends = TODAY + timedelta(days=5)
    response = sm.post(url, support.form_data(inspector=inspector.pk, cohort="chosen",
                                              q="Number", starts_on=TODAY, ends_on=ends))
    body = response.content.decode()
    assert response.status_code == 400 and "tick at least one" in body
    assert "Kid Number3" in body  # the search's children are offered again
    response = sm.post(url, support.form_data(inspector=inspector.pk, cohort="in_care",
                                              starts_on=TODAY, ends_on=ends))
    assert response.status_code == 400 and "Enter the sample size" in response.content.decode()
    response = sm.post(url, {**support.form_data(inspector=inspector.pk, cohort="chosen",
                                                 q="Number", starts_on=TODAY, ends_on=ends),
                             "children": [children[0].pk, children[2].pk]})
    assert response.status_code == 302
    assert set(policy.visible_children(inspector)) == {children[0], children[2]}
    access = InspectorAccess.objects.get()
    response = sm.post(reverse("end_inspector_access", args=[access.pk]), {"reason": ""})
    assert response.status_code == 400
    response = sm.post(reverse("end_inspector_access", args=[access.pk]),
                       {"reason": "Done early"})
    assert response.status_code == 302
    assert not policy.visible_children(inspector).exists()


def test_annex_a_for_the_inspections_date(ilacs, manager):
    sm = support.client_for(manager)
    response = sm.post(reverse("inspection_annex_a", args=[ilacs.pk]))
    job = ReturnJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("returns_job",
                                                                            args=[job.pk])
    assert (job.kind, job.as_of, job.requested_by) == ("annex-a", ilacs.started_on, manager)
    assert sm.get(reverse("returns_job", args=[job.pk])).status_code == 200
    # Another senior manager follows only their own; the returns page stays the analysts'.
    other = support.client_for(support.make_staff("sue_other", Role.SERVICE_MANAGER))
    assert other.get(reverse("returns_job", args=[job.pk])).status_code == 403
    assert sm.get(reverse("returns")).status_code == 403
    worker = support.client_for(support.make_staff("wyn_worker", Role.SOCIAL_WORKER))
    assert worker.post(reverse("inspection_annex_a", args=[ilacs.pk])).status_code == 404


def _errors(response) -> tuple[list[str], list[str]]:
    """The error summary's messages, and the messages beside the fields, of a page."""
    body = html.unescape(response.content.decode())
    summary = body.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]
    listed = [part.split("</a>", 1)[0].split(">", 1)[1].strip()
              for part in summary.split("<li>")[1:]]
    beside = [part.split("</p>", 1)[0].split("</span>", 1)[1].strip()
              for part in body.split('class="govuk-error-message"')[1:]]
    return listed, beside


def test_every_problem_of_an_inspection_shows_at_once_and_what_was_typed_stays(manager):
    sm = support.client_for(manager)
    response = sm.post(reverse("record_inspection"), support.form_data(
        kind="focused_visit", started_on=TODAY - timedelta(days=5),
        ended_on=TODAY - timedelta(days=9), published_on=TODAY + timedelta(days=2),
        overall="good", summary="Typed words stay"))
    assert response.status_code == 400
    listed, beside = _errors(response)
    expected = {"The last day on site must be the same as or after the first day on site",
                "The date the report was published must be today or in the past",
                "Only ILACS inspections are graded: leave the judgements as not graded for "
                "this type of inspection"}
    assert set(listed) == expected and set(beside) == expected
    body = response.content.decode()
    assert "Typed words stay" in body and f'value="{(TODAY - timedelta(days=9)).day}"' in body
    # Missing answers and a date out of order, together.
    response = sm.post(reverse("record_inspection"), support.form_data(
        started_on=TODAY - timedelta(days=5), ended_on=TODAY - timedelta(days=9),
        published_on=TODAY - timedelta(days=10)))
    listed, _ = _errors(response)
    assert listed == ["Select the type of inspection",
                      "The last day on site must be the same as or after the first day on site",
                      "The report cannot be published before the last day on site"]
    assert not Inspection.objects.exists()


def test_a_new_action_cannot_be_due_before_today(ilacs, manager, worker):
    sm = support.client_for(manager)
    area = ilacs.areas_for_improvement.first()
    url = reverse("improvement_add_action", args=[area.pk])
    response = sm.post(url, support.form_data(description="", due_on=TODAY - timedelta(days=1)))
    listed, beside = _errors(response)
    assert listed == beside == [
        "Enter what will be done", "Choose who owns the action",
        "The due date must be today or in the future: if the work is already late, enter the "
        "date it will now be done by"]
    assert not ImprovementAction.objects.exists()
    response = sm.post(url, support.form_data(description="Audit", owner=worker.pk,
                                              due_on=TODAY))
    assert response.status_code == 302 and ImprovementAction.objects.get().due_on == TODAY


def test_every_problem_of_an_inspectors_access_shows_at_once(ilacs, manager, inspector,
                                                             children):
    sm = support.client_for(manager)
    url = reverse("grant_inspector_access", args=[ilacs.pk])
    response = sm.post(url, support.form_data(cohort="in_care", sample_size="500",
                                              starts_on=TODAY - timedelta(days=1),
                                              ends_on=TODAY - timedelta(days=3)))
    listed, beside = _errors(response)
    assert listed == beside == [
        "Choose an inspector", "There are no children in that cohort to sample: choose another",
        "Enter a sample size from 1 to 100", "Access must start today or later",
        "Access must end on or after the day it starts"]
    # Chosen by name with nothing ticked, and no search made: the error has a place to land.
    response = sm.post(url, support.form_data(inspector=inspector.pk, cohort="chosen",
                                              starts_on=TODAY, ends_on=TODAY))
    listed, beside = _errors(response)
    assert listed == beside == [
        "Find children by name and tick at least one, or choose a cohort to sample"]
    assert 'id="id_children"' in response.content.decode()
    assert not InspectorAccess.objects.exists()


def test_evidence_and_judgements_say_what_is_missing(ilacs, manager, worker):
    sm = support.client_for(manager)
    action = services.add_action(area=ilacs.areas_for_improvement.first(), description="Audit",
                                 owner=worker, due_on=TODAY, by=manager)
    response = sm.post(reverse("improvement_action_evidence", args=[action.pk]), {})
    assert _errors(response)[0] == ["Choose an indicator or describe the evidence"]
    response = sm.post(reverse("inspection_judgements", args=[ilacs.pk]),
                       {"overall": "", "leaders": "good"})
    assert _errors(response)[0] == [
        "Overall effectiveness was graded: choose the corrected grade, as a grade given cannot "
        "be removed"]
    visit = services.record_inspection(by=manager, kind=InspectionKind.ILACS_SHORT,
                                       started_on=TODAY, ended_on=TODAY)
    response = sm.post(reverse("inspection_judgements", args=[visit.pk]), {"overall": ""})
    assert _errors(response)[0] == ["Select at least one grade"]
    response = sm.post(reverse("improvement_action_progress", args=[action.pk]), {})
    assert _errors(response)[0] == ["Enter progress made", "Select the action's status"]


def test_a_search_keeps_what_was_typed_and_ticks_need_chosen_by_name(ilacs, manager, inspector,
                                                                     children):
    sm = support.client_for(manager)
    url = reverse("grant_inspector_access", args=[ilacs.pk])
    ends = TODAY + timedelta(days=5)
    response = sm.post(url, support.form_data(inspector=inspector.pk, cohort="in_care",
                                              q="Number", find="1", ends_on=ends))
    body = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" not in body
    assert f'value="{inspector.pk}" selected' in body and f'value="{ends.day}"' in body
    assert response.context["form"]["cohort"].value() == "chosen"
    assert "Kid Number3" in body and not InspectorAccess.objects.exists()
    # Children ticked while a cohort is chosen are not silently dropped.
    response = sm.post(url, {**support.form_data(inspector=inspector.pk, cohort="in_care",
                                                 sample_size="3", q="Number", starts_on=TODAY,
                                                 ends_on=ends),
                             "children": [children[0].pk]})
    assert "You ticked children by name: choose “Chosen by name”, or untick them to sample a " \
           "cohort" in _errors(response)[0]
    assert not InspectorAccess.objects.exists()


def test_a_newer_plan_does_not_hide_an_earlier_plans_overdue_actions(ilacs, manager, worker):
    _late(ilacs.areas_for_improvement.first(), manager, worker, 3)
    visit = services.record_inspection(by=manager, kind=InspectionKind.FOCUSED_VISIT,
                                       started_on=TODAY - timedelta(days=10),
                                       ended_on=TODAY - timedelta(days=9),
                                       areas=["Care leavers' pathway plans"])
    summary = selectors.plan_summary()
    assert summary["inspection"] == visit and summary["total"] == 0
    assert summary["earlier_open"] == 1 and summary["earlier_overdue"] == 1
    sm = support.client_for(manager)
    home = sm.get("/").content.decode()
    assert "Earlier plans: 1 action still open" in home and "1 overdue" in home
    plan = sm.get(reverse("improvement_plan")).content.decode()
    earlier = plan.split('id="earlier-plans"', 1)[1].split("</div>", 1)[0]
    assert str(ilacs) in earlier and "1 open" in earlier and "1 overdue" in earlier
