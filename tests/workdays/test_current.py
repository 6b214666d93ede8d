"""The process-wide calendar: built from settings and the override table, cached."""

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from banding.appeals.calendar import override_add
from banding.sop.definition import Duration, Unit
from banding.workdays import calendar as workcal
from banding.workdays.calendar import current_calendar, load_calendar
from banding.workdays.models import CalendarOverride, OverrideKind
from tests.workdays.conftest import WIB, wib

ONE_DAY = Duration(1, Unit.DAY)
START = wib(2026, 3, 17, 10, 0)


def test_defaults_without_settings(db, settings):
    for name in ("BANDING_OFFICE_HOURS", "BANDING_CALENDAR_DAYS_FOR_MAX"):
        if hasattr(settings, name):
            delattr(settings, name)
    cal = current_calendar()
    assert cal.tz == WIB
    assert cal.window(date(2026, 3, 13)) == (wib(2026, 3, 13, 7, 30), wib(2026, 3, 13, 16, 30))
    assert cal.window(date(2026, 3, 14)) is None
    assert cal.calendar_days_for_max is False


def test_loaded_once_then_cached(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = current_calendar()
    with django_assert_num_queries(0):
        assert current_calendar() is first


def test_settings_are_read_at_call_time(db, settings):
    assert current_calendar().due(START, ONE_DAY) == wib(2026, 3, 25, 10, 0)
    settings.BANDING_OFFICE_HOURS = {1: ("08:00", "12:00"), 2: ("08:00", "12:00")}
    # Open on Tuesdays and Wednesdays only: after Tue 17 March come Wed 18 and Tue 24 (cuti
    # bersama), then Wed 25 March; after that, Tue 31 March.
    assert current_calendar().due(START, ONE_DAY) == wib(2026, 3, 25, 10, 0)
    assert current_calendar().due(wib(2026, 3, 25, 11, 0), ONE_DAY) == wib(2026, 3, 31, 11, 0)
    settings.BANDING_CALENDAR_DAYS_FOR_MAX = True
    assert current_calendar().calendar_days_for_max is True


def test_an_override_reaches_the_calendar_when_its_transaction_commits(
    p, django_capture_on_commit_callbacks
):
    assert current_calendar().due(START, ONE_DAY) == wib(2026, 3, 25, 10, 0)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        override_add(
            actor=p.admin, day=date(2026, 3, 25), kind=OverrideKind.CLOSED, reason="Penutupan"
        )
        # Not committed yet: the cached calendar is unchanged; the transaction itself can
        # read its own change with load_calendar().
        assert current_calendar().due(START, ONE_DAY) == wib(2026, 3, 25, 10, 0)
        assert load_calendar().due(START, ONE_DAY) == wib(2026, 3, 26, 10, 0)
    for callback in callbacks:
        callback()
    assert current_calendar().due(START, ONE_DAY) == wib(2026, 3, 26, 10, 0)


def test_a_rolled_back_override_never_reaches_the_calendar(p, django_capture_on_commit_callbacks):
    before = current_calendar()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        override_add(actor=p.admin, day=date(2026, 3, 25), kind=OverrideKind.CLOSED, reason="X")
        raise RuntimeError("gagal setelah menambah")
    assert callbacks == []
    assert current_calendar() is before
    assert not CalendarOverride.objects.exists()


def test_a_change_by_another_process_is_read_after_the_cache_time(
    db, settings, monkeypatch, django_assert_num_queries
):
    settings.BANDING_CALENDAR_CACHE_SECONDS = 60
    clock = iter([1000.0, 1030.0, 1061.0])
    monkeypatch.setattr(workcal, "monotonic", lambda: next(clock))
    assert current_calendar().due(START, ONE_DAY) == wib(2026, 3, 25, 10, 0)
    # Another process adds a closure; this process does not know until its cache expires.
    CalendarOverride.objects.create(
        date=date(2026, 3, 25), kind=OverrideKind.CLOSED, reason="Dari proses lain"
    )
    with django_assert_num_queries(0):
        assert current_calendar().due(START, ONE_DAY) == wib(2026, 3, 25, 10, 0)
    with django_assert_num_queries(1):
        assert current_calendar().due(START, ONE_DAY) == wib(2026, 3, 26, 10, 0)


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (
            {7: ("07:30", "16:00")},
            "BANDING_OFFICE_HOURS: hari 7 tidak dikenal (0 = Senin … 6 = Minggu).",
        ),
        (
            {0: ("7.30", "16:00")},
            'BANDING_OFFICE_HOURS[0]: tulis jam sebagai ("07:30", "16:00"), '
            "bukan ('7.30', '16:00').",
        ),
        (
            {0: ("16:00", "07:30")},
            "BANDING_OFFICE_HOURS[0]: jam buka 16:00 harus sebelum jam tutup 07:30.",
        ),
        ({}, "BANDING_OFFICE_HOURS: paling sedikit satu hari kerja."),
        ("07:30-16:00", 'BANDING_OFFICE_HOURS harus berupa {hari: ("buka", "tutup")}, Senin = 0.'),
    ],
)
def test_bad_office_hours_are_named(db, settings, hours, message):
    settings.BANDING_OFFICE_HOURS = hours
    with pytest.raises(ImproperlyConfigured) as caught:
        current_calendar()
    assert str(caught.value) == message


def test_an_unknown_time_zone_is_named(db, settings):
    settings.TIME_ZONE = "Asia/Atlantis"
    with pytest.raises(ImproperlyConfigured, match=r"^TIME_ZONE 'Asia/Atlantis' tidak dikenal\.$"):
        current_calendar()
