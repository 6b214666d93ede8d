"""The real server (`banding serve`'s gunicorn command line) keeps answering while idle TCP
connections are held open: as many as its workers have threads, which would block every
synchronous worker until gunicorn's timeout. The socket timeout only detects a hang; nothing
is timed."""

from __future__ import annotations

import pytest

from banding.platform.management.commands.serve import THREADS
from bench.idle import get, idle_connections, running_server

WORKERS = 2
HANG = 20.0  # seconds without an answer: a hang


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("idle-server")
    with running_server(
        workers=WORKERS, threads=THREADS, worker_class="gthread", var_dir=var_dir
    ) as port:
        yield port


@pytest.mark.parametrize("idle", [2, WORKERS * THREADS])
def test_requests_are_answered_while_idle_connections_are_open(server, idle):
    with idle_connections(server, idle):
        statuses = [get(server, "/masuk/", timeout=HANG) for _ in range(3)]

    assert statuses == [200, 200, 200]


def test_the_served_command_line_runs_threaded_workers():
    from banding.platform.management.commands.serve import gunicorn_command

    command = gunicorn_command(host="127.0.0.1", port=18109, workers=WORKERS)

    assert command[command.index("--worker-class") + 1] == "gthread"
    assert command[command.index("--threads") + 1] == str(THREADS)
