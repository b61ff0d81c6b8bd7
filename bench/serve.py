"""What a user waits for: Cairn served for real, probed over HTTP at 1, 10 and 50 users.

    python bench/serve.py [--sizes 15000,60000] [--users 1,10,50] [--rounds 20]
                          [--database postgres://cairn:cairn@127.0.0.1:5432/cairn_bench]

For each size, builds a synthetic authority into a database of its own (`<name>_<size>`; kept,
and reused by a later run with the same size and seed), serves it with gunicorn under Cairn's own
settings (cairn.gunicorn_conf: threaded workers, WhiteNoise, sessions in the database), signs in
as the demo's staff, and requests every kind of page in rounds. Each round sends every page and
the two references from the same server (a static file, and a bare Django view through all of
Cairn's middleware) in a new random order, so load that drifts during the run falls on pages and
references alike; at a level of N users, N clients send each request at once.

Prints, per level, each page's true p50, p95 and p99 (nearest rank over rounds x users samples),
its median as a multiple of the bare view's median in the same run, and, with two sizes or more,
each page's growth: its multiple of the bare view at the largest authority over that at the
smallest (1.0 is flat). Then, at each size, the analyst asks for the CIN census and Annex A
through the Returns page, as a user does, and the time until each file is ready from the
background worker (which gunicorn's hooks start beside the server, as in the demo) is printed.

Without --database it builds SQLite databases in a temporary folder (quick, but SQLite is not
what an authority runs on).
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "cairn-demo-2026"  # synth's demo staff (synthetic data only)
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def database_for(base: str | None, size: int, seed: int, scratch: Path,
                 rebuild: bool = False) -> dict:
    """The environment that points Cairn at this size's database (dropped first if `rebuild`:
    a kept database was built by the synth of its day)."""
    folder = scratch / f"var_{size}_{seed}"  # the SQLite database, if no --database; static
    folder.mkdir(parents=True, exist_ok=True)
    if not base:
        return {"CAIRN_VAR_DIR": str(folder)}
    parts = urlsplit(base)
    name = f"{parts.path.lstrip('/')}_{size}_{seed}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    exists = subprocess.run([sys.executable, "-c", (
        "import psycopg,sys\n"
        f"c=psycopg.connect({admin!r}, autocommit=True)\n"
        + (f"c.execute('drop database if exists \"{name}\"')\n" if rebuild else "") +
        f"r=c.execute(\"select 1 from pg_database where datname=%s\", [{name!r}]).fetchone()\n"
        f"r or c.execute('create database \"{name}\"')\n"
        "print('kept' if r else 'new')")], capture_output=True, text=True, check=True)
    print(f"  database {name}: {exists.stdout.strip()}", flush=True)
    return {"DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}")),
            "CAIRN_VAR_DIR": str(folder)}


def cairn(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cairn", *args], env=env, check=True,
                          **kwargs)


def build(env: dict, size: int, seed: int, years: int) -> None:
    cairn(env, "migrate", "--verbosity", "0")
    held = cairn(env, "shell", "--no-imports", "-c", "from cairn.people.models import Child; "
                 "print(Child.objects.count())", capture_output=True, text=True).stdout.strip()
    if int(held) > 0:
        print(f"  {held} children already built", flush=True)
    else:
        started = time.perf_counter()
        cairn(env, "synth", "--children", str(size), "--seed", str(seed), "--years",
              str(years), "--no-progress")
        print(f"  synth {size} children in {time.perf_counter() - started:.0f} s", flush=True)
    if "DATABASE_URL" in env:
        # As a loaded authority is left by autovacuum (README, Sizing): statistics taken and
        # the visibility map set, so the planner can read indexes alone.
        cairn(env, "shell", "--no-imports", "-c", "from django.db import connection; "
              "connection.cursor().execute('VACUUM ANALYZE')", capture_output=True)


class Server:
    """gunicorn serving one authority, with Cairn's own serving settings."""

    def __init__(self, env: dict, port: int):
        self.port = port
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "bench.wsgi:application", "--config",
             "python:cairn.gunicorn_conf", "--bind", f"{HOST}:{port}"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(600):
            try:
                socket.create_connection((HOST, port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit(self.process.stderr.read().decode()[-2000:]) from None
                time.sleep(0.2)
        raise SystemExit("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


class Session:
    """One signed-in member of staff; a connection of its own in each thread that uses it."""

    def __init__(self, port: int, username: str | None):
        self.port, self.cookies, self.local = port, {}, threading.local()
        if username:
            self.sign_in(username)

    def _connection(self) -> http.client.HTTPConnection:
        if getattr(self.local, "connection", None) is None:
            self.local.connection = http.client.HTTPConnection(HOST, self.port, timeout=300)
        return self.local.connection

    def request(self, method: str, path: str, body: str | None = None
                ) -> http.client.HTTPResponse:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   "Referer": f"http://{HOST}:{self.port}{path}"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):  # a kept-alive connection the server closed: open another
            connection = self._connection()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.body = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                connection.close()
                self.local.connection = None
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";")[0]
        return response

    def sign_in(self, username: str) -> None:
        page = self.request("GET", "/sign-in/").body.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        done = self.request("POST", "/sign-in/", urlencode({
            "csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}))
        if done.status != 302:
            raise SystemExit(f"{username} could not sign in ({done.status})")

    def get(self, path: str) -> float:
        started = time.perf_counter()
        response = self.request("GET", path)
        took = time.perf_counter() - started
        if response.status != 200:
            raise SystemExit(f"{path} answered {response.status}")
        return took


def pages(port: int, env: dict) -> list[tuple[str, Session, str]]:
    """Every kind of page, each as the role that uses it, on this authority's own rows."""
    found = cairn(env, "shell", "--no-imports", "-c", FIND, capture_output=True, text=True).stdout
    rows = dict(line.split("=", 1) for line in found.strip().splitlines() if "=" in line)
    roles = {}

    def as_(username: str) -> Session:
        if username not in roles:
            roles[username] = Session(port, username)
        return roles[username]

    anonymous = Session(port, None)
    static = re.search(r'src="(/static/cairn/app[^"]*\.js)"',
                       as_("sw.demo").request("GET", "/").body.decode()).group(1)
    child, team, surname = rows["child"], rows["team"], rows["surname"]
    misspelt = surname[0] + surname[2:] if len(surname) > 3 else surname
    print(f"  pages for child {child} (caseload of sw.demo {rows['caseload']}), team {team} "
          f"({rows['team_children']} children)", flush=True)
    sw = as_("sw.demo")
    record = [(f"social worker: child {section or 'summary'}",
               f"/children/{child}/{section + '/' if section else ''}")
              for section in ("", "chronology", "timescales", "actions", "relationships",
                              "case-notes", "history", "protection", "legal", "care")]
    homes = [(f"{role}: my work", username) for role, username in (
        ("early help", "earlyhelp.demo"), ("early help manager", "ehm.demo"),
        ("service manager", "sm.demo"), ("reviewing officer", "iro.demo"),
        ("personal adviser", "pa.demo"), ("fostering", "fostering.demo"),
        ("analyst", "analyst.demo"), ("auditor", "auditor.demo"),
        ("director", "director.demo"))]
    return [
        ("reference: static file", anonymous, static),
        ("reference: bare Django view", sw, "/bench/bare/"),
        ("social worker: my work", sw, "/"),
        *[(name, sw, path) for name, path in record],
        ("social worker: child early help", sw, f"/front-door/children/{child}/early-help/"),
        ("social worker: search, misspelt", sw, f"/search?q={misspelt}"),
        ("team manager: my work", as_("tm.demo"), "/"),
        ("team manager: team", as_("tm.demo"), f"/teams/{team}/"),
        ("team manager: authorisations", as_("tm.demo"), "/authorisations/"),
        ("team manager: legal tracker", as_("tm.demo"), "/legal/"),
        ("front door: my work", as_("frontdoor.demo"), "/"),
        ("front door: queue", as_("frontdoor.demo"), "/front-door/"),
        ("service manager: legal tracker", as_("sm.demo"), "/legal/"),
        *[(name, as_(username), "/") for name, username in homes],
        ("analyst: search, whole authority", as_("analyst.demo"), f"/search?q={misspelt}"),
        ("analyst: returns", as_("analyst.demo"), "/returns/"),
        ("analyst: all indicators", as_("analyst.demo"), "/insight/indicators/"),
        ("team manager: an indicator", as_("tm.demo"),
         "/insight/indicators/cin_rereferrals_12m/"),
        ("team manager: the children behind it", as_("tm.demo"),
         "/insight/indicators/cp_visits_in_time/children/"),
        ("director: the authority's children behind one", as_("director.demo"),
         "/insight/indicators/cla_31mar/children/?scope=authority"),
    ]


FIND = """
from cairn.workforce.models import Allocation, Staff
sw = Staff.objects.get(username="sw.demo")
held = Allocation.objects.current().filter(worker=sw, ended_on__isnull=True)
first = held.select_related("child").order_by("child_id").first()
print("child=%s" % first.child_id)
print("surname=%s" % first.child.family_name)
print("caseload=%s" % held.count())
print("team=%s" % sw.team_id)
print("team_children=%s" % Allocation.objects.current().filter(
    team=sw.team_id, ended_on__isnull=True).values("child").distinct().count())
"""


def returns_in_background(port: int, year: int) -> None:
    """The analyst asks for the CIN census and Annex A as a user does (the Returns page's
    download), and the time is taken until each file is ready from the background worker."""
    analyst = Session(port, "analyst.demo")
    for kind, label in (("cin", "CIN census"), ("annex-a", "Annex A")):
        form = analyst.request("GET", "/returns/").body.decode()
        fields = {"csrfmiddlewaretoken": re.search(
                      r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1),
                  "submission_key": re.search(
                      r'name="submission_key" value="([^"]+)"', form).group(1),
                  "kind": kind, "year": str(year)}
        if kind == "annex-a":
            today = time.localtime()
            fields.update(as_of_0=str(today.tm_mday), as_of_1=str(today.tm_mon),
                          as_of_2=str(today.tm_year))
        started = time.perf_counter()
        asked = analyst.request("POST", "/returns/download/", urlencode(fields))
        answered = time.perf_counter() - started
        job = re.search(r"/returns/jobs/(\d+)/", asked.headers.get("Location", ""))
        if asked.status != 302 or not job:
            raise SystemExit(f"{label}: the request answered {asked.status}")
        status = {}
        while time.perf_counter() - started < 600:
            status = json.loads(analyst.request(
                "GET", f"/returns/jobs/{job.group(1)}/status/").body)
            if status.get("finished"):
                break
            time.sleep(0.25)
        ready = time.perf_counter() - started
        if status.get("status") != "done":
            raise SystemExit(f"{label}: the job ended {status}")
        file = analyst.request("GET", f"/returns/jobs/{job.group(1)}/file/")
        print(f"  {label}: asked in {answered * 1000:.0f} ms, ready for download after "
              f"{ready:.1f} s ({len(file.body) // 1024} KB)", flush=True)


def percentile(sorted_samples: list[float], p: float) -> float:
    """Nearest rank: the smallest sample at or above p per cent of them."""
    return sorted_samples[max(0, math.ceil(p / 100 * len(sorted_samples)) - 1)]


def measure(page_list, users: int, rounds: int, pool: ThreadPoolExecutor) -> dict:
    samples: dict[str, list[float]] = {name: [] for name, _, _ in page_list}
    for _ in range(rounds):
        order = random.sample(page_list, len(page_list))
        for name, session, path in order:
            samples[name] += list(pool.map(lambda _, s=session, p=path: s.get(p), range(users)))
    out = {}
    for name, values in samples.items():
        values.sort()
        out[name] = {"p50": statistics.median(values), "p95": percentile(values, 95),
                     "p99": percentile(values, 99)}
    return out


def report(size: int, users: int, results: dict) -> None:
    bare = results["reference: bare Django view"]["p50"]
    print(f"\n{size} children, {users} user{'s' if users > 1 else ''} at once")
    print(f"  {'page':40} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'p50/bare':>9} "
          f"{'p95/p50':>8}")
    for name, r in results.items():
        print(f"  {name:40} {r['p50'] * 1000:8.1f} {r['p95'] * 1000:8.1f} "
              f"{r['p99'] * 1000:8.1f} {r['p50'] / bare:9.1f} {r['p95'] / r['p50']:8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="15000,60000")
    parser.add_argument("--users", default="1,10,50")
    parser.add_argument("--rounds", type=int, default=20,
                        help="samples of each page at one user; at N users, N at a time in "
                             "rounds enough for as many (two at least)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--database", help="a PostgreSQL URL; each size gets <name>_<size>_<seed>")
    parser.add_argument("--rebuild", action="store_true",
                        help="drop each size's kept database and build it afresh")
    parser.add_argument("--workers", help="gunicorn workers (default cairn.gunicorn_conf's)")
    parser.add_argument("--threads", help="threads per worker (default cairn.gunicorn_conf's)")
    parser.add_argument("--returns", type=int, default=2026, metavar="YEAR",
                        help="also time the CIN census and Annex A for this collection year, "
                             "asked for as the analyst, built by the background worker (0: no)")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    levels = [int(u) for u in args.users.split(",")]
    random.seed(args.seed)
    scratch = Path(tempfile.mkdtemp(prefix="cairn-bench-"))
    base_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings",
                "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
                "SECRET_KEY": "bench-" + "x" * 50, "CAIRN_PLAIN_HTTP": "1", "CAIRN_DEBUG": "0",
                "ALLOWED_HOSTS": HOST, "CAIRN_SIGNIN_ADDRESS_LIMIT": "100000",
                "CAIRN_TASK_WORKER": "1"}  # the gunicorn hooks run the background worker
    base_env.pop("DATABASE_URL", None)
    for name, value in (("CAIRN_WORKERS", args.workers), ("CAIRN_THREADS", args.threads)):
        if value:
            base_env[name] = value
    medians: dict[int, dict[int, dict]] = {}
    try:
        for size in sizes:
            print(f"authority of {size} children", flush=True)
            env = {**base_env, **database_for(args.database, size, args.seed, scratch,
                                                args.rebuild)}
            build(env, size, args.seed, args.years)
            cairn(env, "collectstatic", "--noinput", "--verbosity", "0")
            server = Server(env, free_port())
            try:
                page_list = pages(server.port, env)
                with ThreadPoolExecutor(max_workers=max(levels)) as pool:
                    measure(page_list, 1, 2, pool)  # warm the server and its connections
                    for users in levels:
                        # Every level gets at least --rounds samples of each page.
                        rounds = max(2, math.ceil(args.rounds / users))
                        results = measure(page_list, users, rounds, pool)
                        report(size, users, results)
                        medians.setdefault(users, {})[size] = results
                if args.returns:
                    print(f"\n{size} children, returns built in the background", flush=True)
                    returns_in_background(server.port, args.returns)
            finally:
                server.stop()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(f"\ngrowth from {small} to {large} children: each page's multiple of the bare "
              "view, at the larger over the smaller (1.0 is flat)")
        print(f"  {'page':40} " + " ".join(f"{f'{u} user(s)':>11}" for u in levels))
        for name in medians[levels[0]][small]:
            if name.startswith("reference"):
                continue
            cells = []
            for users in levels:
                a, b = medians[users][small], medians[users][large]
                ratio = ((b[name]["p50"] / b["reference: bare Django view"]["p50"])
                         / (a[name]["p50"] / a["reference: bare Django view"]["p50"]))
                cells.append(f"{ratio:11.2f}")
            print(f"  {name:40} " + " ".join(cells))


if __name__ == "__main__":
    main()
