"""Report periods: semesters, the period before, and the form that picks one."""

from datetime import date

import time_machine

from banding.reports.period_forms import PeriodForm, PeriodKind
from banding.workdays.periods import Period


def test_semesters_run_january_to_june_and_july_to_december():
    assert Period.semester(2026, 1) == Period(
        date(2026, 1, 1), date(2026, 6, 30), "Semester I 2026"
    )
    assert Period.semester(2026, 2).start == date(2026, 7, 1)
    assert Period.semester(2026, 2).end == date(2026, 12, 31)


def test_the_period_before_has_the_same_whole_months_or_days():
    assert Period.semester(2026, 1).previous().start == date(2025, 7, 1)
    assert Period.semester(2026, 1).previous().end == date(2025, 12, 31)
    assert Period.quarter(2026, 1).previous().start == date(2025, 10, 1)
    assert Period.month(2026, 3).previous().start == date(2026, 2, 1)
    assert Period.month(2026, 3).previous().end == date(2026, 2, 28)
    assert Period.semester(2026, 1).previous().label == "Semester II 2025"
    assert Period.quarter(2026, 1).previous().label == "Triwulan IV 2025"
    assert Period.year(2026).previous().label == "Tahun 2025"
    ten_days = Period.between(date(2026, 3, 11), date(2026, 3, 20)).previous()
    assert (ten_days.start, ten_days.end) == (date(2026, 3, 1), date(2026, 3, 10))


@time_machine.travel("2026-11-24 09:00 +0700", tick=False)
def test_the_monitoring_default_is_the_current_semester():
    form = PeriodForm.from_query({}, default=PeriodKind.SEMESTER)
    assert form.is_valid()
    assert form.period() == Period.semester(2026, 2)


def test_a_semester_must_be_chosen():
    form = PeriodForm.from_query({"jenis": "semester", "tahun": "2026"})
    assert not form.is_valid()
    assert form.errors["semester"] == ["Pilih semester."]
