"""Early help's own timescales, as local rules the authority may change (issue 12): the early
help assessment within 30 working days of the start, and the plan reviewed (team around the
family) within 12 weeks and then at least every 12 weeks. The early help practitioner answers
for them, so the rule's "responsible" gains that choice.

Frozen: the rules are literals here, as they were when this was written."""

from django.db import migrations, models

RULES = [
    dict(code="early-help-assessment", name="Early help assessment completed",
         starts="early_help.started", finishes="early_help_assessment.completed",
         first_limit=30, first_unit="WD", responsible="early_help", local=True,
         source="Local practice: early help assessment within 30 working days of the start"),
    dict(code="early-help-review", name="Early help plan review",
         starts="early_help_plan.started", finishes="early_help_review.held",
         stops="early_help_plan.ended,early_help.ended",
         first_limit=12, first_unit="W", repeat_limit=12, repeat_unit="W",
         responsible="early_help", local=True,
         source="Local practice: team around the family review at least every 12 weeks"),
]


def add_rules(apps, schema_editor):
    TimescaleRule = apps.get_model("core", "TimescaleRule")
    for rule in RULES:
        TimescaleRule.objects.get_or_create(code=rule["code"], defaults=rule)


class Migration(migrations.Migration):

    dependencies = [("core", "0009_submission_key")]

    operations = [
        migrations.AlterField(
            model_name="timescalerule", name="responsible",
            field=models.CharField(
                choices=[("social_worker", "Social worker"), ("team_manager", "Team manager"),
                         ("front_door", "Front door worker"),
                         ("iro", "Independent reviewing officer / conference chair"),
                         ("personal_adviser", "Personal adviser"),
                         ("fostering", "Fostering social worker"),
                         ("early_help", "Early help practitioner")],
                default="social_worker", help_text="Whose list the due items go on",
                max_length=30)),
        # Going back leaves the rules: a rule an authority may have edited is not deleted.
        migrations.RunPython(add_rules, migrations.RunPython.noop),
    ]
