"""The product's working-time arithmetic (banding.workdays.calendar, banding.appeals.deadlines)
on whole-second epoch instants, for generating millions of steps quickly.

The office windows of every working day in a range are read once from the product's own
WorkCalendar (its hours, holidays and administrator overrides); an instant's *position* is the
working seconds before it, so adding working minutes, measuring working time and finding the
next opening are a bisect each instead of a walk over days. tests/bench/bulk checks that every value
equals what WorkCalendar and deadlines compute for the same instants.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from datetime import datetime, timedelta

from banding.appeals import deadlines
from banding.sop import definition as sop
from banding.sop.definition import Unit
from banding.workdays.calendar import WorkCalendar

DAY = 86400


class WorkTime:
    """Office windows from `first` to `last` (dates) as epoch seconds, with positions."""

    def __init__(self, calendar: WorkCalendar, first: datetime, last: datetime) -> None:
        self.calendar = calendar
        self.share = deadlines.at_risk_share()
        offsets = {
            (first + timedelta(days=d)).astimezone(calendar.tz).utcoffset()
            for d in range(0, (last - first).days + 2, 7)
        }
        if len(offsets) != 1:
            # The fast add_days assumes one UTC offset over the range (true for WIB); a zone
            # with daylight saving would need the product's own arithmetic.
            raise ValueError("Zona waktu dengan perubahan offset tidak didukung seed-bulk.")
        self.offset = int(offsets.pop().total_seconds())
        self.opens: list[int] = []
        self.closes: list[int] = []
        self.starts: list[int] = []  # position of each window's opening
        self.ends: list[int] = []  # position of each window's closing
        self.midnights: list[int] = []  # local midnight of each window's day
        position = 0
        day = first.astimezone(calendar.tz).date()
        while day <= last.astimezone(calendar.tz).date():
            window = calendar.window(day)
            if window is not None:
                opening, closing = (int(w.timestamp()) for w in window)
                self.opens.append(opening)
                self.closes.append(closing)
                self.starts.append(position)
                position += closing - opening
                self.ends.append(position)
                midnight = datetime(day.year, day.month, day.day, tzinfo=calendar.tz)
                self.midnights.append(int(midnight.timestamp()))
            day += timedelta(days=1)
        self.first = self.opens[0]
        self.last = self.closes[-1]
        # Each step's standard time: ("minutes" | "days" | "calendar days", amount).
        self._rules = {}
        for step in sop.STEPS:
            waktu = step.waktu
            if waktu.unit is Unit.MINUTE:
                self._rules[step.number] = ("minutes", waktu.amount)
            elif waktu.maximum and calendar.calendar_days_for_max:
                self._rules[step.number] = ("calendar days", waktu.amount)
            else:
                self._rules[step.number] = ("days", waktu.amount)

    # Instants and positions --------------------------------------------------------------

    def _window(self, t: int) -> int:
        """The first window that closes after `t`."""
        i = bisect_right(self.closes, t)
        if t < self.first or i == len(self.closes):
            raise ValueError("Waktu di luar rentang kalender seed-bulk.")
        return i

    def position(self, t: int) -> int:
        """Working seconds before instant `t`."""
        i = self._window(t)
        return self.starts[i] + max(0, t - self.opens[i])

    def instant(self, p: int) -> int:
        """The instant at working position `p` > 0; a position on a window's end is its
        closing time (as WorkCalendar.add_minutes lands on closing time)."""
        i = bisect_left(self.ends, p)
        if i == len(self.ends):
            raise ValueError("Posisi di luar rentang kalender seed-bulk.")
        return self.opens[i] + (p - self.starts[i])

    def next_open(self, t: int) -> int:
        i = self._window(t)
        return max(t, self.opens[i])

    # The product's arithmetic ----------------------------------------------------------------

    def deadline(self, number: int, start: int) -> tuple[int, int]:
        """deadlines.deadline_for(number, start) as (due_at, at_risk_at): WorkCalendar.due for
        the step's standard time, and the at-risk instant after the share of its working
        minutes, computed on positions (two or three bisects instead of a walk over days).
        A plain tuple: it runs for every generated step."""
        opens = self.opens
        i = self._window(start)
        begin = start if start > opens[i] else opens[i]  # WorkCalendar.next_open
        origin = self.starts[i] + (begin - opens[i])  # the position of start and begin
        unit, amount = self._rules[number]
        if unit == "minutes":  # add_minutes
            due_position = origin + 60 * amount
            due_at = self.instant(due_position)
        elif unit == "days":  # add_days: the same office clock, `amount` working days on
            target = i + amount
            opening = opens[target]
            same_clock = self.midnights[target] + (begin + self.offset) % DAY
            due_at = min(max(same_clock, opening), self.closes[target])
            due_position = self.starts[target] + (due_at - opening)
        else:  # add_calendar_days
            due_at = begin + amount * DAY
            due_position = self.position(due_at)
        total = (due_position - origin) // 60  # working_minutes(start, due_at)
        minutes = math.ceil(total * self.share)
        at_risk_at = self.instant(origin + 60 * minutes) if minutes else begin
        return due_at, at_risk_at if at_risk_at < due_at else due_at
