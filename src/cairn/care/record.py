"""What a child's time in care adds to their record (core.stages)."""

from cairn.core import stages
from cairn.core.services import short_date

from .models import LookedAfterEpisode

stages.open_period(
    "open_episodes",
    lambda: LookedAfterEpisode.objects.current().filter(ended_on__isnull=True)
    .with_period_start().order_by("-started_on", "-pk"),
    # Since the child came into care (the period's start), not since the latest placement.
    lambda e: f"Looked after since {short_date(e.period_started_on)}: "
              f"{e.get_legal_status_display()} ({e.legal_status}); "
              f"placement {e.get_placement_type_display().lower()} ({e.placement_type})",
    order=10, label="period of care")
stages.record_links("Looked after", "care/child_actions.html", order=40)
stages.tab("care", "Care", "care_record", order=40)
