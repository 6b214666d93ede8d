"""Dates, times, durations and numbers as the institute writes them, in one place: WIB
(Asia/Jakarta) whatever the server's zone, Indonesian day and month names, the decimal comma.
Foundation layer: nothing here knows an appeal or a letter; the template filters
(banding.appeals.templatetags.banding), the letters, notices, reports and survey call these."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import dateformat, timezone
from django.utils.dates import MONTHS
from django.utils.translation import get_language

# WIB is Asia/Jakarta whatever the server's zone: the SOP counts time in WIB.
WIB = ZoneInfo("Asia/Jakarta")

DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTH_NAMES = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def format_date(day: date) -> str:
    """'Rabu, 25 Maret 2026', independent of the active locale."""
    return f"{DAY_NAMES[day.weekday()]}, {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def format_day(day: date) -> str:
    """'25 Maret 2026' (no weekday), independent of the active locale."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def format_instant(instant: datetime, *, pukul: bool = False) -> str:
    """'Rabu, 25 Maret 2026 10:00 WIB' (audit summaries), or with `pukul` 'Rabu, 25 Maret
    2026 pukul 10:00 WIB' (notices); independent of the active locale."""
    local = instant.astimezone(WIB)
    joiner = " pukul " if pukul else " "
    return f"{format_date(local.date())}{joiner}{local:%H:%M} WIB"


@lru_cache(maxsize=16)
def _month_names(language: str | None) -> tuple[str, ...]:
    """The month names of Django's date format ('F') in `language`, the active one: read once
    per language rather than per date (a list formats a few dates per row)."""
    return ("", *(str(MONTHS[month]) for month in range(1, 13)))


def format_wib(value: datetime | None) -> str:
    """'24 November 2026 10:05 WIB' in the active language's month names (pages and letters,
    which render in Bahasa Indonesia); a naive value is read as WIB; '' for none. The same
    text as dateformat's 'j F Y H:i', without parsing that format for every date."""
    if not value:
        return ""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, WIB)
    local = value.astimezone(WIB)
    month = _month_names(get_language())[local.month]
    return f"{local.day} {month} {local.year:04d} {local.hour:02d}:{local.minute:02d} WIB"


def summary(text: str, limit: int = 100) -> str:
    """The first `limit` characters or so of `text` on one line, cut after a whole word,
    with an ellipsis when cut (a word longer than `limit` is cut inside)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    head = flat[: limit + 1]
    cut = head.rsplit(" ", 1)[0] if " " in head else flat[:limit]
    return cut.rstrip(" ,.;:-") + "…"


def format_long_date(value: date | datetime | None) -> str:
    """'24 November 2026' in the active language's month names; an aware instant is taken
    on its WIB day; '' for none."""
    if not value:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = value.astimezone(WIB)
    return dateformat.format(value, "j F Y")


def format_minutes(minutes: int | None) -> str:
    """`2 hari kerja 3 jam 15 menit` is not meaningful across different day lengths; working
    time is shown as hours and minutes: `7 jam 30 menit`, `15 menit`; '—' for none."""
    if minutes is None:
        return "—"
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return f"{hours} jam {rest} menit"
    if hours:
        return f"{hours} jam"
    return f"{rest} menit"


def format_decimal(value: Decimal, places: int = 2) -> str:
    """78,70: Indonesian decimal comma, fixed places."""
    return f"{value:.{places}f}".replace(".", ",")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell[T](value: T) -> T | str:
    """A value for a CSV or XLSX cell: text starting with = + - @ (which a spreadsheet program
    would run as a formula) is kept as text by a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class Echo:
    """A file-like object whose write() returns what it is given: csv.writer over it yields
    each row as a string, for a streaming response."""

    def write(self, value: str) -> str:
        return value


CSV_DATETIME_FORMAT = "%Y-%m-%d %H:%M"


def csv_lines(headers: Iterable[object], lines: Iterable[Sequence[Any]]) -> Iterator[str]:
    """A table as CSV, line by line (for a streaming response): UTF-8 with a byte-order mark so
    spreadsheet programs read it as UTF-8, comma-separated, quoted where needed; instants as
    CSV_DATETIME_FORMAT (give them in the time zone the file speaks), a text that looks like a
    formula quoted (spreadsheet_cell). Every CSV download writes through it."""
    writer = csv.writer(Echo())
    yield "\ufeff"
    yield writer.writerow([str(header) for header in headers])
    for cells in lines:
        yield writer.writerow(
            [
                c.strftime(CSV_DATETIME_FORMAT) if isinstance(c, datetime) else spreadsheet_cell(c)
                for c in cells
            ]
        )
