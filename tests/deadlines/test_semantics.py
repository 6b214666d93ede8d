"""The one explanation of how deadlines are counted, as the UI shows it, and the small
formatting helpers around it."""

from __future__ import annotations

from datetime import UTC, datetime

from banding import formats
from banding.appeals import deadlines
from banding.sop.definition import Duration, Unit
from banding.workdays.calendar import DEFAULT_OFFICE_HOURS, calendar_from
from tests.deadlines.conftest import wib

OPENING = (
    "Dihitung dalam jam kerja (Senin–Kamis 07:30–16:00, Jumat 07:30–16:30 WIB; tidak termasuk "
    "hari libur nasional, cuti bersama dan penutupan yang ditetapkan administrator). Langkah "
    "yang dimulai di luar jam kantor mulai dihitung pada jam buka berikutnya."
)
STATES = "Hampir jatuh tempo setelah 75% waktu kerjanya terpakai; terlambat setelah jatuh tempo."


def calendar(*, calendar_days_for_max: bool = False, office_hours=DEFAULT_OFFICE_HOURS):
    return calendar_from(
        office_hours=office_hours,
        time_zone="Asia/Jakarta",
        calendar_days_for_max=calendar_days_for_max,
        overrides=[],
    )


def test_minutes_are_working_minutes():
    text = deadlines.semantics(Duration(15, Unit.MINUTE), calendar())
    assert text == (
        f"{OPENING} “15 menit” berarti 15 menit kerja; menit di luar jam kantor tidak "
        f"dihitung. {STATES}"
    )


def test_days_are_the_same_office_clock_point_or_that_days_closing():
    text = deadlines.semantics(Duration(1, Unit.DAY), calendar())
    assert text == (
        f"{OPENING} “1 hari” berarti 1 hari kerja: jam kantor yang sama pada hari kerja ke-1 "
        f"berikutnya, atau jam tutup hari itu bila kantor tutup lebih awal. {STATES}"
    )


def test_the_maximum_says_whether_it_counts_working_or_calendar_days():
    maximum = Duration(30, Unit.DAY, maximum=True)
    assert "“maks. 30 hari” berarti 30 hari kerja (bawaan, bukan hari kalender): " in (
        deadlines.semantics(maximum, calendar())
    )
    assert (
        "“maks. 30 hari” dihitung sebagai 30 hari kalender (setelan "
        "BANDING_CALENDAR_DAYS_FOR_MAX): jam yang sama 30 hari kemudian, apa pun jenis harinya."
    ) in deadlines.semantics(maximum, calendar(calendar_days_for_max=True))


def test_without_a_duration_every_kind_of_standard_time_of_the_sop_is_explained():
    text = deadlines.semantics(None, calendar())
    assert text.startswith(OPENING)
    assert "“15 menit” berarti 15 menit kerja" in text
    assert "“N hari” berarti N hari kerja: jam kantor yang sama pada hari kerja ke-N" in text
    assert "“maks. 30 hari” berarti 30 hari kerja" in text
    assert text.endswith(STATES)


def test_the_at_risk_share_comes_from_the_setting(settings):
    settings.BANDING_AT_RISK_SHARE = 0.5
    assert deadlines.semantics(Duration(1, Unit.DAY), calendar()).endswith(
        "Hampir jatuh tempo setelah 50% waktu kerjanya terpakai; terlambat setelah jatuh tempo."
    )


def test_office_hours_group_consecutive_days_with_the_same_hours():
    assert deadlines.office_hours_text(calendar()) == "Senin–Kamis 07:30–16:00, Jumat 07:30–16:30"
    odd = {0: ("08:00", "15:00"), 2: ("08:00", "15:00"), 3: ("08:00", "15:00")}
    assert deadlines.office_hours_text(calendar(office_hours=odd)) == (
        "Senin 08:00–15:00, Rabu–Kamis 08:00–15:00"
    )


def test_instants_are_written_in_wib_whatever_their_zone():
    assert formats.format_instant(datetime(2026, 3, 25, 3, 0, tzinfo=UTC)) == (
        "Rabu, 25 Maret 2026 10:00 WIB"
    )
    assert formats.format_instant(wib(2026, 3, 31, 23, 59)) == "Selasa, 31 Maret 2026 23:59 WIB"


def test_working_minutes_read_as_hours_and_minutes():
    assert [formats.format_minutes(m) for m in (None, 0, 15, 60, 510)] == [
        "—",
        "0 menit",
        "15 menit",
        "1 jam",
        "8 jam 30 menit",
    ]
