"""The demo's sign-ins: one member of staff per role, and the early help team's manager."""

from cairn.workforce.models import Role

DEMO_PASSWORD = "cairn-demo-2026"  # the data is synthetic; the demo prints it

# One demo user per role: (username, role value, first name, last name)
DEMO_STAFF = (
    ("sw.demo", "social_worker", "Sam", "Walker"),
    ("tm.demo", "team_manager", "Tara", "Moss"),
    ("sm.demo", "service_manager", "Simon", "Mercer"),
    ("frontdoor.demo", "front_door", "Farah", "Doyle"),
    ("earlyhelp.demo", "early_help", "Erin", "Hale"),
    ("iro.demo", "iro", "Imran", "Rhodes"),
    ("pa.demo", "personal_adviser", "Priya", "Adams"),
    ("fostering.demo", "fostering", "Fern", "Oakley"),
    ("analyst.demo", "performance_analyst", "Alex", "Nash"),
    ("auditor.demo", "auditor", "Aud", "Ripley"),
    ("inspector.demo", "inspector", "Isla", "Pryce"),
    ("admin.demo", "administrator", "Adam", "Minns"),
    ("ig.demo", "information_governance", "Iona", "Grant"),
    ("director.demo", "director", "Dee", "Rowan"),
)


# The early help team's manager: decides the step ups earlyhelp.demo asks for (tm.demo manages
# a child protection team and cannot see early help families).
EARLY_HELP_MANAGER = ("ehm.demo", "Elena", "Marsh")


def demo_users() -> list[tuple[str, str, str]]:
    """The demo's sign-ins: (username, role label, password), one per role, and the early help
    team's manager."""
    labels = dict(Role.choices)
    return [(username, str(labels[role]), DEMO_PASSWORD) for username, role, _, _ in DEMO_STAFF
            ] + [(EARLY_HELP_MANAGER[0], "Team manager, early help (decides step ups)",
                  DEMO_PASSWORD)]
