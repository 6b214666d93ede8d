"""Calendar months (WIB) as the reports' rollups count them: a month is its first day."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from banding.workdays.periods import Period

Range = tuple[datetime, datetime]


def month_of(instant: datetime) -> date:
    day = timezone.localtime(instant).date()
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def bounds(month: date) -> Range:
    period = Period.month(month.year, month.month)
    return period.since, period.until


def whole_months(period: Period) -> list[date]:
    """The months lying wholly inside the period, in order."""
    month = period.start if period.start.day == 1 else next_month(period.start.replace(day=1))
    months = []
    while month <= period.end and next_month(month) - timedelta(days=1) <= period.end:
        months.append(month)
        month = next_month(month)
    return months


def pieces(ranges: list[Range]) -> list[tuple[date, datetime, datetime]]:
    """The ranges cut at the months' edges: (month, since, until) each."""
    found = []
    for since, until in ranges:
        start = since
        while start < until:
            month = month_of(start)
            end = min(until, bounds(month)[1])
            found.append((month, start, end))
            start = end
    return found
