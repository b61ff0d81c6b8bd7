"""Every refused request leaves a trace: a request for a row tied to a child that the user may
not see answers 404, as a missing one does, and writes an AuditEvent DENIED naming the child.

The outside tester found 344 refused requests on the front door's contacts, early help
episodes, plans and step decisions that left none."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cairn.casework.actions import SOURCES
from cairn.core import facts, names
from cairn.core.models import Action, AuditEvent
from cairn.frontdoor import services as frontdoor
from cairn.frontdoor.models import ConsentStatus, ContactSource
from cairn.protection.models import CategoryOfAbuse, ChildProtectionPlan
from cairn.workforce.models import Role
from support import allocate, client_for, make_child, make_staff

pytestmark = pytest.mark.django_db

# Object URLs not tied to a child: a team is the workforce's, a validation run and a return
# asked for (its job) the returns', a performance report (its figures, commentary, PDF) the
# authority's.
NOT_A_CHILD = {"team", "returns_run", "returns_job", "returns_job_status", "returns_job_file",
               "report", "report_sign_off", "report_commentary", "report_pdf",
               "indicator", "indicator_children", "indicator_children_csv"}


def _denied(**filters) -> int:
    return AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED, **filters).count()


@pytest.fixture
def front_door_rows(child, social_worker):
    """A contact, an early help episode, its plan and a step decision about `child`."""
    now = timezone.now()
    contact = frontdoor.contact_record(
        child=child, received_at=now - timedelta(hours=2), source=ContactSource.SCHOOLS,
        concerns="Bruising seen at school", consent=ConsentStatus.GIVEN, by=social_worker)
    episode = frontdoor.early_help_start(child=child, started_on=date(2026, 1, 5),
                                         organisation="Family Hub North", by=social_worker)
    plan = frontdoor.early_help_plan_record(
        episode=episode, started_on=timezone.localdate() - timedelta(days=5), by=social_worker,
        needs=[{"need": "Missing school", "outcome": "At school every day",
                "actions": "School rings home by 10am", "owner_name": "Ms Reed",
                "due_on": timezone.localdate() + timedelta(days=28)}])
    step = frontdoor.step_decision_request(
        child=child, direction="up", by=social_worker, requested_at=now - timedelta(hours=1),
        rationale="Attendance has fallen despite the plan", early_help_episode=episode)
    return {
        "frontdoor:contact_decide": contact.pk, "frontdoor:contact_people": contact.pk,
        "frontdoor:early_help_assessment_new": episode.pk,
        "frontdoor:early_help_plan_new": episode.pk,
        "frontdoor:early_help_need_new": plan.pk, "frontdoor:early_help_review_new": plan.pk,
        "frontdoor:step_decide": step.pk,
    }


def test_each_front_door_row_refused_to_a_stranger_is_logged_against_the_child(
        child, stranger, front_door_rows):
    client = client_for(stranger)
    for name, pk in front_door_rows.items():
        url = reverse(name, args=[pk])
        before = _denied(actor=stranger, child_id=child.pk, page=url)
        for method in (client.get, client.post):
            assert method(url).status_code == 404, (name, method)
        assert _denied(actor=stranger, child_id=child.pk, page=url) == before + 2, name


def test_a_worker_who_may_read_but_not_decide_a_step_is_refused_and_logged(
        child, social_worker, front_door_rows):
    url = reverse("frontdoor:step_decide", args=[front_door_rows["frontdoor:step_decide"]])
    client = client_for(social_worker)
    assert client.get(url).status_code == 200
    assert client.post(url, {"outcome": "authorise", "reason": "Fine"}).status_code == 404
    assert _denied(actor=social_worker, child_id=child.pk, page=url) == 1


def test_another_childs_row_asked_for_through_a_record_you_may_open_is_logged(
        child, social_worker, team):
    other = make_child("Kai", "Other")
    allocate(other, make_staff("olly_other", Role.SOCIAL_WORKER, team))
    plan = ChildProtectionPlan.objects.create(
        child=other, started_on=date(2026, 9, 7), initial_category_of_abuse=CategoryOfAbuse.NEGLECT)
    action = Action.objects.create(
        child=other, source_type=ContentType.objects.get_for_model(plan), source_id=plan.pk,
        what="Visit weekly", owner=social_worker, due_on=timezone.localdate())
    client = client_for(social_worker)
    for url in (reverse("cp_plan", args=[child.pk, plan.pk]),
                reverse("action_done", args=[child.pk, action.pk]),
                reverse("entry_remove", args=[child.pk, names.CP_PLAN_STARTED, plan.pk])):
        assert client.get(url).status_code == 404, url
        # The refusal names the child whose row was asked for, not the one in the address.
        assert _denied(actor=social_worker, child_id=other.pk, page=url) == 1, url


def _patterns(resolver, prefix="", namespace=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, prefix + str(p.pattern),
                                 f"{p.namespace}:" if p.namespace else namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield namespace + p.name, p


def test_every_address_naming_a_childs_row_logs_a_refusal(child, stranger):
    """Walk every URL pattern with an id in it (other than admin's) as a stranger: each answers
    404 and leaves an AuditEvent DENIED. A new page that forgets to log fails here."""
    fact = next(name for name, f in facts.REGISTRY.items() if f.chronology)
    strings = {"fact_name": fact, "source": next(iter(SOURCES))}
    client = client_for(stranger)
    walked = 0
    for name, pattern in _patterns(get_resolver()):
        converters = pattern.pattern.converters
        if not converters or name in NOT_A_CHILD or name.startswith("admin:"):
            continue
        kwargs = {key: (child.pk if key == "child_id" else 999_999) if key not in strings
                  else strings[key] for key in converters}
        url = reverse(name, kwargs=kwargs)
        before = _denied(actor=stranger)
        assert client.get(url).status_code in (403, 404), url
        assert _denied(actor=stranger) == before + 1, f"{name}: refusal not logged"
        walked += 1
    assert walked > 60
