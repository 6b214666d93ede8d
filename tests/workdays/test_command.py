"""`banding calendar days` and `banding calendar due`."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from banding.appeals.calendar import override_add
from banding.workdays.models import OverrideKind
from tests.workdays.conftest import wib


def run(*args: str) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


def test_days_lists_the_year_with_sources(db):
    lines = run("days", "2026").splitlines()
    assert lines[0] == "Hari tidak bekerja tahun 2026 (Sabtu dan Minggu biasa tidak dicantumkan):"
    assert lines[1] == "2026-01-01  Kamis   paket holidays  Tahun Baru Masehi"
    assert "2026-03-18  Rabu    paket holidays  Cuti Bersama Hari Suci Nyepi" in lines
    assert "2026-03-21  Sabtu   paket holidays  Hari Raya Idul Fitri" in lines
    assert lines[-1] == "Jumlah: 25 hari tidak bekerja, 0 hari libur ditetapkan hari kerja."
    assert len(lines) == 27


def test_days_shows_administrator_closures_and_worked_holidays(
    p, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        override_add(
            actor=p.admin, day=date(2026, 3, 25), kind=OverrideKind.CLOSED, reason="Penutupan balai"
        )
        override_add(
            actor=p.admin, day=date(2026, 3, 19), kind=OverrideKind.WORKING, reason="SKB revisi"
        )
    lines = run("days", "2026").splitlines()
    assert (
        "2026-03-19  Kamis   administrator   [hari kerja] Hari Suci Nyepi tetap masuk kerja: "
        "SKB revisi"
    ) in lines
    assert "2026-03-25  Rabu    administrator   Penutupan balai" in lines
    assert not any(line.startswith("2026-03-19  Kamis   paket holidays") for line in lines)
    assert lines[-1] == "Jumlah: 25 hari tidak bekerja, 1 hari libur ditetapkan hari kerja."


def test_due_prints_iso_8601_with_the_offset(db):
    output = run("due", "--start", "2026-03-17T10:00+07:00", "--duration", "1 hari")
    assert output == "2026-03-25T10:00:00+07:00\n"


@pytest.mark.parametrize(
    ("start", "duration", "due"),
    [
        ("2026-03-17T15:55+07:00", "15 menit", "2026-03-25T07:40:00+07:00"),
        ("2026-03-13T16:15+07:00", "1 hari", "2026-03-16T16:00:00+07:00"),
        ("2026-03-02T02:00Z", "maks. 30 hari", "2026-04-21T09:00:00+07:00"),
        ("2026-03-14T10:00", "15 menit", "2026-03-16T07:45:00+07:00"),  # no offset: WIB
    ],
)
def test_due_for_sop_durations(db, start, duration, due):
    assert run("due", "--start", start, "--duration", duration) == due + "\n"


def test_due_starts_now_without_start(db):
    with time_machine.travel(wib(2026, 3, 17, 10, 0), tick=False):
        assert run("due", "--duration", "1 hari") == "2026-03-25T10:00:00+07:00\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            (),
            "Sebutkan perintahnya: 'banding calendar days 2026' atau 'banding calendar due "
            '--start 2026-03-17T10:00+07:00 --duration "1 hari"\'.',
        ),
        (("days",), "Sebutkan tahunnya, misalnya: banding calendar days 2026."),
        (("days", "dua ribu"), "Tahun harus angka antara 1900 dan 2200, bukan 'dua ribu'."),
        (("days", "3026"), "Tahun harus angka antara 1900 dan 2200, bukan '3026'."),
        (("due",), 'Sebutkan durasinya dengan --duration, misalnya --duration "1 hari".'),
        (("due", "--duration", "2 jam"), "Satuan durasi harus 'menit' atau 'hari': '2 jam'."),
        (
            ("due", "--duration", "sehari"),
            "Durasi tidak dikenali: 'sehari' (contoh: '15 menit', '1 hari').",
        ),
        (
            ("due", "--duration", "1 hari", "--start", "besok pagi"),
            "Waktu mulai tidak dikenali: 'besok pagi' (tulis ISO 8601, misalnya "
            "2026-03-17T10:00+07:00).",
        ),
    ],
)
def test_bad_input_is_explained_in_indonesian(db, args, message):
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert str(caught.value) == message
