"""Every indicator, defined once: what it counts, in plain English, after which publication, and
the rows behind its numerator and denominator as querysets over the facts.

A figure is never stored: `figure()` counts the rows in the database when asked (SQL
aggregates, a handful of queries an indicator whatever the size of the authority), and
`members()` gives the same rows for a drill-down, so a list's length is the figure's count.

Where the DfE publishes a definition it is followed: the collection year runs 1 April to 31
March; looked-after figures leave out short-break episodes (legal status V3/V4); where the
statistics count children each child counts once; working days count from day 0 without
weekends and England and Wales bank holidays, through the authority's timescale rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Callable

from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cairn.care.models import (
    PLACEMENT_RNE,
    CLAReview,
    DentalCheck,
    HealthAssessment,
    Immunisation,
    LookedAfterEpisode,
    MissingEpisode,
    MissingKind,
    ReturnHomeInterview,
    StatutoryVisit,
)
from cairn.core import names, open_dues, timescales
from cairn.core.models import OpenDue
from cairn.frontdoor.models import Contact, Referral
from cairn.leaving_care.models import (
    CareLeaverAccommodation,
    CareLeaverActivity,
    LeavingCareEligibility,
    PersonalAdviserContact,
)
from cairn.legal.models import CareProceedings, CourtDirection, PreProceedings
from cairn.people.models import Child
from cairn.permanence.models import AdoptionMatch
from cairn.protection.models import (
    Assessment,
    ChildProtectionConference,
    ChildProtectionPlan,
    CoreGroupMeeting,
    PlanCategoryChange,
    Section47Enquiry,
    Visit,
)
from cairn.workforce.models import Allocation, Staff

from .sql import DaysBetween, ShiftDate, earliest_in_time, met, rule, within

COUNT, PERCENT, MEAN_DAYS = "count", "percent", "mean days"
SHORT_BREAKS = ("V3", "V4")
ADOPTED = ("E11", "E12")
PLACED_FOR_ADOPTION = ("A3", "A4", "A5", "A6")
AUTHORITY_TO_PLACE = ("E1", "D1")  # placement order; freeing order
CONTINUING = "X1"  # an episode that ends because another begins: care goes on
EET = ("F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5")
CIN_CENSUS = ("DfE, Children in need (statistics from the CIN census), "
              "Annex: CIN census guide")
CLA_STATS = "DfE, Children looked after in England including adoptions (from the SSDA903)"
STABILITY = "DfE, Children looked after in England: stability measures (from the SSDA903)"
SCORECARD = "DfE, Adoption scorecard (ASGLB) measures A1 and A2 (from the SSDA903)"
CARE_LEAVERS = ("DfE, Children looked after in England: care leavers aged 19 to 21 "
                "(SSDA903 table OC3)")
LOCAL = "Cairn, local performance measure (no DfE definition)"


@dataclass(frozen=True)
class Period:
    """The collection year ending 31 March `year` (2026 is 1 April 2025 to 31 March 2026),
    as it stood on `as_of` (the year's end unless given): counts in the year run from 1 April
    to `end`, counts at a date are at `at`."""

    year: int
    as_of: date | None = None

    @classmethod
    def containing(cls, day: date) -> Period:
        return cls(day.year + (1 if (day.month, day.day) > (3, 31) else 0), day)

    @property
    def start(self) -> date:
        return date(self.year - 1, 4, 1)

    @property
    def year_end(self) -> date:
        return date(self.year, 3, 31)

    @property
    def end(self) -> date:
        return min(self.year_end, self.as_of) if self.as_of else self.year_end

    @property
    def at(self) -> date:
        return self.as_of or self.year_end


@dataclass(frozen=True)
class Members:
    """The rows behind a figure: numerator and denominator (None for a plain count). For a
    mean, the denominator's rows carry `days` and the numerator is their sum."""

    numerator: QuerySet
    denominator: QuerySet | None = None


@dataclass(frozen=True)
class Figure:
    value: float | int | None
    numerator: int
    denominator: int | None


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    definition: str
    source: str
    unit: str
    higher_is_better: bool | None
    rows: Callable[[Period], Members]
    counts: str = "children"  # what a row of its lists is: children, referrals, plans...
    by: tuple[tuple[str, str], ...] = ()  # (name, field of a numerator row) it breaks down by


REGISTRY: dict[str, Indicator] = {}


def indicator(id: str, name: str, *, unit: str, source: str, better: bool | None,
              counts: str = "children", by: tuple[tuple[str, str], ...] = ()):
    def register(rows):
        REGISTRY[id] = Indicator(id=id, name=name, definition=" ".join(rows.__doc__.split()),
                                 source=source, unit=unit, higher_is_better=better,
                                 rows=rows, counts=counts, by=by)
        return rows
    return register


def members(id: str, period: Period) -> Members:
    """The rows behind indicator `id` for `period`, for a list a figure opens into."""
    return get(id).rows(period)


def get(id: str) -> Indicator:
    try:
        return REGISTRY[id]
    except KeyError:
        raise LookupError(f"There is no indicator '{id}'.") from None


def figure(id: str, period: Period) -> Figure:
    """The indicator computed now, from the facts, in the database."""
    ind = get(id)
    rows = ind.rows(period)
    if ind.unit == MEAN_DAYS:
        got = rows.denominator.aggregate(n=Count("pk"), total=Sum("days"))
        n, total = got["n"], got["total"] or 0
        return Figure(round(total / n, 1) if n else None, total, n)
    numerator = rows.numerator.count()
    if ind.unit == COUNT:
        return Figure(numerator, numerator, None)
    denominator = rows.denominator.count()
    return Figure(round(100 * numerator / denominator, 1) if denominator else None,
                  numerator, denominator)


def breakdown(id: str, period: Period, by: str) -> dict[str, int]:
    """The indicator's numerator counted by one of its breakdowns (e.g. referrals by source),
    in one grouped query: {code: count}, largest first."""
    field = dict(get(id).by)[by]
    rows = (members(id, period).numerator.order_by().values(field)
            .annotate(n=Count("pk")).order_by("-n", field))
    return {row[field]: row["n"] for row in rows}


def every(period: Period) -> dict[str, dict]:
    """Every indicator for `period` as {"id": {"value", "numerator", "denominator",
    "definition", ...}}: what `cairn indicators` writes."""
    out = {}
    for ind in REGISTRY.values():
        f = figure(ind.id, period)
        out[ind.id] = {"value": f.value, "numerator": f.numerator,
                       "denominator": f.denominator, "definition": ind.definition,
                       "name": ind.name, "source": ind.source, "unit": ind.unit,
                       "higher_is_better": ind.higher_is_better, "counts": ind.counts}
        if ind.by:
            out[ind.id]["breakdown"] = {by: breakdown(ind.id, period, by) for by, _ in ind.by}
    return out


def children(rows: QuerySet, field: str = "child_id") -> QuerySet:
    """The children of `rows`, each once."""
    return Child.objects.current().filter(pk__in=rows.values(field))


# -- Looked-after children (SSDA903) -------------------------------------------------------

def _episodes() -> QuerySet:
    """Looked-after episodes that count: not voided, not short breaks (V3/V4)."""
    return LookedAfterEpisode.objects.current().exclude(legal_status__in=SHORT_BREAKS)


def _in_year(p: Period) -> QuerySet:
    return _episodes().filter(started_on__lte=p.end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=p.start))


def _looked_after_on(day: date) -> QuerySet:
    return children(_episodes().on(day))


def _placements_in_year(p: Period) -> QuerySet:
    """Placements during the year: the one the child was in on 1 April and every episode in
    the year that began a placement (any reason for a new episode but a change of legal status
    alone)."""
    return _in_year(p).filter(Q(started_on__lt=p.start)
                              | Q(reason_new_episode__in=PLACEMENT_RNE))


@indicator("cla_31mar", "Children looked after at 31 March", unit=COUNT, source=CLA_STATS,
           better=None)
def cla_31mar(p: Period) -> Members:
    """Children looked after at 31 March (or at the date asked for): each child with an episode
    open at the end of that day, short breaks (V3/V4) left out, counted once."""
    return Members(_looked_after_on(p.at))


@indicator("cla_started_in_year", "Children who started to be looked after", unit=COUNT,
           source=CLA_STATS, better=None)
def cla_started_in_year(p: Period) -> Members:
    """Children who started to be looked after in the year (an episode with reason for new
    episode S), short breaks left out; a child who started twice counts once."""
    return Members(children(_episodes().filter(reason_new_episode="S")
                            .filter(within("started_on", p.start, p.end))))


@indicator("cla_ceased_in_year", "Children who ceased to be looked after", unit=COUNT,
           source=CLA_STATS, better=None)
def cla_ceased_in_year(p: Period) -> Members:
    """Children who ceased to be looked after in the year (an episode ended with any reason
    but X1, which is one episode followed by another), short breaks left out; a child who
    ceased twice counts once."""
    return Members(children(_episodes().exclude(reason_ceased=CONTINUING)
                            .exclude(reason_ceased="")
                            .filter(within("ended_on", p.start, p.end))))


@indicator("stability_short_term_3plus", "Children looked after with 3 or more placements in "
           "the year", unit=PERCENT, source=STABILITY, better=False)
def stability_short_term_3plus(p: Period) -> Members:
    """Of the children looked after at 31 March, the percentage who had 3 or more placements
    during the year (1 April to 31 March): the placement they were in on 1 April and each
    episode in the year that began a new placement (reason for new episode S, P, T, B or U;
    a change of legal status alone is not a placement). Short breaks are left out."""
    looked_after = _looked_after_on(p.at)
    many = (_placements_in_year(p).values("child_id").annotate(n=Count("pk"))
            .filter(n__gte=3).values("child_id"))
    return Members(looked_after.filter(pk__in=many), looked_after)


@indicator("stability_long_term_2yrs", "Children looked after long-term in the same "
           "placement for 2 years", unit=PERCENT, source=STABILITY, better=True)
def stability_long_term_2yrs(p: Period) -> Members:
    """Of the children aged under 16 at 31 March who had been looked after continuously for at
    least 2.5 years, the percentage who had been in the same placement for at least 2 years
    (their placement began on or before 31 March two years before). Continuous care is
    counted from the latest start of care (reason for new episode S); a placement from the
    latest episode that began one (S, P, T, B or U). Short breaks are left out. (The DfE also
    counts a child placed for adoption whose adoptive and previous placements together last
    2 years: not yet counted here.)"""
    at = p.at
    open_now = _episodes().on(at).filter(child=OuterRef("pk"))
    care_began = Subquery(_episodes().filter(child=OuterRef("pk"), started_on__lte=at,
                                             reason_new_episode="S")
                          .order_by("-started_on", "-pk").values("started_on")[:1])
    placed = Subquery(_episodes().filter(child=OuterRef("pk"), started_on__lte=at,
                                         reason_new_episode__in=PLACEMENT_RNE)
                      .order_by("-started_on", "-pk").values("started_on")[:1])
    sixteen = date(at.year - 16, at.month, at.day) if (at.month, at.day) != (2, 29) \
        else date(at.year - 16, 3, 1)
    cohort = (Child.objects.current().filter(Exists(open_now), birth_date__gt=sixteen)
              .annotate(care_began=care_began, placed=placed)
              .filter(care_began__lte=timescales.add_months(at, -30)))
    return Members(cohort.filter(placed__lte=timescales.add_months(at, -24)), cohort)


@indicator("reviews_participation", "Reviews where the child participated", unit=PERCENT,
           source=CLA_STATS, better=True)
def reviews_participation(p: Period) -> Members:
    """Of the reviews of looked-after children held in the year (children looked after at some
    time in the year, short breaks left out) of children aged 4 or over (participation code
    not PN0), the percentage in which the child participated: attended or conveyed their
    views (PN1 to PN6, not PN7)."""
    reviews = (CLAReview.objects.current().filter(within("held_on", p.start, p.end))
               .filter(child__in=_in_year(p).values("child_id")).exclude(participation="PN0"))
    return Members(reviews.exclude(participation="PN7"), reviews)


def _local_day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _missing_in_year(p: Period) -> QuerySet:
    return (MissingEpisode.objects.current().filter(kind=MissingKind.MISSING)
            .filter(started_at__gte=_local_day_start(p.start),
                    started_at__lt=_local_day_start(p.end + timedelta(days=1)))
            .filter(child__in=_in_year(p).values("child_id")))


@indicator("missing_children", "Looked-after children who went missing", unit=COUNT,
           source=CLA_STATS, better=False)
def missing_children(p: Period) -> Members:
    """Children looked after at some time in the year (short breaks left out) who had at least
    one missing incident (whereabouts not known, code M; away without authorisation, code A,
    is not counted) that began in the year, each child counted once."""
    return Members(children(_missing_in_year(p)))


@indicator("return_interviews_72h", "Return home interviews offered within 72 hours",
           unit=PERCENT, source=("DfE statutory guidance, Children who run away or go missing "
                                 "from home or care (2014)"), better=True,
           counts="missing incidents")
def return_interviews_72h(p: Period) -> Members:
    """Of the missing incidents of looked-after children that began and ended in the year
    (whereabouts not known, code M), the percentage for which a return home interview was
    offered within the authority's return interview timescale (72 hours) of the child's return,
    counted in whole days from the day of return."""
    ended = _missing_in_year(p).filter(ended_at__isnull=False,
                                       ended_at__lt=_local_day_start(p.end + timedelta(days=1)))
    deadline = _due_by_day(p.start, p.end, "ended_at", names.RETURN_INTERVIEW)
    offered = ReturnHomeInterview.objects.current().filter(
        missing_episode=OuterRef("pk"), offered_on__lte=OuterRef("_deadline"))
    return Members(ended.annotate(_deadline=deadline).filter(Exists(offered)), ended)


def _due_by_day(first: date, last: date, moment: str, code: str, *, as_moment: bool = False):
    """The due date (or, `as_moment`, the local midnight after it) of the rule `code` counted
    from the local day of the moment `moment`, for moments from `first` to `last`: the first
    day-boundary the moment falls before picks its day, so no date is cut from a moment in SQL
    (where SQLite and PostgreSQL disagree on time zones)."""
    found = rule(code)
    whens, day = [], first
    while day <= last:
        due = timescales.add_period(day, found.first_limit, found.first_unit)
        whens.append(When(**{f"{moment}__lt": _local_day_start(day + timedelta(days=1))},
                          then=Value(_local_day_start(due + timedelta(days=1)) if as_moment
                                     else due)))
        day += timedelta(days=1)
    return Case(*whens, output_field=DateTimeField() if as_moment else DateField())


def _adopted(p: Period) -> QuerySet:
    return _episodes().filter(reason_ceased__in=ADOPTED).filter(
        within("ended_on", p.start, p.end))


@indicator("adopted_in_year", "Children adopted", unit=COUNT, source=CLA_STATS, better=None)
def adopted_in_year(p: Period) -> Members:
    """Children who ceased to be looked after in the year because they were adopted (reason
    ceased E11 or E12), each counted once."""
    return Members(children(_adopted(p)))


def _adopted_children(p: Period) -> QuerySet:
    """Each adopted child with `adopted_on` and `entered_care` (the start of the period of care
    that ended in adoption)."""
    last = _adopted(p).filter(child=OuterRef("pk")).order_by("-ended_on", "-pk")
    adopted_on = Subquery(last.values("ended_on")[:1])
    entered = Subquery(_episodes().filter(child=OuterRef("pk"), reason_new_episode="S",
                                          started_on__lte=OuterRef("adopted_on"))
                       .order_by("-started_on", "-pk").values("started_on")[:1])
    return (children(_adopted(p)).annotate(adopted_on=adopted_on)
            .annotate(entered_care=entered))


@indicator("adoption_a1_days_entry_to_placed", "A1: days from entering care to moving in with "
           "the adoptive family", unit=MEAN_DAYS, source=SCORECARD, better=False)
def adoption_a1(p: Period) -> Members:
    """For the children adopted in the year, the mean number of days from entering care (the
    start of the period of care that ended in adoption) to moving in with the adoptive family
    (the start of their first placement for adoption, A3 to A6, in that period). The DfE
    scorecard averages three years; this is the year's own."""
    kids = _adopted_children(p)
    placed = Subquery(_episodes().filter(child=OuterRef("pk"),
                                         placement_type__in=PLACED_FOR_ADOPTION,
                                         started_on__gte=OuterRef("entered_care"),
                                         started_on__lte=OuterRef("adopted_on"))
                      .order_by("started_on", "pk").values("started_on")[:1])
    rows = (kids.annotate(placed_on=placed)
            .filter(placed_on__isnull=False, entered_care__isnull=False)
            .annotate(days=DaysBetween(F("placed_on"), F("entered_care"))))
    return Members(rows, rows)


@indicator("adoption_a2_days_authority_to_match", "A2: days from court authority to place to "
           "a match", unit=MEAN_DAYS, source=SCORECARD, better=False)
def adoption_a2(p: Period) -> Members:
    """For the children adopted in the year who had a placement order or freeing order (legal
    status E1 or D1 in the period of care that ended in adoption), the mean number of days from
    the authority to place (the first such episode's start) to the decision to match them with
    their adopters (their latest match in force); a match before the authority counts as 0."""
    kids = _adopted_children(p)
    authority = Subquery(_episodes().filter(child=OuterRef("pk"),
                                            legal_status__in=AUTHORITY_TO_PLACE,
                                            started_on__gte=OuterRef("entered_care"),
                                            started_on__lte=OuterRef("adopted_on"))
                         .order_by("started_on", "pk").values("started_on")[:1])
    match = Subquery(AdoptionMatch.objects.current()
                     .filter(child=OuterRef("pk"), ended_on__isnull=True,
                             matched_on__lte=p.year_end)
                     .order_by("-matched_on", "-pk").values("matched_on")[:1])
    gap = DaysBetween(F("matched_on"), F("authority_on"))
    rows = (kids.annotate(authority_on=authority, matched_on=match)
            .filter(authority_on__isnull=False, matched_on__isnull=False)
            .annotate(days=Case(When(matched_on__lt=F("authority_on"), then=Value(0)),
                                default=gap, output_field=IntegerField())))
    return Members(rows, rows)


# -- Care leavers (SSDA903 OC3) --------------------------------------------------------------

def _care_leavers(p: Period, ages: tuple[int, ...]) -> list[dict]:
    """Care leavers (relevant or former relevant by then) whose birthday of one of `ages` falls
    in the year, each with `in_touch`, `activ` and `accom` as the SSDA903 OC3 table gives them:
    in touch from the adviser's contact nearest the birthday, from 3 months (91 days) before it
    to a month (31 days) after; activity and accommodation the latest known by the end of that
    window; none asked of a young person who died or returned home. One query an age: its
    birthdays in the year are a range of birth dates, the birthday the birth date moved on."""
    out = []
    for age in ages:
        day = ShiftDate(OuterRef("birth_date"), years=age)
        window_end = ShiftDate(OuterRef("birth_date"), years=age, days=31)
        leaver = LeavingCareEligibility.objects.current().filter(
            child=OuterRef("pk"), category__in=["relevant", "former_relevant"],
            started_on__lte=day)
        eps = LookedAfterEpisode.objects.current().filter(child=OuterRef("pk"))
        in_care = eps.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day),
                             started_on__lte=day)
        left_since = eps.filter(ended_on__gte=day, ended_on__lte=p.year_end)
        # The nearest contact: the latest on or before the birthday or the first after it,
        # whichever is nearer (a tie to the later recorded). SQLite cannot order a subquery by
        # a value of the outer row, so each side is found in date order.
        contacts = PersonalAdviserContact.objects.current().filter(child=OuterRef("pk"))
        before = (contacts.filter(contacted_on__lte=day, contacted_on__gte=ShiftDate(
            OuterRef("birth_date"), years=age, days=-91)).order_by("-contacted_on", "-pk"))
        after = (contacts.filter(contacted_on__gt=day, contacted_on__lte=window_end)
                 .order_by("contacted_on", "-pk"))
        sides = {f"{side}_{field}": Subquery(found.values(field)[:1])
                 for side, found in (("before", before), ("after", after))
                 for field in ("contacted_on", "in_touch", "pk")}
        # Birthdays in the year up to its end (today, for the year so far): a birthday still to
        # come has had no contact around it, and would count as not in touch.
        rows = (Child.objects.current()
                .filter(birth_date__gte=date(p.start.year - age, 4, 1),
                        birth_date__lte=timescales.add_months(p.end, -12 * age))
                .filter(Exists(leaver), ~Exists(in_care), ~Exists(left_since))
                .annotate(birthday=ShiftDate(F("birth_date"), years=age), **sides,
                          act=Subquery(CareLeaverActivity.objects.current()
                                       .filter(child=OuterRef("pk"), from_on__lte=window_end)
                                       .order_by("-from_on", "-pk").values("activity")[:1]),
                          acc=Subquery(CareLeaverAccommodation.objects.current()
                                       .filter(child=OuterRef("pk"), from_on__lte=window_end)
                                       .order_by("-from_on", "-pk")
                                       .values("accommodation")[:1]))
                .values("pk", "birthday", "death_date", "act", "acc", *sides))
        # The cohort is the year's care leavers of that age, a few hundred in the largest
        # authority: each one's facts come from the database in this query, and which contact
        # is nearest is settled here (in SQL, each filter would repeat every subquery).
        out.extend(_oc3(row) for row in rows)
    return out


def _oc3(row: dict) -> dict:
    before, after = row["before_contacted_on"], row["after_contacted_on"]
    day = row["birthday"]
    if before and (after is None or (day - before, -row["before_pk"])
                   <= (after - day, -row["after_pk"])):
        in_touch = row["before_in_touch"]
    else:
        in_touch = row["after_in_touch"] if after else "NO"
    if row["death_date"] and row["death_date"] <= day:
        in_touch = "DIED"
    activ, accom = row["act"] or "0", row["acc"] or "0"
    if in_touch in ("DIED", "RHOM") or (in_touch in ("NO", "REFU", "NREQ")
                                        and "0" in (activ, accom)):
        activ = accom = "0"
    return {"pk": row["pk"], "in_touch": in_touch, "activ": activ, "accom": accom}


def _leavers(p: Period, keep: Callable[[dict], bool]) -> Members:
    cohort = _care_leavers(p, (19, 20, 21))
    return Members(Child.objects.current().filter(pk__in=[r["pk"] for r in cohort if keep(r)]),
                   Child.objects.current().filter(pk__in=[r["pk"] for r in cohort]))


@indicator("care_leavers_age19_21_in_touch", "Care leavers aged 19 to 21 in touch",
           unit=PERCENT, source=CARE_LEAVERS, better=True)
def care_leavers_in_touch(p: Period) -> Members:
    """Of the care leavers whose 19th, 20th or 21st birthday fell in the year, the percentage
    the authority was in touch with around it (OC3 IN_TOUCH YES: a personal adviser's contact,
    the nearest from 3 months before the birthday to a month after, said so)."""
    return _leavers(p, lambda r: r["in_touch"] == "YES")


@indicator("care_leavers_age19_21_suitable_accom", "Care leavers aged 19 to 21 in suitable "
           "accommodation", unit=PERCENT, source=CARE_LEAVERS, better=True)
def care_leavers_suitable(p: Period) -> Members:
    """Of the care leavers whose 19th, 20th or 21st birthday fell in the year, the percentage
    in suitable accommodation around it (OC3 ACCOM ending in 1)."""
    return _leavers(p, lambda r: r["accom"].endswith("1"))


@indicator("care_leavers_age19_21_eet", "Care leavers aged 19 to 21 in education, employment "
           "or training", unit=PERCENT, source=CARE_LEAVERS, better=True)
def care_leavers_eet(p: Period) -> Members:
    """Of the care leavers whose 19th, 20th or 21st birthday fell in the year, the percentage
    in education, employment or training around it (OC3 ACTIV F1, P1, F2, P2, F4, P4, F5 or
    P5)."""
    return _leavers(p, lambda r: r["activ"] in EET)


# -- Children in need (CIN census) ------------------------------------------------------------

def _referrals_open(p: Period) -> QuerySet:
    """Referrals (CIN episodes) open at some time in the year: those the census reports."""
    return (Referral.objects.current().filter(received_on__lte=p.end)
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=p.start)))


def _referrals(p: Period) -> QuerySet:
    return Referral.objects.current().filter(within("received_on", p.start, p.end))


@indicator("cin_referrals", "Referrals", unit=COUNT, source=CIN_CENSUS, better=None,
           counts="referrals", by=(("source", "source"),))
def cin_referrals(p: Period) -> Members:
    """Referrals received in the year (CIN referral date from 1 April to 31 March), each
    referral counted (a child referred twice counts twice)."""
    return Members(_referrals(p))


@indicator("cin_rereferrals_12m", "Re-referrals within 12 months", unit=PERCENT,
           source=CIN_CENSUS, better=False, counts="referrals")
def cin_rereferrals_12m(p: Period) -> Members:
    """Of the referrals received in the year, the percentage received within 12 months of a
    previous referral of the same child (one received on an earlier day, no more than a year
    before)."""
    previous = Referral.objects.current().filter(
        child=OuterRef("child"), received_on__lt=OuterRef("received_on"),
        received_on__gte=ShiftDate(OuterRef("received_on"), years=-1))
    referrals = _referrals(p)
    return Members(referrals.filter(Exists(previous)), referrals)


@indicator("cin_referrals_nfa", "Referrals ending in no further action", unit=PERCENT,
           source=CIN_CENSUS, better=None, counts="referrals")
def cin_referrals_nfa(p: Period) -> Members:
    """Of the referrals received in the year, the percentage that led to no further action
    (ReferralNFA)."""
    referrals = _referrals(p)
    return Members(referrals.filter(nfa=True), referrals)


def _assessments_completed(p: Period) -> QuerySet:
    return (Assessment.objects.current().filter(within("authorised_on", p.start, p.end))
            .filter(referral__in=_referrals_open(p)))


@indicator("cin_assessments_completed", "Assessments completed", unit=COUNT,
           source=CIN_CENSUS, better=None, counts="assessments")
def cin_assessments_completed(p: Period) -> Members:
    """Assessments completed (authorised) in the year, each assessment counted."""
    return Members(_assessments_completed(p))


@indicator("cin_assessments_within_45wd", "Assessments completed within 45 working days",
           unit=PERCENT, source=CIN_CENSUS, better=True, counts="assessments")
def cin_assessments_within_45wd(p: Period) -> Members:
    """Of the assessments completed in the year, the percentage authorised within the
    assessment timescale (45 working days, the authority's rule) of its start, as the DfE
    counts it: from the assessment's actual start date, day 0, without weekends and bank
    holidays."""
    done = _assessments_completed(p)
    return Members(met(done, "started_on", "authorised_on", names.ASSESSMENT), done)


def _s47s(p: Period) -> QuerySet:
    return Section47Enquiry.objects.current().filter(
        strategy_discussion__referral__in=_referrals_open(p))


@indicator("cin_s47_started", "Section 47 enquiries started", unit=COUNT, source=CIN_CENSUS,
           better=None, counts="section 47 enquiries")
def cin_s47_started(p: Period) -> Members:
    """Section 47 enquiries started in the year, each enquiry counted."""
    return Members(_s47s(p).filter(within("started_on", p.start, p.end)))


def _icpcs(p: Period) -> QuerySet:
    return (ChildProtectionConference.objects.current()
            .filter(kind="initial", section47__in=_s47s(p))
            .filter(within("held_on", p.start, p.end)))


@indicator("cin_icpcs", "Initial child protection conferences", unit=COUNT, source=CIN_CENSUS,
           better=None, counts="conferences")
def cin_icpcs(p: Period) -> Members:
    """Initial child protection conferences held in the year after a section 47 enquiry, each
    conference counted."""
    return Members(_icpcs(p))


@indicator("cin_icpcs_within_15wd", "Initial conferences within 15 working days", unit=PERCENT,
           source=CIN_CENSUS, better=True, counts="conferences")
def cin_icpcs_within_15wd(p: Period) -> Members:
    """Of the initial child protection conferences held in the year, the percentage held within
    the ICPC timescale (15 working days, the authority's rule) of the start of the section 47
    enquiry, as the DfE measures it (day 0 the enquiry's start, without weekends and bank
    holidays); a conference dated before its enquiry began is left out."""
    held = _icpcs(p).filter(held_on__gte=F("section47__started_on"))
    return Members(met(held, "section47__started_on", "held_on", names.ICPC), held)


def _plans_started(p: Period) -> QuerySet:
    return (ChildProtectionPlan.objects.current().filter(referral__in=_referrals_open(p))
            .filter(within("started_on", p.start, p.end)))


@indicator("cin_cpp_started", "Child protection plans started", unit=COUNT, source=CIN_CENSUS,
           better=None, counts="plans", by=(("category", "initial_category_of_abuse"),))
def cin_cpp_started(p: Period) -> Members:
    """Child protection plans that started in the year, each plan counted."""
    return Members(_plans_started(p))


@indicator("cin_cpp_second_or_subsequent", "Second or subsequent child protection plans",
           unit=PERCENT, source=CIN_CENSUS, better=False, counts="plans")
def cin_cpp_second_or_subsequent(p: Period) -> Members:
    """Of the child protection plans that started in the year, the percentage that were the
    child's second or subsequent plan, ever (the census's NumberOfPreviousCPP above 0)."""
    started = _plans_started(p)
    before = ChildProtectionPlan.objects.current().filter(child=OuterRef("child")).filter(
        Q(started_on__lt=OuterRef("started_on"))
        | Q(started_on=OuterRef("started_on"), pk__lt=OuterRef("pk")))
    return Members(started.filter(Exists(before)), started)


@indicator("cin_cpp_open_31mar", "Children on a child protection plan at 31 March",
           unit=COUNT, source=CIN_CENSUS, better=None)
def cin_cpp_open_31mar(p: Period) -> Members:
    """Children who were the subject of a child protection plan at 31 March (or at the date
    asked for): a plan started by then and not ended by the end of that day, each child
    counted once."""
    return Members(children(ChildProtectionPlan.objects.current()
                            .filter(started_on__lte=p.at)
                            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=p.at))))


@indicator("cin_cpp_ended_2yrs_plus", "Child protection plans ended after 2 years or more",
           unit=PERCENT, source=CIN_CENSUS, better=False, counts="plans")
def cin_cpp_ended_2yrs_plus(p: Period) -> Members:
    """Of the child protection plans that ended in the year, the percentage that had lasted 2
    years or more (ended on or after the second anniversary of their start)."""
    ended = (ChildProtectionPlan.objects.current().filter(referral__in=_referrals_open(p))
             .filter(within("ended_on", p.start, p.end)))
    return Members(ended.filter(ended_on__gte=ShiftDate(F("started_on"), years=2)), ended)


@indicator("cin_cin_31mar", "Children in need at 31 March", unit=COUNT, source=CIN_CENSUS,
           better=None)
def cin_cin_31mar(p: Period) -> Members:
    """Children in need at 31 March (or at the date asked for): a referral (CIN episode)
    received by then and not closed by the end of that day, each child counted once."""
    return Members(children(Referral.objects.current().filter(received_on__lte=p.at)
                            .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=p.at))))


# -- Front door (local measures) ---------------------------------------------------------------

def _contacts(p: Period) -> QuerySet:
    return Contact.objects.current().filter(
        received_at__gte=_local_day_start(p.start),
        received_at__lt=_local_day_start(p.end + timedelta(days=1)))


@indicator("contacts", "Contacts", unit=COUNT, source=LOCAL, better=None, counts="contacts")
def contacts(p: Period) -> Members:
    """Contacts received at the front door in the year, each contact counted."""
    return Members(_contacts(p))


@indicator("contacts_decided_1wd", "Contacts decided within 1 working day", unit=PERCENT,
           source=LOCAL, better=True, counts="contacts")
def contacts_decided_1wd(p: Period) -> Members:
    """Of the contacts received in the year, the percentage decided (what happens next
    recorded) within the authority's contact decision timescale (1 working day, a local rule)
    of the day received: day 0 the day it came in, without weekends and bank holidays."""
    received = _contacts(p)
    deadline = _due_by_day(p.start, p.end, "received_at", names.CONTACT_DECISION,
                           as_moment=True)
    return Members(received.alias(_deadline=deadline).filter(decided_at__lt=F("_deadline")),
                   received)


# -- Health of children looked after for a year (SSDA903 OC2) ----------------------------------

def _looked_after_a_year(p: Period) -> QuerySet:
    """Children looked after continuously for 12 months at 31 March, as the SSDA903's OC2
    counts them: an episode in the year, no start of care after 1 April, no end of care (other
    than one episode following another) from 1 April to 30 March, no short breaks."""
    eps = LookedAfterEpisode.objects.current().filter(child=OuterRef("pk")).filter(
        started_on__lte=p.year_end).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=p.start))
    return (Child.objects.current().filter(Exists(eps))
            .exclude(Exists(eps.filter(reason_new_episode="S", started_on__gt=p.start)))
            .exclude(Exists(eps.exclude(reason_ceased__in=["", CONTINUING])
                            .filter(ended_on__gte=p.start, ended_on__lt=p.year_end)))
            .exclude(Exists(eps.filter(legal_status__in=SHORT_BREAKS))))


OC2 = ("DfE, Outcomes for children looked after by local authorities (SSDA903 table OC2, "
       "children looked after for at least 12 months at 31 March)")


@indicator("health_assessments", "Children looked after for a year with a health assessment",
           unit=PERCENT, source=OC2, better=True)
def health_assessments(p: Period) -> Members:
    """Of the children looked after continuously for 12 months at 31 March, the percentage
    whose health assessment (not a development check) was done in the year."""
    cohort = _looked_after_a_year(p)
    done = HealthAssessment.objects.current().filter(
        child=OuterRef("pk"), done_on__gte=p.start, done_on__lte=p.year_end).exclude(
        kind="development")
    return Members(cohort.filter(Exists(done)), cohort)


@indicator("dental_checks", "Children looked after for a year with a dental check",
           unit=PERCENT, source=OC2, better=True)
def dental_checks(p: Period) -> Members:
    """Of the children looked after continuously for 12 months at 31 March, the percentage
    whose teeth were checked by a dentist in the year."""
    cohort = _looked_after_a_year(p)
    done = DentalCheck.objects.current().filter(child=OuterRef("pk"), checked_on__gte=p.start,
                                                checked_on__lte=p.year_end)
    return Members(cohort.filter(Exists(done)), cohort)


@indicator("immunisations", "Children looked after for a year with immunisations up to date",
           unit=PERCENT, source=OC2, better=True)
def immunisations(p: Period) -> Members:
    """Of the children looked after continuously for 12 months at 31 March, the percentage
    whose immunisations were up to date at the latest check in the year."""
    cohort = _looked_after_a_year(p)
    latest = (Immunisation.objects.current()
              .filter(child=OuterRef("pk"), checked_on__gte=p.start, checked_on__lte=p.year_end)
              .order_by("-checked_on", "-pk").values("up_to_date")[:1])
    return Members(cohort.annotate(up_to_date=Subquery(latest)).filter(up_to_date=True), cohort)


# -- Court (Public Law Outline) ----------------------------------------------------------------

PLO = ("Public Law Outline (Practice Direction 12A) and Children Act 1989 s32(1)(a)(ii): "
       "proceedings within 26 weeks; the authority's 16-week pre-proceedings expectation")


@indicator("pre_proceedings_past_16wks", "Pre-proceedings open past 16 weeks", unit=PERCENT,
           source=PLO, better=False, counts="pre-proceedings")
def pre_proceedings_past_16wks(p: Period) -> Members:
    """Of the children's pre-proceedings open at 31 March (or at the date asked for), the
    percentage open past the authority's pre-proceedings timescale (16 weeks, a local rule)
    from the decision to enter them."""
    open_now = (PreProceedings.objects.current().filter(started_on__lte=p.at)
                .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=p.at)))
    return Members(open_now.filter(
        started_on__lt=earliest_in_time(names.PRE_PROCEEDINGS, p.at)), open_now)


def _concluded(p: Period) -> QuerySet:
    return CareProceedings.objects.current().filter(within("concluded_on", p.start, p.end))


@indicator("proceedings_within_26wks", "Care proceedings concluded within 26 weeks",
           unit=PERCENT, source=PLO, better=True, counts="proceedings")
def proceedings_within_26wks(p: Period) -> Members:
    """Of the care proceedings concluded in the year, the percentage concluded within 26 weeks
    of issue (the statutory limit, the authority's rule; extensions granted by the court do
    not count, as the national measure does not)."""
    done = _concluded(p)
    return Members(met(done, "issued_on", "concluded_on", names.CARE_PROCEEDINGS), done)


@indicator("proceedings_duration_days", "Average duration of care proceedings", unit=MEAN_DAYS,
           source=PLO, better=False, counts="proceedings")
def proceedings_duration_days(p: Period) -> Members:
    """For the care proceedings concluded in the year, the mean number of days from issue to
    conclusion (26 weeks is 182 days)."""
    rows = _concluded(p).annotate(days=DaysBetween(F("concluded_on"), F("issued_on")))
    return Members(rows, rows)


@indicator("directions_on_time", "Court directions met on time", unit=PERCENT, source=PLO,
           better=True, counts="directions")
def directions_on_time(p: Period) -> Members:
    """Of the court directions due in the year (up to the date asked for), the percentage met
    on or before their due date."""
    due = CourtDirection.objects.current().filter(within("due_on", p.start, p.end))
    return Members(due.filter(complied_on__isnull=False, complied_on__lte=F("due_on")), due)


# -- Visits in time (a snapshot at a date, by the authority's timescale rules) ----------------

@indicator("cp_visits_in_time", "Children on a child protection plan visited in time",
           unit=PERCENT, source=LOCAL + "; the authority's child protection visit rule",
           better=True)
def cp_visits_in_time(p: Period) -> Members:
    """Of the children on a child protection plan at 31 March (or at the date asked for), the
    percentage whose visits were in time that day: seen on a child protection visit within the
    authority's visit timescale (10 working days, a local rule) of the plan's start or of the
    last visit, so none was overdue."""
    plans = (ChildProtectionPlan.objects.current().filter(started_on__lte=p.at)
             .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=p.at)))
    plan_start = Subquery(plans.filter(child=OuterRef("pk")).order_by("-started_on", "-pk")
                          .values("started_on")[:1])
    last = Subquery(Visit.objects.current().filter(
        child=OuterRef("pk"), kind="CP", child_seen=True, visited_on__lte=p.at,
        visited_on__gte=OuterRef("plan_start")).order_by("-visited_on", "-pk")
        .values("visited_on")[:1])
    cohort = children(plans).annotate(plan_start=plan_start, last_visit=last)
    return Members(_in_time(cohort, "plan_start", "last_visit", names.CP_VISIT, p.at), cohort)


@indicator("cla_visits_in_time", "Looked-after children visited in time", unit=PERCENT,
           source=("Care Planning, Placement and Case Review (England) Regulations 2010 reg 28, "
                   "by the authority's statutory visit rule"), better=True)
def cla_visits_in_time(p: Period) -> Members:
    """Of the children looked after at 31 March (or at the date asked for), short breaks left
    out, the percentage whose statutory visits were in time that day: seen within the visit
    timescale (a week of the placement's start, then at most 6 weeks apart) so none was
    overdue."""
    placed = Subquery(_episodes().filter(child=OuterRef("pk"), started_on__lte=p.at,
                                         reason_new_episode__in=PLACEMENT_RNE)
                      .order_by("-started_on", "-pk").values("started_on")[:1])
    last = Subquery(StatutoryVisit.objects.current().filter(
        child=OuterRef("pk"), seen=True, visited_on__lte=p.at,
        visited_on__gte=OuterRef("placed_on")).order_by("-visited_on", "-pk")
        .values("visited_on")[:1])
    cohort = _looked_after_on(p.at).annotate(placed_on=placed, last_visit=last)
    return Members(_in_time(cohort, "placed_on", "last_visit", names.CLA_VISIT, p.at), cohort)


def _in_time(cohort: QuerySet, began: str, last: str, code: str, at: date) -> QuerySet:
    """Those of `cohort` whose next visit under rule `code` is not yet overdue on `at`: the
    first limit from `began` where none has been done since, the repeat limit from `last`."""
    return cohort.filter(
        Q(**{f"{last}__isnull": True, f"{began}__gte": earliest_in_time(code, at)})
        | Q(**{f"{last}__gte": earliest_in_time(code, at, repeat=True)}))


@indicator("cla_reviews_in_time", "Looked-after children whose reviews are in time",
           unit=PERCENT, source=("Care Planning, Placement and Case Review (England) Regulations "
                                 "2010 reg 33, by the authority's review rule"), better=True)
def cla_reviews_in_time(p: Period) -> Members:
    """Of the children looked after at 31 March (or at the date asked for), short breaks left
    out, the percentage whose reviews were in time that day: the first within 20 working days
    of coming into care, the second within 3 months of the first, later ones within 6 months
    of the last (the authority's review rule), so none was overdue."""
    began = Subquery(_episodes().filter(child=OuterRef("pk"), started_on__lte=p.at,
                                        reason_new_episode="S")
                     .order_by("-started_on", "-pk").values("started_on")[:1])
    reviews = CLAReview.objects.current().filter(child=OuterRef("pk"), held_on__lte=p.at,
                                                 held_on__gte=OuterRef("care_began"))
    cohort = _looked_after_on(p.at).annotate(
        care_began=began,
        last_review=Subquery(reviews.order_by("-held_on", "-pk").values("held_on")[:1]),
        second=Exists(reviews.exclude(held_on=OuterRef("last_review"))))
    code = names.CLA_REVIEW
    return Members(cohort.filter(
        Q(last_review__isnull=True, care_began__gte=earliest_in_time(code, p.at))
        | Q(second=False, last_review__gte=earliest_in_time(code, p.at, then=True))
        | Q(second=True, last_review__gte=earliest_in_time(code, p.at, repeat=True))), cohort)


@indicator("cp_first_core_group_10wd", "First core groups within 10 working days",
           unit=PERCENT, source=("Working Together to Safeguard Children 2023 ch. 4, by the "
                                 "authority's first core group rule"), better=True,
           counts="plans")
def cp_first_core_group_10wd(p: Period) -> Members:
    """Of the child protection plans started in the year, the percentage whose first core group
    met within the first core group timescale (10 working days of the plan's start, day 0)."""
    started = ChildProtectionPlan.objects.current().filter(
        within("started_on", p.start, p.end)).annotate(first_core_group=Subquery(
            CoreGroupMeeting.objects.current().filter(plan=OuterRef("pk"))
            .order_by("held_on", "pk").values("held_on")[:1]))
    return Members(met(started, "started_on", "first_core_group", names.FIRST_CORE_GROUP),
                   started)


# -- Breakdowns and the rest of issue 14's set (appended: dashboards read the registry) --------

CARE_LEAVERS_17_18 = ("DfE, Children looked after in England: care leavers aged 17 and 18 "
                      "(SSDA903 table OC3)")
SCORECARD_A10 = ("DfE, Adoption scorecard (ASGLB) measure A10 (from the SSDA903, adjusted for "
                 "foster carer adoptions)")
WORKFORCE = "Cairn, local workforce measure (no DfE definition), by the teams' own thresholds"


@indicator("cla_31mar_by_status", "Children looked after at 31 March, by legal status and "
           "placement type", unit=COUNT, source=CLA_STATS, better=None,
           by=(("legal status", "legal_status"), ("placement type", "placement_type")))
def cla_31mar_by_status(p: Period) -> Members:
    """Children looked after at 31 March (or at the date asked for), as cla_31mar counts them,
    each with the legal status and placement type of the episode open that day, so the figure
    breaks down by either (the DfE's tables of legal status and of placement at 31 March)."""
    open_then = _episodes().on(p.at).filter(child=OuterRef("pk")).order_by("-started_on", "-pk")
    return Members(_looked_after_on(p.at).annotate(
        legal_status=Subquery(open_then.values("legal_status")[:1]),
        placement_type=Subquery(open_then.values("placement_type")[:1])))


@indicator("cla_ceased_by_reason", "Children who ceased to be looked after, by reason",
           unit=COUNT, source=CLA_STATS, better=None, by=(("reason", "reason_ceased"),))
def cla_ceased_by_reason(p: Period) -> Members:
    """Children who ceased to be looked after in the year, as cla_ceased_in_year counts them,
    each with the reason their care last ended in the year (SSDA903 REC: E11 and E12 adopted,
    E13 left care to live with parents, E41 to E45 child arrangements or special guardianship,
    E17, E48 and E8 at 18 or independent living...), so the figure breaks down by reason."""
    ended = (_episodes().exclude(reason_ceased__in=["", CONTINUING])
             .filter(within("ended_on", p.start, p.end)))
    last = ended.filter(child=OuterRef("pk")).order_by("-ended_on", "-pk")
    return Members(children(ended).annotate(reason_ceased=Subquery(
        last.values("reason_ceased")[:1])))


@indicator("cin_cpp_open_by_category", "Children on a child protection plan at 31 March, by "
           "category of abuse", unit=COUNT, source=CIN_CENSUS, better=None,
           by=(("category", "category_of_abuse"),))
def cin_cpp_open_by_category(p: Period) -> Members:
    """Children on a child protection plan at 31 March (or at the date asked for), as
    cin_cpp_open_31mar counts them, each with their plan's latest category of abuse by that day
    (the last change decided at a review conference, or the initial category): neglect,
    emotional, physical, sexual abuse or multiple categories."""
    plans = (ChildProtectionPlan.objects.current().filter(started_on__lte=p.at)
             .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=p.at)))
    plan = plans.filter(child=OuterRef("pk")).order_by("-started_on", "-pk")
    changed = (PlanCategoryChange.objects.current()
               .filter(plan=OuterRef("plan_id"), changed_on__lte=p.at)
               .order_by("-changed_on", "-pk").values("category")[:1])
    initial = plans.filter(pk=OuterRef("plan_id")).values("initial_category_of_abuse")[:1]
    return Members(children(plans).annotate(plan_id=Subquery(plan.values("pk")[:1])).annotate(
        category_of_abuse=Coalesce(Subquery(changed), Subquery(initial))))


def _leavers_17_18(p: Period, keep: Callable[[dict], bool]) -> Members:
    cohort = _care_leavers(p, (17, 18))
    return Members(Child.objects.current().filter(pk__in=[r["pk"] for r in cohort if keep(r)]),
                   Child.objects.current().filter(pk__in=[r["pk"] for r in cohort]))


@indicator("care_leavers_age17_18_in_touch", "Care leavers aged 17 and 18 in touch",
           unit=PERCENT, source=CARE_LEAVERS_17_18, better=True)
def care_leavers_17_18_in_touch(p: Period) -> Members:
    """Of the care leavers (relevant or former relevant, no longer looked after) whose 17th or
    18th birthday fell in the year, the percentage the authority was in touch with around it
    (OC3 IN_TOUCH YES: a personal adviser's contact, the nearest from 3 months before the
    birthday to a month after, said so)."""
    return _leavers_17_18(p, lambda r: r["in_touch"] == "YES")


@indicator("care_leavers_age17_18_suitable_accom", "Care leavers aged 17 and 18 in suitable "
           "accommodation", unit=PERCENT, source=CARE_LEAVERS_17_18, better=True)
def care_leavers_17_18_suitable(p: Period) -> Members:
    """Of the care leavers whose 17th or 18th birthday fell in the year, the percentage in
    suitable accommodation around it (OC3 ACCOM ending in 1)."""
    return _leavers_17_18(p, lambda r: r["accom"].endswith("1"))


@indicator("care_leavers_age17_18_eet", "Care leavers aged 17 and 18 in education, employment "
           "or training", unit=PERCENT, source=CARE_LEAVERS_17_18, better=True)
def care_leavers_17_18_eet(p: Period) -> Members:
    """Of the care leavers whose 17th or 18th birthday fell in the year, the percentage in
    education, employment or training around it (OC3 ACTIV F1, P1, F2, P2, F4, P4, F5 or
    P5)."""
    return _leavers_17_18(p, lambda r: r["activ"] in EET)


@indicator("adoption_a10_days_entry_to_placed_adjusted", "A10: days from entering care to "
           "moving in with the adoptive family, adjusted for foster carer adoptions",
           unit=MEAN_DAYS, source=SCORECARD_A10, better=False)
def adoption_a10(p: Period) -> Members:
    """For the children adopted in the year, the mean number of days from entering care (the
    start of the period of care that ended in adoption) to moving in with the adoptive family
    (the start of their first placement for adoption, A3 to A6, in that period); for a child
    adopted by their foster carers (the match says so: SSDA903 FOSTER_CARE) the day they moved
    in with those carers counts instead, the start of the placement just before the one for
    adoption (a day before entering care counts as 0). The DfE scorecard averages three years;
    this is the year's own."""
    kids = _adopted_children(p)
    placed = Subquery(_episodes().filter(child=OuterRef("pk"),
                                         placement_type__in=PLACED_FOR_ADOPTION,
                                         started_on__gte=OuterRef("entered_care"),
                                         started_on__lte=OuterRef("adopted_on"))
                      .order_by("started_on", "pk").values("started_on")[:1])
    with_carers = Subquery(_episodes().filter(child=OuterRef("pk"),
                                              reason_new_episode__in=PLACEMENT_RNE,
                                              started_on__gte=OuterRef("entered_care"),
                                              started_on__lt=OuterRef("placed_on"))
                           .order_by("-started_on", "-pk").values("started_on")[:1])
    by_carers = AdoptionMatch.objects.current().filter(
        child=OuterRef("pk"), ended_on__isnull=True, foster_carer=True,
        matched_on__lte=OuterRef("adopted_on"))
    rows = (kids.annotate(placed_on=placed)
            .filter(placed_on__isnull=False, entered_care__isnull=False)
            .annotate(moved_in=Case(When(Exists(by_carers),
                                         then=Coalesce(with_carers, F("placed_on"))),
                                    default=F("placed_on"), output_field=DateField()))
            .annotate(days=DaysBetween(F("moved_in"), F("entered_care"))))
    return Members(rows, rows)


@indicator("missing_episodes", "Missing incidents of looked-after children", unit=COUNT,
           source=CLA_STATS, better=False, counts="missing incidents")
def missing_episodes(p: Period) -> Members:
    """Missing incidents (whereabouts not known, code M; away without authorisation is not
    counted) that began in the year, of children looked after at some time in the year (short
    breaks left out): each incident counted, so a child missing three times counts three."""
    return Members(_missing_in_year(p))


def _caseloads(at: date) -> QuerySet:
    """Every active worker in a team with at least one child allocated on `at`: `children`
    (each child once) and `threshold` (the team's caseload threshold, a setting each team
    holds, scaled to the worker's hours)."""
    active = (Allocation.objects.current().active_on(at).filter(worker=OuterRef("pk"))
              .order_by().values("worker").annotate(n=Count("child", distinct=True))
              .values("n"))
    return (Staff.objects.filter(is_active=True, team__isnull=False)
            .annotate(children=Subquery(active, output_field=IntegerField()),
                      threshold=ExpressionWrapper(F("team__caseload_threshold") * F("fte"),
                                                  output_field=DecimalField()),
                      team_name=F("team__name"))
            .filter(children__gt=0))


@indicator("caseloads_above_threshold", "Workers with a caseload above the threshold",
           unit=PERCENT, source=WORKFORCE, better=False, counts="workers",
           by=(("team", "team_name"),))
def caseloads_above_threshold(p: Period) -> Members:
    """Of the workers with children allocated to them at 31 March (or at the date asked for),
    the percentage whose caseload (children allocated to them that day, each once) is above
    their team's caseload threshold (children per full-time worker, which each team sets),
    scaled to the worker's hours."""
    workers = _caseloads(p.at)
    return Members(workers.filter(children__gt=F("threshold")), workers)


@indicator("overdue_items", "Overdue work", unit=COUNT, source=LOCAL
           + "; the authority's timescale rules", better=False, counts="overdue items",
           by=(("team", "team_name"), ("worker", "worker_name")))
def overdue_items(p: Period) -> Members:
    """Items of work overdue on 31 March (or on the date asked for, or today if that is later)
    by the authority's timescale rules: visits, reviews, assessments, conferences and the rest
    still to do and past their due day, each item counted, with the team and the worker the
    child was allocated to that day (their social worker, else their early help practitioner,
    else the worker allocated latest), so the figure breaks down by team and by worker; a child
    with no worker is under "Unallocated". A live figure:
    it reads each child's open items as Cairn keeps them beside the record now,
    so for a past date it counts the items due before it that are still not done; none while
    those items are being rebuilt for changed rules."""
    day = min(p.at, timezone.localdate())
    lead_first = Case(When(kind=Allocation.Kind.SOCIAL_WORKER, then=Value(0)),
                      When(kind=Allocation.Kind.EARLY_HELP, then=Value(1)),
                      default=Value(2), output_field=IntegerField())
    work = (Allocation.objects.current().active_on(day).filter(child_id=OuterRef("child_id"))
            .order_by(lead_first, "-started_on", "-pk"))
    rows = open_dues.overdue(Child.objects.current().values("pk"), today=day)
    if rows is None:
        rows = OpenDue.objects.none()
    return Members(rows.annotate(
        team_name=Coalesce(Subquery(work.values("team__name")[:1]), Value("Unallocated")),
        worker_name=Coalesce(Subquery(work.values("worker__username")[:1]),
                             Value("Unallocated"))))

