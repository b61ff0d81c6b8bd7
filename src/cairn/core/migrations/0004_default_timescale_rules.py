from django.db import migrations

from cairn.core.rules import load_default_rules


def load(apps, schema_editor):
    load_default_rules(apps.get_model("core", "TimescaleRule"))


def unload(apps, schema_editor):
    from cairn.core.rules import DEFAULT_RULES

    apps.get_model("core", "TimescaleRule").objects.filter(
        code__in=[r["code"] for r in DEFAULT_RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_timescale_rule_extended_by")]
    operations = [migrations.RunPython(load, unload)]
