"""Step 3: appeal_verify (completeness and relevance, by the ketua tim PJTK)."""

import pytest

from banding.appeals import services
from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid
from banding.letters import services as letters
from banding.letters.kinds import Kind
from banding.letters.models import LetterStatus
from banding.sop import definition as sop
from tests.factories import issued, register, rejection_letter, verify_relevant, walk
from tests.state import (
    assert_completed,
    assert_stands_at,
    new_events,
    persona,
    refused,
    step_numbers,
)

NOT_LEAD = (
    "Langkah 3 (Verifikasi kelengkapan dan relevansi) dikerjakan oleh Ketua Tim PJTK; "
    "Anda tidak berperan itu."
)
COMPLETE = dict.fromkeys(sop.step(3).checklist, True)


def verify(p, appeal, **overrides):
    fields = dict(
        appeal=appeal,
        user=p.lead,
        checklist=COMPLETE,
        relevant=True,
        reasons="Keluhan KEL/2026/017 memang sudah diselesaikan.",
        technical_team=p.team_a,
    )
    fields.update(overrides)
    return services.appeal_verify(**fields)


NO_NOTA_DINAS = (
    "Langkah 3 (Verifikasi kelengkapan dan relevansi) belum dapat diselesaikan: Nota dinas "
    "permohonan penyelesaian banding belum terbit. Output langkah ini wajib ada sebelum langkah "
    "diselesaikan."
)


def complete(p, appeal):
    return services.step_complete(appeal=appeal, user=p.lead, number=3)


def test_relevant_is_recorded_and_step_3_waits_for_the_nota_dinas(p):
    appeal = register(p)
    events = Event.objects.count()

    verify(p, appeal)

    assert_stands_at(appeal, 3)
    assert appeal.relevant is None  # applied when the step completes
    step = appeal.steps.get(completed_at__isnull=True)
    assert (step.recorded_outcome, step.recorded_by) == ("relevant", p.lead)
    assert step.recorded_data["technical_team"] == "pengujian"
    assert new_events(events) == ["step.3.pending"]
    assert not Event.objects.last().public


def test_step_3_cannot_complete_without_the_nota_dinas_and_nothing_is_written(p):
    appeal = register(p)
    verify(p, appeal)

    error = refused(lambda: complete(p, appeal), Conflict, NO_NOTA_DINAS, "output_missing")

    assert error.fields == {"outputs": ["nota_dinas"]}


def test_no_nota_dinas_before_the_relevance_decision(p):
    appeal = register(p)

    refused(
        lambda: letters.letter_draft(appeal=appeal, user=p.lead, kind=Kind.NOTA_DINAS),
        Conflict,
        "Catat dahulu hasil langkah 3 (Verifikasi kelengkapan dan relevansi); Nota dinas "
        "permohonan penyelesaian banding dibuat dari catatan itu.",
        "record_missing",
    )


def test_no_nota_dinas_for_an_appeal_found_not_relevant(p):
    appeal = register(p)
    verify(p, appeal, relevant=False, reasons="Bukan hasil penanganan keluhan.")

    refused(
        lambda: letters.letter_draft(appeal=appeal, user=p.lead, kind=Kind.NOTA_DINAS),
        Conflict,
        f"Nota dinas permohonan penyelesaian banding dibuat pada langkah 3 (Verifikasi "
        f"kelengkapan dan relevansi); banding {appeal.number} sedang berada di langkah 4 (Surat "
        "penolakan banding).",
        "wrong_step",
    )


def test_a_nota_dinas_draft_is_discarded_when_the_appeal_is_found_not_relevant_after_all(p):
    appeal = register(p)
    verify(p, appeal)
    draft = letters.letter_draft(appeal=appeal, user=p.lead, kind=Kind.NOTA_DINAS)
    events = Event.objects.count()

    verify(p, appeal, relevant=False, reasons="Ternyata bukan hasil penanganan keluhan.")

    assert_stands_at(appeal, 4)
    assert not type(draft).objects.filter(pk=draft.pk).exists()
    assert new_events(events) == ["letter.discarded", "step.3.not_relevant"]


def test_an_issued_nota_dinas_holds_the_record_until_it_is_withdrawn(p):
    appeal = register(p)
    verify(p, appeal)
    nota = issued(appeal, Kind.NOTA_DINAS, p.lead, p.lead)

    refused(
        lambda: verify(p, appeal, relevant=False, reasons="Ternyata tidak relevan."),
        Conflict,
        f"Nota dinas permohonan penyelesaian banding {nota.number} sudah terbit dari hasil "
        "langkah 3 yang dicatat; cabut dahulu surat itu untuk mengubah hasilnya.",
        "output_issued",
    )
    letters.letter_withdraw(letter=nota, user=p.lead, reason="Tim teknis tujuan keliru.")
    verify(p, appeal, technical_team=p.team_b)
    again = issued(appeal, Kind.NOTA_DINAS, p.lead, p.lead)
    complete(p, appeal)

    nota.refresh_from_db()
    assert nota.status == LetterStatus.WITHDRAWN
    assert again.number != nota.number
    appeal.refresh_from_db()
    assert appeal.technical_team == p.team_b


def test_relevant_appeal_goes_to_the_chosen_technical_team_at_step_5(p):
    appeal = register(p)
    verify(p, appeal)
    nota = issued(appeal, Kind.NOTA_DINAS, p.lead, p.lead)
    events = Event.objects.count()

    complete(p, appeal)

    assert_stands_at(appeal, 5)
    assert (appeal.relevant, appeal.technical_team) == (True, p.team_a)
    assert step_numbers(appeal) == [1, 2, 3, 5]
    step = assert_completed(appeal, 3, by=p.lead, outcome="relevant")
    assert step.data["checklist"] == COMPLETE
    assert step.data["technical_team"] == "pengujian"
    assert step.data["outputs"][0]["number"] == nota.number
    assert new_events(events) == ["step.3.relevant"]
    event = Event.objects.last()
    assert (event.actor, event.step, event.public) == (p.lead, 3, True)
    assert event.summary == (
        "Diverifikasi relevan; nota dinas kepada Tim Pengujian, diketahui Kepala Balai"
    )


def test_not_relevant_appeal_goes_to_step_4_with_its_reasons(p):
    appeal = register(p)
    events = Event.objects.count()

    verify(p, appeal, relevant=False, reasons="  Bukan hasil penanganan keluhan.  ")

    assert_stands_at(appeal, 4)
    assert appeal.relevant is False
    assert appeal.relevance_reasons == "Bukan hasil penanganan keluhan."
    # A team chosen by mistake is not kept for an appeal that goes nowhere near one.
    assert appeal.technical_team is None
    assert_completed(appeal, 3, by=p.lead, outcome="not_relevant")
    assert new_events(events) == ["step.3.not_relevant"]
    assert Event.objects.last().summary == "Diverifikasi tidak relevan"


def test_an_incomplete_appeal_may_still_be_found_not_relevant(p):
    appeal = register(p)

    verify(p, appeal, checklist={}, relevant=False, reasons="Tidak ada keluhan sebelumnya.")

    step = assert_completed(appeal, 3, by=p.lead, outcome="not_relevant")
    assert step.data["checklist"] == dict.fromkeys(sop.step(3).checklist, False)


def test_relevant_needs_a_technical_team(p):
    appeal = register(p)
    message = "Pilih Bagian/Tim Teknis tujuan nota dinas."

    error = refused(lambda: verify(p, appeal, technical_team=None), Invalid, message, "invalid")

    assert error.fields == {"technical_team": [message]}


def test_an_incomplete_appeal_cannot_be_found_relevant(p):
    appeal = register(p)
    checklist = {**COMPLETE, "Alasan banding": False, "Dokumen pendukung": False}

    refused(
        lambda: verify(p, appeal, checklist=checklist),
        Invalid,
        "Banding yang belum lengkap tidak dapat dinyatakan relevan; belum lengkap: "
        "Alasan banding, Dokumen pendukung.",
        "invalid",
    )


@pytest.mark.parametrize("reasons", ["", "   \n"])
def test_not_relevant_needs_reasons(p, reasons):
    appeal = register(p)
    message = "Alasan wajib diisi bila banding tidak relevan."

    error = refused(
        lambda: verify(p, appeal, relevant=False, reasons=reasons), Invalid, message, "invalid"
    )

    assert error.fields == {"reasons": [message]}


@pytest.mark.parametrize("who", ["staff", "head", "auditor", "admin", "tech", "panel_1"])
def test_other_roles_may_not_verify(p, who):
    appeal = register(p)

    refused(lambda: verify(p, appeal, user=persona(p, who)), Forbidden, NOT_LEAD, "not_your_role")


@pytest.mark.parametrize("who", ["customer", "customer_other"])
def test_customers_may_not_verify(p, who):
    appeal = register(p)

    refused(lambda: verify(p, appeal, user=persona(p, who)), Forbidden, NOT_LEAD, "not_your_role")


def test_an_appeal_past_step_3_cannot_be_verified_again(p):
    appeal = walk(p, register(p), 5)

    refused(
        lambda: verify(p, appeal),
        Conflict,
        f"Banding {appeal.number} sedang berada di langkah 5 (Usulan Tim Panel Banding), "
        "bukan langkah 3 (Verifikasi kelengkapan dan relevansi).",
        "wrong_step",
    )


def test_a_rejected_appeal_cannot_be_verified(p):
    appeal = register(p)
    verify(p, appeal, relevant=False)
    rejection_letter(p, appeal)
    services.appeal_reject(
        appeal=appeal,
        user=p.staff,
        delivered_at=appeal.received_at,
        channel="email",
    )

    refused(
        lambda: verify(p, appeal),
        Conflict,
        f"Banding {appeal.number} sudah ditolak (tidak relevan); langkah 3 "
        "(Verifikasi kelengkapan dan relevansi) tidak dapat dikerjakan lagi.",
        "appeal_closed",
    )


def test_a_stale_appeal_object_does_not_let_step_3_run_twice(p):
    # The caller's copy still says step 3; the service re-reads the row under a lock.
    appeal = register(p)
    verify_relevant(p, appeal)
    assert appeal.current_step == 3

    refused(
        lambda: verify(p, appeal),
        Conflict,
        f"Banding {appeal.number} sedang berada di langkah 5 (Usulan Tim Panel Banding), "
        "bukan langkah 3 (Verifikasi kelengkapan dan relevansi).",
        "wrong_step",
    )
