"""The cast for legal tests: shared with the other journey apps' tests (tests/journey_cast.py)."""

from journey_cast import (  # noqa: F401  (fixtures are found by name)
    child,
    front_door,
    other_team,
    second_manager,
    social_worker,
    stranger,
    team,
    team_manager,
)
