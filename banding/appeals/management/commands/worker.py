"""`banding worker`: the background jobs, each run every BANDING_WORKER_INTERVAL seconds.

One process is enough; more may run at once (on PostgreSQL they share the work: the sweep
skips what another worker holds and claims each step once). Stops cleanly on SIGTERM or SIGINT
after the job it is running.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from banding.appeals.sla import sla_sweep

logger = logging.getLogger("banding.worker")

DEFAULT_INTERVAL = 60


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], object]  # what it returns is reported when true (something happened)


# Every periodic job of the worker, one line each.
JOBS: tuple[Job, ...] = (Job("tenggat", sla_sweep),)


def default_interval() -> str:
    return os.environ.get("BANDING_WORKER_INTERVAL", str(DEFAULT_INTERVAL))


def run_job(job: Job, report: Callable[[str], None], *, always: bool = False) -> bool:
    """Run one job; a failure is logged and the worker goes on (the job retries next pass)."""
    _drop_stale_connections()
    try:
        result = job.run()
    except Exception:
        logger.exception("Pekerjaan %s gagal.", job.name)
        return False
    finally:
        _drop_stale_connections()
    logger.info("%s: %s", job.name, result)
    if result or always:
        report(f"{job.name}: {result}")
    return True


def _drop_stale_connections() -> None:
    """A long-lived process must not keep a connection the database has dropped or that
    outlived CONN_MAX_AGE (what Django does around each request); one inside a transaction,
    as in a test, is left alone."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


def run_loop(
    *,
    jobs: Sequence[Job],
    interval: float,
    stop: threading.Event,
    report: Callable[[str], None],
    once: bool = False,
) -> int:
    """Run every job, then wait out the interval (counted from the start of the pass) or until
    `stop` is set; returns the number of passes."""
    passes = 0
    while not stop.is_set():
        started = time.monotonic()
        for job in jobs:
            if stop.is_set():
                break
            run_job(job, report, always=once)
        passes += 1
        if once:
            break
        stop.wait(max(0.0, interval - (time.monotonic() - started)))
    return passes


def worker_command() -> list[str]:
    return [sys.executable, "-m", "banding.cli", "worker"]


def _stop_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    # Linux: the kernel sends SIGTERM when the parent (the demo server) exits, however it exits.
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def start_worker() -> subprocess.Popen:
    """A `banding worker` child of this process, stopped when this process ends (`banding
    demo` starts one beside its server)."""
    return subprocess.Popen(
        worker_command(),
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "banding.settings"},
        preexec_fn=_stop_with_parent if sys.platform == "linux" else None,
    )


class Command(BaseCommand):
    help = (
        "Menjalankan pekerjaan latar belakang (penyisiran tenggat: pengingat dan eskalasi) "
        "setiap BANDING_WORKER_INTERVAL detik (bawaan 60) sampai dihentikan (SIGTERM/Ctrl+C)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="jalankan setiap pekerjaan sekali lalu berhenti"
        )
        parser.add_argument(
            "--interval",
            default=default_interval(),
            help="selang antarputaran, detik (bawaan BANDING_WORKER_INTERVAL atau 60)",
        )

    def handle(self, *args, once: bool, interval: str, **options) -> None:
        seconds = _positive_seconds(interval)
        stop = threading.Event()
        previous = _on_stop_signals(stop)
        names = ", ".join(job.name for job in JOBS)
        if not once:
            self.stdout.write(f"Pekerja berjalan ({names}) setiap {seconds:g} detik.")
            self.stdout.flush()
        try:
            run_loop(jobs=JOBS, interval=seconds, stop=stop, report=self._report, once=once)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if not once:
            self.stdout.write("Pekerja berhenti.")

    def _report(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()


def _positive_seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0 or seconds == float("inf"):
        raise CommandError(
            f"Selang pekerja harus bilangan positif dalam detik, bukan {value!r} "
            "(--interval atau BANDING_WORKER_INTERVAL)."
        )
    return seconds


def _on_stop_signals(stop: threading.Event) -> dict:
    """SIGTERM and SIGINT end the loop after the running job (only the main thread may set
    signal handlers; elsewhere the caller stops the loop through `stop`)."""
    if threading.current_thread() is not threading.main_thread():
        return {}

    def handler(signum: int, frame) -> None:
        logger.info("Sinyal %s diterima; pekerja berhenti.", signum)
        stop.set()

    return {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
