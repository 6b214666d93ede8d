"""Working time of an Indonesian government office, and the arithmetic on it.

`WorkCalendar` is pure: office hours, holiday names and administrator overrides go in, and
every method is arithmetic on them (no database, no settings, no clock). `current_calendar()`
builds one from the settings and the `CalendarOverride` table and keeps it until the overrides
change. The semantics are written down in docs/working-time.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from time import monotonic
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_package
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# The day and month names and the date format live in banding.formats; named here too for the
# callers that take them from here.
from banding.sop.definition import Duration, Unit
from banding.workdays.models import CalendarOverride, OverrideKind

SOURCE_PACKAGE = "paket holidays"
SOURCE_ADMIN = "administrator"
# The package's default category leaves cuti bersama out; a government office closes on it.
HOLIDAY_CATEGORIES = ("government", "public")
DEFAULT_OFFICE_HOURS: dict[int, tuple[str, str]] = {
    0: ("07:30", "16:00"),
    1: ("07:30", "16:00"),
    2: ("07:30", "16:00"),
    3: ("07:30", "16:00"),
    4: ("07:30", "16:30"),
}
DEFAULT_CACHE_SECONDS = 60
# A calendar that never opens (every day closed) must fail loudly, not loop forever.
MAX_CLOSED_RUN = 366 * 3

OfficeHours = Mapping[int, tuple[time, time]]
HolidayProvider = Callable[[int], Mapping[date, str]]


class NonWorkingDay(NamedTuple):
    date: date
    name: str
    source: str  # SOURCE_PACKAGE or SOURCE_ADMIN


class WorkedHoliday(NamedTuple):
    """A holiday of the package that an administrator marked as a working day."""

    date: date
    name: str
    reason: str


def package_holidays(year: int) -> dict[date, str]:
    """Indonesian national holidays and cuti bersama of one year, from the holidays package."""
    return dict(_package_holidays(year))


@cache
def _package_holidays(year: int) -> tuple[tuple[date, str], ...]:
    # The package's list is fixed for the life of the process, and building it costs about a
    # millisecond: a calendar loaded per action (load_calendar) would otherwise pay it each time.
    listed = holidays_package.country_holidays("ID", years=year, categories=HOLIDAY_CATEGORIES)
    return tuple(listed.items())


def parse_office_hours(raw: Mapping) -> dict[int, tuple[time, time]]:
    """BANDING_OFFICE_HOURS ({weekday: ("HH:MM", "HH:MM")}, Monday = 0) as times."""
    hours: dict[int, tuple[time, time]] = {}
    for weekday, pair in raw.items():
        if weekday not in range(7):
            raise ImproperlyConfigured(
                f"BANDING_OFFICE_HOURS: hari {weekday!r} tidak dikenal (0 = Senin … 6 = Minggu)."
            )
        try:
            opening, closing = (_as_time(value) for value in pair)
        except (TypeError, ValueError) as exc:
            raise ImproperlyConfigured(
                f'BANDING_OFFICE_HOURS[{weekday}]: tulis jam sebagai ("07:30", "16:00"), '
                f"bukan {pair!r}."
            ) from exc
        if not opening < closing:
            raise ImproperlyConfigured(
                f"BANDING_OFFICE_HOURS[{weekday}]: jam buka {opening:%H:%M} harus sebelum "
                f"jam tutup {closing:%H:%M}."
            )
        hours[weekday] = (opening, closing)
    if not hours:
        raise ImproperlyConfigured("BANDING_OFFICE_HOURS: paling sedikit satu hari kerja.")
    return hours


def _as_time(value: str | time) -> time:
    if isinstance(value, time):
        return value
    return time.fromisoformat(value)


def _utc(instant: datetime) -> datetime:
    # Differences and sums are taken in UTC: Python subtracts two datetimes sharing a tzinfo
    # by their wall clocks, which is wrong across a DST change in zones that have one.
    return instant.astimezone(UTC)


class WorkCalendar:
    """Office hours minus weekends, holidays, cuti bersama and administrator closures."""

    def __init__(
        self,
        *,
        hours: OfficeHours,
        tz: ZoneInfo,
        holidays: HolidayProvider = package_holidays,
        closed: Mapping[date, str] | None = None,
        working: Mapping[date, str] | None = None,
        calendar_days_for_max: bool = False,
    ) -> None:
        self.hours = dict(hours)
        self.tz = tz
        self.closed = dict(closed or {})  # date -> reason of the added closure
        self.working = dict(working or {})  # date -> reason a listed holiday is worked
        self.calendar_days_for_max = calendar_days_for_max
        self._holiday_provider = holidays
        self._holidays_by_year: dict[int, dict[date, str]] = {}
        if not self.hours:
            raise ValueError("Kalender kerja tanpa jam kantor tidak pernah buka.")

    # Days -------------------------------------------------------------------------------

    def holidays_of(self, year: int) -> dict[date, str]:
        listed = self._holidays_by_year.get(year)
        if listed is None:
            listed = dict(self._holiday_provider(year))
            self._holidays_by_year[year] = listed
        return listed

    def holiday_name(self, day: date) -> str | None:
        return self.holidays_of(day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        if day in self.closed or day.weekday() not in self.hours:
            return False
        return day in self.working or self.holiday_name(day) is None

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """Opening and closing instants of a working day; None on a non-working day."""
        return self._office_hours(day) if self.is_working_day(day) else None

    def _office_hours(self, day: date) -> tuple[datetime, datetime]:
        # Callers know `day` is a working day.
        opening, closing = self.hours[day.weekday()]
        return (
            datetime.combine(day, opening, tzinfo=self.tz),
            datetime.combine(day, closing, tzinfo=self.tz),
        )

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        for offset in range(1, MAX_CLOSED_RUN + 1):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"Tidak ada hari kerja dalam {MAX_CLOSED_RUN} hari setelah {day}.")

    def non_working_days(self, year: int) -> list[NonWorkingDay]:
        """Named non-working days of a year (holidays, cuti bersama, administrator closures),
        by date. Plain weekends are not listed; a holiday that falls on one is."""
        days = [
            NonWorkingDay(day, name, SOURCE_PACKAGE)
            for day, name in self.holidays_of(year).items()
            if day not in self.working and day not in self.closed
        ]
        days += [
            NonWorkingDay(day, reason, SOURCE_ADMIN)
            for day, reason in self.closed.items()
            if day.year == year
        ]
        return sorted(days)

    def worked_holidays(self, year: int) -> list[WorkedHoliday]:
        """Listed holidays of a year that an administrator marked as working days."""
        return sorted(
            WorkedHoliday(day, self.holiday_name(day) or "", reason)
            for day, reason in self.working.items()
            if day.year == year
        )

    # Instants ---------------------------------------------------------------------------

    def local(self, instant: datetime) -> datetime:
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError(f"Waktu {instant.isoformat()} tidak memiliki zona waktu.")
        return instant.astimezone(self.tz)

    def next_open(self, instant: datetime) -> datetime:
        """The instant itself when the office is open then, else the next opening. Closing
        time is not open: nothing can be worked from it."""
        here = self.local(instant)
        window = self.window(here.date())
        if window is not None:
            opening, closing = window
            if opening <= here < closing:
                return here
            if here < opening:
                return opening
        opening, _ = self._office_hours(self.next_working_day(here.date()))
        return opening

    def add_minutes(self, start: datetime, minutes: int) -> datetime:
        """The end of the `minutes`-th working minute counted from `start` (from the next
        opening when the office is closed at `start`). Landing exactly on closing time stays
        there: 15:45 + 15 menit on Monday is 16:00 that day."""
        if minutes < 0:
            raise ValueError("Jumlah menit kerja tidak boleh negatif.")
        remaining = timedelta(minutes=minutes)
        current = self.next_open(start)
        while True:
            _, closing = self._office_hours(current.date())
            available = _utc(closing) - _utc(current)
            if remaining <= available:
                return (_utc(current) + remaining).astimezone(self.tz)
            remaining -= available
            current = self.next_open(closing)

    def add_days(self, start: datetime, days: int) -> datetime:
        """`days` working days after `start`: the same office-clock point on the `days`-th
        working day after the day counting starts, or that day's closing time if it closes
        earlier (or its opening if it opens later). Counting starts at the next opening when
        the office is closed at `start`."""
        if days < 0:
            raise ValueError("Jumlah hari kerja tidak boleh negatif.")
        begin = self.next_open(start)
        day = begin.date()
        for _ in range(days):
            day = self.next_working_day(day)
        opening, closing = self._office_hours(day)
        same_clock = datetime.combine(day, begin.time(), tzinfo=self.tz)
        return min(max(same_clock, opening), closing)

    def add_calendar_days(self, start: datetime, days: int) -> datetime:
        """`days` calendar days after the next opening at or after `start`, at the same
        office-clock point, whatever kind of day that is."""
        if days < 0:
            raise ValueError("Jumlah hari kalender tidak boleh negatif.")
        begin = self.next_open(start)
        return datetime.combine(begin.date() + timedelta(days=days), begin.time(), tzinfo=self.tz)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Office time inside [start, end); negative when end is before start."""
        if end < start:
            return -self.working_time_between(end, start)
        first, last = self.local(start), self.local(end)
        total = timedelta()
        day = first.date()
        while day <= last.date():
            window = self.window(day)
            if window is not None:
                low, high = max(window[0], first), min(window[1], last)
                if high > low:
                    total += _utc(high) - _utc(low)
            day += timedelta(days=1)
        return total

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Whole working minutes inside [start, end) (truncated toward zero)."""
        return int(self.working_time_between(start, end) / timedelta(minutes=1))

    def due(self, start: datetime, duration: Duration) -> datetime:
        """When a step with the SOP standard time `duration`, started at `start`, is due."""
        if duration.unit is Unit.MINUTE:
            return self.add_minutes(start, duration.amount)
        if duration.maximum and self.calendar_days_for_max:
            return self.add_calendar_days(start, duration.amount)
        return self.add_days(start, duration.amount)


# The calendar of this process ------------------------------------------------------------


@dataclass(frozen=True)
class _Cached:
    key: tuple
    calendar: WorkCalendar
    loaded_at: float


_cache: _Cached | None = None
_version = 0


def invalidate() -> None:
    """Forget the cached calendar; the next `current_calendar()` reads the overrides again.
    The override services call it when their transaction commits."""
    global _version
    _version += 1


def _settings_key() -> tuple:
    office_hours = getattr(settings, "BANDING_OFFICE_HOURS", DEFAULT_OFFICE_HOURS)
    if not isinstance(office_hours, Mapping):
        raise ImproperlyConfigured(
            'BANDING_OFFICE_HOURS harus berupa {hari: ("buka", "tutup")}, Senin = 0.'
        )
    return (
        dict(office_hours),
        settings.TIME_ZONE,
        bool(getattr(settings, "BANDING_CALENDAR_DAYS_FOR_MAX", False)),
    )


def calendar_from(
    *,
    office_hours: Mapping,
    time_zone: str,
    calendar_days_for_max: bool,
    overrides: list[tuple[date, str, str]],
    holidays: HolidayProvider = package_holidays,
) -> WorkCalendar:
    """A calendar from settings-shaped values and (date, kind, reason) overrides."""
    try:
        tz = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ImproperlyConfigured(f"TIME_ZONE {time_zone!r} tidak dikenal.") from exc
    return WorkCalendar(
        hours=parse_office_hours(office_hours),
        tz=tz,
        holidays=holidays,
        closed={day: reason for day, kind, reason in overrides if kind == OverrideKind.CLOSED},
        working={day: reason for day, kind, reason in overrides if kind == OverrideKind.WORKING},
        calendar_days_for_max=calendar_days_for_max,
    )


def load_calendar() -> WorkCalendar:
    """A fresh calendar from the settings and the override table (one query). Use it inside
    a transaction that has just changed the overrides; elsewhere use `current_calendar()`."""
    office_hours, time_zone, days_for_max = _settings_key()
    return calendar_from(
        office_hours=office_hours,
        time_zone=time_zone,
        calendar_days_for_max=days_for_max,
        overrides=list(CalendarOverride.objects.values_list("date", "kind", "reason")),
    )


def current_calendar() -> WorkCalendar:
    """The calendar of this process: loaded once, reloaded when this process changes an
    override, when the settings change, and after BANDING_CALENDAR_CACHE_SECONDS so that a
    change made by another process is picked up."""
    global _cache
    key = (_version, *_settings_key())
    ttl = float(getattr(settings, "BANDING_CALENDAR_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))
    now = monotonic()
    cached = _cache
    if cached is not None and cached.key == key and now - cached.loaded_at < ttl:
        return cached.calendar
    calendar = load_calendar()
    _cache = _Cached(key, calendar, now)
    return calendar
