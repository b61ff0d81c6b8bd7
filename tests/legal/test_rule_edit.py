"""The pre-proceedings limit is the authority's own (a local rule): when an administrator changes
it, every page that shows it follows, because none of them keeps a number of its own."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.core import names, timescales
from cairn.core.models import TimescaleRule
from cairn.legal import services
from support import client_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
STARTED = TODAY - timedelta(weeks=14)  # past 12 weeks, not yet past 16


@pytest.fixture
def plo(child, team_manager):
    return services.pre_proceedings_start(child=child, started_on=STARTED, by=team_manager)


def _edit_rule(administrator, **changes) -> None:
    """Change the local pre-proceedings rule through the admin site, as an administrator does."""
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    rule = TimescaleRule.objects.get(code=names.PRE_PROCEEDINGS)
    fields = ["name", "extended_by", "first_limit", "first_unit", "then_limit", "then_unit",
              "repeat_limit", "repeat_unit", "later_limit", "later_unit", "min_age", "max_age",
              "responsible", "source", "local", "active"]
    data = {f: ("on" if getattr(rule, f) else "") if f in ("local", "active")
            else ("" if getattr(rule, f) is None else getattr(rule, f)) for f in fields}
    response = client_for(administrator).post(
        reverse("admin:core_timescalerule_change", args=[rule.pk]), {**data, **changes})
    assert response.status_code == 302, response.content.decode()


def _pages(child, social_worker, team_manager) -> dict[str, str]:
    manager, worker = client_for(team_manager), client_for(social_worker)
    return {
        "record": manager.get(reverse("legal_record", args=[child.pk])).content.decode(),
        "tracker": manager.get(reverse("legal_tracker")).content.decode(),
        "home": worker.get(reverse("home")).content.decode(),
        "timescales": worker.get(reverse("child_timescales", args=[child.pk])).content.decode(),
    }


def test_changing_the_pre_proceedings_limit_moves_every_page(
        plo, child, social_worker, team_manager, administrator):
    sixteen = STARTED + timedelta(weeks=16)
    before = _pages(child, social_worker, team_manager)
    assert "14 of 16 weeks" in before["record"] and "14 of 16 weeks" in before["tracker"]
    assert "Past 16 weeks" not in before["record"] + before["tracker"]
    assert "expected to conclude within 16 weeks" in before["tracker"]
    assert f"{sixteen:%-d %b %Y}" in before["home"] and f"{sixteen:%-d %b %Y}" in before["tracker"]

    _edit_rule(administrator, first_limit="12")

    twelve = STARTED + timedelta(weeks=12)
    [due] = [d for d in timescales.evaluate([child.pk]) if d.rule.code == names.PRE_PROCEEDINGS]
    assert (due.due_on, due.status, due.limit_label) == (
        twelve, timescales.Status.OVERDUE, "12 weeks")
    after = _pages(child, social_worker, team_manager)
    # The legal record and the tracker: the count, the flag and the tracker's own words.
    assert "14 of 12 weeks" in after["record"] and "Past 12 weeks" in after["record"]
    assert "14 of 12 weeks" in after["tracker"] and "Past 12 weeks" in after["tracker"]
    assert "expected to conclude within 12 weeks" in after["tracker"]
    assert "16 weeks" not in after["record"] + after["tracker"]
    # The due lists: the worker's home page and the child's timescales.
    for page in ("home", "timescales", "tracker"):
        assert f"{twelve:%-d %b %Y}" in after[page], page
        assert f"{sixteen:%-d %b %Y}" not in after[page], page
    assert "Overdue" in after["home"]


def test_a_limit_in_months_is_said_in_months(plo, child, team_manager, administrator):
    _edit_rule(administrator, first_limit="3", first_unit=TimescaleRule.Unit.MONTHS)
    page = client_for(team_manager).get(reverse("legal_record", args=[child.pk]))
    assert "14 weeks, of 3 months" in page.content.decode()
    assert "Past 3 months" in page.content.decode()
