"""Load an authority's last SSDA903 return or CIN census into an empty Cairn record.

All or nothing: every file is read and checked first (headings, codes against the models'
enumerations, dates, a child twice, references to children the return does not name, date
order) and every problem is listed; only a clean return is loaded, in one transaction, with
bulk_create and one audit event. Each row becomes the facts that the exporters read back to the
same row, so export -> import -> export gives the same files.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from cairn.care.models import (
    CLAReview,
    Conviction,
    DentalCheck,
    DeprivationOfLibertyOrder,
    HealthAssessment,
    Immunisation,
    LookedAfterEpisode,
    MissingEpisode,
    StrengthsDifficultiesScore,
    SubstanceMisuse,
)
from cairn.core.models import AuditEvent
from cairn.frontdoor.models import Referral
from cairn.leaving_care.models import (
    CareLeaverAccommodation,
    CareLeaverActivity,
    LeavingCareEligibility,
    PersonalAdviserContact,
)
from cairn.people.models import Child, Disability, Person, Relationship, UPNUnknown
from cairn.permanence.models import AdoptionDecision, AdoptionMatch, PreviousPermanence
from cairn.protection.models import (
    Assessment,
    AssessmentFactor,
    ChildProtectionConference,
    ChildProtectionPlan,
    CINPlan,
    PlanCategoryChange,
    Section47Enquiry,
    StrategyDiscussion,
)
from cairn.workforce.models import Allocation, Service, Staff, Team

from . import reading, ssda903
from .models import AuthorityIdentity
from .selectors import CollectionYear, age_on, authority, birthday

IMPORT_TEAM = "Social workers named in imported returns"
# The SSDA903 SW_REASON codes are workforce.Allocation.EndReason's own.
SW_END_REASON = set(Allocation.EndReason.values)


# The return does not say who authorised a deprivation of liberty order; a worker adds it.
DOLO_AUTHORISED_BY = "Not given in the imported SSDA903 return"
# Older 903 files code SEX as 1 (male) and 2 (female); Cairn writes the census letters.
SEX_903 = {"1": "M", "2": "F"}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an import file, where a person can find it: a table's data row
    (counting from 1 after the heading line) and the file's own line, as an editor numbers it
    (they differ by the heading and by any blank or multi-line row); a census's child by
    position and by LAchildID, the name the authority's own system knows it by."""

    file: str
    row: int | None
    column: str
    message: str
    line: int | None = None
    child: str | None = None  # a census child's LAchildID ("" when it has none)

    def __str__(self) -> str:
        if not self.file:
            return self.message
        if self.row is None:
            where = "file"
        elif self.child is not None:
            where = f"child {self.row}" + (f" (LAchildID {self.child})" if self.child else "")
        else:
            where = f"row {self.row}" + (f" (line {self.line})" if self.line else "")
        col = f", {self.column}" if self.column else ""
        return f"{self.file} {where}{col}: {self.message}"


class ImportRefused(Exception):
    """The return was not loaded; `problems` says why, every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing was loaded")


def refuse_unless_empty() -> None:
    if Child.objects.exists():
        raise ImportRefused([Problem("", None, "", "The record already has children: an import "
                                     "only loads into an empty record")])


class Checker:
    """Collects problems while turning text into values."""

    def __init__(self):
        self.problems: list[Problem] = []
        # Per file, the row being read and where it is (its line, or the census child's
        # LAchildID), so that a problem with that row says so without every check passing it.
        self.at: dict[str, tuple[int, dict]] = {}

    def reading(self, file: str, row: int, **where) -> None:
        self.at[file] = (row, where)

    def add(self, file: str, row, column: str, message: str, **where) -> None:
        current = self.at.get(file)
        if not where and current and row is not None and current[0] == row:
            where = current[1]
        self.problems.append(Problem(file, row, column, message, **where))

    def date(self, text: str, file: str, row, column: str, *, iso: bool = False,
             required: bool = False) -> date | None:
        text = (text or "").strip()
        if not text:
            if required:
                self.add(file, row, column, "is required")
            return None
        try:
            if iso:
                return date.fromisoformat(text)
            return _ddmmyyyy(text)
        except ValueError:
            self.add(file, row, column, f"'{text}' is not a date "
                     f"({'yyyy-mm-dd' if iso else 'dd/mm/yyyy'})")
            return None

    def code(self, model, field: str, text: str, file: str, row, column: str, *,
             required: bool = True) -> str:
        text = (text or "").strip()
        if not text:
            if required:
                self.add(file, row, column, "is required")
            return ""
        allowed = {str(v) for v, _ in model._meta.get_field(field).choices}
        if text not in allowed:
            self.add(file, row, column, f"'{text}' is not a valid code")
        return text

    def flag(self, text: str, file: str, row, column: str) -> bool | None:
        text = (text or "").strip()
        if text in ("", "0", "1"):
            return None if text == "" else text == "1"
        self.add(file, row, column, f"'{text}' is not 0 or 1")
        return None

    def number(self, text: str, file: str, row, column: str, high: int) -> int | None:
        text = (text or "").strip()
        if not text:
            return None
        if not text.isdigit() or int(text) > high:
            self.add(file, row, column, f"'{text}' is not a whole number from 0 to {high}")
            return None
        return int(text)

    def order(self, first: date | None, then: date | None, file: str, row, column: str,
              what: str, *, strict: bool = False) -> None:
        if first and then and (then < first or (strict and then == first)):
            self.add(file, row, column, what)

    def one_open(self, rows: list[tuple[int, dict]], end: str, file: str, column: str,
                 what: str) -> None:
        """A child has at most one open `what` (no `column`) at a time: the returns' own rule,
        which the database keeps too (core.periods)."""
        open_rows = [row for row, item in rows if item[end] is None]
        for row in open_rows[1:]:
            where = "" if row == open_rows[0] else f", row {open_rows[0]}"
            self.add(file, row, column, f"the child has another open {what} (no {column}"
                     f"{where}): only one can be open at a time")


def _ddmmyyyy(text: str) -> date:
    """A dd/mm/yyyy date, as strptime reads it but several times faster (a return has a
    million of them)."""
    day, month, year = text.split("/")
    if not (0 < len(day) < 3 and 0 < len(month) < 3 and len(year) == 4
            and (day + month + year).isdigit()):
        raise ValueError(text)
    return date(int(year), int(month), int(day))


LA_NUMBER = re.compile(r"\d{3}")
ONS_CODE = re.compile(r"E\d{8}")


@dataclass
class Identity:
    """The authority a return names (the census's LEA; a 903 manifest's la_number and
    ons_code; or what the person importing says), checked against the one Cairn is set up
    for. An installation whose administrator set the identity (CAIRN_LA_NUMBER,
    CAIRN_ONS_CODE), or that has adopted one already, refuses another authority's return;
    one left as the demo's adopts the return's, so that what it exports again is that
    authority's and validates as it."""

    la_number: str
    ons_code: str
    source: str  # the file that named it, for problems
    adopting: bool = False

    def check(self, check: Checker) -> bool:
        """Whether the return's identity differs from the current one and may be adopted
        (False when it is the same, or not given, or refused: a problem says why)."""
        la, ons = self.la_number.strip(), self.ons_code.strip()
        self.la_number, self.ons_code = la, ons
        if la and not LA_NUMBER.fullmatch(la):
            check.add(self.source, None, "LA number", f"'{la}' is not an LA number (three "
                      "digits, as the DfE numbers authorities)")
        if ons and not ONS_CODE.fullmatch(ons):
            check.add(self.source, None, "ONS code", f"'{ons}' is not an English authority's "
                      "ONS code (E and eight digits)")
        if check.problems or not (la or ons):
            return False
        now = authority()
        if (la or now["la_number"]) == now["la_number"] and (
                ons or now["ons_code"]) == now["ons_code"]:
            return False
        fixed = settings.CAIRN_AUTHORITY["configured"] or AuthorityIdentity.objects.exists()
        if fixed:
            given = " and ".join(filter(None, [la and f"LA number {la}",
                                               ons and f"ONS code {ons}"]))
            how = ("its administrator set CAIRN_LA_NUMBER and CAIRN_ONS_CODE"
                   if settings.CAIRN_AUTHORITY["configured"]
                   else f"it took them from {now['adopted']}")
            check.add(self.source, None, "", f"this return is another authority's ({given}), "
                      f"but Cairn makes returns for {now['name']} (LA number "
                      f"{now['la_number']}, ONS code {now['ons_code']}; {how}): nothing can "
                      "be loaded from another authority's return")
            return False
        # Both or neither: half of another authority's identity would make returns that
        # are neither its nor Cairn's.
        if not la:
            check.add(self.source, None, "LA number", f"the return names ONS code {ons} but "
                      "not its authority's LA number: give it (--la-number)")
            return False
        if not ons:
            check.add(self.source, None, "ONS code", f"the return names LA number {la} but "
                      "not its authority's ONS code: give it (--ons-code)")
            return False
        return True

    def adopt(self, by, label: str) -> dict:
        AuthorityIdentity.objects.create(la_number=self.la_number, ons_code=self.ons_code,
                                         adopted_from=label[:300], adopted_by=by)
        return {"la_number": self.la_number, "ons_code": self.ons_code}


def _child(la_child_id: str, by, **fields) -> Child:
    # Returns carry no names: the child is named by the authority's id until a worker corrects it.
    return Child(given_name="Child", family_name=la_child_id, la_child_id=la_child_id,
                 recorded_by=by, **fields)


def _midnight(day: date | None) -> datetime | None:
    return timezone.make_aware(datetime.combine(day, time())) if day else None


def _audit(by, action: str, counts: dict, source: str, adopted: dict | None = None) -> None:
    after = {"source": source, "loaded": counts}
    if adopted:
        after["authority_adopted"] = adopted
    AuditEvent.objects.create(actor=by, kind=AuditEvent.Kind.CREATED, action=action,
                              object_type="returns.import", object_id=source[:40],
                              after=after,
                              reason="Loaded the authority's last return into an empty record")


def _import_team() -> Team:
    service, _ = Service.objects.get_or_create(name="Imported returns")
    team, _ = Team.objects.get_or_create(name=IMPORT_TEAM, defaults={
        "kind": Team.Kind.CHILDREN_IN_CARE, "service": service})
    return team


# --- SSDA903 ------------------------------------------------------------------------------


# Rows are turned into objects and saved this many at a time, all within the one transaction.
BATCH = 2000
# What `cairn import ssda903` reports having loaded, in this order.
COUNTS_903 = ("children", "relationships", "episodes", "reviews", "missing", "sdq",
              "convictions", "health_assessments", "immunisations", "dental_checks",
              "substance_misuse", "leaving_care_eligibility", "pa_contacts",
              "care_leaver_activity", "care_leaver_accommodation", "adoption_decisions",
              "adoption_matches", "prevperm", "allocations", "dolo")
# Read before Episodes: an unaccompanied child's UASC date is their first episode's start.
ORDER_903 = ("Header", "UASC", "Episodes", "Reviews", "Missing", "OC2", "OC3",
             "PlacedAdoption", "AD1", "PrevPerm", "SWEpisodes", "DoLo")


def _open_903(path: Path):
    """The return's tables: a folder of CSV files or a zip of them (the Returns page's
    download)."""
    if path.is_dir():
        return reading.Folder(path)
    if not path.exists():
        raise ImportRefused([Problem(path.name, None, "", "there is no such folder or file")])
    try:
        return reading.Zip(path)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ImportRefused([Problem(path.name, None, "", "is not a readable zip file of the "
                                     f"return's tables ({reading._reason(error)})")]) from error


def _manifest(source) -> dict:
    """manifest.json beside the tables (Cairn's own export writes one), or {}."""
    if not source.has("manifest.json"):
        return {}
    try:
        with source.open("manifest.json") as f:
            found = json.loads(f.read(reading.MAX_LINE))
    except (ValueError, *reading.READ_ERRORS):
        return {"unreadable": True}
    return found if isinstance(found, dict) else {"unreadable": True}


def _year_of(source, year: int | None, check: Checker) -> int | None:
    if year is None and source.has("manifest.json"):
        try:
            year = int(_manifest(source)["year"])
        except (ValueError, KeyError, TypeError):
            check.add(source.label("manifest.json"), None, "year", "the manifest is not JSON "
                      "naming the year")
    if year is None:
        check.add(source.label("manifest.json"), None, "year", "give the collection year "
                  "(--year) or a manifest.json naming it")
    return year


def load_ssda903(path: Path, *, year: int | None = None, by=None, la_number: str = "",
                 ons_code: str = "") -> dict[str, int]:
    """Check and load an SSDA903 return: the CSV tables `cairn returns ssda903` writes, in a
    folder or a zip. Read a row at a time; saved in batches while no problem has been found,
    and undone (the one transaction) if any is. The 903's tables do not name the authority:
    `la_number` and `ons_code` do, else the manifest beside them (see Identity)."""
    refuse_unless_empty()
    check = Checker()
    source = _open_903(Path(path))
    try:
        year = _year_of(source, year, check)
        if year is None:
            raise ImportRefused(check.problems)
        manifest = _manifest(source)
        identity = Identity(la_number or str(manifest.get("la_number") or ""),
                            ons_code or str(manifest.get("ons_code") or ""),
                            source.label("manifest.json") if manifest and not (
                                la_number or ons_code) else Path(path).name)
        adopt = identity.check(check)
        tables = {}
        for name, (filename, headings) in ssda903.tables_for(year).items():
            if not source.has(filename):
                check.add(source.label(filename), None, "", "the file is missing (every table "
                          "is written, even when empty)")
            elif reading.check_headings(source, filename, headings, check):
                tables[name] = (filename, headings)
        try:
            with transaction.atomic():
                counts = _Import903(source, tables, CollectionYear(year), check, by).run()
                if check.problems:
                    raise ImportRefused(check.problems)  # undoes what was saved
                adopted = identity.adopt(by, Path(path).name) if adopt else None
                _audit(by, f"Imported the SSDA903 return for {year}", counts, str(path),
                       adopted)
        except (IntegrityError, DataError) as error:
            # The checks above should leave nothing for the database to refuse; if they do,
            # the refusal is a problem too, not a traceback.
            raise ImportRefused([*check.problems, Problem(Path(path).name, None, "",
                                 f"the record refused the return: {error}")]) from error
    finally:
        source.close()
    return counts


class _Import903:
    """One pass over the tables: every row checked, and saved in batches until a problem is
    found (then only checked, so that every problem is listed). Kept between rows: per child,
    its Header row, date of birth and key; the open episode and order of each child; the social
    worker episodes (a child's are chained in date order once all are read)."""

    def __init__(self, source, tables: dict, cy: CollectionYear, check: Checker, by):
        self.source, self.tables, self.cy, self.check, self.by = source, tables, cy, check, by
        self.header_ok = "Header" in tables
        self.kids: dict[str, tuple[int, date | None, int | None]] = {}  # row, DOB, pk
        self.counts = dict.fromkeys(COUNTS_903, 0)
        self.pending: list[tuple[str, object]] = []
        self.uasc: dict[str, date | None] = {}
        self.first_episode: dict[str, date | None] = {}
        self.placed: set[tuple[str, date]] = set()
        self.sw: dict[str, list[tuple]] = defaultdict(list)

    @property
    def saving(self) -> bool:
        return not self.check.problems

    def run(self) -> dict[str, int]:
        for name in ORDER_903:
            if name in self.tables:
                getattr(self, f"_{name.lower()}")()
            self.flush()
        if self.saving:
            self._save_uasc()
            self._save_sw()
        return self.counts

    # Saving ----------------------------------------------------------------------------------

    def add(self, count: str, model, /, **fields) -> None:
        """A row's object, made only while saving (a refused return's rows are only checked)."""
        if self.saving:
            self.add_object(count, model(**fields))

    def add_object(self, count: str, obj) -> None:
        if self.saving:
            self.pending.append((count, obj))
            if len(self.pending) >= BATCH:
                self.flush()

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        if not self.saving:
            return
        by_model: dict[type, list] = {}
        for count, obj in pending:
            by_model.setdefault(type(obj), []).append(obj)
            self.counts[count] += 1
        for model, objs in by_model.items():
            model.objects.bulk_create(objs)

    def pk(self, cid: str) -> int | None:
        return self.kids[cid][2]

    def rows(self, name: str):
        filename, headings = self.tables[name]
        for i, row in reading.rows(self.source, filename, headings, self.check):
            cid = row["CHILD"].strip()
            if cid not in self.kids:
                if self.header_ok:
                    self.check.add(self.source.label(filename), i, "CHILD",
                                   f"child '{cid}' is not in Header")
                continue
            yield self.source.label(filename), i, cid, row

    # Tables ----------------------------------------------------------------------------------

    def _header(self) -> None:
        check = self.check
        filename, headings = self.tables["Header"]
        f = self.source.label(filename)
        batch = []
        for i, row in reading.rows(self.source, filename, headings, check):
            cid = row["CHILD"].strip()
            if not cid:
                check.add(f, i, "CHILD", "is required")
                continue
            if cid in self.kids:
                check.add(f, i, "CHILD", f"child {cid} is in Header twice (first at row "
                          f"{self.kids[cid][0]})")
                continue
            upn = row["UPN"].strip()
            unknown = upn if upn in UPNUnknown.values else ""
            dob = check.date(row["DOB"], f, i, "DOB", required=True)
            self.kids[cid] = (i, dob, None)
            sex = check.code(Person, "sex", SEX_903.get(row["SEX"].strip(), row["SEX"]), f, i,
                             "SEX")
            ethnicity = check.code(Person, "ethnicity", row["ETHNIC"], f, i, "ETHNIC")
            mother = check.flag(row["MOTHER"], f, i, "MOTHER")
            mc_dob = check.date(row["MC_DOB"], f, i, "MC_DOB")
            if mother and not mc_dob:
                check.add(f, i, "MC_DOB", "MOTHER is 1 but the child's child has no date of birth")
            if self.saving:
                # The children's own children, for MOTHER and MC_DOB.
                baby = (Person(given_name="Child of", family_name=cid, birth_date=mc_dob,
                               recorded_by=self.by) if mother else None)
                batch.append((_child(cid, self.by, sex=sex, birth_date=dob, ethnicity=ethnicity,
                                     upn="" if unknown else upn, upn_unknown=unknown), baby))
                if len(batch) >= BATCH:
                    self._save_children(batch)
                    batch = []
        self._save_children(batch)

    def _save_children(self, batch: list) -> None:
        if not self.saving or not batch:
            return
        kids = [child for child, _ in batch]
        Child.objects.bulk_create(kids)
        for kid in kids:
            row, dob, _ = self.kids[kid.la_child_id]
            self.kids[kid.la_child_id] = (row, dob, kid.pk)
        babies = [(child, baby) for child, baby in batch if baby]
        Person.objects.bulk_create([baby for _, baby in babies])
        Relationship.objects.bulk_create([
            Relationship(child_id=child.pk, person=baby, kind=Relationship.Kind.CHILD,
                         recorded_by=self.by) for child, baby in babies])
        self.counts["children"] += len(kids)
        self.counts["relationships"] += len(babies)

    def _uasc(self) -> None:
        for f, i, cid, row in self.rows("UASC"):
            self.uasc[cid] = self.check.date(row["DUC"], f, i, "DUC")

    def _episodes(self) -> None:
        check = self.check
        open_row: dict[str, int] = {}
        for f, i, cid, row in self.rows("Episodes"):
            e = {"started_on": check.date(row["DECOM"], f, i, "DECOM", required=True),
                 "reason_new_episode": check.code(LookedAfterEpisode, "reason_new_episode",
                                                  row["RNE"], f, i, "RNE"),
                 "legal_status": check.code(LookedAfterEpisode, "legal_status", row["LS"], f, i,
                                            "LS"),
                 "category_of_need": check.code(LookedAfterEpisode, "category_of_need",
                                                row["CIN"], f, i, "CIN"),
                 "placement_type": check.code(LookedAfterEpisode, "placement_type",
                                              row["PLACE"], f, i, "PLACE"),
                 "placement_provider": check.code(LookedAfterEpisode, "placement_provider",
                                                  row["PLACE_PROVIDER"], f, i, "PLACE_PROVIDER",
                                                  required=False),
                 "ended_on": check.date(row["DEC"], f, i, "DEC"),
                 "reason_ceased": check.code(LookedAfterEpisode, "reason_ceased", row["REC"], f,
                                             i, "REC", required=False),
                 "reason_place_change": check.code(LookedAfterEpisode, "reason_place_change",
                                                   row["REASON_PLACE_CHANGE"], f, i,
                                                   "REASON_PLACE_CHANGE", required=False),
                 "home_postcode": row["HOME_POST"].strip(),
                 "placement_postcode": row["PL_POST"].strip(), "urn": row["URN"].strip()}
            check.order(e["started_on"], e["ended_on"], f, i, "DEC",
                        "ends before it starts (DECOM)")
            if bool(e["ended_on"]) != bool(e["reason_ceased"]):
                check.add(f, i, "REC", "DEC and REC must both be given or both be blank")
            _one_open(check, open_row, cid, e["ended_on"], f, i, "DEC", "episode")
            if cid in self.uasc:
                self.first_episode.setdefault(cid, e["started_on"])
            self.add("episodes", LookedAfterEpisode, child_id=self.pk(cid), recorded_by=self.by,
                     **e)

    def _reviews(self) -> None:
        check = self.check
        for f, i, cid, row in self.rows("Reviews"):
            held_on = check.date(row["REVIEW"], f, i, "REVIEW", required=True)
            participation = check.code(CLAReview, "participation", row["REVIEW_CODE"], f, i,
                                       "REVIEW_CODE")
            self.add("reviews", CLAReview, child_id=self.pk(cid), recorded_by=self.by,
                     held_on=held_on, participation=participation)

    def _missing(self) -> None:
        check = self.check
        for f, i, cid, row in self.rows("Missing"):
            kind = check.code(MissingEpisode, "kind", row["MISSING"], f, i, "MISSING")
            started = check.date(row["MIS_START"], f, i, "MIS_START", required=True)
            ended = check.date(row["MIS_END"], f, i, "MIS_END")
            check.order(started, ended, f, i, "MIS_END", "ends before it starts")
            if self.saving:
                self.add("missing", MissingEpisode, child_id=self.pk(cid), kind=kind,
                         started_at=_midnight(started), ended_at=_midnight(ended),
                         recorded_by=self.by)

    def _oc2(self) -> None:
        check, by = self.check, self.by
        # The return says only that a check happened in the year, so each is dated 31 March.
        day = self.cy.end
        for f, i, cid, row in self.rows("OC2"):
            reason = check.code(StrengthsDifficultiesScore, "reason", row["SDQ_REASON"], f, i,
                                "SDQ_REASON", required=False)
            score = check.number(row["SDQ_SCORE"], f, i, "SDQ_SCORE", 40)
            r = {col: check.flag(row[col], f, i, col) for col in (
                "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT",
                "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")}
            child = self.pk(cid)
            if score is not None or reason:
                self.add("sdq", StrengthsDifficultiesScore, child_id=child, assessed_on=day,
                         score=score, reason="" if score is not None else reason,
                         recorded_by=by)
            if r["CONVICTED"]:
                self.add("convictions", Conviction, child_id=child, convicted_on=day,
                         recorded_by=by)
            if r["HEALTH_CHECK"]:
                self.add("health_assessments", HealthAssessment, child_id=child,
                         kind="development", done_on=day, recorded_by=by)
            if r["HEALTH_ASSESSMENT"]:
                self.add("health_assessments", HealthAssessment, child_id=child, kind="review",
                         done_on=day, recorded_by=by)
            if r["IMMUNISATIONS"]:
                self.add("immunisations", Immunisation, child_id=child, checked_on=day,
                         up_to_date=True, recorded_by=by)
            if r["TEETH_CHECK"]:
                self.add("dental_checks", DentalCheck, child_id=child, checked_on=day,
                         recorded_by=by)
            if r["SUBSTANCE_MISUSE"]:
                self.add("substance_misuse", SubstanceMisuse, child_id=child,
                         identified_on=day, intervention_received=r["INTERVENTION_RECEIVED"],
                         intervention_offered=r["INTERVENTION_OFFERED"], recorded_by=by)

    def _oc3(self) -> None:
        check, by, cy = self.check, self.by, self.cy
        seen: dict[str, int] = {}
        for f, i, cid, row in self.rows("OC3"):
            if cid in seen:  # one leaving care eligibility is made from each row
                check.add(f, i, "CHILD", f"child {cid} is in OC3 twice (first at row "
                          f"{seen[cid]})")
                continue
            seen[cid] = i
            in_touch = check.code(PersonalAdviserContact, "in_touch", row["IN_TOUCH"], f, i,
                                  "IN_TOUCH")
            activ, accom = row["ACTIV"].strip(), row["ACCOM"].strip()
            activity = "" if activ == "0" else check.code(CareLeaverActivity, "activity", activ,
                                                          f, i, "ACTIV")
            accommodation = "" if accom == "0" else check.code(
                CareLeaverAccommodation, "accommodation", accom, f, i, "ACCOM")
            dob = self.kids[cid][1]
            ages = [a for a in ssda903.OC3_AGES if dob and cy.contains(birthday(dob, a))]
            if dob and not ages:
                check.add(f, i, "DOB", "no 17th to 21st birthday falls in the year")
            if not ages or not self.saving:
                continue
            day = birthday(dob, ages[0])
            child = self.pk(cid)
            adult = age_on(dob, day) >= 18
            self.add("leaving_care_eligibility", LeavingCareEligibility, child_id=child,
                     category="former_relevant" if adult else "relevant",
                     started_on=birthday(dob, 18 if adult else 16), recorded_by=by)
            if in_touch != "NO":
                self.add("pa_contacts", PersonalAdviserContact, child_id=child,
                         contacted_on=day, in_touch=in_touch, recorded_by=by)
            if activity:
                self.add("care_leaver_activity", CareLeaverActivity, child_id=child,
                         from_on=day, activity=activity, recorded_by=by)
            if accommodation:
                self.add("care_leaver_accommodation", CareLeaverAccommodation,
                         child_id=child, from_on=day, accommodation=accommodation,
                         recorded_by=by)

    def _placedadoption(self) -> None:
        check = self.check
        for f, i, cid, row in self.rows("PlacedAdoption"):
            decided = check.date(row["DATE_PLACED"], f, i, "DATE_PLACED", required=True)
            ceased = check.date(row["DATE_PLACED_CEASED"], f, i, "DATE_PLACED_CEASED")
            reason = check.code(AdoptionDecision, "no_longer_reason", row["REASON_PLACED_CEASED"],
                                f, i, "REASON_PLACED_CEASED", required=False)
            check.order(decided, ceased, f, i, "DATE_PLACED_CEASED", "is before DATE_PLACED")
            if bool(ceased) != bool(reason):
                check.add(f, i, "REASON_PLACED_CEASED", "DATE_PLACED_CEASED and "
                          "REASON_PLACED_CEASED must both be given or both be blank")
            self.placed.add((cid, decided))
            self.add("adoption_decisions", AdoptionDecision, child_id=self.pk(cid),
                     decided_on=decided, no_longer_decided_on=ceased, no_longer_reason=reason,
                     recorded_by=self.by)

    def _ad1(self) -> None:
        check = self.check
        matches = []  # saved after the decisions, as AdoptionMatch follows AdoptionDecision
        for f, i, cid, row in self.rows("AD1"):
            date_int = check.date(row["DATE_INT"], f, i, "DATE_INT")
            matched = check.date(row["DATE_MATCH"], f, i, "DATE_MATCH")
            check.order(date_int, matched, f, i, "DATE_MATCH", "is before DATE_INT")
            if date_int and (cid, date_int) not in self.placed:
                self.add("adoption_decisions", AdoptionDecision, child_id=self.pk(cid),
                         decided_on=date_int, recorded_by=self.by)
            if matched:
                match = AdoptionMatch(
                    child_id=self.pk(cid), matched_on=matched,
                    foster_carer=bool(check.flag(row["FOSTER_CARE"], f, i, "FOSTER_CARE")),
                    number_of_adopters=check.number(row["NB_ADOPTR"], f, i, "NB_ADOPTR", 2),
                    sex_of_adopters=check.code(AdoptionMatch, "sex_of_adopters",
                                               row["SEX_ADOPTR"], f, i, "SEX_ADOPTR"),
                    legal_status_of_adopters=check.code(AdoptionMatch,
                                                        "legal_status_of_adopters",
                                                        row["LS_ADOPTR"], f, i, "LS_ADOPTR"),
                    recorded_by=self.by)
                if self.saving:
                    matches.append(match)
        self.flush()
        for match in matches:
            self.add_object("adoption_matches", match)

    def _prevperm(self) -> None:
        for f, i, cid, row in self.rows("PrevPerm"):
            option = self.check.code(PreviousPermanence, "option", row["PREV_PERM"], f, i,
                                     "PREV_PERM")
            self.add("prevperm", PreviousPermanence, child_id=self.pk(cid), recorded_by=self.by,
                     option=option, la_code=row["LA_PERM"].strip(),
                     order_date=row["DATE_PERM"].strip())

    def _swepisodes(self) -> None:
        check = self.check
        for f, i, cid, row in self.rows("SWEpisodes"):
            sw_id, reason = row["SW_ID"].strip(), row["SW_REASON"].strip()
            started = check.date(row["SW_DECOM"], f, i, "SW_DECOM", required=True)
            ended = check.date(row["SW_DEC"], f, i, "SW_DEC")
            if not sw_id:
                check.add(f, i, "SW_ID", "is required")
            if reason not in SW_END_REASON and reason != ssda903.FIRST_SW_REASON:
                check.add(f, i, "SW_REASON", f"'{reason}' is not a valid code")
            check.order(started, ended, f, i, "SW_DEC", "is before SW_DECOM")
            if self.saving:
                self.sw[cid].append((started, ended, sw_id, reason))

    def _dolo(self) -> None:
        check = self.check
        open_row: dict[str, int] = {}
        for f, i, cid, row in self.rows("DoLo"):
            started = check.date(row["DOLO_START"], f, i, "DOLO_START", required=True)
            ended = check.date(row["DOLO_END"], f, i, "DOLO_END")
            # 903 rule 702: an order ends after the day it started.
            check.order(started, ended, f, i, "DOLO_END", "is not after DOLO_START", strict=True)
            _one_open(check, open_row, cid, ended, f, i, "DOLO_END",
                      "deprivation of liberty order")  # rule 705
            self.add("dolo", DeprivationOfLibertyOrder, child_id=self.pk(cid),
                     started_on=started, ended_on=ended, authorised_by=DOLO_AUTHORISED_BY,
                     recorded_by=self.by)

    # After every table -----------------------------------------------------------------------

    def _save_uasc(self) -> None:
        kids = []
        for cid, ceased in self.uasc.items():
            kid = Child(pk=self.pk(cid), uasc_from=self.first_episode.get(cid) or self.cy.start,
                        uasc_ceased_on=ceased)
            kids.append(kid)
        Child.objects.bulk_update(kids, ["uasc_from", "uasc_ceased_on"], batch_size=BATCH)

    def _save_sw(self) -> None:
        """Each child's social worker episodes become allocations in date order, each ending
        with the reason the next began (SW_REASON)."""
        if not self.sw:
            return
        team = _import_team()
        ids = sorted({sw_id for eps in self.sw.values() for _, _, sw_id, _ in eps})
        workers = []
        for sw_id in ids:
            staff = Staff(username=f"sw-{sw_id}"[:150], sw_id=sw_id, is_active=False, team=team)
            staff.set_unusable_password()
            workers.append(staff)
        Staff.objects.bulk_create(workers, batch_size=BATCH)
        worker = dict(Staff.objects.filter(team=team).values_list("sw_id", "pk"))
        cids = list(self.sw)
        for start in range(0, len(cids), BATCH):
            chunk = cids[start:start + BATCH]
            for eps in (self.sw[cid] for cid in chunk):
                eps.sort(key=lambda ep: ep[0])
            # Episodes of care, only for children whose first worker began before the year.
            spans = defaultdict(list)
            before = [self.pk(cid) for cid in chunk
                      if self.sw[cid][0][3] != ssda903.FIRST_SW_REASON]
            for child, started, ended in LookedAfterEpisode.objects.filter(
                    child_id__in=before).values_list("child_id", "started_on", "ended_on"):
                spans[child].append((started, ended))
            for cid in chunk:
                self._allocations(cid, self.sw.pop(cid), spans[self.pk(cid)], team, worker)
            self.flush()

    def _allocations(self, cid: str, eps: list[tuple], spans: list, team, worker) -> None:
        child, by = self.pk(cid), self.by
        made: list[Allocation] = []  # each is changed by the next, so all are added at the end
        first_start, _, first_sw, first_reason = eps[0]
        if first_reason != ssda903.FIRST_SW_REASON:
            # A worker before the year: the one whose leaving gives the first row its reason.
            day = _before_first_sw(first_start, spans, self.cy)
            made.append(Allocation(child_id=child, worker_id=worker[first_sw], team=team,
                                   started_on=day, ended_on=day, recorded_by=by))
        for started, ended, sw_id, reason in eps:
            if made:
                made[-1].end_reason = reason
                made[-1].ended_on = made[-1].ended_on or started
            made.append(Allocation(child_id=child, worker_id=worker[sw_id], team=team,
                                   started_on=started, ended_on=ended, recorded_by=by))
        for allocation in made:
            self.add_object("allocations", allocation)


def _one_open(check: Checker, open_row: dict[str, int], cid: str, ended: date | None, f: str,
              i: int, column: str, what: str) -> None:
    """A child has at most one open `what` (no `column`) at a time: the return's own rule,
    which the database keeps too (core.periods). Said of each open row after the first."""
    if ended is not None:
        return
    if cid not in open_row:
        open_row[cid] = i
        return
    check.add(f, i, column, f"the child has another open {what} (no {column}, row "
              f"{open_row[cid]}): only one can be open at a time")


def _before_first_sw(first: date, spans: list, cy) -> date:
    """The day a worker before the return's first social worker episode ended: within the 7
    days SW10a allows, and outside the year or outside care so the export leaves it out again."""
    for back in (*range(1, 8), 0):
        day = first - timedelta(days=back)
        if day < cy.start or not any(start < day <= (end or cy.end) for start, end in spans):
            return day
    return min(first, cy.start) - timedelta(days=1)


# --- CIN census ---------------------------------------------------------------------------


def _text(el: ET.Element | None, tag: str) -> str:
    if el is None:
        return ""
    found = el.find(tag)
    return (found.text or "").strip() if found is not None else ""


# Children saved at a time (each brings its referrals, plans and conferences).
CIN_BATCH = 500
COUNTS_CIN = ("children", "referrals", "assessments", "assessment_factors", "cin_plans",
              "section47_enquiries", "protection_plans", "conferences", "category_changes")


def load_cin(path: Path, *, by=None, la_number: str = "", ons_code: str = ""
             ) -> dict[str, int]:
    """Check and load a CIN census XML file (the structure `cairn returns cin` writes), read a
    <Child> at a time (iterparse, each child dropped once read): saved in batches while no
    problem has been found, and undone (the one transaction) if any is. The census names its
    authority by LA number (<LEA>; `la_number` if it has none); `ons_code` may say the rest
    (see Identity)."""
    refuse_unless_empty()
    check = Checker()
    name = Path(path).name
    identity = Identity(la_number, ons_code, name)
    try:
        f = open(path, "rb")
    except OSError as error:
        raise ImportRefused([Problem(name, None, "", "cannot be opened "
                                     f"({reading._reason(error)})")]) from error
    try:
        with f, transaction.atomic():
            counts, year = _stream_cin(f, name, check, by, identity)
            if check.problems:
                raise ImportRefused(check.problems)  # undoes what was saved
            adopted = identity.adopt(by, Path(path).name) if identity.adopting else None
            _audit(by, f"Imported the CIN census for {year}", counts, str(path), adopted)
    except (IntegrityError, DataError) as error:
        raise ImportRefused([*check.problems, Problem(name, None, "", "the record refused the "
                             f"census: {error}")]) from error
    return counts


def _stream_cin(f, name: str, check: Checker, by, identity: Identity
                ) -> tuple[dict[str, int], str]:
    counts = dict.fromkeys(COUNTS_CIN, 0)
    seen: dict[str, int] = {}
    stack: list[ET.Element] = []
    batch: list[dict] = []
    year, cy, children, i = "", None, None, 0

    def save():
        if batch and cy and not check.problems:
            for key, n in _load_cin(batch, cy, by).items():
                counts[key] += n
        batch.clear()

    try:
        for event, el in ET.iterparse(f, events=("start", "end")):
            if event == "start":
                if not stack and el.tag != "Message":
                    check.add(name, None, "", f"is not a CIN census: it starts with <{el.tag}>, "
                              "not <Message>")
                    return counts, year
                if len(stack) == 1 and el.tag == "Children":
                    children = el
                stack.append(el)
                continue
            stack.pop()
            if len(stack) == 1 and el.tag == "Header":
                year = _text(el.find("CollectionDetails"), "Year")
                cy = CollectionYear(int(year)) if year.isdigit() else None
                # Checked before any child is saved: another authority's census is refused
                # before its first batch.
                identity.la_number = _text(el.find("Source"), "LEA") or identity.la_number
                identity.adopting = identity.check(check)
            elif el.tag == "Child" and stack and stack[-1] is children:
                i += 1
                if i == 1 and cy is None:
                    check.add(name, None, "Year", "the census header (before the children) "
                              "names no year")
                child = _plan_child(el, name, i, check, seen)
                children.remove(el)  # read: let it go
                if child and not check.problems:
                    batch.append(child)
                    if len(batch) >= CIN_BATCH:
                        save()
    except ET.ParseError as error:
        line, column = error.position
        reason = str(error).split(":")[0]
        if line == 1 and column == 0 and reason == "no element found":
            check.add(name, None, "", "the file is empty")
        else:
            check.add(name, None, "", f"is not well-formed XML at line {line}, column "
                      f"{column + 1}: {reason}")
        return counts, year
    except reading.READ_ERRORS as error:
        check.add(name, None, "", f"cannot be read ({reading._reason(error)})")
        return counts, year
    if children is None:
        check.add(name, None, "", "is not a CIN census: expected <Message> with <Children>")
    save()
    return counts, year


def _plan_child(el: ET.Element, f: str, i: int, check: Checker, seen: dict) -> dict | None:
    """One <Child> checked; `i` is the child's position in the file (from 1)."""
    ident, chars = el.find("ChildIdentifiers"), el.find("ChildCharacteristics")
    check.reading(f, i, child="")
    if ident is None:
        check.add(f, i, "ChildIdentifiers", "is missing")
        return None
    cid = _text(ident, "LAchildID")
    check.reading(f, i, child=cid)
    if not cid:
        check.add(f, i, "LAchildID", "is required")
    elif cid in seen:
        check.add(f, i, "LAchildID", f"is in the census twice (first as child {seen[cid]})")
        return None
    seen[cid] = i
    date_ = lambda parent, tag, required=False: check.date(  # noqa: E731
        _text(parent, tag), f, i, tag, iso=True, required=required)
    unknown = _text(ident, "UPNunknown")
    child = {
        "la_child_id": cid, "upn": _text(ident, "UPN"), "former_upn": _text(ident, "FormerUPN"),
        "upn_unknown": check.code(Person, "upn_unknown", unknown, f, i, "UPNunknown",
                                  required=False),
        "birth_date": date_(ident, "PersonBirthDate"),
        "expected_birth_date": date_(ident, "ExpectedPersonBirthDate"),
        "sex": check.code(Person, "sex", _text(ident, "Sex"), f, i, "Sex"),
        "death_date": date_(ident, "PersonDeathDate"),
        "ethnicity": check.code(Person, "ethnicity", _text(chars, "Ethnicity"), f, i,
                                "Ethnicity"),
        "disabilities": [], "referrals": []}
    if not child["birth_date"] and not child["expected_birth_date"]:
        check.add(f, i, "PersonBirthDate", "a birth date or an expected birth date is required")
    check.order(child["birth_date"], child["death_date"], f, i, "PersonDeathDate",
                "is before PersonBirthDate")
    for d in (chars.findall("Disabilities/Disability") if chars is not None else []):
        code = (d.text or "").strip()
        if code != "NONE":
            child["disabilities"].append(check.code(Disability, "code", code, f, i,
                                                    "Disability"))
    for det in el.findall("CINdetails"):
        child["referrals"].append(_plan_referral(det, f, i, check, date_))
    referrals = child["referrals"]
    check.one_open([(i, r) for r in referrals if not r["nfa"]], "closed_on", f,
                   "CINclosureDate", "CIN episode")  # CIN 8815
    check.one_open([(i, p) for r in referrals for p in r["cin_plans"]], "ended_on", f,
                   "CINPlanEndDate", "child in need plan")  # CIN 4014
    check.one_open([(i, p) for r in referrals for p in r["plans"]], "ended_on", f,
                   "CPPendDate", "child protection plan")
    return child


def _plan_referral(det, f, i, check: Checker, date_) -> dict:
    ref = {"received_on": date_(det, "CINreferralDate", True),
           "source": check.code(Referral, "source", _text(det, "ReferralSource"), f, i,
                                "ReferralSource"),
           "primary_need": check.code(Referral, "primary_need", _text(det, "PrimaryNeedCode"),
                                      f, i, "PrimaryNeedCode", required=False),
           "closed_on": date_(det, "CINclosureDate"),
           "closure_reason": check.code(Referral, "closure_reason",
                                        _text(det, "ReasonForClosure"), f, i, "ReasonForClosure",
                                        required=False),
           "nfa": _text(det, "ReferralNFA") in ("true", "1"),
           "assessments": [], "cin_plans": [], "s47s": [], "plans": []}
    check.order(ref["received_on"], ref["closed_on"], f, i, "CINclosureDate",
                "is before CINreferralDate")
    if bool(ref["closed_on"]) != bool(ref["closure_reason"]):
        check.add(f, i, "ReasonForClosure", "CINclosureDate and ReasonForClosure must both be "
                  "given or both be blank")
    for a in det.findall("Assessments"):
        item = {"started_on": date_(a, "AssessmentActualStartDate", True),
                "authorised_on": date_(a, "AssessmentAuthorisationDate"),
                "factors": [check.code(AssessmentFactor, "code", (x.text or "").strip(), f, i,
                                       "AssessmentFactors")
                            for x in a.findall("FactorsIdentifiedAtAssessment/AssessmentFactors")]}
        check.order(item["started_on"], item["authorised_on"], f, i,
                    "AssessmentAuthorisationDate", "is before AssessmentActualStartDate")
        ref["assessments"].append(item)
    for p in det.findall("CINPlanDates"):
        item = {"started_on": date_(p, "CINPlanStartDate", True),
                "ended_on": date_(p, "CINPlanEndDate")}
        check.order(item["started_on"], item["ended_on"], f, i, "CINPlanEndDate",
                    "is before CINPlanStartDate")
        ref["cin_plans"].append(item)
    for s in det.findall("Section47"):
        item = {"started_on": date_(s, "S47ActualStartDate", True),
                "icpc_on": date_(s, "DateOfInitialCPC"),
                "icpc_not_required": _text(s, "ICPCnotRequired") in ("true", "1")}
        check.order(item["started_on"], item["icpc_on"], f, i, "DateOfInitialCPC",
                    "is before S47ActualStartDate")
        ref["s47s"].append(item)
    for p in det.findall("ChildProtectionPlans"):
        item = {"started_on": date_(p, "CPPstartDate", True),
                "ended_on": date_(p, "CPPendDate"),
                "initial": check.code(ChildProtectionPlan, "initial_category_of_abuse",
                                      _text(p, "InitialCategoryOfAbuse"), f, i,
                                      "InitialCategoryOfAbuse"),
                "latest": check.code(PlanCategoryChange, "category",
                                     _text(p, "LatestCategoryOfAbuse"), f, i,
                                     "LatestCategoryOfAbuse", required=False),
                "previous": check.number(_text(p, "NumberOfPreviousCPP"), f, i,
                                         "NumberOfPreviousCPP", 99) or 0,
                "reviews": [check.date((r.text or "").strip(), f, i, "CPPreviewDate", iso=True)
                            for r in p.findall("Reviews/CPPreviewDate")]}
        check.order(item["started_on"], item["ended_on"], f, i, "CPPendDate",
                    "is not after CPPstartDate", strict=True)
        for r in item["reviews"]:
            check.order(item["started_on"], r, f, i, "CPPreviewDate", "is before CPPstartDate")
        ref["plans"].append(item)
    return ref


def _load_cin(plan: list[dict], cy: CollectionYear, by) -> dict[str, int]:
    """One batch of checked children saved; what was saved, counted."""
    kids = [_child(c["la_child_id"], by, upn=c["upn"], former_upn=c["former_upn"],
                   upn_unknown=c["upn_unknown"], birth_date=c["birth_date"],
                   expected_birth_date=c["expected_birth_date"], sex=c["sex"],
                   death_date=c["death_date"], ethnicity=c["ethnicity"]) for c in plan]
    Child.objects.bulk_create(kids)
    pk = {kid.la_child_id: kid.pk for kid in kids}
    counts = {"children": len(kids)}
    Disability.objects.bulk_create([Disability(person_id=pk[c["la_child_id"]], code=code,
                                               recorded_by=by)
                                    for c in plan for code in c["disabilities"]])
    # Referrals first: everything else hangs from them, so they need their keys.
    referrals = [(c, r, Referral(child_id=pk[c["la_child_id"]], received_on=r["received_on"],
                                 source=r["source"], primary_need=r["primary_need"],
                                 closed_on=r["closed_on"], closure_reason=r["closure_reason"],
                                 nfa=r["nfa"], recorded_by=by))
                 for c in plan for r in c["referrals"]]
    Referral.objects.bulk_create([x for _, _, x in referrals])
    assessments, factors, cin_plans, discussions, s47s, plans = [], [], [], [], [], []
    for c, r, ref in referrals:
        child = ref.child_id
        for a in r["assessments"]:
            obj = Assessment(child_id=child, referral=ref, started_on=a["started_on"],
                             submitted_on=a["authorised_on"], authorised_on=a["authorised_on"],
                             recorded_by=by)
            assessments.append(obj)
            factors.extend((obj, code) for code in a["factors"])
        cin_plans += [CINPlan(child_id=child, referral=ref, started_on=p["started_on"],
                              ended_on=p["ended_on"], recorded_by=by) for p in r["cin_plans"]]
        for s in r["s47s"]:
            sd = StrategyDiscussion(child_id=child, referral=ref, held_on=s["started_on"],
                                    s47_agreed=True,
                                    agencies_present="Not recorded in the imported census",
                                    decision="Section 47 enquiry (imported census)",
                                    recorded_by=by)
            discussions.append(sd)
            s47s.append((sd, s, Section47Enquiry(
                child_id=child, started_on=s["started_on"],
                icpc_not_required=s["icpc_not_required"],
                # The census does not date the decision that no conference was needed; the
                # enquiry was open in the year, so it concluded no earlier than 1 April.
                completed_on=(max(s["started_on"], cy.start) if s["icpc_not_required"]
                              else None),
                recorded_by=by)))
        for p in r["plans"]:
            plans.append((p, ChildProtectionPlan(
                child_id=child, referral=ref, started_on=p["started_on"], ended_on=p["ended_on"],
                end_reason="" if not p["ended_on"] else _cpp_end_reason(),
                initial_category_of_abuse=p["initial"], recorded_by=by)))
    Assessment.objects.bulk_create(assessments)
    AssessmentFactor.objects.bulk_create([AssessmentFactor(child_id=a.child_id, assessment=a,
                                                           code=code, recorded_by=by)
                                          for a, code in factors])
    CINPlan.objects.bulk_create(cin_plans)
    StrategyDiscussion.objects.bulk_create(discussions)
    for sd, _, s in s47s:
        s.strategy_discussion = sd
    Section47Enquiry.objects.bulk_create([s for _, _, s in s47s])
    plans += _earlier_plans(plans, by)
    ChildProtectionPlan.objects.bulk_create([p for _, p in plans])
    conferences = [ChildProtectionConference(child_id=s.child_id, kind="initial",
                                             held_on=item["icpc_on"], section47=s,
                                             recorded_by=by)
                   for _, item, s in s47s if item["icpc_on"]]
    changes = []
    for p, obj in plans:
        conferences += [ChildProtectionConference(child_id=obj.child_id, kind="review",
                                                  held_on=day, plan=obj, recorded_by=by)
                        for day in p["reviews"]]
        if p["latest"] and p["latest"] != p["initial"]:
            changes.append(PlanCategoryChange(child_id=obj.child_id, plan=obj,
                                              changed_on=max([obj.started_on, *p["reviews"]]),
                                              category=p["latest"], recorded_by=by))
    ChildProtectionConference.objects.bulk_create(conferences)
    PlanCategoryChange.objects.bulk_create(changes)
    counts.update(referrals=len(referrals), assessments=len(assessments),
                  assessment_factors=len(factors), cin_plans=len(cin_plans),
                  section47_enquiries=len(s47s), protection_plans=len(plans),
                  conferences=len(conferences), category_changes=len(changes))
    return counts


def _earlier_plans(plans: list[tuple[dict, ChildProtectionPlan]], by) -> list:
    """The plans before the census year that NumberOfPreviousCPP counts. The census gives only
    their number, so each is a one-day plan ending before the child's first plan in the file,
    with no referral, so that the count the record gives is the count the census gave."""
    first: dict[int, tuple[dict, ChildProtectionPlan]] = {}
    for p, obj in plans:
        if obj.child_id not in first or obj.started_on < first[obj.child_id][1].started_on:
            first[obj.child_id] = (p, obj)
    out = []
    for child, (p, obj) in first.items():
        n = p["previous"]
        for k in range(n):
            start = obj.started_on - timedelta(days=2 * (n - k) + 1)
            out.append(({"reviews": [], "latest": "", "initial": ""}, ChildProtectionPlan(
                child_id=child, started_on=start, ended_on=start + timedelta(days=1),
                end_reason="other", initial_category_of_abuse=obj.initial_category_of_abuse,
                recorded_by=by)))
    return out


def _cpp_end_reason() -> str:
    field = ChildProtectionPlan._meta.get_field("end_reason")
    return field.choices[-1][0]
