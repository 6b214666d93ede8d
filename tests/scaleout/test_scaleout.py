"""Two app servers and two workers take the intake load together, on PostgreSQL: the same run
and checks as bench/scaleout.py, smaller (40 intakes), against the test database.

The app servers (`banding serve`) and workers (`banding worker`) are real subprocesses with a
DATABASE_URL naming the test database, so everything they must see is committed first
(transaction=True); serialized_rollback brings back the migrations' data afterwards. Not run on
SQLite: its in-memory test database cannot be shared with other processes.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.db import connection

from tests.scaleout.run import scaleout

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _test_database_url() -> str:
    settings = connection.settings_dict
    auth = quote(settings["USER"] or "")
    if settings["PASSWORD"]:
        auth += ":" + quote(settings["PASSWORD"])
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    host = settings["HOST"] or "localhost"
    return f"postgres://{auth + '@' if auth else ''}{host}{port}/{quote(settings['NAME'])}"


def test_two_app_servers_and_two_workers_take_the_intake_load_together(tmp_path):
    outcome = scaleout(
        database_url=_test_database_url(), var_dir=tmp_path / "var", appeals=40, threads=6
    )

    report = [outcome.verdict.table(), *outcome.verdict.violations]
    assert outcome.verdict.ok, "\n".join(["", *report])
    assert len(outcome.load.created) == 40
    assert [p.name for p in outcome.cluster.processes] == [
        "app-1",
        "app-2",
        "worker-1",
        "worker-2",
    ]
