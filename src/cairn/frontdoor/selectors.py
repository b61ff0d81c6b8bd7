"""Reads at the front door: contacts awaiting a decision with their clock, recent decisions, a
child's early help, and the step decisions awaiting a manager. Every list is scoped by the access
policy; a record the viewer may not see is a 404, as a missing one is, and the refusal is logged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import Lag
from django.utils import timezone

from cairn.access import policy
from cairn.access.models import AccessGrant
from cairn.core import changes, facts, names, timescales
from cairn.core.selectors import attach_actions
from cairn.core.working_days import add_working_days, is_working_day, working_days_between
from cairn.people.models import Child
from cairn.workforce.selectors import lead_allocation

from .models import (
    ConsentStatus,
    Contact,
    EarlyHelpAssessment,
    EarlyHelpEpisode,
    EarlyHelpPlan,
    EarlyHelpPlanNeed,
    EarlyHelpReview,
    EarlyHelpReviewNeedProgress,
    Referral,
    StepDecision,
)

CONTACT_DECISION_RULE = names.CONTACT_DECISION
RECENT_DECISIONS = 20


# The day team's hours (local practice): a contact received outside them on a working day, or
# on any day that is not one, is received out of hours and the out-of-hours service answers it.
DAY_TEAM_OPENS, DAY_TEAM_CLOSES = time(9, 0), time(17, 0)


def out_of_hours(moment: datetime) -> bool:
    """Whether `moment` falls outside the day team's hours: an evening, a night, a weekend or a
    bank holiday (F17)."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return (not is_working_day(local.date())
            or not DAY_TEAM_OPENS <= local.time() < DAY_TEAM_CLOSES)


def working_time_between(start: datetime, end: datetime) -> timedelta:
    """The part of the time from `start` to `end` that falls on working days: a contact that
    came in on Friday afternoon has not waited over the weekend."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    total = timedelta(0)
    day = start.date()
    while day <= end.date():
        if is_working_day(day):
            opens = timezone.make_aware(datetime.combine(day, time.min))
            closes = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
            total += max(timedelta(0), min(end, closes) - max(start, opens))
        day += timedelta(days=1)
    return total


def waited_words(waited: timedelta) -> str:
    """How long, in working days (of 24 hours) and hours: "1 working day 3 hours"."""
    days, rest = divmod(int(waited.total_seconds()), 24 * 3600)
    hours = rest // 3600
    parts = []
    if days:
        parts.append(f"{days} working day{'s' if days != 1 else ''}")
    if hours or not days:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}" if hours else "under an hour")
    return " ".join(parts)


@dataclass(frozen=True)
class AwaitingContact:
    """A contact with no decision yet, and where its one-working-day clock stands (F16)."""

    contact: Contact
    due: timescales.Due | None
    now: datetime | None = None

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due.status == timescales.Status.OVERDUE

    @property
    def waited(self) -> timedelta:
        return working_time_between(self.contact.received_at, self.now or timezone.now())

    @property
    def waited_label(self) -> str:
        return waited_words(self.waited)


def awaiting_decision(*, viewer) -> QuerySet[Contact]:
    """Undecided contacts about children `viewer` may see, oldest waiting first: read a page at
    a time (awaiting_page), so the front door's cost does not grow with the authority. The
    partial index contact_awaiting holds exactly these rows in this order."""
    return (Contact.objects.current()
            .filter(policy.about_visible_child_q(viewer), decided_at__isnull=True)
            .select_related("child", "recorded_by").order_by("received_at", "pk"))


def with_clocks(contacts: list[Contact]) -> list[AwaitingContact]:
    """Each contact with where its decision clock stands: the timescale engine evaluates the
    children of these contacts only."""
    if not contacts:
        return []
    rules = timescales.active_rules([CONTACT_DECISION_RULE])
    clocks = {}
    if rules:
        for due in timescales.evaluate({c.child_id for c in contacts}, rules=rules):
            if due.is_open:
                clocks[(due.child_id, due.clock_from)] = due
    now = timezone.now()
    return [AwaitingContact(c, clocks.get((c.child_id, timezone.localtime(c.received_at).date())),
                            now) for c in contacts]


def contacts_awaiting_decision(*, viewer) -> list[AwaitingContact]:
    """Every undecided contact about children `viewer` may see, oldest first, with its clock.
    For a child's record or a test; the front door reads them a page at a time."""
    return with_clocks(list(awaiting_decision(viewer=viewer)))


AWAITING_PER_PAGE = 50


@dataclass(frozen=True)
class AwaitingPage:
    """One page of the contacts awaiting a decision, oldest first, with the total awaiting
    (counted in SQL) and how many of this page's are overdue."""

    page: Page
    items: list[AwaitingContact]

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def overdue(self) -> int:
        return sum(1 for a in self.items if a.overdue)

    @property
    def capped(self) -> bool:
        """Whether some contacts awaiting a decision are on other pages."""
        return self.page.paginator.num_pages > 1

    @property
    def overdue_at_least(self) -> bool:
        """Whether later pages may hold more overdue contacts: every one on this page is."""
        return (self.page.has_next() and bool(self.items)
                and all(a.overdue for a in self.items))


def awaiting_page(*, viewer, number=1, per_page: int | None = None) -> AwaitingPage:
    """Page `number` of the contacts awaiting a decision (oldest first), with their clocks. Two
    queries for the list (the count and the page) whatever the number awaiting."""
    page = Paginator(awaiting_decision(viewer=viewer),
                     per_page or AWAITING_PER_PAGE).get_page(number)
    return AwaitingPage(page, with_clocks(list(page.object_list)))


def recent_decisions(*, viewer, limit: int = RECENT_DECISIONS) -> list[Contact]:
    """The latest contact decisions on children `viewer` may see, up to now: a decision dated
    later than now (mistyped, or imported with a wrong clock) is not a recent one."""
    return list(
        Contact.objects.current()
        .filter(policy.about_visible_child_q(viewer), decided_at__isnull=False,
                decided_at__lte=timezone.now())
        .select_related("child", "decided_by").order_by("-decided_at", "-pk")[:limit])


@dataclass(frozen=True)
class DecisionTime:
    """How many working days a contact's decision took, and whether that was late (F16)."""

    working_days: int
    late: bool
    limit_label: str
    # The time taken as the awaiting list counts a wait (working days of 24 hours and hours),
    # so a contact shown waiting 13 hours is not then said to have taken a working day.
    taken_label: str = ""


def decision_time(contact: Contact) -> DecisionTime | None:
    """For a decided contact, the working days from receipt to decision and whether the
    contact-decision rule counts it late; None while undecided."""
    if contact.decided_at is None:
        return None
    received = timezone.localtime(contact.received_at).date()
    taken = working_days_between(received, timezone.localtime(contact.decided_at).date())
    label = waited_words(working_time_between(contact.received_at, contact.decided_at))
    due = timescales.due_for(CONTACT_DECISION_RULE, contact.child_id, received)
    if due is None:
        return DecisionTime(taken, False, "", label)
    return DecisionTime(taken, due.status == timescales.Status.LATE, due.limit_label, label)


def _day_team_closed(now: datetime) -> datetime:
    """When the day team last closed before `now`: the end of the last working day before
    today (so before this morning on a working day)."""
    last_day = add_working_days(timezone.localtime(now).date(), -1)
    return timezone.make_aware(datetime.combine(last_day, DAY_TEAM_CLOSES))


def out_of_hours_contacts(*, viewer, now: datetime | None = None) -> QuerySet[Contact]:
    """Contacts received out of hours since the day team last closed, decided overnight or
    not, with what the out-of-hours service did: the day team picks them up (F17). Oldest
    first; the partial index contact_out_of_hours holds these rows by time received."""
    now = timezone.localtime(now or timezone.now())
    return (Contact.objects.current()
            .filter(policy.about_visible_child_q(viewer), out_of_hours=True,
                    received_at__gte=_day_team_closed(now), received_at__lte=now)
            .select_related("child", "decided_by", "recorded_by").order_by("received_at", "pk"))


def out_of_hours_for_day_team(*, viewer, now: datetime | None = None) -> list[Contact]:
    """Every contact received out of hours since the day team last closed (F17)."""
    return list(out_of_hours_contacts(viewer=viewer, now=now))


OVERNIGHT_PER_PAGE = 50


def overnight_page(*, viewer, number=1, now: datetime | None = None,
                   per_page: int | None = None) -> Page:
    """Page `number` of the contacts received out of hours since the day team last closed;
    its paginator counts them all in SQL. Two queries however busy the night was."""
    return Paginator(out_of_hours_contacts(viewer=viewer, now=now),
                     per_page or OVERNIGHT_PER_PAGE).get_page(number)


def contact_for(viewer, contact_id: int, *, page: str, action: str = policy.VIEW) -> Contact:
    """The contact, if `viewer` may do `action` on its child's record; else 404 (logged)."""
    return policy.object_for(
        viewer, Contact.objects.current().select_related("child", "decided_by"), contact_id,
        page=page, action=action, message="No such contact")


def referral_for(viewer, referral_id: int, *, page: str,
                 action: str = policy.RECORD) -> Referral:
    """The referral, if `viewer` may do `action` on its child's record; else 404 (logged)."""
    return policy.object_for(
        viewer, Referral.objects.current().select_related("child"), referral_id,
        page=page, action=action, message="No such referral")


def consent_dispensals_to_see(manager) -> QuerySet[Contact]:
    """Contacts on which `manager` was recorded as dispensing with consent and has not yet
    confirmed it: their tray shows each (Working Together 2023 ch. 3)."""
    if not policy.allows(manager, policy.AUTHORISE):
        return Contact.objects.none()
    return (Contact.objects.current()
            .filter(policy.visible_row_q(manager), consent=ConsentStatus.DISPENSED_WITH,
                    consent_dispensed_by=manager, consent_dispensed_seen_at__isnull=True)
            .select_related("child", "recorded_by").order_by("received_at", "pk"))


def consent_to_confirm(contact: Contact, viewer) -> bool:
    """Whether `viewer` is the manager who dispensed with consent on `contact` and has yet to
    confirm it."""
    return (contact.consent == ConsentStatus.DISPENSED_WITH
            and contact.consent_dispensed_by_id == viewer.pk
            and contact.consent_dispensed_seen_at is None)


def dispensed_consents_of(child) -> QuerySet[Contact]:
    return (Contact.objects.current()
            .filter(child=child, consent=ConsentStatus.DISPENSED_WITH)
            .select_related("consent_dispensed_by").order_by("-received_at", "-pk"))


def contacts_of(child) -> QuerySet[Contact]:
    return (Contact.objects.current().filter(child=child).select_related("decided_by")
            .order_by("-received_at", "-pk"))


def open_referral(child) -> Referral | None:
    return (Referral.objects.current().filter(child=child, closed_on__isnull=True, nfa=False)
            .order_by("-received_on").first())


def early_help_of(child) -> list[EarlyHelpEpisode]:
    """A child's early help episodes, newest first, with their assessments, plans and reviews;
    each need of a plan carries its progress at each review, latest first (`need.reviewed`),
    and its actions (`need.agreed_actions`)."""
    progress = (EarlyHelpReviewNeedProgress.objects.current()
                .filter(review__voided_at__isnull=True).select_related("review")
                .order_by("-review__held_on", "-review__pk"))
    needs = EarlyHelpPlanNeed.objects.current().order_by("pk").prefetch_related(
        Prefetch("progress", progress, to_attr="reviewed"))
    plans = EarlyHelpPlan.objects.current().order_by("started_on").prefetch_related(
        Prefetch("needs", needs, to_attr="current_needs"),
        Prefetch("reviews", EarlyHelpReview.objects.current().order_by("held_on"),
                 to_attr="current_reviews"))
    episodes = list(
        EarlyHelpEpisode.objects.current().filter(child=child).select_related("worker")
        .prefetch_related(
            Prefetch("assessments", EarlyHelpAssessment.objects.current().order_by("started_on"),
                     to_attr="current_assessments"),
            Prefetch("plans", plans, to_attr="current_plans"))
        .order_by("-started_on", "-pk"))
    # Each need's actions (`need.agreed_actions`), in one query for the whole page.
    attach_actions(need for episode in episodes for plan in episode.current_plans
                   for need in plan.current_needs)
    return episodes


def open_early_help(child) -> EarlyHelpEpisode | None:
    return (EarlyHelpEpisode.objects.current().filter(child=child, ended_on__isnull=True)
            .order_by("-started_on").first())


def episode_for(viewer, episode_id: int, *, page: str,
                action: str = policy.RECORD) -> EarlyHelpEpisode:
    return policy.object_for(
        viewer, EarlyHelpEpisode.objects.current().select_related("child"), episode_id,
        page=page, action=action, message="No such early help episode")


def plan_for(viewer, plan_id: int, *, page: str, action: str = policy.RECORD) -> EarlyHelpPlan:
    return policy.object_for(
        viewer, EarlyHelpPlan.objects.current().select_related("child", "episode"), plan_id,
        page=page, action=action, message="No such early help plan")


def step_decisions_of(child) -> QuerySet[StepDecision]:
    return (StepDecision.objects.current().filter(child=child)
            .select_related("requested_by", "authorised_by", "declined_by", "referral",
                            "early_help_episode")
            .order_by("-requested_at", "-pk"))


def step_decision_for(viewer, step_id: int, *, page: str,
                      action: str = policy.VIEW) -> StepDecision:
    return policy.object_for(
        viewer, StepDecision.objects.current().select_related(
            "child", "requested_by", "authorised_by", "declined_by", "referral",
            "early_help_episode"), step_id,
        page=page, action=action, message="No such step decision")


def step_decisions_awaiting(manager) -> QuerySet[StepDecision]:
    """Steps up and down `manager` may authorise: undecided, on children in their line, and not
    asked for by them (F20: a second pair of eyes), oldest first."""
    if not policy.allows(manager, policy.AUTHORISE):
        return StepDecision.objects.none()
    return (StepDecision.objects.current()
            .filter(policy.visible_row_q(manager), authorised_at__isnull=True,
                    declined_at__isnull=True, closed_at__isnull=True)
            .exclude(requested_by=manager)
            .select_related("child", "requested_by").order_by("requested_at", "pk"))


def restricted_holder(child):
    """Who a contact that may concern `child`'s restricted record is passed to: the lead worker
    allocated to the child, or else the member of staff named on the record longest, whoever
    of them may record on it; None if no one may."""
    allocation = lead_allocation(child)
    if allocation is not None and policy.can(allocation.worker, policy.RECORD, child):
        return allocation.worker
    grants = (AccessGrant.objects.open_on(timezone.localdate()).filter(child=child)
              .select_related("staff").order_by("granted_at", "pk"))
    return next((g.staff for g in grants if policy.can(g.staff, policy.RECORD, child)), None)


def passed_child(child_id) -> Child | None:
    """The restricted record a contact is being passed on for (its id kept in the session,
    never on a page), or None."""
    return Child.objects.filter(pk=child_id, restricted=True).first() if child_id else None


# Referrals and re-referrals (F20, F26) ---------------------------------------------------------

RE_REFERRAL_DAYS = 365  # DfE: a referral within 12 months of the child's previous referral


def _year_before(day: date) -> date:
    return day - timedelta(days=RE_REFERRAL_DAYS)


@dataclass(frozen=True)
class ReferralRow:
    """A referral, and whether it came within 12 months of the child's previous one."""

    referral: Referral
    re_referral: bool
    previous_on: date | None


def referrals_of(child) -> list[ReferralRow]:
    """The child's referrals, newest first, each flagged where it is a re-referral. One
    query."""
    rows = list(Referral.objects.current().filter(child=child).select_related("contact")
                .order_by("received_on", "pk"))
    out, previous = [], None
    for referral in rows:
        again = previous is not None and referral.received_on <= previous + timedelta(
            days=RE_REFERRAL_DAYS)
        out.append(ReferralRow(referral, again, previous))
        previous = referral.received_on
    return out[::-1]


@dataclass(frozen=True)
class ReReferrals:
    """Referrals received in the 12 months to `today` about the children counted, and how many
    of them came within 12 months of the child's previous referral (F20)."""

    referrals: int
    re_referrals: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.re_referrals / self.referrals) if self.referrals else None


def re_referrals(*, viewer, today: date | None = None) -> ReReferrals:
    """The re-referral count over the last 12 months, among the children `viewer` may see.
    One query, counted in SQL: each referral of the last two years is paired with the child's
    referral before it (a window over the child's referrals), and those of the last 12 months
    are counted, with those that came within 12 months of the one before."""
    today = today or timezone.localdate()
    since = _year_before(today)
    year = timedelta(days=RE_REFERRAL_DAYS)

    def count() -> ReReferrals:
        counted = (
            Referral.objects.current()
            .filter(policy.about_visible_child_q(viewer), received_on__gt=_year_before(since),
                    received_on__lte=today)
            .annotate(previous_until=Window(Lag(F("received_on") + year),
                                            partition_by=[F("child_id")],
                                            order_by=[F("received_on").asc(), F("pk").asc()]))
            .aggregate(referrals=Count("pk", filter=Q(received_on__gt=since)),
                       again=Count("pk", filter=Q(received_on__gt=since,
                                                  previous_until__gte=F("received_on")))))
        return ReReferrals(counted["referrals"], counted["again"])

    # Two years of the authority's referrals, counted again only once the record changes
    # (who may see which child is part of the record too).
    return changes.kept(("re_referrals", viewer.pk, today), count)


@dataclass(frozen=True)
class PastPlan:
    started_on: date
    ended_on: date | None
    detail: str


@dataclass
class HistoryOfConcern:
    """What the front door sees before deciding a contact (F26): the child's earlier contacts
    and referrals, all time and in the last 12 months, their child protection plans, and
    whether a referral today would be a re-referral."""

    contacts: list[Contact]
    referrals: list[ReferralRow]
    cp_plans: list[PastPlan]
    year_ago: date
    last_referral: Referral | None = None
    would_re_refer: bool = False
    open_referral: Referral | None = None
    contacts_12m: int = 0
    referrals_12m: int = 0
    re_referrals: int = 0

    @property
    def any(self) -> bool:
        return bool(self.contacts or self.referrals or self.cp_plans)


def history_of_concern(contact: Contact, *, today: date | None = None) -> HistoryOfConcern:
    """The history of concern about `contact`'s child, leaving out `contact` itself. Three
    queries: contacts, referrals and the child protection plan facts."""
    today = today or timezone.localdate()
    year_ago = _year_before(today)
    child = contact.child
    contacts = list(Contact.objects.current().filter(child=child).exclude(pk=contact.pk)
                    .select_related("decided_by").order_by("-received_at", "-pk"))
    for c in contacts:
        c.in_last_year = timezone.localtime(c.received_at).date() > year_ago
    referrals = referrals_of(child)
    found = facts.occurrences([names.CP_PLAN_STARTED, names.CP_PLAN_ENDED], [child.pk])
    ended = {o.pk: o.on for o in found[names.CP_PLAN_ENDED].get(child.pk, [])}
    plans = [PastPlan(o.on, ended.get(o.pk), o.detail)
             for o in found[names.CP_PLAN_STARTED].get(child.pk, [])]
    last = referrals[0].referral if referrals else None
    return HistoryOfConcern(
        contacts=contacts, referrals=referrals, cp_plans=plans[::-1], year_ago=year_ago,
        last_referral=last,
        would_re_refer=last is not None and last.received_on > year_ago,
        open_referral=next((r.referral for r in referrals if r.referral.closed_on is None
                            and not r.referral.nfa), None),
        contacts_12m=sum(1 for c in contacts if c.in_last_year),
        referrals_12m=sum(1 for r in referrals if r.referral.received_on > year_ago),
        re_referrals=sum(1 for r in referrals if r.re_referral))
