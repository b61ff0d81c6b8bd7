"""The pre-proceedings review point becomes a timescale rule (issue 12): a review is due six
weeks after the legal gateway decision, then every four weeks until pre-proceedings end. Local
practice, which an administrator may change.

Frozen: the rule is a literal here, as it was when this was written.
"""

from django.db import migrations

RULE = dict(
    code="pre-proceedings-review", name="Pre-proceedings review point",
    starts="pre_proceedings.started", finishes="pre_proceedings.reviewed",
    stops="pre_proceedings.ended", first_limit=6, first_unit="W", repeat_limit=4,
    repeat_unit="W", responsible="social_worker", local=True,
    source="Local practice: PLO review 6 weeks after the legal gateway decision, then every 4 "
           "weeks until pre-proceedings end")


def load(apps, schema_editor):
    apps.get_model("core", "TimescaleRule").objects.get_or_create(code=RULE["code"],
                                                                  defaults=RULE)


def unload(apps, schema_editor):
    apps.get_model("core", "TimescaleRule").objects.filter(code=RULE["code"]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0010_early_help_rules")]
    operations = [migrations.RunPython(load, unload)]
