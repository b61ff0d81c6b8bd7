"""A stage declares what it adds to a child's record (core.stages), and the record shows it with
no edit to core, people or casework: the proof that a new stage is one new app."""

from datetime import date

import pytest

from cairn.core import stages
from cairn.people.models import CaseNote

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_stage():
    """A stage registered for one test, as a new app's record.py would, then taken away."""
    saved = {name: dict(registry) for name, registry in
             (("OPEN_PERIODS", stages.OPEN_PERIODS), ("RECORD_LINKS", stages.RECORD_LINKS),
              ("SECTIONS", stages.SECTIONS), ("TABS", stages.TABS))}
    # Case notes stand in for the new stage's periods: any model with a `child` will do.
    stages.open_period("open_trial_periods", lambda: CaseNote.objects.current(),
                       lambda note: f"Trial period: {note.subject}", order=99,
                       label="trial period")
    stages.record_links("A new stage", "casework/_plans.html", order=99)
    stages.section("returns/child_failures.html", order=99,
                   context=lambda request, child: {"return_failures": [
                       {"run": None, "rule": "T1", "message": "from the new stage"}]})
    stages.tab("trial", "Trial stage", "child_case_notes", order=99)
    yield
    for name, registry in saved.items():
        getattr(stages, name).clear()
        getattr(stages, name).update(registry)


def test_a_registered_stage_shows_on_the_childs_record(new_stage, worker_client, child,
                                                       social_worker):
    CaseNote.objects.create(child=child, kind=CaseNote.Kind.VISIT, occurred_on=date(2026, 1, 5),
                            subject="Settled in", body="-", recorded_by=social_worker)
    page = worker_client.get(f"/children/{child.pk}/").content.decode()
    assert "Trial period: Settled in" in page  # the banner's open periods
    assert "A new stage" in page  # its record-work links, under its heading
    assert "from the new stage" in page  # its section, with the context it gave
    assert "Trial stage" in page and f"/children/{child.pk}/case-notes/" in page  # its tab


def test_a_registered_stage_shows_on_the_caseload(new_stage, worker_client, child,
                                                  social_worker):
    CaseNote.objects.create(child=child, kind=CaseNote.Kind.VISIT, occurred_on=date(2026, 1, 5),
                            subject="Settled in", body="-", recorded_by=social_worker)
    assert "Trial period: Settled in" in worker_client.get("/").content.decode()


def test_open_periods_stand_in_the_order_stages_give():
    orders = [period.order for period in stages.open_periods()]
    assert orders == sorted(orders)
    # Every journey stage that has something open registers it.
    assert {"open_episodes", "open_protection_plans", "open_cin_plans", "open_referrals",
            "open_proceedings", "orders_in_force"} <= set(stages.OPEN_PERIODS)


def test_no_template_shows_a_comment_as_text():
    """Django's {# #} comment is one line only; a longer one is printed on the page."""
    from pathlib import Path

    import cairn

    broken = [str(p) for p in Path(cairn.__file__).parent.rglob("*.html")
              for line in p.read_text(encoding="utf-8").splitlines()
              if "{#" in line and "#}" not in line]
    assert broken == []
