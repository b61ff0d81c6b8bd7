"""The returns page: produce each return, validate it, see failures by rule and child."""

import io
import subprocess
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

import support
from cairn.access import policy
from cairn.access.models import AccessGrant
from cairn.care.models import CLAReview, LookedAfterEpisode
from cairn.core.models import AuditEvent
from cairn.returns import cin
from cairn.returns.models import ReturnJob, ValidationFailure, ValidationRun
from cairn.returns.validators import NOT_SET_UP
from cairn.workforce.models import Role, Team

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def looked_after(social_worker):
    child = support.make_child("Jo", "Bell", la_child_id="1001", birth_date=date(2016, 2, 14),
                               sex="F", ethnicity="WBRI", upn="D318200116001")
    support.allocate(child, social_worker, started_on=date(2024, 2, 1))
    LookedAfterEpisode.objects.create(
        child=child, started_on=date(2024, 2, 1), reason_new_episode="S", legal_status="C2",
        category_of_need="N1", placement_type="U4", placement_provider="PR1",
        home_postcode="TW1 1AA", placement_postcode="TW1 1AF", urn="XXXXXXX",
        recorded_by=social_worker)
    return child


def test_only_an_analyst_sees_returns(performance_analyst, social_worker):
    analyst = support.client_for(performance_analyst)
    page = analyst.get(reverse("returns"))
    assert page.status_code == 200
    assert b'href="/returns/"' in page.content and b"runs in the background" in page.content
    worker = support.client_for(social_worker)
    assert worker.get(reverse("returns")).status_code == 403
    assert b'href="/returns/"' not in worker.get("/").content
    assert worker.post(reverse("returns_download"), {"kind": "cin", "year": 2026}
                       ).status_code == 403


def test_download_each_return(performance_analyst, looked_after):
    analyst = support.client_for(performance_analyst)

    def download(**data):
        page = support.ask_for_return(analyst, reverse("returns_download"), data)
        job = ReturnJob.objects.latest("id")
        assert job.status == ReturnJob.Status.DONE and job.step == ""
        url = reverse("returns_job_file", args=[job.pk])
        assert f'href="{url}" download>Download {job.file_name}</a>' in page.content.decode()
        return analyst.get(url)

    cin = download(kind="cin", year=2026)
    assert cin["Content-Disposition"] == 'attachment; filename="cin-2026.xml"'
    assert b"<ReferenceDate>2026-03-31</ReferenceDate>" in cin.content
    lac = download(kind="ssda903", year=2026)
    files = zipfile.ZipFile(io.BytesIO(lac.content))
    assert "manifest.json" in files.namelist()
    assert files.read("episodes.csv").decode().splitlines()[1] == (
        "1001,01/02/2024,S,C2,N1,U4,PR1,,,,TW1 1AA,TW1 1AF,XXXXXXX")
    annex = download(kind="annex-a", year=2026, as_of_0="31", as_of_1="3", as_of_2="2026")
    assert annex["Content-Disposition"] == 'attachment; filename="annex-a-2026-03-31.xlsx"'
    assert annex.content[:2] == b"PK"
    assert AuditEvent.objects.filter(kind="exported", actor=performance_analyst).count() == 3


def test_a_return_is_built_off_the_request_and_its_page_says_how_far_it_has_got(
        performance_analyst, looked_after):
    analyst = support.client_for(performance_analyst)
    asked = analyst.post(reverse("returns_download"), {"kind": "cin", "year": 2026})
    job = ReturnJob.objects.get()
    assert asked["Location"] == reverse("returns_job", args=[job.pk])
    # Nothing is built inside the request: the job waits for the background worker.
    waiting = analyst.get(asked["Location"]).content.decode()
    assert "Waiting to start" in waiting and "Waiting for the background worker" in waiting
    assert "you can leave this page and come back to it" in waiting
    assert "returns/job.js" in waiting  # the page asks again while it runs
    status = analyst.get(reverse("returns_job_status", args=[job.pk])).json()
    assert status == {"status": "queued", "step": "Waiting for the background worker",
                      "finished": False}
    # The file is not there to download until it is built.
    assert analyst.get(reverse("returns_job_file", args=[job.pk])).status_code == 404
    # The Returns page lists the request, so a reload or another day finds it.
    listed = analyst.get(reverse("returns")).content.decode()
    assert 'id="your-requests"' in listed and reverse("returns_job", args=[job.pk]) in listed
    assert 'id="stuck"' not in waiting
    # Queued for long, the page says the background worker may not be running.
    ReturnJob.objects.filter(pk=job.pk).update(
        requested_at=timezone.now() - timedelta(minutes=3))
    assert "the background worker may not be running" in analyst.get(asked["Location"]
                                                                      ).content.decode()
    assert support.run_background_tasks() == 1
    status = analyst.get(reverse("returns_job_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["finished"]
    done = analyst.get(asked["Location"]).content.decode()
    assert "returns/job.js" not in done
    # Done, the heading names the return rather than saying it is still being built.
    assert "<h1" in waiting and "Building the " in waiting.split("<h1")[1].split("</h1>")[0]
    heading = done.split("<h1")[1].split("</h1>")[0]
    assert f">The {job.get_kind_display()} 2026" in heading and "Building" not in heading
    # Another analyst's request is theirs: it is not in this analyst's list.
    assert AuditEvent.objects.filter(action="returns.file.requested",
                                     actor=performance_analyst).count() == 1


def test_a_job_that_fails_says_so_plainly(performance_analyst, looked_after, monkeypatch):
    analyst = support.client_for(performance_analyst)

    def broken(year):
        raise ValueError("/srv/cairn/secret/path exploded")

    monkeypatch.setattr(cin, "build", broken)
    page = support.ask_for_return(analyst, reverse("returns_download"),
                                  {"kind": "cin", "year": 2026}).content.decode()
    assert "This could not finish" in page and "Cairn could not finish this" in page
    assert "/srv/cairn" not in page and "exploded" not in page
    assert ReturnJob.objects.get().status == ReturnJob.Status.FAILED


def test_a_bad_date_is_shown_as_an_error(performance_analyst):
    analyst = support.client_for(performance_analyst)
    page = analyst.post(reverse("returns_download"), {
        "kind": "annex-a", "year": 2026, "as_of_0": "31", "as_of_1": "2", "as_of_2": "2026"})
    assert page.status_code == 400
    assert b"Date the Annex A lists run to must be a real date" in page.content


def test_validate_lists_failures_by_rule_linked_to_the_child(
        performance_analyst, social_worker, looked_after, validators_venv):
    CLAReview.objects.create(child=looked_after, held_on=date(2026, 1, 10), participation="PN0",
                             recorded_by=social_worker)
    analyst = support.client_for(performance_analyst)
    done = support.ask_for_return(analyst, reverse("returns_validate"),
                                  {"kind": "ssda903", "year": 2026})
    run = ValidationRun.objects.get()
    # The job's page, once the check is done, is its results.
    assert done.redirect_chain[-1] == (reverse("returns_run", args=[run.pk]), 302)
    assert ReturnJob.objects.get().run == run
    page = done.content.decode()
    assert 'id="rule-440"' in page
    assert f'href="{looked_after.get_absolute_url()}">Jo Bell</a> (1001)' in page
    # The child's record shows it to the worker.
    summary = support.client_for(social_worker).get(looked_after.get_absolute_url())
    assert b"Statutory return problems" in summary.content
    assert b"rule 440" in summary.content


def test_failures_about_restricted_children_name_no_one_but_to_those_named(
        performance_analyst, looked_after, teams):
    looked_after.restricted = True
    looked_after.save()
    run = ValidationRun.objects.create(kind="ssda903", year=2026)
    ValidationFailure.objects.create(run=run, child=looked_after, la_child_id="1001",
                                     rule="440", message="Review code", table="Reviews", row=0)
    url = reverse("returns_run", args=[run.pk])
    page = support.client_for(performance_analyst).get(url).content.decode()
    assert "Jo Bell" not in page and "1001" not in page
    assert looked_after.get_absolute_url() not in page
    # Listed, so that the list agrees with the count, as a restricted record.
    assert 'id="rule-440"' in page and "A restricted record" in page
    assert "on 1 row of the return" in page and "1 of these is about a restricted record" in page
    # An analyst named on the record sees the child.
    named = support.make_staff("nia_analyst", Role.PERFORMANCE_ANALYST,
                               teams[Team.Kind.PERFORMANCE])
    AccessGrant.objects.create(child=looked_after, staff=named, reason="Named analyst")
    page = support.client_for(named).get(url).content.decode()
    assert f'href="{looked_after.get_absolute_url()}">Jo Bell</a> (1001)' in page
    assert "A restricted record" not in page


def test_a_return_includes_restricted_children_and_the_page_says_so(performance_analyst,
                                                                   looked_after):
    looked_after.restricted = True
    looked_after.save()
    analyst = support.client_for(performance_analyst)
    page = analyst.get(reverse("returns")).content.decode()
    assert ("Statutory returns include children whose records are restricted, because the "
            "Department for Education requires every child to be counted. Their details are "
            "not shown on this page, and only performance analysts can check or download a "
            "return.") in page
    support.ask_for_return(analyst, reverse("returns_download"),
                           {"kind": "ssda903", "year": 2026})
    lac = analyst.get(reverse("returns_job_file", args=[ReturnJob.objects.get().pk]))
    files = zipfile.ZipFile(io.BytesIO(lac.content))
    assert files.read("header.csv").decode().splitlines()[1].startswith("1001,")
    assert files.read("episodes.csv").decode().splitlines()[1].startswith("1001,01/02/2024")


def test_only_performance_analysts_may_produce_or_download_returns(looked_after, teams):
    assert [role for role, actions in policy.ROLE_ACTIONS.items()
            if policy.RETURNS in actions] == [Role.PERFORMANCE_ANALYST]
    for role in Role.values:
        staff = support.make_staff(f"user_{role}", role, teams[Team.Kind.PERFORMANCE])
        client = support.client_for(staff)
        download = client.post(reverse("returns_download"), {"kind": "cin", "year": 2026})
        validate = client.post(reverse("returns_validate"), {"kind": "cin", "year": 2026})
        page = client.get(reverse("returns"))
        allowed = role == Role.PERFORMANCE_ANALYST
        assert download.status_code == (302 if allowed else 403), role
        assert page.status_code == (200 if allowed else 403), role
        if not allowed:
            assert validate.status_code == 403, role
    # The analyst's file and check: no one else could ask for a return.
    assert list(ReturnJob.objects.values_list("requested_by__role", flat=True)) == [
        Role.PERFORMANCE_ANALYST] * 2


def test_without_the_validators_the_page_says_so_plainly(performance_analyst, looked_after,
                                                         tmp_path, monkeypatch):
    nowhere = tmp_path / "no-validators" / "bin" / "python"
    monkeypatch.setenv("CAIRN_VALIDATORS_PYTHON", str(nowhere))
    analyst = support.client_for(performance_analyst)
    page = analyst.get(reverse("returns")).content.decode()
    assert NOT_SET_UP in page
    assert "Check the return</button>" not in page and "Download the file" in page
    done = analyst.post(reverse("returns_validate"), {"kind": "ssda903", "year": 2026})
    text = done.content.decode()
    assert done.status_code == 503 and "The validation could not run" in text
    assert NOT_SET_UP in text
    for leak in (str(tmp_path), "no-validators", "make ", ".venv", "CAIRN_VALIDATORS"):
        assert leak not in page and leak not in text
    assert not ValidationRun.objects.exists() and not ReturnJob.objects.exists()


def test_with_the_validators_the_page_offers_to_check(performance_analyst, validators_venv,
                                                      monkeypatch):
    monkeypatch.setenv("CAIRN_VALIDATORS_PYTHON", str(validators_venv))
    page = support.client_for(performance_analyst).get(reverse("returns")).content.decode()
    assert "Check the return</button>" in page and NOT_SET_UP not in page


def test_make_demo_builds_the_validators_first():
    # A dry run: make prints what `make demo` would do, running nothing but the sub-make's
    # own dry run.
    done = subprocess.run(["make", "-n", "demo"], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    commands = done.stdout
    assert commands.index("validators-venv") < commands.index("cairn demo")
