"""The pages of who may see a child's record: a senior manager restricts it, names and removes
people, lifts it and gives access for a time; everyone else gets the 404 a missing record
gives, and a restricted record leaves the searches of those not named."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cairn.access import policy
from cairn.access.models import AccessGrant, RestrictionDecision
from cairn.access.services import change_restriction, grant_access, restrict_record
from cairn.core.models import AuditEvent
from cairn.people.models import Child
from support import form_data, make_child, make_staff

pytestmark = pytest.mark.django_db

REASON = "A case in the news: the family is widely known"


@pytest.fixture
def colleague(team):
    """A social worker in the child's team, not allocated to the child."""
    return make_staff("cole_colleague", team=team)


def test_the_restrict_link_is_for_senior_managers_only(log_in, child, service_manager,
                                                       social_worker, team_manager):
    url = f"/children/{child.pk}/"
    assert "Restrict this record" in log_in(service_manager).get(url).content.decode()
    for staff in (social_worker, team_manager):
        page = log_in(staff).get(url).content.decode()
        assert "Restrict this record" not in page and "Who may see this record" not in page


@pytest.mark.parametrize("path", ["access/", "access/restrict/", "access/lift/", "access/add/"])
@pytest.mark.parametrize("role", ["social_worker", "team_manager", "performance_analyst",
                                  "administrator"])
def test_others_get_404_for_the_access_pages(request, log_in, child, role, path):
    client = log_in(request.getfixturevalue(role))
    assert client.get(f"/children/{child.pk}/{path}").status_code == 404
    assert client.post(f"/children/{child.pk}/{path}",
                       {"reason": "Mine now", "named_staff": []}).status_code == 404
    assert not Child.objects.get(pk=child.pk).restricted
    assert not AccessGrant.objects.exists()


def test_a_service_manager_restricts_a_record_naming_a_team_manager(
        log_in, child, service_manager, team_manager, colleague, social_worker):
    client = log_in(service_manager)
    page = client.get(f"/children/{child.pk}/access/restrict/").content.decode()
    # The people working with the child are offered by name and team.
    assert f"{team_manager} ({team_manager.team})" in page
    assert f"{colleague} ({colleague.team})" in page
    response = client.post(f"/children/{child.pk}/access/restrict/",
                           {"reason": REASON, "named_staff": [team_manager.pk]})
    assert response.status_code == 302
    assert response["Location"] == f"/children/{child.pk}/access/"
    child.refresh_from_db()
    assert child.restricted
    decision = RestrictionDecision.objects.get(child=child)
    assert decision.decided_by == service_manager and decision.reason == REASON
    who = client.get(response["Location"]).content.decode()
    assert "Restricted record" in who
    assert str(team_manager) in who and str(service_manager) in who and REASON in who
    # Named: the team manager sees it; the allocated worker sees it; a colleague does not.
    assert log_in(team_manager).get(f"/children/{child.pk}/").status_code == 200
    summary = log_in(social_worker).get(f"/children/{child.pk}/").content.decode()
    assert "Restricted record" in summary
    colleague_client = log_in(colleague)
    assert colleague_client.get(f"/children/{child.pk}/").status_code == 404
    assert colleague_client.get(f"/children/{child.pk}/chronology/").status_code == 404
    found = colleague_client.get("/search", {"q": child.family_name}).content.decode()
    assert child.la_child_id not in found and f"/children/{child.pk}/" not in found
    assert child.la_child_id in log_in(team_manager).get(
        "/search", {"q": child.family_name}).content.decode()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED, child_id=child.pk,
                                     actor=colleague).exists()


def test_a_restriction_without_a_reason_is_summarised(log_in, child, service_manager):
    response = log_in(service_manager).post(f"/children/{child.pk}/access/restrict/",
                                            {"reason": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter why this record is being restricted" in page
    assert not Child.objects.get(pk=child.pk).restricted


def test_naming_removing_and_lifting_from_the_who_may_see_page(log_in, child, service_manager,
                                                               colleague):
    restrict_record(child=child, reason=REASON, named_staff=[], by=service_manager)
    client = log_in(service_manager)
    base = f"/children/{child.pk}/access/"
    page = client.get(base).content.decode()
    assert "Name a person" in page and "Lift restriction" in page
    # Naming someone needs a person and a reason.
    missing = client.post(base + "add/", {"reason": ""}).content.decode()
    assert "Choose the person" in missing and "Enter why this person needs to see" in missing
    assert client.post(base + "add/", {"staff": colleague.pk,
                                       "reason": "Covering"}).status_code == 302
    assert log_in(colleague).get(f"/children/{child.pk}/").status_code == 200
    grant = AccessGrant.objects.get(child=child, staff=colleague, revoked_at__isnull=True)
    page = client.get(f"{base}{grant.pk}/end/").content.decode()
    assert "Remove a person from this record" in page and "Covering" in page
    assert client.post(f"{base}{grant.pk}/end/", {"reason": "Cover ended"}).status_code == 302
    assert log_in(colleague).get(f"/children/{child.pk}/").status_code == 404
    # Removing the last senior manager named is refused with the reason why.
    mine = AccessGrant.objects.get(child=child, staff=service_manager)
    refused = client.post(f"{base}{mine.pk}/end/", {"reason": "Leaving"}).content.decode()
    assert "must be a senior manager" in refused
    # Lifting needs a reason, then the record is open to its line again.
    assert "Enter why the restriction is being lifted" in client.post(
        base + "lift/", {"reason": ""}).content.decode()
    assert client.post(base + "lift/", {"reason": "Story over"}).status_code == 302
    assert not Child.objects.get(pk=child.pk).restricted
    assert log_in(colleague).get(f"/children/{child.pk}/").status_code == 200
    assert list(RestrictionDecision.objects.filter(child=child).order_by("pk")
                .values_list("kind", flat=True)) == ["restrict", "change", "change", "lift"]


def test_giving_an_inspector_access_for_a_time(log_in, child, service_manager, inspector):
    client = log_in(service_manager)
    base = f"/children/{child.pk}/access/"
    until = timezone.localdate() + timedelta(days=10)
    page = client.post(base + "add/", form_data(staff=inspector.pk,
                                                reason="Sampled")).content.decode()
    assert "Enter the date access ends" in page
    response = client.post(base + "add/", form_data(staff=inspector.pk, until=until,
                                                    reason="Sampled for the inspection"))
    assert response.status_code == 302
    assert log_in(inspector).get(f"/children/{child.pk}/").status_code == 200
    grant = AccessGrant.objects.get(child=child, staff=inspector)
    assert grant.until == until and grant.granted_by == service_manager
    assert "Sampled for the inspection" in client.get(base).content.decode()
    assert client.post(f"{base}{grant.pk}/end/", {"reason": "Done"}).status_code == 302
    assert log_in(inspector).get(f"/children/{child.pk}/").status_code == 404


def test_a_service_manager_not_named_gets_404(log_in, child, service_manager, service):
    other = make_staff("sol_head", role="service_manager")
    restrict_record(child=child, reason=REASON, named_staff=[], by=service_manager)
    service.manager = other
    service.save()
    client = log_in(other)
    for path in ("", "access/", "access/lift/"):
        assert client.get(f"/children/{child.pk}/{path}").status_code == 404


# The page, and the child's banner every child page carries (issue 12).
WHO_MAY_SEE = 29


def test_the_who_may_see_page_costs_the_same_with_more_people(log_in, child, service_manager,
                                                              team, inspector,
                                                              django_assert_num_queries):
    """Named staff, others given access, decisions and ended grants are each read in one
    query, however many there are."""
    client = log_in(service_manager)
    url = f"/children/{child.pk}/access/"
    grant_access(child=child, staff=inspector, until=timezone.localdate() + timedelta(days=3),
                 reason="Sampled", by=service_manager)
    restrict_record(child=child, reason=REASON, named_staff=[], by=service_manager)
    assert client.get(url).status_code == 200
    with django_assert_num_queries(WHO_MAY_SEE):
        client.get(url)
    people = [make_staff(f"named_{n}", team=team) for n in range(4)]
    change_restriction(child=child, reason="More cover", add=people, by=service_manager)
    change_restriction(child=child, reason="Cover ended", remove=people[:2], by=service_manager)
    with django_assert_num_queries(WHO_MAY_SEE):
        page = client.get(url).content.decode()
    assert str(people[3]) in page and "Cover ended" in page


@pytest.mark.parametrize("role", ["social_worker", "team_manager", "service_manager",
                                  "front_door_worker", "early_help_worker", "iro",
                                  "personal_adviser", "fostering_worker", "performance_analyst",
                                  "auditor", "inspector", "administrator"])
def test_only_the_senior_manager_role_may_restrict(request, role):
    assert policy.allows(request.getfixturevalue(role), policy.RESTRICT) is (
        role == "service_manager")


def test_a_child_no_one_works_with_is_restricted_naming_someone_else(log_in, service_manager,
                                                                     team_manager):
    """A record the manager was given access to, with no one allocated: no one to offer as
    working with the child, so the page asks only for someone else."""
    child = make_child("Kit", "Waiting")
    AccessGrant.objects.create(child=child, staff=service_manager, reason="Asked to review")
    client = log_in(service_manager)
    page = client.get(f"/children/{child.pk}/access/restrict/").content.decode()
    assert "Someone else (optional)" in page and "Who else may see" not in page
    response = client.post(f"/children/{child.pk}/access/restrict/",
                           {"reason": REASON, "other": team_manager.pk})
    assert response.status_code == 302
    named = AccessGrant.objects.filter(child=child, decision__isnull=False)
    assert set(named.values_list("staff_id", flat=True)) == {service_manager.pk,
                                                             team_manager.pk}
