"""The demo's authority gives every manager's home real figures: each headline indicator of
each team manager, service manager and whole-authority role counts something, and every
indicator of the authority has a figure for the last whole collection year and the year so far
(a record of three years began after many children came into care, were placed for adoption
or left care: synth.journeys.EARLIER)."""

from datetime import date

import pytest
from django.db import transaction

import support
from cairn.insight import dashboard, indicators
from cairn.synth.builder import Builder
from cairn.workforce.models import Role, Staff

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 20)
# Filled in a year of the demo's small authority only now and then: care leavers of 17 and 18
# who left care before 18, and children in pre-proceedings on 31 March for 16 weeks or more (a
# handful at a time in a large authority).
SOMETIMES_EMPTY = {"care_leavers_age17_18_in_touch", "care_leavers_age17_18_suitable_accom",
                   "care_leavers_age17_18_eet", "pre_proceedings_past_16wks"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The authority `cairn demo` builds (400 children, 3 years, seed 1), once for the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        support.seed_rows()  # an earlier test's flush may have emptied them
        Builder(children=400, seed=1, years=3, as_of=AS_OF, progress=False).build()
        yield
        transaction.set_rollback(True)


def test_every_indicator_has_a_figure_in_the_demo(demo):
    empty = {}
    for period in (indicators.Period(2026), indicators.Period.containing(AS_OF)):
        for ind in indicators.REGISTRY.values():
            got = indicators.figure(ind.id, period)
            if got.value is None and ind.id not in SOMETIMES_EMPTY:
                empty[ind.id, str(period)] = got
    assert not empty


def test_every_managers_headlines_count_something(demo):
    managers = Staff.objects.filter(role__in=[Role.TEAM_MANAGER, Role.SERVICE_MANAGER,
                                              Role.DIRECTOR, Role.PERFORMANCE_ANALYST])
    seen, empty = 0, []
    for manager in managers:
        scope = dashboard.home_scope(manager)
        ids = dashboard.headline_ids(scope) if scope else []
        for h in dashboard.headlines([indicators.REGISTRY[i] for i in ids], scope, AS_OF):
            seen += 1
            if h.now.value is None:
                empty.append((manager.username, scope.name, h.indicator.id))
    assert seen >= 30 and not empty
