"""`cairn import ssda903 DIR|ZIP` and `cairn import cin FILE.xml`: an authority's last return into an
empty record, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cairn.returns import importers
from cairn.returns.selectors import authority
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
        self._authority_arguments(p, "the tables do not name it; else manifest.json's")
        p = sub.add_parser("cin")
        p.add_argument("file", type=Path)
        p.add_argument("--as-user", help="the username to record the import against")
        self._authority_arguments(p, "the census names only its LA number, as LEA")

    def _authority_arguments(self, p, what: str) -> None:
        p.add_argument("--la-number", default="", help=f"the return's authority's DfE LA "
                       f"number ({what})")
        p.add_argument("--ons-code", default="", help=f"the return's authority's ONS code "
                       f"({what})")

    def handle(self, *args, which, as_user=None, **options):
        by = None
        if as_user:
            by = Staff.objects.filter(username=as_user).first()
            if by is None:
                raise CommandError(f"There is no user called {as_user}")
        try:
            named = {"la_number": options["la_number"], "ons_code": options["ons_code"]}
            if which == "ssda903":
                counts = importers.load_ssda903(options["directory"], year=options["year"], by=by,
                                                **named)
            else:
                counts = importers.load_cin(options["file"], by=by, **named)
        except importers.ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Refused: {len(refused.problems)} problem(s); nothing was "
                               "loaded") from refused
        self.stdout.write("Loaded " + ", ".join(f"{k} {v}" for k, v in counts.items() if v))
        la = authority()
        self.stdout.write(f"Returns are made for {la['name']}: LA number {la['la_number']}, "
                          f"ONS code {la['ons_code']}"
                          + (" (taken from the return imported)" if la["adopted"] else ""))
