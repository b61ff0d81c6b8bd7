"""The suite's cast (one member of staff per role, their teams, a child) and its test settings.

Helpers live in `support.py` beside this file so app tests can import them; this file holds the
fixtures and the hooks.
"""

import os
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

import support
from cairn.workforce.models import Role, Service, Team

# live_server and Playwright's sync API share the thread with an event loop running; Django
# would otherwise refuse ORM calls from tests that use `page` (reference/recipes.md §2).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# The clock ------------------------------------------------------------------------------------
# Every test starts at one moment, ticking from there: the moment the run started, or the one
# CAIRN_TEST_CLOCK names: "06:05" (today, Europe/London) or an ISO datetime ("2026-12-24T23:50"),
# so a failure that depends on the hour or the day can be made again. A test that reads the date
# at import (TODAY = timezone.localdate()) agrees with the one it runs in, even when the run goes
# past midnight. CI runs each database at a clock of its own (.ci/run). Choose a date after
# 20 November 2026: some tests record fixed dates up to then, which must not be in the future.
CLOCK_VARIABLE = "CAIRN_TEST_CLOCK"
_session_travel = None


def suite_clock() -> datetime:
    """The moment CAIRN_TEST_CLOCK names, or now, in Cairn's time zone."""
    from django.conf import settings

    here = ZoneInfo(settings.TIME_ZONE)
    raw = os.environ.get(CLOCK_VARIABLE, "").strip()
    if not raw:
        return datetime.now(here)
    try:
        return datetime.combine(datetime.now(here).date(), time.fromisoformat(raw), tzinfo=here)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise pytest.UsageError(
            f'{CLOCK_VARIABLE}="{raw}" is neither a time ("06:05") nor an ISO datetime '
            '("2026-12-24T23:50")') from None
    return moment.astimezone(here) if moment.tzinfo else moment.replace(tzinfo=here)


def _start_clock(config) -> None:
    """Move the clock for the whole process, so the live_server thread sees it too."""
    global _session_travel
    moment = config.cairn_clock = suite_clock()
    # Pinned to a full datetime, so that xdist's workers (started after this, with this
    # environment) share the controller's moment, whatever the time when each starts.
    os.environ[CLOCK_VARIABLE] = moment.isoformat()
    # time-machine patches the C functions behind time.time() and datetime.now(), so every
    # thread of this process (Django's live_server among them) runs at the suite's clock.
    _session_travel = time_machine.travel(moment, tick=True)
    _session_travel.start()


def pytest_unconfigure(config):
    global _session_travel
    if _session_travel is not None:
        _session_travel.stop()
        _session_travel = None


def _clock_line(config) -> str:
    moment = config.cairn_clock
    return (f"clock: {moment:%A %-d %B %Y %H:%M %Z}; run at it again with "
            f"{CLOCK_VARIABLE}={moment.isoformat(timespec='minutes')}")


def pytest_report_header(config):
    return _clock_line(config)


@pytest.fixture(autouse=True)
def _suite_clock(request):
    """Each test starts at the suite's clock, ticking: one started at 23:50 does not run into
    tomorrow because the tests before it took ten minutes."""
    with time_machine.travel(request.config.cairn_clock, tick=True):
        yield


def pytest_configure(config):
    from django.conf import settings

    _start_clock(config)

    # pytest-playwright 0.10's base_url fixture trips a pytest 9 deprecation; not Cairn's code.
    config.addinivalue_line(
        "filterwarnings", "ignore:Session-scoped fixtures defined as instance methods")

    # The test client and live server speak plain http, as the demo does (CAIRN_PLAIN_HTTP);
    # the production transport settings are tested in a subprocess (tests/core/test_deploy.py).
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_HSTS_SECONDS = 0
    os.environ.setdefault("CAIRN_PLAIN_HTTP", "1")  # commands the tests run in a subprocess
    # Hashing a password the production way costs ~0.3 s; every fixture user has one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The manifest storage 500s without collectstatic, and live_server 404s hashed names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A live_server thread keeping its connection open stops PostgreSQL dropping the test database.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    # SQLite: a file, as the demo runs it (WAL, transactions begun IMMEDIATE, a busy timeout), so
    # that two connections writing at once wait their turn as they do in use; an in-memory
    # database's shared cache refuses the second at once ("database table is locked").
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(
            Path(tempfile.gettempdir()) / f"cairn-test-{os.getpid()}.sqlite3")
    # WhiteNoise warns once per server start if STATIC_ROOT is missing before collectstatic.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def _skips_forbidden() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("CAIRN_FORBID_SKIPS"))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    # Again at the end, where -q (make test) shows it, for a failure that depends on the clock.
    terminalreporter.write_line(_clock_line(config))
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped and _skips_forbidden():
        terminalreporter.write_line(
            f"FAILED: {len(skipped)} test(s) skipped; a skipped test proves nothing "
            "(CI or CAIRN_FORBID_SKIPS is set).", red=True, bold=True)


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or not _skips_forbidden():
        return  # an xdist worker reports to the controller, which decides
    if reporter.stats.get("skipped") and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium (Playwright's own download is not used)."""
    return {**browser_type_launch_args,
            "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")}


# A success banner or error summary takes focus as the page's scripts start, and focusing
# scrolls. A test can click a link in the instant between Playwright scrolling it into view and
# that focus scrolling the page back, and the click lands on nothing (a flake seen once in CI on
# a busy machine). Focus still moves, so what a keyboard or screen reader user meets is tested;
# only the scroll is left out, as no person clicks in that instant.
_FOCUS_WITHOUT_SCROLL = """
(() => {
  const focus = HTMLElement.prototype.focus;
  HTMLElement.prototype.focus = function (options) {
    return focus.call(this, Object.assign({ preventScroll: true }, options || {}));
  };
})();
"""


@pytest.fixture
def context(context):
    context.add_init_script(_FOCUS_WITHOUT_SCROLL)
    return context


@pytest.fixture(autouse=True)
def _default_timescale_rules(request):
    """Every test that uses the database sees the default timescale rules.

    Migration core/0004 loads them, but a transactional test (every browser test) ends with a
    flush that empties every table, so the tests after it would otherwise run without rules.
    """
    fixtures = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(fixtures & {"transactional_db", "live_server"}) or bool(
        marker and marker.kwargs.get("transaction"))
    if not (transactional or marker or "db" in fixtures):
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    support.seed_rows()


# The cast -------------------------------------------------------------------------------------

@pytest.fixture
def service(db):
    return Service.objects.create(name="Children's Social Care")


@pytest.fixture
def other_service(db):
    return Service.objects.create(name="Disabled Children's Service")


@pytest.fixture
def teams(service):
    """One team of each kind in `service`, keyed by kind ("assessment", "front_door", ...)."""
    return {kind: Team.objects.create(name=label, kind=kind, service=service)
            for kind, label in Team.Kind.choices}


@pytest.fixture
def team(teams):
    """The social worker's team."""
    return teams[Team.Kind.ASSESSMENT]


@pytest.fixture
def other_team(other_service):
    """A team in another service: the stranger's."""
    return Team.objects.create(name="Disabled Children East", kind=Team.Kind.DISABLED_CHILDREN,
                               service=other_service)


@pytest.fixture
def social_worker(team):
    return support.make_staff("sam_worker", Role.SOCIAL_WORKER, team)


@pytest.fixture
def team_manager(team):
    manager = support.make_staff("tess_manager", Role.TEAM_MANAGER, team)
    team.manager = manager
    team.save(update_fields=["manager"])
    return manager


@pytest.fixture
def service_manager(service, teams):
    manager = support.make_staff("sian_head", Role.SERVICE_MANAGER, None)
    service.manager = manager
    service.save(update_fields=["manager"])
    return manager


@pytest.fixture
def front_door_worker(teams):
    return support.make_staff("fran_door", Role.FRONT_DOOR, teams[Team.Kind.FRONT_DOOR])


@pytest.fixture
def early_help_worker(teams):
    return support.make_staff("eli_help", Role.EARLY_HELP, teams[Team.Kind.EARLY_HELP])


@pytest.fixture
def iro(teams):
    return support.make_staff("ira_reviewer", Role.IRO, teams[Team.Kind.REVIEWING])


@pytest.fixture
def personal_adviser(teams):
    return support.make_staff("pat_adviser", Role.PERSONAL_ADVISER, teams[Team.Kind.LEAVING_CARE])


@pytest.fixture
def fostering_worker(teams):
    return support.make_staff("fay_fostering", Role.FOSTERING, teams[Team.Kind.FOSTERING])


@pytest.fixture
def performance_analyst(teams):
    return support.make_staff("paula_analyst", Role.PERFORMANCE_ANALYST,
                              teams[Team.Kind.PERFORMANCE])


@pytest.fixture
def auditor(teams):
    return support.make_staff("aud_auditor", Role.AUDITOR, teams[Team.Kind.PERFORMANCE])


@pytest.fixture
def inspector(db):
    """An Ofsted inspector whose access ends with the inspection, a fortnight away."""
    return support.make_staff("ina_inspector", Role.INSPECTOR, None,
                              access_until=timezone.localdate() + timedelta(days=14))


@pytest.fixture
def administrator(db):
    return support.make_staff("adam_admin", Role.ADMINISTRATOR, None)


@pytest.fixture
def stranger(other_team):
    """A social worker in another team and service: gets 404 for the cast's child."""
    return support.make_staff("stan_stranger", Role.SOCIAL_WORKER, other_team)


@pytest.fixture
def child(social_worker):
    """A child allocated to `social_worker` in their team."""
    child = support.make_child("Alex", "Morgan")
    support.allocate(child, social_worker)
    return child


@pytest.fixture
def restricted_child(social_worker):
    """A restricted record (a staff member's relative), allocated to `social_worker`."""
    child = support.make_child("Robin", "Hale", restricted=True,
                               restriction_reason="Relative of a member of staff")
    support.allocate(child, social_worker)
    return child


# Signing in ----------------------------------------------------------------------------------

@pytest.fixture
def log_in():
    """`log_in(staff)` gives a Django test client signed in as `staff`."""
    return support.client_for


@pytest.fixture
def worker_client(social_worker):
    return support.client_for(social_worker)


@pytest.fixture
def browser_log_in(page, live_server):
    """`browser_log_in(staff)` signs the Playwright `page` in as `staff`; returns the page."""
    def log_in_as(staff):
        support.log_in_browser(page, live_server.url, staff)
        return page
    return log_in_as


@pytest.fixture
def logged_in_worker(browser_log_in, social_worker):
    """`page` signed in as `social_worker`; the fixture's value is the worker."""
    browser_log_in(social_worker)
    return social_worker


@pytest.fixture
def axe():
    """`axe(page)` fails the test if axe-core finds an accessibility violation."""
    return support.assert_accessible
