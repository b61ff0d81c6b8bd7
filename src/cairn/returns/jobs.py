"""What the background worker does for a return an analyst asked for (returns/tasks.py).

Each step is saved as it starts, not in one transaction, so that the analyst's page can say how
far it has got while the work goes on.
"""

from __future__ import annotations

import io
import logging
import tempfile
import zipfile
from datetime import date
from pathlib import Path

from django.utils import timezone

from cairn.core.errors import RecordError

from . import annex_a, cin, ssda903, validators
from .models import ReturnJob, ReturnKind

log = logging.getLogger(__name__)

COULD_NOT_FINISH = ("Cairn could not finish this. The error has been logged for the system "
                    "administrator; try again, and tell them if it happens again.")


def _save(job: ReturnJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=list(fields))


def run_job(job_id: int) -> ReturnJob:
    """Do what the job asks, saving each step as it starts (not in one transaction: the
    analyst's page reads the steps while the work goes on)."""
    job = ReturnJob.objects.select_related("requested_by").get(pk=job_id)
    if job.finished:
        return job  # a task run twice does the work once
    _save(job, status=ReturnJob.Status.RUNNING, started_at=timezone.now())
    try:
        if job.what == ReturnJob.What.CHECK:
            result = validators.validate(job.kind, year=job.year, as_of=job.as_of,
                                         by=job.requested_by,
                                         progress=lambda step: _save(job, step=step))
            _save(job, run=result.run)
        else:
            _save(job, step=f"Building the {job.get_kind_display()} from the record")
            body, name, mime = build_file(job.kind, job.year, job.as_of)
            _save(job, file_body=body, file_name=name, file_type=mime)
    except RecordError as error:
        if detail := getattr(error, "detail", ""):
            log.warning("return job %s: %s", job.pk, detail)  # for the administrator
        _save(job, status=ReturnJob.Status.FAILED, error=error.message,
              finished_at=timezone.now())
    except Exception:
        log.exception("return job %s failed", job.pk)
        _save(job, status=ReturnJob.Status.FAILED, error=COULD_NOT_FINISH,
              finished_at=timezone.now())
    else:
        _save(job, status=ReturnJob.Status.DONE, step="", finished_at=timezone.now())
    return job


def build_file(kind: str, year: int, as_of: date | None) -> tuple[bytes, str, str]:
    """The return's file: the census XML, the 903 tables as one zip, Annex A's workbook."""
    if kind == ReturnKind.CIN:
        return cin.to_bytes(cin.build(year)), f"cin-{year}.xml", "application/xml"
    if kind == ReturnKind.SSDA903:
        buffer = io.BytesIO()
        with tempfile.TemporaryDirectory() as tmp:
            ssda903.write(ssda903.build(year), year, Path(tmp))
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
                for path in sorted(Path(tmp).iterdir()):
                    z.write(path, path.name)
        return buffer.getvalue(), f"ssda903-{year}.zip", "application/zip"
    as_of = as_of or date(year, 3, 31)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "annex-a.xlsx"
        annex_a.write(annex_a.build(as_of), path)
        body = path.read_bytes()
    return (body, f"annex-a-{as_of.isoformat()}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
