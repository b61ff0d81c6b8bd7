"""`cairn check`: the timescale rules name only facts the apps record.

A rule naming a fact no app registers (a typo in the admin site, a fact renamed in code without
a migration for the rules) would never start, finish or stop a clock, so a statutory timescale
would quietly vanish from every due list. The engine refuses such a rule when it runs
(timescales.UnknownFacts); this check finds it first, at `cairn check`, before `cairn migrate`
and when the server starts, and says which rule names what.
"""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

from . import facts


@checks.register("cairn")
def rules_name_known_facts(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from .models import TimescaleRule

    try:
        rules = list(TimescaleRule.objects.all())
    except DatabaseError:
        return []  # no database yet, or not migrated: nothing is stored to check
    errors = [checks.Error(
        f"Timescale rule {rule.code!r} names facts that nothing records: "
        + "; ".join(f"{field} {', '.join(missing)}" for field, missing
                    in rule.unknown_facts().items()),
        hint="Correct the rule in the admin site (or in a data migration); the facts that "
             f"exist are the names in cairn/core/names.py, {len(facts.REGISTRY)} in all.",
        obj=rule, id="cairn.E001")
        for rule in rules if rule.unknown_facts()]
    return errors


def refuse_after_migrate(sender, using, **kwargs) -> None:
    """After `migrate`, refuse rules the migrations left naming unknown facts. Each migration
    writes the names of its own day; the live registry judges only the end state."""
    from .models import TimescaleRule
    from .timescales import refuse_unknown_facts

    refuse_unknown_facts(TimescaleRule.objects.using(using).all())


@checks.register(checks.Tags.security, deploy=True)
def secret_key_is_set(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Without SECRET_KEY each server process makes up its own, so a session signed by one
    worker is refused by the next: `cairn check --deploy` says so before anyone signs in."""
    if settings.SECRET_KEY.startswith(settings.UNSET_SECRET_KEY_PREFIX):
        return [checks.Warning(
            "SECRET_KEY is not set in the environment: each server process will make up its own.",
            hint="Set SECRET_KEY to a long random value kept secret (for example the output of "
                 "python -c 'import secrets; print(secrets.token_urlsafe(50))').",
            id="cairn.W001")]
    return []
