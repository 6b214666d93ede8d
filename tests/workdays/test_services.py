"""override_add and override_remove: who may, what is refused, what is recorded."""

from datetime import date

import pytest

from banding.appeals.calendar import ONLY_ADMIN, override_add, override_remove
from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid, NotFound
from banding.workdays.models import CalendarOverride, OverrideKind

NYEPI = date(2026, 3, 19)
WED_25_MARCH = date(2026, 3, 25)


def test_admin_adds_a_closure_with_its_audit_event(p):
    override = override_add(
        actor=p.admin, day=WED_25_MARCH, kind=OverrideKind.CLOSED, reason="  SK Kepala 12/2026 "
    )
    assert (override.date, override.kind, override.reason, override.created_by) == (
        WED_25_MARCH,
        "closed",
        "SK Kepala 12/2026",
        p.admin,
    )
    event = Event.objects.get()
    assert event.action == "calendar.override_added"
    assert event.actor == p.admin
    assert event.appeal is None
    assert event.summary == (
        "Kalender kerja: Rabu, 25 Maret 2026 ditetapkan tutup (SK Kepala 12/2026)"
    )
    assert event.data == {"date": "2026-03-25", "kind": "closed", "reason": "SK Kepala 12/2026"}


def test_admin_marks_a_listed_holiday_as_a_working_day(p):
    override_add(actor=p.admin, day=NYEPI, kind=OverrideKind.WORKING, reason="SKB revisi")
    assert Event.objects.get().summary == (
        "Kalender kerja: Kamis, 19 Maret 2026 ditetapkan hari kerja (SKB revisi)"
    )


@pytest.mark.parametrize("who", ["staff", "lead", "head", "auditor", "tech", "customer"])
def test_only_an_administrator_may_change_the_calendar(p, who):
    with pytest.raises(Forbidden) as caught:
        override_add(
            actor=getattr(p, who), day=WED_25_MARCH, kind=OverrideKind.CLOSED, reason="Tutup"
        )
    assert caught.value.message == ONLY_ADMIN
    assert not CalendarOverride.objects.exists()
    assert not Event.objects.exists()


NOT_AN_OFFICE_DAY = (
    "bukan hari kantor (jam kantor hari itu tidak diatur di BANDING_OFFICE_HOURS), jadi tidak "
    "dapat diubah di sini."
)


@pytest.mark.parametrize(
    ("day", "kind", "reason", "field", "message"),
    [
        (
            WED_25_MARCH,
            "closed",
            "  ",
            "reason",
            "Alasan wajib diisi (misalnya nomor SK atau surat edaran).",
        ),
        (
            WED_25_MARCH,
            "libur",
            "SK",
            "kind",
            "Jenis harus 'closed' (tutup) atau 'working' (hari kerja).",
        ),
        (date(2026, 3, 28), "closed", "SK", "date", f"Sabtu, 28 Maret 2026 {NOT_AN_OFFICE_DAY}"),
        (date(2026, 3, 21), "working", "SK", "date", f"Sabtu, 21 Maret 2026 {NOT_AN_OFFICE_DAY}"),
        (
            NYEPI,
            "closed",
            "SK",
            "date",
            "Kamis, 19 Maret 2026 sudah libur menurut paket holidays: Hari Suci Nyepi.",
        ),
        (
            WED_25_MARCH,
            "working",
            "SK",
            "date",
            "Rabu, 25 Maret 2026 bukan hari libur menurut paket holidays; sudah hari kerja.",
        ),
    ],
)
def test_an_override_that_changes_nothing_is_refused(p, day, kind, reason, field, message):
    with pytest.raises(Invalid) as caught:
        override_add(actor=p.admin, day=day, kind=kind, reason=reason)
    assert caught.value.message == message
    assert caught.value.fields == {field: message}
    assert not Event.objects.exists()


def test_a_date_takes_one_override(p):
    override_add(actor=p.admin, day=WED_25_MARCH, kind=OverrideKind.CLOSED, reason="SK 1")
    with pytest.raises(Invalid) as caught:
        override_add(actor=p.admin, day=WED_25_MARCH, kind=OverrideKind.CLOSED, reason="SK 2")
    assert caught.value.message == "Rabu, 25 Maret 2026 sudah memiliki pengecualian kalender."


def test_a_concurrent_insert_of_the_same_date_is_a_conflict(p, monkeypatch):
    from banding.appeals import calendar

    # The other administrator's row lands between our check and our insert.
    monkeypatch.setattr(calendar, "override_problems", lambda **kwargs: {})
    CalendarOverride.objects.create(date=WED_25_MARCH, kind=OverrideKind.CLOSED, reason="SK 1")
    with pytest.raises(Conflict) as caught:
        override_add(actor=p.admin, day=WED_25_MARCH, kind=OverrideKind.CLOSED, reason="SK 2")
    assert caught.value.message == "Rabu, 25 Maret 2026 sudah memiliki pengecualian kalender."
    assert not Event.objects.exists()


def test_admin_withdraws_an_override(p):
    override = override_add(actor=p.admin, day=NYEPI, kind=OverrideKind.WORKING, reason="SKB")
    override_remove(actor=p.admin, override=override)
    assert not CalendarOverride.objects.exists()
    event = Event.objects.order_by("id").last()
    assert event.action == "calendar.override_removed"
    assert event.summary == "Kalender kerja: pengecualian Kamis, 19 Maret 2026 dicabut"
    assert event.data == {"date": "2026-03-19", "kind": "working", "reason": "SKB"}


def test_withdrawing_twice_is_not_found(p):
    override = override_add(actor=p.admin, day=NYEPI, kind=OverrideKind.WORKING, reason="SKB")
    override_remove(actor=p.admin, override=override)
    with pytest.raises(NotFound) as caught:
        override_remove(actor=p.admin, override=override)
    assert caught.value.message == "Pengecualian kalender Kamis, 19 Maret 2026 sudah tidak ada."


def test_only_an_administrator_may_withdraw(p):
    override = override_add(actor=p.admin, day=NYEPI, kind=OverrideKind.WORKING, reason="SKB")
    with pytest.raises(Forbidden):
        override_remove(actor=p.staff, override=override)
    assert CalendarOverride.objects.count() == 1
