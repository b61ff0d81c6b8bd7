"""How gunicorn serves Cairn: `gunicorn -c python:cairn.gunicorn_conf cairn.wsgi`.

Threaded workers (gthread). Cairn's pages spend their time waiting on the database, and a few
requests (a return checked or built on demand) take tens of seconds. A sync worker is killed
when one request outlasts `timeout`, and the user gets a server error; a threaded worker tells
the arbiter it is alive from its own loop, whatever its requests are doing, so `timeout` only
ends a worker that has truly hung, and a slow request finishes. Other requests (and static
files) are served on the worker's other threads meanwhile.

Sized from the environment: CAIRN_WORKERS processes (default: one per core, at least 2) of
CAIRN_THREADS threads (default 4).

Background work (returns built and checked) is done by `cairn db_worker`. Run it as a service of
its own; or, on one machine (the demo), CAIRN_TASK_WORKER=1 has gunicorn start one beside its
workers and stop it when gunicorn stops.
"""

import os
import subprocess
import sys

_cores = os.cpu_count() or 1

worker_class = "gthread"
workers = int(os.environ.get("CAIRN_WORKERS", max(2, _cores)))
threads = int(os.environ.get("CAIRN_THREADS", 4))
# Only a worker whose own loop has stopped answering is ended; requests are not timed.
timeout = int(os.environ.get("CAIRN_WORKER_TIMEOUT", 120))
graceful_timeout = 60
keepalive = 5
control_socket_disable = True


_task_worker: subprocess.Popen | None = None


def when_ready(server):
    global _task_worker
    if os.environ.get("CAIRN_TASK_WORKER") == "1":
        _task_worker = subprocess.Popen([sys.executable, "-m", "cairn", "db_worker",
                                         "--no-reload", "--interval", "1"])
        server.log.info("Background task worker started (pid %s)", _task_worker.pid)


def on_exit(server):
    if _task_worker is not None and _task_worker.poll() is None:
        _task_worker.terminate()  # it finishes the task in hand, then stops
        try:
            _task_worker.wait(timeout=graceful_timeout)
        except subprocess.TimeoutExpired:
            _task_worker.kill()
