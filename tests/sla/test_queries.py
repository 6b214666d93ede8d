"""The sweep reads pending steps through the partial indexes, in batches: its reads do not
grow with the number of due steps, and each step costs the same fixed few writes."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from banding.appeals.models import Step
from banding.appeals.sla import SweepResult, at_risk_pending, overdue_pending, sla_sweep
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


def open_appeals(p, count: int) -> None:
    """`count` appeals standing at steps of every kind of actor, in turn."""
    for i in range(count):
        walk(p, register(p), ACTORS_CYCLE[i % len(ACTORS_CYCLE)])


def sweep_all(**kwargs) -> tuple[SweepResult, list[str]]:
    """Sweep when every open step is overdue (step 7's 30 working days run out last)."""
    last = max(Step.objects.filter(completed_at__isnull=True).values_list("due_at", flat=True))
    with CaptureQueriesContext(connection) as captured:
        result = sla_sweep(last, **kwargs)
    return result, [q["sql"] for q in captured]


def batch_reads(sql: list[str]) -> list[str]:
    """Reads made once per batch: the pending steps and who plays each actor. (The rest is
    per step: lock the appeal, claim the step, write the notices and read them back with
    their recipients' addresses for the e-mails, write the event.)"""
    per_step = ('SELECT "appeals_appeal"', 'SELECT "notifications_notification"')
    return [q for q in sql if q.startswith("SELECT") and not q.startswith(per_step)]


def test_the_sweep_reads_the_same_for_5_and_50_due_steps(p, clock):
    open_appeals(p, 5)
    few_result, few = sweep_all()
    open_appeals(p, 45)
    many_result, many = sweep_all()

    assert (few_result, many_result) == (SweepResult(overdue=5), SweepResult(overdue=45))
    # Overdue phase: steps, role holders, team members, panel seats; at-risk phase: steps.
    assert len(batch_reads(few)) == len(batch_reads(many)) == 5
    # Per step a fixed cost: 45 steps of the same five actors cost 9 times 5 steps.
    assert len(many) - len(batch_reads(many)) == 9 * (len(few) - len(batch_reads(few)))


def test_the_sweep_reads_pending_steps_a_batch_at_a_time(p, clock):
    open_appeals(p, 25)

    result, sql = sweep_all(batch_size=10)

    assert result == SweepResult(overdue=25)
    step_reads = [q for q in batch_reads(sql) if 'FROM "appeals_step"' in q]
    assert len(step_reads) == 3 + 1  # overdue: 10, 10, 5; at risk: none
    assert all("LIMIT 10" in q for q in step_reads)
