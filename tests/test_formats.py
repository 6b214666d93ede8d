"""banding.formats: the dates, times and durations as the institute writes them, in WIB."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from banding import formats


def test_dates_have_indonesian_names_whatever_the_active_language():
    with translation.override("en"):
        assert formats.format_date(date(2026, 3, 25)) == "Rabu, 25 Maret 2026"
        assert formats.format_day(date(2026, 12, 1)) == "1 Desember 2026"


def test_an_instant_is_written_in_wib():
    instant = datetime(2026, 3, 31, 16, 59, tzinfo=UTC)
    assert formats.format_instant(instant) == "Selasa, 31 Maret 2026 23:59 WIB"
    assert formats.format_instant(instant, pukul=True) == "Selasa, 31 Maret 2026 pukul 23:59 WIB"


def test_a_naive_datetime_is_read_as_wib():
    with translation.override("id"):
        naive = datetime(2026, 1, 2, 8, 0)  # noqa: DTZ001 - a naive value is what is tested
        assert formats.format_wib(naive) == "2 Januari 2026 08:00 WIB"
        assert formats.format_long_date(None) == ""


def test_working_minutes_are_hours_and_minutes():
    assert [formats.format_minutes(m) for m in (None, 0, 15, 60, 510)] == [
        "—",
        "0 menit",
        "15 menit",
        "1 jam",
        "8 jam 30 menit",
    ]


def test_numbers_have_the_decimal_comma():
    assert formats.format_decimal(Decimal("78.7")) == "78,70"
    assert formats.format_decimal(Decimal("3.1234"), 3) == "3,123"


@pytest.mark.parametrize("text", ["=1+1", "+62 21", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_a_spreadsheet_cell_keeps_a_formula_as_text(text):
    assert formats.spreadsheet_cell(text) == "'" + text


def test_a_spreadsheet_cell_leaves_other_values_alone():
    assert formats.spreadsheet_cell("PT Sinar = Kimia") == "PT Sinar = Kimia"
    assert formats.spreadsheet_cell(-5) == -5
    assert formats.spreadsheet_cell(None) is None
