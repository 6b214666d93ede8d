"""The `banding` command: every Django management command, plus SiBanding's own."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banding.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["banding", *sys.argv[1:]])


if __name__ == "__main__":
    main()
