"""The `tandem` command: Django's management commands with Tandem's settings.

`tandem demo`, `tandem import-roster PATH`, `tandem migrate`; dashes and underscores are
interchangeable in command names.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    argv[0] = "tandem"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
