"""`cairn synth`: build a synthetic local authority into the configured database."""

import sys
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cairn.synth.builder import Builder


class Command(BaseCommand):
    help = "Build a deterministic synthetic local authority (children, staff and journeys)."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--as-of", dest="as_of", default=None,
                            help="The last day of the authority's history (default today)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, children, seed, years, as_of, no_progress, **options):
        if children < 1 or years < 1:
            raise CommandError("--children and --years must be at least 1")
        try:
            day = date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--as-of must be a date as YYYY-MM-DD: {error}") from error
        started = time.perf_counter()
        builder = Builder(children=children, seed=seed, years=years, as_of=day,
                          progress=not no_progress and sys.stderr.isatty())
        counts = builder.build()
        for label, count in counts.items():
            self.stdout.write(f"{label:40} {count:>10,}")
        if builder.skipped:
            self.stdout.write(f"skipped (no models yet): {', '.join(builder.skipped)}")
        self.stdout.write(f"built {children:,} children, seed {seed}, {years} years to {day} "
                          f"in {time.perf_counter() - started:.1f} s")
