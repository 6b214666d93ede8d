from datetime import UTC, date, datetime

from banding.appeals.templatetags.banding import tanggal, wib


def test_wib_shows_the_time_in_jakarta():
    assert wib(datetime(2026, 11, 24, 3, 5, tzinfo=UTC)) == "24 November 2026 10:05 WIB"
    assert wib(datetime(2026, 5, 1, 17, 30, tzinfo=UTC)) == "2 Mei 2026 00:30 WIB"
    assert wib(None) == ""


def test_tanggal_uses_indonesian_month_names():
    assert tanggal(date(2026, 8, 17)) == "17 Agustus 2026"
    assert tanggal(datetime(2026, 12, 31, 18, 0, tzinfo=UTC)) == "1 Januari 2027"
