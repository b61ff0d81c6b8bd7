"""Helpers the test suite shares: making staff and children, signing in, checking accessibility.

Beside the conftest (which puts this folder on the path) so any app's tests can import them
by name: `import support`. They live outside the product: nothing in src/ imports them.
"""

from __future__ import annotations

import importlib
import itertools
import json
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect

from cairn.people.models import Child
from cairn.workforce.models import Allocation, Role, Staff, Team

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
PASSWORD = "correct-horse-battery"  # every test user's; the MD5 hasher keeps it cheap

_numbers = itertools.count(1)


def seed_rows() -> None:
    """Put back the rows the migrations seed, where a transactional test's flush (every
    browser test ends with one) emptied them: the default timescale rules (core/0004) and the
    indicators that need commentary (insight/0001). Every test that uses the database gets them
    (tests/conftest.py); a fixture that builds an authority for a whole module calls this first."""
    from cairn.core.models import TimescaleRule
    from cairn.core.rules import load_default_rules
    from cairn.insight.models import CommentaryRequired

    if not TimescaleRule.objects.exists():
        load_default_rules(TimescaleRule)
    if not CommentaryRequired.objects.exists():
        headline = importlib.import_module(
            "cairn.insight.migrations.0001_performance_reports").HEADLINE
        CommentaryRequired.objects.bulk_create(
            [CommentaryRequired(indicator=ind) for ind in headline])


def make_staff(username: str, role: str = Role.SOCIAL_WORKER, team: Team | None = None,
               **fields) -> Staff:
    """A member of staff with `role` in `team`, able to sign in with PASSWORD."""
    first, _, last = username.replace("_", " ").title().partition(" ")
    staff = Staff(username=username, role=role, team=team, first_name=first,
                  last_name=last or "Tester", email=f"{username}@cairn.test", **fields)
    staff.set_password(PASSWORD)
    staff.save()
    return staff


def make_child(given_name: str = "Alex", family_name: str | None = None, **fields) -> Child:
    """A child with a fresh LA child ID."""
    number = next(_numbers)
    fields.setdefault("birth_date", date(2015, 6, 1))
    return Child.objects.create(given_name=given_name, family_name=family_name or f"Test{number}",
                                la_child_id=fields.pop("la_child_id", f"T{number:06d}"), **fields)


def allocate(child: Child, worker: Staff, *, team: Team | None = None,
             started_on: date | None = None, ended_on: date | None = None,
             kind: str = Allocation.Kind.SOCIAL_WORKER) -> Allocation:
    """Allocate `worker` to `child` (in the worker's own team unless `team` is given)."""
    return Allocation.objects.create(
        child=child, worker=worker, team=team or worker.team, kind=kind,
        started_on=started_on or timezone.localdate() - timedelta(days=30), ended_on=ended_on)


def client_for(staff: Staff) -> Client:
    """A Django test client signed in as `staff`."""
    client = Client()
    client.force_login(staff)
    return client


def log_in_browser(page, live_server_url: str, staff: Staff) -> None:
    """Sign `page`'s browser context in as `staff` by handing it a session cookie.

    Signing in through the form is a test of its own; other browser tests start signed in.
    """
    client = client_for(staff)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value,
                               "url": live_server_url, "httpOnly": True, "sameSite": "Lax"}])


def accessibility_violations(page) -> list[dict]:
    """What axe-core finds wrong on the page as it stands (WCAG 2.2 AA and best practice)."""
    # After a click the next page may still be arriving: axe on half a page finds no <main>.
    page.wait_for_load_state()
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate("async () => (await axe.run(document)).violations")


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail, listing each rule and element, if axe-core finds any violation on `page`."""
    violations = accessibility_violations(page)
    assert not violations, (
        f"{page.url} has {len(violations)} accessibility violation(s):\n"
        + format_violations(violations))


def form_data(**values) -> dict:
    """POST data as the pages send it: dates as day, month and year boxes; None left out."""
    data = {}
    for name, value in values.items():
        if isinstance(value, date):
            data.update({f"{name}_0": value.day, f"{name}_1": value.month,
                         f"{name}_2": value.year})
        elif value is not None:
            data[name] = value
    return data


def run_background_tasks() -> int:
    """Run every queued background task as `cairn db_worker` does (django-tasks-db's own
    worker code), here in the test's process and transaction; return how many ran."""
    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id="test",
                    excluded_queue_names=[])
    ran = 0
    while (result := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran


def ask_for_return(client: Client, url: str, data: dict):
    """Ask for a return on the Returns page (`url` is its check or download), let the
    background worker do it, and open what the job's page then offers."""
    asked = client.post(url, data)
    assert asked.status_code == 302, asked.content.decode()[:500]
    assert run_background_tasks() == 1
    return client.get(asked["Location"], follow=True)


def finish_return_in_browser(page) -> None:
    """On a return job's page in the browser: let the background worker do the job, then wait
    for the page (which asks how far it has got) to show the result by itself."""
    page.locator("#job").wait_for()
    assert run_background_tasks() == 1
    expect(page.locator("#job[data-status=queued], #job[data-status=running]")).to_have_count(
        0, timeout=30_000)
