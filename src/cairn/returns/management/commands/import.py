"""`cairn import ssda903 DIR|ZIP` and `cairn import cin FILE.xml`: an authority's last return into an
empty record, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cairn.returns import importers
from cairn.workforce.models import Staff


class Command(BaseCommand):
    help = "Load the last SSDA903 return or CIN census into an empty record (all or nothing)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="which", required=True)
        p = sub.add_parser("ssda903")
        p.add_argument("directory", type=Path, help="the folder of CSV tables, or a zip of "
                       "them as the Returns page downloads it")
        p.add_argument("--year", type=int, help="the collection year, if there is no "
                       "manifest.json beside the tables")
        p.add_argument("--as-user", help="the username to record the import against")
        p = sub.add_parser("cin")
        p.add_argument("file", type=Path)
        p.add_argument("--as-user", help="the username to record the import against")

    def handle(self, *args, which, as_user=None, **options):
        by = None
        if as_user:
            by = Staff.objects.filter(username=as_user).first()
            if by is None:
                raise CommandError(f"There is no user called {as_user}")
        try:
            if which == "ssda903":
                counts = importers.load_ssda903(options["directory"], year=options["year"], by=by)
            else:
                counts = importers.load_cin(options["file"], by=by)
        except importers.ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Refused: {len(refused.problems)} problem(s); nothing was "
                               "loaded") from refused
        self.stdout.write("Loaded " + ", ".join(f"{k} {v}" for k, v in counts.items() if v))
