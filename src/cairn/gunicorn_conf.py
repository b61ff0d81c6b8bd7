"""How gunicorn serves Cairn: `gunicorn -c python:cairn.gunicorn_conf cairn.wsgi`.

Threaded workers (gthread). Cairn's pages spend their time waiting on the database, and a few
requests (a return checked or built on demand) take tens of seconds. A sync worker is killed
when one request outlasts `timeout`, and the user gets a server error; a threaded worker tells
the arbiter it is alive from its own loop, whatever its requests are doing, so `timeout` only
ends a worker that has truly hung, and a slow request finishes. Other requests (and static
files) are served on the worker's other threads meanwhile.

Sized from the environment: CAIRN_WORKERS processes (default: one per core, at least 2) of
CAIRN_THREADS threads (default 4).
"""

import os

_cores = os.cpu_count() or 1

worker_class = "gthread"
workers = int(os.environ.get("CAIRN_WORKERS", max(2, _cores)))
threads = int(os.environ.get("CAIRN_THREADS", 4))
# Only a worker whose own loop has stopped answering is ended; requests are not timed.
timeout = int(os.environ.get("CAIRN_WORKER_TIMEOUT", 120))
graceful_timeout = 60
keepalive = 5
control_socket_disable = True
