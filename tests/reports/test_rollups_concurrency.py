"""A change reaching into a finished month and a freeze of that month, at the same time on
PostgreSQL: whichever takes the month's RollupMonth row first, the month's figures end up as
the raw steps say (frozen with the change, or marked to be computed again)."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from banding.appeals.models import Step
from banding.reports import raw, rollups
from banding.reports.models import RollupMonth, StepMonth
from tests.concurrency import errors_of, in_threads
from tests.factories import register

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIB = ZoneInfo("Asia/Jakarta")
MARCH = date(2026, 3, 1)
CHANGED_AT = datetime(2026, 3, 20, 10, 0, tzinfo=WIB)


@pytest.fixture
def open_step(p) -> Step:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=WIB), tick=False):
        appeal = register(p)
    return Step.objects.get(appeal=appeal, completed_at=None)


def _change(step: Step) -> None:
    """What a backdated record does to March (directly: the services' own tests cover them),
    with the hook the services call."""
    Step.objects.filter(pk=step.pk).update(
        completed_at=CHANGED_AT, working_minutes=77, within_standard=True
    )
    rollups.invalidate(since=CHANGED_AT)


def _march_step_3() -> int:
    row = StepMonth.objects.filter(month=MARCH, number=3).first()
    return row.count if row else 0


def test_a_change_committed_while_a_freeze_waits_is_in_the_frozen_figures(open_step):
    rollups.freeze(MARCH)
    assert _march_step_3() == 0
    changed = threading.Event()

    def body(i: int) -> None:
        if i == 0:
            with transaction.atomic():
                _change(open_step)
                changed.set()
                time.sleep(0.5)  # the freezer is waiting for the month's row meanwhile
        else:
            changed.wait(5)
            rollups.freeze(MARCH)

    assert errors_of(in_threads(2, body)) == []
    assert RollupMonth.objects.get(month=MARCH).frozen
    assert _march_step_3() == 1


def test_a_change_made_while_a_month_is_frozen_leaves_it_to_be_computed_again(
    open_step, monkeypatch
):
    RollupMonth.objects.all().delete()
    computing = threading.Event()
    real = raw.raw_steps

    def slow(ranges):  # the freezer holds the month's row while it computes
        computing.set()
        time.sleep(0.5)
        return real(ranges)

    monkeypatch.setattr(raw, "raw_steps", slow)

    def body(i: int) -> None:
        if i == 0:
            rollups.freeze(MARCH)
        else:
            computing.wait(5)
            with transaction.atomic():
                _change(open_step)

    assert errors_of(in_threads(2, body)) == []
    # Frozen without the change (it was not committed yet), then marked stale by it.
    assert not RollupMonth.objects.get(month=MARCH).frozen
    monkeypatch.setattr(raw, "raw_steps", real)
    assert rollups.freeze(MARCH)
    assert _march_step_3() == 1
