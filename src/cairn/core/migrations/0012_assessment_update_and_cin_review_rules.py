"""Two local rules: an authorised assessment overtaken by a significant event is updated within
10 working days (F1), and a child in need plan is reviewed within 3 months, then every 3 months.

Frozen literals, not imported from core/rules.py (see 0004). Only these two rules are created;
an authority that already made rules with these codes keeps its own.
"""

from django.db import migrations

RULES = [
    dict(code="assessment-update", name="Assessment updated after a significant event",
         starts="assessment.update_due", finishes="assessment.started",
         first_limit=10, first_unit="WD", responsible="social_worker", local=True,
         source="Local practice (F1): an authorised assessment overtaken by a significant "
                "event is updated within 10 working days of it"),
    dict(code="cin-plan-review", name="Child in need plan review",
         starts="cin_plan.started", finishes="cin_plan_review.held", stops="cin_plan.ended",
         first_limit=3, first_unit="M", repeat_limit=3, repeat_unit="M",
         responsible="social_worker", local=True,
         source="Local practice: no national frequency for child in need reviews; the "
                "authority reviews each plan within 3 months, then every 3 months"),
]


def load(apps, schema_editor):
    TimescaleRule = apps.get_model("core", "TimescaleRule")
    for rule in RULES:
        TimescaleRule.objects.get_or_create(code=rule["code"], defaults=rule)


def unload(apps, schema_editor):
    apps.get_model("core", "TimescaleRule").objects.filter(
        code__in=[r["code"] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0011_pre_proceedings_review_rule")]
    operations = [migrations.RunPython(load, unload)]
