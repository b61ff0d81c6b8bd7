"""Pre-proceedings and court pages and the legal tracker: happy paths, errors, access and the
edit conflict."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.core import services as core_services
from cairn.core.models import AuditEvent
from cairn.legal import selectors, services
from cairn.legal.models import (
    CareProceedings,
    CourtDirection,
    Hearing,
    OrderKind,
    PreProceedings,
    PreProceedingsMeeting,
    PreProceedingsReview,
    ProceedingsExtension,
)
from support import form_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def client(staff) -> Client:
    c = Client()
    c.force_login(staff)
    return c


def errors(response) -> str:
    return " ".join(str(e) for field in response.context["form"].errors.values()
                    for e in field)


@pytest.fixture
def tm(team_manager):
    return client(team_manager)


@pytest.fixture
def sw(social_worker):
    return client(social_worker)


@pytest.fixture
def plo(child, team_manager):
    return services.pre_proceedings_start(child=child, started_on=TODAY - timedelta(weeks=18),
                                          by=team_manager)


@pytest.fixture
def proceedings(child, social_worker, plo):
    return services.care_proceedings_issue(
        child=child, issued_on=TODAY - timedelta(weeks=10), court="Family Court at Leeds",
        application=CareProceedings.Application.CARE_ORDER, pre_proceedings=plo,
        by=social_worker)


def test_manager_starts_pre_proceedings_and_records_the_letter(tm, child):
    started = TODAY - timedelta(days=10)
    response = tm.post(reverse("pre_proceedings_start", args=[child.pk]),
                       form_data(started_on=started))
    assert response.status_code == 302
    plo = PreProceedings.objects.get()
    url = reverse("plo_letter", args=[child.pk, plo.pk])
    response = tm.post(url, form_data(version=plo.version,
                                      letter_before_proceedings_on=started - timedelta(days=1)))
    assert "cannot be sent before pre-proceedings started" in errors(response)
    response = tm.post(url, form_data(version=plo.version,
                                      letter_before_proceedings_on=started))
    assert response.status_code == 302
    plo.refresh_from_db()
    assert plo.letter_before_proceedings_on == started
    assert AuditEvent.objects.filter(action="pre_proceedings.letter_sent").exists()


def test_letter_conflict_keeps_the_input(tm, child, plo, second_manager):
    url = reverse("plo_letter", args=[child.pk, plo.pk])
    opened_at = plo.version
    core_services.update(obj=plo, by=second_manager, expected_version=opened_at,
                         changes={"started_on": plo.started_on})
    response = tm.post(url, form_data(version=opened_at, letter_before_proceedings_on=TODAY))
    assert "changed this pre-proceedings while you were editing it" in errors(response)
    assert response.context["form"]["letter_before_proceedings_on"].value()[0] == str(TODAY.day)
    plo.refresh_from_db()
    assert plo.letter_before_proceedings_on is None


def test_meeting_review_and_end(tm, child, plo):
    response = tm.post(reverse("plo_meeting_add", args=[child.pk, plo.pk]),
                       form_data(held_on=plo.started_on - timedelta(days=1)))
    assert "cannot be before pre-proceedings started" in errors(response)
    tm.post(reverse("plo_meeting_add", args=[child.pk, plo.pk]),
            form_data(held_on=plo.started_on, agreement="Parenting course"))
    assert PreProceedingsMeeting.objects.count() == 1
    url = reverse("plo_review_add", args=[child.pk, plo.pk])
    response = tm.post(url, form_data(held_on=TODAY))
    assert "Enter the progress made" in errors(response)
    assert "Select the decision" in errors(response)
    assert "Enter who attended the review" in errors(response)
    response = tm.post(url, form_data(held_on=TODAY, progress="Some", decision="continue",
                                      attendees="Mother, her solicitor, Sam Worker"))
    assert response.status_code == 302
    review = PreProceedingsReview.objects.get()
    assert (review.decision, review.attendees) == ("continue",
                                                   "Mother, her solicitor, Sam Worker")
    response = tm.post(reverse("plo_end", args=[child.pk, plo.pk]),
                       form_data(version=plo.version, ended_on=TODAY, outcome="diverted"))
    assert response.status_code == 302
    plo.refresh_from_db()
    assert plo.ended_on == TODAY


def test_record_page_flags_pre_proceedings_past_16_weeks(tm, child, plo):
    page = tm.get(reverse("legal_record", args=[child.pk]))
    assert "Past 16 weeks" in page.content.decode()


def test_issue_prefilled_from_pre_proceedings(sw, child, plo):
    url = reverse("proceedings_issue", args=[child.pk])
    assert sw.get(url).context["form"]["from_pre_proceedings"].value() == "yes"
    response = sw.post(url, form_data(issued_on=plo.started_on - timedelta(days=1),
                                      court="Leeds", application="care",
                                      from_pre_proceedings="yes"))
    assert "before pre-proceedings started" in errors(response)
    response = sw.post(url, form_data(issued_on=TODAY, court="Leeds", application="care",
                                      from_pre_proceedings="yes"))
    assert response.status_code == 302
    assert CareProceedings.objects.get().pre_proceedings == plo


def test_hearing_with_a_direction_then_compliance(sw, child, proceedings):
    url = reverse("hearing_add", args=[child.pk, proceedings.pk])
    response = sw.post(url, form_data(held_on=proceedings.issued_on, kind="CMH",
                                      direction="File a parenting assessment"))
    assert "Enter the date the direction is due" in errors(response)
    response = sw.post(url, form_data(held_on=proceedings.issued_on - timedelta(days=1),
                                      kind="CMH"))
    assert "cannot be before the proceedings were issued" in errors(response)
    response = sw.post(url, form_data(held_on=proceedings.issued_on, kind="CMH",
                                      direction="File a parenting assessment",
                                      responsible="Local authority",
                                      due_on=TODAY - timedelta(days=2)))
    assert response.status_code == 302
    item = CourtDirection.objects.get()
    assert item.hearing == Hearing.objects.get()

    comply = reverse("direction_comply", args=[child.pk, item.pk])
    response = sw.post(comply, form_data(version=item.version, met="yes"))
    assert "Enter the date the direction was met" in errors(response)
    response = sw.post(comply, form_data(version=item.version, met="no"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.met is False


def test_extension_at_most_eight_weeks_moves_the_due_date(sw, child, proceedings):
    url = reverse("extension_add", args=[child.pk, proceedings.pk])
    response = sw.post(url, form_data(granted_on=TODAY, weeks="9", reason="Expert report"))
    assert "Select a valid choice" in errors(response) or "1 to 8 weeks" in errors(response)
    response = sw.post(url, form_data(granted_on=TODAY, weeks="8"))
    assert "Enter the court's reason" in errors(response)
    response = sw.post(url, form_data(granted_on=TODAY, weeks="8", reason="Expert report"))
    assert response.status_code == 302
    assert ProceedingsExtension.objects.get().weeks == 8
    due = selectors.proceedings_due(proceedings).due_on
    assert due == proceedings.issued_on + timedelta(weeks=34)


def test_conclude_with_final_order(sw, child, proceedings):
    url = reverse("proceedings_conclude", args=[child.pk, proceedings.pk])
    response = sw.post(url, form_data(version=proceedings.version, concluded_on=TODAY))
    assert "Select the final order" in errors(response)
    sw.post(url, form_data(version=proceedings.version, concluded_on=TODAY,
                           final_order=OrderKind.CARE))
    proceedings.refresh_from_db()
    assert proceedings.final_order == OrderKind.CARE


def test_tracker_shows_week_counts_hearings_and_flags(tm, child, plo, proceedings,
                                                      social_worker):
    hearing = services.hearing_record(proceedings=proceedings, held_on=TODAY + timedelta(days=7),
                                      kind="IRH", by=social_worker)
    past = services.hearing_record(proceedings=proceedings, held_on=proceedings.issued_on,
                                   kind="CMH", by=social_worker)
    services.court_direction_record(hearing=past, direction="Statement", due_on=TODAY
                                    - timedelta(days=1), by=social_worker)
    response = tm.get(reverse("legal_tracker"))
    assert response.status_code == 200
    rows = {row.stage: row for row in response.context["rows"]}
    assert rows["Care proceedings"].weeks == 10
    assert rows["Care proceedings"].next_hearing == hearing
    assert len(rows["Care proceedings"].overdue_directions) == 1
    assert rows["Pre-proceedings"].past_limit
    assert not rows["Care proceedings"].past_limit
    assert "Past 16 weeks" in response.content.decode()


def test_tracker_only_for_managers_and_only_their_line(sw, stranger, child, plo, other_team):
    assert sw.get(reverse("legal_tracker")).status_code == 403
    from cairn.workforce.models import Role, Staff
    elsewhere = Staff.objects.create_user("tm3", password="x", role=Role.TEAM_MANAGER,
                                          team=other_team)
    assert client(elsewhere).get(reverse("legal_tracker")).context["rows"] == []


@pytest.mark.parametrize("name", ["legal_record", "pre_proceedings_start", "proceedings_issue"])
def test_stranger_gets_404(stranger, child, name):
    assert client(stranger).get(reverse(name, args=[child.pk])).status_code == 404
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED).exists()


def test_stranger_writes_nothing(stranger, child, plo, proceedings):
    c = client(stranger)
    for url, data in [
            (reverse("pre_proceedings_start", args=[child.pk]), form_data(started_on=TODAY)),
            (reverse("plo_letter", args=[child.pk, plo.pk]),
             form_data(version=plo.version, letter_before_proceedings_on=TODAY)),
            (reverse("hearing_add", args=[child.pk, proceedings.pk]),
             form_data(held_on=TODAY, kind="CMH")),
            (reverse("extension_add", args=[child.pk, proceedings.pk]),
             form_data(granted_on=TODAY, weeks="4", reason="x"))]:
        assert c.post(url, data).status_code == 404
    plo.refresh_from_db()
    assert plo.letter_before_proceedings_on is None
    assert not Hearing.objects.exists() and not ProceedingsExtension.objects.exists()
