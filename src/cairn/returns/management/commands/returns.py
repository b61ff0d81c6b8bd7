"""`cairn returns cin|ssda903|annex-a|validate`: the statutory returns from the record."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cairn.core.errors import RecordError
from cairn.people.models import Child
from cairn.returns import annex_a, cin, ssda903, validators


class Command(BaseCommand):
    help = "Write the CIN census, the SSDA903 tables or Annex A, or validate one of them."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="which", required=True)
        p = sub.add_parser("cin")
        p.add_argument("--year", type=int, required=True)
        p.add_argument("--out", type=Path, required=True)
        p = sub.add_parser("ssda903")
        p.add_argument("--year", type=int, required=True)
        p.add_argument("--out", type=Path, required=True)
        p = sub.add_parser("annex-a")
        p.add_argument("--as-of", type=date.fromisoformat, required=True)
        p.add_argument("--out", type=Path, required=True)
        p = sub.add_parser("validate")
        p.add_argument("kind", choices=["cin", "ssda903", "annex-a"])
        p.add_argument("--year", type=int)
        p.add_argument("--as-of", type=date.fromisoformat)
        p.add_argument("--prev-year-dir", type=Path)

    def handle(self, *args, which, **options):
        if which == "cin":
            options["out"].write_bytes(cin.to_bytes(cin.build(options["year"])))
        elif which == "ssda903":
            manifest = ssda903.write(ssda903.build(options["year"]), options["year"],
                                     options["out"])
            rows = ", ".join(f"{k} {v['rows']}" for k, v in manifest["tables"].items())
            self.stdout.write(f"Wrote {options['out']}: {rows}")
        elif which == "annex-a":
            annex_a.write(annex_a.build(options["as_of"]), options["out"])
        else:
            self._validate(options)

    def _validate(self, options):
        kind = options["kind"]
        year = options["year"] or (options["as_of"].year if options["as_of"] else None)
        if year is None:
            raise CommandError("Give --year (or --as-of for annex-a)")
        try:
            result = validators.validate(kind, year=year, as_of=options["as_of"],
                                         prev_year_dir=options["prev_year_dir"])
        except RecordError as error:
            # The administrator at the command line is told the path and the validator's error.
            raise CommandError(getattr(error, "detail", "") or error.message) from error
        urls = {c.la_child_id: c.get_absolute_url() for c in Child.objects.filter(
            la_child_id__in={f["child"] for f in result.failures if f.get("child")})}
        for f in result.failures:
            who = f"child {f['child']} {urls.get(f['child'], '')}" if f.get("child") else "return"
            where = f"{f.get('table') or ''} row {f['row']}" if f.get("row") is not None else ""
            self.stdout.write(f"{f['rule']} [{f.get('type', 'ERROR')}] {who} {where}: "
                              f"{f.get('message', '')}")
        for f in result.known:
            self.stdout.write(f"known validator defect, not counted: {f.get('rule', '')} "
                              f"{f['table']} {f['columns']} row {f['row']}"
                              + (f" ({f['defect']})" if f.get("defect") else ""))
        if result.crashed:
            self.stdout.write(f"rules that crashed: {', '.join(result.crashed)}")
        self.stdout.write(f"{kind} {year}: {len(result.rules)} rule(s) fired, "
                          f"{len(result.errors)} error row(s)")
        if result.errors or result.crashed:
            raise SystemExit(1)
