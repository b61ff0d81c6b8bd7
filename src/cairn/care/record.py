"""What a child's time in care adds to their record (core.stages)."""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from cairn.casework import banner
from cairn.core import stages
from cairn.core.services import short_date

from .models import CarePlan, LookedAfterEpisode, MissingEpisode

stages.open_period(
    "open_episodes",
    lambda: LookedAfterEpisode.objects.current().filter(ended_on__isnull=True)
    .with_period_start().order_by("-started_on", "-pk"),
    # Since the child came into care (the period's start), not since the latest placement.
    lambda e: f"Looked after since {short_date(e.period_started_on)}: "
              f"{e.get_legal_status_display()} ({e.legal_status}); "
              f"placement {e.get_placement_type_display().lower()} ({e.placement_type})",
    order=10, label="period of care")
stages.record_links("Looked after", "care/child_actions.html", order=40,
                    fits=("open_episodes",))
stages.tab("care", "Care", "care_record", order=40)

# Missing in the last 30 days counts for the banner: a worker covering the case must know of a
# recent episode before they visit (and that a return home interview may be due).
MISSING_RECENT_DAYS = 30


def _banner(child, today) -> banner.Part:
    """Missing now or lately, and the care plan of a child in care."""
    part = banner.Part()
    since = timezone.make_aware(datetime.combine(today - timedelta(days=MISSING_RECENT_DAYS),
                                                 time.min))
    recent = list(MissingEpisode.objects.current().filter(child=child)
                  .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=since))
                  .order_by("-started_at", "-pk"))
    now = [m for m in recent if m.ended_at is None]
    for m in now:
        part.alerts.append(f"{m.get_kind_display().split(':')[0]} now, since "
                           f"{timezone.localtime(m.started_at):%-d %b %Y %H:%M}")
    if len(recent) > len(now):
        times = len(recent) - len(now)
        part.alerts.append(f"Missing or away {times} time{'s' if times > 1 else ''} in the "
                           f"last {MISSING_RECENT_DAYS} days")
    if getattr(child, "open_episodes", None):
        plan = (CarePlan.objects.current().filter(child=child)
                .order_by("-agreed_on", "-pk").first())
        part.plans.append(f"Care plan agreed {short_date(plan.agreed_on)}" if plan
                          else "No care plan recorded")
    return part


banner.part("care", _banner)
