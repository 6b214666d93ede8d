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


# The commands that serve the site or send its mail: they refuse to start without the
# production settings (banding/settings.py, docs/operator.md "Produksi").
SERVING_COMMANDS = {"serve", "worker"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banding.settings")
    argv = arguments(sys.argv[1:])
    command = argv[0] if argv else ""
    if command == "demo":
        # A demo on this computer: the development key and plain HTTP, for it, its server and
        # its worker (they inherit this environment).
        os.environ.setdefault("BANDING_DEVELOPMENT", "true")
    elif command in SERVING_COMMANDS:
        os.environ["BANDING_SERVING"] = "true"
        refuse_unless_configured()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["banding", *argv])


def refuse_unless_configured() -> None:
    """Read the settings now, so that what production lacks is said in a few lines rather
    than a traceback."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 - reading it loads the settings
    except ImproperlyConfigured as error:
        sys.exit(f"banding: {error}")


if __name__ == "__main__":
    main()
