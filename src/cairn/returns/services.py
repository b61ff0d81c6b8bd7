"""Returns asked for by an analyst: the request is kept and its background task queued in one
transaction, so a job is never queued without its row, nor kept without its task. What the
worker then does is returns/jobs.py.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from cairn.core import audit

from . import tasks, validators
from .models import ReturnJob


@transaction.atomic
def request_job(by, *, what: str, kind: str, year: int, as_of: date | None = None) -> ReturnJob:
    if what == ReturnJob.What.CHECK and not validators.available():
        raise validators.ValidatorsUnavailable(
            validators.NOT_SET_UP, f"no validators' Python at {validators.validators_python()}")
    job = ReturnJob.objects.create(what=what, kind=kind, year=year, as_of=as_of,
                                   requested_by=by, step="Waiting for the background worker")
    audit.record(by, f"returns.{what}.requested", job)
    tasks.run_return_job.enqueue(job.pk)
    return job
