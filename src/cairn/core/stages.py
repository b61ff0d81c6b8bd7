"""What each stage of the journey adds to a child's record, declared by the stage itself.

As an app's `facts.py` registers the dated facts timescales are computed from, its `record.py`
registers what it shows on a child's record:

- open periods: what is open for the child (a CP plan, a period of care, an order in force), as
  the banner's "Legal status and plans" and the caseload's plan column say it;
- record-work links: a heading and a template of links, on the summary for those who may record;
- sections: a template (with the context it needs) shown on the child's summary, or on the
  home page of those who hold the children (My work);
- tabs: further parts of the child's record.

The child's record (casework) and the people app read these lists and import no stage, so a new
stage is one new app. Registration happens once, when Django starts (core's AppConfig.ready).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model, Prefetch, QuerySet, prefetch_related_objects


@dataclass(frozen=True)
class OpenPeriod:
    """One kind of thing that can be open on a child's record."""

    name: str  # the attribute a prefetch fills on each child
    order: int  # where it stands in the banner (legal status first)
    rows: Callable[[], QuerySet]  # the open rows; called on each read (dates move on)
    describe: Callable[[Model], str]  # one row as the banner says it
    # An open period of this kind belongs to a CIN episode, which cannot close around it
    # (CIN census 8630-8640: a referral does not close while a plan is open).
    within_referral: bool = False
    label: str = ""  # the kind in a sentence ("child protection plan")


@dataclass(frozen=True)
class RecordLinks:
    """Links to record a stage's work, under the stage's heading on the child's summary."""

    heading: str
    template: str  # rendered with `child` in the context
    order: int
    # The open periods (their names) with which this work fits the child's situation now, so
    # the summary offers it first; NOTHING_OPEN fits a child with nothing open (a new contact).
    fits: tuple[str, ...] = ()


SUMMARY = "summary"  # on a child's summary: the template sees `child`
HOME = "home"  # on My work: the template sees `allocations` (the caseload), child is None


@dataclass(frozen=True)
class Section:
    """A part of a page (a child's summary, My work) that a stage contributes."""

    template: str
    order: int
    # Extra context for the template, from the request and the child; None if it needs none.
    context: Callable[[object, Model], dict] | None = None
    where: str = SUMMARY


@dataclass(frozen=True)
class Tab:
    """A further part of the child's record, reached from its tabs."""

    key: str  # what a page passes as `tab` to mark it selected
    label: str
    url_name: str  # reversed with the child's pk
    order: int


OPEN_PERIODS: dict[str, OpenPeriod] = {}
RECORD_LINKS: dict[str, RecordLinks] = {}
SECTIONS: dict[tuple[str, str], Section] = {}
TABS: dict[str, Tab] = {}


def open_period(name: str, rows: Callable[[], QuerySet], describe: Callable[[Model], str], *,
                order: int, within_referral: bool = False, label: str = "") -> None:
    OPEN_PERIODS[name] = OpenPeriod(name, order, rows, describe, within_referral, label)


NOTHING_OPEN = ""


def record_links(heading: str, template: str, *, order: int,
                 fits: tuple[str, ...] = ()) -> None:
    RECORD_LINKS[template] = RecordLinks(heading, template, order, tuple(fits))


def section(template: str, *, order: int,
            context: Callable[[object, Model], dict] | None = None,
            where: str = SUMMARY) -> None:
    SECTIONS[(where, template)] = Section(template, order, context, where)


def tab(key: str, label: str, url_name: str, *, order: int) -> None:
    TABS[key] = Tab(key, label, url_name, order)


def _sorted(registry: dict) -> list:
    return sorted(registry.values(), key=lambda item: item.order)


def open_periods() -> list[OpenPeriod]:
    return _sorted(OPEN_PERIODS)


def links() -> list[RecordLinks]:
    return _sorted(RECORD_LINKS)


def sections(where: str = SUMMARY) -> list[Section]:
    return [s for s in _sorted(SECTIONS) if s.where == where]


def tabs() -> list[Tab]:
    return _sorted(TABS)


def _child_relation(model) -> str:
    """The name by which a child reaches `model`'s rows (its `child` foreign key's related
    name)."""
    field = model._meta.get_field("child")
    return field.remote_field.related_name or f"{model._meta.model_name}_set"


def prefetches(prefix: str = "") -> list[Prefetch]:
    """One prefetch per kind of open period, for children reached through `prefix`
    ("child__" from an allocation): one query per kind, whatever the number of children."""
    out = []
    for period in open_periods():
        rows = period.rows()
        out.append(Prefetch(prefix + _child_relation(rows.model), rows, to_attr=period.name))
    return out


def describe_open(child) -> list[str]:
    """The child's legal status and open plans, from prefetched rows, in the banner's order."""
    return [period.describe(row) for period in open_periods()
            for row in getattr(child, period.name, [])]


def open_for(children: Iterable[Model]) -> None:
    """Fill each child's open-period attributes (the banner of one child, say)."""
    prefetch_related_objects(list(children), *prefetches())


def links_for(child) -> tuple[list[RecordLinks], list[RecordLinks], list[OpenPeriod]]:
    """The record-work links that fit `child`'s situation now (what is open for them, from the
    prefetched periods: open_for), the others, and the kinds of period open, in order."""
    open_now = [p for p in open_periods() if getattr(child, p.name, None)]
    names = {p.name for p in open_now} or {NOTHING_OPEN}
    fitting = [group for group in links() if names & set(group.fits)]
    return fitting, [group for group in links() if group not in fitting], open_now


def open_within_referral(child) -> list[OpenPeriod]:
    """The kinds of period open for `child` that keep its referral open."""
    return [period for period in open_periods() if period.within_referral
            and period.rows().filter(child=child).exists()]
