"""The SSDA903 return (children looked after) as a projection of the record.

Each table is a list of rows keyed by the validator's own headings (csc-validator-be-903
`lac_validator/config.py`); dates are dd/mm/yyyy and a blank is an empty string. Cohorts follow
the DfE rules: Episodes are every episode open at some time in the year, OC2 is the children
the validator itself counts as continuously looked after for 12 months at 31 March, OC3 the care
leavers whose 17th to 21st birthday falls in the year.
"""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

from django.db.models import Q
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
from cairn.leaving_care.models import (
    CareLeaverAccommodation,
    CareLeaverActivity,
    LeavingCareEligibility,
    PersonalAdviserContact,
)
from cairn.people.models import Person, Relationship
from cairn.permanence.models import AdoptionDecision, AdoptionMatch, PreviousPermanence
from cairn.workforce.models import Allocation

from .selectors import CollectionYear, age_on, birthday, by_child, children, current
from .selectors import authority as current_authority

# Headings exactly as lac_validator.config.column_names has them, with the file each is
# written to. DoLo (deprivation of liberty) joins the return from 2026-27.
TABLES: dict[str, tuple[str, list[str]]] = {
    "Header": ("header.csv", ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]),
    "Episodes": ("episodes.csv", ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE",
                                  "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE",
                                  "HOME_POST", "PL_POST", "URN"]),
    "Reviews": ("reviews.csv", ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"]),
    "UASC": ("uasc.csv", ["CHILD", "SEX", "DOB", "DUC"]),
    "OC2": ("oc2.csv", ["CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK",
                        "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE",
                        "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"]),
    "OC3": ("oc3.csv", ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"]),
    "AD1": ("ad1.csv", ["CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR",
                        "SEX_ADOPTR", "LS_ADOPTR"]),
    "PlacedAdoption": ("placed_for_adoption.csv", ["CHILD", "DOB", "DATE_PLACED",
                                                   "DATE_PLACED_CEASED",
                                                   "REASON_PLACED_CEASED"]),
    "PrevPerm": ("previous_permanence.csv", ["CHILD", "DOB", "PREV_PERM", "LA_PERM",
                                             "DATE_PERM"]),
    "Missing": ("missing.csv", ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"]),
    "SWEpisodes": ("sw_episodes.csv", ["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC",
                                       "SW_REASON"]),
}
DOLO = ("dolo.csv", ["CHILD", "DOB", "DOLO_START", "DOLO_END"])
DOLO_FROM_YEAR = 2027

# workforce.Allocation.end_reason holds the SSDA903 SW_REASON code of the change to the next
# worker. The first social worker of a child is FCONTA: the reason is the one that began it.
FIRST_SW_REASON = "FCONTA"
OC3_AGES = (17, 18, 19, 20, 21)
SHORT_BREAKS = {"V3", "V4"}
ADOPTED = {"E11", "E12"}


def d(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def flag(value: bool | None) -> str:
    return "" if value is None else ("1" if value else "0")


def tables_for(year: int) -> dict[str, tuple[str, list[str]]]:
    out = dict(TABLES)
    if year >= DOLO_FROM_YEAR:
        out["DoLo"] = DOLO
    return out


def _episodes(cy: CollectionYear):
    """Every current episode open at some time in the year, by child."""
    rows = (LookedAfterEpisode.objects.current()
            .filter(started_on__lte=cy.end)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=cy.start))
            .order_by("child_id", "started_on", "id"))
    return by_child(rows)


def _orders(cy: CollectionYear):
    """Deprivation of liberty orders in force at some time in the year, by child: one open
    at 1 April is reported again with its own start (903 rule 706 matches it to last year's)."""
    rows = (DeprivationOfLibertyOrder.objects.current()
            .filter(started_on__lte=cy.end)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=cy.start))
            .order_by("child_id", "started_on", "id"))
    return by_child(rows)


def continuously_looked_after(episodes: list, cy: CollectionYear) -> bool:
    """The validator's own test (lac_validator.utils add_col_to_episodes_CONTINUOUSLY_LOOKED_AFTER):
    no start of care after 1 April, no end of care before 31 March, no short breaks."""
    for e in episodes:
        if e.reason_new_episode == "S" and cy.start < e.started_on <= cy.end:
            return False
        if (e.reason_ceased and e.reason_ceased != "X1" and e.ended_on
                and cy.start <= e.ended_on < cy.end):
            return False
        if e.legal_status in SHORT_BREAKS:
            return False
    return bool(episodes)


def _episode_row(child, e, cy: CollectionYear) -> dict:
    # An episode ending after 31 March is open as far as this year's return knows.
    ended = e.ended_on if e.ended_on and e.ended_on <= cy.end else None
    return {
        "CHILD": child.la_child_id, "DECOM": d(e.started_on), "RNE": e.reason_new_episode,
        "LS": e.legal_status, "CIN": e.category_of_need, "PLACE": e.placement_type,
        "PLACE_PROVIDER": e.placement_provider, "DEC": d(ended),
        "REC": e.reason_ceased if ended else "",
        "REASON_PLACE_CHANGE": e.reason_place_change if ended else "",
        "HOME_POST": e.home_postcode, "PL_POST": e.placement_postcode, "URN": e.urn,
    }


def _latest_in(rows: list, field: str, cy: CollectionYear, until: date | None = None):
    until = until or cy.end
    found = [r for r in rows if cy.start <= getattr(r, field) <= until]
    return max(found, key=lambda r: (getattr(r, field), r.id)) if found else None


def _oc2_row(child, cy: CollectionYear, facts: dict) -> dict:
    cid = child.pk
    age = age_on(child.birth_date, cy.end)
    sdq = _latest_in(facts["sdq"].get(cid, []), "assessed_on", cy)
    health = facts["health"].get(cid, [])
    immun = _latest_in(facts["immun"].get(cid, []), "checked_on", cy)
    misuse = [m for m in facts["misuse"].get(cid, []) if cy.contains(m.identified_on)]
    # The age on the eve of the year: a 17th birthday on 1 April is in the year too.
    age_at_start = age_on(child.birth_date, cy.start - timedelta(days=1))
    # Due for a child aged 4 to 16 at some time in the year (rule 197B: a 4th or 17th
    # birthday in the year still needs a score or a reason).
    sdq_due = age is not None and age_at_start is not None and age >= 4 and age_at_start <= 16
    row = {
        "CHILD": child.la_child_id, "DOB": d(child.birth_date),
        "SDQ_SCORE": "", "SDQ_REASON": "",
        "CONVICTED": "", "HEALTH_CHECK": "",
        "IMMUNISATIONS": flag(immun.up_to_date if immun else False),
        "TEETH_CHECK": flag(any(cy.contains(c.checked_on) for c in facts["dental"].get(cid, []))),
        "HEALTH_ASSESSMENT": flag(any(h.kind != "development" and cy.contains(h.done_on)
                                      for h in health)),
        "SUBSTANCE_MISUSE": flag(bool(misuse)),
        "INTERVENTION_RECEIVED": "", "INTERVENTION_OFFERED": "",
    }
    if sdq_due:
        if sdq and sdq.score is not None:
            row["SDQ_SCORE"] = str(sdq.score)
        else:
            row["SDQ_REASON"] = sdq.reason if sdq else "SDQ4"
    if age is not None and age >= 10:
        row["CONVICTED"] = flag(any(cy.contains(c.convicted_on)
                                    for c in facts["convictions"].get(cid, [])))
    if age is not None and age < 5:
        row["HEALTH_CHECK"] = flag(any(h.kind == "development" and cy.contains(h.done_on)
                                       for h in health))
    if misuse:
        latest = max(misuse, key=lambda m: (m.identified_on, m.id))
        row["INTERVENTION_RECEIVED"] = flag(latest.intervention_received)
        # Rule 158: whether one was offered is asked only when none was received.
        row["INTERVENTION_OFFERED"] = ("" if latest.intervention_received
                                       else flag(latest.intervention_offered))
    return row


def _oc3_cohort(cy: CollectionYear, episodes_by_child: dict) -> dict[int, int]:
    """Care leavers (relevant or former relevant) with a 17th-21st birthday in the year who
    were not looked after on it nor after it in the year (one who left care at 16 and turns
    17 in the year is in both Episodes and OC3): child pk -> the age reached."""
    since: dict[int, date] = {}
    for child_id, started in (LeavingCareEligibility.objects.current()
                              .filter(category__in=["relevant", "former_relevant"])
                              .values_list("child_id", "started_on")):
        since[child_id] = min(started, since.get(child_id, started))
    eligible = list(since)
    people = Person.objects.current().filter(pk__in=eligible, birth_date__isnull=False)
    people = people.filter(birth_date__lte=date(cy.end.year - 17, 3, 31),
                           birth_date__gte=date(cy.start.year - 21, 4, 1))
    all_eps = by_child(LookedAfterEpisode.objects.current()
                       .filter(child_id__in=eligible).order_by("child_id", "started_on"))
    out = {}
    for p in people.only("pk", "birth_date"):
        for age in OC3_AGES:
            day = birthday(p.birth_date, age)
            # A care leaver by the birthday: one who comes into care later is not (903 1002).
            if not cy.contains(day) or since[p.pk] > day:
                continue
            eps = all_eps.get(p.pk, [])
            in_care = any(e.started_on <= day and (e.ended_on is None or e.ended_on > day)
                          for e in eps)
            # One who leaves care on or after the birthday, in the year, is not asked for it
            # (903 rule 1016: a 17- or 18-year-old who ceases to be looked after after the
            # birthday): the year's return tells of them as looked after.
            left_since = any(e.ended_on and day <= e.ended_on <= cy.end for e in eps)
            if not in_care and not left_since:
                out[p.pk] = age
    return out


def _oc3_row(child, age: int, facts: dict) -> dict:
    day = birthday(child.birth_date, age)
    window = (day - timedelta(days=91), day + timedelta(days=31))
    contacts = [c for c in facts["pa"].get(child.pk, []) if window[0] <= c.contacted_on <= window[1]]
    # The contact nearest the birthday says whether the authority was in touch.
    in_touch = (min(contacts, key=lambda c: (abs((c.contacted_on - day).days), -c.id)).in_touch
                if contacts else "NO")
    if child.death_date and child.death_date <= day:
        in_touch = "DIED"
    activ = accom = "0"
    if in_touch not in ("DIED", "RHOM"):
        act = [a for a in facts["activity"].get(child.pk, []) if a.from_on <= window[1]]
        acc = [a for a in facts["accommodation"].get(child.pk, []) if a.from_on <= window[1]]
        activ = max(act, key=lambda a: (a.from_on, a.id)).activity if act else "0"
        accom = max(acc, key=lambda a: (a.from_on, a.id)).accommodation if acc else "0"
    if in_touch in ("NO", "REFU", "NREQ") and (activ == "0" or accom == "0"):
        activ = accom = "0"
    return {"CHILD": child.la_child_id, "DOB": d(child.birth_date), "IN_TOUCH": in_touch,
            "ACTIV": activ, "ACCOM": accom}


def build(year: int) -> dict[str, list[dict]]:
    """Every SSDA903 table for the year ending 31 March `year`, as rows of heading -> text."""
    cy = CollectionYear(year)
    episodes = _episodes(cy)
    oc3 = _oc3_cohort(cy, episodes)
    dolo = _orders(cy) if year >= DOLO_FROM_YEAR else {}
    kids = children(set(episodes) | set(oc3) | set(dolo))
    ids = list(kids)
    order = sorted(ids, key=lambda pk: kids[pk].la_child_id)
    tables: dict[str, list[dict]] = {name: [] for name in tables_for(year)}

    mothers = by_child(Relationship.objects.current()
                       .filter(kind=Relationship.Kind.CHILD, child_id__in=list(episodes))
                       .select_related("person").order_by("child_id", "id"))
    facts = {
        "sdq": by_child(current(StrengthsDifficultiesScore, ids, "assessed_on")),
        "health": by_child(current(HealthAssessment, ids, "done_on")),
        "immun": by_child(current(Immunisation, ids, "checked_on")),
        "dental": by_child(current(DentalCheck, ids, "checked_on")),
        "convictions": by_child(current(Conviction, ids, "convicted_on")),
        "misuse": by_child(current(SubstanceMisuse, ids, "identified_on")),
        "pa": by_child(current(PersonalAdviserContact, list(oc3), "contacted_on")),
        "activity": by_child(current(CareLeaverActivity, list(oc3), "from_on")),
        "accommodation": by_child(current(CareLeaverAccommodation, list(oc3), "from_on")),
    }
    reviews = by_child(current(CLAReview, list(episodes), "held_on")
                       .filter(held_on__range=(cy.start, cy.end)))
    missing = by_child(current(MissingEpisode, list(episodes), "started_at"))
    decisions = by_child(current(AdoptionDecision, list(episodes), "decided_on"))
    matches = by_child(current(AdoptionMatch, list(episodes), "matched_on"))
    prev_perm = by_child(current(PreviousPermanence, list(episodes), "id"))
    allocations = by_child(current(Allocation, list(episodes), "started_on")
                           .filter(kind=Allocation.Kind.SOCIAL_WORKER).select_related("worker"))

    for pk in order:
        child = kids[pk]
        eps = episodes.get(pk, [])
        dob = d(child.birth_date)
        looked_after = [e for e in eps if e.legal_status not in SHORT_BREAKS]
        mother, births = "", []
        if child.sex == "F" and looked_after:
            births = sorted(r.person.birth_date for r in mothers.get(pk, [])
                            if r.person.birth_date)
            mother = "1" if births else "0"
        tables["Header"].append({
            "CHILD": child.la_child_id, "SEX": child.sex, "DOB": dob, "ETHNIC": child.ethnicity,
            "UPN": child.upn or child.upn_unknown or "UN5", "MOTHER": mother,
            "MC_DOB": d(births[0]) if mother == "1" else "",
        })
        if pk in oc3:
            # A relevant young person who left care at 16 in the year and turns 17 in it is
            # both in Episodes and in OC3 (the DfE's cohort is every care leaver with a 17th to
            # 21st birthday in the year, not only those with no care in it).
            tables["OC3"].append(_oc3_row(child, oc3[pk], facts))
            if not eps:
                continue
        for e in eps:
            tables["Episodes"].append(_episode_row(child, e, cy))
        if child.uasc_from and child.uasc_from <= cy.end:
            # DUC is the day UASC status ends, which is the 18th birthday unless it ended
            # sooner: 903 rule 205B wants that day in every year's return, before it comes.
            ceased = child.uasc_ceased_on or (birthday(child.birth_date, 18)
                                              if child.birth_date else None)
            tables["UASC"].append({"CHILD": child.la_child_id, "SEX": child.sex, "DOB": dob,
                                   "DUC": d(ceased)})
        for r in reviews.get(pk, []):
            tables["Reviews"].append({"CHILD": child.la_child_id, "DOB": dob,
                                      "REVIEW": d(r.held_on), "REVIEW_CODE": r.participation})
        for m in missing.get(pk, []):
            # The day as the authority lived it, not the UTC date of the stored moment.
            start = timezone.localtime(m.started_at).date()
            end = timezone.localtime(m.ended_at).date() if m.ended_at else None
            # A period open at the start of the year is reported again with its own start
            # (903 rule 576 matches it to last year's open period).
            if not cy.overlaps(start, end):
                continue
            end = end if end and end <= cy.end else None
            tables["Missing"].append({"CHILD": child.la_child_id, "DOB": dob, "MISSING": m.kind,
                                      "MIS_START": d(start), "MIS_END": d(end)})
        for o in dolo.get(pk, []):
            # An order ending after 31 March is open as far as this year's return knows (704).
            tables["DoLo"].append({"CHILD": child.la_child_id, "DOB": dob,
                                   "DOLO_START": d(o.started_on),
                                   "DOLO_END": d(o.ended_on if o.ended_on
                                                 and o.ended_on <= cy.end else None)})
        if continuously_looked_after(eps, cy):
            tables["OC2"].append(_oc2_row(child, cy, facts))
        _adoption_rows(tables, child, eps, cy, decisions.get(pk, []), matches.get(pk, []))
        starts = [e for e in eps if e.reason_new_episode == "S" and cy.contains(e.started_on)]
        if starts:
            perm = prev_perm.get(pk, [])
            p = perm[-1] if perm else None
            tables["PrevPerm"].append({
                "CHILD": child.la_child_id, "DOB": dob, "PREV_PERM": p.option if p else "Z1",
                "LA_PERM": p.la_code if p else "", "DATE_PERM": p.order_date if p else ""})
        _sw_rows(tables, child, eps, cy, allocations.get(pk, []))
    return tables


def _adoption_rows(tables, child, eps, cy, decisions, matches) -> None:
    dob = d(child.birth_date)
    adopted = [e for e in eps if e.reason_ceased in ADOPTED and cy.contains(e.ended_on)]
    for dec in decisions:
        if dec.decided_on > cy.end:
            continue
        ceased = dec.no_longer_decided_on if cy.contains(dec.no_longer_decided_on) else None
        if dec.no_longer_decided_on and dec.no_longer_decided_on < cy.start:
            continue
        tables["PlacedAdoption"].append({
            "CHILD": child.la_child_id, "DOB": dob, "DATE_PLACED": d(dec.decided_on),
            "DATE_PLACED_CEASED": d(ceased), "REASON_PLACED_CEASED":
            dec.no_longer_reason if ceased else ""})
    if adopted:
        live = [m for m in matches if m.ended_on is None and m.matched_on <= cy.end]
        m = live[-1] if live else None
        dec = [x for x in decisions if x.decided_on <= cy.end]
        tables["AD1"].append({
            "CHILD": child.la_child_id, "DOB": dob, "DATE_INT": d(dec[-1].decided_on if dec else None),
            "DATE_MATCH": d(m.matched_on if m else None),
            "FOSTER_CARE": flag(m.foster_carer) if m else "",
            "NB_ADOPTR": str(m.number_of_adopters) if m else "",
            "SEX_ADOPTR": m.sex_of_adopters if m else "",
            "LS_ADOPTR": m.legal_status_of_adopters if m else ""})


def _sw_rows(tables, child, eps, cy, allocations) -> None:
    """Social worker episodes while the child was looked after in the year, for every child
    looked after in it.

    The rule SW12 (csc-validator-be-903) checks each episode that starts or ends care against
    every social worker episode of the child: one must exist, begin on or after the start of
    care and on or before its end. So a child who left care in the year is reported too, a
    social worker who ended on the day care began (the case moving to the children in care
    team) belongs to the time before care, not to it, and one who stayed on into care is
    reported from the day care began. Only a start of care in the return (RNE S) moves a
    start: a worker who began before the return's first episode of a care that began earlier
    (its first episode in the year is a change of placement or legal status) is reported from
    the day they began, as an imported return gave it."""
    care = [e for e in eps if e.legal_status not in SHORT_BREAKS]
    spans = [(e.started_on, e.ended_on) for e in care]
    if not spans:
        return
    care_starts = {e.started_on for e in care if e.reason_new_episode == "S"}
    previous = None
    for a in allocations:
        reason = FIRST_SW_REASON
        if previous is not None and previous.ended_on is not None and (
                a.started_on - previous.ended_on).days <= 7:
            reason = previous.end_reason or "OTHERS"
        # A gap of more than a week is a case closed and opened again by a new contact
        # (SW10a: any other reason must follow the previous episode's end within 7 days).
        previous = a
        if not cy.overlaps(a.started_on, a.ended_on):
            continue
        in_care = [start for start, end in spans if a.started_on <= (end or cy.end)
                   and (a.ended_on is None or a.ended_on > start)]
        if not in_care:
            continue
        ended = a.ended_on if a.ended_on and a.ended_on <= cy.end else None
        first = min(in_care)
        # A social worker who was already the child's when care began is reported from that
        # day: the episode is the worker's time with a looked-after child, and SW12 takes no
        # social worker episode that began before the care it is paired with.
        tables["SWEpisodes"].append({
            "CHILD": child.la_child_id, "DOB": d(child.birth_date),
            "SW_ID": a.worker.sw_id or f"XX{a.worker_id}",
            "SW_DECOM": d(max(a.started_on, first) if first in care_starts else a.started_on),
            "SW_DEC": d(ended), "SW_REASON": reason})


def write(tables: dict[str, list[dict]], year: int, out: Path) -> dict:
    """Write every table (each even when empty) and manifest.json; returns the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    spec = tables_for(year)
    for name, (filename, headings) in spec.items():
        with open(out / filename, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=headings, lineterminator="\n")
            w.writeheader()
            w.writerows(tables.get(name, []))
    authority = current_authority()
    manifest = {
        "return": "SSDA903", "year": year, "authority": authority["name"],
        "ons_code": authority["ons_code"], "la_number": authority["la_number"],
        "tables": {name: {"file": spec[name][0], "rows": len(tables.get(name, []))}
                   for name in spec},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest
