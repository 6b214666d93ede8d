"""`banding worker`: the background jobs, each run every BANDING_WORKER_INTERVAL seconds, and
the task queue (Django's Tasks API: the e-mails of the outbox), polled every
BANDING_TASKS_POLL_SECONDS in between.

One process is enough; more may run at once (on PostgreSQL they share the work: the sweep
skips what another worker holds and claims each step once, each task and each mail is claimed
by one worker). Stops cleanly on SIGTERM or SIGINT after the job or task it is running.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from banding.api.idempotency import prune_idempotent_requests
from banding.appeals.sla import sla_sweep
from banding.appeals.staging import staged_sweep
from banding.audit.checkpoint import checkpoint_sweep
from banding.corrective.reminders import corrective_sweep
from banding.notifications.digests import digest_sweep
from banding.notifications.outbox import outbox_sweep
from banding.notifications.taskqueue import TaskRunner, prune_task_results
from banding.reports.rollups import freeze_all

logger = logging.getLogger("banding.worker")

DEFAULT_INTERVAL = 60
DEFAULT_POLL = 1.0
INTERVAL_SOURCE = "--interval atau BANDING_WORKER_INTERVAL"
POLL_SOURCE = "--poll atau BANDING_TASKS_POLL_SECONDS"


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], object]  # what it returns is reported when true (something happened)


# Every periodic job of the worker, one line each: the deadline sweep; the digests of its
# notices (one e-mail per person and window, banding.notifications.digests); the corrective actions'
# reminders; the outbox sweep (mails stuck in "sending" by a worker that died, mails whose task
# did not run); old task rows (and those of a worker that died); the API's Idempotency-Keys
# past BANDING_IDEMPOTENCY_HOURS; files kept for forms never sent again (after 24 hours); the
# reports' figures of a month just finished, frozen (banding.reports.rollups; one query when
# there is none); the audit log's signed checkpoint, when the latest is
# BANDING_AUDIT_CHECKPOINT_HOURS old (banding.audit.checkpoint; one listing of a directory
# otherwise).
JOBS: tuple[Job, ...] = (
    Job("tenggat", sla_sweep),
    Job("ringkasan", digest_sweep),
    Job("tindakan perbaikan", corrective_sweep),
    Job("surel", outbox_sweep),
    Job("antrean", prune_task_results),
    Job("kunci idempotensi", prune_idempotent_requests),
    Job("berkas sementara", lambda: f"{staged_sweep()} berkas sementara lama dihapus"),
    Job("rekap laporan", lambda: f"{freeze_all()} bulan laporan dibekukan"),
    Job("titik periksa log audit", checkpoint_sweep),
)


def default_interval() -> str:
    return os.environ.get("BANDING_WORKER_INTERVAL", str(DEFAULT_INTERVAL))


def default_poll() -> str:
    return os.environ.get("BANDING_TASKS_POLL_SECONDS", str(DEFAULT_POLL))


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
    if result or always:
        logger.info("%s: %s", job.name, result)
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
    tasks: Callable[[], object] | None = None,
    poll: float = DEFAULT_POLL,
) -> int:
    """Run every job, then wait out the interval (counted from the start of the pass) or until
    `stop` is set; with `tasks`, run the task queue meanwhile every `poll` seconds (and once
    after the jobs with `once`). Returns the number of passes."""
    queue = Job("tugas", tasks) if tasks is not None else None
    passes = 0
    while not stop.is_set():
        started = time.monotonic()
        for job in jobs:
            if stop.is_set():
                break
            run_job(job, report, always=once)
        passes += 1
        if once:
            if queue is not None and not stop.is_set():
                run_job(queue, report)
            break
        if queue is None:
            stop.wait(max(0.0, interval - (time.monotonic() - started)))
            continue
        while not stop.is_set():
            run_job(queue, report)
            remaining = interval - (time.monotonic() - started)
            if remaining <= 0:
                break
            stop.wait(min(poll, remaining))
    return passes


def worker_command() -> list[str]:
    return [sys.executable, "-m", "banding.cli", "worker"]


def _stop_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    # Linux: the kernel sends SIGTERM when the parent (the demo server) exits, however it exits.
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def worker_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The demo worker's environment: `base` (the server's, with its public URL; this
    process's by default), and with no mail server configured (no EMAIL_HOST, no
    BANDING_EMAIL_BACKEND) each e-mail is written as a file under var/mail instead of
    failing, retry after retry, to reach 127.0.0.1:25."""
    env = {**(os.environ if base is None else base), "DJANGO_SETTINGS_MODULE": "banding.settings"}
    if not env.get("EMAIL_HOST") and not env.get("BANDING_EMAIL_BACKEND"):
        env["BANDING_EMAIL_BACKEND"] = "file"
    return env


def mail_destination(env: dict[str, str]) -> str:
    """Where the worker started with `env` sends e-mail, in one sentence for the demo."""
    if env.get("BANDING_EMAIL_BACKEND") == "file":
        folder = Path(settings.VAR_DIR) / "mail"
        return f"Surel ditulis sebagai berkas di {folder} (atur EMAIL_HOST untuk SMTP)."
    host, port = env.get("EMAIL_HOST") or "127.0.0.1", env.get("EMAIL_PORT") or "25"
    return f"Surel dikirim melalui server SMTP {host}:{port}."


def start_worker(env: Mapping[str, str] | None = None) -> subprocess.Popen:
    """A `banding worker` child of this process, stopped when this process ends (`banding
    demo` starts one beside its server, with the server's environment `env`: the mails'
    links carry the same public URL)."""
    return subprocess.Popen(
        worker_command(),
        cwd=settings.BASE_DIR,
        env=worker_environment(env),
        preexec_fn=_stop_with_parent if sys.platform == "linux" else None,
    )


class Command(BaseCommand):
    help = (
        "Menjalankan pekerjaan latar belakang (penyisiran tenggat: pengingat dan eskalasi; "
        "penyisiran kotak keluar surel) setiap BANDING_WORKER_INTERVAL detik (bawaan 60) dan "
        "antrean tugas (pengiriman surel) setiap BANDING_TASKS_POLL_SECONDS detik (bawaan 1) "
        "sampai dihentikan (SIGTERM/Ctrl+C)."
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
        parser.add_argument(
            "--poll",
            default=default_poll(),
            help="selang pemeriksaan antrean tugas, detik (bawaan BANDING_TASKS_POLL_SECONDS: 1)",
        )

    def handle(self, *args: Any, once: bool, interval: str, poll: str, **options: Any) -> None:
        seconds = _positive_seconds(interval)
        poll_seconds = _positive_seconds(poll, what="Selang antrean", source=POLL_SOURCE)
        runner = TaskRunner()
        stop = threading.Event()
        previous = _on_stop_signals(stop)
        names = ", ".join(job.name for job in JOBS)
        if not once:
            self.stdout.write(f"Pekerja berjalan ({names}) setiap {seconds:g} detik.")
            self.stdout.flush()
        try:
            run_loop(
                jobs=JOBS,
                interval=seconds,
                stop=stop,
                report=self._report,
                once=once,
                tasks=lambda: runner.run_ready(stop),
                poll=poll_seconds,
            )
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if not once:
            self.stdout.write("Pekerja berhenti.")

    def _report(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()


def _positive_seconds(
    value: str, *, what: str = "Selang pekerja", source: str = INTERVAL_SOURCE
) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0 or seconds == float("inf"):
        raise CommandError(
            f"{what} harus bilangan positif dalam detik, bukan {value!r} ({source})."
        )
    return seconds


def _on_stop_signals(stop: threading.Event) -> dict:
    """SIGTERM and SIGINT end the loop after the running job (only the main thread may set
    signal handlers; elsewhere the caller stops the loop through `stop`)."""
    if threading.current_thread() is not threading.main_thread():
        return {}

    def handler(signum: int, frame: FrameType | None) -> None:
        logger.info("Sinyal %s diterima; pekerja berhenti.", signum)
        stop.set()

    return {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
