"""Each team's home shows the headline indicators of what it holds (insight.dashboard
TEAM_HEADLINES): no "No figure (0 of 0)" for visits to children in care on a child protection
team's home, and no headlines at all for a team that holds no children to count; a leaving care team's are its
care leavers', counted over the young people its personal advisers hold."""

import pytest
from django.urls import reverse

import support
from cairn.insight import dashboard
from cairn.workforce.models import Role, Team

pytestmark = pytest.mark.django_db


def test_a_team_headlines_what_it_holds():
    def ids(*kinds):
        key = "team:1" if len(kinds) == 1 else "service:1"
        return dashboard.headline_ids(dashboard.Scope(key, "A team", (1,), kinds))

    assert "cla_visits_in_time" in ids(Team.Kind.CHILDREN_IN_CARE)
    assert "cla_visits_in_time" not in ids(Team.Kind.CHILD_PROTECTION)
    assert "cp_visits_in_time" in ids(Team.Kind.CHILD_PROTECTION)
    assert ids(Team.Kind.FRONT_DOOR) == [] and ids(Team.Kind.FOSTERING) == []
    # Personal advisers' and reviewing officers' teams count the young people they hold.
    assert "care_leavers_age19_21_in_touch" in ids(Team.Kind.LEAVING_CARE)
    assert "cla_reviews_in_time" in ids(Team.Kind.REVIEWING)
    # A service: its own headlines that one of its teams holds.
    both = ids(Team.Kind.ASSESSMENT, Team.Kind.CHILD_PROTECTION)
    assert "cp_visits_in_time" in both and "stability_short_term_3plus" not in both
    assert set(both) <= set(dashboard.HEADLINES["service"])
    # A scope built without its kinds (an older caller) keeps the general list.
    assert dashboard.headline_ids(dashboard.Scope("team:1", "A team", (1,))) == \
        dashboard.HEADLINES["team"]


def test_a_team_holding_no_children_has_no_headlines_on_its_home(teams):
    def home(team: Team):
        manager = support.make_staff(f"tm_{team.kind}", Role.TEAM_MANAGER, team)
        team.manager = manager
        team.save(update_fields=["manager"])
        response = support.client_for(manager).get(reverse("home"))
        assert response.status_code == 200
        return response

    front_door = home(teams[Team.Kind.FRONT_DOOR])
    assert front_door.context["dashboard"] is None
    assert 'id="headline-indicators"' not in front_door.content.decode()
    # A team that holds children has its headlines, counted (as nothing, here) all the same.
    in_care = home(teams[Team.Kind.CHILDREN_IN_CARE]).context["dashboard"]
    assert [h.indicator.id for h in in_care["headlines"]] == \
        dashboard.TEAM_HEADLINES[Team.Kind.CHILDREN_IN_CARE]
