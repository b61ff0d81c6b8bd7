"""Background tasks of the core app, run by `cairn db_worker`."""

from django_tasks import task

from . import open_dues


@task()
def rebuild_open_dues() -> None:
    """Every child's open items under the rules now in force (after a rule was changed)."""
    open_dues.rebuild()
