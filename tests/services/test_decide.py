"""Step 9: panel_decide (the panel meeting and its decision)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from banding.appeals import services
from banding.appeals.errors import Conflict, Forbidden, Invalid
from banding.appeals.models import Decision
from banding.audit.models import Event
from tests.factories import register, walk
from tests.state import (
    assert_completed,
    assert_stands_at,
    new_events,
    persona,
    refused,
)

NOT_PANEL = (
    "Langkah 9 (Rapat panel dan keputusan) dikerjakan oleh anggota Tim Panel Banding yang "
    "ditunjuk untuk banding ini; Anda tidak berperan itu."
)
UNDECLARED = (
    "Nyatakan dahulu bahwa Anda bebas benturan kepentingan sebelum bertindak sebagai anggota "
    "Tim Panel Banding."
)


@pytest.fixture
def appeal(p):
    """An appeal at step 9; its chair (p.panel[0]) declared during the investigation."""
    return walk(p, register(p), 9)


def decide(p, appeal, **overrides):
    fields = dict(
        appeal=appeal,
        user=p.panel[0],
        meeting_at=timezone.now() - timedelta(hours=2),
        place=" Ruang Rapat 2 ",
        attendance=[
            {"name": "Panel 1", "role": "Ketua", "present": True},
            {"name": "Panel 2", "role": "Anggota", "present": False},
        ],
        minutes="Panel membahas laporan investigasi.",
        decision=Decision.ACCEPTED,
        remedy="Pengujian ulang tanpa biaya.",
    )
    fields.update(overrides)
    return services.panel_decide(**fields)


def test_the_panel_records_its_meeting_and_decision(p, appeal):
    events = Event.objects.count()

    decide(p, appeal)

    assert_stands_at(appeal, 10)
    assert (appeal.decision, appeal.decision_remedy) == ("diterima", "Pengujian ulang tanpa biaya.")
    step = assert_completed(appeal, 9, by=p.panel[0], outcome="decided")
    assert step.data["place"] == "Ruang Rapat 2"
    assert step.data["attendance"] == [
        {"name": "Panel 1", "role": "Ketua", "present": True},
        {"name": "Panel 2", "role": "Anggota", "present": False},
    ]
    assert step.data["minutes"] == "Panel membahas laporan investigasi."
    assert (step.data["decision"], step.data["remedy"]) == (
        "diterima",
        "Pengujian ulang tanpa biaya.",
    )
    assert new_events(events) == ["step.9.decided"]
    assert Event.objects.last().summary == "Rapat panel memutuskan: Diterima"


def test_attendance_rows_without_a_name_are_dropped(p, appeal):
    decide(
        p,
        appeal,
        attendance=[
            {"name": " Panel 1 ", "role": "Ketua", "present": "on"},
            {"name": "  ", "role": "Anggota", "present": True},
        ],
    )

    step = assert_completed(appeal, 9, by=p.panel[0], outcome="decided")
    assert step.data["attendance"] == [{"name": "Panel 1", "role": "Ketua", "present": True}]


def test_a_dismissed_appeal_needs_no_remedy(p, appeal):
    decide(p, appeal, decision=Decision.DISMISSED, remedy="")

    assert_stands_at(appeal, 10)
    assert (appeal.decision, appeal.decision_remedy) == ("ditolak", "")


def test_any_declared_member_may_record_the_decision(p, appeal):
    services.panel_declare(appeal=appeal, user=p.panel[2])

    decide(p, appeal, user=p.panel[2])

    assert_completed(appeal, 9, by=p.panel[2], outcome="decided")


def test_a_member_who_has_not_declared_may_not_decide(p, appeal):
    refused(
        lambda: decide(p, appeal, user=p.panel[1]), Forbidden, UNDECLARED, "declaration_required"
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"meeting_at": timezone.now() + timedelta(days=1)},
            "meeting_at",
            "Waktu rapat tidak boleh di masa depan.",
        ),
        ({"place": " "}, "place", "Tempat rapat wajib diisi."),
        (
            {"attendance": []},
            "attendance",
            "Daftar hadir memuat sedikitnya satu peserta yang hadir.",
        ),
        (
            {"attendance": [{"name": "Panel 1", "role": "Ketua", "present": False}]},
            "attendance",
            "Daftar hadir memuat sedikitnya satu peserta yang hadir.",
        ),
        ({"minutes": ""}, "minutes", "Notulen rapat wajib diisi."),
        (
            {"decision": "banding"},
            "decision",
            "Pilih keputusan: diterima, diterima sebagian atau ditolak.",
        ),
        (
            {"decision": Decision.ACCEPTED, "remedy": " "},
            "remedy",
            "Tuliskan tindakan perbaikan atau pemulihan yang diputuskan.",
        ),
        (
            {"decision": Decision.PARTLY, "remedy": ""},
            "remedy",
            "Tuliskan tindakan perbaikan atau pemulihan yang diputuskan.",
        ),
    ],
)
def test_the_decision_is_validated(p, appeal, overrides, field, message):
    error = refused(lambda: decide(p, appeal, **overrides), Invalid, message, "invalid")

    assert error.fields == {field: [message]}


@pytest.mark.parametrize("who", ["staff", "lead", "head", "auditor", "admin", "tech", "panel_4"])
def test_only_the_panel_decides(p, appeal, who):
    refused(lambda: decide(p, appeal, user=persona(p, who)), Forbidden, NOT_PANEL, "not_your_role")


@pytest.mark.parametrize("who", ["customer", "customer_other"])
def test_customers_may_not_decide(p, appeal, who):
    refused(lambda: decide(p, appeal, user=persona(p, who)), Forbidden, NOT_PANEL, "not_your_role")


def test_the_panel_may_not_decide_twice(p, appeal):
    decide(p, appeal)

    refused(
        lambda: decide(p, appeal),
        Conflict,
        f"Banding {appeal.number} sedang berada di langkah 10 (Persetujuan keputusan), "
        "bukan langkah 9 (Rapat panel dan keputusan).",
        "wrong_step",
    )


def test_the_panel_may_not_decide_before_the_investigation_report(p):
    appeal = walk(p, register(p), 7)
    services.panel_declare(appeal=appeal, user=p.panel[0])

    refused(
        lambda: decide(p, appeal),
        Conflict,
        f"Banding {appeal.number} sedang berada di langkah 7 (Investigasi banding), "
        "bukan langkah 9 (Rapat panel dan keputusan).",
        "wrong_step",
    )


def test_the_panel_may_not_decide_on_a_closed_appeal(p):
    appeal = walk(p, register(p), 13)

    refused(
        lambda: decide(p, appeal),
        Conflict,
        f"Banding {appeal.number} sudah selesai; langkah 9 (Rapat panel dan keputusan) tidak "
        "dapat dikerjakan lagi.",
        "appeal_closed",
    )
