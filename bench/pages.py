"""Page benchmark: the child record, caseload, search and team pages on a large authority.

    DATABASE_URL=postgres://... python bench/pages.py [--children 60000] [--seed 1] [--build]
            [--requests 60]

Builds the authority with `cairn synth` if asked (or if the database has no children), then
requests each page through Django's full request cycle (middleware, sessions, templates, the
database) in this process, and prints the median and 95th percentile of each, and their ratio to
a bare Django view measured in the same run, so machine noise cancels out.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
os.environ.setdefault("CAIRN_STATIC_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")


def timed(client, url, n):
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=60000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "bench.urls"
    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from cairn.people.models import Child
    from cairn.workforce.models import Allocation, Role, Staff

    call_command("migrate", verbosity=0)
    if args.build or not Child.objects.exists():
        start = time.perf_counter()
        call_command("synth", children=args.children, seed=args.seed, years=args.years)
        print(f"synth: {args.children} children in {time.perf_counter() - start:.1f} s")

    worker = (Staff.objects.filter(role=Role.SOCIAL_WORKER, allocations__ended_on__isnull=True)
              .order_by("username").first())
    manager = Staff.objects.filter(role=Role.TEAM_MANAGER, team=worker.team).first() or worker
    child = (Allocation.objects.filter(worker=worker, ended_on__isnull=True)
             .order_by("child_id").first().child)
    family_name = child.family_name
    misspelt = family_name[0] + family_name[2:] if len(family_name) > 3 else family_name

    as_worker, as_manager = Client(), Client()
    as_worker.force_login(worker)
    as_manager.force_login(manager)
    pages = [
        ("bare Django view", as_worker, "/bench/bare/"),
        ("caseload (my work)", as_worker, "/"),
        ("child record", as_worker, f"/children/{child.pk}/"),
        ("chronology", as_worker, f"/children/{child.pk}/chronology/"),
        ("timescales", as_worker, f"/children/{child.pk}/timescales/"),
        ("search, misspelt name", as_worker, f"/search?q={child.given_name}+{misspelt}"),
        ("search, whole authority", Client(), None),
        ("team", as_manager, f"/teams/{worker.team_id}/"),
    ]
    analyst = Staff.objects.filter(role=Role.PERFORMANCE_ANALYST).first()
    if analyst:
        pages[6][1].force_login(analyst)
        pages[6] = ("search, whole authority", pages[6][1], f"/search?q={misspelt}")
    else:
        pages.pop(6)

    print(f"children: {Child.objects.count()}, caseload of the worker: "
          f"{Allocation.objects.filter(worker=worker, ended_on__isnull=True).count()}, "
          f"database: {connection.vendor}")
    for _, client, url in pages:  # warm caches and connections
        client.get(url)
    results = {}
    for name, client, url in pages:
        count = [0]

        def counter(execute, sql, params, many, context, count=count):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            client.get(url)
        median, p95 = timed(client, url, args.requests)
        results[name] = (median, p95, count[0])
    base = results["bare Django view"][0]
    print(f"{'page':28} {'median ms':>10} {'p95 ms':>8} {'x bare':>8} {'queries':>8}")
    for name, (median, p95, queries) in results.items():
        print(f"{name:28} {median * 1000:10.1f} {p95 * 1000:8.1f} {median / base:8.1f} "
              f"{queries:8d}")


if __name__ == "__main__":
    main()
