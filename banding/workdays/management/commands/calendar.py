"""`banding calendar days 2026` and `banding calendar due --start … --duration "1 hari"`:
let an administrator check the working calendar the deadlines are computed with."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from banding.formats import DAY_NAMES
from banding.sop.definition import Duration
from banding.workdays.calendar import SOURCE_ADMIN, WorkCalendar, current_calendar

YEARS = range(1900, 2201)
USAGE = (
    "Sebutkan perintahnya: 'banding calendar days 2026' atau "
    "'banding calendar due --start 2026-03-17T10:00+07:00 --duration \"1 hari\"'."
)


class Command(BaseCommand):
    help = "Periksa kalender kerja: hari tidak bekerja setahun, atau batas waktu sebuah durasi."

    def add_arguments(self, parser: CommandParser) -> None:
        # Arguments are read as text and checked in handle(), so that every mistake gets an
        # Indonesian message instead of argparse's English one.
        actions = parser.add_subparsers(dest="action", title="perintah")
        days = actions.add_parser(
            "days", help="Hari libur, cuti bersama dan pengecualian administrator setahun."
        )
        days.add_argument("year", nargs="?", help="tahun, misalnya 2026")
        due = actions.add_parser("due", help="Batas waktu sebuah durasi SOP dari waktu mulai.")
        due.add_argument(
            "--start", help="waktu mulai ISO 8601, misalnya 2026-03-17T10:00+07:00 (default: kini)"
        )
        due.add_argument("--duration", help="durasi seperti di SOP: '15 menit', '1 hari'")

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("action") == "days":
            year = parse_year(options.get("year"))
            self.days(current_calendar(), year)
        elif options.get("action") == "due":
            duration = parse_duration(options.get("duration"))
            calendar = current_calendar()
            start = parse_start(options.get("start"), calendar)
            self.stdout.write(calendar.due(start, duration).isoformat())
        else:
            raise CommandError(USAGE)

    def days(self, calendar: WorkCalendar, year: int) -> None:
        rows = [(day, source, name) for day, name, source in calendar.non_working_days(year)]
        rows += [
            (day, SOURCE_ADMIN, f"[hari kerja] {name} tetap masuk kerja: {reason}")
            for day, name, reason in calendar.worked_holidays(year)
        ]
        self.stdout.write(
            f"Hari tidak bekerja tahun {year} (Sabtu dan Minggu biasa tidak dicantumkan):"
        )
        for day, source, name in sorted(rows):
            weekday = DAY_NAMES[day.weekday()]
            self.stdout.write(f"{day.isoformat()}  {weekday:<7} {source:<15} {name}")
        worked = len(calendar.worked_holidays(year))
        self.stdout.write(
            f"Jumlah: {len(rows) - worked} hari tidak bekerja, "
            f"{worked} hari libur ditetapkan hari kerja."
        )


def parse_year(text: str | None) -> int:
    if text is None:
        raise CommandError("Sebutkan tahunnya, misalnya: banding calendar days 2026.")
    if not text.isdigit() or int(text) not in YEARS:
        raise CommandError(
            f"Tahun harus angka antara {YEARS.start} dan {YEARS.stop - 1}, bukan {text!r}."
        )
    return int(text)


def parse_start(text: str | None, calendar: WorkCalendar) -> datetime:
    if text is None:
        return timezone.now()
    try:
        start = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"Waktu mulai tidak dikenali: {text!r} (tulis ISO 8601, misalnya "
            "2026-03-17T10:00+07:00)."
        ) from None
    if start.tzinfo is None:
        # Without an offset the time is read as office time (WIB by default).
        start = start.replace(tzinfo=calendar.tz)
    return start


def parse_duration(text: str | None) -> Duration:
    if text is None:
        raise CommandError('Sebutkan durasinya dengan --duration, misalnya --duration "1 hari".')
    try:
        return Duration.parse(text)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
