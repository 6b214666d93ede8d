"""`banding sla`, `banding worker` and the worker that `banding demo` starts beside its server."""

from __future__ import annotations

import io
import os
import re
import signal
import sys
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from banding.accounts.models import User
from banding.appeals.management.commands import sla as sla_command
from banding.appeals.sla import SweepResult
from banding.audit.models import Event
from banding.notifications.models import Kind, Notification
from banding.platform.management.commands import demo as demo_command
from banding.platform.management.commands import worker
from tests.corrective.conftest import add as add_action
from tests.corrective.conftest import at_step_10
from tests.factories import register
from tests.sla.conftest import open_step


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def with_addresses(p) -> None:
    for user in (p.staff, p.lead, p.head):
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@balai.example.go.id")


def test_sla_runs_one_sweep_and_prints_the_counts(p, clock):
    with_addresses(p)
    at_risk, overdue = open_step(register(p)), open_step(register(p))
    clock(at_risk.at_risk_at)

    # Both reminders go to their actor in one digest e-mail.
    assert run("sla") == output(at_risk=2, digests=1)
    clock(overdue.due_at)
    assert "Langkah terlambat dilaporkan dan dieskalasi: 2\n" in run("sla")
    assert run("sla") == output()


def output(*, at_risk=0, overdue=0, escalated=0, due_soon=0, late=0, digests=0) -> str:
    return (
        f"Langkah hampir jatuh tempo diingatkan: {at_risk}\n"
        f"Langkah terlambat dilaporkan dan dieskalasi: {overdue}\n"
        f"Langkah dieskalasi lanjut kepada Kepala Balai: {escalated}\n"
        f"Tindakan perbaikan hampir jatuh tempo diingatkan: {due_soon}\n"
        f"Tindakan perbaikan terlambat dilaporkan: {late}\n"
        f"Ringkasan tenggat diantrekan: {digests}\n"
    )


def test_sla_reminds_the_corrective_actions_too(p, clock):
    """A server that runs `banding sla` from cron instead of the worker: the corrective
    actions' reminders come with the steps'."""
    action = add_action(p, at_step_10(p))
    clock(action.remind_at)
    assert "Tindakan perbaikan hampir jatuh tempo diingatkan: 1\n" in run("sla")
    clock(action.due_at)
    assert "Tindakan perbaikan terlambat dilaporkan: 1\n" in run("sla")
    assert "Tindakan perbaikan terlambat dilaporkan: 0\n" in run("sla")
    assert Event.objects.filter(action="corrective_action.overdue").count() == 1


def test_sla_fails_when_a_step_could_not_be_notified(p, clock, monkeypatch):
    monkeypatch.setattr(sla_command, "sla_sweep", lambda: SweepResult(overdue=1, failed=2))

    failed = "2 langkah atau tindakan perbaikan gagal diberi tahu (lihat log)"
    with pytest.raises(CommandError, match=re.escape(failed)):
        run("sla")


def test_worker_once_runs_every_job_once_and_reports(p, clock):
    with_addresses(p)
    step = open_step(register(p))
    clock(step.due_at)

    output = run("worker", "--once")

    assert output.splitlines() == [
        "tenggat: 0 langkah hampir jatuh tempo diingatkan, 1 langkah terlambat dilaporkan",
        # Its notices' e-mails: one digest per person (the actor, and the head escalated to
        # once the working day's digest time has passed).
        "ringkasan: 2 ringkasan tenggat diantrekan (2 langkah)",
        "tindakan perbaikan: 0 tindakan perbaikan hampir jatuh tempo diingatkan, 0 tindakan "
        "perbaikan terlambat dilaporkan",
        # The contact's "diterima" mail and the lead's "giliran" mail, queued a day ago at
        # registration, whose task had not run: the outbox sweep sends them, and their task
        # then finds nothing to do.
        "surel: 2 surel terkirim, 0 dicoba lagi nanti, 0 gagal",
        "antrean: 0 catatan tugas lama dihapus",
        "kunci idempotensi: 0 kunci Idempotency-Key lama dihapus",
        "berkas sementara: 0 berkas sementara lama dihapus",
        # The appeal was received within the running month: no finished month to freeze.
        "rekap laporan: 0 bulan laporan dibekukan",
        # The first signed checkpoint of the audit log (none written yet).
        "titik periksa log audit: titik periksa titik-periksa-20260204T020000000000Z.json "
        "(5 peristiwa, 1 rantai)",
        "tugas: 3 dijalankan",  # the registration's mails, and each digest's
    ]
    assert Notification.objects.filter(step=step, kind=Kind.STEP_OVERDUE).exists()


def test_worker_stops_cleanly_on_sigterm_and_restores_the_handler(db, monkeypatch):
    passes = []

    def job() -> str:
        passes.append(1)
        os.kill(os.getpid(), signal.SIGTERM)  # as systemd stops the service
        return "selesai"

    monkeypatch.setattr(worker, "JOBS", (worker.Job("uji", job),))
    before = signal.getsignal(signal.SIGTERM)

    output = run("worker", "--interval", "3600")

    assert passes == [1]
    assert output == "Pekerja berjalan (uji) setiap 3600 detik.\nuji: selesai\nPekerja berhenti.\n"
    assert signal.getsignal(signal.SIGTERM) is before


def test_worker_stops_cleanly_on_sigint(db, monkeypatch):
    def job() -> str:
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl+C
        return ""

    monkeypatch.setattr(worker, "JOBS", (worker.Job("uji", job),))

    assert run("worker").endswith("Pekerja berhenti.\n")


class Stop(threading.Event):
    """A stop signal whose waits return at once, recording the timeout: the loop's rhythm is
    checked without waiting for it."""

    def __init__(self, after: int) -> None:
        super().__init__()
        self.waits: list[float] = []
        self.after = after

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(timeout)
        if len(self.waits) >= self.after:
            self.set()
        return self.is_set()


def test_the_loop_runs_every_job_each_interval_and_survives_a_failing_job(db, caplog):
    ran: list[str] = []

    def broken() -> None:
        ran.append("rusak")
        raise RuntimeError("database mati")

    jobs = [worker.Job("rusak", broken), worker.Job("baik", lambda: ran.append("baik"))]
    stop, lines = Stop(after=3), []

    passes = worker.run_loop(jobs=jobs, interval=60, stop=stop, report=lines.append)

    assert passes == 3
    assert ran == ["rusak", "baik"] * 3
    assert all(0 < w <= 60 for w in stop.waits)
    assert "Pekerjaan rusak gagal." in caplog.text
    assert lines == []  # None: nothing happened, nothing to report


def test_the_loop_reports_only_what_happened(db):
    results = iter([SweepResult(), SweepResult(at_risk=1)])
    lines: list[str] = []

    worker.run_loop(
        jobs=[worker.Job("tenggat", lambda: next(results))],
        interval=60,
        stop=Stop(after=2),
        report=lines.append,
    )

    assert lines == [
        "tenggat: 1 langkah hampir jatuh tempo diingatkan, 0 langkah terlambat dilaporkan"
    ]


@pytest.mark.parametrize("value", ["0", "-5", "satu menit", "nan", "inf"])
def test_worker_refuses_an_impossible_interval(db, value):
    with pytest.raises(CommandError) as error:
        run("worker", "--once", "--interval", value)

    assert str(error.value) == (
        f"Selang pekerja harus bilangan positif dalam detik, bukan {value!r} "
        "(--interval atau BANDING_WORKER_INTERVAL)."
    )


def test_worker_reads_its_interval_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("BANDING_WORKER_INTERVAL", "15")
    stop = worker.Job("uji", lambda: os.kill(os.getpid(), signal.SIGTERM))
    monkeypatch.setattr(worker, "JOBS", (stop,))

    assert run("worker").startswith("Pekerja berjalan (uji) setiap 15 detik.\n")

    monkeypatch.setenv("BANDING_WORKER_INTERVAL", "0")
    with pytest.raises(CommandError, match="bukan '0'"):
        run("worker")


def test_the_worker_process_is_this_python_running_banding_worker(monkeypatch, settings):
    started = {}
    monkeypatch.setattr(
        worker.subprocess, "Popen", lambda command, **kw: started.update(kw, command=command)
    )

    worker.start_worker()

    assert started["command"] == [sys.executable, "-m", "banding.cli", "worker"]
    assert started["cwd"] == settings.BASE_DIR
    assert started["env"]["DJANGO_SETTINGS_MODULE"] == "banding.settings"
    # On Linux the kernel stops it when its parent (the demo server) ends.
    assert started["preexec_fn"] is (worker._stop_with_parent if sys.platform == "linux" else None)


class FakeProcess:
    def __init__(self, log: list[str]) -> None:
        self.pid, self.log = 4321, log
        log.append("worker")

    def terminate(self) -> None:
        self.log.append("terminate")

    def wait(self) -> int:
        self.log.append("wait")
        return 0


@pytest.mark.django_db
def test_demo_starts_the_worker_before_the_server(monkeypatch):
    log: list[str] = []
    monkeypatch.setattr(demo_command, "start_worker", lambda env: FakeProcess(log))
    monkeypatch.setattr(demo_command, "serve", lambda **kw: log.append("serve"))

    output = run("demo", "--port", "8124")

    assert log[:2] == ["worker", "serve"]
    assert "Pekerja latar (pengingat tenggat) berjalan, PID 4321." in output


@pytest.mark.django_db
def test_demo_stops_its_worker_when_the_server_cannot_start(monkeypatch):
    log: list[str] = []
    monkeypatch.setattr(demo_command, "start_worker", lambda env: FakeProcess(log))

    def serve(**kwargs) -> None:
        raise FileNotFoundError("gunicorn")

    monkeypatch.setattr(demo_command, "serve", serve)

    with pytest.raises(FileNotFoundError):
        run("demo", "--port", "8125")

    assert log == ["worker", "terminate", "wait"]


@pytest.mark.django_db
def test_demo_without_a_server_starts_no_worker(monkeypatch):
    monkeypatch.setattr(demo_command, "start_worker", lambda env: pytest.fail("worker started"))

    run("demo", "--no-serve")
