"""Load an authority's last SSDA903 return or CIN census into an empty Cairn record.

All or nothing: every file is read and checked first (headings, codes against the models'
enumerations, dates, a child twice, references to children the return does not name, date
order) and every problem is listed; only a clean return is loaded, in one transaction, with
bulk_create and one audit event. Each row becomes the facts that the exporters read back to the
same row, so export -> import -> export gives the same files.
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.db import transaction
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

from . import ssda903
from .selectors import CollectionYear, age_on, birthday

IMPORT_TEAM = "Social workers named in imported returns"
# The SSDA903 SW_REASON codes are workforce.Allocation.EndReason's own.
SW_END_REASON = set(Allocation.EndReason.values)


# The return does not say who authorised a deprivation of liberty order; a worker adds it.
DOLO_AUTHORISED_BY = "Not given in the imported SSDA903 return"
# Older 903 files code SEX as 1 (male) and 2 (female); Cairn writes the census letters.
SEX_903 = {"1": "M", "2": "F"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import file, where a person can find it (rows count from 1
    after the heading line, as a spreadsheet would show them less one)."""

    file: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if not self.file:
            return self.message
        where = f"row {self.row}" if self.row is not None else "file"
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

    def add(self, file: str, row, column: str, message: str) -> None:
        self.problems.append(Problem(file, row, column, message))

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
            return datetime.strptime(text, "%d/%m/%Y").date()
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


def _child(la_child_id: str, by, **fields) -> Child:
    # Returns carry no names: the child is named by the authority's id until a worker corrects it.
    return Child(given_name="Child", family_name=la_child_id, la_child_id=la_child_id,
                 recorded_by=by, **fields)


def _midnight(day: date | None) -> datetime | None:
    return timezone.make_aware(datetime.combine(day, time())) if day else None


def _audit(by, action: str, counts: dict, source: str) -> None:
    AuditEvent.objects.create(actor=by, kind=AuditEvent.Kind.CREATED, action=action,
                              object_type="returns.import", object_id=source[:40],
                              after={"source": source, "loaded": counts},
                              reason="Loaded the authority's last return into an empty record")


def _import_team() -> Team:
    service, _ = Service.objects.get_or_create(name="Imported returns")
    team, _ = Team.objects.get_or_create(name=IMPORT_TEAM, defaults={
        "kind": Team.Kind.CHILDREN_IN_CARE, "service": service})
    return team


# --- SSDA903 ------------------------------------------------------------------------------


def _read_csvs(directory: Path, year: int, check: Checker) -> dict[str, list[tuple[int, dict]]]:
    out = {}
    for name, (filename, headings) in ssda903.tables_for(year).items():
        path = directory / filename
        if not path.exists():
            check.add(filename, None, "", "the file is missing (every table is written, "
                      "even when empty)")
            continue
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            found = reader.fieldnames or []
            if found != headings:
                missing = [h for h in headings if h not in found]
                extra = [h for h in found if h not in headings]
                detail = "; ".join(filter(None, [
                    f"missing {', '.join(missing)}" if missing else "",
                    f"unexpected {', '.join(extra)}" if extra else "",
                    "" if missing or extra else "in the wrong order"]))
                check.add(filename, None, "", f"wrong headings ({detail}): expected "
                          f"{','.join(headings)}")
                continue
            out[name] = [(i, row) for i, row in enumerate(reader, start=1)]
    return out


def _year_of(directory: Path, year: int | None, check: Checker) -> int | None:
    manifest = directory / "manifest.json"
    if year is None and manifest.exists():
        try:
            year = int(json.loads(manifest.read_text())["year"])
        except (ValueError, KeyError, TypeError):
            check.add("manifest.json", None, "year", "the manifest has no year")
    if year is None:
        check.add("manifest.json", None, "year", "give the collection year (--year) or a "
                  "manifest.json naming it")
    return year


def load_ssda903(directory: Path, *, year: int | None = None, by=None) -> dict[str, int]:
    """Check and load an SSDA903 return (the CSV tables `cairn returns ssda903` writes)."""
    refuse_unless_empty()
    check = Checker()
    year = _year_of(Path(directory), year, check)
    if year is None:
        raise ImportRefused(check.problems)
    cy = CollectionYear(year)
    tables = _read_csvs(Path(directory), year, check)
    plan = _plan_903(tables, cy, check)
    if check.problems:
        raise ImportRefused(check.problems)
    with transaction.atomic():
        counts = _load_903(plan, cy, by)
        _audit(by, f"Imported the SSDA903 return for {year}", counts, str(directory))
    return counts


def _plan_903(tables, cy: CollectionYear, check: Checker) -> dict:
    """Every row checked and turned into values; nothing saved."""
    header: dict[str, dict] = {}
    f = ssda903.TABLES["Header"][0]
    for i, row in tables.get("Header", []):
        cid = row["CHILD"].strip()
        if not cid:
            check.add(f, i, "CHILD", "is required")
            continue
        if cid in header:
            check.add(f, i, "CHILD", f"child {cid} is in Header twice (first at row "
                      f"{header[cid]['row']})")
            continue
        upn = row["UPN"].strip()
        unknown = upn if upn in UPNUnknown.values else ""
        header[cid] = {
            "row": i, "sex": check.code(Person, "sex", SEX_903.get(row["SEX"].strip(),
                                                                   row["SEX"]), f, i, "SEX"),
            "birth_date": check.date(row["DOB"], f, i, "DOB", required=True),
            "ethnicity": check.code(Person, "ethnicity", row["ETHNIC"], f, i, "ETHNIC"),
            "upn": "" if unknown else upn, "upn_unknown": unknown,
            "mother": check.flag(row["MOTHER"], f, i, "MOTHER"),
            "mc_dob": check.date(row["MC_DOB"], f, i, "MC_DOB"),
        }
        if header[cid]["mother"] and not header[cid]["mc_dob"]:
            check.add(f, i, "MC_DOB", "MOTHER is 1 but the child's child has no date of birth")

    def rows(name):
        filename = ssda903.tables_for(cy.year)[name][0]
        for i, row in tables.get(name, []):
            cid = row["CHILD"].strip()
            if cid not in header:
                check.add(filename, i, "CHILD", f"child '{cid}' is not in Header")
                continue
            yield filename, i, cid, row

    plan: dict = {"header": header, "episodes": [], "reviews": [], "uasc": {}, "missing": [],
                  "oc2": [], "oc3": [], "ad1": [], "placed": [], "prevperm": [], "sw": [],
                  "dolo": []}
    open_episodes, open_orders, oc3_rows = defaultdict(list), defaultdict(list), {}
    for f, i, cid, row in rows("Episodes"):
        e = {"child": cid,
             "started_on": check.date(row["DECOM"], f, i, "DECOM", required=True),
             "reason_new_episode": check.code(LookedAfterEpisode, "reason_new_episode",
                                              row["RNE"], f, i, "RNE"),
             "legal_status": check.code(LookedAfterEpisode, "legal_status", row["LS"], f, i, "LS"),
             "category_of_need": check.code(LookedAfterEpisode, "category_of_need", row["CIN"],
                                            f, i, "CIN"),
             "placement_type": check.code(LookedAfterEpisode, "placement_type", row["PLACE"],
                                          f, i, "PLACE"),
             "placement_provider": check.code(LookedAfterEpisode, "placement_provider",
                                              row["PLACE_PROVIDER"], f, i, "PLACE_PROVIDER",
                                              required=False),
             "ended_on": check.date(row["DEC"], f, i, "DEC"),
             "reason_ceased": check.code(LookedAfterEpisode, "reason_ceased", row["REC"], f, i,
                                         "REC", required=False),
             "reason_place_change": check.code(LookedAfterEpisode, "reason_place_change",
                                               row["REASON_PLACE_CHANGE"], f, i,
                                               "REASON_PLACE_CHANGE", required=False),
             "home_postcode": row["HOME_POST"].strip(),
             "placement_postcode": row["PL_POST"].strip(), "urn": row["URN"].strip()}
        check.order(e["started_on"], e["ended_on"], f, i, "DEC", "ends before it starts (DECOM)")
        if bool(e["ended_on"]) != bool(e["reason_ceased"]):
            check.add(f, i, "REC", "DEC and REC must both be given or both be blank")
        plan["episodes"].append(e)
        open_episodes[(f, cid)].append((i, e))
    for f, i, cid, row in rows("Reviews"):
        plan["reviews"].append({"child": cid, "held_on": check.date(row["REVIEW"], f, i, "REVIEW",
                                                                    required=True),
                                "participation": check.code(CLAReview, "participation",
                                                            row["REVIEW_CODE"], f, i,
                                                            "REVIEW_CODE")})
    for f, i, cid, row in rows("UASC"):
        plan["uasc"][cid] = check.date(row["DUC"], f, i, "DUC")
    for f, i, cid, row in rows("Missing"):
        m = {"child": cid, "kind": check.code(MissingEpisode, "kind", row["MISSING"], f, i,
                                              "MISSING"),
             "started_on": check.date(row["MIS_START"], f, i, "MIS_START", required=True),
             "ended_on": check.date(row["MIS_END"], f, i, "MIS_END")}
        check.order(m["started_on"], m["ended_on"], f, i, "MIS_END", "ends before it starts")
        plan["missing"].append(m)
    for f, i, cid, row in rows("OC2"):
        sdq_reason = check.code(StrengthsDifficultiesScore, "reason", row["SDQ_REASON"], f, i,
                                "SDQ_REASON", required=False)
        plan["oc2"].append({
            "child": cid, "sdq_score": check.number(row["SDQ_SCORE"], f, i, "SDQ_SCORE", 40),
            "sdq_reason": sdq_reason,
            **{col: check.flag(row[col], f, i, col) for col in (
                "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT",
                "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")}})
    for (f, _), items in open_episodes.items():
        check.one_open(items, "ended_on", f, "DEC", "episode")
    for f, i, cid, row in rows("OC3"):
        if cid in oc3_rows:  # one leaving care eligibility is made from each row
            check.add(f, i, "CHILD", f"child {cid} is in OC3 twice (first at row "
                      f"{oc3_rows[cid]})")
            continue
        oc3_rows[cid] = i
        in_touch = check.code(PersonalAdviserContact, "in_touch", row["IN_TOUCH"], f, i,
                              "IN_TOUCH")
        activ, accom = row["ACTIV"].strip(), row["ACCOM"].strip()
        plan["oc3"].append({
            "child": cid, "in_touch": in_touch,
            "activity": "" if activ == "0" else check.code(CareLeaverActivity, "activity", activ,
                                                           f, i, "ACTIV"),
            "accommodation": "" if accom == "0" else check.code(
                CareLeaverAccommodation, "accommodation", accom, f, i, "ACCOM")})
        dob = header[cid]["birth_date"]
        if dob and not any(cy.contains(birthday(dob, a)) for a in ssda903.OC3_AGES):
            check.add(f, i, "DOB", "no 17th to 21st birthday falls in the year")
    for f, i, cid, row in rows("PlacedAdoption"):
        p = {"child": cid,
             "decided_on": check.date(row["DATE_PLACED"], f, i, "DATE_PLACED", required=True),
             "ceased_on": check.date(row["DATE_PLACED_CEASED"], f, i, "DATE_PLACED_CEASED"),
             "reason": check.code(AdoptionDecision, "no_longer_reason",
                                  row["REASON_PLACED_CEASED"], f, i, "REASON_PLACED_CEASED",
                                  required=False)}
        check.order(p["decided_on"], p["ceased_on"], f, i, "DATE_PLACED_CEASED",
                    "is before DATE_PLACED")
        if bool(p["ceased_on"]) != bool(p["reason"]):
            check.add(f, i, "REASON_PLACED_CEASED", "DATE_PLACED_CEASED and "
                      "REASON_PLACED_CEASED must both be given or both be blank")
        plan["placed"].append(p)
    for f, i, cid, row in rows("AD1"):
        a = {"child": cid, "date_int": check.date(row["DATE_INT"], f, i, "DATE_INT"),
             "matched_on": check.date(row["DATE_MATCH"], f, i, "DATE_MATCH")}
        if a["matched_on"]:
            a.update(
                foster_carer=check.flag(row["FOSTER_CARE"], f, i, "FOSTER_CARE"),
                number=check.number(row["NB_ADOPTR"], f, i, "NB_ADOPTR", 2),
                sex=check.code(AdoptionMatch, "sex_of_adopters", row["SEX_ADOPTR"], f, i,
                               "SEX_ADOPTR"),
                ls=check.code(AdoptionMatch, "legal_status_of_adopters", row["LS_ADOPTR"], f, i,
                              "LS_ADOPTR"))
        check.order(a["date_int"], a["matched_on"], f, i, "DATE_MATCH", "is before DATE_INT")
        plan["ad1"].append(a)
    for f, i, cid, row in rows("PrevPerm"):
        plan["prevperm"].append({
            "child": cid, "option": check.code(PreviousPermanence, "option", row["PREV_PERM"],
                                               f, i, "PREV_PERM"),
            "la_code": row["LA_PERM"].strip(), "order_date": row["DATE_PERM"].strip()})
    for f, i, cid, row in rows("SWEpisodes"):
        s = {"child": cid, "sw_id": row["SW_ID"].strip(),
             "started_on": check.date(row["SW_DECOM"], f, i, "SW_DECOM", required=True),
             "ended_on": check.date(row["SW_DEC"], f, i, "SW_DEC"),
             "reason": row["SW_REASON"].strip()}
        if not s["sw_id"]:
            check.add(f, i, "SW_ID", "is required")
        if s["reason"] not in SW_END_REASON and s["reason"] != ssda903.FIRST_SW_REASON:
            check.add(f, i, "SW_REASON", f"'{s['reason']}' is not a valid code")
        check.order(s["started_on"], s["ended_on"], f, i, "SW_DEC", "is before SW_DECOM")
        plan["sw"].append(s)
    for f, i, cid, row in (rows("DoLo") if "DoLo" in tables else []):
        o = {"child": cid,
             "started_on": check.date(row["DOLO_START"], f, i, "DOLO_START", required=True),
             "ended_on": check.date(row["DOLO_END"], f, i, "DOLO_END")}
        # 903 rule 702: an order ends after the day it started.
        check.order(o["started_on"], o["ended_on"], f, i, "DOLO_END",
                    "is not after DOLO_START", strict=True)
        plan["dolo"].append(o)
        open_orders[(f, cid)].append((i, o))
    for (f, _), items in open_orders.items():  # rule 705
        check.one_open(items, "ended_on", f, "DOLO_END", "deprivation of liberty order")
    return plan


def _load_903(plan: dict, cy: CollectionYear, by) -> dict[str, int]:
    header = plan["header"]
    first_episode: dict[str, date] = {}
    for e in plan["episodes"]:
        first_episode.setdefault(e["child"], e["started_on"])
    kids = [_child(cid, by, sex=h["sex"], birth_date=h["birth_date"], ethnicity=h["ethnicity"],
                   upn=h["upn"], upn_unknown=h["upn_unknown"],
                   uasc_from=(first_episode.get(cid, cy.start) if cid in plan["uasc"] else None),
                   uasc_ceased_on=plan["uasc"].get(cid))
            for cid, h in header.items()]
    Child.objects.bulk_create(kids)
    pk = dict(Child.objects.values_list("la_child_id", "pk"))
    counts = {"children": len(kids)}

    def made(model, objs, name):
        model.objects.bulk_create(objs)
        counts[name] = len(objs)

    # The children's own children, for MOTHER and MC_DOB.
    babies = {cid: Person(given_name="Child of", family_name=cid, birth_date=h["mc_dob"],
                          recorded_by=by)
              for cid, h in header.items() if h["mother"]}
    Person.objects.bulk_create(list(babies.values()))
    made(Relationship, [Relationship(child_id=pk[cid], person=p, kind=Relationship.Kind.CHILD,
                                     recorded_by=by) for cid, p in babies.items()],
         "relationships")
    spans = defaultdict(list)
    for e in plan["episodes"]:
        spans[e["child"]].append((e["started_on"], e["ended_on"]))
    made(LookedAfterEpisode, [LookedAfterEpisode(
        child_id=pk[e.pop("child")], recorded_by=by, **e) for e in plan["episodes"]], "episodes")
    made(CLAReview, [CLAReview(child_id=pk[r.pop("child")], recorded_by=by, **r)
                     for r in plan["reviews"]], "reviews")
    made(MissingEpisode, [MissingEpisode(child_id=pk[m["child"]], kind=m["kind"],
                                         started_at=_midnight(m["started_on"]),
                                         ended_at=_midnight(m["ended_on"]), recorded_by=by)
                          for m in plan["missing"]], "missing")
    _load_oc2(plan["oc2"], pk, cy, by, made)
    _load_oc3(plan["oc3"], header, pk, cy, by, made)
    _load_adoption(plan, pk, by, made)
    made(PreviousPermanence, [PreviousPermanence(child_id=pk[p.pop("child")], recorded_by=by,
                                                 **p) for p in plan["prevperm"]], "prevperm")
    _load_sw(plan["sw"], spans, pk, cy, by, made)
    made(DeprivationOfLibertyOrder, [DeprivationOfLibertyOrder(
        child_id=pk[o.pop("child")], authorised_by=DOLO_AUTHORISED_BY, recorded_by=by, **o)
        for o in plan["dolo"]], "dolo")
    return counts


def _load_oc2(rows, pk, cy, by, made) -> None:
    # The return says only that a check happened in the year, so each is dated 31 March.
    day = cy.end
    sdq, convictions, health, immun, dental, misuse = [], [], [], [], [], []
    for r in rows:
        child = pk[r["child"]]
        if r["sdq_score"] is not None or r["sdq_reason"]:
            sdq.append(StrengthsDifficultiesScore(child_id=child, assessed_on=day,
                                                  score=r["sdq_score"],
                                                  reason="" if r["sdq_score"] is not None
                                                  else r["sdq_reason"], recorded_by=by))
        if r["CONVICTED"]:
            convictions.append(Conviction(child_id=child, convicted_on=day, recorded_by=by))
        if r["HEALTH_CHECK"]:
            health.append(HealthAssessment(child_id=child, kind="development", done_on=day,
                                           recorded_by=by))
        if r["HEALTH_ASSESSMENT"]:
            health.append(HealthAssessment(child_id=child, kind="review", done_on=day,
                                           recorded_by=by))
        if r["IMMUNISATIONS"]:
            immun.append(Immunisation(child_id=child, checked_on=day, up_to_date=True,
                                      recorded_by=by))
        if r["TEETH_CHECK"]:
            dental.append(DentalCheck(child_id=child, checked_on=day, recorded_by=by))
        if r["SUBSTANCE_MISUSE"]:
            misuse.append(SubstanceMisuse(child_id=child, identified_on=day,
                                          intervention_received=r["INTERVENTION_RECEIVED"],
                                          intervention_offered=r["INTERVENTION_OFFERED"],
                                          recorded_by=by))
    made(StrengthsDifficultiesScore, sdq, "sdq")
    made(Conviction, convictions, "convictions")
    made(HealthAssessment, health, "health_assessments")
    made(Immunisation, immun, "immunisations")
    made(DentalCheck, dental, "dental_checks")
    made(SubstanceMisuse, misuse, "substance_misuse")


def _load_oc3(rows, header, pk, cy, by, made) -> None:
    eligibility, contacts, activity, accommodation = [], [], [], []
    for r in rows:
        dob = header[r["child"]]["birth_date"]
        age = next(a for a in ssda903.OC3_AGES if cy.contains(birthday(dob, a)))
        day = birthday(dob, age)
        child = pk[r["child"]]
        adult = age_on(dob, day) >= 18
        eligibility.append(LeavingCareEligibility(
            child_id=child, category="former_relevant" if adult else "relevant",
            started_on=birthday(dob, 18 if adult else 16), recorded_by=by))
        if r["in_touch"] != "NO":
            contacts.append(PersonalAdviserContact(child_id=child, contacted_on=day,
                                                   in_touch=r["in_touch"], recorded_by=by))
        if r["activity"]:
            activity.append(CareLeaverActivity(child_id=child, from_on=day,
                                               activity=r["activity"], recorded_by=by))
        if r["accommodation"]:
            accommodation.append(CareLeaverAccommodation(child_id=child, from_on=day,
                                                         accommodation=r["accommodation"],
                                                         recorded_by=by))
    made(LeavingCareEligibility, eligibility, "leaving_care_eligibility")
    made(PersonalAdviserContact, contacts, "pa_contacts")
    made(CareLeaverActivity, activity, "care_leaver_activity")
    made(CareLeaverAccommodation, accommodation, "care_leaver_accommodation")


def _load_adoption(plan, pk, by, made) -> None:
    decisions = [AdoptionDecision(child_id=pk[p["child"]], decided_on=p["decided_on"],
                                  no_longer_decided_on=p["ceased_on"],
                                  no_longer_reason=p["reason"], recorded_by=by)
                 for p in plan["placed"]]
    placed = {(p["child"], p["decided_on"]) for p in plan["placed"]}
    for a in plan["ad1"]:
        if a["date_int"] and (a["child"], a["date_int"]) not in placed:
            decisions.append(AdoptionDecision(child_id=pk[a["child"]], decided_on=a["date_int"],
                                              recorded_by=by))
    made(AdoptionDecision, decisions, "adoption_decisions")
    made(AdoptionMatch, [AdoptionMatch(
        child_id=pk[a["child"]], matched_on=a["matched_on"], foster_carer=bool(a["foster_carer"]),
        number_of_adopters=a["number"], sex_of_adopters=a["sex"],
        legal_status_of_adopters=a["ls"], recorded_by=by)
        for a in plan["ad1"] if a["matched_on"]], "adoption_matches")


def _before_first_sw(first: date, spans: list, cy) -> date:
    """The day a worker before the return's first social worker episode ended: within the 7
    days SW10a allows, and outside the year or outside care so the export leaves it out again."""
    for back in (*range(1, 8), 0):
        day = first - timedelta(days=back)
        if day < cy.start or not any(start < day <= (end or cy.end) for start, end in spans):
            return day
    return min(first, cy.start) - timedelta(days=1)


def _load_sw(rows, spans, pk, cy, by, made) -> None:
    if not rows:
        made(Allocation, [], "allocations")
        return
    team = _import_team()
    workers = {}
    for sw_id in sorted({r["sw_id"] for r in rows}):
        staff = Staff(username=f"sw-{sw_id}"[:150], sw_id=sw_id, is_active=False, team=team)
        staff.set_unusable_password()
        workers[sw_id] = staff
    Staff.objects.bulk_create(list(workers.values()))
    workers = {s.sw_id: s for s in Staff.objects.filter(team=team)}
    allocations = []
    by_child = defaultdict(list)
    for r in rows:
        by_child[r["child"]].append(r)
    for cid, eps in by_child.items():
        eps.sort(key=lambda r: r["started_on"])
        previous = None
        if eps[0]["reason"] != ssda903.FIRST_SW_REASON:
            # A worker before the year: the one whose leaving gives the first row its reason.
            day = _before_first_sw(eps[0]["started_on"], spans[cid], cy)
            previous = Allocation(child_id=pk[cid], worker=workers[eps[0]["sw_id"]], team=team,
                                  started_on=day, ended_on=day, recorded_by=by)
            allocations.append(previous)
        for r in eps:
            if previous is not None:
                previous.end_reason = r["reason"]
                previous.ended_on = previous.ended_on or r["started_on"]
            previous = Allocation(child_id=pk[cid], worker=workers[r["sw_id"]], team=team,
                                  started_on=r["started_on"], ended_on=r["ended_on"],
                                  recorded_by=by)
            allocations.append(previous)
    made(Allocation, allocations, "allocations")


# --- CIN census ---------------------------------------------------------------------------


def _text(el: ET.Element | None, tag: str) -> str:
    if el is None:
        return ""
    found = el.find(tag)
    return (found.text or "").strip() if found is not None else ""


def load_cin(path: Path, *, by=None) -> dict[str, int]:
    """Check and load a CIN census XML file (the structure `cairn returns cin` writes)."""
    refuse_unless_empty()
    check = Checker()
    name = Path(path).name
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as error:
        raise ImportRefused([Problem(name, None, "", f"not readable XML: {error}")]) from error
    if root.tag != "Message" or root.find("Children") is None:
        raise ImportRefused([Problem(name, None, "", "not a CIN census: expected <Message> "
                                     "with <Children>")])
    plan = _plan_cin(root, name, check)
    if check.problems:
        raise ImportRefused(check.problems)
    year = _text(root.find("Header/CollectionDetails"), "Year")
    if not year.isdigit():
        raise ImportRefused([Problem(name, None, "Year", "the census header names no year")])
    with transaction.atomic():
        counts = _load_cin(plan, CollectionYear(int(year)), by)
        _audit(by, f"Imported the CIN census for {year}", counts, str(path))
    return counts


def _plan_cin(root: ET.Element, f: str, check: Checker) -> list[dict]:
    """Each <Child> checked; `row` is the child's position in the file (from 1)."""
    seen: dict[str, int] = {}
    out = []
    for i, el in enumerate(root.find("Children").findall("Child"), start=1):
        ident, chars = el.find("ChildIdentifiers"), el.find("ChildCharacteristics")
        if ident is None:
            check.add(f, i, "ChildIdentifiers", "is missing")
            continue
        cid = _text(ident, "LAchildID")
        if not cid:
            check.add(f, i, "LAchildID", "is required")
        elif cid in seen:
            check.add(f, i, "LAchildID", f"child {cid} is in the census twice (first as child "
                      f"{seen[cid]})")
            continue
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
        out.append(child)
    return out


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
    kids = [_child(c["la_child_id"], by, upn=c["upn"], former_upn=c["former_upn"],
                   upn_unknown=c["upn_unknown"], birth_date=c["birth_date"],
                   expected_birth_date=c["expected_birth_date"], sex=c["sex"],
                   death_date=c["death_date"], ethnicity=c["ethnicity"]) for c in plan]
    Child.objects.bulk_create(kids)
    pk = dict(Child.objects.values_list("la_child_id", "pk"))
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
