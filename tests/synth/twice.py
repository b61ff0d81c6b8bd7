"""Two builds of one seed, each in a process of its own, compared table by table and return by
return: the same seed and --as-of must give the same authority (issue 10).

    python tests/synth/twice.py compare --children 500 --seed 1 --as-of 2026-11-20
        makes two fresh databases beside the one DATABASE_URL names (SQLite files without it),
        migrates each, builds once into each in its own process under PYTHONHASHSEED 1 and 2,
        and prints, for every table of the cairn apps and auth, the rows of each build and
        whether they are identical, then the same for each return file.
    python tests/synth/twice.py build OUT --children N --seed S --as-of D
        one build into the migrated, empty database DATABASE_URL names; writes every table to
        OUT/tables.json and the statutory returns to OUT/returns (what `compare` runs twice).

tests/synth/test_determinism.py builds the same way into two copies of the test database.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve()
EXTRA_APPS = ("django.contrib.auth",)  # compared beside every cairn app
# Rows Cairn computes from the facts after a build (core.open_dues), numbered by the database
# and stamped with the time they were built: compared by their content, without those.
COMPUTED = {"core.OpenDue": ("id",), "core.OpenDueState": ("id", "built_at")}
# The CIN census header's <DateTime> is the time the file was made: the one byte range that
# may differ between two builds.
CIN_CREATED = re.compile(rb"<DateTime>[^<]*</DateTime>")


# -- in the building process ----------------------------------------------------------------------

# Not the record: a mark that changes at every write (core.changes), new and random each time.
NOT_RECORD = {"core.RecordChanged"}


def models() -> list:
    """The models of every cairn app and of auth, many-to-many tables included (but the
    record's change mark)."""
    from django.apps import apps

    return sorted((model for config in apps.get_app_configs()
                   if config.name.startswith("cairn.") or config.name in EXTRA_APPS
                   for model in config.get_models(include_auto_created=True)
                   if model._meta.managed and not model._meta.proxy
                   and model._meta.label not in NOT_RECORD),
                  key=lambda model: model._meta.label)


def tables() -> dict[str, dict]:
    """Every row of every table of `models()`, every column, in primary key order:
    {label: {"columns": [...], "rows": [[...], ...]}}."""
    out = {}
    for model in models():
        left_out = COMPUTED.get(model._meta.label, ())
        columns = [f.attname for f in model._meta.concrete_fields if f.attname not in left_out]
        rows = [[_plain(v) for v in row]
                for row in model._base_manager.order_by("pk").values_list(*columns)]
        if left_out:
            rows.sort(key=json.dumps)
        out[model._meta.label] = {"columns": columns, "rows": rows}
    return out


def _plain(value):
    """A value JSON keeps as it is, or its type and text (dates, times, decimals)."""
    if value is None or isinstance(value, (bool, int, float, str, dict, list)):
        return value
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return f"{type(value).__name__} {text}"


def census_years(as_of: date) -> tuple[int, int, int]:
    """The two collection years (to 31 March) that ended by `as_of`, and the one running."""
    year = as_of.year if (as_of.month, as_of.day) >= (3, 31) else as_of.year - 1
    return year - 1, year, year + 1


def build(out: Path, *, children: int, seed: int, years: int, as_of: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
    import django

    django.setup()
    from django.core.management import call_command

    quiet = open(os.devnull, "w")
    call_command("synth", children=children, seed=seed, years=years, as_of=as_of,
                 no_progress=True, stdout=quiet)
    (out / "tables.json").write_text(json.dumps(tables()))
    returns = out / "returns"
    returns.mkdir()
    for year in census_years(date.fromisoformat(as_of)):
        call_command("returns", "cin", "--year", str(year),
                     "--out", str(returns / f"cin-{year}.xml"))
        call_command("returns", "ssda903", "--year", str(year),
                     "--out", str(returns / f"ssda903-{year}"), stdout=quiet)
    call_command("returns", "annex-a", "--as-of", as_of, "--out", str(returns / "annex-a.xlsx"))


# -- in the comparing process ---------------------------------------------------------------------

def run_builds(builds: list[tuple[Path, str, str]], *, children: int, seed: int, years: int,
               as_of: str) -> None:
    """Builds side by side, each (OUT, DATABASE_URL, PYTHONHASHSEED) in a process of its own:
    its own hash seed and, address space randomisation being on, its own object addresses."""
    running = []
    for out, database_url, hash_seed in builds:
        out.mkdir(parents=True)
        env = {**os.environ, "DATABASE_URL": database_url, "PYTHONHASHSEED": hash_seed,
               "DJANGO_SETTINGS_MODULE": "cairn.settings"}
        running.append((out, subprocess.Popen(
            [sys.executable, str(HERE), "build", str(out), "--children", str(children),
             "--seed", str(seed), "--years", str(years), "--as-of", as_of],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)))
    failed = []
    for out, process in running:
        output, _ = process.communicate()
        if process.returncode:
            failed.append(f"The build into {out} failed:\n{output}")
    if failed:
        raise RuntimeError("\n".join(failed))


def compare_tables(first: Path, second: Path) -> list[tuple[str, int, int, bool, str]]:
    """(table, rows in build 1, rows in build 2, identical, the first difference) per table."""
    a = json.loads((first / "tables.json").read_text())
    b = json.loads((second / "tables.json").read_text())
    out = []
    for label in sorted(a.keys() | b.keys()):
        ta, tb = a.get(label), b.get(label)
        if ta is None or tb is None:
            out.append((label, len(ta["rows"]) if ta else 0, len(tb["rows"]) if tb else 0,
                        False, "the table is missing from one build"))
        else:
            same = ta == tb
            out.append((label, len(ta["rows"]), len(tb["rows"]), same,
                        "" if same else _first_difference(ta, tb)))
    return out


def _first_difference(ta: dict, tb: dict) -> str:
    columns = ta["columns"]
    if columns != tb["columns"]:
        return f"columns {columns} and {tb['columns']}"
    for ra, rb in zip(ta["rows"], tb["rows"]):
        if ra != rb:
            cells = "; ".join(f"{c} {x!r} / {y!r}" for c, x, y in zip(columns, ra, rb) if x != y)
            return f"first differing row, {columns[0]} {ra[0]}: {cells}"
    return "the same rows, but more of them in one build"


def compare_returns(first: Path, second: Path) -> list[tuple[str, bool, str]]:
    """(file, identical, how compared) for each return file: the CIN census byte for byte but
    for its header's creation time, the SSDA903 CSVs, manifests and the Annex A workbook byte
    for byte."""
    ra, rb = first / "returns", second / "returns"
    names = sorted({p.relative_to(root).as_posix() for root in (ra, rb)
                    for p in root.rglob("*") if p.is_file()})
    out = []
    for name in names:
        pa, pb = ra / name, rb / name
        if not (pa.is_file() and pb.is_file()):
            out.append((name, False, "written by one build only"))
        elif name.endswith(".xml"):
            xa, xb = pa.read_bytes(), pb.read_bytes()
            one_each = len(CIN_CREATED.findall(xa)) == len(CIN_CREATED.findall(xb)) == 1
            out.append((name, one_each and CIN_CREATED.sub(b"", xa) == CIN_CREATED.sub(b"", xb),
                        "bytes, header DateTime aside"))
        else:
            out.append((name, pa.read_bytes() == pb.read_bytes(), "bytes"))
    return out


def report(first: Path, second: Path) -> tuple[str, bool]:
    """The comparison as a plain-text table, and whether everything was identical."""
    rows = compare_tables(first, second)
    files = compare_returns(first, second)
    width = max(len(name) for name in [r[0] for r in rows] + [f[0] for f in files]) + 2
    lines = [f"{'table':{width}}{'build 1':>9}{'build 2':>9}  identical"]
    for label, n1, n2, same, why in rows:
        lines.append(f"{label:{width}}{n1:>9,}{n2:>9,}  {'yes' if same else 'NO: ' + why}")
    lines += ["", f"{'return file':{width}}  identical"]
    for name, same, how in files:
        lines.append(f"{name:{width}}  {'yes' if same else 'NO'} ({how})")
    lines += ["", f"{sum(r[3] for r in rows)} of {len(rows)} tables identical "
                  f"({sum(r[1] for r in rows):,} and {sum(r[2] for r in rows):,} rows); "
                  f"{sum(f[1] for f in files)} of {len(files)} return files identical"]
    return "\n".join(lines), all(r[3] for r in rows) and all(f[1] for f in files)


# -- `compare`: two fresh databases ---------------------------------------------------------------

def _fresh_databases(work: Path, names: tuple[str, ...]) -> list[str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return [f"sqlite:///{work / f'{n}.sqlite3'}" for n in names]
    import psycopg

    base, _, dbname = url.rpartition("/")
    urls = []
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        for n in names:
            name = f"{dbname}_{n}"
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
            urls.append(f"{base}/{name}")
    return urls


def _drop_databases(urls: list[str]) -> None:
    if not urls or not urls[0].startswith("postgres"):
        return
    import psycopg

    with psycopg.connect(f"{urls[0].rpartition('/')[0]}/postgres", autocommit=True) as conn:
        for url in urls:
            conn.execute(f'DROP DATABASE IF EXISTS "{url.rpartition("/")[2]}"')


def compare(*, children: int, seed: int, years: int, as_of: str) -> bool:
    with tempfile.TemporaryDirectory(prefix="cairn-twice-") as tmp:
        work = Path(tmp)
        urls = _fresh_databases(work, ("twice_1", "twice_2"))
        try:
            for url in urls:
                subprocess.run([sys.executable, "-m", "cairn", "migrate", "-v0"],
                               env={**os.environ, "DATABASE_URL": url}, check=True)
            run_builds([(work / f"build{n}", url, str(n)) for n, url in enumerate(urls, 1)],
                       children=children, seed=seed, years=years, as_of=as_of)
        finally:
            _drop_databases(urls)
        text, ok = report(work / "build1", work / "build2")
    engine = "PostgreSQL" if urls[0].startswith("postgres") else "SQLite"
    print(f"cairn synth --children {children} --seed {seed} --years {years} --as-of {as_of}, "
          f"built twice on {engine}, into two fresh databases, under PYTHONHASHSEED 1 and 2\n")
    print(text)
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["build", "compare"])
    parser.add_argument("out", nargs="?", type=Path, help="build: where to write")
    parser.add_argument("--children", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--as-of", default="2026-11-20")
    args = parser.parse_args(argv)
    if args.what == "build":
        if args.out is None:
            parser.error("build needs OUT")
        build(args.out, children=args.children, seed=args.seed, years=args.years,
              as_of=args.as_of)
        return 0
    return 0 if compare(children=args.children, seed=args.seed, years=args.years,
                        as_of=args.as_of) else 1


if __name__ == "__main__":
    sys.exit(main())
