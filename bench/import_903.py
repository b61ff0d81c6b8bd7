"""Import benchmark: a large SSDA903 return (50 MB by default) loaded by `cairn import`.

    DATABASE_URL=postgres://.../an_empty_database python bench/import_903.py [--megabytes 50]
            [--flush] [--check-only]

Writes a synthetic return of about the size asked (each child with the rows a looked-after child
has: two episodes, two reviews, a missing period, two social workers), imports it into the
database, and prints the seconds taken and the process's peak resident memory against the
file's size. An import loads only into an empty record: --flush empties the database first
(never point this at a database you want to keep). --check-only puts a wrong code in the first
row, so that every row is read and checked and nothing is saved.

Before rows were read one at a time, a 50 MB return took 1.5 GB.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")

BYTES_PER_CHILD = 370  # the rows below, near enough


def write_return(out: Path, children: int, year: int, bad_first_row: bool) -> int:
    from cairn.returns import ssda903

    files = {name: open(out / filename, "w", encoding="utf-8")
             for name, (filename, _) in ssda903.tables_for(year).items()}
    for name, (_, headings) in ssda903.tables_for(year).items():
        files[name].write(",".join(headings) + "\n")
    for n in range(children):
        c = str(100000 + n)
        ethnic = "XXXX" if bad_first_row and n == 0 else "WBRI"
        files["Header"].write(f"{c},{'MF'[n % 2]},14/02/2012,{ethnic},UN5,0,\n")
        files["Episodes"].write(f"{c},01/02/2023,S,C2,N1,U4,PR1,31/01/2024,E11,,TW1 1AA,TW1 1AF,"
                                f"XXXXXXX\n{c},01/02/2024,S,C2,N1,U4,PR1,,,,TW1 1AA,TW1 1AF,"
                                "XXXXXXX\n")
        files["Reviews"].write(f"{c},14/02/2012,20/05/2025,PN1\n{c},14/02/2012,20/11/2025,PN1\n")
        files["Missing"].write(f"{c},14/02/2012,M,01/05/2025,03/05/2025\n")
        files["SWEpisodes"].write(f"{c},14/02/2012,SW{n % 400},01/02/2023,01/06/2024,FCONTA\n"
                                  f"{c},14/02/2012,SW{(n + 1) % 400},01/06/2024,,LEFTRL\n")
    for f in files.values():
        f.close()
    (out / "manifest.json").write_text('{"year": %d}' % year)
    return sum(p.stat().st_size for p in out.iterdir())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=50)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--flush", action="store_true")
    parser.add_argument("--check-only", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cairn.people.models import Child
    from cairn.returns import importers

    call_command("migrate", verbosity=0)
    if args.flush:
        call_command("flush", interactive=False, verbosity=0)
    if Child.objects.exists():
        sys.exit("The database has children: an import loads only into an empty record "
                 "(--flush empties it)")
    children = int(args.megabytes * 1e6 / BYTES_PER_CHILD)
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        size = write_return(Path(tmp), children, args.year, args.check_only)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        start = time.perf_counter()
        try:
            counts = importers.load_ssda903(Path(tmp))
            outcome = f"loaded {counts['children']} children, {sum(counts.values())} rows"
        except importers.ImportRefused as refused:
            outcome = f"refused with {len(refused.problems)} problem(s) (--check-only)"
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"SSDA903 import, {connection.vendor}: {size / 1e6:.1f} MB, {children} children; "
          f"{outcome}")
    print(f"{seconds:.1f} s; peak resident memory {peak / 1e6:.0f} MB "
          f"({(peak - before) / 1e6:.0f} MB more than before the import, "
          f"{(peak - before) / size:.1f} x the file)")


if __name__ == "__main__":
    main()
