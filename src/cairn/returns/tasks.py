"""Background tasks of the returns app, run by `cairn db_worker` (django-tasks' database
backend: the queue is a table in Cairn's own database, so no other server is needed)."""

from django_tasks import task

from . import jobs


@task()
def run_return_job(job_id: int) -> None:
    jobs.run_job(job_id)
