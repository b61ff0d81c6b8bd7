"""Logging: a refused request is one line, not a traceback.

Django logs a 403 (PermissionDenied) and a bad request with the exception's traceback, and a
refused host (django.security.DisallowedHost) likewise. Cairn refuses many requests on purpose
(the access policy answers 404 or 403), so each is one line saying the path and who asked; only
server errors (5xx) keep their traceback. Who asked is a staff id, never a name.
"""

from __future__ import annotations

import logging


def _who(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user {user.pk}"
    return "signed out"


class RefusalsOnOneLine(logging.Filter):
    """Drop the traceback from a 4xx response's log record and name the user by id."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is None or not 400 <= status < 500 or getattr(record, "_cairn_one_line", False):
            return True
        request = getattr(record, "request", None)
        path = getattr(request, "path", "")
        message = record.getMessage()
        if path and path not in message:
            message = f"{message}: {path}"
        record.msg = f"{message} ({_who(request)})"
        record.args = ()
        record.exc_info = None
        record.exc_text = None
        record._cairn_one_line = True
        return True
