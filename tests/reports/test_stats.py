"""Working-time figures per SOP step, checked against a small history computed by hand.

The history (office hours Mon–Thu 07:30–16:00, Fri 07:30–16:30 WIB; 2–13 February 2026 has
no holiday):

A, pengujian, relevant branch, returned once at step 10:
  received Mon 2 Feb 08:00, registered 08:10     step 1: 0, step 2: 10 (due 08:15)
  step 3 Mon 10:10                               120
  step 5 Tue 3 Feb 11:10 (due Tue 10:10)         350 + 220 = 570, late
  step 6 Tue 12:10                               60
  step 7 Thu 5 Feb 12:10                         230 + 510 + 280 = 1020
  step 9 Thu 13:10, step 10 returned Thu 14:10   60, 60
  step 9 Thu 15:10, step 10 approved Thu 15:40   60, 30
  step 11 Fri 6 Feb 07:40 (due Thu 15:55)        20 + 10 = 30, late
  step 12 Fri 07:50                              10
B, pengujian, not relevant:
  received Mon 2 Feb 09:00, registered 09:30     step 1: 0, step 2: 30 (due 09:15), late
  step 3 Wed 4 Feb 09:30 (due Tue 09:30)         390 + 510 + 120 = 1020, late
  step 4 Wed 10:30                               60
C, kalibrasi, still at step 3:
  received Tue 10 Feb 08:00, registered 08:05    step 1: 0, step 2: 5
  step 3 opened Tue 08:05, due Wed 11 Feb 08:05, never completed: open and past due.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from banding.appeals import services
from banding.appeals.models import Channel, ServiceType
from banding.reports.stats import StepStats, step_stats
from banding.sop import definition as sop
from banding.workdays.periods import Period
from tests.factories import register, rejection_letter, similar_confirmed, walk

WIB = ZoneInfo("Asia/Jakarta")
SEMESTER = Period.semester(2026, 1)


def at(day: int, clock: str) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return datetime(2026, 2, day, hour, minute, tzinfo=WIB)


def build_history(p) -> dict:
    with time_machine.travel(at(2, "08:10"), tick=False):
        a = register(p, received_at=at(2, "08:00"))
    for instant, step in [
        (at(2, "10:10"), 5),
        (at(3, "11:10"), 6),
        (at(3, "12:10"), 7),
        (at(5, "12:10"), 9),
        (at(5, "13:10"), 10),
    ]:
        with time_machine.travel(instant, tick=False):
            a = walk(p, a, step)
    with time_machine.travel(at(5, "14:10"), tick=False):
        services.decision_return(appeal=a, user=p.head, reasons="Alasan belum lengkap.")
        a.refresh_from_db()
    for instant, step in [
        (at(5, "15:10"), 10),
        (at(5, "15:40"), 11),
        (at(6, "07:40"), 12),
        (at(6, "07:50"), 13),
    ]:
        with time_machine.travel(instant, tick=False):
            a = walk(p, a, step)

    with time_machine.travel(at(2, "09:30"), tick=False):
        b = register(p, received_at=at(2, "09:00"))
    with time_machine.travel(at(4, "09:30"), tick=False):
        b = services.appeal_verify(
            appeal=b,
            **similar_confirmed(b),
            user=p.lead,
            checklist=dict.fromkeys(sop.step(3).checklist, True),
            relevant=False,
            reasons="Bukan keberatan atas hasil penanganan keluhan.",
            technical_team=None,
        )
    with time_machine.travel(at(4, "10:30"), tick=False):
        rejection_letter(p, b)
        b = services.appeal_reject(
            appeal=b,
            user=p.staff,
            delivered_at=at(4, "10:25"),
            channel=Channel.EMAIL,
        )

    with time_machine.travel(at(10, "08:05"), tick=False):
        c = register(p, received_at=at(10, "08:00"), service_type=ServiceType.CALIBRATION)
    return {"a": a, "b": b, "c": c}


def figures(rows: list[StepStats]) -> dict[int, tuple]:
    """number: (count, median, p90, within, overdue)"""
    return {r.number: (r.count, r.median_minutes, r.p90_minutes, r.within, r.overdue) for r in rows}


EXPECTED_SEMESTER = {
    1: (3, 0, 0, 3, 0),
    2: (3, 10, 30, 2, 1),
    3: (2, 570, 1020, 1, 2),
    4: (1, 60, 60, 1, 0),
    5: (1, 570, 570, 0, 1),
    6: (1, 60, 60, 1, 0),
    7: (1, 1020, 1020, 1, 0),
    9: (2, 60, 60, 2, 0),
    10: (2, 45, 60, 2, 0),
    11: (1, 30, 30, 0, 1),
    12: (1, 10, 10, 1, 0),
}


@pytest.fixture
def history(p):
    return build_history(p)


@time_machine.travel("2026-07-15 09:00 +0700", tick=False)
def test_it_gives_each_steps_figures_for_the_semester(history):
    rows = step_stats(SEMESTER)
    assert [r.number for r in rows] == [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]
    assert figures(rows) == EXPECTED_SEMESTER


@time_machine.travel("2026-07-15 09:00 +0700", tick=False)
def test_it_names_each_step_with_its_actor_and_standard_time(history):
    rows = {r.number: r for r in step_stats(SEMESTER)}
    assert rows[3].title == "Verifikasi kelengkapan dan relevansi"
    assert rows[3].actor_label == "Ketua Tim PJTK"
    assert rows[3].standard == "1 hari"
    assert rows[7].standard == "maks. 30 hari"
    assert rows[12].standard == "15 menit"


@time_machine.travel("2026-07-15 09:00 +0700", tick=False)
def test_it_splits_overdue_into_late_and_still_open(history):
    step3 = {r.number: r for r in step_stats(SEMESTER)}[3]
    assert (step3.late, step3.open_overdue) == (1, 1)
    assert step3.within_share == 0.5


@time_machine.travel("2026-07-15 09:00 +0700", tick=False)
def test_it_filters_by_service_type(history):
    rows = figures(step_stats(SEMESTER, service_type=ServiceType.CALIBRATION))
    assert rows[1] == (1, 0, 0, 1, 0)
    assert rows[2] == (1, 5, 5, 1, 0)
    assert rows[3] == (0, None, None, 0, 1)
    assert all(rows[n] == (0, None, None, 0, 0) for n in (4, 5, 6, 7, 9, 10, 11, 12))


@time_machine.travel("2026-07-15 09:00 +0700", tick=False)
def test_it_gives_zeros_for_a_period_without_appeals(history):
    rows = step_stats(Period.semester(2025, 2))
    assert all(r.count == r.within == r.overdue == 0 for r in rows)
    assert all(r.median_minutes is None and r.within_share is None for r in rows)


@time_machine.travel("2026-07-15 09:00 +0700", tick=False)
def test_it_counts_a_step_open_past_due_at_the_end_of_a_later_period(history):
    # Nothing completed in March, but C's step 3 was still waiting, past due, at its end.
    rows = figures(step_stats(Period.month(2026, 3)))
    assert rows[3] == (0, None, None, 0, 1)
    assert sum(r[4] for r in rows.values()) == 1


def test_it_does_not_count_a_step_not_yet_due_while_the_period_runs(history):
    # Tuesday 10 February 12:00: C's step 3 is due tomorrow, so not overdue yet.
    with time_machine.travel(at(10, "12:00"), tick=False):
        rows = figures(step_stats(Period.month(2026, 2)))
    assert rows[3] == (2, 570, 1020, 1, 1)
    with time_machine.travel(at(11, "09:00"), tick=False):
        rows = figures(step_stats(Period.month(2026, 2)))
    assert rows[3] == (2, 570, 1020, 1, 2)


@pytest.mark.parametrize("appeals", [10, 200])
def test_it_uses_the_same_number_of_queries_for_few_and_many_appeals(
    p, appeals, django_assert_num_queries
):
    with time_machine.travel(at(2, "09:00"), tick=False):
        for _ in range(appeals):
            register(p, received_at=at(2, "08:00"))
    # The running month, live: the steps, the ended appeals, the open steps past due.
    with time_machine.travel(at(2, "10:00"), tick=False), django_assert_num_queries(3):
        rows = step_stats(Period.between(date(2026, 2, 1), date(2026, 2, 28)))
    assert rows[1].count == appeals
