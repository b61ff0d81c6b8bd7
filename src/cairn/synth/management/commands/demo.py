"""`cairn demo`: build a synthetic authority into the embedded database and serve it."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from cairn.people.models import Child
from cairn.synth.demo import demo_users
from cairn.workforce.models import Role, Staff


class Command(BaseCommand):
    help = ("Migrate the database, build a synthetic local authority, print one sign-in per role "
            "and serve the site with gunicorn (DEBUG off, static files by WhiteNoise).")

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--children", type=int, default=400,
                            help="Children in the synthetic authority (default 400)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--years", type=int, default=3,
                            help="Years of history to generate (default 3)")
        parser.add_argument("--workers", type=int, default=None,
                            help="gunicorn worker processes (default: cairn.gunicorn_conf's)")
        parser.add_argument("--rebuild", action="store_true",
                            help="Start from an empty database even if an authority is built")
        parser.add_argument("--no-serve", action="store_true",
                            help="Prepare the database and print the sign-ins, then stop")

    def handle(self, *args, **options):
        secret_key = self._secret_key()
        if options["rebuild"]:
            self._empty_database()
        self.stdout.write("Migrating the database ...")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        self._build(options)
        self._print_sign_ins(self._demo_users())
        connections.close_all()
        if not options["no_serve"]:
            self._serve(options["port"], options["workers"], secret_key)

    def _secret_key(self) -> str:
        """The environment's SECRET_KEY, else one generated once and kept in var/ (mode 600)."""
        key = os.environ.get("SECRET_KEY")
        if not key:
            path = Path(settings.VAR_DIR) / "secret_key"
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as out:
                    out.write(secrets.token_urlsafe(50))
            key = path.read_text().strip()
        settings.SECRET_KEY = key
        return key

    def _empty_database(self) -> None:
        db = settings.DATABASES["default"]
        if db["ENGINE"] == "django.db.backends.sqlite3":
            connections.close_all()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db['NAME']}{suffix}").unlink(missing_ok=True)
            self.stdout.write("Removed the demo database; building a new one.")
        else:
            self.stdout.write(f"Emptying {db['NAME']} on {db.get('HOST') or 'localhost'} ...")
            call_command("migrate", interactive=False, verbosity=0)
            call_command("flush", interactive=False, verbosity=0)

    def _build(self, options) -> None:
        if Child.objects.exists():
            self.stdout.write(f"The database already holds an authority "
                              f"({Child.objects.count()} children): not rebuilding "
                              "(--rebuild starts again).")
            return
        self.stdout.write(f"Building a synthetic authority: {options['children']} children, "
                          f"{options['years']} years, seed {options['seed']} ...")
        call_command("synth", children=options["children"], seed=options["seed"],
                     years=options["years"])

    def _demo_users(self) -> list[tuple[str, str, str]]:
        """(username, role, password) per demo sign-in, as synth names them; any synth did not
        create (a database built before a new role) is created here."""
        labels = {str(label): value for value, label in Role.choices}
        wanted = [(username, labels.get(str(role), str(role)), password)
                  for username, role, password in demo_users()]
        users = []
        for username, role, password in wanted:
            if not Staff.objects.filter(username=username).exists():
                staff = Staff(username=username, role=role, first_name="Demo",
                              last_name=str(dict(Role.choices).get(role, role)))
                staff.set_password(password)
                staff.save()
            users.append((username, str(dict(Role.choices).get(role, role)), password))
        return users

    def _print_sign_ins(self, users: list[tuple[str, str, str]]) -> None:
        width_user = max(len("Username"), *(len(u) for u, _, _ in users))
        width_role = max(len("Role"), *(len(r) for _, r, _ in users))
        self.stdout.write("\nDemo sign-ins (synthetic data only):\n")
        self.stdout.write(f"  {'Role':<{width_role}}  {'Username':<{width_user}}  Password")
        for username, role, password in users:
            self.stdout.write(f"  {role:<{width_role}}  {username:<{width_user}}  {password}")
        self.stdout.write("")

    def _serve(self, port: int, workers: int | None, secret_key: str) -> None:
        # Plain http on 127.0.0.1: no HTTPS redirect, secure-only cookies or HSTS (settings.py).
        env = {**os.environ, "SECRET_KEY": secret_key, "CAIRN_DEBUG": "0", "CAIRN_PLAIN_HTTP": "1",
               "DJANGO_SETTINGS_MODULE": "cairn.settings",
               "CAIRN_VAR_DIR": str(settings.VAR_DIR),
               # gunicorn starts the background worker (returns built and checked) and stops it.
               "CAIRN_TASK_WORKER": "1"}
        env.pop("CAIRN_STATIC_STORAGE", None)  # the demo serves collectstatic's hashed files
        # Served as production is: the worker model and its sizing are cairn.gunicorn_conf's.
        argv = [sys.executable, "-m", "gunicorn", "cairn.wsgi:application",
                "--config", "python:cairn.gunicorn_conf", "--bind", f"127.0.0.1:{port}"]
        if workers:
            argv += ["--workers", str(workers)]
        self.stdout.write(self.style.SUCCESS(
            f"Cairn is at http://127.0.0.1:{port}/  (Ctrl-C stops it)"))
        sys.stdout.flush()
        try:
            os.execve(sys.executable, argv, env)  # gunicorn takes this process: Ctrl-C reaches it
        except OSError as error:
            raise CommandError(f"Could not start gunicorn: {error}") from error
