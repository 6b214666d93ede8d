"""`banding serve`: the production server (gunicorn), WhiteNoise serving the static files.

gunicorn runs threaded workers (`gthread`): a connection that sends nothing (a browser's
pre-opened or kept-alive socket) waits in the worker's poller, not in a thread, so idle
connections cannot stall the server as they stall synchronous workers (docs/deploy.md).
"""

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from banding.platform import address
from banding.platform.checks import mismatches

# Threads per worker; workers default to the machine's processors, at most MAX_WORKERS.
THREADS = 8
MAX_WORKERS = 4
# Seconds: a worker whose main loop is silent this long is restarted (its threads' requests
# do not count: the loop answers the arbiter between them); a kept-alive connection is closed
# after this long without a request.
TIMEOUT = 60
KEEP_ALIVE = 5


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def gunicorn_command(*, host: str, port: int, workers: int, threads: int = THREADS) -> list[str]:
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
        f"{address.url_host(host)}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--timeout",
        str(TIMEOUT),
        "--keep-alive",
        str(KEEP_ALIVE),
        "--chdir",
        str(settings.BASE_DIR),
        "--access-logfile",
        "-",
    ]


def check_address(*, port: int, workers: int, threads: int = THREADS) -> None:
    if not 0 < port < 65536:
        raise CommandError(f"Port {port} tidak sah; gunakan 1-65535.")
    if workers < 1:
        raise CommandError("Jumlah pekerja sedikitnya 1.")
    if threads < 1:
        raise CommandError("Jumlah utas sedikitnya 1.")


def prepare(host: str, port: int) -> tuple[dict[str, str], address.PublicUrl]:
    """The environment the server and the background worker run with: the public URL from
    --host/--port unless BANDING_PUBLIC_URL is set (address.applied gives it to this
    process)."""
    env, public = address.server_environment(host, port, os.environ, list(settings.ALLOWED_HOSTS))
    # The workers find the settings the way this process did.
    env.setdefault("DJANGO_SETTINGS_MODULE", "banding.settings")
    return env, public


def describe(public: address.PublicUrl, host: str, port: int) -> str:
    """Where the links lead, and why they may not reach this server (banding check says so
    too while it runs)."""
    source = "BANDING_PUBLIC_URL" if public.from_environment else "--host/--port"
    lines = [f"Tautan di surel dan kode QR surat: {public.url} (dari {source})."]
    if public.hint:
        lines.append(public.hint)
    for warning in mismatches(public.url, host, port):
        lines.append(f"Peringatan: {warning.msg} {warning.hint}")
    return "\n".join(lines)


def serve(
    *, host: str, port: int, workers: int, threads: int = THREADS, env: Mapping[str, str]
) -> None:
    """Replace this process with gunicorn, run with `env`; it never returns."""
    check_address(port=port, workers=workers, threads=threads)
    # WhiteNoise warns when STATIC_ROOT is missing; static files come from the apps
    # (WHITENOISE_USE_FINDERS), so an empty directory is all it needs.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    command = gunicorn_command(host=host, port=port, workers=workers, threads=threads)
    # gunicorn's master keeps this process's id: `banding check` finds it while it runs.
    address.record(host=host, port=port, public_url=env["BANDING_PUBLIC_URL"])
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(command[0], command, dict(env))


def add_server_arguments(parser: CommandParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="alamat (bawaan 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (bawaan 8000)")
    parser.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help=f"jumlah proses pekerja gunicorn (bawaan: jumlah prosesor, paling banyak "
        f"{MAX_WORKERS}; di sini {default_workers()})",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=THREADS,
        help=f"utas per pekerja (bawaan {THREADS})",
    )


class Command(BaseCommand):
    help = (
        "Menjalankan server produksi (gunicorn, pekerja berutas) di host:port. Tautan di surel "
        "dan kode QR memakai BANDING_PUBLIC_URL, atau alamat dari --host/--port bila tidak "
        "diatur."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_server_arguments(parser)

    def handle(
        self, *args: Any, host: str, port: int, workers: int, threads: int, **options: Any
    ) -> None:
        check_address(port=port, workers=workers, threads=threads)
        env, public = prepare(host, port)
        self.stdout.write(
            f"Melayani http://{address.url_host(host)}:{port}/ dengan gunicorn "
            f"({workers} pekerja x {threads} utas)."
        )
        self.stdout.write(describe(public, host, port))
        self.stdout.flush()
        with address.applied(env):
            serve(host=host, port=port, workers=workers, threads=threads, env=env)
