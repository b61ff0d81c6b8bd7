"""The `cairn` command: Django's management commands under Cairn's name.

`cairn demo`, `cairn synth`, `cairn returns ...` and `cairn import ...` are management commands
of the apps; everything else Django offers (`cairn migrate`, `cairn createsuperuser`) works too.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cairn", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
