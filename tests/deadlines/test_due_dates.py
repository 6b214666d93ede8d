"""Every step gets its due instant when it opens, through the real services, on real 2026
dates: cuti bersama, Nyepi and Idul Fitri, Friday's longer hours, starts at night, on a
weekend and on a holiday."""

from __future__ import annotations

from datetime import datetime

import pytest

from banding.appeals.models import Appeal, Step
from tests.deadlines.conftest import wib
from tests.factories import register, walk


def open_step(appeal: Appeal) -> Step:
    return appeal.steps.get(completed_at__isnull=True)


def assert_due(appeal: Appeal, number: int, due: datetime, at_risk: datetime) -> None:
    appeal.refresh_from_db()
    step = open_step(appeal)
    assert step.number == number
    assert (step.due_at, step.at_risk_at) == (due, at_risk)
    # The denormalised columns the lists sort and filter on say the same.
    assert (appeal.current_due_at, appeal.current_at_risk_at) == (due, at_risk)


def test_one_day_step_started_before_nyepi_and_idul_fitri_is_due_after_them(p, clock):
    # 18–24 March 2026 are all closed: cuti bersama Nyepi, Nyepi, Idul Fitri and its leave.
    clock(wib(2026, 3, 17, 10, 0))
    appeal = register(p)
    # 510 working minutes (10:00–16:00, then 07:30–10:00); 75% is 382.5, rounded up to 383.
    assert_due(appeal, 3, due=wib(2026, 3, 25, 10, 0), at_risk=wib(2026, 3, 25, 7, 53))


def test_thirty_day_investigation_across_idul_fitri_counts_working_days(p, clock):
    clock(wib(2026, 3, 2, 9, 0))
    appeal = walk(p, register(p), 7)
    # 30 working days skip 18–24 March and Good Friday (3 April).
    assert_due(appeal, 7, due=wib(2026, 4, 21, 9, 0), at_risk=wib(2026, 4, 9, 13, 38))


def test_thirty_day_investigation_counts_calendar_days_when_the_setting_says_so(p, clock, settings):
    settings.BANDING_CALENDAR_DAYS_FOR_MAX = True
    clock(wib(2026, 3, 2, 9, 0))
    appeal = walk(p, register(p), 7)
    step = open_step(appeal)
    assert step.due_at == wib(2026, 4, 1, 9, 0)
    # The other steps are not "maks.": still working days.
    assert appeal.steps.get(number=3).due_at == wib(2026, 3, 3, 9, 0)


def test_friday_closes_later(p, clock):
    clock(wib(2026, 3, 13, 16, 15))  # Friday: open until 16:30
    appeal = register(p)
    # One working day later is Monday 16:15, but Monday closes at 16:00.
    assert open_step(appeal).due_at == wib(2026, 3, 16, 16, 0)
    appeal = walk(p, register(p), 11)
    # Step 11 takes 15 minutes: Friday's last 15 minutes are still office time.
    assert open_step(appeal).due_at == wib(2026, 3, 13, 16, 30)


@pytest.mark.parametrize(
    ("started", "due", "why"),
    [
        (wib(2026, 3, 10, 22, 0), wib(2026, 3, 12, 7, 30), "at night: counted from Wed 07:30"),
        (wib(2026, 3, 14, 10, 0), wib(2026, 3, 17, 7, 30), "on Saturday: from Mon 07:30"),
        (wib(2026, 3, 19, 9, 0), wib(2026, 3, 26, 7, 30), "on Nyepi: from Wed 25 March 07:30"),
        (wib(2026, 3, 16, 16, 0), wib(2026, 3, 25, 7, 30), "at closing time: from Tue 07:30"),
    ],
)
def test_a_step_started_outside_office_hours_counts_from_the_next_opening(
    p, clock, started, due, why
):
    clock(started)
    appeal = register(p)
    assert open_step(appeal).due_at == due, why


def test_fifteen_minute_step_started_at_1555_on_monday_is_due_tuesday_0740(p, clock):
    clock(wib(2026, 3, 9, 15, 55))
    appeal = walk(p, register(p), 11)
    # 5 minutes until 16:00, 10 from 07:30; at risk after 12 of the 15 minutes (11.25 up).
    assert_due(appeal, 11, due=wib(2026, 3, 10, 7, 40), at_risk=wib(2026, 3, 10, 7, 37))


def test_one_day_step_from_monday_opening_is_at_risk_at_1353(p, clock):
    clock(wib(2026, 3, 9, 7, 30))
    appeal = register(p)
    # 510 working minutes; 75% is 382.5 minutes, rounded up to whole minutes: 13:53, not
    # 13:52:30, so "at risk" never comes before the share is used.
    assert_due(appeal, 3, due=wib(2026, 3, 10, 7, 30), at_risk=wib(2026, 3, 9, 13, 53))


def test_each_step_opens_with_its_own_standard_time(p, clock):
    clock(wib(2026, 3, 9, 9, 0))  # Monday
    appeal = walk(p, register(p), 13)
    dues = {s.number: s.due_at for s in appeal.steps.all()}
    assert dues == {
        1: wib(2026, 3, 9, 8, 15),  # received 08:00 (an hour earlier), 15 menit
        2: wib(2026, 3, 9, 8, 15),
        3: wib(2026, 3, 10, 9, 0),
        5: wib(2026, 3, 10, 9, 0),
        6: wib(2026, 3, 10, 9, 0),
        7: wib(2026, 4, 28, 9, 0),
        9: wib(2026, 3, 10, 9, 0),
        10: wib(2026, 3, 10, 9, 0),
        11: wib(2026, 3, 9, 9, 15),
        12: wib(2026, 3, 9, 9, 15),
    }
    appeal.refresh_from_db()
    assert (appeal.current_due_at, appeal.current_at_risk_at) == (None, None)
