"""Working-time arithmetic on real 2026 dates (default office hours, no database)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from banding.sop import definition as sop
from banding.sop.definition import Duration, Unit
from banding.workdays.calendar import (
    DEFAULT_OFFICE_HOURS,
    SOURCE_PACKAGE,
    NonWorkingDay,
    calendar_from,
)
from tests.workdays.conftest import WIB, wib

ONE_DAY = Duration(1, Unit.DAY)
FIFTEEN_MINUTES = Duration(15, Unit.MINUTE)
THIRTY_DAYS_MAX = Duration(30, Unit.DAY, maximum=True)


def test_one_day_step_crosses_nyepi_idul_fitri_and_cuti_bersama(cal):
    # Wed 18 cuti bersama, Thu 19 Nyepi, Fri 20 cuti, Sat-Sun 21-22 Idul Fitri, Mon-Tue 23-24 cuti.
    assert cal.due(wib(2026, 3, 17, 10, 0), ONE_DAY) == wib(2026, 3, 25, 10, 0)


def test_step_three_standard_time_is_the_sop_one_day(cal):
    assert sop.step(3).waktu == ONE_DAY
    assert cal.due(wib(2026, 3, 17, 10, 0), sop.step(3).waktu) == wib(2026, 3, 25, 10, 0)


def test_thirty_working_days_cross_idul_fitri(cal):
    # 30 working days after Mon 2 March skip 18-24 March and Good Friday 3 April.
    assert cal.due(wib(2026, 3, 2, 9, 0), THIRTY_DAYS_MAX) == wib(2026, 4, 21, 9, 0)
    assert cal.due(wib(2026, 3, 2, 9, 0), sop.step(7).waktu) == wib(2026, 4, 21, 9, 0)


def test_thirty_days_max_counts_calendar_days_when_set():
    cal = calendar_from(
        office_hours=DEFAULT_OFFICE_HOURS,
        time_zone="Asia/Jakarta",
        calendar_days_for_max=True,
        overrides=[],
    )
    assert cal.due(wib(2026, 3, 2, 9, 0), THIRTY_DAYS_MAX) == wib(2026, 4, 1, 9, 0)
    # Only "maks." durations switch; a plain "1 hari" stays in working days.
    assert cal.due(wib(2026, 3, 17, 10, 0), ONE_DAY) == wib(2026, 3, 25, 10, 0)


def test_calendar_days_count_from_the_next_opening():
    cal = calendar_from(
        office_hours=DEFAULT_OFFICE_HOURS,
        time_zone="Asia/Jakarta",
        calendar_days_for_max=True,
        overrides=[],
    )
    # Sat 14 March: counting starts Mon 16 March 07:30; 30 days later is Wed 15 April.
    assert cal.due(wib(2026, 3, 14, 11, 0), THIRTY_DAYS_MAX) == wib(2026, 4, 15, 7, 30)


def test_friday_closes_at_half_past_four(cal):
    assert cal.window(date(2026, 3, 13)) == (wib(2026, 3, 13, 7, 30), wib(2026, 3, 13, 16, 30))
    assert cal.due(wib(2026, 3, 13, 16, 10), FIFTEEN_MINUTES) == wib(2026, 3, 13, 16, 25)
    assert cal.due(wib(2026, 3, 13, 16, 20), FIFTEEN_MINUTES) == wib(2026, 3, 16, 7, 35)


def test_a_day_started_late_on_friday_is_due_at_monday_closing(cal):
    assert cal.due(wib(2026, 3, 13, 16, 15), ONE_DAY) == wib(2026, 3, 16, 16, 0)


def test_thursday_to_friday_keeps_the_clock(cal):
    assert cal.due(wib(2026, 3, 12, 15, 50), ONE_DAY) == wib(2026, 3, 13, 15, 50)


def test_minutes_landing_on_closing_stay_at_closing(cal):
    assert cal.due(wib(2026, 3, 16, 15, 45), FIFTEEN_MINUTES) == wib(2026, 3, 16, 16, 0)
    assert cal.due(wib(2026, 3, 13, 16, 15), FIFTEEN_MINUTES) == wib(2026, 3, 13, 16, 30)


def test_fifteen_minutes_at_five_to_four_end_next_working_morning(cal):
    assert cal.due(wib(2026, 3, 10, 15, 55), FIFTEEN_MINUTES) == wib(2026, 3, 11, 7, 40)
    # Tue 17 March: the next working morning is Wed 25 March.
    assert cal.due(wib(2026, 3, 17, 15, 55), FIFTEEN_MINUTES) == wib(2026, 3, 25, 7, 40)


def test_a_step_started_at_night_counts_from_the_next_opening(cal):
    assert cal.due(wib(2026, 3, 10, 22, 0), FIFTEEN_MINUTES) == wib(2026, 3, 11, 7, 45)
    assert cal.due(wib(2026, 3, 11, 5, 0), FIFTEEN_MINUTES) == wib(2026, 3, 11, 7, 45)
    assert cal.due(wib(2026, 3, 10, 22, 0), ONE_DAY) == wib(2026, 3, 12, 7, 30)


def test_a_step_started_on_a_weekend_counts_from_monday(cal):
    assert cal.due(wib(2026, 3, 14, 10, 0), FIFTEEN_MINUTES) == wib(2026, 3, 16, 7, 45)
    assert cal.due(wib(2026, 3, 15, 23, 59), ONE_DAY) == wib(2026, 3, 17, 7, 30)


def test_a_step_started_on_a_holiday_counts_from_the_next_working_day(cal):
    # Thu 19 March 2026 is Nyepi; the office reopens Wed 25 March.
    assert cal.due(wib(2026, 3, 19, 9, 0), FIFTEEN_MINUTES) == wib(2026, 3, 25, 7, 45)
    assert cal.due(wib(2026, 3, 19, 9, 0), ONE_DAY) == wib(2026, 3, 26, 7, 30)
    # Independence Day, Mon 17 August 2026.
    assert cal.due(wib(2026, 8, 17, 8, 0), ONE_DAY) == wib(2026, 8, 19, 7, 30)


def test_next_open(cal):
    assert cal.next_open(wib(2026, 3, 16, 10, 0)) == wib(2026, 3, 16, 10, 0)
    assert cal.next_open(wib(2026, 3, 16, 7, 30)) == wib(2026, 3, 16, 7, 30)
    assert cal.next_open(wib(2026, 3, 16, 6, 0)) == wib(2026, 3, 16, 7, 30)
    # Closing time is not open: nothing can be worked from it.
    assert cal.next_open(wib(2026, 3, 16, 16, 0)) == wib(2026, 3, 17, 7, 30)
    assert cal.next_open(wib(2026, 3, 17, 16, 0)) == wib(2026, 3, 25, 7, 30)


def test_zero_duration_is_the_next_opening(cal):
    assert cal.add_minutes(wib(2026, 3, 14, 9, 0), 0) == wib(2026, 3, 16, 7, 30)
    assert cal.add_days(wib(2026, 3, 16, 9, 0), 0) == wib(2026, 3, 16, 9, 0)


def test_working_minutes_between(cal):
    # 10:00-16:00 on 17 March, then 07:30-10:00 on 25 March.
    assert cal.working_minutes_between(wib(2026, 3, 17, 10, 0), wib(2026, 3, 25, 10, 0)) == 510
    assert cal.working_minutes_between(wib(2026, 3, 25, 10, 0), wib(2026, 3, 17, 10, 0)) == -510
    assert cal.working_minutes_between(wib(2026, 3, 13, 0, 0), wib(2026, 3, 14, 0, 0)) == 540
    assert cal.working_minutes_between(wib(2026, 3, 14, 0, 0), wib(2026, 3, 16, 0, 0)) == 0
    assert cal.working_time_between(
        wib(2026, 3, 16, 10, 0), wib(2026, 3, 16, 10, 0) + timedelta(seconds=90)
    ) == timedelta(seconds=90)
    assert (
        cal.working_minutes_between(
            wib(2026, 3, 16, 10, 0), wib(2026, 3, 16, 10, 0) + timedelta(seconds=90)
        )
        == 1
    )


def test_results_are_in_jakarta_time_whatever_the_input_zone(cal):
    start = datetime(2026, 3, 17, 3, 0, tzinfo=UTC)  # 10:00 WIB
    due = cal.due(start, ONE_DAY)
    assert due == wib(2026, 3, 25, 10, 0)
    assert due.tzinfo == WIB
    assert due.isoformat() == "2026-03-25T10:00:00+07:00"


def test_naive_instants_are_refused(cal):
    with pytest.raises(
        ValueError, match=r"^Waktu 2026-03-17T10:00:00 tidak memiliki zona waktu\.$"
    ):
        cal.add_minutes(datetime(2026, 3, 17, 10, 0), 15)  # noqa: DTZ001


def test_negative_amounts_are_refused(cal):
    with pytest.raises(ValueError, match=r"^Jumlah menit kerja tidak boleh negatif\.$"):
        cal.add_minutes(wib(2026, 3, 16, 10, 0), -1)
    with pytest.raises(ValueError, match=r"^Jumlah hari kerja tidak boleh negatif\.$"):
        cal.add_days(wib(2026, 3, 16, 10, 0), -1)


def test_is_working_day(cal):
    assert cal.is_working_day(date(2026, 3, 17))
    assert not cal.is_working_day(date(2026, 3, 18))  # cuti bersama
    assert not cal.is_working_day(date(2026, 3, 19))  # Nyepi
    assert not cal.is_working_day(date(2026, 3, 14))  # Saturday


def test_non_working_days_list_holidays_and_cuti_bersama_with_their_source(cal):
    days = cal.non_working_days(2026)
    assert len(days) == 25
    assert days[0] == NonWorkingDay(date(2026, 1, 1), "Tahun Baru Masehi", SOURCE_PACKAGE)
    assert NonWorkingDay(date(2026, 3, 18), "Cuti Bersama Hari Suci Nyepi", SOURCE_PACKAGE) in days
    assert NonWorkingDay(date(2026, 12, 24), "Cuti Bersama Hari Raya Natal", SOURCE_PACKAGE) in days
    assert [d.date for d in days] == sorted(d.date for d in days)


def test_a_closure_override_moves_the_deadline():
    cal = calendar_from(
        office_hours=DEFAULT_OFFICE_HOURS,
        time_zone="Asia/Jakarta",
        calendar_days_for_max=False,
        overrides=[(date(2026, 3, 25), "closed", "Penutupan balai")],
    )
    assert cal.due(wib(2026, 3, 17, 10, 0), ONE_DAY) == wib(2026, 3, 26, 10, 0)
    assert (date(2026, 3, 25), "Penutupan balai", "administrator") in cal.non_working_days(2026)


def test_a_working_day_override_brings_the_deadline_forward():
    cal = calendar_from(
        office_hours=DEFAULT_OFFICE_HOURS,
        time_zone="Asia/Jakarta",
        calendar_days_for_max=False,
        overrides=[(date(2026, 3, 24), "working", "SKB revisi")],
    )
    assert cal.due(wib(2026, 3, 17, 10, 0), ONE_DAY) == wib(2026, 3, 24, 10, 0)
    assert date(2026, 3, 24) not in {d.date for d in cal.non_working_days(2026)}
    assert [tuple(w) for w in cal.worked_holidays(2026)] == [
        (date(2026, 3, 24), "Cuti Bersama Hari Raya Idul Fitri", "SKB revisi")
    ]


def test_a_day_whose_office_opens_later_clamps_to_its_opening():
    cal = calendar_from(
        office_hours={3: ("07:30", "16:00"), 4: ("09:00", "11:30")},
        time_zone="Asia/Jakarta",
        calendar_days_for_max=False,
        overrides=[],
    )
    assert cal.add_days(wib(2026, 3, 12, 8, 0), 1) == wib(2026, 3, 13, 9, 0)
    assert cal.add_days(wib(2026, 3, 12, 15, 0), 1) == wib(2026, 3, 13, 11, 30)
    assert cal.add_days(wib(2026, 3, 12, 10, 0), 1) == wib(2026, 3, 13, 10, 0)


def every_day_closed(year: int) -> dict[date, str]:
    first = date(year, 1, 1)
    days = (first + timedelta(days=i) for i in range(366))
    return {day: "Libur" for day in days if day.year == year}


def test_a_calendar_that_never_opens_fails_instead_of_looping():
    cal = calendar_from(
        office_hours={0: ("07:30", "16:00")},
        time_zone="Asia/Jakarta",
        calendar_days_for_max=False,
        overrides=[],
        holidays=every_day_closed,
    )
    with pytest.raises(ValueError, match=r"^Tidak ada hari kerja dalam 1098 hari setelah"):
        cal.next_open(wib(2026, 3, 16, 10, 0))
