"""The sweep tests run on a frozen clock, starting on an ordinary working Tuesday (3 February
2026, 09:00 WIB), and move it to the instants the steps store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from banding.appeals.models import Appeal, Step
from banding.notifications.models import Kind, Notification

WIB = ZoneInfo("Asia/Jakarta")
START = datetime(2026, 2, 3, 9, 0, tzinfo=WIB)
MINUTE = timedelta(minutes=1)
# The sweep's own notices (a step that opens and a milestone reached are told too, by
# banding.notifications.events, and are not what these tests count).
SWEEP_KINDS = (Kind.STEP_AT_RISK, Kind.STEP_OVERDUE, Kind.ESCALATION)


def sweep_notices():
    return Notification.objects.filter(kind__in=SWEEP_KINDS)


@pytest.fixture
def clock(time_machine) -> Callable[[datetime], datetime]:
    """`clock(dt)` stops the clock at dt (never ticking) until it is moved again."""

    def move(instant: datetime) -> datetime:
        time_machine.move_to(instant, tick=False)
        return instant

    move(START)
    return move


def open_step(appeal: Appeal) -> Step:
    return appeal.steps.get(completed_at__isnull=True)


def received(step: Step, kind: str | None = None) -> set[str]:
    """Usernames that hold a notice of the sweep about `step` (of `kind`)."""
    qs = sweep_notices().filter(step=step)
    if kind:
        qs = qs.filter(kind=kind)
    return set(qs.values_list("recipient__username", flat=True))
