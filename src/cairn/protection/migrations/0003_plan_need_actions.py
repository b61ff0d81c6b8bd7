"""Each plan need's actions become a core.Action row, with who and by when.

Before, a need of a child protection or child in need plan held its actions, owner and
timescale as text. Each need not voided whose actions were typed becomes one Action: what was
typed (with the timescale, where no date was given), the owner as a name (text cannot be
matched to a member of staff safely), the due date if one was given. A need met is a done
action; a need of a plan that has ended is a cancelled one; either is left open if nobody is
known to have recorded the need. The text fields stay as typed, for the record.

The reverse copies the actions of needs recorded since back into their text fields, then
removes the Action rows of plan needs.
"""

from datetime import datetime, time

from django.db import migrations, models
from django.utils import timezone


def _moment(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


def _day(day) -> str:
    return f"{day.day} {day:%B %Y}"


def needs_to_actions(apps, schema_editor):
    PlanNeed = apps.get_model("protection", "PlanNeed")
    Action = apps.get_model("core", "Action")
    ContentType = apps.get_model("contenttypes", "ContentType")
    source_type, _ = ContentType.objects.get_or_create(app_label="protection", model="planneed")
    done = set(Action.objects.filter(source_type=source_type).values_list("source_id", flat=True))
    rows = []
    needs = (PlanNeed.objects.filter(voided_at__isnull=True).exclude(actions="")
             .select_related("protection_plan", "cin_plan").order_by("pk"))
    for need in needs:
        if need.pk in done:
            continue
        what = need.actions.strip()
        if need.due_on is None and need.timescale.strip():
            what += f"\nTimescale: {need.timescale.strip()}"
        action = Action(child_id=need.child_id, source_type=source_type, source_id=need.pk,
                        what=what, owner_name=need.owner.strip()[:150] or "Not recorded",
                        due_on=need.due_on, recorded_by_id=need.recorded_by_id,
                        recorded_at=need.recorded_at)
        plan = need.protection_plan or need.cin_plan
        if need.recorded_by_id is not None:
            if need.met_on is not None:
                action.status = "done"
                action.outcome = f"The need was met on {_day(need.met_on)}"
                action.done_by_id, action.done_at = need.recorded_by_id, _moment(need.met_on)
            elif plan is not None and plan.ended_on is not None:
                action.status = "cancelled"
                action.cancel_reason = f"The plan ended on {_day(plan.ended_on)}"
                action.cancelled_by_id = need.recorded_by_id
                action.cancelled_at = _moment(plan.ended_on)
        rows.append(action)
    Action.objects.bulk_create(rows, batch_size=500)


def actions_to_needs(apps, schema_editor):
    PlanNeed = apps.get_model("protection", "PlanNeed")
    Action = apps.get_model("core", "Action")
    ContentType = apps.get_model("contenttypes", "ContentType")
    source_type = ContentType.objects.filter(app_label="protection", model="planneed").first()
    if source_type is None:
        return
    actions = (Action.objects.filter(source_type=source_type, voided_at__isnull=True)
               .select_related("owner").order_by("source_id", "pk"))
    by_need = {}
    for action in actions:
        by_need.setdefault(action.source_id, []).append(action)
    for need in PlanNeed.objects.filter(pk__in=list(by_need), actions=""):
        agreed = by_need[need.pk]
        first = agreed[0]
        owner = ""
        if first.owner_id:
            owner = (f"{first.owner.first_name} {first.owner.last_name}".strip()
                     or first.owner.username)
        need.actions = "\n".join(a.what for a in agreed)
        need.owner = (" and ".join(n for n in (owner, first.owner_name) if n)
                      or "Not recorded")[:150]
        need.due_on = need.due_on or first.due_on
        need.save(update_fields=["actions", "owner", "due_on"])
    Action.objects.filter(source_type=source_type).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0008_action"),
        ("protection", "0002_assessment_decision_version"),
    ]

    operations = [
        migrations.AlterField(
            model_name="planneed",
            name="actions",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="planneed",
            name="owner",
            field=models.CharField(blank=True, help_text="Who is responsible", max_length=150),
        ),
        migrations.RunPython(needs_to_actions, actions_to_needs),
    ]
