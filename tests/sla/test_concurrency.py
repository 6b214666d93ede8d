"""Two sweeps at once, with real threads and real transactions on PostgreSQL: every step is
notified once, whichever sweep gets to it.

Not run on SQLite: its in-memory test database fails a second writer at once instead of making
it wait (see tests/services/test_concurrency.py); a file database serialises whole write
transactions there, and the conditional claim then holds trivially.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from banding.appeals import sla
from banding.appeals.models import Step
from banding.appeals.sla import SweepResult, sla_sweep
from banding.audit import log
from banding.audit.models import Event
from banding.notifications.models import Kind
from tests.concurrency import in_threads
from tests.factories import register
from tests.sla.conftest import sweep_notices

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


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


def test_a_step_held_by_one_sweep_is_skipped_then_found_claimed(p, monkeypatch):
    """Sweep A stops inside the transaction of its first step, after writing its notices;
    sweep B runs meanwhile. B skips the step A holds and notifies every other; A, let go,
    finds those already claimed. Both mechanisms, deterministically."""
    steps, now = due_steps(p, 5)
    inside, release = threading.Event(), threading.Event()
    first = threading.Lock()

    def record(**kwargs):
        event = log.record(**kwargs)
        if first.acquire(blocking=False):  # only the first step of sweep A waits
            inside.set()
            release.wait()
        return event

    monkeypatch.setattr(sla, "record", record)
    results: list[object] = []

    def run_a() -> None:
        try:
            results.append(sla_sweep(now))
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

    assert sweep_b == SweepResult(overdue=4)
    assert results == [SweepResult(overdue=1)]
    assert_notified_once(steps)
