"""SiBanding as it runs on many servers, on one machine: app processes (`banding serve`,
gunicorn) and `banding worker` processes as real subprocesses, sharing one database and one
var directory (media, mail files), each writing its output to a log file.

Used by bench/scaleout.py and tests/scaleout/test_scaleout.py (docs/deploy.md, "Beberapa
server")."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parents[2]
READY_SECONDS = 60.0
STOP_SECONDS = 20.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    # Linux: the kernel sends SIGTERM when this process (the script or pytest) dies, however.
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Process:
    name: str  # app-1, worker-2, …
    popen: subprocess.Popen
    log: Path
    port: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@dataclass
class Cluster:
    """`apps` app processes (each gunicorn with `app_workers` workers, on its own port) and
    `workers` task workers, all with the same DATABASE_URL and BANDING_VAR_DIR, e-mail written
    as files under var/mail. A context manager: the processes are stopped on exit."""

    database_url: str
    var_dir: Path
    apps: int = 2
    workers: int = 2
    app_workers: int = 2
    poll_seconds: float = 0.2  # how often an idle worker looks at the task queue
    interval_seconds: float = 10.0  # the worker's periodic jobs (deadline and outbox sweeps)
    processes: list[Process] = field(default_factory=list)

    @property
    def app_processes(self) -> list[Process]:
        return [p for p in self.processes if p.port is not None]

    @property
    def worker_processes(self) -> list[Process]:
        return [p for p in self.processes if p.port is None]

    @property
    def urls(self) -> list[str]:
        return [p.url for p in self.app_processes]

    @property
    def log_dir(self) -> Path:
        return self.var_dir / "logs"

    def environment(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "banding.settings",
            "DATABASE_URL": self.database_url,
            "BANDING_VAR_DIR": str(self.var_dir),
            "BANDING_EMAIL_BACKEND": "file",
            "BANDING_DEVELOPMENT": "true",  # plain HTTP and the development key
            "BANDING_TASKS_POLL_SECONDS": str(self.poll_seconds),
            "BANDING_WORKER_INTERVAL": str(self.interval_seconds),
            "PYTHONUNBUFFERED": "1",
        }
        # Everything under the one var directory: media and mail shared by every process.
        for name in ("BANDING_MEDIA_ROOT", "BANDING_STATIC_ROOT", "BANDING_TEST_DATABASE"):
            env.pop(name, None)
        return env

    def _spawn(self, name: str, args: list[str], port: int | None = None) -> Process:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_dir / f"{name}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                [sys.executable, "-m", "banding.cli", *args],
                cwd=ROOT,
                env=self.environment(),
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_stop_with_parent if sys.platform == "linux" else None,
            )
        process = Process(name=name, popen=popen, log=log, port=port)
        self.processes.append(process)
        return process

    def start(self) -> Cluster:
        for i in range(1, self.apps + 1):
            port = free_port()
            args = ["serve", "--port", str(port), "--workers", str(self.app_workers)]
            self._spawn(f"app-{i}", args, port)
        for i in range(1, self.workers + 1):
            self._spawn(f"worker-{i}", ["worker"])
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_SECONDS
        waiting = list(self.app_processes)
        while waiting:
            for process in self.processes:
                if process.popen.poll() is not None:
                    raise RuntimeError(
                        f"{process.name} stopped (exit {process.popen.returncode}):\n"
                        + process.output()[-3000:]
                    )
            waiting = [p for p in waiting if not _answers(p.port)]
            if waiting and time.monotonic() > deadline:
                names = ", ".join(p.name for p in waiting)
                raise RuntimeError(f"{names} not answering after {READY_SECONDS:g} s")
            if waiting:
                time.sleep(0.2)
        for process in self.worker_processes:  # a worker says so once its loop runs
            while "Pekerja berjalan" not in process.output():
                if process.popen.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{process.name} did not start:\n{process.output()}")
                time.sleep(0.1)

    def stop(self) -> None:
        """SIGTERM to each (gunicorn and the worker stop cleanly), SIGKILL if one lingers."""
        for process in self.processes:
            if process.popen.poll() is None:
                process.popen.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for process in self.processes:
            try:
                process.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.popen.kill()
                process.popen.wait()

    def __enter__(self) -> Cluster:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _answers(port: int | None) -> bool:
    """The server answers HTTP (any status): gunicorn has booted a worker."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("GET", "/login/")
        conn.getresponse().read()
        return True
    except OSError:
        return False
    finally:
        conn.close()
