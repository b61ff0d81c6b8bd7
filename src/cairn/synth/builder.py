"""Builds the synthetic local authority into the configured database.

Journeys are drawn first (`journeys`), all from one `random.Random(seed)` in child order; then
each stage writes its rows in one transaction through `sink.Table` with primary keys assigned
here. Nothing depends on the clock except through `as_of`, so a seed and a date give the same
database row for row. A stage whose app has no models yet is skipped and reported.
"""

from __future__ import annotations

import math
import random
from datetime import date, time, timedelta

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils.crypto import RANDOM_STRING_CHARS
from tqdm import tqdm

from cairn.access.models import AccessGrant, RestrictionDecision
from cairn.core import open_dues
from cairn.core.models import AuditEvent
from cairn.core.timescales import add_months
from cairn.core.working_days import add_working_days
from cairn.frontdoor.selectors import out_of_hours
from cairn.people.models import Address, CaseNote, Disability, Person, Relationship
from cairn.protection.selectors_assessment import updates_due
from cairn.workforce.models import Allocation, Role, Service, Staff, Team

from . import ids, names
from .beside import BesideStages
from .demo import DEMO_PASSWORD, DEMO_STAFF, EARLY_HELP_MANAGER
from .inspection import InspectionStage
from .journeys import Journey, Simulator, adopted, age_on, years_after
from .reports import ReportStages
from .sink import Table, moment, next_id, reset_sequences
from .stages import TEAM_SIZE, LaterStages

CASELOAD = 17  # children per social worker the teams are sized for
# Teams a service holds before the next service of its kind begins, each with its own service
# manager: a larger authority has more heads of service, not larger ones.
SERVICE_TEAMS = 16


def model(label: str):
    """A journey app's model, or None while that app has no such model or table yet."""
    try:
        found = apps.get_model(label)
    except LookupError:
        return None
    return found if found._meta.db_table in connection.introspection.table_names() else None


# Who took part in strategy discussions, by agency (protection.Agency), name and role.
STRATEGY_ATTENDEES = (
    (("police", "DS Priya Rowe", "Child abuse investigation unit"),
     ("health", "Amina Ali", "Health visitor"),
     ("education", "Mark Evans", "Designated safeguarding lead, Oak Primary")),
    (("police", "DC Tom Hale", "Public protection unit"),
     ("health", "Dr Ruth Kerr", "Named GP for safeguarding"),
     ("education", "Jo Pike", "Head of year, Northfield Academy"),
     ("other", "Lee Grant", "Riverside Housing")),
)
# Why an initial conference was held after its 15 working days (F18).
LATE_REASONS = (
    "The police officer in the case could not attend sooner",
    "The family asked to move the date to attend with their advocate",
    "No conference chair was free within the timescale",
    "The medical report was not ready",
)


# Each team's caseload threshold (children per full-time worker): 18 for social workers, as
# the model's default; reviewing officers hold 50 to 70 children each (IRO Handbook 2010, 2.15).
THRESHOLDS = {"reviewing": 70}


class Builder(LaterStages, BesideStages, ReportStages, InspectionStage):
    def __init__(self, *, children: int, seed: int, years: int = 5, as_of: date,
                 progress: bool = True):
        self.n = children
        self.seed = seed
        self.years = years
        self.as_of = as_of
        self.start = as_of - timedelta(days=round(365.25 * years))
        self.rng = random.Random(seed)
        self.progress = progress
        self.counts: dict[str, int] = {}
        self.skipped: list[str] = []
        self.journeys: list[Journey] = []
        self.child_ids: list[int] = []
        self.referral_ids: dict[tuple[int, int], int] = {}
        self.pools: dict[str, list[int]] = {}
        self.demo: dict[str, int] = {}
        self.pa_of: dict[int, int] = {}  # child -> personal adviser
        self.carer_of: dict[tuple[int, int, int], int] = {}  # (child, inv, episode) -> household
        self.password = ""  # the demo password's hash, shared by every synthetic user
        self.team_of_kind: dict[str, int] = {}  # the first team of each kind
        self.demo_caseload: list[tuple[int, int]] = []  # (child, involvement) for sw.demo
        # (child, involvement, worker) open on --as-of to tm.demo's team
        self.team_open: list[tuple[int, int, int]] = []
        self.early_help_rows: list[tuple[int, date, date | None]] = []  # (child, from, to)

    def table(self, model_, fields, recorded_by=None) -> Table:
        return Table(model_, fields, recorded_by=recorded_by, counts=self.counts)

    def bar(self, iterable, desc: str, total: int | None = None):
        return tqdm(iterable, desc=desc, total=total, disable=not self.progress, leave=False,
                    unit="child", mininterval=0.5)

    # -- the whole build ------------------------------------------------------------------------

    def build(self) -> dict[str, int]:
        sim = Simulator(self.rng, start=self.start, as_of=self.as_of)
        self.journeys = [sim.journey(i) for i in self.bar(range(self.n), "journeys")]
        stages = [self.workforce, self.people, self.allocations, self.frontdoor,
                  self.protection, self.legal, self.fostering, self.care, self.allocations_beside,
                  self.deprivation_of_liberty, self.permanence,
                  self.leaving_care, self.private_fostering, self.early_help,
                  self.assessment_updates, self.waiting_work, self.audit, self.inspections,
                  self.restrictions, self.performance_reports]
        written = []
        for stage in stages:
            with transaction.atomic():
                written += stage() or []
        reset_sequences(written)
        # The rows were written in bulk, past the hooks that keep each child's open items in
        # step with their facts: build them all now (core.open_dues).
        open_dues.rebuild(progress=lambda done, of: None)
        return dict(sorted(self.counts.items()))

    # -- workforce ------------------------------------------------------------------------------

    def open_by_kind(self) -> dict[str, int]:
        """Children open to each kind of team on --as-of: what the teams are sized for."""
        load = {"assessment": 0, "child_protection": 0, "children_in_care": 0, "leaving_care": 0}
        for j in self.journeys:
            for inv in j.involvements:
                if inv.closed_on is None and inv.team_changes:
                    load[inv.team_changes[-1][1]] += 1
            if j.leaving_care and years_after(j.birth_on, 21) > self.as_of:
                load["leaving_care"] += 1
        return load

    def workforce(self) -> list:
        # Hashed once, shared by every synthetic user, with a salt drawn from the seed: a
        # random salt would make every build's staff table differ.
        salt = random.Random(f"{self.seed}-salt")
        password = make_password(DEMO_PASSWORD, salt="".join(
            salt.choice(RANDOM_STRING_CHARS) for _ in range(22)))
        self.password = password
        joined = moment(self.start, 9)
        load = self.open_by_kind()
        service_rows = [("Front door and early help",), ("Assessment and child protection",),
                        ("Children in care and care leavers",), ("Quality and performance",)]
        sid = next_id(Service)
        services = {}
        for i, (name,) in enumerate(service_rows):
            services[name] = sid + i
        Service.objects.bulk_create([Service(id=pk, name=name) for name, pk in services.items()])
        svc = list(services.values())
        plan = [("Front Door (MASH)", "front_door", svc[0], 1),
                ("Early Help", "early_help", svc[0], 1),
                ("Independent Reviewing", "reviewing", svc[3], 1),
                ("Fostering", "fostering", svc[2], 1),
                ("Performance and Quality", "performance", svc[3], 1)]
        for kind, service in (("assessment", svc[1]), ("child_protection", svc[1]),
                              ("children_in_care", svc[2]), ("leaving_care", svc[2])):
            workers = max(2, math.ceil(load[kind] / CASELOAD))
            teams = max(1, math.ceil(workers / 8))
            title = dict(Team.Kind.choices)[kind]
            for t in range(teams):
                plan.append((f"{title} {t + 1}" if teams > 1 else title, kind, service,
                             math.ceil(workers / teams)))
        # Services of their kind after the first SERVICE_TEAMS teams.
        names_of = {pk: name for name, pk in services.items()}
        extra: list[tuple[int, str]] = []
        now_of: dict[int, int] = {}
        held: dict[int, int] = {}
        more: dict[int, int] = {}  # services after the first, by the first
        # Teams of each kind taken in turn (the first assessment team, the first child
        # protection team, the second of each...), so the first service, the demo's, holds the
        # first team of every kind it runs, the demo team manager's among them.
        ordinal: dict[tuple[int, str], int] = {}
        turns = []
        for i, (_, kind, service, _) in enumerate(plan):
            ordinal[service, kind] = ordinal.get((service, kind), 0) + 1
            turns.append((ordinal[service, kind], i))
        for _, i in sorted(turns):
            name, kind, service, workers = plan[i]
            now = now_of.get(service, service)
            if held.get(now, 0) >= SERVICE_TEAMS:
                now = sid + len(service_rows) + len(extra)
                more[service] = more.get(service, 1) + 1
                extra.append((now, f"{names_of[service]} {more[service]}"))
                now_of[service] = now
            held[now] = held.get(now, 0) + 1
            plan[i] = (name, kind, now, workers)
        Service.objects.bulk_create([Service(id=pk, name=name) for pk, name in extra])
        tid = next_id(Team)
        teams = []
        for i, (name, kind, service, _) in enumerate(plan):
            teams.append(Team(id=tid + i, name=name, kind=kind, service_id=service,
                              caseload_threshold=THRESHOLDS.get(kind, 18)))
        Team.objects.bulk_create(teams)
        staff: list[Staff] = []
        pk = next_id(Staff)
        r = self.rng

        def person(username, role, team, first=None, last=None, title="") -> int:
            nonlocal pk
            s = Staff(id=pk, username=username, password=password, role=role, team_id=team,
                      first_name=first or r.choice(names.GIVEN_FEMALE + names.GIVEN_MALE),
                      last_name=last or r.choice(names.FAMILY), job_title=title,
                      email=f"{username}@cairn.invalid", date_joined=joined,
                      sw_id=f"SW{pk:06d}" if role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER,
                                                      Role.PERSONAL_ADVISER) else "",
                      is_staff=role == Role.ADMINISTRATOR, is_superuser=role == Role.ADMINISTRATOR)
            staff.append(s)
            pk += 1
            return s.id

        by_kind = {t.kind: t.id for t in reversed(teams)}  # the first team of each kind
        self.team_of_kind = by_kind
        demo_team = {"social_worker": by_kind["child_protection"],
                     "team_manager": by_kind["child_protection"], "service_manager": None,
                     "front_door": by_kind["front_door"], "early_help": by_kind["early_help"],
                     "iro": by_kind["reviewing"], "personal_adviser": by_kind["leaving_care"],
                     "fostering": by_kind["fostering"], "performance_analyst":
                     by_kind["performance"], "auditor": by_kind["performance"],
                     "inspector": None, "administrator": None, "information_governance": None,
                     "director": None}
        for username, role, first, last in DEMO_STAFF:
            self.demo[role] = person(username, role, demo_team[role], first, last,
                                     dict(Role.choices)[role])
        managers = {}
        iros = 0
        for team, (name, kind, service, workers) in zip(teams, plan):
            role = {"front_door": Role.FRONT_DOOR, "early_help": Role.EARLY_HELP,
                    "reviewing": Role.IRO, "fostering": Role.FOSTERING,
                    "leaving_care": Role.PERSONAL_ADVISER,
                    "performance": Role.PERFORMANCE_ANALYST}.get(kind, Role.SOCIAL_WORKER)
            if team.id == by_kind["child_protection"]:
                managers[team.id] = self.demo["team_manager"]
            elif team.id == by_kind["early_help"]:
                managers[team.id] = person(*EARLY_HELP_MANAGER[:1], Role.TEAM_MANAGER, team.id,
                                           *EARLY_HELP_MANAGER[1:], title="Team manager")
            else:
                managers[team.id] = person(f"tm{team.id}", Role.TEAM_MANAGER, team.id,
                                           title="Team manager")
            pool = self.pools.setdefault(kind, [])
            if team.id == by_kind.get(kind) and role == self.role_of_demo(kind):
                pool.append(self.demo[role])
            if kind == "reviewing":
                # Reviewing officers in teams of TEAM_SIZE like everyone else (the rest join
                # teams of their own below), so a reviewing officer's line is one team's
                # children whatever the size of the authority.
                iros = max(2, math.ceil((load["children_in_care"] + load["child_protection"])
                                        / 60))
                workers = min(iros, TEAM_SIZE)
            while sum(1 for s in staff if s.team_id == team.id and s.role == role) < workers:
                pool.append(person(f"{role}{pk}", role, team.id, title=dict(Role.choices)[role]))
        heads = {pk: person(f"sm{pk}", Role.SERVICE_MANAGER, None, title="Service manager")
                 for pk, _ in extra}
        Staff.objects.bulk_create(staff, batch_size=1000)
        for team in teams:
            team.manager_id = managers[team.id]
        Team.objects.bulk_update(teams, ["manager"])
        for i, service in enumerate(svc):
            Service.objects.filter(pk=service).update(
                manager=self.demo["service_manager"] if i == 1 else
                next(s.id for s in staff if s.role == Role.TEAM_MANAGER))
        for pk, head in heads.items():
            Service.objects.filter(pk=pk).update(manager=head)
        self.counts["workforce.Staff"] = len(staff)
        self.counts["workforce.Team"] = len(teams)
        self.counts["workforce.Service"] = len(svc) + len(extra)
        self.pools["reviewing"] += [worker for worker, _ in self.staff_teams(
            by_kind["reviewing"], Role.IRO, iros - TEAM_SIZE)]
        return [Service, Team, Staff]

    @staticmethod
    def role_of_demo(kind: str) -> str | None:
        return {"child_protection": Role.SOCIAL_WORKER, "front_door": Role.FRONT_DOOR,
                "early_help": Role.EARLY_HELP, "reviewing": Role.IRO,
                "leaving_care": Role.PERSONAL_ADVISER, "fostering": Role.FOSTERING}.get(kind)

    # -- people ---------------------------------------------------------------------------------

    def people(self) -> list:
        r = self.rng
        recorder = self.demo["front_door"]
        persons = self.table(Person, ("id", "given_name", "family_name", "birth_date", "sex",
                                      "ethnicity", "la_child_id", "upn", "upn_unknown",
                                      "nhs_number", "uasc_from", "uasc_ceased_on",
                                      "first_language", "interpreter_needed"), recorder)
        addresses = self.table(Address, ("person_id", "line1", "town", "postcode", "started_on"),
                               recorder)
        disabilities = self.table(Disability, ("person_id", "code"), recorder)
        relations = self.table(Relationship, ("child_id", "person_id", "kind",
                                              "parental_responsibility", "lives_with_child",
                                              "started_on"), recorder)
        pk = next_id(Person)
        for j in self.bar(self.journeys, "people"):
            child = pk
            pk += 1
            self.child_ids.append(child)
            first = j.contacts[0].on
            school_age = years_after(j.birth_on, 5)
            # CIN 8770Q/903 209: a UPN for children of school age; UN2 for those not yet.
            upn = ids.upn(j.index + 1) if school_age <= self.as_of else ""
            persons.add((child, j.given, j.family, j.birth_on, j.sex, j.ethnicity,
                         f"C{j.index + 1:07d}", upn, "" if upn else "UN2",
                         ids.nhs_number(j.index * 3 + 1), first if j.uasc else None,
                         self.uasc_ceased(j), "English" if not j.uasc else r.choice(
                             ("Arabic", "Pashto", "Tigrinya", "Kurdish")),
                         # An unaccompanied child new to English needs an interpreter booked.
                         j.uasc),
                        moment(first))
            street = f"{r.randint(1, 180)} {r.choice(names.STREETS)}"
            town = r.choice(names.TOWNS)
            addresses.add((child, street, town, j.postcode, j.birth_on), moment(first))
            for code in j.disabled:
                disabilities.add((child, code), moment(first))
            if j.uasc:
                continue  # unaccompanied: no family known locally
            mother = pk
            pk += 1
            mother_born = j.birth_on - timedelta(days=r.randint(18 * 365, 40 * 365))
            persons.add((mother, r.choice(names.GIVEN_FEMALE), j.family, mother_born, "F",
                         j.ethnicity, None, "", "", "", None, None, "English", False),
                        moment(first))
            addresses.add((mother, street, town, j.postcode, j.birth_on), moment(first))
            relations.add((child, mother, "mother", True, True, j.birth_on), moment(first))
            if r.random() < 0.7:
                father = pk
                pk += 1
                persons.add((father, r.choice(names.GIVEN_MALE),
                             j.family if r.random() < 0.6 else r.choice(names.FAMILY),
                             mother_born - timedelta(days=r.randint(-700, 2500)), "M",
                             j.ethnicity, None, "", "", "", None, None, "English", False),
                             moment(first))
                lives = r.random() < 0.45
                relations.add((child, father, "father", r.random() < 0.8, lives, j.birth_on),
                              moment(first))
            if r.random() < 0.3:
                gran = pk
                pk += 1
                persons.add((gran, r.choice(names.GIVEN_FEMALE), j.family,
                             mother_born - timedelta(days=r.randint(18 * 365, 35 * 365)), "F",
                             j.ethnicity, None, "", "", "", None, None, "English", False),
                             moment(first))
                relations.add((child, gran, "grandparent", False, False, j.birth_on),
                              moment(first))
        for t in (persons, addresses, disabilities, relations):
            t.flush()
        return [Person, Address, Disability, Relationship]

    # -- allocations ----------------------------------------------------------------------------

    def allocations(self) -> list:
        r = self.rng
        rows = self.table(Allocation, ("child_id", "worker_id", "team_id", "kind", "started_on",
                                       "ended_on", "end_reason"), self.demo["team_manager"])
        team_of = dict(Staff.objects.filter(id__in=[w for pool in self.pools.values()
                                                    for w in pool]).values_list("id", "team_id"))
        demo_sw = self.demo["social_worker"]
        demo_team = self.team_of_kind["child_protection"]
        demo_load = demo_pa_load = 0
        for j, child in zip(self.bar(self.journeys, "allocations"), self.child_ids):
            # The worker a child has on leaving care stays to the next 31 March: SSDA903 SW12
            # takes no social worker episode that starts after care ended, and SW17 wants the
            # last one reported still open at 31 March.
            held = [(inv.care.ended_on, date(inv.care.ended_on.year + (
                inv.care.ended_on.month > 3), 3, 31)) for inv in j.involvements
                if inv.care is not None and inv.care.ended_on is not None]
            for index, inv in enumerate(j.involvements):
                if inv.nfa:
                    continue
                # The hand-over when care ends (never when it starts: 903 SW12 wants the
                # new worker from the first day of care).
                left = inv.care.ended_on if inv.care else None
                changes = [(after_march(since, inv.closed_on, self.as_of)
                            if since == left else since, kind)
                           for since, kind in inv.team_changes]
                for k, (since, kind) in enumerate(changes):
                    until = changes[k + 1][0] if k + 1 < len(changes) else inv.closed_on
                    march = closes_before_march(inv, until) if k + 1 == len(changes) else None
                    if march is not None:
                        # A young person whose care ends at or near 18 keeps the 16+ team's
                        # social worker through the move to leaving care, past the next 31
                        # March: the SSDA903 social worker episode open at 31 March (SW17)
                        # that began before care ended (SW12). The personal adviser works
                        # alongside.
                        until = march + timedelta(days=14 + child % 77)
                        if until > self.as_of:
                            until = None
                    # A worker for less than 3 days is not an episode (903 SW09).
                    if until is not None and (until - since).days < 3:
                        continue
                    pool = [w for w in self.pools[kind] if w != demo_sw] or self.pools[kind]
                    # The demo social worker carries a full caseload of open child protection
                    # and child in need work, with its due and overdue visits and reviews.
                    if (kind == "child_protection" and until is None and demo_load < 18):
                        worker = demo_sw
                        demo_load += 1
                        self.demo_caseload.append((child, index))
                    else:
                        worker = r.choice(pool)
                    day = since
                    # A worker change about once a year (SSDA903 SW_Episodes), then the stage ends.
                    while True:
                        change = day + timedelta(days=r.randint(240, 600))
                        for left, march in held:
                            if left <= change <= march:
                                change = march + timedelta(days=1)
                        change = after_march(change, None, self.as_of)
                        if (until is not None and (until - change).days < 3) or change > self.as_of:
                            end_reason = "CHCHAN" if until is not None and k + 1 < len(changes) \
                                else ("MANAGE" if until is not None else "")
                            rows.add((child, worker, team_of[worker], "SW", day, until,
                                      end_reason), moment(day))
                            if until is None and team_of[worker] == demo_team:
                                self.team_open.append((child, index, worker))
                            break
                        rows.add((child, worker, team_of[worker], "SW", day, change,
                                  r.choice(("LEFTRL", "MANAGE", "ORGRST", "PCCHAN"))),
                                 moment(day))
                        day = change
                        if worker != demo_sw:
                            worker = r.choice(pool)
            if j.leaving_care and j.leaving_care["pathway_plans"]:
                start = j.leaving_care["pathway_plans"][0]
                until = years_after(j.birth_on, 21)
                pa = r.choice(self.pools["leaving_care"])
                # The demo personal adviser has the first young people still open to the service.
                if until > self.as_of and demo_pa_load < 15:
                    pa, demo_pa_load = self.demo["personal_adviser"], demo_pa_load + 1
                self.pa_of[child] = pa
                rows.add((child, pa, team_of[pa], "PA", start,
                          until if until <= self.as_of else None, "MANAGE" if until <=
                          self.as_of else ""), moment(start))
        rows.flush()
        return [Allocation]

    # -- the front door -------------------------------------------------------------------------

    def frontdoor(self) -> list:
        Contact, Referral = model("frontdoor.Contact"), model("frontdoor.Referral")
        EarlyHelp = model("frontdoor.EarlyHelpEpisode")
        if Contact is None or Referral is None:
            self.skipped.append("frontdoor")
            return []
        r = self.rng
        fd = self.pools["front_door"]
        contacts = self.table(Contact, ("id", "child_id", "received_at", "source", "concerns",
                                        "consent", "decision", "decided_at", "decided_by_id",
                                        "consent_given_by", "consent_given_to",
                                        "consent_given_on", "out_of_hours",
                                        "overnight_action"), fd[0])
        referrals = self.table(Referral, ("id", "child_id", "contact_id", "received_on",
                                          "source", "primary_need", "nfa", "closed_on",
                                          "closure_reason"), fd[0])
        notes = self.table(CaseNote, ("child_id", "kind", "occurred_on", "subject", "body",
                                      "child_seen", "child_seen_alone"), fd[0])
        cid, rid = next_id(Contact), next_id(Referral)
        for j, child in zip(self.bar(self.journeys, "front door"), self.child_ids):
            by_day = {}
            for c in j.contacts:
                received = moment(c.on, r.randint(8, 17))
                decided = received + timedelta(hours=r.randint(1, 20))
                # A contact about a child whose case is open goes to the allocated worker.
                decision = "advice" if c.decision == "open_case" else c.decision
                if decided.date() > self.as_of:
                    decided = received
                consent = "given" if r.random() < 0.9 else "refused"
                given = consent == "given"
                # No draw of its own: the rest of the authority stays as it was built before.
                after_hours = out_of_hours(received)
                contacts.add((cid, child, received, c.source, CONCERNS[c.source], consent,
                              decision, decided, r.choice(fd),
                              CONSENT_GIVER[cid % len(CONSENT_GIVER)] if given else "",
                              "The caller" if given else "", c.on if given else None,
                              after_hours,
                              OVERNIGHT[cid % len(OVERNIGHT)] if after_hours else ""), received)
                notes.add((child, "phone", c.on, "Contact received", CONCERNS[c.source], None,
                           None), received)
                by_day.setdefault(c.on, cid)
                cid += 1
            for k, inv in enumerate(j.involvements):
                contact = by_day.get(inv.referral_on) or by_day.get(inv.referral_on
                                                                    - timedelta(days=1))
                referrals.add((rid, child, contact, inv.referral_on, inv.source, inv.need,
                               inv.nfa, inv.closed_on, inv.closure_reason),
                              moment(inv.referral_on))
                self.referral_ids[(child, k)] = rid
                rid += 1
            if EarlyHelp is not None:
                for started, ended in j.early_help:
                    # The early help stage writes the episode and chooses its worker from the
                    # early help team; this draw keeps the rest of the authority as it was.
                    r.choice(self.pools.get("early_help") or fd)
                    self.early_help_rows.append((child, started, ended))
        for t in (contacts, referrals, notes):
            t.flush()
        return [Contact, Referral, CaseNote]

    # -- assessment and protection --------------------------------------------------------------

    def protection(self) -> list:
        Assessment = model("protection.Assessment")
        if Assessment is None or not self.referral_ids:
            self.skipped.append("protection")
            return []
        m = {name: model(f"protection.{name}") for name in (
            "AssessmentFactor", "CINPlan", "StrategyDiscussion", "Section47Enquiry",
            "ChildProtectionPlan", "ChildProtectionConference", "CoreGroupMeeting", "Visit")}
        r = self.rng
        sw = self.pools["child_protection"]
        tm = self.demo["team_manager"]
        iro = self.pools["reviewing"]
        t_assess = self.table(Assessment, ("id", "child_id", "referral_id", "started_on",
                                           "child_seen_on", "submitted_on", "authorised_on",
                                           "authorised_by_id", "further_action",
                                           "reason_late"), sw[0])
        t_factor = self.table(m["AssessmentFactor"], ("child_id", "assessment_id", "code"), sw[0])
        t_cin = self.table(m["CINPlan"], ("id", "child_id", "referral_id", "started_on",
                                          "ended_on", "childs_words"), sw[0])
        t_cin_review = self.table(model("protection.CINPlanReview"),
                                  ("child_id", "plan_id", "held_on", "attendees", "progress"),
                                  sw[0])
        t_sd = self.table(m["StrategyDiscussion"], ("id", "child_id", "referral_id", "held_on",
                                                    "held_at", "chaired_by_id",
                                                    "agencies_present", "information_shared",
                                                    "decision", "s47_agreed"), sw[0])
        t_who = self.table(model("protection.StrategyAttendee"),
                           ("child_id", "discussion_id", "agency", "name", "role"), sw[0])
        t_safety = self.table(model("protection.SafetyPlan"), (
            "child_id", "made_on", "agreed_by", "safety_goal", "arrangements", "network",
            "childs_words", "if_breaks_down", "ended_on", "end_reason"), sw[0])
        t_booking = self.table(model("protection.ConferenceBooking"), (
            "child_id", "kind", "section47_id", "booked_for", "chair_id", "grant_id"), sw[0])
        t_grant = self.table(AccessGrant, ("id", "child_id", "staff_id", "granted_by_id",
                                           "granted_at", "until", "reason"))
        t_s47 = self.table(m["Section47Enquiry"], ("id", "child_id", "strategy_discussion_id",
                                                   "started_on", "outcome", "icpc_not_required",
                                                   "completed_on"), sw[0])
        t_plan = self.table(m["ChildProtectionPlan"], ("id", "child_id", "referral_id",
                                                       "conference_id", "started_on",
                                                       "initial_category_of_abuse", "ended_on",
                                                       "end_reason", "childs_words"), sw[0])
        t_conf = self.table(m["ChildProtectionConference"], ("id", "child_id", "kind", "held_on",
                                                             "section47_id", "plan_id",
                                                             "chaired_by_id", "outcome",
                                                             "reason_late"), iro[0])
        t_change = self.table(model("protection.PlanCategoryChange"),
                              ("child_id", "plan_id", "changed_on", "category", "reason"), iro[0])
        t_core = self.table(m["CoreGroupMeeting"], ("child_id", "plan_id", "held_on",
                                                    "attendees"), sw[0])
        t_visit = self.table(m["Visit"], ("child_id", "kind", "protection_plan_id", "cin_plan_id",
                                          "visited_on", "visited_by_id", "child_seen",
                                          "child_seen_alone", "not_seen_alone_reason"), sw[0])
        ids_ = {name: next_id(mm) for name, mm in m.items() if mm is not None}
        aid = next_id(Assessment)
        grant_id = next_id(AccessGrant)
        # Chairs are asked for the conferences still to come; not on the children the demo
        # restricts (builder.restricted_children picks among children without grants), and
        # the demo's chair (iro.demo) first, so their My work has conferences to chair.
        kept_back = {c for c, *_ in self.team_open} | {c for c, _ in self.demo_caseload}
        chairs = [self.demo["iro"], *[i for i in iro if i != self.demo["iro"]]]
        booked = 0
        for j, child in zip(self.bar(self.journeys, "protection"), self.child_ids):
            for k, inv in enumerate(j.involvements):
                a = inv.assessment
                if a is None:
                    continue
                ref = self.referral_ids[(child, k)]
                done = a.completed_on
                # A manager authorising after the 45 working days says why (issue 12).
                late = done is not None and done > add_working_days(inv.referral_on, 45)
                t_assess.add((aid, child, ref, a.started_on,
                              a.started_on + timedelta(days=r.randint(0, 5))
                              if done else None, done, done, tm if done else None,
                              (inv.cin_plan is not None or bool(inv.s47s)) if done else None,
                              LATE_REASONS[child % len(LATE_REASONS)] if late else ""),
                             moment(a.started_on))
                for code in a.factors:
                    t_factor.add((child, aid, code), moment(done))
                aid += 1
                cin_id = None
                if inv.cin_plan:
                    cin_id = ids_["CINPlan"]
                    ids_["CINPlan"] += 1
                    t_cin.add((cin_id, child, ref, inv.cin_plan[0], inv.cin_plan[1],
                               CHILDS_WORDS[child % len(CHILDS_WORDS)]),
                              moment(inv.cin_plan[0]))
                    for held in cin_reviews(child, *inv.cin_plan, self.as_of):
                        t_cin_review.add((child, cin_id, held, "Child, parents, school, "
                                          "health visitor", "Progress on each need reviewed; "
                                          "the plan continues"), moment(held, 11))
                plan_id = None
                for s in inv.s47s:
                    sd = ids_["StrategyDiscussion"]
                    ids_["StrategyDiscussion"] += 1
                    # Who took part, drawn from the discussion's number, not the seed's random
                    # numbers, so the rest of the authority is as it was without them.
                    t_sd.add((sd, child, ref, s.strategy_on, time(9 + sd % 8, 15 * (sd % 4)),
                              tm, "Police, Health, Education",
                              "Police: previous call-outs to the address. Health: missed "
                              "appointments. School: attendance and the child's account.",
                              "Section 47 enquiry to start", True), moment(s.strategy_on))
                    for agency, name, role in STRATEGY_ATTENDEES[sd % len(STRATEGY_ATTENDEES)]:
                        t_who.add((child, sd, agency, name, role), moment(s.strategy_on))
                    s47 = ids_["Section47Enquiry"]
                    ids_["Section47Enquiry"] += 1
                    icpc_needed = s.icpc_on is not None
                    outcome = ""
                    if s.completed_on:
                        outcome = "icpc" if icpc_needed else r.choice(("cin", "nfa"))
                    t_s47.add((s47, child, sd, s.started_on, outcome,
                               bool(s.completed_on) and not icpc_needed, s.completed_on),
                              moment(s.started_on))
                    # The safety plan agreed during the enquiry (F37): replaced by the plan a
                    # conference makes, or still in force while the enquiry runs and after a
                    # conference that made no plan (the family's support goes on under it).
                    if icpc_needed or s.completed_on is None:
                        made = s.completed_on or s.started_on
                        ended = s.icpc_on if icpc_needed and s.plan else None
                        t_safety.add((
                            child, made, "Mother, maternal grandmother and the social worker",
                            "The child is fed, warm and not hurt at home",
                            "Grandmother stays at the home each evening; the school checks in "
                            "each morning", "Grandmother; the class teacher",
                            "\u201cI feel safe when Nan is here\u201d",
                            "Grandmother calls the duty team (or the police out of hours); the "
                            "child stays with her until a visit",
                            ended, "The conference decided the next steps" if ended else ""),
                            moment(made, 15))
                    if s.completed_on is None and child not in kept_back:
                        # The initial conference to come, booked with its chair, who is let
                        # into the record until four weeks after it (protection services).
                        on = max(add_working_days(s.strategy_on, 15),
                                 add_working_days(self.as_of, 2))
                        chair = chairs[booked % len(chairs)]
                        t_grant.add((grant_id, child, chair, sw[0], moment(self.as_of, 9),
                                     on + timedelta(days=28),
                                     f"Asked to chair the initial child protection "
                                     f"conference on {on:%-d %B %Y}"), moment(self.as_of, 9))
                        t_booking.add((child, "initial", s47, on, chair, grant_id),
                                      moment(self.as_of, 9))
                        grant_id, booked = grant_id + 1, booked + 1
                    if s.icpc_on is None:
                        continue
                    # The ICPC follows its section 47 enquiry; the plan points back at the
                    # conference that made it, and reviews point at the plan.
                    icpc = ids_["ChildProtectionConference"]
                    ids_["ChildProtectionConference"] += 1
                    late = ("" if s.icpc_on <= add_working_days(s.strategy_on, 15) else
                            LATE_REASONS[icpc % len(LATE_REASONS)])
                    t_conf.add((icpc, child, "initial", s.icpc_on, s47, None, r.choice(iro),
                                "plan" if s.plan else "no_plan", late), moment(s.icpc_on))
                    if not s.plan:
                        continue
                    plan_id = ids_["ChildProtectionPlan"]
                    ids_["ChildProtectionPlan"] += 1
                    end_reason = ""
                    if s.plan.ended_on:
                        end_reason = "looked_after" if inv.care else "safe"
                    t_plan.add((plan_id, child, ref, icpc, s.plan.started_on, s.plan.category,
                                s.plan.ended_on, end_reason,
                                CHILDS_WORDS[(child + 1) % len(CHILDS_WORDS)]),
                               moment(s.plan.started_on))
                    for review in s.plan.reviews:
                        conf = ids_["ChildProtectionConference"]
                        ids_["ChildProtectionConference"] += 1
                        t_conf.add((conf, child, "review", review, None, plan_id, r.choice(iro),
                                    "end" if s.plan.ended_on == review else "continue", ""),
                                   moment(review))
                    for day, category in s.plan.category_changes:
                        t_change.add((child, plan_id, day, category,
                                      "The review conference agreed the main concern changed"),
                                     moment(day))
                    for day in s.plan.core_groups:
                        t_core.add((child, plan_id, day, "Parents, school, health visitor"),
                                   moment(day))
                for day in inv.visits:
                    cp = plan_id is not None and _within(day, inv, plan_id)
                    seen = r.random() < 0.95
                    alone = seen and r.random() < 0.6
                    why = "" if alone else NOT_ALONE[(child + day.day) % len(NOT_ALONE)]
                    t_visit.add((child, "CP" if cp else "CIN", plan_id if cp else None,
                                 None if cp else cin_id, day, r.choice(sw), seen, alone, why),
                                moment(day, 14))
        tables = (t_grant, t_assess, t_factor, t_cin, t_cin_review, t_sd, t_who, t_s47,
                  t_safety, t_plan, t_conf, t_booking, t_change, t_core, t_visit)
        for t in tables:
            t.flush()
        return [t.model for t in tables]

    def assessment_updates(self) -> list:
        """F1: the task to update each authorised assessment that a significant event overtook,
        as the pages raise it when the event is recorded. Raised for events of the last
        UPDATES_FROM days only, as if the authority began then: older ones would be years
        overdue on every list."""
        Update = model("protection.AssessmentUpdate")
        if Update is None or not self.child_ids:
            self.skipped.append("assessment updates")
            return []
        table = self.table(Update, ("child_id", "assessment_id", "event", "event_label",
                                    "event_on"), self.pools["child_protection"][0])
        since = self.as_of - timedelta(days=UPDATES_FROM)
        due = updates_due(self.child_ids)
        for child_id in sorted(due):
            first = due[child_id].events[0]
            if first.on >= since:
                table.add((child_id, due[child_id].assessment_id, first.fact,
                           first.label or first.fact, first.on), moment(first.on, 10))
        table.flush()
        return [Update]

    # -- children in care -----------------------------------------------------------------------

    def care(self) -> list:
        Episode = model("care.LookedAfterEpisode")
        if Episode is None:
            self.skipped.append("care")
            return []
        r = self.rng
        sw = self.pools["children_in_care"]
        iro = self.pools["reviewing"]
        m = {name: model(f"care.{name}") for name in (
            "CLAReview", "StatutoryVisit", "HealthAssessment", "DentalCheck",
            "PersonalEducationPlan", "MissingEpisode", "ReturnHomeInterview")}
        t_ep = self.table(Episode, ("child_id", "started_on", "reason_new_episode",
                                    "legal_status", "category_of_need", "placement_type",
                                    "placement_provider", "ended_on", "reason_ceased",
                                    "reason_place_change", "home_postcode",
                                    "placement_postcode", "urn", "carer_id"), sw[0])
        t_rev = self.table(m["CLAReview"], ("child_id", "held_on", "participation", "chair_id"),
                           iro[0])
        t_vis = self.table(m["StatutoryVisit"], ("child_id", "visited_on", "seen", "seen_alone",
                                                 "by_id"), sw[0])
        t_health = self.table(m["HealthAssessment"], ("child_id", "kind", "done_on"), sw[0])
        t_dental = self.table(m["DentalCheck"], ("child_id", "checked_on"), sw[0])
        t_pep = self.table(m["PersonalEducationPlan"], ("child_id", "held_on", "school"), sw[0])
        t_miss = self.table(m["MissingEpisode"], ("id", "child_id", "kind", "started_at",
                                                  "ended_at"), sw[0])
        t_rhi = self.table(m["ReturnHomeInterview"], ("missing_episode_id", "offered_on",
                                                      "accepted", "held_on"), sw[0])
        participation = [p for p in _choice_values(m["CLAReview"], "participation")
                         if p != "PN0"]
        oc2 = {name: model(f"care.{name}") for name in (
            "Immunisation", "StrengthsDifficultiesScore", "SubstanceMisuse", "Conviction")}
        t_imm = self.table(oc2["Immunisation"], ("child_id", "checked_on", "up_to_date"), sw[0])
        t_sdq = self.table(oc2["StrengthsDifficultiesScore"], ("child_id", "assessed_on",
                                                               "score", "reason"), sw[0])
        t_sub = self.table(oc2["SubstanceMisuse"], ("child_id", "identified_on",
                                                    "intervention_offered",
                                                    "intervention_received"), sw[0])
        t_conv = self.table(oc2["Conviction"], ("child_id", "convicted_on", "outcome"), sw[0])
        mid = next_id(m["MissingEpisode"])
        need_for = {"N1": "N1", "N2": "N2", "N3": "N3", "N4": "N4", "N5": "N5", "N6": "N6",
                    "N7": "N7", "N8": "N8", "N9": "N8"}
        for j, child in zip(self.bar(self.journeys, "care"), self.child_ids):
            home = "" if j.uasc else j.postcode  # 903 rule 406: no distance for UASC
            for k, inv in enumerate(j.involvements):
                care = inv.care
                if care is None:
                    continue
                need = "N8" if j.uasc else need_for.get(inv.need, "N1")
                eps = care.episodes
                for n, e in enumerate(eps):
                    # 903 rule 225: the episode a placement change ends carries its reason.
                    nxt = eps[n + 1] if n + 1 < len(eps) else None
                    change = ""
                    if e.rec == "X1" and nxt is not None and nxt.rne in ("P", "B", "T", "U"):
                        change = weighted_change(r, age_on(j.birth_on, e.started_on))
                    t_ep.add((child, e.started_on, e.rne, e.legal_status, need, e.placement,
                              e.provider, e.ended_on, e.rec, change, home, e.postcode,
                              e.urn, self.carer_of.get((child, k, n))), moment(e.started_on))
                for day in care.reviews:
                    # 903 rules 440 and 441: PN0 exactly when the child is under 4.
                    code = "PN0" if age_on(j.birth_on, day) < 4 else r.choice(participation)
                    t_rev.add((child, day, code, r.choice(iro)), moment(day))
                for day in care.visits:
                    seen = r.random() < 0.96
                    t_vis.add((child, day, seen, seen and r.random() < 0.7, r.choice(sw)),
                              moment(day, 15))
                for n, day in enumerate(care.health):
                    t_health.add((child, "initial" if n == 0 else "review", day), moment(day))
                for kind, day, value in care.oc2:
                    if kind == "immunisation":
                        t_imm.add((child, day, value), moment(day))
                    elif kind == "sdq":
                        score = value if isinstance(value, int) else None
                        t_sdq.add((child, day, score, "" if score is not None else value),
                                  moment(day))
                    elif kind == "development":
                        t_health.add((child, "development", day), moment(day))
                    elif kind == "substance":
                        t_sub.add((child, day, *value), moment(day))
                    elif kind == "conviction":
                        t_conv.add((child, day, "Youth caution"), moment(day))
                for day in care.dental:
                    t_dental.add((child, day), moment(day))
                for day in care.peps:
                    t_pep.add((child, day, "Cairnford Academy"), moment(day))
                for gone, kind, back, offered, accepted, held in care.missing:
                    t_miss.add((mid, child, kind, moment(gone, 20),
                                moment(back, 9) if back else None), moment(gone, 20))
                    if offered:
                        t_rhi.add((mid, offered, accepted, held), moment(offered))
                    mid += 1
        tables = (t_ep, t_rev, t_vis, t_health, t_dental, t_pep, t_miss, t_rhi, t_imm, t_sdq,
                  t_sub, t_conv)
        for t in tables:
            t.flush()
        return [t.model for t in tables]

    # -- access and the audit trail -------------------------------------------------------------

    def audit(self) -> list:
        inspector = self.demo["inspector"]
        open_children = [child for j, child in zip(self.journeys, self.child_ids)
                         if any(inv.closed_on is None and not inv.nfa for inv in j.involvements)]
        sample = self.rng.sample(open_children, min(20, len(open_children)))
        at = moment(self.as_of, 8)
        # Keys numbered here, as sink.Table does: PostgreSQL's sequences are not rolled back
        # with a transaction, so keys they assign depend on what the database saw before.
        grant = next_id(AccessGrant)
        AccessGrant.objects.bulk_create([
            AccessGrant(id=grant + n, child_id=child, staff_id=inspector,
                        granted_by_id=self.demo["service_manager"],
                        granted_at=at, until=self.as_of + timedelta(days=14),
                        reason="Sampled for the inspection of children's services")
            for n, child in enumerate(sorted(sample))])
        event = next_id(AuditEvent)
        events = [AuditEvent(
            id=event, at=at, actor_id=self.demo["administrator"],
            kind=AuditEvent.Kind.CREATED,
            action="synth.generated", object_type="authority",
            after={"children": self.n, "seed": self.seed, "years": self.years,
                   "as_of": self.as_of.isoformat()},
            reason="Synthetic local authority generated by cairn synth")]
        # The inspector's first morning: the sampled records they opened, and one record outside
        # the sample they were refused, so the demo's access logs (ig.demo) have something in.
        for n, child in enumerate(sorted(sample)[:6]):
            events.append(AuditEvent(
                id=event + len(events), at=at + timedelta(minutes=30 + 7 * n),
                actor_id=inspector, kind=AuditEvent.Kind.VIEWED, action="child.viewed",
                object_type="people.person", object_id=str(child), child_id=child,
                page=f"/children/{child}/"))
        outside = next((c for c in sorted(self.child_ids) if c not in set(sample)), None)
        if outside is not None:
            events.append(AuditEvent(
                id=event + len(events), at=at + timedelta(minutes=80), actor_id=inspector,
                kind=AuditEvent.Kind.DENIED, action="child.denied", child_id=outside,
                page=f"/children/{outside}/"))
        AuditEvent.objects.bulk_create(events)
        # Added to the grants the protection stage gave conference chairs.
        label = AccessGrant._meta.label
        self.counts[label] = self.counts.get(label, 0) + len(sample)
        self.counts[AuditEvent._meta.label] = len(events)
        return [AccessGrant, AuditEvent]

    # -- restricted records ---------------------------------------------------------------------

    def restricted_children(self) -> list[tuple[int, str, list[int], date]]:
        """The records the demo's senior manager has restricted: (child, reason, the people
        named besides sm.demo, the day decided). Chosen in child order, drawing nothing from the
        seed's random numbers, so the rest of the authority is as it was without them; none is
        an inspector's sampled case."""
        sw, tm = self.demo["social_worker"], self.demo["team_manager"]
        sampled = set(AccessGrant.objects.values_list("child_id", flat=True))
        out: list[tuple[int, str, list[int], date]] = []
        # A child of a member of staff, in tm.demo's team but not sw.demo's: sw.demo, a
        # colleague in the same team, does not see it; tm.demo is named and does.
        staff_child = next((c for c, _, w in self.team_open if w != sw and c not in sampled),
                           None)
        if staff_child is not None:
            out.append((staff_child, "The child of a member of staff in the child protection "
                        "team", [tm], self.as_of - timedelta(days=90)))
        # A case in the news, held by sw.demo (who sees it as the allocated worker).
        taken = {c for c, *_ in out} | sampled
        news = next((c for c, _ in self.demo_caseload if c not in taken), None)
        if news is not None:
            out.append((news, "A high-profile case: the family has been named in the local "
                        "press", [tm, sw], self.as_of - timedelta(days=21)))
        # An adopted child's birth record, the adoption known to few; in an authority too
        # small to have had an adoption, a child in care living with their mother in a refuge.
        taken |= {c for c, *_ in out}
        adoption = refuge = None
        for j, child in zip(self.journeys, self.child_ids):
            if child in taken:
                continue
            if adoption is None and adopted(j):
                ended = max(inv.care.ended_on for inv in j.involvements
                            if inv.care is not None and inv.care.ended_on is not None)
                adoption = (child, "An adopted child's birth record: the adoptive family's "
                            "identity is protected", [], min(ended, self.as_of))
            if refuge is None and any(inv.closed_on is None and not inv.nfa and inv.team_changes
                                      and inv.team_changes[-1][1] == "children_in_care"
                                      for inv in j.involvements):
                refuge = (child, "The child's mother is in a refuge: nothing on the record may "
                          "lead to her", [], self.as_of - timedelta(days=45))
        if adoption or refuge:
            out.append(adoption or refuge)
        return out

    def restrictions(self) -> list:
        """Each restricted record as the restrict page leaves it (access.services): the
        senior manager's decision, sm.demo and the others named by grants, the child's flag,
        and the audit rows, with keys numbered here."""
        sm = self.demo["service_manager"]
        decisions, grants, events = [], [], []
        decision_id, grant_id = next_id(RestrictionDecision), next_id(AccessGrant)
        event_id = next_id(AuditEvent)
        for child, reason, named, day in self.restricted_children():
            at = moment(day, 11)
            decision = RestrictionDecision(id=decision_id, child_id=child, kind="restrict",
                                           restricted=True, reason=reason, decided_by_id=sm,
                                           decided_at=at)
            decisions.append(decision)
            events.append(AuditEvent(
                id=event_id, at=at, actor_id=sm, kind=AuditEvent.Kind.DECIDED,
                action="restriction.restrict", object_type="access.restrictiondecision",
                object_id=str(decision_id), child_id=child, reason=reason,
                after={"child_id": child, "kind": "restrict", "restricted": True}))
            event_id += 1
            for staff in [sm, *named]:
                grants.append(AccessGrant(id=grant_id, child_id=child, staff_id=staff,
                                          granted_by_id=sm, granted_at=at, reason=reason,
                                          decision_id=decision_id))
                events.append(AuditEvent(
                    id=event_id, at=at, actor_id=sm, kind=AuditEvent.Kind.CREATED,
                    action="accessgrant.created", object_type="access.accessgrant",
                    object_id=str(grant_id), child_id=child, reason=reason,
                    after={"child_id": child, "staff_id": staff, "decision_id": decision_id}))
                grant_id, event_id = grant_id + 1, event_id + 1
            Person.objects.filter(pk=child).update(restricted=True, restriction_reason=reason)
            decision_id += 1
        RestrictionDecision.objects.bulk_create(decisions)
        AccessGrant.objects.bulk_create(grants)
        AuditEvent.objects.bulk_create(events)
        self.counts[RestrictionDecision._meta.label] = len(decisions)
        self.counts[AccessGrant._meta.label] += len(grants)
        self.counts[AuditEvent._meta.label] += len(events)
        return [RestrictionDecision, AccessGrant, AuditEvent]


def after_march(day: date, closed: date | None, as_of: date) -> date:
    """A change of worker in the last days of March waits for 1 April: 903 SW11b reads a
    worker who leaves in those days as one with no successor."""
    if day.month != 3 or day.day < 26:
        return day
    april = date(day.year, 4, 1)
    return april if april <= as_of and (closed is None or april < closed) else day


def closes_before_march(inv, until: date | None) -> date | None:
    """The 31 March after care ended, when the case would close before it; else None."""
    if until is None or inv.care is None or inv.care.ended_on is None:
        return None
    left = inv.care.ended_on
    march = date(left.year + (left.month > 3), 3, 31)
    return march if until <= march else None


def weighted_change(r: random.Random, age: int) -> str:
    """A reason for a placement change (SSDA903 REASON_PLACE_CHANGE); custody only for a
    child 10 or over when the episode began (rule 234 reads the age at DECOM)."""
    codes = (("CARPL", 40), ("CREQB", 12), ("CREQO", 10), ("CHILD", 8), ("LAREQ", 8),
             ("STAND", 4), ("ALLEG", 3), ("CLOSE", 4), ("APPRR", 1), ("PLACE", 5),
             ("OTHER", 5), ("CUSTOD", 2 if age >= 10 else 0))
    return r.choices([c for c, _ in codes], [w for _, w in codes])[0]


def _within(day: date, inv, plan_id) -> bool:
    for s in inv.s47s:
        if s.plan and s.plan.started_on <= day and (s.plan.ended_on is None
                                                     or day <= s.plan.ended_on):
            return True
    return False


def _choice_values(model_, field: str) -> list[str]:
    """A model's choice codes for a field, in declaration order ([] if there is none)."""
    if model_ is None:
        return []
    try:
        return [value for value, _ in model_._meta.get_field(field).choices or []]
    except Exception:  # noqa: BLE001 - FieldDoesNotExist in an older version of the model
        return []


# Who gave consent for a contact, and what the out-of-hours service did with one received in
# the evening or at a weekend (F17).
CONSENT_GIVER = ("Mother", "Father", "Parent or carer", "The young person", "Grandmother")
OVERNIGHT = ("Advice given to the caller; passed to the day team",
             "Police checked the child was safe at home",
             "Emergency duty social worker spoke to the parent by phone",
             "Child stayed overnight with a grandparent, agreed by the parent")

CONCERNS = {
    "6": "Police attended a domestic incident at the home; children present.",
    "2A": "School concerned about the child's attendance, presentation and hunger.",
    "2B": "Education welfare officer reports persistent absence.",
    "3A": "GP concerned about missed appointments and an unexplained injury.",
    "3B": "Health visitor concerned about the home conditions and the baby's weight.",
    "3C": "School nurse reports the child disclosed worries at home.",
    "3D": "Community health service reports parental substance misuse.",
    "3E": "Emergency department attendance with an injury not consistent with the account.",
    "3F": "Mental health service concerned about a parent's ability to care.",
    "4": "Housing officer reports the family at risk of eviction and overcrowding.",
    "5A": "Adult social care report a parent's needs affecting the children.",
    "5B": "Another council department reports concerns about the child's welfare.",
    "5C": "Another authority's social care notified that the family has moved here.",
    "5D": "Early help service reports no progress with the family plan.",
    "7": "Youth justice service reports the child at risk of exploitation.",
    "8": "Voluntary sector worker concerned about neglect.",
    "1A": "A relative is worried about the children's care.",
    "1B": "A neighbour reports children left alone and shouting.",
    "1C": "The young person asked for help.",
    "1D": "A member of the public is concerned about a child.",
    "9": "An anonymous caller reports concerns about the children.",
    "10": "Concerns received; source not recorded.",
}


# Issue 12: what the synthetic workers write where the pages now ask for it.
UPDATES_FROM = 90
LATE_REASONS = ("The family moved twice during the assessment",
                "The father was in hospital and could not be seen until he was home",
                "Waiting for the school and health visitor to share what they knew",
                "The worker was off sick; the assessment was reallocated")
CHILDS_WORDS = ("I want Mum to stop shouting", "I like it at Nan's house, I feel safe there",
                "I don't want to move school", "I want to see my dad at weekends",
                "Showed with the feelings cards that home feels scary at night")
NOT_ALONE = ("The child asked for a parent to stay", "A parent would not leave the room",
             "The child was asleep", "Seen at school with the teacher present")


def cin_reviews(child: int, started: date, ended: date | None, as_of: date) -> list[date]:
    """A child in need plan's reviews: about every 3 months (the local rule), a few days early;
    one plan in seven has missed its latest, so the demo shows a review overdue."""
    out, held = [], started
    end = min(ended or as_of, as_of)
    while True:
        due = add_months(held, 3)
        held = due - timedelta(days=(child + len(out)) % 9)
        if held > end:
            break
        out.append(held)
    if out and ended is None and child % 7 == 0:
        out.pop()
    return out
