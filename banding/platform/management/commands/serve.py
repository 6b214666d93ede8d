"""`banding serve`: the production server (gunicorn), WhiteNoise serving the static files."""

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


def gunicorn_command(*, host: str, port: int, workers: int) -> list[str]:
    """The gunicorn command line, using the gunicorn installed beside this Python."""
    beside = Path(sys.executable).with_name("gunicorn")
    program = [str(beside)] if beside.exists() else None
    if program is None:
        found = shutil.which("gunicorn")
        program = [found] if found else [sys.executable, "-m", "gunicorn"]
    return [
        *program,
        "banding.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--chdir",
        str(settings.BASE_DIR),
        "--access-logfile",
        "-",
    ]


def check_address(*, port: int, workers: int) -> None:
    if not 0 < port < 65536:
        raise CommandError(f"Port {port} tidak sah; gunakan 1-65535.")
    if workers < 1:
        raise CommandError("Jumlah pekerja sedikitnya 1.")


def serve(*, host: str, port: int, workers: int) -> None:
    """Replace this process with gunicorn; it never returns."""
    check_address(port=port, workers=workers)
    # WhiteNoise warns when STATIC_ROOT is missing; static files come from the apps
    # (WHITENOISE_USE_FINDERS), so an empty directory is all it needs.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    command = gunicorn_command(host=host, port=port, workers=workers)
    # The workers find the settings the way this process did.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banding.settings")
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(command[0], command)


class Command(BaseCommand):
    help = "Menjalankan server produksi (gunicorn) di host:port."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="alamat (bawaan 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port (bawaan 8000)")
        parser.add_argument(
            "--workers", type=int, default=2, help="jumlah proses pekerja gunicorn (bawaan 2)"
        )

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        self.stdout.write(f"Melayani http://{host}:{port}/ dengan gunicorn ({workers} pekerja).")
        self.stdout.flush()
        serve(host=host, port=port, workers=workers)
