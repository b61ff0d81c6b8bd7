"""Issue 12, pre-proceedings and court: review points as a rule, the tracker's last and next
review and its scope, the original target beside an extended one, directions met late, on the
responsible worker's list and as a share met on time, and what a final order closes."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.core import names, timescales
from cairn.legal import selectors, services
from cairn.legal.models import OrderKind, PreProceedings
from cairn.people.models import Child
from cairn.protection.models import ChildProtectionPlan
from cairn.workforce.models import Allocation, Role, Service, Staff, Team
from support import client_for, form_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def weeks_ago(n: int) -> date:
    return TODAY - timedelta(weeks=n)


@pytest.fixture
def proceedings(child, social_worker):
    return services.care_proceedings_issue(child=child, issued_on=weeks_ago(30),
                                           court="Family Court at Leeds", application="care",
                                           by=social_worker)


@pytest.fixture
def hearing(proceedings, social_worker):
    return services.hearing_record(proceedings=proceedings, held_on=weeks_ago(29), kind="CMH",
                                   by=social_worker)


# Review points -------------------------------------------------------------------------------


def test_review_points_are_due_under_a_local_rule(child, social_worker, team_manager):
    rule = timescales.rule(names.PRE_PROCEEDINGS_REVIEW)
    assert rule is not None and rule.local and rule.first_limit == 6
    plo = services.pre_proceedings_start(child=child, started_on=weeks_ago(11), by=team_manager)
    # The first point fell due at 6 weeks; the review was held a week late, at 7.
    services.pre_proceedings_review_record(
        pre_proceedings=plo, held_on=weeks_ago(4), progress="Some progress", decision="continue",
        attendees="Mother, Ms Khan (solicitor), Sam Worker", by=social_worker)
    page = client_for(team_manager).get(reverse("legal_record", args=[child.pk])).content.decode()
    assert "Review points" in page
    first_due, held, next_due = weeks_ago(5), weeks_ago(4), weeks_ago(4) + timedelta(weeks=4)
    assert f"{first_due:%-d %b %Y} <strong class=\"govuk-tag govuk-tag--orange\">Late" in page
    assert f"{held:%-d %b %Y}" in page
    assert "Mother, Ms Khan (solicitor), Sam Worker" in page
    assert f"{next_due:%-d %b %Y} <strong class=\"govuk-tag govuk-tag--yellow\">Due soon" in page

    tracker = client_for(team_manager).get(reverse("legal_tracker")).content.decode()
    assert "Last review" in tracker and "Next review" in tracker
    assert f"{held:%-d %b %Y}: Continue pre-proceedings" in tracker
    assert f"{next_due:%-d %b %Y} <strong class=\"govuk-tag govuk-tag--yellow\">Due soon" in tracker


def test_an_unreviewed_pre_proceedings_shows_its_review_overdue(child, team_manager):
    services.pre_proceedings_start(child=child, started_on=weeks_ago(7), by=team_manager)
    row = selectors.legal_tracker(viewer=team_manager).rows[0]
    assert row.last_review is None
    assert row.next_review.due_on == weeks_ago(1)
    assert row.next_review.status == timescales.Status.OVERDUE


# The service manager's tracker ---------------------------------------------------------------


@pytest.fixture
def elsewhere(db):
    """A child in pre-proceedings in a team of another service, and one whose record is
    restricted."""
    service = Service.objects.create(name="Children in care")
    team = Team.objects.create(name="Children in Care North", kind=Team.Kind.ASSESSMENT,
                               service=service)
    worker = Staff.objects.create_user("cic", password="x", role=Role.SOCIAL_WORKER, team=team)
    found = {}
    for name, restricted in (("Bea", False), ("Cal", True)):
        kid = Child.objects.create(given_name=name, family_name="Farr", restricted=restricted,
                                   la_child_id=f"C{name}", birth_date=date(2015, 1, 1))
        Allocation.objects.create(child=kid, worker=worker, team=team,
                                  started_on=date(2025, 1, 1))
        services.pre_proceedings_start(child=kid, started_on=weeks_ago(3), by=worker)
        found[name] = kid
    return found


@pytest.fixture
def service_manager(team, social_worker):
    manager = Staff.objects.create_user("sm", password="x", role=Role.SERVICE_MANAGER,
                                        team=team, first_name="Sian", last_name="Head")
    team.service.manager = manager
    team.service.save()
    return manager


def test_a_service_manager_chooses_their_teams_or_the_whole_authority(
        child, team_manager, service_manager, elsewhere):
    services.pre_proceedings_start(child=child, started_on=weeks_ago(2), by=team_manager)
    c = client_for(service_manager)
    mine = c.get(reverse("legal_tracker")).content.decode()
    assert "Ada Brook" in mine and "Bea Farr" not in mine
    assert "The whole authority" in mine
    everyone = c.get(reverse("legal_tracker") + "?scope=authority").content.decode()
    assert "Ada Brook" in everyone and "Bea Farr" in everyone
    assert "Cal Farr" not in everyone  # restricted records stay absent
    # A child outside their line is listed but not linked (opening is still the policy's).
    assert reverse("legal_record", args=[elsewhere["Bea"].pk]) not in everyone
    assert "Outside your teams" in everyone
    # A team manager is offered no wider view, and asking for one changes nothing.
    tm_page = client_for(team_manager).get(reverse("legal_tracker") + "?scope=authority")
    assert "Bea Farr" not in tm_page.content.decode()
    assert "The whole authority" not in tm_page.content.decode()


def test_the_whole_authority_stays_chosen_from_page_to_page(
        monkeypatch, child, team_manager, service_manager, elsewhere):
    monkeypatch.setattr(selectors, "TRACKER_PAGE", 1)
    services.pre_proceedings_start(child=child, started_on=weeks_ago(2), by=team_manager)
    c = client_for(service_manager)
    first = c.get(reverse("legal_tracker") + "?scope=authority").content.decode()
    assert "2 children: showing 1 to 1" in first  # Bea and Ada; Cal's record is restricted
    assert 'href="?scope=authority&amp;page=2" rel="next"' in first
    assert '<input type="hidden" name="scope" value="authority">' in first
    second = c.get(reverse("legal_tracker"), {"scope": "authority", "page": 2})
    assert [r.child.given_name for r in second.context["rows"]] == ["Ada"]


# Extensions ----------------------------------------------------------------------------------


def test_the_original_target_shows_beside_the_extended_date(child, social_worker, team_manager,
                                                            proceedings):
    services.proceedings_extension_grant(proceedings=proceedings, granted_on=weeks_ago(5),
                                         weeks=8, reason="Expert report delayed",
                                         by=social_worker)
    services.proceedings_extension_grant(proceedings=proceedings, granted_on=weeks_ago(1),
                                         weeks=2, reason="Judge unavailable", by=social_worker)
    original = proceedings.issued_on + timedelta(weeks=26)
    extended = proceedings.issued_on + timedelta(weeks=36)
    page = client_for(social_worker).get(reverse("legal_record", args=[child.pk])).content.decode()
    assert (f"{original:%-d %B %Y} (26 weeks from issue); extended to {extended:%-d %B %Y}"
            in page)
    assert f"8 weeks, granted {weeks_ago(5):%-d %b %Y}: Expert report delayed" in page
    assert f"2 weeks, granted {weeks_ago(1):%-d %b %Y}: Judge unavailable" in page
    tracker = client_for(team_manager).get(reverse("legal_tracker")).content.decode()
    assert f"Original target {original:%-d %b %Y}; extended 8 weeks (Expert report delayed), " \
           "2 weeks (Judge unavailable)" in tracker


# Directions ----------------------------------------------------------------------------------


def test_a_direction_met_after_its_due_date_shows_met_late(child, social_worker, hearing):
    item = services.court_direction_record(hearing=hearing, direction="File parenting report",
                                           due_on=weeks_ago(3), by=social_worker)
    services.court_direction_comply(item=item, complied_on=weeks_ago(3) + timedelta(days=4),
                                    by=social_worker)
    on_time = services.court_direction_record(hearing=hearing, direction="Serve statement",
                                              due_on=weeks_ago(3), by=social_worker)
    services.court_direction_comply(item=on_time, complied_on=weeks_ago(3), by=social_worker)
    page = client_for(social_worker).get(reverse("legal_record", args=[child.pk])).content.decode()
    assert "Met late by 4 days" in page
    assert page.count("Met late by") == 1


def test_directions_due_are_on_the_responsible_workers_list(child, social_worker, hearing,
                                                            team_manager):
    # The page offers the child's allocated worker first.
    form = client_for(social_worker).get(reverse("direction_add", args=[child.pk, hearing.pk]))
    assert form.context["form"]["owner"].initial == social_worker
    response = client_for(social_worker).post(
        reverse("direction_add", args=[child.pk, hearing.pk]),
        form_data(direction="Send the parenting assessment to all parties",
                  owner=social_worker.pk, responsible="", due_on=weeks_ago(1)))
    assert response.status_code == 302
    home = client_for(social_worker).get(reverse("home")).content.decode()
    assert "Court directions you are responsible for (1)" in home
    assert "Send the parenting assessment to all parties" in home
    assert "govuk-tag--red\">Overdue" in home
    # Someone else's list does not carry it.
    assert "Send the parenting" not in client_for(team_manager).get(
        reverse("home")).content.decode()
    item = child.court_directions.get()
    services.court_direction_comply(item=item, complied_on=TODAY, by=social_worker)
    assert "Court directions you are responsible for" not in client_for(social_worker).get(
        reverse("home")).content.decode()


def test_managers_see_the_share_of_directions_met_on_time(
        child, social_worker, team_manager, hearing):
    def direction(what, due):
        return services.court_direction_record(hearing=hearing, direction=what, due_on=due,
                                               by=social_worker, owner=social_worker)

    services.court_direction_comply(item=direction("On time", weeks_ago(4)),
                                    complied_on=weeks_ago(5), by=social_worker)
    services.court_direction_comply(item=direction("Late", weeks_ago(4)),
                                    complied_on=weeks_ago(4) + timedelta(days=2),
                                    by=social_worker)
    services.court_direction_not_met(item=direction("Never", weeks_ago(3)), by=social_worker)
    direction("Outstanding", TODAY - timedelta(days=5))
    direction("Due today", TODAY)  # not yet late: not in the figure
    page = client_for(team_manager).get(reverse("direction_compliance")).content.decode()
    assert "<strong>25%</strong> met on time: 1 of 4" in page
    for shown in ("On time", "Met late by 2 days", "Not met", "Overdue by 5 days"):
        assert shown in page
    assert "Due today" not in page
    assert "Court directions met on time" in client_for(team_manager).get(
        reverse("legal_tracker")).content.decode()
    # A worker has no such page.
    assert client_for(social_worker).get(reverse("direction_compliance")).status_code in (403,
                                                                                          404)


# What a final order closes ---------------------------------------------------------------------


def test_a_final_care_order_closes_pre_proceedings_and_asks_about_the_cp_plan(
        child, social_worker, team_manager):
    plo = services.pre_proceedings_start(child=child, started_on=weeks_ago(40), by=team_manager)
    plan = ChildProtectionPlan.objects.create(child=child, started_on=weeks_ago(45),
                                              initial_category_of_abuse="NEG",
                                              recorded_by=social_worker)
    item = services.care_proceedings_issue(child=child, issued_on=weeks_ago(26),
                                           court="Family Court at Leeds", application="care",
                                           pre_proceedings=plo, by=social_worker)
    response = client_for(social_worker).post(
        reverse("proceedings_conclude", args=[child.pk, item.pk]),
        form_data(version=item.version, concluded_on=TODAY - timedelta(days=1),
                  final_order=OrderKind.CARE))
    assert response.status_code == 302
    plo.refresh_from_db()
    assert plo.ended_on == item.issued_on
    assert plo.outcome == PreProceedings.Outcome.PROCEEDINGS
    page = client_for(social_worker).get(reverse("legal_record", args=[child.pk])).content.decode()
    assert (f"The child protection plan from {plan.started_on:%-d %B %Y} is still open, but Ada "
            f"is in care under a care order" in page)
    assert reverse("cp_plan_end", args=[child.pk, plan.pk]) in page


def test_a_supervision_order_asks_nothing_about_the_cp_plan(child, social_worker):
    ChildProtectionPlan.objects.create(child=child, started_on=weeks_ago(45),
                                       initial_category_of_abuse="NEG",
                                       recorded_by=social_worker)
    item = services.care_proceedings_issue(child=child, issued_on=weeks_ago(26),
                                           court="Family Court at Leeds", application="care",
                                           by=social_worker)
    services.care_proceedings_conclude(proceedings=item, concluded_on=TODAY,
                                       final_order=OrderKind.SUPERVISION, by=social_worker)
    page = client_for(social_worker).get(reverse("legal_record", args=[child.pk])).content.decode()
    assert "Should the plan end?" not in page


# Wording (issue 12, found by trying the demo) -----------------------------------------------


def test_the_tracker_words_the_review_rule_whole(child, team_manager):
    page = client_for(team_manager).get(reverse("legal_tracker")).content.decode()
    assert ("Pre-proceedings are reviewed within 6 weeks of the start, then every 4 weeks."
            in page)


def test_an_analyst_sees_directions_across_the_authority_not_in_their_teams(
        performance_analyst):
    for url in (reverse("direction_compliance"), reverse("legal_tracker")):
        page = client_for(performance_analyst).get(url).content.decode()
        assert "across the authority" in page
        assert "in your teams" not in page


def test_a_direction_met_on_a_future_date_has_one_error(child, social_worker, hearing):
    item = services.court_direction_record(hearing=hearing, direction="Statement",
                                           due_on=weeks_ago(1), by=social_worker,
                                           owner=social_worker)
    response = client_for(social_worker).post(
        reverse("direction_comply", args=[child.pk, item.pk]),
        form_data(met="yes", complied_on=TODAY + timedelta(days=3), version=item.version,
                  started=timezone.now().isoformat()))
    page = response.content.decode()
    assert response.status_code == 200
    assert "must be today or in the past" in page
    assert "Enter the date the direction was met" not in page
