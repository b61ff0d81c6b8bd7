"""Search benchmark: a misspelt name found among every child of a large authority.

    DATABASE_URL=postgres://... python bench/search.py [--children 60000] [--seed 1] [--build]
            [--requests 30]

Builds the authority with `cairn synth` if asked (or if the database has no children), picks a
child, misspells its family name three ways, and searches for it through Django's full request
cycle (middleware, sessions, templates, the database) in this process: as a performance analyst,
who may open every unrestricted child, and as the child's social worker. Prints for each search
how many children it found, where the child sought came, the median and 95th percentile time, its
ratio to a bare Django view measured in the same run, the queries made, and whether PostgreSQL
used the trigram index for the name (EXPLAIN of the query the search made; for a worker, who may
open a few dozen children, the planner rightly starts from those instead).
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
os.environ.setdefault("CAIRN_STATIC_STORAGE",
                      "django.contrib.staticfiles.storage.StaticFilesStorage")

from bench.pages import timed  # noqa: E402

TRIGRAM_OPERATOR = "%>"
INDEX = "person_name_trgm"


def misspellings(name: str) -> dict[str, str]:
    """Three slips a worker makes typing `name`: one letter missed, two swapped, the first wrong."""
    swap = 1 if len(name) > 3 else 0
    first = "K" if name[0] not in "Kk" else "C"
    return {
        "letter missed": name[:2] + name[3:] if len(name) > 3 else name[1:],
        "letters swapped": name[:swap] + name[swap + 1] + name[swap] + name[swap + 2:],
        "first letter wrong": first + name[1:],
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=60000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "bench.urls"
    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from cairn.access import policy
    from cairn.casework.selectors import search_children
    from cairn.people import selectors
    from cairn.people.models import Child
    from cairn.workforce.models import Allocation, Role, Staff

    call_command("migrate", verbosity=0)
    if args.build or not Child.objects.exists():
        start = time.perf_counter()
        call_command("synth", children=args.children, seed=args.seed, years=args.years,
                     no_progress=True)
        print(f"synth: {args.children} children in {time.perf_counter() - start:.1f} s")

    analyst = Staff.objects.filter(role=Role.PERFORMANCE_ANALYST).order_by("username").first()
    if analyst is None:
        raise SystemExit("The authority has no performance analyst to search as")
    # The child sought: the first with an allocated social worker and a family name long enough
    # to misspell three ways.
    allocation = (Allocation.objects.filter(ended_on__isnull=True, worker__role=Role.SOCIAL_WORKER,
                                            child__restricted=False)
                  .select_related("child", "worker").order_by("child_id").iterator())
    allocation = next((a for a in allocation if len(a.child.family_name) >= 5), None)
    if allocation is None:
        raise SystemExit("No allocated child has a family name of five letters or more")
    child, worker = allocation.child, allocation.worker

    as_analyst, as_worker = Client(), Client()
    as_analyst.force_login(analyst)
    as_worker.force_login(worker)
    searches = [("bare Django view", as_worker, None)]
    for slip, family_name in misspellings(child.family_name).items():
        searches.append((f"{family_name}: {slip}", as_analyst, family_name))
    given_and_family = f"{child.given_name} {misspellings(child.family_name)['letter missed']}"
    searches.append((f"{given_and_family}", as_analyst, given_and_family))
    searches.append((f"{given_and_family}, as worker", as_worker, given_and_family))

    print(f"children: {Child.objects.count()}, the analyst may open "
          f"{policy.visible_children(analyst).count()}, the worker "
          f"{policy.visible_children(worker).count()}, database: {connection.vendor}")
    print(f"child sought: {child.given_name} {child.family_name} ({child.la_child_id})")

    results = {}
    for name, client, query in searches:
        url = "/bench/bare/" if query is None else "/search?" + urlencode({"q": query})
        client.get(url)  # warm caches and connections
        sql = []

        def capture(execute, statement, params, many, context, sql=sql):
            sql.append((statement, params))
            return execute(statement, params, many, context)

        with connection.execute_wrapper(capture):
            client.get(url)
        found = rank = index = "-"
        if query is not None:
            viewer = analyst if client is as_analyst else worker
            ranked = search_children(viewer=viewer, query=query)
            found, rank = len(ranked), place(ranked, child)
            index = uses_index([s for s in sql if TRIGRAM_OPERATOR in s[0]], connection,
                               transaction, selectors.TRIGRAM_THRESHOLD)
        median, p95 = timed(client, url, args.requests)
        results[name] = (median, p95, len(sql), found, rank, index)

    base = results["bare Django view"][0]
    print(f"{'search':34} {'found':>6} {'rank':>9} {'median ms':>10} {'p95 ms':>8} "
          f"{'x bare':>7} {'queries':>8} {'index':>6}")
    for name, (median, p95, queries, found, rank, index) in results.items():
        print(f"{name:34} {found:>6} {rank:>9} {median * 1000:10.1f} {p95 * 1000:8.1f} "
              f"{median / base:7.1f} {queries:8d} {index:>6}")


def place(results, child) -> str:
    """Where `child` came in `results`: a range where others scored the same (ties are listed
    by name), "missed" if it is not there."""
    score = next((r.score for r in results if r.child.pk == child.pk), None)
    if score is None:
        return "missed"
    tied = [n for n, r in enumerate(results, 1) if r.score == score]
    return f"{tied[0]}" if len(tied) == 1 else f"{tied[0]}-{tied[-1]}"


def uses_index(statements, connection, transaction, threshold) -> str:
    """Whether PostgreSQL's plan for the name query reads the trigram index."""
    if connection.vendor != "postgresql":
        return "n/a"
    if not statements:
        return "none"
    statement, params = statements[0]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                       [str(threshold)])
        cursor.execute("EXPLAIN " + statement, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return "yes" if re.search(rf"\b{INDEX}\b", plan) else "no"


if __name__ == "__main__":
    main()
