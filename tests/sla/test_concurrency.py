"""Two sweeps at once, with real threads and real transactions on PostgreSQL: every step is
notified once, whichever sweep gets to it.

Not run on SQLite: its in-memory test database fails a second writer at once instead of making
it wait (see tests/services/test_concurrency.py); a file database serialises whole write
transactions there, and the conditional claim then holds trivially.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from banding.appeals import sla
from banding.appeals.models import Step
from banding.appeals.sla import SweepResult, sla_sweep
from banding.audit import log
from banding.audit.models import Event
from banding.notifications.models import Kind
from tests.concurrency import errors_of, in_threads
from tests.factories import register, walk
from tests.sla.conftest import sweep_notices

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


WIB = ZoneInfo("Asia/Jakarta")
DUE = datetime(2026, 2, 13, 15, 0, tzinfo=WIB)  # a Friday
HEAD_DUE = datetime(2026, 2, 18, 15, 0, tzinfo=WIB)  # one working day later (Imlek between)


def due_steps(p, count: int) -> tuple[list[Step], object]:
    appeals = [register(p) for _ in range(count)]
    steps = [a.steps.get(completed_at__isnull=True) for a in appeals]
    return steps, max(s.due_at for s in steps)


def assert_notified_once(steps: list[Step]) -> None:
    for step in steps:
        kinds = list(sweep_notices().filter(step=step).values_list("kind", flat=True))
        assert sorted(kinds) == [Kind.ESCALATION, Kind.STEP_OVERDUE], step.pk
    assert Event.objects.filter(action="deadline.overdue").count() == len(steps)


def test_two_sweeps_at_once_notify_each_step_once(p):
    steps, now = due_steps(p, 30)

    results = in_threads(2, lambda i: sla_sweep(now, batch_size=7))

    assert all(isinstance(r, SweepResult) for r in results), results
    assert sum(r.overdue for r in results) == 30
    assert sum(r.failed for r in results) == 0
    assert_notified_once(steps)


def test_a_batch_held_by_one_sweep_is_skipped_by_the_other(p, monkeypatch):
    """Sweep A stops inside the transaction of its first batch (two steps), after claiming
    them and writing their notices; sweep B runs meanwhile. B's lock skips the two appeals A
    holds and B notifies every other step; A, let go, finds nothing left. Deterministic."""
    steps, now = due_steps(p, 5)
    inside, release = threading.Event(), threading.Event()
    first = threading.Lock()

    def record_each(batches, **kwargs):
        events = log.record_each(batches, **kwargs)
        if first.acquire(blocking=False):  # only the first batch of sweep A waits
            inside.set()
            release.wait()
        return events

    monkeypatch.setattr(sla, "record_each", record_each)
    results: list[object] = []

    def run_a() -> None:
        try:
            results.append(sla_sweep(now, batch_size=2))
        except BaseException as exc:
            results.append(exc)
        finally:
            inside.set()  # a sweep that failed before stopping must not leave B waiting
            connection.close()

    sweep_a = threading.Thread(target=run_a)
    sweep_a.start()
    inside.wait()
    try:
        sweep_b = sla_sweep(now)
    finally:
        release.set()
        sweep_a.join()

    assert sweep_b == SweepResult(overdue=3)
    assert results == [SweepResult(overdue=2)]
    assert_notified_once(steps)


def test_the_conditional_claim_alone_keeps_a_step_from_being_told_twice(p, monkeypatch):
    """Without the lock on the appeals (both sweeps take every one), the UPDATE … RETURNING
    claim still gives each step to one sweep: the other waits for the row and finds it
    claimed."""
    steps, now = due_steps(p, 30)
    monkeypatch.setattr(sla, "lock_appeals", lambda ids: set(ids))

    results = in_threads(2, lambda i: sla_sweep(now, batch_size=7))

    assert errors_of(results) == []
    assert sum(r.overdue for r in results) == 30
    assert_notified_once(steps)


def test_two_sweeps_at_once_climb_the_ladder_once(p):
    """Staff PJTK steps overdue, then past the head's delay: two sweeps at each stage; each
    step is escalated to the lead once and to the head once."""
    steps = []
    for _ in range(12):
        step = walk(p, register(p), 12).steps.get(completed_at__isnull=True)
        Step.objects.filter(pk=step.pk).update(due_at=DUE, at_risk_at=DUE)
        steps.append(step)

    first = in_threads(2, lambda i: sla_sweep(DUE, batch_size=5))
    later = in_threads(2, lambda i: sla_sweep(HEAD_DUE, batch_size=5))

    assert errors_of(first + later) == []
    assert sum(r.overdue for r in first) == sum(r.escalated for r in later) == 12
    for step in steps:
        told = Counter(
            sweep_notices()
            .filter(step=step, kind=Kind.ESCALATION)
            .values_list("recipient__username", flat=True)
        )
        assert told == {"ketua": 1, "kepala": 1}, step.pk
    assert Event.objects.filter(action="deadline.escalated").count() == 12
    assert Event.objects.filter(action="deadline.overdue").count() == 12
