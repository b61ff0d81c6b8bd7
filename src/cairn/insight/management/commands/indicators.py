"""`cairn indicators --year 2026 --json out.json [--as-of DATE]`: every indicator, computed from
the facts now, as JSON."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cairn.insight import indicators


class Command(BaseCommand):
    help = ("Write every indicator for the collection year ending 31 March YEAR (or as it stood "
            "on a date) as JSON: {id: {value, numerator, denominator, definition, ...}}.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int,
                            help="the collection year, by the 31 March it ends on")
        parser.add_argument("--as-of", type=date.fromisoformat,
                            help="a point in time (YYYY-MM-DD): counts at that date, and counts "
                                 "in the year from 1 April up to it")
        parser.add_argument("--json", type=Path, required=True, help="the file to write")

    def handle(self, *args, **options):
        year, as_of, out = options["year"], options["as_of"], options["json"]
        if year is None and as_of is None:
            raise CommandError("Give --year (e.g. --year 2026), --as-of YYYY-MM-DD, or both.")
        period = indicators.Period.containing(as_of) if year is None else \
            indicators.Period(year, as_of)
        if as_of and not period.start <= as_of:
            raise CommandError(f"{as_of:%d %B %Y} is before the collection year ending 31 March "
                               f"{period.year} began (1 April {period.year - 1}).")
        figures = indicators.every(period)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n")
        self.stdout.write(f"Wrote {len(figures)} indicators to {out}")
