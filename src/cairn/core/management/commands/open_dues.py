"""`cairn open_dues --rebuild | --check`: the open items kept for pages that cover many
children (core.open_dues), built afresh or compared with the timescale engine."""

from django.core.management.base import BaseCommand, CommandError

from cairn.core import open_dues


class Command(BaseCommand):
    help = "Build every child's open items afresh (--rebuild), or compare them with the engine."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true")
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, rebuild=False, check=False, **options):
        if not (rebuild or check):
            raise CommandError("Say --rebuild, --check or both.")
        if rebuild:
            children = open_dues.rebuild()
            self.stdout.write(f"Open items built for {children} children.")
        if check:
            problems = open_dues.check()
            for problem in problems:
                self.stdout.write(problem)
            if problems:
                raise CommandError(f"{len(problems)} differences from the timescale engine.")
            self.stdout.write("Every child's open items agree with the timescale engine.")
