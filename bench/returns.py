"""Returns benchmark: the SSDA903 tables, the CIN census and Annex A on a large authority.

    DATABASE_URL=postgres://... python bench/returns.py [--children 60000] [--seed 1]
            [--year 2026] [--build] [--repeat 3]

Builds the authority with `cairn synth` if asked (or if the database has no children), then
times each return (read, project and write the file) and prints seconds, seconds per 1,000
children in the return, the queries it made, and its ratio to the floor measured in the same
run: the same rows read with plain SQL, each query the return made (about one per table) replayed
on a bare cursor with every row fetched and no model objects built, so the ratio is what the ORM
and the projection cost over merely fetching the data.
"""

import argparse
import os
import re
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")

TABLE = re.compile(r'(?:FROM|JOIN)\s+"([a-z_0-9]+)"', re.I)


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=60000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cairn.people.models import Child
    from cairn.returns import annex_a, cin, ssda903

    call_command("migrate", verbosity=0)
    if args.build or not Child.objects.exists():
        start = time.perf_counter()
        call_command("synth", children=args.children, seed=args.seed, years=args.years,
                     as_of=f"{args.year}-04-30", no_progress=True)
        print(f"synth: {args.children} children in {time.perf_counter() - start:.1f} s")

    out = Path(tempfile.mkdtemp(prefix="bench-returns-"))
    as_of = date(args.year, 3, 31)
    returns = {
        "SSDA903": (lambda: ssda903.write(ssda903.build(args.year), args.year, out / "903"),
                    lambda: sum(1 for _ in open(out / "903" / "header.csv")) - 1),
        "CIN census": (lambda: (out / "cin.xml").write_bytes(cin.to_bytes(cin.build(args.year))),
                       lambda: (out / "cin.xml").read_text().count("<Child>")),
        "Annex A": (lambda: annex_a.write(annex_a.build(as_of), out / "annex-a.xlsx"),
                    # Lists 1 to 10 are children (11 is adopters), keyed by Child Unique ID.
                    lambda: len({row[0] for name, rows in annex_a.build(as_of).items()
                                 if name != "List 11" for row in rows})),
    }
    print(f"children in the record: {Child.objects.count()}, database: {connection.vendor}, "
          f"year {args.year}")
    print(f"{'return':12} {'seconds':>8} {'children':>9} {'s/1000':>7} {'queries':>8} "
          f"{'floor s':>8} {'x floor':>8}  tables")
    for name, (produce, count_children) in returns.items():
        tables, queries = set(), []

        def spy(execute, sql, params, many, context):
            queries.append((sql, params))
            tables.update(TABLE.findall(sql))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(spy):
            produce()  # warm, and learn which tables it reads
        seconds = best(produce, args.repeat)
        floor = best(lambda: _floor(connection, queries), args.repeat)
        kids = count_children()
        print(f"{name:12} {seconds:8.2f} {kids:9d} {seconds / max(kids, 1) * 1000:7.3f} "
              f"{len(queries):8d} {floor:8.2f} {seconds / floor:8.1f}  {len(tables)}")


def _floor(connection, queries):
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            cursor.fetchall()


if __name__ == "__main__":
    main()
