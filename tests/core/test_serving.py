"""How Cairn is served: gunicorn's threaded workers, so a long request is never killed by the
worker timeout (issue 12); and a slow request is one log line naming it."""

import logging
import os
import subprocess
import sys

import pytest
from django.test import override_settings

from cairn.synth.management.commands import demo


def _print_config(**env) -> dict[str, str]:
    out = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--print-config", "--config",
         "python:cairn.gunicorn_conf", "cairn.wsgi:application"],
        env={**os.environ, **env}, capture_output=True, text=True, timeout=120, check=True)
    return {name.strip(): value.strip() for name, _, value in
            (line.partition("=") for line in out.stdout.splitlines()) if value}


def test_gunicorn_serves_with_threads_that_a_long_request_cannot_get_killed_in():
    config = _print_config(CAIRN_WORKERS="3", CAIRN_THREADS="6")
    assert config["worker_class"] == "gthread"
    assert (config["workers"], config["threads"]) == ("3", "6")
    assert int(config["timeout"]) >= 120
    assert config["control_socket_disable"] == "True"


def test_the_demo_serves_with_the_production_config(monkeypatch, tmp_path):
    seen = {}

    def execve(path, argv, env):
        seen["argv"] = argv
        raise OSError("stopped here by the test")

    monkeypatch.setattr(demo.os, "execve", execve)
    with pytest.raises(demo.CommandError):
        demo.Command()._serve(8123, None, "k" * 50)
    argv = seen["argv"]
    assert argv[argv.index("--config") + 1] == "python:cairn.gunicorn_conf"
    assert "--workers" not in argv


@pytest.mark.django_db
def test_a_slow_request_is_one_line_naming_it(client, caplog):
    with override_settings(CAIRN_SLOW_REQUEST_SECONDS=0), caplog.at_level(logging.WARNING,
                                                                           "cairn.slow"):
        client.get("/sign-in/")
    [line] = [r.getMessage() for r in caplog.records if r.name == "cairn.slow"]
    assert line.startswith("slow request: GET /sign-in/ 200 in ")
    assert line.endswith("(signed out)")
    caplog.clear()
    with override_settings(CAIRN_SLOW_REQUEST_SECONDS=3600):
        client.get("/sign-in/")
    assert not [r for r in caplog.records if r.name == "cairn.slow"]
