"""What is still to do for many children at once, read in SQL from rows the engine keeps.

The timescale engine (core.timescales) walks each child's chains from their facts. A page about
one child asks it directly; a page about a team, a service or the authority would walk hundreds
or thousands of children's chains on every load, and cost more as the authority grows. Those
pages read OpenDue instead: each child's open items as the engine computed them, refreshed by
the engine in the same transaction as any fact about the child is saved, so the rows are never a
copy that drifts:

- `refresh(child_ids)` replaces the children's rows with what the engine says now. Every save
  or deletion of a row that is a fact (core.facts.REGISTRY), and every audited change to a
  child's record, calls it for that child, under a lock on the child (PostgreSQL), so two people
  recording on one child at once cannot leave rows that miss either's fact.
- The open items the engine reports do not depend on the day, except that an age rule applies
  only from the birthday (kept as `applies_from`) and whether an item is overdue (worked out
  when read). So the rows stay right as days pass, with no nightly job.
- Rows carry the version of the rules they were computed under. `rebuild()` computes every
  child's (after `cairn migrate` and `cairn synth`, and when a rule is changed: at once in a
  small authority, as background work in a large one); until it has finished for the rules in
  force, `open_items` asks the engine.
- `check()` compares every child's rows with the engine (`cairn open_dues --check`).
"""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import date, datetime
from typing import Iterable

from django.db import connection, models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from . import facts, names, timescales
from .models import AuditEvent, OpenDue, OpenDueState, TimescaleRule

# The engine asked about a day far enough ahead that every clock not met or stopped is open
# (its status is then "overdue"; the real status is worked out on the day it is read).
_FAR = date(9999, 1, 1)
BATCH = 2000  # children refreshed in one go by rebuild()


def rules_version(rules: Iterable[TimescaleRule]) -> str:
    """A fingerprint of the rules in force: rows computed under other rules are not read."""
    fields = [f.attname for f in TimescaleRule._meta.concrete_fields if f.attname != "id"]
    text = json.dumps([[str(getattr(r, f)) for f in fields]
                       for r in sorted(rules, key=lambda r: r.code)])
    return hashlib.sha256(text.encode()).hexdigest()


def _lock(child_ids: list[int]) -> None:
    """Hold each child until the transaction ends (PostgreSQL; SQLite writes one at a time)."""
    if connection.vendor == "postgresql" and child_ids and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, id) FROM unnest(%s::int[]) AS id "
                           "ORDER BY id", [_LOCK_SPACE, sorted(child_ids)])


_LOCK_SPACE = 0x0D0E  # the first key of Cairn's advisory locks on children's due rows


def _applies_from(item: timescales.Due, births: dict[int, date]) -> date | None:
    rule = item.rule
    if rule.min_age is None or item.child_id not in births:
        return None
    begins = timescales._birthday(births[item.child_id], rule.min_age)
    return begins if item.clock_from == begins else None


def _computed(child_ids: list[int], rules: list[TimescaleRule], version: str) -> list[OpenDue]:
    items = [d for d in timescales.evaluate(child_ids, today=_FAR, rules=rules) if d.is_open]
    births = (timescales._births(child_ids)
              if any(r.min_age is not None for r in rules) else {})
    return [OpenDue(child_id=d.child_id, rule_code=d.rule.code, sequence=d.sequence,
                    clock_from=d.clock_from, due_on=d.due_on, due_at=d.due_at,
                    applies_from=_applies_from(d, births), limit=d.limit, unit=d.unit,
                    rules_version=version) for d in items]


@transaction.atomic
def refresh(child_ids: Iterable[int]) -> None:
    """Replace these children's rows with what the engine says now."""
    ids = sorted({int(c) for c in child_ids if c is not None})
    if not ids:
        return
    _lock(ids)
    rules = timescales.active_rules()
    OpenDue.objects.filter(child_id__in=ids).delete()
    OpenDue.objects.bulk_create(_computed(ids, rules, rules_version(rules)))


def _all_children() -> list[int]:
    born = facts.REGISTRY[names.BORN]
    return sorted(set(facts._queryset(born).values_list(born.child, flat=True)))


def rebuild(progress=None) -> int:
    """Every child's rows under the rules in force, in batches; then the children whose facts
    changed while it ran, again, so none is left as the batch read it. Returns the children."""
    started = timezone.now()
    rules = timescales.active_rules()
    version = rules_version(rules)
    children = _all_children()
    for i in range(0, len(children), BATCH):
        batch = children[i:i + BATCH]
        with transaction.atomic():
            OpenDue.objects.filter(child_id__in=batch).delete()
            OpenDue.objects.bulk_create(_computed(batch, rules, version), batch_size=5000)
        if progress:
            progress(min(i + BATCH, len(children)), len(children))
    with transaction.atomic():
        OpenDue.objects.exclude(rules_version=version).delete()
        OpenDueState.objects.all().delete()
        OpenDueState.objects.create(rules_version=version, built_at=timezone.now())
    changed = (AuditEvent.objects.filter(at__gte=started, child_id__isnull=False)
               .exclude(kind__in=[AuditEvent.Kind.VIEWED, AuditEvent.Kind.DENIED])
               .values_list("child_id", flat=True).distinct())
    refresh(list(changed))
    return len(children)


def _ready(version: str) -> bool:
    _flush()  # every read asks this first: the rows then hold this thread's saves
    return OpenDueState.objects.filter(rules_version=version).exists()


def _status(row: OpenDue, today: date, now: datetime | None) -> str:
    return timescales._status(row.due_on, row.due_at, None, False, today, now)


def open_items(child_ids, *, today: date | None = None, now: datetime | None = None,
               responsible: str | None = None,
               rules: list[TimescaleRule] | None = None) -> list[timescales.Due]:
    """As timescales.open_items, for many children: `child_ids` a list or a query of ids
    (values_list flat), which the database joins rather than Python; `rules` (those in force
    by default) narrows the items to those rules'."""
    if now is None and today is None:
        now = timezone.now()
    today = today or timezone.localdate(now)
    in_force = timescales.active_rules()
    version = rules_version(in_force)
    wanted = [r for r in (in_force if rules is None else rules)
              if responsible is None or r.responsible == responsible]
    if not _ready(version):
        items = timescales.evaluate(list(child_ids), today=today, now=now, rules=wanted)
        return sorted((d for d in items if d.is_open),
                      key=lambda d: (d.due_on, d.rule.code, d.child_id))
    by_code = {r.code: r for r in wanted}
    rows = (OpenDue.objects.filter(rules_version=version, child_id__in=child_ids,
                                   rule_code__in=list(by_code))
            .filter(Q(applies_from__isnull=True) | Q(applies_from__lte=today)))
    out = [timescales.Due(by_code[r.rule_code], r.child_id, r.sequence, r.clock_from, r.due_on,
                          None, _status(r, today, now), r.limit, r.unit, r.due_at)
           for r in rows]
    return sorted(out, key=lambda d: (d.due_on, d.rule.code, d.child_id))


def overdue(child_ids, *, today: date | None = None, now: datetime | None = None
            ) -> models.QuerySet | None:
    """The overdue rows of these children (every child's, given None: for a query that ties
    the rows to its own children), as a query to count or group in SQL (None when the rows
    are not built for the rules in force: ask open_items instead). As the engine judges:
    given `now`, a clock-hour item is overdue from its hour; given only the day, from the day
    after it fell due."""
    if today is None:
        today = timezone.localdate(now)
    version = rules_version(timescales.active_rules())
    if not _ready(version):
        return None
    late = (Q(due_at__isnull=False, due_at__lt=now) | Q(due_at__isnull=True, due_on__lt=today)
            if now is not None else Q(due_on__lt=today))
    rows = OpenDue.objects.filter(rules_version=version)
    if child_ids is not None:
        rows = rows.filter(child_id__in=child_ids)
    return (rows.filter(Q(applies_from__isnull=True) | Q(applies_from__lte=today)).filter(late))


def check(progress=None) -> list[str]:
    """Every child whose rows differ from the engine's open items today, in words."""
    rules = timescales.active_rules()
    version = rules_version(rules)
    if not _ready(version):
        return ["The rows are not built for the rules in force: run `cairn open_dues "
                "--rebuild`."]
    today, now = timezone.localdate(), timezone.now()
    problems = []
    children = _all_children()
    for i in range(0, len(children), BATCH):
        batch = children[i:i + BATCH]
        engine = {_key(d) for d in timescales.open_items(batch, today=today, now=now)}
        kept = {_key(d) for d in open_items(batch, today=today, now=now)}
        for item in sorted(engine - kept):
            problems.append(f"child {item[0]}: {item[1]} due {item[3]} is missing")
        for item in sorted(kept - engine):
            problems.append(f"child {item[0]}: {item[1]} due {item[3]} is not due")
        if progress:
            progress(min(i + BATCH, len(children)), len(children))
    return problems


def _key(d: timescales.Due) -> tuple:
    return (d.child_id, d.rule.code, d.sequence, d.due_on, d.due_at, d.status, d.limit, d.unit)


# Keeping the rows in step with the facts ---------------------------------------------------

def _child_of(instance, lookup: str) -> int | None:
    value = instance
    for hop in lookup.split("__"):
        value = getattr(value, hop, None)
        if value is None:
            return None
    return value


def _fact_lookups() -> dict[type, set[str]]:
    lookups: dict[type, set[str]] = {}
    for fact in facts.REGISTRY.values():
        lookups.setdefault(fact.model, set()).add(fact.child)
    return lookups


# Children whose facts were saved in the transaction under way, refreshed once: by the audit
# event a service records last (a service saves a fact, then audits it: two refreshes were
# one too many), by the next read of the rows in this thread, or after the commit.
_pending = threading.local()


def _pending_ids() -> set[int]:
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    return _pending.ids


def _flush(also: Iterable[int] = ()) -> None:
    ids = _pending_ids() | set(also)
    _pending.ids = set()
    if ids:
        refresh(ids)


def _on_fact_saved(sender, instance, **kwargs) -> None:
    lookups = _fact_lookups().get(sender)
    if not lookups or kwargs.get("raw"):
        return
    ids = {_child_of(instance, lookup) for lookup in lookups} - {None}
    if not transaction.get_connection().in_atomic_block:
        refresh(ids)
        return
    pending = _pending_ids()
    if ids - pending:
        pending |= ids
        transaction.on_commit(_flush)  # for a save no audit event follows


def _on_audited(event: AuditEvent) -> None:
    if event.child_id and event.kind not in (AuditEvent.Kind.VIEWED, AuditEvent.Kind.DENIED):
        _flush([event.child_id])


def _on_audit_saved(sender, instance, created, **kwargs) -> None:
    if created:
        _on_audited(instance)


# Up to this many children, a rule changed has every child's rows built again at once, in the
# same transaction; beyond, by the background worker once the change is committed.
REBUILD_AT_ONCE = 2000


def _on_rule_saved(sender, instance, **kwargs) -> None:
    """A rule changed: every child's rows are built again. Until that is done, pages ask the
    engine (the rows are of another version of the rules), so nothing is read stale."""
    from .tasks import rebuild_open_dues  # the task module imports this one

    born = facts.REGISTRY.get(names.BORN)
    if born is None or facts._queryset(born)[:REBUILD_AT_ONCE + 1].count() <= REBUILD_AT_ONCE:
        rebuild()
    else:
        transaction.on_commit(rebuild_open_dues.enqueue)


def after_migrate(**kwargs) -> None:
    """A migration may have added or changed rules: build the rows for the rules now in force
    (at once on a new database; on a large one this is part of the deployment's migrate)."""
    if not _ready(rules_version(timescales.active_rules())):
        rebuild()


def connect() -> None:
    """Keep the rows in step: called once, when the apps are ready."""
    post_save.connect(_on_fact_saved, dispatch_uid="cairn.core.open_dues.saved")
    post_delete.connect(_on_fact_saved, dispatch_uid="cairn.core.open_dues.deleted")
    post_save.connect(_on_audit_saved, sender=AuditEvent,
                      dispatch_uid="cairn.core.open_dues.audited")
    post_save.connect(_on_rule_saved, sender=TimescaleRule,
                      dispatch_uid="cairn.core.open_dues.rule_saved")
    post_delete.connect(_on_rule_saved, sender=TimescaleRule,
                        dispatch_uid="cairn.core.open_dues.rule_deleted")
