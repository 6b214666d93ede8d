"""The sweep reads pending steps through the partial indexes and writes a batch at a time with
set-based statements: a batch costs the same fixed number of queries whatever its size, and a
sweep with nothing to do costs a read per kind of notice."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from banding.appeals.models import Step
from banding.appeals.sla import (
    SweepResult,
    at_risk_pending,
    head_escalation_pending,
    overdue_pending,
    sla_sweep,
)
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
    checkpointed_once) and the savepoints of the test's own transaction."""
    once = ('SELECT "accounts_technicalteam"', "PRAGMA")
    return [
        q
        for q in sql
        if not q.startswith(('SELECT "appeals_step"', "SAVEPOINT", "RELEASE SAVEPOINT", *once))
    ]


def test_a_batch_costs_the_same_queries_for_5_and_50_steps(p, clock):
    open_appeals(p, 5)
    few_result, few = sweep_all(batch_size=5)
    open_appeals(p, 45)
    many_result, many = sweep_all(batch_size=50)

    assert (few_result, many_result) == (SweepResult(overdue=5), SweepResult(overdue=45))
    # One batch each: (PostgreSQL: lock the appeals,) claim the steps, who plays each actor
    # (role holders, team members, panel seats), the notices in one upsert, the events in
    # three (record_each).
    expected = 8 + (connection.vendor == "postgresql")
    assert len(written(few)) == len(written(many)) == expected
    assert [q.split()[0] for q in written(many)] == [q.split()[0] for q in written(few)]
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


def test_sqlite_checkpoints_the_log_once_after_the_sweep(p, clock):
    """SQLite: no checkpoint at every batch's commit (wal_autocheckpoint 0 while the sweep
    runs), the setting put back afterwards."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL has no such setting to change")
    open_appeals(p, 3)

    def setting() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint")
            return cursor.fetchone()[0]

    before = setting()
    _, sql = sweep_all(batch_size=1)
    # After the reads of what is pending and the teams, before the first batch; and last.
    assert sql[4:6] == ["PRAGMA wal_autocheckpoint", "PRAGMA wal_autocheckpoint = 0"]
    assert sql[-1] == f"PRAGMA wal_autocheckpoint = {before}"
    assert [q for q in sql if q.startswith("PRAGMA")] == sql[4:6] + sql[-1:]
    assert setting() == before
