"""The `banding` command: every Django management command, plus SiBanding's own.

A command's name may be written with hyphens, as the documentation does (`banding
export-case`, `banding seed-bulk`): it is the command of the same name with underscores."""

import os
import sys


def command_name(name: str) -> str:
    """The management command a name on the command line means: hyphens read as underscores
    (no Django command has a hyphen in its name); options are left as they are."""
    return name if name.startswith("-") else name.replace("-", "_")


def arguments(argv: list[str]) -> list[str]:
    """The arguments for Django with the command's name (and the one `help` asks about) in
    its underscore spelling."""
    argv = list(argv)
    if argv:
        argv[0] = command_name(argv[0])
        if argv[0] == "help" and len(argv) > 1:
            argv[1] = command_name(argv[1])
    return argv


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banding.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["banding", *arguments(sys.argv[1:])])


if __name__ == "__main__":
    main()
