"""Report periods: a year, a semester, a quarter, a month, or a range of WIB days. Shared by
every report (survey results, monitoring, management review, dashboard); the form that picks one
from the query string is banding.reports.period_forms."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext

from banding.formats import MONTH_NAMES, format_day

QUARTERS = ("I", "II", "III", "IV")
SEMESTERS = ("I", "II")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:  # exclusive
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), gettext("Tahun %(year)s") % {"year": year})

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        last = first + 2
        end = date(year, last, calendar.monthrange(year, last)[1])
        return cls(
            date(year, first, 1),
            end,
            gettext("Triwulan %(quarter)s %(year)s")
            % {"quarter": QUARTERS[quarter - 1], "year": year},
        )

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = date(year, month, 1)
        end = date(year, month, calendar.monthrange(year, month)[1])
        return cls(start, end, f"{MONTH_NAMES[month - 1]} {year}")

    @classmethod
    def between(cls, start: date, end: date) -> Period:
        return cls(start, end, f"{format_day(start)} – {format_day(end)}")

    @classmethod
    def semester(cls, year: int, semester: int) -> Period:
        first = 1 if semester == 1 else 7
        last = first + 5
        end = date(year, last, calendar.monthrange(year, last)[1])
        return cls(
            date(year, first, 1),
            end,
            gettext("Semester %(semester)s %(year)s")
            % {"semester": SEMESTERS[semester - 1], "year": year},
        )

    def previous(self) -> Period:
        """The period of the same length just before this one (for trends)."""
        days = (self.end - self.start).days + 1
        end = self.start - timedelta(days=1)
        start = end - timedelta(days=days - 1)
        if self.start.day == 1 and (self.end + timedelta(days=1)).day == 1:
            # Whole months: the same number of whole months before (a semester, a quarter).
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
            year, month = divmod(self.start.year * 12 + self.start.month - 1 - months, 12)
            start = date(year, month + 1, 1)
        return Period.between(start, end).named()

    def named(self) -> Period:
        """This period labelled as what it is when it is a whole year, semester, quarter or
        month ("Semester II 2025" rather than its two dates)."""
        year = self.start.year
        for candidate in (
            Period.year(year),
            *(Period.semester(year, s) for s in (1, 2)),
            *(Period.quarter(year, q) for q in (1, 2, 3, 4)),
            Period.month(year, self.start.month),
        ):
            if (candidate.start, candidate.end) == (self.start, self.end):
                return candidate
        return self
