"""Run the sector's validators on what Cairn would submit, and keep what they find.

The validators need Python 3.11 with pandas below 2, so they live in .venv-validators
(`make validators-venv`, which `make demo` and `make test` run first) and run as a separate
process: the runner scripts in validator_runners/ print JSON, read here.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import tempfile
from collections import defaultdict
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from cairn.care.models import LookedAfterEpisode
from cairn.core.errors import RecordError
from cairn.people.models import Child

from . import annex_a, cin, ssda903
from .models import ReturnKind, ValidationFailure, ValidationRun
from .selectors import authority, birthday

log = logging.getLogger(__name__)

RUNNERS = Path(__file__).parent / "validator_runners"
ROOT = Path(__file__).resolve().parents[3]
# csc-validator-be-903 0.1.17: rules 231 and 233 read columns its ingress never creates and
# raise KeyError on every input.
KNOWN_CRASHING_903 = {"231", "233"}
# From 2026-27, rules 709 and 710 (a child with a DoLO in an unexpected or forbidden placement)
# read `overlaps["PLACEMENT"]`, a column the validator's Episodes table calls PLACE
# (lac_validator/config.py), and raise KeyError 'PLACEMENT' on every input.
KNOWN_CRASHING_903_BY_YEAR = {2027: {"709", "710"}}


# Rules run apart from the rest, on data no other rule has touched: the 2022-23 rule 365 (still
# in the 2026-27 set) writes 31 March into every open episode's DEC in the shared tables, after
# which rules 575, 577 and 707 read every child still looked after as having left care and fire
# on each open missing period (575, 577) and open DoLO (707: "Child ceased to be looked after
# but there is a DoLO without an end date"). A year's rules that do not exist are not run.
ALONE_903 = ["575", "577", "707"]


# Defects of the validator's rules that Cairn meets on real returns (issue 12: another
# supplier's files for a varied authority), by rule. A failure one of them explains is kept
# apart as `known` ("known validator defect, not counted"), never dropped; any other failure
# of the same rule still counts.
KNOWN_DEFECTS_903 = {
    # The 2024-25 code list (lac2024_25/rule_146.py) spells K3 "k3": every episode in
    # registered supported accommodation fails as "not a valid code". 2025-26 spells it K3.
    "146": "the 2024-25 list of placement codes spells K3 as \"k3\"",
    # 214 says a short break (LS V3, V4) has no placement postcode or URN; 218 asks a URN of
    # every placement type not on its own list, short breaks included: a short break in a
    # registered setting cannot pass both. The DfE's guidance is 214's: no URN is kept.
    "218": "rule 218 asks a URN of a short break, which rule 214 says has none",
    # 1001 concatenates this year's and last year's episodes without new row labels, so the
    # labels collide and it fires or not with the rows' order; it also sees only those two
    # years. Cairn has every episode: one its own record shows was looked after 13 weeks
    # since 14, some of it after 16, is a care leaver whatever the rule made of the two years.
    "1001": "rule 1001 mixes the two years' rows (it fires or not with their order) and sees "
            "no care before last year's return",
}


def known_crashing_903(year: int) -> set[str]:
    return KNOWN_CRASHING_903 | KNOWN_CRASHING_903_BY_YEAR.get(year, set())


# What a page says when the validators cannot run: what is missing and who can fix it, with no
# path or command (those go to the log and to `cairn returns validate`, for the administrator).
NOT_SET_UP = ("Checking returns is not set up on this server. Ask your system administrator to "
              "install the DfE validators.")
FAILED = ("The validator stopped with an error, so the return was not checked. Try again; if "
          "it happens again, ask your system administrator to look at the server's log.")


class ValidatorsUnavailable(RecordError):
    """The validators could not run. `message` is for anyone; `detail` (the path, the command,
    the validator's own error) for the administrator who can fix it."""

    def __init__(self, message: str, detail: str):
        super().__init__(message)
        self.detail = detail


def validators_python() -> Path:
    """The Python of the validators' environment: CAIRN_VALIDATORS_PYTHON, else the
    .venv-validators that `make` builds beside the source."""
    configured = os.environ.get("CAIRN_VALIDATORS_PYTHON")
    return Path(configured) if configured else ROOT / ".venv-validators" / "bin" / "python"


def available() -> bool:
    """Whether the validators' environment is there to run (checked before offering to)."""
    python = validators_python()
    return python.is_file() and os.access(python, os.X_OK)


@dataclass
class Result:
    kind: str
    year: int
    failures: list[dict]
    crashed: list[str] = field(default_factory=list)
    known: list[dict] = field(default_factory=list)
    run: ValidationRun | None = None

    @property
    def errors(self) -> list[dict]:
        return [f for f in self.failures if f.get("type", "ERROR") == "ERROR"]

    @property
    def rules(self) -> set[str]:
        return {f["rule"] for f in self.failures}


def _run(script: str, *args: str) -> dict:
    python = validators_python()
    missing = (f"The validators' environment is missing ({python}): run `make validators-venv` "
               "or set CAIRN_VALIDATORS_PYTHON")
    if not available():
        log.warning("returns: %s", missing)
        raise ValidatorsUnavailable(NOT_SET_UP, missing)
    try:
        done = subprocess.run([str(python), str(RUNNERS / script), *args],
                              capture_output=True, text=True, cwd=tempfile.gettempdir())
    except OSError as error:
        log.warning("returns: the validator %s could not start: %s", script, error)
        raise ValidatorsUnavailable(NOT_SET_UP, f"{missing}: {error}") from error
    if done.returncode != 0:
        stderr = done.stderr.strip()[-2000:]
        # One line in the log (the error's last); the whole of it goes to the command line.
        log.warning("returns: the validator %s failed: %s", script,
                    stderr.splitlines()[-1] if stderr else done.returncode)
        if "ModuleNotFoundError" in stderr:  # an environment half built
            raise ValidatorsUnavailable(NOT_SET_UP, f"{missing}: {stderr}")
        raise ValidatorsUnavailable(FAILED, f"The validator {script} failed: {stderr}")
    try:
        return json.loads(done.stdout)
    except ValueError as error:
        log.warning("returns: the validator %s printed no result: %s", script, error)
        raise ValidatorsUnavailable(FAILED, f"The validator {script} printed no result: "
                                    f"{done.stdout[-2000:]}") from error


@contextmanager
def previous_year(prev: Path, year: int):
    """The previous year's tables as the validator should read them.

    Rule 706 compares this year's DoLo with last year's (DoLo_last) and raises KeyError when
    there is none. Returns before 2026-27 had no DoLo table: no order was reported, which is
    what an empty table with the DoLo headings says, so one is added beside a copy of the
    previous year's tables (the folder given is left as it was).
    """
    filename, headings = ssda903.DOLO
    if year < ssda903.DOLO_FROM_YEAR or (prev / filename).exists():
        yield prev
        return
    with tempfile.TemporaryDirectory(prefix="cairn-prev-") as tmp:
        given = Path(tmp)
        for table in prev.glob("*.csv"):
            shutil.copyfile(table, given / table.name)
        (given / filename).write_text(",".join(headings) + "\n", encoding="utf-8")
        yield given


def _episodes(tables: dict, f: dict) -> list[dict]:
    """The Episodes row a failure names (rows are numbered from 0 in the file's order) if it
    is that child's; else every episode of the child, as the row cannot be told."""
    rows, row, child = tables.get("Episodes", []), f.get("row"), f.get("child")
    if not child or f.get("table") not in ("Episodes", None, ""):
        return []
    if row is not None and 0 <= row < len(rows) and rows[row]["CHILD"] == child:
        return [rows[row]]
    return [e for e in rows if e["CHILD"] == child]


def _care_leavers_by_care(la_child_ids: set[str]) -> set[str]:
    """The young people whose episodes in the record (all of them, not two years') make them
    care leavers: looked after at least 13 weeks since 14, some of it after 16 (the test of
    903 rule 1001, and of the Care Leavers Regulations)."""
    spans = defaultdict(list)
    for cid, birth, start, end, legal in (
            LookedAfterEpisode.objects.current().filter(child__la_child_id__in=la_child_ids)
            .values_list("child__la_child_id", "child__birth_date", "started_on", "ended_on",
                         "legal_status")):
        if birth and legal not in ssda903.SHORT_BREAKS:
            spans[cid].append((birthday(birth, 14), birthday(birth, 16), start,
                               end or timezone.localdate()))
    out = set()
    for cid, rows in spans.items():
        days = sum(max(0, (end - max(start, fourteen)).days) for fourteen, _, start, end in rows)
        if days >= 91 and any(end > sixteen for _, sixteen, _, end in rows):
            out.add(cid)
    return out


def known_903(year: int, failures: list[dict], tables: dict) -> tuple[list, list]:
    """The failures that count, and those a known defect of the validator explains."""
    leavers = _care_leavers_by_care({f["child"] for f in failures
                                     if f["rule"] == "1001" and f.get("child")})
    counted, known = [], []
    for f in failures:
        episodes = _episodes(tables, f) if f["rule"] in ("146", "218") else []
        explained = (
            (f["rule"] == "146" and year == 2025 and episodes
             and all(e["PLACE"] == "K3" for e in episodes))
            or (f["rule"] == "218" and episodes
                and all(e["LS"] in ssda903.SHORT_BREAKS for e in episodes))
            or (f["rule"] == "1001" and f.get("child") in leavers))
        if explained:
            known.append({**f, "defect": KNOWN_DEFECTS_903[f["rule"]]})
        else:
            counted.append(f)
    return counted, known


def run_ssda903(directory: Path, year: int, prev: Path | None = None) -> Result:
    args = [str(directory), "--year", str(year),
            "--la", authority()["ons_code"]]
    with ExitStack() as stack:
        if prev:
            args += ["--prev", str(stack.enter_context(previous_year(Path(prev), year)))]
        for code in ALONE_903:
            args += ["--alone", code]
        out = _run("run_903.py", *args)
    known = known_crashing_903(year)
    return Result(ReturnKind.SSDA903, year, out["failures"],
                  [c for c in out["crashed"] if c not in known])


def run_cin(path: Path, year: int) -> Result:
    out = _run("run_cin.py", str(path), "--year", str(year))
    return Result(ReturnKind.CIN, year, out["failures"], out["crashed"])


def run_annex_a(path: Path, year: int) -> Result:
    out = _run("run_annexa.py", str(path))
    return Result(ReturnKind.ANNEX_A, year, out["failures"], [], out["known"])


def validate(kind: str, *, year: int | None = None, as_of: date | None = None,
             prev_year_dir: Path | None = None, by=None, store: bool = True,
             progress=lambda step: None) -> Result:
    """Export the return to a temporary place, run its validator, keep the failures.
    `progress` is told each step as it starts (a background check shows it to the analyst)."""
    with tempfile.TemporaryDirectory(prefix="cairn-returns-") as tmp:
        tmp = Path(tmp)
        progress(f"Building the {ReturnKind(kind).label} from the record")
        if kind == ReturnKind.SSDA903:
            tables = ssda903.build(year)
            ssda903.write(tables, year, tmp / "903")
            previous = ssda903.build(year - 1) if prev_year_dir is None else {}
            if previous.get("Header"):
                # The rules that compare with last year's return (706 and others) are given
                # last year's as Cairn's facts make it, rather than left unable to run. (A
                # previous year with no child in it is not given: the validator cannot read
                # empty tables as last year's.)
                prev_year_dir = tmp / "903-previous"
                ssda903.write(previous, year - 1, prev_year_dir)
            progress("Running the Department for Education's rules over it")
            result = run_ssda903(tmp / "903", year, prev_year_dir)
            result.failures, result.known = known_903(year, result.failures, tables)
        elif kind == ReturnKind.CIN:
            (tmp / "cin.xml").write_bytes(cin.to_bytes(cin.build(year)))
            progress("Running the Department for Education's rules over it")
            result = run_cin(tmp / "cin.xml", year)
        elif kind == ReturnKind.ANNEX_A:
            as_of = as_of or date(year, 3, 31)
            annex_a.write(annex_a.build(as_of), tmp / "annex-a.xlsx")
            progress("Running Ofsted's checks over it")
            result = run_annex_a(tmp / "annex-a.xlsx", as_of.year)
        else:
            raise RecordError(f"There is no return called {kind}", field="kind")
    if store:
        progress("Keeping the results")
        result.run = _store(result, by)
    return result


@transaction.atomic
def _store(result: Result, by) -> ValidationRun:
    run = ValidationRun.objects.create(kind=result.kind, year=result.year, ran_by=by,
                                       rules_fired=len(result.rules), crashed=result.crashed)
    ids = {f["child"] for f in result.failures if f.get("child")}
    pks = dict(Child.objects.filter(la_child_id__in=ids).values_list("la_child_id", "pk"))
    ValidationFailure.objects.bulk_create([
        ValidationFailure(run=run, child_id=pks.get(f.get("child")),
                          la_child_id=f.get("child") or "", rule=f["rule"],
                          rule_type=f.get("type", ""), message=f.get("message", ""),
                          table=f.get("table") or "", columns=(f.get("columns") or "")[:200],
                          row=f.get("row"))
        for f in result.failures])
    return run


def open_failures(child: Child) -> list[ValidationFailure]:
    """The child's failures in the latest run of each return."""
    out = []
    for kind in ReturnKind.values:
        latest = ValidationRun.objects.filter(kind=kind).order_by("-ran_at", "-id").first()
        if latest:
            out.extend(latest.failures.filter(child=child).select_related("run")
                       .order_by("rule", "id"))
    return out
