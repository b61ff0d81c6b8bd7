"""Each early help plan need's actions become a core.Action row, with who and by when.

Before, a need held its actions, owner and date as text. Each need not voided whose actions were
typed becomes one Action: what was typed, the owner as a name (text cannot be matched to a
member of staff safely), the date. A need the latest review found met is a done action (the
review's note is its outcome); a need of a plan or early help that has ended is a cancelled
one; either is left open if nobody is known to have recorded it. The text fields stay as typed.

The reverse copies the actions of needs recorded since back into their text fields, then
removes the Action rows of early help plan needs.
"""

from datetime import datetime, time

from django.db import migrations, models
from django.utils import timezone


def _moment(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


def _day(day) -> str:
    return f"{day.day} {day:%B %Y}"


def needs_to_actions(apps, schema_editor):
    Need = apps.get_model("frontdoor", "EarlyHelpPlanNeed")
    Progress = apps.get_model("frontdoor", "EarlyHelpReviewNeedProgress")
    Action = apps.get_model("core", "Action")
    ContentType = apps.get_model("contenttypes", "ContentType")
    source_type, _ = ContentType.objects.get_or_create(app_label="frontdoor",
                                                       model="earlyhelpplanneed")
    done = set(Action.objects.filter(source_type=source_type).values_list("source_id", flat=True))
    latest = {}
    for progress in (Progress.objects.filter(voided_at__isnull=True,
                                             review__voided_at__isnull=True)
                     .select_related("review").order_by("review__held_on", "review__pk")):
        latest[progress.need_id] = progress
    rows = []
    needs = (Need.objects.filter(voided_at__isnull=True).exclude(actions="")
             .select_related("plan", "plan__episode").order_by("pk"))
    for need in needs:
        if need.pk in done:
            continue
        action = Action(child_id=need.child_id, source_type=source_type, source_id=need.pk,
                        what=need.actions.strip(),
                        owner_name=need.owner.strip()[:150] or "Not recorded",
                        due_on=need.due_on, recorded_by_id=need.recorded_by_id,
                        recorded_at=need.recorded_at)
        progress = latest.get(need.pk)
        ended_on = need.plan.ended_on or need.plan.episode.ended_on
        if progress is not None and progress.status == "met" and progress.recorded_by_id:
            action.status = "done"
            action.outcome = (f"Met at the review on {_day(progress.review.held_on)}"
                              + (f": {progress.note.strip()}" if progress.note.strip() else ""))
            action.done_by_id = progress.recorded_by_id
            action.done_at = _moment(progress.review.held_on)
        elif ended_on is not None and need.recorded_by_id is not None:
            action.status = "cancelled"
            action.cancel_reason = f"The early help plan ended on {_day(ended_on)}"
            action.cancelled_by_id = need.recorded_by_id
            action.cancelled_at = _moment(ended_on)
        rows.append(action)
    Action.objects.bulk_create(rows, batch_size=500)


def actions_to_needs(apps, schema_editor):
    Need = apps.get_model("frontdoor", "EarlyHelpPlanNeed")
    Action = apps.get_model("core", "Action")
    ContentType = apps.get_model("contenttypes", "ContentType")
    source_type = ContentType.objects.filter(app_label="frontdoor",
                                             model="earlyhelpplanneed").first()
    if source_type is None:
        return
    actions = (Action.objects.filter(source_type=source_type, voided_at__isnull=True)
               .select_related("owner").order_by("source_id", "pk"))
    by_need = {}
    for action in actions:
        by_need.setdefault(action.source_id, []).append(action)
    for need in Need.objects.filter(pk__in=list(by_need), actions=""):
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
        ("frontdoor", "0005_early_help_review_need_progress"),
    ]

    operations = [
        migrations.AlterField(
            model_name="earlyhelpplanneed",
            name="actions",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="earlyhelpplanneed",
            name="due_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="earlyhelpplanneed",
            name="owner",
            field=models.CharField(blank=True, help_text="Who is responsible", max_length=150),
        ),
        migrations.RunPython(needs_to_actions, actions_to_needs),
    ]
