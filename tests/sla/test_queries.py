"""The sweep reads pending steps through the partial indexes and writes a batch at a time with
set-based statements: a batch costs the same fixed number of queries whatever its size, and a
sweep with nothing to do costs a read per kind of notice."""

from __future__ import annotations

import re
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from banding.appeals import batching
from banding.appeals.models import Step
from banding.appeals.sla import (
    SweepResult,
    at_risk_pending,
    head_escalation_pending,
    overdue_pending,
    sla_sweep,
)
from banding.notifications.models import Notification
from banding.rows import chunk_sizes
from tests.factories import register, walk
from tests.sla.conftest import START

ACTORS_CYCLE = (3, 5, 6, 7, 12)  # lead, technical team, head, panel, staff


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A handful of rows makes any plan cheap; forbid the table scan to see whether
            # the planner can answer from the index at all.
            cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


def test_pending_steps_are_read_through_the_partial_indexes(p, clock):
    register(p)
    assert "step_overdue_pending" in plan(overdue_pending(START)[:100])
    assert "step_at_risk_pending" in plan(at_risk_pending(START)[:100])
    assert "step_head_escalation_pending" in plan(head_escalation_pending(START)[:100])


def open_appeals(p, count: int) -> None:
    """`count` appeals standing at steps of every kind of actor, in turn."""
    for i in range(count):
        walk(p, register(p), ACTORS_CYCLE[i % len(ACTORS_CYCLE)])


def sweep_all(**kwargs) -> tuple[SweepResult, list[str]]:
    """Sweep when every open step is overdue (step 7's 30 working days run out last)."""
    last = max(Step.objects.filter(completed_at__isnull=True).values_list("due_at", flat=True))
    with CaptureQueriesContext(connection) as captured:
        result = sla_sweep(last, **kwargs)
    # An executemany is one query, recorded as "<n> times: <sql>".
    return result, [re.sub(r"^\d+ times: ", "", q["sql"]) for q in captured]


def written(sql: list[str]) -> list[str]:
    """The statements of the batches: every one but the reads of the pending steps, those
    once per sweep (the technical teams' names; SQLite's checkpoint setting,
    checkpointed_alongside) and the savepoints of the test's own transaction."""
    once = ('SELECT "accounts_technicalteam"', "PRAGMA")
    return [
        q
        for q in sql
        if not q.startswith(('SELECT "appeals_step"', "SAVEPOINT", "RELEASE SAVEPOINT", *once))
    ]


def chunks(rows: int) -> int:
    """The statements banding.rows writes `rows` rows with: on SQLite one up to 64, then one
    more per chunk of 512, 256, 128 or 64 rows; on PostgreSQL one (an array per column)."""
    return 1 if connection.vendor == "postgresql" else len(list(chunk_sizes(rows)))


def test_a_batch_costs_the_same_queries_for_5_and_50_steps(p, clock):
    open_appeals(p, 5)
    before = Notification.objects.count()
    few_result, few = sweep_all(batch_size=5)
    few_notices = Notification.objects.count() - before
    open_appeals(p, 45)
    before = Notification.objects.count()
    many_result, many = sweep_all(batch_size=50)
    many_notices = Notification.objects.count() - before

    assert (few_result, many_result) == (SweepResult(overdue=5), SweepResult(overdue=45))
    assert few_notices < 64 < many_notices  # one statement for the few, chunks for the many
    # One batch each: (PostgreSQL: lock the appeals,) claim the steps, who plays each actor
    # (role holders, team members, panel seats), the notices in one upsert, the events in
    # three (record_each) — the upsert of more than 64 notices in one per chunk of them.
    expected = 8 + (connection.vendor == "postgresql")
    assert len(written(few)) == expected
    assert len(written(many)) == expected - 1 + chunks(many_notices)
    upserts = [q for q in written(many) if q.startswith('INSERT INTO "notifications_')]
    if connection.vendor == "sqlite":  # rows per statement: 128 + 64 + …
        assert [q.count("), (") + 1 for q in upserts] == list(chunk_sizes(many_notices))
    else:
        assert "unnest(" in upserts[0]
    assert [q.split()[0] for q in written(many) if q not in upserts[1:]] == [
        q.split()[0] for q in written(few)
    ]
    claim = [q for q in written(many) if q.startswith('UPDATE "appeals_step"')]
    assert len(claim) == 1 and "RETURNING" in claim[0]


def test_the_sweep_writes_a_batch_at_a_time(p, clock):
    open_appeals(p, 25)

    result, sql = sweep_all(batch_size=10)

    assert result == SweepResult(overdue=25)
    step_reads = [q for q in sql if q.startswith('SELECT "appeals_step"')]
    # The pending ids of the three kinds of notice, once, then the overdue batches: 10, 10, 5
    # (the second rung and at risk: none due).
    assert len(step_reads) == 3 + 3
    assert all(q.startswith('SELECT "appeals_step"."id" AS "pk" FROM') for q in step_reads[:3])
    sizes = [
        len(re.search(r'"appeals_step"\."id" IN \(([^)]*)\)', q)[1].split(","))
        for q in step_reads[3:]
    ]
    assert sizes == [10, 10, 5]
    # Each batch at most the fixed statements of one (who plays which actor is read only for
    # the actors of the batch's steps: these batches hold steps of a few actors each).
    first = (
        'SELECT "appeals_appeal"' if connection.vendor == "postgresql" else 'UPDATE "appeals_step"'
    )
    batches: list[list[str]] = []
    for q in written(sql):
        if q.startswith(first):
            batches.append([])
        batches[-1].append(q)
    assert len(batches) == 3
    assert all(len(batch) <= 8 + (connection.vendor == "postgresql") for batch in batches)


def test_a_second_sweep_with_nothing_to_do_reads_three_times(p, clock):
    open_appeals(p, 10)
    sweep_all()

    result, sql = sweep_all()

    assert result == SweepResult()
    assert len(sql) == 3 <= 5  # the budget: ≤ 5 queries
    assert all(q.startswith('SELECT "appeals_step"') for q in sql)


def test_a_sweep_in_a_transaction_leaves_the_log_alone(p, clock):
    """In a transaction (a test's) the batches commit nothing: no checkpoint, no setting."""
    open_appeals(p, 3)
    _, sql = sweep_all(batch_size=1)
    assert not [q for q in sql if q.startswith("PRAGMA")]


@pytest.fixture
def wal_database(tmp_path, django_db_blocker):
    """A SQLite database in a file, in WAL mode as SiBanding's own (settings.py), under an
    alias of its own, whatever the engine of the tests (outside the tests' own database and
    its transaction: the checkpointer's thread opens a connection of its own)."""
    alias = "wal_checkpoint_test"
    connections.settings[alias] = connections.configure_settings(
        {
            DEFAULT_DB_ALIAS: connections.settings[DEFAULT_DB_ALIAS],
            alias: {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(tmp_path / "wal.sqlite3"),
                "OPTIONS": {
                    "transaction_mode": "IMMEDIATE",
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                },
            },
        }
    )[alias]
    with django_db_blocker.unblock():
        yield alias, tmp_path / "wal.sqlite3-wal"
        connections[alias].close()
    del connections[alias]
    del connections.settings[alias]


def test_sqlite_checkpoints_the_log_alongside_the_batches(wal_database, monkeypatch):
    """A batch's commit never checkpoints (wal_autocheckpoint 0 while the sweep runs): a
    thread does, alongside the sweep, so the log starts over instead of growing with every
    batch; the setting is put back afterwards."""
    alias, wal = wal_database
    monkeypatch.setattr(batching, "CHECKPOINT_EVERY_S", 0.01)
    database = connections[alias]

    def setting() -> int:
        with database.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint")
            return cursor.fetchone()[0]

    def batch() -> None:  # about 2,000 pages of the log, committed
        with transaction.atomic(using=alias), database.cursor() as cursor:
            cursor.executemany("INSERT INTO t VALUES (?)", [("x" * 4000,)] * 1000)

    with database.cursor() as cursor:
        cursor.execute("CREATE TABLE t (x TEXT)")
    before = setting()
    sizes = []
    with batching.checkpointed_alongside(alias):
        assert setting() == 0
        for _ in range(3):
            batch()
            sizes.append(wal.stat().st_size)
            time.sleep(0.2)  # the checkpointer's turn: 20 of its rounds
    assert setting() == before
    # Checkpointed between the batches, the log was written again from its start: it stays
    # the size of one batch instead of growing by one each time.
    assert sizes[0] > 4_000_000
    assert sizes[2] < 1.5 * sizes[0]
    with database.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM t")
        assert cursor.fetchone()[0] == 3000


def test_without_the_checkpointer_the_log_grows_with_every_batch(wal_database):
    """The control for the test above: the same batches with the automatic checkpoint off
    and no checkpointer make the log grow by a batch each."""
    alias, wal = wal_database
    database = connections[alias]
    with database.cursor() as cursor:
        cursor.execute("CREATE TABLE t (x TEXT)")
        cursor.execute("PRAGMA wal_autocheckpoint = 0")
    sizes = []
    for _ in range(3):
        with transaction.atomic(using=alias), database.cursor() as cursor:
            cursor.executemany("INSERT INTO t VALUES (?)", [("x" * 4000,)] * 1000)
        sizes.append(wal.stat().st_size)
    assert sizes[2] > 2.5 * sizes[0]
