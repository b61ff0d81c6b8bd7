"""Whether the record has changed since a figure was computed: one mark for the whole record.

Figures over a whole service or authority (insight.dashboard) read every child's facts and
grow with the authority; they are kept against this mark and computed again once it moves, so
a figure is never stale after a fact is recorded, and costs nothing to show again until then.

The mark moves on every committed write to any table but those that record no fact (sessions,
the audit trail of views, drafts, sign-in attempts, the task queue): every INSERT, UPDATE and
DELETE the application sends passes through a wrapper on the connection, whatever sent it
(a service, a bulk import, raw SQL), so no path of writing can forget to move it. In a
transaction the mark moves once the transaction commits; until then, the writing connection
is told there is no mark (mark() returns None), so it never reads a figure kept from before
its own writes.
"""

from __future__ import annotations

import hashlib
import re
import uuid

from django.core.cache import caches
from django.db import connection as default_connection
from django.db import transaction
from django.utils import timezone

from .models import RecordChanged

TABLE = RecordChanged._meta.db_table

# Writes to these record no fact: a page viewed (sessions, the audit of views and refusals),
# a draft, a form's one-time key, a sign-in attempt, background work's own rows. A change's
# audit event always comes with the change itself, which moves the mark.
IGNORED = ("core_recordchanged", "core_auditevent", "core_draft", "core_submissionkey",
           "django_session", "django_admin_log", "axes_", "django_tasks_")

_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"([^"]+)"', re.IGNORECASE)


def _moves_mark(sql: str) -> bool:
    found = _WRITE.match(sql)
    return bool(found) and not found.group(1).startswith(IGNORED)


def _move(connection) -> None:
    # One statement, the row made if missing (a database never marked, or emptied by a test),
    # so two processes moving the mark at once cannot collide.
    with connection.cursor() as cursor:
        cursor.execute(f'INSERT INTO "{TABLE}" (id, token, at) VALUES (1, %s, %s) '
                       "ON CONFLICT (id) DO UPDATE SET token = excluded.token, at = excluded.at",
                       [uuid.uuid4().hex, timezone.now()])


def _pending(connection) -> bool:
    """Whether this connection's transaction has written something not yet committed."""
    return any(getattr(func, "cairn_mark", False) for _, func, _ in connection.run_on_commit)


def _after_commit(connection):
    def move():
        _move(connection)
    move.cairn_mark = True
    return move


# While migrations run the mark's table may not exist yet; nothing is kept from before anyway.
_migrating = False


def migrating(sender=None, **kwargs) -> None:
    global _migrating
    _migrating = True


def migrated(sender=None, **kwargs) -> None:
    global _migrating
    _migrating = False


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if not _migrating and isinstance(sql, str) and _moves_mark(sql):
        connection = context["connection"]
        if not connection.in_atomic_block:
            _move(connection)
        elif not _pending(connection):
            transaction.on_commit(_after_commit(connection), using=connection.alias)
    return result


def watch(sender, connection, **kwargs) -> None:
    """Install the wrapper on a new database connection (once per connection wrapper)."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def mark(connection) -> str | None:
    """The record's mark now, or None where a kept figure must not be read: this connection
    has uncommitted writes of its own, or nothing has been marked yet."""
    if connection.in_atomic_block and _pending(connection):
        return None
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT token FROM "{TABLE}" WHERE id = 1')
        row = cursor.fetchone()
    return row[0] if row else None


_MISSING = object()


def kept(what: tuple, compute):
    """`compute()`'s answer as computed since the record last changed (kept in this process's
    "figures" cache), computing it now if it was not. `what` names the answer: everything it
    depends on but the record itself (the statement and its parameters; the day; the viewer).
    Computed and not kept where this connection has writes of its own not yet committed."""
    record_mark = mark(default_connection)
    if record_mark is None:
        return compute()
    text = repr((what, record_mark))
    key = "kept:" + hashlib.sha256(text.encode()).hexdigest()
    store = caches["figures"]
    answer = store.get(key, _MISSING)
    if answer is _MISSING:
        answer = compute()
        store.set(key, answer)
    return answer
