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
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

# WIB and the formats live in banding.formats; named here too for the callers that take them
# from here.
from banding.formats import DAY_NAMES
from banding.sop import definition as sop
from banding.sop.definition import Duration, Unit
from banding.workdays.calendar import WorkCalendar, current_calendar

if TYPE_CHECKING:
    from banding.appeals.models import Appeal


class DeadlineState(models.TextChoices):
    ON_TIME = "on_time", N_("Tepat waktu")
    AT_RISK = "at_risk", N_("Hampir jatuh tempo")
    OVERDUE = "overdue", N_("Terlambat")


@dataclass(frozen=True)
class Deadline:
    due_at: datetime
    at_risk_at: datetime


def at_risk_share() -> float:
    share = float(getattr(settings, "BANDING_AT_RISK_SHARE", 0.75))
    return min(max(share, 0.0), 1.0)


def deadline_for(
    number: int, started_at: datetime, calendar: WorkCalendar | None = None
) -> Deadline:
    """When step `number`, started at `started_at`, is due and when it becomes at risk."""
    cal = calendar or current_calendar()
    due_at = cal.due(started_at, sop.step(number).waktu)
    total = cal.working_minutes_between(started_at, due_at)
    at_risk_at = cal.add_minutes(started_at, math.ceil(total * at_risk_share()))
    return Deadline(due_at=due_at, at_risk_at=min(at_risk_at, due_at))


def state_of(
    due_at: datetime | None, at_risk_at: datetime | None, now: datetime | None = None
) -> DeadlineState | None:
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


def office_hours_text(calendar: WorkCalendar) -> str:
    """'Senin–Kamis 07:30–16:00, Jumat 07:30–16:30': consecutive weekdays with the same
    hours are written as one range."""
    groups: list[tuple[list[int], tuple]] = []
    for weekday in sorted(calendar.hours):
        hours = calendar.hours[weekday]
        if groups and groups[-1][1] == hours and groups[-1][0][-1] == weekday - 1:
            groups[-1][0].append(weekday)
        else:
            groups.append(([weekday], hours))
    parts = []
    for days, (opening, closing) in groups:
        names = DAY_NAMES[days[0]]
        if len(days) > 1:
            names += f"–{DAY_NAMES[days[-1]]}"
        parts.append(f"{names} {opening:%H:%M}–{closing:%H:%M}")
    return ", ".join(parts)


def _days_rule(label: str, amount: str, note: str = "") -> str:
    return _(
        "“%(label)s” berarti %(amount)s hari kerja%(note)s: jam kantor yang "
        "sama pada hari kerja ke-%(amount)s berikutnya, atau jam tutup hari "
        "itu bila kantor tutup lebih awal."
    ) % {"label": label, "amount": amount, "note": note}


def _rule(duration: Duration, calendar: WorkCalendar) -> str:
    amount = duration.amount
    if duration.unit is Unit.MINUTE:
        return _(
            "“%(duration)s” berarti %(amount)s menit kerja; menit di luar jam "
            "kantor tidak dihitung."
        ) % {"duration": duration, "amount": amount}
    if duration.maximum and calendar.calendar_days_for_max:
        return _(
            "“%(duration)s” dihitung sebagai %(amount)s hari kalender (setelan "
            "BANDING_CALENDAR_DAYS_FOR_MAX): jam yang sama %(amount)s hari "
            "kemudian, apa pun jenis harinya."
        ) % {"duration": duration, "amount": amount}
    note = _(" (bawaan, bukan hari kalender)") if duration.maximum else ""
    return _days_rule(str(duration), str(amount), note)


def semantics(duration: Duration | None = None, calendar: WorkCalendar | None = None) -> str:
    """How a deadline is counted, in one short paragraph: the rules of docs/working-time.md
    that apply to `duration` (a step's waktu), or to every kind of standard time of the SOP
    when None. The one place the UI takes this text from."""
    cal = calendar or current_calendar()
    opening = _(
        "Dihitung dalam jam kerja (%(hours)s WIB; tidak termasuk "
        "hari libur nasional, cuti bersama dan penutupan yang ditetapkan "
        "administrator). Langkah yang dimulai di luar jam kantor mulai "
        "dihitung pada jam buka berikutnya."
    ) % {"hours": office_hours_text(cal)}
    if duration is not None:
        rules = [_rule(duration, cal)]
    else:
        kinds = {(s.waktu.unit, s.waktu.maximum): s.waktu for s in sop.STEPS}
        rules = [
            _days_rule(_("N hari"), "N")
            if waktu.unit is Unit.DAY and not waktu.maximum
            else _rule(waktu, cal)
            for waktu in kinds.values()
        ]
    share = round(at_risk_share() * 100)
    states = _(
        "Hampir jatuh tempo setelah %(share)s%% waktu kerjanya terpakai; "
        "terlambat setelah jatuh tempo."
    ) % {"share": share}
    return " ".join([opening, *rules, states])


@dataclass(frozen=True)
class AppealTiming:
    """What the appeal page and the API show of an appeal's time."""

    due_at: datetime | None  # of the current step
    at_risk_at: datetime | None
    state: DeadlineState | None
    expected_completion: datetime | None
    working_minutes: int  # from receipt to closing, or to now while open


def appeal_timing(
    appeal: Appeal, *, now: datetime | None = None, calendar: WorkCalendar | None = None
) -> AppealTiming:
    """The timing of an appeal from its own columns (no query beyond the calendar's)."""
    now = now or timezone.now()
    cal = calendar or current_calendar()
    is_open = appeal.is_open and appeal.current_step is not None
    due_at = appeal.current_due_at if is_open else None
    at_risk_at = appeal.current_at_risk_at if is_open else None
    return AppealTiming(
        due_at=due_at,
        at_risk_at=at_risk_at,
        state=state_of(due_at, at_risk_at, now),
        expected_completion=expected_completion(appeal.current_step, due_at, cal)
        if is_open
        else None,
        working_minutes=working_minutes(appeal.received_at, appeal.closed_at or now, cal),
    )
