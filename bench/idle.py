"""Idle connections against the server: requests timed while N idle TCP connections are open.

    uv run python bench/idle.py [--idle 0 2 8 16] [--requests 5] [--workers 2] [--threads 8]

Starts gunicorn with `banding serve`'s own command line twice on a free port (an empty SQLite
database in a temporary var directory): with synchronous workers (gunicorn's `sync`, what
`banding serve` ran before) and with the threaded workers it runs now (`gthread`). For each
count of idle connections (opened, nothing sent: what a browser's pre-opened or kept-alive
sockets look like to the server) it times GET /masuk/ and prints one table: the median and
the slowest request, and how many got no answer within --timeout seconds.

A synchronous worker waits on an idle connection until gunicorn's --timeout kills it
("WORKER TIMEOUT (no URI read)"): with as many idle connections as workers, a request waits
that long. A threaded worker hands a silent connection back to its poller after a few seconds
(gunicorn 25+: at most 5 s in a thread), so requests are answered meanwhile.

The start and the idle sockets are shared with the test tests/platform/test_idle_connections.py.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_command(*, port: int, workers: int, threads: int, worker_class: str) -> list[str]:
    """`banding serve`'s gunicorn command line, with `worker_class` (sync: one thread)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banding.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from banding.platform.management.commands.serve import gunicorn_command

    command = gunicorn_command(host="127.0.0.1", port=port, workers=workers, threads=threads)
    at = command.index("--worker-class") + 1
    command[at] = worker_class
    if worker_class == "sync":
        at = command.index("--threads")
        del command[at : at + 2]
    return command


def server_environment(var_dir: Path) -> dict[str, str]:
    """This environment with an empty SQLite database under `var_dir` (the login page needs
    no table) and nothing of another database or public URL."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("BANDING_") and k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        BANDING_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="banding.settings",
        BANDING_PUBLIC_URL="http://127.0.0.1",
        BANDING_DEVELOPMENT="true",  # plain HTTP and the development key on this computer
    )
    return env


@contextmanager
def running_server(
    *, workers: int, threads: int, worker_class: str, var_dir: Path, wait: float = 60.0
) -> Iterator[int]:
    """A gunicorn server started as `banding serve` starts it; yields its port once it accepts
    connections (giving up after `wait` seconds), and stops it afterwards."""
    port = free_port()
    command = server_command(port=port, workers=workers, threads=threads, worker_class=worker_class)
    log = (var_dir / f"gunicorn-{worker_class}.log").open("wb")
    process = subprocess.Popen(
        command, cwd=ROOT, env=server_environment(var_dir), stdout=log, stderr=subprocess.STDOUT
    )
    try:
        _wait_until_listening(process, port, wait)
        # Every worker booted (each answers once): the first requests measured are not
        # slowed by a worker still importing the application.
        for _ in range(workers * 2):
            get(port, "/masuk/", timeout=wait)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_until_listening(process: subprocess.Popen, port: int, wait: float) -> None:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn ended with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not listen on {port} within {wait} s")


@contextmanager
def idle_connections(port: int, count: int) -> Iterator[list[socket.socket]]:
    """`count` TCP connections to the server that send nothing, open while inside."""
    with ExitStack() as stack:
        sockets = [
            stack.enter_context(socket.create_connection(("127.0.0.1", port), timeout=5))
            for _ in range(count)
        ]
        yield sockets


def get(port: int, path: str, *, timeout: float) -> int:
    """GET `path` on a new connection; the response's status (socket.timeout when none comes
    within `timeout` seconds)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        conn.sendall(request.encode())
        first = b""
        while b"\r\n" not in first:
            chunk = conn.recv(4096)
            if not chunk:
                break
            first += chunk
        while conn.recv(65536):  # read the whole answer
            pass
    return int(first.split(b" ", 2)[1])


def measure(port: int, idle: int, requests: int, timeout: float) -> tuple[list[float], int]:
    times: list[float] = []
    unanswered = 0
    with idle_connections(port, idle):
        time.sleep(0.2)  # the workers have accepted the idle connections
        for _ in range(requests):
            started = time.perf_counter()
            try:
                get(port, "/masuk/", timeout=timeout)
            except TimeoutError:
                unanswered += 1
                continue
            times.append(time.perf_counter() - started)
    return times, unanswered


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--idle", type=int, nargs="+", default=[0, 2, 8, 16])
    parser.add_argument("--requests", type=int, default=5, help="timed requests per row")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="threads per gthread worker")
    parser.add_argument("--timeout", type=float, default=45.0, help="seconds per request")
    args = parser.parse_args(argv)
    rows = []
    for worker_class in ("sync", "gthread"):
        with (
            tempfile.TemporaryDirectory(prefix="banding-idle-") as tmp,
            running_server(
                workers=args.workers,
                threads=args.threads,
                worker_class=worker_class,
                var_dir=Path(tmp),
            ) as port,
        ):
            for idle in args.idle:
                times, unanswered = measure(port, idle, args.requests, args.timeout)
                rows.append((worker_class, idle, times, unanswered))
                print(f"  {worker_class} idle={idle} done", file=sys.stderr, flush=True)
    threads = f"{args.threads} threads" if args.threads else ""
    print(f"\nGET /masuk/ with idle connections open ({args.workers} workers; gthread {threads})")
    print("| worker class | idle connections | median s | slowest s | unanswered |")
    print("|---|---:|---:|---:|---:|")
    for worker_class, idle, times, unanswered in rows:
        median = f"{statistics.median(times):.3f}" if times else "-"
        slowest = f"{max(times):.3f}" if times else "-"
        print(f"| {worker_class} | {idle} | {median} | {slowest} | {unanswered} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
