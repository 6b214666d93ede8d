"""Deadlines of SOP steps in working time (docs/working-time.md).

A step's `due_at` is its standard time (waktu) from the SOP definition added to the instant it
started, on the working calendar; it is "at risk" once a share of that working time is used
(BANDING_AT_RISK_SHARE, default 0.75) and "overdue" after `due_at`. Both instants are stored
when the step opens, so "what is late" is one indexed query.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from banding.sop import definition as sop
from banding.workdays.calendar import WorkCalendar, current_calendar


class DeadlineState(models.TextChoices):
    ON_TIME = "on_time", "Tepat waktu"
    AT_RISK = "at_risk", "Hampir jatuh tempo"
    OVERDUE = "overdue", "Terlambat"


@dataclass(frozen=True)
class Deadline:
    due_at: datetime
    at_risk_at: datetime


def at_risk_share() -> float:
    share = float(getattr(settings, "BANDING_AT_RISK_SHARE", 0.75))
    return min(max(share, 0.0), 1.0)


def deadline_for(number: int, started_at: datetime, calendar: WorkCalendar | None = None):
    """When step `number`, started at `started_at`, is due and when it becomes at risk."""
    cal = calendar or current_calendar()
    due_at = cal.due(started_at, sop.step(number).waktu)
    total = cal.working_minutes_between(started_at, due_at)
    at_risk_at = cal.add_minutes(started_at, math.ceil(total * at_risk_share()))
    return Deadline(due_at=due_at, at_risk_at=min(at_risk_at, due_at))


def state_of(due_at: datetime | None, at_risk_at: datetime | None, now: datetime | None = None):
    """On time, at risk or overdue, for an open step; None when there is no deadline."""
    if due_at is None:
        return None
    now = now or timezone.now()
    if now >= due_at:
        return DeadlineState.OVERDUE
    if at_risk_at is not None and now >= at_risk_at:
        return DeadlineState.AT_RISK
    return DeadlineState.ON_TIME


def expected_completion(
    current_step: int | None, current_due_at: datetime | None, calendar: WorkCalendar | None = None
) -> datetime | None:
    """When the appeal should be finished if every remaining step takes its standard time:
    the current step's due instant, then each later step of its path (the relevant branch
    while step 3 is undecided) added in turn."""
    if current_step is None or current_due_at is None:
        return None
    cal = calendar or current_calendar()
    instant = current_due_at
    for number in sop.path_from(current_step)[1:]:
        instant = cal.due(instant, sop.step(number).waktu)
    return instant


def working_minutes(start: datetime, end: datetime, calendar: WorkCalendar | None = None) -> int:
    cal = calendar or current_calendar()
    return cal.working_minutes_between(start, end) if end > start else 0


def format_minutes(minutes: int | None) -> str:
    """`2 hari kerja 3 jam 15 menit` is not meaningful across different day lengths; working
    time is shown as hours and minutes: `7 jam 30 menit`, `15 menit`."""
    if minutes is None:
        return "—"
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return f"{hours} jam {rest} menit"
    if hours:
        return f"{hours} jam"
    return f"{rest} menit"
