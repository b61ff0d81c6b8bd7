"""The same seed builds the same authority in any process: two builds, each in a process of its
own under a different PYTHONHASHSEED, into two copies of the migrated test database, give the
same rows in every table of the cairn apps and auth (keys and timestamps included) and the same
statutory returns byte for byte, but for the time each file was made.

Builds in one process cannot show this: a hash that differs between processes (str under hash
randomisation; None, which Python 3.11 hashes by address) is the same for both of them. That is
how tests/synth/test_synth.py's rolled-back rebuild missed the visits that differed between two
runs of `cairn synth`.
"""

import sqlite3
import time
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection

from . import twice

pytestmark = pytest.mark.django_db(transaction=True)

CHILDREN = 200  # with seed 7, enough for proceedings, care and leaving care to appear
SEED = 7
AS_OF = "2026-11-20"


def copies_of_the_test_database(tmp_path, n: int) -> list[str]:
    """DATABASE_URLs of `n` copies of the test database as it stands: migrated, and empty but
    for what migrations load. SQLite's is in memory, so it is backed up to files; PostgreSQL
    copies it as a template, which wants no session connected to it meanwhile."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        urls = []
        for k in range(1, n + 1):
            path = tmp_path / f"copy{k}.sqlite3"
            target = sqlite3.connect(path)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
            urls.append(f"sqlite:///{path}")
        return urls
    connection.close()
    names = [f"{settings['NAME']}_twice{k}" for k in range(1, n + 1)]
    with _server(settings) as server:
        for name in names:
            server.execute(f'DROP DATABASE IF EXISTS "{name}"')
            for attempt in range(60):
                try:
                    server.execute(f'CREATE DATABASE "{name}" TEMPLATE "{settings["NAME"]}"')
                    break
                except psycopg.errors.ObjectInUse:
                    # A connection an earlier test left open (this test closed its own): it
                    # usually goes within moments; one still idle after a second was leaked by
                    # a finished test's thread and is ended, as the copy needs the database alone.
                    # The server's own workers (autovacuum) are not ours to end: they finish
                    # by themselves, so they are waited for.
                    if attempt == 59:
                        raise
                    if attempt >= 2:
                        server.execute(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = %s AND pid <> pg_backend_pid() "
                            "AND backend_type = 'client backend' AND usename = current_user",
                            [settings["NAME"]])
                    time.sleep(0.5)
    login = f"{quote(str(settings['USER']))}:{quote(str(settings['PASSWORD']))}"
    return [f"postgres://{login}@{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/"
            f"{name}" for name in names]


def drop_copies(urls: list[str]) -> None:
    if connection.vendor != "postgresql":
        return  # files under tmp_path
    with _server(connection.settings_dict) as server:
        for url in urls:
            server.execute(f'DROP DATABASE IF EXISTS "{url.rpartition("/")[2]}"')


def _server(settings):
    return psycopg.connect(dbname="postgres", user=settings["USER"],
                           password=settings["PASSWORD"], host=settings["HOST"] or None,
                           port=settings["PORT"] or None, autocommit=True)


def test_two_processes_build_the_same_authority_and_the_same_returns(tmp_path):
    urls = copies_of_the_test_database(tmp_path, 2)
    try:
        twice.run_builds([(tmp_path / f"build{n}", url, str(n)) for n, url in enumerate(urls, 1)],
                         children=CHILDREN, seed=SEED, years=5, as_of=AS_OF)
    finally:
        drop_copies(urls)
    first, second = tmp_path / "build1", tmp_path / "build2"

    tables = twice.compare_tables(first, second)
    rows = {label: n for label, n, *_ in tables}
    # Every table of every cairn app and of auth, many-to-many ones too, was compared.
    assert rows.keys() == {model._meta.label for model in twice.models()}
    assert "workforce.Staff_groups" in rows and "auth.Permission" in rows
    # Among them those that differed before: the visits and whatever drew after them.
    assert all(rows[label] > 0 for label in (
        "protection.Visit", "care.StatutoryVisit", "care.CLAReview", "legal.Hearing",
        "fostering.SupervisingVisit", "leaving_care.PersonalAdviserContact", "workforce.Staff",
        "access.AccessGrant", "core.AuditEvent"))
    assert [(label, why) for label, _, _, same, why in tables if not same] == []

    files = twice.compare_returns(first, second)
    names = {name for name, *_ in files}
    assert {"cin-2025.xml", "cin-2026.xml", "cin-2027.xml", "ssda903-2026/episodes.csv",
            "ssda903-2026/reviews.csv", "ssda903-2026/sw_episodes.csv", "annex-a.xlsx"} <= names
    assert [(name, how) for name, same, how in files if not same] == []
