"""Step 9: panel_decide (the panel meeting and its decision)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from banding.appeals import services
from banding.appeals.models import Decision
from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid
from banding.letters import render
from banding.letters import services as letters
from banding.letters.kinds import Kind
from tests.factories import issued, present_seats, register, walk
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
        meeting_at=timezone.now(),  # the panel was appointed just before
        place=" Ruang Rapat 2 ",
        attendance=present_seats(appeal, absent=[p.panel[1]]),
        minutes="Panel membahas laporan investigasi.",
        decision=Decision.ACCEPTED,
        reasons="Penyimpangan prosedur terbukti.",
        remedy="Pengujian ulang tanpa biaya.",
    )
    fields.update(overrides)
    return services.panel_decide(**fields)


def complete(p, appeal, user=None):
    """The chair signs the attendance list and the minutes, then the step completes."""
    chair = p.panel[0]
    issued(appeal, Kind.DAFTAR_HADIR, chair, chair)
    issued(appeal, Kind.NOTULEN, chair, chair)
    return services.step_complete(appeal=appeal, user=user or chair, number=9)


def test_the_panel_records_its_meeting_and_the_step_waits_for_its_letters(p, appeal):
    events = Event.objects.count()

    decide(p, appeal)

    assert_stands_at(appeal, 9)
    assert (appeal.decision, appeal.decision_remedy) == ("", "")  # applied when it completes
    step = appeal.steps.get(completed_at__isnull=True)
    assert (step.recorded_outcome, step.recorded_by) == ("decided", p.panel[0])
    assert step.recorded_data["place"] == "Ruang Rapat 2"
    assert new_events(events) == ["step.9.pending"]
    pending = Event.objects.last()
    assert pending.summary == (
        "Hasil langkah 9 dicatat: Rapat panel memutuskan: Diterima; menunggu Daftar hadir rapat "
        "panel, Notulen rapat panel"
    )
    assert not pending.public


def test_the_meeting_completes_with_its_attendance_list_and_minutes(p, appeal):
    decide(p, appeal)
    events = Event.objects.count()

    complete(p, appeal)

    assert_stands_at(appeal, 10)
    assert (appeal.decision, appeal.decision_remedy) == ("diterima", "Pengujian ulang tanpa biaya.")
    step = assert_completed(appeal, 9, by=p.panel[0], outcome="decided")
    assert step.data["place"] == "Ruang Rapat 2"
    assert step.data["attendance"] == [
        {
            "seat": number,
            "member": str(person.public_id),
            "name": person.display_name,
            "role": "Ketua" if number == 1 else "Anggota",
            "chair": number == 1,
            "present": person != p.panel[1],
        }
        for number, person in enumerate(p.panel[:3], start=1)
    ]
    assert step.data["quorum"] == {"seats": 3, "present": 2, "required": 2}
    assert step.data["reasons"] == "Penyimpangan prosedur terbukti."
    assert (step.data["guests"], step.data["dissent"]) == ([], [])
    assert step.data["minutes"] == "Panel membahas laporan investigasi."
    assert (step.data["decision"], step.data["remedy"]) == (
        "diterima",
        "Pengujian ulang tanpa biaya.",
    )
    assert [o["kind"] for o in step.data["outputs"]] == ["daftar_hadir", "notulen"]
    assert new_events(events)[-1] == "step.9.decided"
    assert Event.objects.last().summary == "Rapat panel memutuskan: Diterima"


def test_the_meeting_cannot_complete_without_its_letters_and_nothing_is_written(p, appeal):
    decide(p, appeal)
    chair = p.panel[0]
    issued(appeal, Kind.DAFTAR_HADIR, chair, chair)

    error = refused(
        lambda: services.step_complete(appeal=appeal, user=chair, number=9),
        Conflict,
        "Langkah 9 (Rapat panel dan keputusan) belum dapat diselesaikan: Notulen rapat panel "
        "belum terbit. Output langkah ini wajib ada sebelum langkah diselesaikan.",
        "output_missing",
    )

    assert error.fields == {"outputs": ["notulen"]}


def test_the_meeting_cannot_complete_before_it_is_recorded(p, appeal):
    refused(
        lambda: services.step_complete(appeal=appeal, user=p.panel[0], number=9),
        Conflict,
        "Catat dahulu hasil langkah 9 (Rapat panel dan keputusan); surat langkah ini dibuat "
        "dari catatan itu.",
        "record_missing",
    )


def test_its_letters_cannot_be_drafted_before_the_meeting_is_recorded(p, appeal):
    refused(
        lambda: letters.letter_draft(appeal=appeal, user=p.panel[0], kind=Kind.NOTULEN),
        Conflict,
        "Catat dahulu hasil langkah 9 (Rapat panel dan keputusan); Notulen rapat panel dibuat "
        "dari catatan itu.",
        "record_missing",
    )


def test_a_draft_follows_the_record_and_an_issued_letter_holds_it(p, appeal):
    decide(p, appeal)
    draft = letters.letter_draft(appeal=appeal, user=p.panel[0], kind=Kind.NOTULEN)

    decide(p, appeal, minutes="Panel membahas ulang laporan investigasi.")

    draft.refresh_from_db()
    assert render.record_of(draft)["minutes"] == "Panel membahas ulang laporan investigasi."
    letters.letter_issue(letter=draft, user=p.panel[0], password="rahasia-uji-123")
    draft.refresh_from_db()
    refused(
        lambda: decide(p, appeal, minutes="Lain lagi."),
        Conflict,
        f"Notulen rapat panel {draft.number} sudah terbit dari hasil langkah 9 yang dicatat; "
        "cabut dahulu surat itu untuk mengubah hasilnya.",
        "output_issued",
    )


def test_a_seat_not_named_was_absent(p, appeal):
    chair, second = p.panel[0], p.panel[1]
    decide(
        p,
        appeal,
        attendance=[
            {"member": str(chair.public_id), "present": "on"},
            {"member": f" {second.public_id} ", "present": True},
        ],
    )

    step = appeal.steps.get(completed_at__isnull=True)
    assert [r["present"] for r in step.recorded_data["attendance"]] == [True, True, False]


def test_a_dismissed_appeal_needs_no_remedy(p, appeal):
    decide(p, appeal, decision=Decision.DISMISSED, remedy="")
    complete(p, appeal)

    assert_stands_at(appeal, 10)
    assert (appeal.decision, appeal.decision_remedy) == ("ditolak", "")


def test_any_declared_member_may_record_the_decision(p, appeal):
    services.panel_declare(appeal=appeal, user=p.panel[2])

    decide(p, appeal, user=p.panel[2])
    complete(p, appeal, user=p.panel[2])

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
        ({"reasons": " "}, "reasons", "Pertimbangan atau alasan keputusan wajib diisi."),
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
    complete(p, appeal)

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
