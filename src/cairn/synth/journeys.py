"""Children's journeys through children's social care, simulated in plain Python.

Each child gets a `Journey`: a birth date and, in the real order of events, contacts, referrals,
assessments, plans, conferences, proceedings, periods in care and leaving care. Nothing here
touches the database; `builder` turns journeys into rows. Proportions follow the national
statistics roughly (Characteristics of children in need 2024-25; Children looked after in England
2024-25): about a quarter of contacts become referrals, a tenth of referrals are NFA, a third of
assessments lead to a strategy discussion, and some 6-7% of referred children become looked after.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from cairn.core.working_days import is_working_day

from . import names, postcodes

DAY = timedelta(days=1)
SUPPORTED_ACCOMMODATION_FROM = date(2025, 4, 1)
ADOPTED = ("E11", "E12")  # SSDA903 reasons an episode ceased: adoption orders
# The share of children (9 or older when first seen) in care since years before the record.
LONG_TERM_SHARE = 0.03
# The share of children whose protection plan has ended who are referred again for the same harm.
RETURN_AFTER_PLAN = 0.65
# Reasons care ended at 16 or 17 that leave a relevant child (not home, not permanence).
RELEVANT_LEAVING = ("E8", "E13")
# Histories begun before the record's first day, as shares of children: a real authority's
# record holds children in care, on the way to adoption, and young people who left care at 18,
# from years before. Without them a record of a few years has almost no adoptions and no care
# leavers of 19 to 21, and too few children in care (England 2024: some 84,000 looked after,
# 3,000 adopted a year and 48,000 care leavers aged 19 to 21, against 620,000 referrals). The
# shares set them near England's proportions to referrals; adoptions somewhat above, so that
# even the demo's small authority adopts a child or two every year for the scorecard measures.
EARLIER = (("adoption", 0.015), ("in_care", 0.012), ("care_leaver", 0.04))


class WorkingDays:
    """Fast working-day arithmetic over a fixed span (bank holidays of England and Wales)."""

    def __init__(self, start: date, end: date):
        self.start = start
        days = []
        day = start
        while day <= end:
            if is_working_day(day):
                days.append(day)
            day += DAY
        self.days = days

    def add(self, day: date, n: int) -> date:
        """`n` working days after `day` (the day itself is day 0), as core.working_days does."""
        i = bisect.bisect_right(self.days, day) - 1 + n
        if i < 0:
            return day - timedelta(days=n * 7 // 5)
        if i >= len(self.days):
            return self.days[-1] + timedelta(days=(i - len(self.days) + 1) * 7 // 5 + 1)
        return self.days[i]

    def on_or_after(self, day: date) -> date:
        i = bisect.bisect_left(self.days, day)
        return self.days[i] if i < len(self.days) else day


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - DAY).day
    return date(year, month, min(day.day, last))


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def weighted(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    codes, weights = zip(*table)
    return rng.choices(codes, weights)[0]


# CIN census referral sources, weighted as in the 2024-25 national figures (police largest).
REFERRAL_SOURCES = (
    ("6", 29), ("2A", 20), ("3A", 2), ("3B", 2), ("3C", 1), ("3D", 3), ("3E", 3), ("3F", 4),
    ("5A", 4), ("5B", 3), ("5C", 2), ("5D", 2), ("1A", 5), ("1B", 1), ("1C", 1), ("1D", 1),
    ("4", 2), ("7", 3), ("8", 6), ("9", 1), ("10", 1),
)
PRIMARY_NEEDS = (("N1", 57), ("N2", 8), ("N3", 3), ("N4", 8), ("N5", 13), ("N6", 2), ("N7", 1),
                 ("N8", 5), ("N9", 3))
# CIN census assessment factor codes; 21 ("no factors identified") always stands alone (8869),
# and 18A/19A are not used (8945Q, 8950Q): 18B/18C and 19B/19C instead.
FACTORS = (("3A", 18), ("3B", 6), ("3C", 3), ("4A", 16), ("4B", 8), ("1B", 7), ("2B", 7),
           ("1C", 1), ("2C", 1), ("1A", 2), ("2A", 3), ("5A", 3), ("5B", 3), ("6A", 3),
           ("6B", 3), ("7A", 1), ("8F", 2), ("9A", 1), ("10A", 2), ("11A", 2), ("12A", 1),
           ("13A", 1), ("14A", 1), ("15A", 1), ("16A", 1), ("17A", 1), ("18B", 8), ("18C", 1),
           ("19B", 5), ("19C", 1), ("20", 1), ("22A", 3), ("23A", 1), ("24A", 4))
CP_CATEGORIES = (("NEG", 50), ("EMO", 37), ("PHY", 7), ("SAB", 4), ("MUL", 2))
ETHNICITIES = (("WBRI", 66), ("WOTH", 6), ("WIRI", 1), ("WROM", 1), ("MWBC", 3), ("MWBA", 1),
               ("MWAS", 2), ("MOTH", 3), ("AIND", 1), ("APKN", 3), ("ABAN", 1), ("AOTH", 1),
               ("BAFR", 4), ("BCRB", 2), ("BOTH", 1), ("CHNE", 1), ("OOTH", 2), ("NOBT", 1))


@dataclass(slots=True)
class Contact:
    on: date
    source: str
    decision: str  # nfa, advice, early_help, referral


@dataclass(slots=True)
class Assessment:
    started_on: date
    completed_on: date | None
    factors: tuple[str, ...] = ()


@dataclass(slots=True)
class CPPlan:
    started_on: date  # the ICPC that made it
    ended_on: date | None
    category: str
    reviews: list[date] = field(default_factory=list)
    core_groups: list[date] = field(default_factory=list)
    category_changes: list[tuple[date, str]] = field(default_factory=list)  # at reviews


@dataclass(slots=True)
class S47:
    strategy_on: date
    started_on: date
    completed_on: date | None
    icpc_on: date | None  # None: no conference needed (or not yet held)
    plan: CPPlan | None = None


@dataclass(slots=True)
class Episode:
    """One SSDA903 episode: a stretch with one legal status and one placement."""

    started_on: date
    ended_on: date | None
    rne: str  # reason for new episode
    legal_status: str
    placement: str
    rec: str = ""  # reason episode ceased
    postcode: str = ""
    urn: str = ""
    provider: str = ""


@dataclass(slots=True)
class CarePeriod:
    started_on: date
    ended_on: date | None
    episodes: list[Episode] = field(default_factory=list)
    reviews: list[date] = field(default_factory=list)
    visits: list[date] = field(default_factory=list)
    health: list[date] = field(default_factory=list)
    dental: list[date] = field(default_factory=list)
    peps: list[date] = field(default_factory=list)
    # (went, kind, returned, interview offered, accepted, interview held)
    missing: list[tuple] = field(default_factory=list)
    adoption: dict | None = None  # decision_on, placement_order_on, matched_on, placed_on...
    # OC2 facts for each 31 March the child had been looked after for a year: (kind, day, value)
    oc2: list[tuple[str, date, object]] = field(default_factory=list)
    previous_permanence: str = "Z1"
    permanence_plan: tuple[str, date] | None = None  # (Annex A list 8 type, agreed)


@dataclass(slots=True)
class Proceedings:
    pre_started_on: date | None  # PLO letter before proceedings
    pre_ended_on: date | None
    issued_on: date | None
    concluded_on: date | None
    hearings: list[date] = field(default_factory=list)
    interim_order_on: date | None = None
    final_order: str = ""  # C1 care order, SGO, CAO, E1 placement order...


@dataclass(slots=True)
class Involvement:
    """One CIN episode: a referral and everything done under it until closure."""

    referral_on: date
    source: str
    need: str
    nfa: bool
    closed_on: date | None
    closure_reason: str
    assessment: Assessment | None = None
    cin_plan: tuple[date, date | None] | None = None
    s47s: list[S47] = field(default_factory=list)
    proceedings: Proceedings | None = None
    care: CarePeriod | None = None
    visits: list[date] = field(default_factory=list)
    team_changes: list[tuple[date, str]] = field(default_factory=list)  # (from, team kind)
    orders: list[tuple[str, date, date | None]] = field(default_factory=list)  # EPO, PP


def adopted(j: "Journey") -> bool:
    """Whether the child has been adopted: an adopted child has a new identity, and comes
    back, if ever, as a new record with the adoption as previous permanence (903 199)."""
    return any(inv.care is not None and inv.care.episodes and inv.care.ended_on is not None
               and inv.care.episodes[-1].rec in ADOPTED for inv in j.involvements)


@dataclass(slots=True)
class Journey:
    index: int
    sex: str
    birth_on: date
    ethnicity: str
    given: str
    family: str
    postcode: str
    disabled: tuple[str, ...]
    contacts: list[Contact] = field(default_factory=list)
    involvements: list[Involvement] = field(default_factory=list)
    early_help: list[tuple[date, date | None]] = field(default_factory=list)
    uasc: bool = False
    leaving_care: dict | None = None
    private_fostering: dict | None = None


class Simulator:
    """Draws journeys from one random generator, in a fixed order, so a seed fixes them all."""

    def __init__(self, rng: random.Random, *, start: date, as_of: date):
        self.rng = rng
        self.start = start
        self.as_of = as_of
        self.wd = WorkingDays(start - timedelta(days=30), as_of + timedelta(days=800))
        self.years = (as_of - start).days / 365.25
        self.privately_fostered = 0
        # Lapses in visiting draw from a stream of their own, so adding them left every other
        # fact of a seed as it was. Seeded from the state's text (Random hashes a str with
        # SHA-512), never hash(): the state ends in None (no gauss value kept), and Python
        # 3.11 hashes None by its address, which moves from one process to the next.
        self.lapses = random.Random(repr(rng.getstate()))  # reads the state, draws nothing
        # Histories begun before the record (EARLIER) draw from a stream of their own too, and
        # which children they replace from another, so the one never moves the other.
        self.earlier = random.Random("earlier " + repr(rng.getstate()))
        self.replaced = random.Random("replaced " + repr(rng.getstate()))
        self.adoptions_before = 0

    # -- small helpers -------------------------------------------------------------------------

    def postcode(self, inside: bool = True) -> str:
        """A real postcode in the authority, or in a neighbouring one."""
        return self.rng.choice(postcodes.INSIDE if inside else postcodes.OUTSIDE)

    def lapsed(self, visits: list[date], until: date | None) -> list[date]:
        """Visits to a child whose plan is still open, with the last few weeks missed for about
        one child in eight: real caseloads have overdue visits, and the due lists must show them."""
        if until is not None or self.lapses.random() >= 0.125:
            return visits
        cutoff = self.as_of - timedelta(days=self.lapses.randint(12, 35))
        return [day for day in visits if day <= cutoff]

    def done(self, day: date | None) -> date | None:
        """A planned event, or None where it falls after --as-of (it has not happened yet)."""
        return day if day is not None and day <= self.as_of else None

    def series(self, first: date, every_days: int, until: date | None, jitter: int = 5,
               skip: float = 0.03) -> list[date]:
        """Dates from `first`, about `every_days` apart, up to `until` (or --as-of)."""
        end = min(until or self.as_of, self.as_of)
        out, day = [], first
        while day <= end:
            if self.rng.random() >= skip:
                out.append(day)
            day += timedelta(days=max(1, every_days + self.rng.randint(-jitter, jitter)))
        return out

    # -- a child --------------------------------------------------------------------------------

    def journey(self, index: int) -> Journey:
        """Child `index`'s journey. A few (EARLIER) began before the record's first day: they
        are drawn from a stream of their own in place of the journey the main stream drew,
        which is drawn all the same, so every other child of a seed is as it was."""
        drawn = self.drawn(index)
        roll = self.replaced.random()
        if drawn.private_fostering is not None:  # counted towards one in every 300: kept
            return drawn
        if self.adoptions_before <= index // 100:  # at least one in every 100 children
            roll = 0.0
        for kind, share in EARLIER:
            if roll < share:
                main, self.rng = self.rng, self.earlier
                try:
                    return self.begun_earlier(index, kind)
                finally:
                    self.rng = main
            roll -= share
        return drawn

    def begun_earlier(self, index: int, kind: str) -> Journey:
        """A history begun before the record's first day: a young child in care on the way to
        adoption ("adoption"), a child in long-term care ("in_care") or a young person who left
        care at 18, or will, in the record's years ("care_leaver")."""
        r = self.rng
        span = (self.as_of - self.start).days
        first = self.start + timedelta(days=r.randrange(span))
        if kind == "adoption":
            # The first orders fall in the middle of each collection year of the record, the
            # year so far first, so even a small authority adopts in every year; the rest
            # spread evenly (the golden ratio's multiples) over the record's years and the 16
            # months after them, so children on the way are in court, matched or placed at
            # --as-of. Each order falls some 2 years after the child came into care.
            self.adoptions_before += 1
            order_on = self.adoption_day(self.adoptions_before)
            waits = (r.randint(3, 10), r.randint(14, 40), r.randint(150, 330),
                     r.randint(80, 300), r.randint(7, 40), r.randint(150, 400))
            began = order_on - timedelta(days=sum(waits) + 2)
            birth = began - timedelta(days=min(3 * 365, int(r.expovariate(1 / 200))))
        elif kind == "in_care":
            birth = first - timedelta(days=r.randint(9 * 365, 15 * 365))
        else:
            birth = first - timedelta(days=r.randint(18 * 365 + 1, 21 * 365))
        sex = "M" if r.random() < 0.55 else "F"
        journey = Journey(index=index, sex=sex, birth_on=birth,
                          ethnicity=weighted(r, ETHNICITIES),
                          given=r.choice(names.GIVEN_MALE if sex == "M" else names.GIVEN_FEMALE),
                          family=r.choice(names.FAMILY), postcode=self.postcode(), disabled=())
        if kind == "adoption":
            self.adopted_from_care(journey, began, waits)
        else:
            self.long_term_care(journey, first if kind == "in_care"
                                else min(first, years_after(birth, 18)))
        self.contacts_while_open(journey)
        return journey

    def adoption_day(self, k: int) -> date:
        """The day of the `k`th adoption order of a history begun before the record."""
        years = [date(y - 1, 4, 1) for y in range(self.as_of.year + (self.as_of.month > 3),
                                                  self.start.year, -1)]
        if k <= len(years):
            first = max(years[k - 1], self.start)
            last = min(date(first.year + (first.month > 3), 3, 31), self.as_of)
            return first + (last - first) // 2
        span = (self.as_of - self.start).days + 490
        day = self.start + timedelta(days=int(span * ((k * 0.6180339887) % 1)))
        # Care that ends on 31 March is care at 31 March to the 903's validator, which then
        # takes the year's adoption return (AD1) for a child still looked after (rule 187).
        return day + DAY if (day.month, day.day) == (3, 31) else day

    def adopted_from_care(self, j: Journey, began: date, waits: tuple[int, ...]) -> None:
        """A child referred on `began`: pre-proceedings within days, care proceedings issued
        within weeks, in care from the interim care order at the first hearing; a placement
        order at the final hearing, then matched, placed and adopted (Adoption scorecard,
        England 2021-24: about 15 months from care to moving in, 6 from the placement order
        to a match; Cafcass 2024: care proceedings take some 45 weeks, a fifth within 26)."""
        r, wd = self.rng, self.wd
        source = weighted(r, REFERRAL_SOURCES)
        j.contacts.append(Contact(began, source, "referral"))
        inv = Involvement(began, source, "N1", False, None, "")
        j.involvements.append(inv)
        inv.team_changes.append((began, "assessment"))
        pre_start = began + timedelta(days=waits[0])
        issued = pre_start + timedelta(days=waits[1])
        inv.assessment = Assessment(began, self.done(issued),
                                    tuple(sorted({weighted(r, FACTORS) for _ in range(2)})))
        p = Proceedings(self.done(pre_start), None, None, None)
        if pre_start > self.as_of:
            return
        inv.proceedings = p
        if issued > self.as_of:
            return
        p.pre_ended_on = p.issued_on = issued
        # The first hearing within days (2 allowed for: the order falls on its day).
        first = issued + DAY
        if first >= wd.start:  # the working days are known from the record's first month
            first = wd.on_or_after(first)
        while first.weekday() >= 5:  # before it, a weekday will do (bank holidays aside)
            first += DAY
        concluded = issued + timedelta(days=2 + waits[2])
        p.hearings.append(first)
        for k in range(1, 4):
            h = issued + timedelta(days=k * 50 + r.randint(-5, 5))
            if h < concluded and h <= self.as_of:
                p.hearings.append(h)
        self.care(j, inv, first, route="ico", concluded=concluded, adopt=True,
                  waits=waits[3:])
        if inv.care is None:
            p.issued_on = p.pre_ended_on = None
            p.hearings = []
            return
        p.interim_order_on = first
        if concluded <= self.as_of:
            p.concluded_on = concluded
            p.hearings.append(concluded)
            p.final_order = "PO"
        if inv.care.ended_on is None:
            return
        end = self.closing(inv, self.support_after_care(j, inv))
        if end is not None:
            inv.closed_on, inv.closure_reason = end, self.closure_reason(inv)

    def drawn(self, index: int) -> Journey:
        r = self.rng
        span = (self.as_of - self.start).days
        first = self.start + timedelta(days=r.randrange(span))
        age = weighted(r, (("0", 15), ("1", 20), ("5", 25), ("10", 30), ("16", 10)))
        lo = int(age)
        hi = {0: 0, 1: 4, 5: 9, 10: 15, 16: 17}[lo]
        # Unaccompanied asylum-seeking children: mostly boys of 15-17 who arrive alone and are
        # looked after at once (Children looked after in England 2024-25: about 7% of those in
        # care, 90% male, most aged 16 or 17).
        uasc = r.random() < 0.004
        if uasc:
            lo, hi = 15, 16
        birth = first - timedelta(days=r.randint(lo * 365 + 1, hi * 365 + 364))
        sex = "M" if r.random() < (0.9 if uasc else 0.52) else "F"  # 903 103: M or F in care
        given = r.choice(names.GIVEN_MALE if sex == "M" else names.GIVEN_FEMALE)
        disabled = ()
        if r.random() < 0.09:
            disabled = tuple(sorted(set(r.choices(("AUT", "LD", "COMM", "BEH", "MOB", "HEAR",
                                                   "VIS", "PC", "DDA"), k=r.randint(1, 2)))))
        journey = Journey(index=index, sex=sex, birth_on=birth, ethnicity=weighted(r, ETHNICITIES),
                          given=given, family=r.choice(names.FAMILY), postcode=self.postcode(),
                          disabled=disabled, uasc=uasc)
        # About five contacts per child over five years (Annex A volumes), at least one.
        mean = 9.0 * self.years / 5
        n = 1 + min(14, int(r.expovariate(1 / mean))) if mean > 0 else 1
        day = first
        # A few children have been looked after under a care order since years before the
        # record's first day (children in long-term foster care): their care, and the social
        # work with it, began before any year the returns cover.
        if not uasc and age_on(birth, first) >= 9 and r.random() < LONG_TERM_SHARE:
            day = self.long_term_care(journey, first)
            n -= 1
        returns = False
        for i in range(n + 4):
            if day > self.as_of or age_on(birth, day) >= 18 or adopted(journey):
                break
            if i >= n and not returns:
                break
            day = self.contact_and_after(journey, day, first=i == 0, returns=returns)
            # A child whose protection plan has ended is often referred again, and protected
            # again: about a quarter of the plans England starts each year are a child's second
            # or later (Children in need 2024: 23-25%). Most come back within two years.
            returns = self.protected(journey) and r.random() < RETURN_AFTER_PLAN
            if returns:
                day += timedelta(days=r.randint(40, 540))
            else:
                day += timedelta(days=r.randint(20, max(21, int(365 * self.years / n))))
        self.contacts_while_open(journey)
        # About 1 child in 170 is privately fostered; at least one in every 300 children, so a
        # small authority still has arrangements to visit and to count in Annex A.
        if not uasc and age_on(birth, first) < 15 and (
                r.random() < 0.006 or self.privately_fostered <= index // 300):
            self.private_fostering(journey, first)
        return journey

    def long_term_care(self, j: Journey, first: date) -> date:
        """A child in care since 3 to 9 years before `first` (at 4 or older): referred,
        assessed, in care under an interim then a full care order until 18. Returns the day
        the file closes, as contact_and_after does."""
        r = self.rng
        earliest = years_after(j.birth_on, 4)
        latest = first - timedelta(days=3 * 365)
        began = latest - timedelta(days=r.randint(0, min(6 * 365, (latest - earliest).days)))
        source = weighted(r, REFERRAL_SOURCES)
        j.contacts.append(Contact(began, source, "referral"))
        inv = Involvement(began, source, weighted(r, PRIMARY_NEEDS), False, None, "")
        j.involvements.append(inv)
        inv.team_changes.append((began, "assessment"))
        completed = began + timedelta(days=r.randint(20, 60))
        inv.assessment = Assessment(began, completed,
                                    tuple(sorted({weighted(r, FACTORS) for _ in range(2)})))
        self.care(j, inv, completed, route="ico",
                  concluded=completed + timedelta(days=r.randint(150, 260)), until_18=True)
        end = self.support_after_care(j, inv) if inv.care.ended_on else None
        end = self.closing(inv, end)
        if end is None or inv.care.ended_on is None:
            return self.as_of + DAY * 400  # still open: no new contacts for this child
        inv.closed_on, inv.closure_reason = end, self.closure_reason(inv)
        return end

    def contacts_while_open(self, j: Journey) -> None:
        """Contacts about a child whose case is already open: the front door passes them to
        the allocated worker (about one every five months)."""
        r = self.rng
        extra = []
        for inv in j.involvements:
            if inv.nfa:
                continue
            end = min(inv.closed_on or self.as_of, self.as_of)
            day = inv.referral_on + timedelta(days=int(r.expovariate(1 / 160)) + 7)
            while day < end and age_on(j.birth_on, day) < 18:
                extra.append(Contact(day, weighted(r, REFERRAL_SOURCES), "open_case"))
                day += timedelta(days=int(r.expovariate(1 / 160)) + 7)
        if extra:
            # The contact that led to a referral stays first on its day.
            j.contacts = sorted(j.contacts + extra, key=lambda c: (c.on, c.decision == "open_case"))

    def private_fostering(self, j: Journey, first: date) -> None:
        """A private fostering arrangement notified to the authority, with its visits (Children
        (Private Arrangements for Fostering) Regulations 2005 reg 8: within 7 working days,
        then every 6 weeks in the first year and every 12 weeks after)."""
        r, wd = self.rng, self.wd
        notified = first + timedelta(days=r.randint(0, 20))
        if notified > self.as_of:
            return
        started = notified - timedelta(days=r.choice((0, 0, 3, 14, 40, 90)))
        ended = self.done(min(started + timedelta(days=r.randint(90, 700)),
                              years_after(j.birth_on, 16) - DAY))
        if ended is not None and ended < notified:
            ended = notified + timedelta(days=r.randint(30, 90))
            ended = self.done(ended)
        first_visit = wd.add(notified, r.randint(2, 7) if r.random() < 0.85 else r.randint(8, 15))
        visits = []
        day = first_visit
        end = min(ended or self.as_of, self.as_of)
        while day <= end:
            visits.append(day)
            weeks = 6 if (day - notified).days < 365 else 12
            day += timedelta(days=weeks * 7 + r.randint(-7, 6))
        self.privately_fostered += 1
        j.private_fostering = {"notified_on": notified, "started_on": started,
                               "ended_on": ended, "visits": visits,
                               "reason": r.choice(("Returned to parents", "Moved to another area",
                                                   "Reached 16", "Arrangement ended"))}

    @staticmethod
    def protected(j: Journey) -> bool:
        """Whether the child's latest case had a child protection plan that has ended."""
        if not j.involvements:
            return False
        plans = [s.plan for s in j.involvements[-1].s47s if s.plan is not None]
        return bool(plans) and plans[-1].ended_on is not None

    def contact_and_after(self, j: Journey, day: date, *, first: bool,
                          returns: bool = False) -> date:
        """A contact on `day` and whatever follows it; returns the day the child's file closes.
        `returns`: the child's earlier protection plan has ended and the harm has come back."""
        r = self.rng
        source = weighted(r, REFERRAL_SOURCES)
        roll = r.random()
        # Roughly a quarter of contacts become referrals; a quarter go to early help.
        if returns or roll < 0.27 or (first and (roll < 0.32 or j.uasc)):
            decision = "referral"
        elif roll < 0.50:
            decision = "early_help"
        elif roll < 0.78:
            decision = "advice"
        else:
            decision = "nfa"
        j.contacts.append(Contact(day, source, decision))
        if decision == "early_help":
            end = day + timedelta(days=r.randint(60, 300))
            j.early_help.append((day, self.done(end)))
            return end
        if decision != "referral":
            return day
        referral_on = day + timedelta(days=r.choice((0, 0, 0, 1)))
        if referral_on > self.as_of:
            referral_on = day
        return self.involvement(j, referral_on, source, returns=returns)

    def involvement(self, j: Journey, referral_on: date, source: str, *,
                    returns: bool = False) -> date:
        r, wd = self.rng, self.wd
        need = weighted(r, PRIMARY_NEEDS)
        if j.uasc and not j.involvements:
            return self.uasc_arrival(j, referral_on, source)
        if not returns and r.random() < 0.10:  # referral NFA: closed the same day (CIN 8606)
            j.involvements.append(Involvement(referral_on, source, need, True, referral_on, "RC7"))
            return referral_on
        inv = Involvement(referral_on, source, need, False, None, "")
        j.involvements.append(inv)
        inv.team_changes.append((referral_on, "assessment"))
        started = wd.add(wd.on_or_after(referral_on), r.choice((0, 0, 1, 1, 2, 3)))
        roll = r.random()
        length = (r.randint(8, 40) if roll < 0.70 else r.randint(41, 45) if roll < 0.82
                  else r.randint(46, 80))  # ~18% late against the 45 working days (England 2024)
        completed = self.done(wd.add(started, length))
        factors: tuple[str, ...] = ()
        if completed:
            if r.random() < 0.06:
                factors = ("21",)
            else:
                factors = tuple(sorted(set(weighted(r, FACTORS)
                                           for _ in range(r.randint(1, 4)))))
        inv.assessment = Assessment(started if started <= self.as_of else referral_on,
                                    completed, factors)
        end = completed
        # A third of assessments see a strategy discussion (section 47 route); most of those
        # about a child protected before.
        if r.random() < (0.9 if returns else 0.33):
            end = self.section47(j, inv, started, returns=returns)
        # A section 47 enquiry, or the conference it calls, may finish after the assessment:
        # the case stays open to it (CIN 8565), and open while the conference is still due.
        held = end if inv.s47s else completed
        if inv.care is None and inv.cin_plan is None and completed and held and (
                not inv.s47s or inv.s47s[-1].plan is None):
            if r.random() < 0.45:
                plan_from = max(completed, held)
                plan_to = self.done(plan_from + timedelta(days=r.randint(90, 400)))
                inv.cin_plan = (plan_from, plan_to)
                inv.team_changes.append((plan_from, "child_protection"))
                inv.visits += self.series(plan_from + timedelta(days=10), 30, plan_to, 6)
                end = plan_to
            else:
                end = max(completed, held)
        # Some children in need not on a protection plan become looked after at their own or
        # their parents' request (section 20): teenagers mostly, and unaccompanied asylum
        # seekers. A child in need plan ends the day care begins.
        # (Children looked after in England 2024: over half of those starting are 10 or older,
        # a fifth 16 or 17.)
        if inv.care is None and completed and r.random() < (
                0.08 if age_on(j.birth_on, completed) >= 13 else 0.02) and not any(
                s.plan for s in inv.s47s):
            self.care(j, inv, completed + timedelta(days=r.randint(0, 30)), route="s20")
            if inv.care is not None and inv.cin_plan is not None:
                self.cin_plan_ends(inv, inv.care.started_on)
            end = inv.care.ended_on if inv.care else end
        if inv.care is not None and inv.care.ended_on is not None:
            end = self.support_after_care(j, inv)
        end = self.closing(inv, end)
        if end is None:
            return self.as_of + DAY * 400  # still open: no new contacts for this child
        if inv.care is not None and inv.care.ended_on is None:
            return self.as_of + DAY * 400
        reason = self.closure_reason(inv)
        inv.closed_on = end
        inv.closure_reason = reason
        return end

    def uasc_arrival(self, j: Journey, referral_on: date, source: str) -> date:
        """An unaccompanied child: accommodated under section 20 the day of referral, with an
        assessment alongside (absent parenting, N8 in the SSDA903)."""
        r, wd = self.rng, self.wd
        inv = Involvement(referral_on, source, "N8", False, None, "")
        j.involvements.append(inv)
        inv.team_changes.append((referral_on, "assessment"))
        started = wd.on_or_after(referral_on)
        completed = self.done(wd.add(started, r.randint(10, 40)))
        inv.assessment = Assessment(min(started, self.as_of), completed,
                                    ("24A",) if completed else ())
        self.care(j, inv, referral_on, route="s20")
        if inv.care is None or inv.care.ended_on is None:
            return self.as_of + DAY * 400
        end = self.support_after_care(j, inv)
        end = self.closing(inv, end)
        if end is None:
            return self.as_of + DAY * 400
        inv.closed_on = end
        inv.closure_reason = self.closure_reason(inv)
        return inv.closed_on

    @staticmethod
    def cin_plan_ends(inv: Involvement, day: date) -> None:
        """The child in need plan ends on `day` (the child came into care); a plan not yet
        begun by then never starts, nor its visits or its team."""
        started = inv.cin_plan[0]
        inv.visits = [v for v in inv.visits if v < day]
        if started < day:
            inv.cin_plan = (started, day)
            return
        inv.cin_plan = None
        inv.team_changes.remove((started, "child_protection"))

    @staticmethod
    def closing(inv: Involvement, end: date | None) -> date | None:
        """The day the case closes: not before the assessment, enquiries, conferences and
        plans under it have finished (CIN 8565), and not at all while one is open (None)."""
        if end is None:
            return None
        days = [end, inv.assessment.completed_on if inv.assessment else end]
        if inv.cin_plan is not None:
            days.append(inv.cin_plan[1])
        for s47 in inv.s47s:
            days += [s47.completed_on, s47.icpc_on or end]
            if s47.plan is not None:
                days.append(s47.plan.ended_on)
        return None if None in days else max(days)

    def support_after_care(self, j: Journey, inv: Involvement) -> date | None:
        """When a child under 18 leaves care the case stays open with a social worker for a period
        of support, past the next 31 March; the day the case closes, or None.

        A child who goes home has a social worker of the child in need team (the child in
        need plan, if any, is the one the case already had); an adopted child keeps
        the children in care team's social worker for adoption support. A young person leaving
        care at 18 goes to the leaving care service instead. SSDA903 SW12/SW17 ask exactly
        this of a child who left care in the year: a social worker from before the day care
        ended, still open at 31 March."""
        r = self.rng
        left = inv.care.ended_on
        eighteen = years_after(j.birth_on, 18)
        if left >= eighteen - DAY:
            return left
        march = date(left.year if left.month < 4 else left.year + 1, 3, 31)
        until = max(left + timedelta(days=r.randint(90, 240)),
                    march + timedelta(days=r.randint(14, 90)))
        until = min(until, eighteen - DAY)
        if inv.care.episodes[-1].rec not in ADOPTED:
            inv.team_changes.append((left, "child_protection"))
        return self.done(until)

    def closure_reason(self, inv: Involvement) -> str:
        care = inv.care
        if care and care.episodes:
            rec = care.episodes[-1].rec
            return {"E11": "RC1", "E12": "RC1", "E45": "RC4", "E46": "RC4", "E41": "RC3",
                    "E2": "RC2"}.get(rec, "RC7")
        if inv.cin_plan is None and not inv.s47s:
            # Closed after assessment: to early help or no further action (CIN 8873Q pairs
            # factor 21 with RC8/RC9).
            return "RC9" if self.rng.random() < 0.3 else "RC8"
        return "RC7"

    def section47(self, j: Journey, inv: Involvement, started: date, *,
                  returns: bool = False) -> date | None:
        r, wd = self.rng, self.wd
        strategy = wd.add(wd.on_or_after(started), r.randint(0, 4))
        if strategy > self.as_of:
            return None
        completed = self.done(wd.add(strategy, r.randint(5, 14)))
        s47 = S47(strategy, strategy, completed, None)
        inv.s47s.append(s47)
        # Police protection (at most 72 hours) or an emergency protection order (at most 8
        # days) for a few children at the start of an enquiry (Annex A list 7).
        if r.random() < 0.05:
            kind = "PP" if r.random() < 0.6 else "EPO"
            made = strategy - timedelta(days=r.choice((0, 0, 1)))
            until = made + timedelta(days=r.randint(1, 3) if kind == "PP" else r.randint(3, 8))
            inv.orders.append((kind, made, self.done(until)))
        if completed is None or r.random() > (0.9 if returns else 0.45):
            return completed
        # ICPC within 15 working days of the strategy discussion, some late.
        icpc = wd.add(strategy, r.randint(8, 15) if r.random() < 0.78 else r.randint(16, 30))
        if icpc > self.as_of:
            return None  # due, not yet held: the timescale engine shows it due or overdue
        s47.icpc_on = icpc
        s47.completed_on = min(completed, icpc)  # the enquiry ends by the conference it calls
        if r.random() > 0.85:
            return icpc
        return self.cp_plan(j, inv, s47, icpc)

    def cp_plan(self, j: Journey, inv: Involvement, s47: S47, icpc: date) -> date | None:
        r, wd = self.rng, self.wd
        months = max(2, int(r.lognormvariate(2.1, 0.6)))  # median ~8 months
        ended = self.done(icpc + timedelta(days=months * 30 + r.randint(-10, 10)))
        plan = CPPlan(icpc, ended, weighted(r, CP_CATEGORIES))
        s47.plan = plan
        inv.team_changes.append((icpc, "child_protection"))
        # Review conferences at 3 months, then every 6 months (Working Together 2023 ch. 4).
        review = add_months(icpc, 3) + timedelta(days=r.choice((0, 0, 0, -3, 5, 20)))
        while review <= (ended or self.as_of):
            plan.reviews.append(review)
            review = add_months(review, 6) + timedelta(days=r.choice((0, 0, -5, 10)))
        if ended and (not plan.reviews or plan.reviews[-1] < ended - DAY * 10):
            plan.reviews.append(ended)  # the plan ends at a review conference
        category = plan.category
        for review in plan.reviews:
            if review != ended and r.random() < 0.08:
                category = weighted(r, tuple((c, w) for c, w in CP_CATEGORIES if c != category))
                plan.category_changes.append((review, category))
        # Core groups within 10 working days of the ICPC, then about every 6 weeks.
        plan.core_groups = self.series(wd.add(icpc, r.randint(5, 12)), 42, ended, 7)
        inv.visits += self.lapsed(
            self.series(wd.on_or_after(icpc + DAY * 7), 14, ended, 3, skip=0.05), ended)
        # Pre-proceedings for some children on plans; some of those go to court and into care.
        if r.random() < 0.22:
            return self.proceedings(j, inv, icpc + timedelta(days=r.randint(60, 200)))
        if ended:
            step_down = self.done(ended + timedelta(days=r.randint(60, 180)))
            inv.cin_plan = (ended, step_down)
            inv.visits += self.series(ended + DAY * 20, 30, step_down, 6)
            return step_down
        return None

    def proceedings(self, j: Journey, inv: Involvement, pre_start: date) -> date | None:
        r = self.rng
        if pre_start > self.as_of:
            pre_start = self.as_of
        p = Proceedings(pre_start, None, None, None)
        inv.proceedings = p
        outcome_day = pre_start + timedelta(days=r.randint(70, 150))
        if outcome_day > self.as_of:
            return None
        p.pre_ended_on = outcome_day
        plan = inv.s47s[-1].plan if inv.s47s else None
        if r.random() < 0.45:  # diverted from court: the plan continues and ends
            if plan and plan.ended_on and plan.ended_on < outcome_day:
                return plan.ended_on
            return plan.ended_on if plan else outcome_day
        p.issued_on = outcome_day
        # Interim care order at the first hearing; final hearing about 26 weeks later (PLO).
        first = self.wd.add(outcome_day, r.randint(1, 3))
        p.hearings.append(first)
        concluded = outcome_day + timedelta(days=r.randint(150, 300))
        for k in range(1, 4):
            h = outcome_day + timedelta(days=k * 50 + r.randint(-5, 5))
            if h < concluded and h <= self.as_of:
                p.hearings.append(h)
        p.interim_order_on = first
        if plan and (plan.ended_on is None or plan.ended_on > first):
            plan.ended_on = self.done(first)  # the CP plan ends when the child comes into care
            plan.reviews = [d for d in plan.reviews if d <= first]
        self.care(j, inv, first, route="ico", concluded=concluded)
        if inv.care is None:  # an 18-year-old cannot come into care (903 rule 352)
            p.issued_on = p.interim_order_on = None
            p.hearings = []
            return p.pre_ended_on
        if concluded <= self.as_of:
            p.concluded_on = concluded
            p.hearings.append(concluded)
            p.final_order = "PO" if inv.care.adoption else "CO"
        return inv.care.ended_on

    # -- looked after ----------------------------------------------------------------------------

    def placement_for(self, age: int, on: date, *, first: bool, legal: str = "C2",
                      uasc: bool = False) -> str:
        r = self.rng
        # Supported accommodation (K3) is for young people of 16 or more (903 rule 371), and
        # the authority uses it from 1 April 2025: the 2024-25 code list does not take K3
        # (903 rule 146), and the H5 it replaced left the list in 2025-26.
        k3 = 45 if age >= 16 and on >= SUPPORTED_ACCOMMODATION_FROM else 0
        if uasc:
            return weighted(r, (("U6", 40), ("K3", k3), ("K2", 15)))
        if age >= 16:
            return weighted(r, (("U4", 30), ("U6", 15), ("K3", k3 * 35 // 45), ("K2", 15),
                                ("U1", 5)))
        if age >= 11:
            return weighted(r, (("U4", 35), ("U6", 25), ("K2", 25), ("U1", 10), ("U3", 5)))
        # 903 rule 378: a child accommodated under section 20 is never placed with parents.
        return weighted(r, (("U4", 45), ("U6", 20), ("U1", 20), ("U3", 10),
                            ("P1", 0 if first or legal == "V2" else 5)))

    def provider_details(self, placement: str) -> tuple[str, str, str]:
        """Postcode, Ofsted URN and provider for a placement (903 rules 218, 222: a URN for
        registered provision, none for placement with parents; 392d: postcodes differ)."""
        r = self.rng
        if placement == "P1":
            return "", "", "PR0"
        provider = weighted(r, (("PR1", 55), ("PR4", 35), ("PR5", 10)))
        if placement in ("U1", "U2", "U3", "U4") and provider != "PR1":
            provider = "PR1"
        urn = f"SC{r.randint(100000, 999999)}"
        # 903 rule 1015: the authority's own provision is inside its own area; 241: supported
        # accommodation (K3) is commissioned in the authority's own area.
        inside = provider == "PR1" or placement == "K3" or r.random() < 0.6
        return self.postcode(inside=inside), urn, provider

    def care(self, j: Journey, inv: Involvement, start: date, *, route: str,
             concluded: date | None = None, until_18: bool = False,
             adopt: bool = False, waits: tuple[int, ...] = ()) -> None:
        r = self.rng
        age = age_on(j.birth_on, start)
        if start > self.as_of or age >= 18:
            return
        period = CarePeriod(start, None)
        inv.care = period
        inv.team_changes.append((start, "children_in_care"))
        ls = "C1" if route == "ico" else "V2"
        placement = self.placement_for(age, start, first=True, legal=ls, uasc=j.uasc)
        episodes: list[Episode] = []

        def begin(day: date, rne: str, legal: str, place: str) -> None:
            postcode, urn, provider = self.provider_details(place)
            if place == "P1":
                # Placed with parents is placed at home: the placement postcode is the home
                # one (903 rules 392a/392b/169/179 want it; 392d excuses P1 from differing).
                postcode = j.postcode
            elif postcode == j.postcode:
                postcode = self.postcode()
            episodes.append(Episode(day, None, rne, legal, place, "", postcode, urn, provider))

        begin(start, "S", ls, placement)  # 903: a period of care begins with RNE S
        # When the period ends: care orders run long, s20 shorter; 18th birthday ends it.
        eighteen = years_after(j.birth_on, 18)
        if adopt:  # in care until the adoption order, however long it takes
            stay = (eighteen - start).days
        elif route == "ico":
            stay = r.randint(300, 2500)
        else:
            stay = r.randint(20, 700)
        end = eighteen if until_18 else min(start + timedelta(days=stay), eighteen)
        # Some young people accommodated at 14 to 16 move on at 16, to supported lodgings or to
        # friends rather than home, after months in care: relevant children, whom the next 31
        # March's return counts in its episodes and, from the 17th birthday, in OC3 as well.
        moves_on = False
        if route == "s20" and not until_18 and not j.uasc and 14 <= age <= 16 \
                and r.random() < 0.7:
            earliest = max(years_after(j.birth_on, 16), start + DAY * 100)
            seventeen = years_after(j.birth_on, 17)
            if earliest < seventeen - DAY:
                end = earliest + timedelta(days=r.randint(0, (seventeen - earliest).days - 2))
                moves_on = True
        adoption = adopt or (route == "ico" and age < 4 and r.random() < 0.45)
        changes: list[tuple[date, str]] = []
        if route == "ico" and concluded:
            changes.append((concluded, "E1" if adoption else "C2"))
        # Most children settle: some leave an emergency placement in the first months, then
        # stay; a few, teenagers mostly, move again and again (Children looked after in England
        # 2024: about 1 in 10 had 3 or more placements in the year; two thirds of those under
        # 16 in care 2.5 years had lived in the same placement for 2 years).
        unstable = r.random() < (0.3 if age >= 11 else 0.12)
        day = start
        if r.random() < 0.3:
            day += timedelta(days=r.randint(14, 150))
            if day < end:
                changes.append((day, "move"))
        while True:
            day += timedelta(days=int(r.expovariate(1 / (200 if unstable else 2400))) + 14)
            if day >= end:
                break
            changes.append((day, "move"))
        changes.sort()
        final_legal = ls
        for when, what in changes:
            if when >= end or when > self.as_of:
                break
            cur = episodes[-1]
            if when <= cur.started_on:
                continue
            cur.ended_on = when
            cur.rec = "X1"  # ends and a new episode starts the same day
            if what == "move":
                begin(when, "P", cur.legal_status, self.placement_for(
                    age_on(j.birth_on, when), when, first=False, legal=cur.legal_status,
                    uasc=j.uasc))
            else:
                final_legal = what
                move = r.random() < 0.3
                begin(when, "B" if move else "L", what,
                      self.placement_for(age_on(j.birth_on, when), when, first=False, legal=what)
                      if move else cur.placement)
                if not move:
                    episodes[-1].postcode, episodes[-1].urn, episodes[-1].provider = (
                        cur.postcode, cur.urn, cur.provider)
        if adoption and concluded and final_legal == "E1":
            self.adoption(j, period, episodes, concluded, end, waits=waits)
            end = period.adoption.get("order_on") or end if period.adoption else end
        last = episodes[-1]
        if end <= self.as_of and end > last.started_on:
            last.ended_on = end
            period.ended_on = end
            if period.adoption and period.adoption.get("order_on") == end:
                last.rec = r.choice(("E11", "E12"))
            elif end == eighteen:
                last.rec = weighted(r, (("E17", 25), ("E48", 45), ("E8", 30)))
            elif route == "ico" and last.placement.startswith("U"):
                last.rec = weighted(r, (("E45", 40), ("E46", 20), ("E41", 15), ("E4A", 25)))
            elif route == "ico":
                # A special guardianship order to former foster carers needs a child who
                # lived with them (903 516).
                last.rec = weighted(r, (("E41", 40), ("E4A", 60)))
            elif moves_on:
                last.rec = weighted(r, (("E13", 35), ("E8", 65)))
            elif age_on(j.birth_on, end) >= 16:
                # At 16 or 17 many move on to supported accommodation or to friends rather
                # than home: relevant care leavers (OC3 from their 17th birthday).
                last.rec = weighted(r, (("E4A", 35), ("E13", 20), ("E8", 45)))
            else:
                last.rec = weighted(r, (("E4A", 70), ("E13", 15), ("E8", 15)))
        period.episodes = episodes
        self.care_activity(j, period)
        self.permanence(j, period, route, adoption)
        # An eligible, then relevant or former relevant, child has been looked after for at
        # least 13 weeks since the age of 14 (Care Leavers Regulations 2010; 903 rule 1001).
        # One who leaves care at 16 or 17 other than home, to a family or to permanence (E8,
        # E13: to supported accommodation, to friends) is a relevant child until 18, in OC3 at
        # a 17th birthday in the year of leaving.
        since_14 = max(period.started_on, years_after(j.birth_on, 14))
        young_leaver = (period.ended_on is not None and period.ended_on < eighteen
                        and last.rec in RELEVANT_LEAVING)
        if (period.ended_on is None or period.ended_on == eighteen or young_leaver) and age_on(
                j.birth_on, period.ended_on or self.as_of) >= 16 and (
                (period.ended_on or self.as_of) - since_14).days >= 91:
            self.leaving_care(j, period)

    def permanence(self, j: Journey, period: CarePeriod, route: str, adoption: bool) -> None:
        """The permanence plan, agreed by the second review (most are; some late), and what
        permanence the child had before (SSDA903 PrevPerm: a few were adopted or under an SGO
        or child arrangements order before)."""
        r = self.rng
        period.previous_permanence = weighted(r, (("Z1", 92), ("P1", 2), ("P2", 4), ("P3", 2)))
        reviews = period.reviews
        if len(reviews) < 2 and (period.ended_on is not None or len(reviews) < 1):
            return
        age = age_on(j.birth_on, period.started_on)
        rec = period.episodes[-1].rec if period.ended_on else ""
        if adoption:
            kind = "b"
        elif rec in ("E45", "E46", "E41"):
            kind = "c"
        elif rec in ("E4A", "E13"):
            kind = "a"
        elif j.uasc or age >= 15:
            kind = "d"
        else:
            kind = weighted(r, (("f", 60), ("e", 10), ("a", 20), ("g", 10)))
        agreed = reviews[min(1, len(reviews) - 1)] - timedelta(days=r.choice((0, 0, 0, 30, 60)))
        if r.random() < 0.08 and len(reviews) > 2:
            agreed = reviews[2]  # agreed late, after the second review
        agreed = max(agreed, period.started_on)
        if agreed <= self.as_of:
            period.permanence_plan = (kind, agreed)

    def adoption(self, j: Journey, period: CarePeriod, episodes: list[Episode],
                 order_on: date, end: date, *, waits: tuple[int, ...] = ()) -> None:
        """`waits`: the days to the match, to the placement and to the order, drawn already
        (for a history begun before the record, which must end on its day)."""
        r = self.rng
        decision = order_on - timedelta(days=r.randint(20, 90))  # 903 rule 552: decision first
        # England's A2: some 6 months from the placement order to a match (2021-24).
        to_match, to_place, to_order = waits or (r.randint(80, 300), r.randint(7, 40),
                                                 r.randint(150, 400))
        matched = order_on + timedelta(days=to_match)
        placed = matched + timedelta(days=to_place)
        adopted = placed + timedelta(days=to_order)
        info = {"decision_on": max(decision, period.started_on), "placement_order_on": order_on,
                "matched_on": self.done(matched), "placed_on": self.done(placed),
                "order_on": self.done(adopted)}
        period.adoption = info
        if info["placed_on"]:
            while episodes and episodes[-1].started_on >= placed:
                episodes.pop()
                episodes[-1].ended_on = None
                episodes[-1].rec = ""
            cur = episodes[-1]
            cur.ended_on = placed
            cur.rec = "X1"
            # A3-A6: placed for adoption; RNE P from a placement order already in force.
            place = weighted(r, (("A5", 30), ("A6", 60), ("A3", 5), ("A4", 5)))
            rne = "T" if place in ("A3", "A5") else "P"  # 903 rule 217: A3/A5 need S, T or U
            postcode, urn, provider = self.provider_details(place)
            episodes.append(Episode(placed, None, rne, "E1", place, "", postcode, urn, provider))

    def care_activity(self, j: Journey, period: CarePeriod) -> None:
        r, wd = self.rng, self.wd
        start, end = period.started_on, period.ended_on
        # CLA reviews: 20 working days, 3 months, then every 6 months (Care Planning Regs 2010).
        first = wd.add(start, r.randint(12, 20) if r.random() < 0.9 else r.randint(21, 30))
        reviews = []
        if first <= (end or self.as_of) and (end is None or (end - start).days > 20):
            reviews.append(first)
            second = add_months(first, 3) + timedelta(days=r.randint(-7, 3))
            day = second
            while day <= min(end or self.as_of, self.as_of):
                reviews.append(day)
                day = add_months(day, 6) + timedelta(days=r.randint(-14, 7))
        period.reviews = reviews
        period.visits = self.lapsed(
            self.series(start + timedelta(days=r.randint(2, 7)), 42, end, 7), end)
        period.health = self.series(wd.add(start, r.randint(10, 20)), 365, end, 20)
        # Dental checks are the ones most often missed (England 2024: about 4 in 5 done).
        period.dental = self.series(start + timedelta(days=r.randint(30, 120)), 365, end, 30,
                                    skip=0.22)
        if 4 <= age_on(j.birth_on, start) <= 15:
            period.peps = self.series(wd.add(start, r.randint(10, 20)), 120, end, 10)
        # About a tenth of children in care go missing in a year, mostly teenagers, several
        # times each (Children looked after in England 2024-25, missing and away).
        if age_on(j.birth_on, start) >= 11 and r.random() < 0.5:
            day = start + timedelta(days=r.randint(10, 200))
            gap = r.choice((20, 40, 60, 120))
            while day <= min(end or self.as_of, self.as_of - DAY):
                back = day + timedelta(days=r.choice((1, 1, 1, 1, 2, 3, 5)))  # back by morning
                # Back by 31 March: the 903 validator's rule 365 writes the collection end into
                # every open episode's DEC, in the data the later rules share, so 575 and 577
                # take a child missing over 31 March for one whose placement had ended.
                march = date(day.year if day.month < 4 else day.year + 1, 3, 31)
                if back > march:
                    day, back = day - (back - march), march
                # Back before care ends: a child still missing the day care ends left care
                # for "any other reason" (903 580 asks E8 of one missing on their 18th birthday).
                if end and back >= end:
                    break
                back = self.done(back)
                kind = "M" if r.random() < 0.8 else "A"
                offered = self.done(back + timedelta(days=r.choice((0, 0, 1, 1, 2, 4)))) \
                    if back else None
                accepted = offered is not None and r.random() < 0.75
                held = self.done(offered + timedelta(days=r.choice((0, 0, 1, 2, 3, 6)))) \
                    if accepted else None
                period.missing.append((day, kind, back, offered, accepted, held))
                if back is None:
                    break
                day = back + timedelta(days=r.randint(5, gap * 2))
        self.oc2(j, period)

    def oc2(self, j: Journey, period: CarePeriod) -> None:
        """SSDA903 OC2 facts for each 31 March by which the child had been looked after for
        12 months: immunisations, SDQ (a score or a reason, ages 4-17), substance misuse,
        convictions (10 and over) and development checks for the under-fives."""
        r = self.rng
        start, end = period.started_on, period.ended_on
        year = start.year + 1
        while True:
            march = date(year, 3, 31)
            year += 1
            if march > self.as_of or (end is not None and end <= march):
                break
            if (march - start).days < 365:
                continue
            low = march - timedelta(days=300)
            age = age_on(j.birth_on, march)
            period.oc2.append(("immunisation", low + timedelta(days=r.randint(0, 280)),
                               r.random() < 0.84))
            if 4 <= age <= 17:
                day = low + timedelta(days=r.randint(0, 280))
                if age_on(j.birth_on, day) < 4 or age_on(j.birth_on, day) > 16:
                    period.oc2.append(("sdq", day, "SDQ1"))
                elif r.random() < 0.78:
                    period.oc2.append(("sdq", day, min(40, max(0, int(r.gauss(14, 6))))))
                else:
                    period.oc2.append(("sdq", day, weighted(
                        r, (("SDQ2", 25), ("SDQ3", 10), ("SDQ4", 40), ("SDQ5", 25)))))
            if age < 5:
                period.oc2.append(("development", low + timedelta(days=r.randint(0, 280)), True))
            if age >= 11 and r.random() < 0.04:
                offered = r.random() < 0.9
                period.oc2.append(("substance", low + timedelta(days=r.randint(0, 280)),
                                   (offered, offered and r.random() < 0.7)))
            if age >= 10 and r.random() < 0.03:
                period.oc2.append(("conviction", low + timedelta(days=r.randint(0, 280)), True))

    def leaving_care(self, j: Journey, period: CarePeriod) -> None:
        r = self.rng
        sixteen = years_after(j.birth_on, 16)
        plan_from = max(sixteen, period.started_on + DAY * 28)
        if plan_from > self.as_of:
            return
        until = min(years_after(j.birth_on, 21), self.as_of)
        left = period.ended_on  # the 18th birthday or sooner, or None while looked after
        staying_put = bool(left) and period.episodes[-1].rec == "E17"
        # England 2024: about 9 in 10 care leavers of 19 to 21 in touch (each contact of one
        # in touch says so 19 times in 20).
        in_touch = r.random() < 0.95
        # Accommodation and activity as the PA records them before each birthday after
        # leaving care (SSDA903 OC3 at 17-21), and on leaving.
        accommodation, activity = [], []
        if left:
            # One who left at 16 is recorded from the 17th birthday (the first OC3 row).
            first = max(left, years_after(j.birth_on, 17))
            if first <= self.as_of:
                accommodation.append((first, "Z1" if staying_put else self.accommodation(j)))
                activity.append((first, self.activity(first)))
            for age in range(max(age_on(j.birth_on, left) + 1, 18), 22):
                day = years_after(j.birth_on, age) - timedelta(days=r.randint(5, 80))
                if day > self.as_of:
                    break
                if day <= first:
                    continue
                if r.random() < 0.5:
                    accommodation.append((day, self.accommodation(j)))
                if r.random() < 0.6:
                    activity.append((day, self.activity(day)))
        j.leaving_care = {
            "eligible_from": max(sixteen, min(period.started_on + DAY * 91, self.as_of)),
            "left_on": left,
            "pathway_plans": self.series(plan_from, 182, until, 14),
            "pa_contacts": self.series(max(plan_from, years_after(j.birth_on, 17)), 56, until, 10),
            "birthdays": [d for d in (years_after(j.birth_on, a) for a in range(17, 22))
                          if d <= self.as_of and d >= (period.started_on + DAY * 90)],
            "in_touch": in_touch,
            "accommodation": accommodation,
            "activity": activity,
        }

    def accommodation(self, j: Journey) -> str:
        # About 88% in suitable accommodation (Children looked after in England 2024, 19-21).
        return weighted(self.rng, (("D1", 23), ("E1", 8), ("U1", 24), ("B1", 11), ("T1", 8),
                                   ("K1", 5), ("C1", 2), ("Z1", 7), ("S2", 2), ("X2", 1),
                                   ("R2", 2), ("V2", 2), ("W2", 1), ("U2", 2), ("D2", 2)))

    def activity(self, day: date) -> str:
        # About 56% in education, employment or training (England 2024, aged 19-21).
        return weighted(self.rng, (("F2", 24), ("F1", 6), ("F4", 9), ("P4", 7), ("F5", 7),
                                   ("P2", 3), ("G5", 30), ("G6", 7), ("G4", 7)))
