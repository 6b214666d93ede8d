"""invitation_answer: the customer of the appeal answers an invitation once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from banding.appeals.models import Document, PanelInvitation
from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid, NotFound
from banding.notifications.models import Kind, Mail, Notification
from banding.notifications.outbox import mail_deliver_pending
from tests.factories import PDF_BYTES, PNG_BYTES, pdf, walk
from tests.invitations.conftest import answer, send, send_written
from tests.state import capture, new_events, persona, refused, stored_files

NOT_CUSTOMER = "Undangan Tim Panel Banding dijawab oleh pelanggan yang mengajukan banding ini."


def unchanged(invitation: PanelInvitation) -> None:
    invitation.refresh_from_db()
    assert (invitation.response, invitation.responded_at, invitation.response_note) == (
        "",
        None,
        "",
    )


def test_the_customer_confirms_attendance(p, appeal):
    invitation = send(p, appeal)
    before = Event.objects.count()

    answered = answer(p, invitation, note=" Budi Santoso (Manajer Mutu) ")

    answered.refresh_from_db()
    assert (answered.response, answered.responded_by, answered.response_note) == (
        "attend",
        p.customer,
        "Budi Santoso (Manajer Mutu)",
    )
    assert answered.responded_at is not None
    assert new_events(before) == ["invitation.answered"]
    event = Event.objects.last()
    assert (event.public, event.actor, event.step) == (True, p.customer, 7)
    assert event.summary == "Pelanggan menjawab undangan Tim Panel Banding: Akan hadir"


def test_the_customer_may_decline_a_meeting(p, appeal):
    invitation = answer(p, send(p, appeal), response="decline", note="Sedang dinas luar kota.")

    assert invitation.response == "decline"
    assert Event.objects.last().summary == (
        "Pelanggan menjawab undangan Tim Panel Banding: Tidak dapat hadir"
    )


def test_a_written_explanation_comes_with_checked_files(p, appeal):
    invitation = send_written(p, appeal)
    files = [
        pdf("data-lab-kami.pdf"),
        SimpleUploadedFile("foto-sampel.png", PNG_BYTES, content_type="image/png"),
    ]

    answered = answer(
        p, invitation, response="written", note="Metode kami mengikuti SNI 01-2891.", files=files
    )

    docs = list(Document.objects.filter(kind="customer_explanation").order_by("original_name"))
    assert [(d.original_name, d.content_type) for d in docs] == [
        ("data-lab-kami.pdf", "application/pdf"),
        ("foto-sampel.png", "image/png"),
    ]
    assert all(d.uploaded_by == p.customer and d.step == 7 for d in docs)
    assert all(d.uploaded_at == answered.responded_at for d in docs)
    assert all(d.customer_visible for d in docs)
    assert docs[0].file.read() == PDF_BYTES
    assert Event.objects.filter(action="invitation.answered").get().summary == (
        "Pelanggan menjawab undangan Tim Panel Banding: Penjelasan tertulis dikirim dengan 2 berkas"
    )


def test_the_panel_is_told_of_the_answer(p, appeal):
    for member in p.panel[:3]:
        member.email = f"{member.username}@balai.example"
        member.save()
    invitation = send_written(p, appeal)
    mail.outbox.clear()

    answer(p, invitation, response="written", note="Penjelasan kami.", files=[pdf("a.pdf")])

    notices = Notification.objects.filter(kind=Kind.INVITATION_ANSWERED)
    assert sorted(n.recipient.username for n in notices) == ["panel_1", "panel_2", "panel_3"]
    assert notices.first().message == (
        f"Banding {appeal.number}: pelanggan menjawab undangan Tim Panel — "
        "Penjelasan tertulis dikirim."
    )
    assert notices.first().url == f"/banding/{appeal.public_id}/"
    mail_deliver_pending()
    sent = [m for m in mail.outbox if m.to == ["panel_1@balai.example"]]
    assert [m.subject for m in sent] == [
        f"[SiBanding] Banding {appeal.number}: pelanggan menjawab undangan — "
        "Penjelasan tertulis dikirim"
    ]
    assert "Penjelasan kami." in sent[0].body
    assert "Berkas penjelasan: a.pdf" in sent[0].body
    assert Mail.objects.filter(kind="invitation_answered", state="sent").count() == 3


def test_an_invitation_is_answered_once(p, appeal):
    invitation = answer(p, send(p, appeal))

    refused(
        lambda: answer(p, invitation, response="decline"),
        Conflict,
        "Undangan ini sudah dijawab pada Selasa, 10 Maret 2026 pukul 09:00 WIB; jawaban "
        "tidak dapat diubah.",
        "already_answered",
    )
    invitation.refresh_from_db()
    assert invitation.response == "attend"


def test_an_answer_racing_another_leaves_no_file_behind(p, appeal):
    """The early check passed on a stale copy; the locked re-check refuses, and the file
    already written is removed: nothing half-written."""
    invitation = send_written(p, appeal)
    stale = PanelInvitation.objects.get(pk=invitation.pk)
    answer(p, invitation, response="written", note="Jawaban pertama.")
    files_before = stored_files()
    state_before = capture()

    with pytest.raises(Conflict):
        answer(p, stale, response="written", note="Jawaban kedua.", files=[pdf("b.pdf")])

    assert stored_files() == files_before
    assert capture() == state_before
    stale.refresh_from_db()
    assert stale.response_note == "Jawaban pertama."


@pytest.mark.parametrize("who", ["staff", "lead", "head", "auditor", "admin", "panel_2"])
def test_staff_do_not_answer_for_the_customer(p, appeal, who):
    invitation = send(p, appeal)
    refused(
        lambda: answer(p, invitation, user=persona(p, who)),
        Forbidden,
        NOT_CUSTOMER,
        "not_your_role",
    )
    unchanged(invitation)


def test_another_organisations_customer_is_told_it_does_not_exist(p, appeal):
    invitation = send(p, appeal)
    refused(
        lambda: answer(p, invitation, user=p.customer_other),
        NotFound,
        "Undangan tidak ditemukan.",
        "not_found",
    )
    unchanged(invitation)


def test_no_answer_once_the_appeal_is_closed(p, appeal):
    invitation = send(p, appeal)
    walk(p, appeal, 13)
    invitation.refresh_from_db()

    refused(
        lambda: answer(p, invitation),
        Conflict,
        f"Banding {appeal.number} sudah selesai; undangan tidak dapat dijawab lagi.",
        "appeal_closed",
    )


def test_no_answer_after_the_meeting_or_the_deadline(p, appeal, time_machine):
    meeting = send(p, appeal)
    written = send_written(p, appeal)
    time_machine.shift(timedelta(days=6))

    refused(
        lambda: answer(p, meeting),
        Conflict,
        "Waktu pertemuan sudah lewat; undangan tidak dapat dijawab lagi.",
        "expired",
    )
    refused(
        lambda: answer(p, written, response="written", note="Terlambat."),
        Conflict,
        "Batas waktu penjelasan tertulis (Minggu, 15 Maret 2026 pukul 09:00 WIB) sudah lewat; "
        "hubungi Tim Panel Banding bila Anda masih ingin menjelaskan.",
        "expired",
    )


@pytest.mark.parametrize(
    ("written", "overrides", "field", "message"),
    [
        (
            False,
            {"response": "written"},
            "response",
            "Pilih jawaban undangan pertemuan: akan hadir atau tidak dapat hadir.",
        ),
        (
            False,
            {"files": "pdf"},
            "files",
            "Berkas dilampirkan hanya pada penjelasan tertulis; undangan ini untuk hadir dalam "
            "pertemuan.",
        ),
        (True, {"response": "attend"}, "response", "Undangan ini meminta penjelasan tertulis."),
        (True, {"response": "written", "note": "  "}, "note", "Penjelasan tertulis wajib diisi."),
    ],
)
def test_the_answer_must_fit_the_invitation(p, appeal, written, overrides, field, message):
    invitation = send_written(p, appeal) if written else send(p, appeal)
    if overrides.get("files") == "pdf":
        overrides = {**overrides, "files": [pdf()]}

    error = refused(lambda: answer(p, invitation, **overrides), Invalid, message, "invalid")

    assert error.fields == {field: [message]}
    unchanged(invitation)


@pytest.mark.parametrize(
    ("upload", "message", "code"),
    [
        (
            SimpleUploadedFile("skrip.pdf", b"#!/bin/sh\necho hai\n"),
            "Berkas skrip.pdf tidak dapat diterima: isinya bukan PDF, JPEG, PNG, DOCX atau XLSX.",
            "upload_type",
        ),
        (SimpleUploadedFile("kosong.pdf", b""), "Berkas kosong.pdf kosong.", "upload_empty"),
    ],
)
def test_explanation_files_are_checked_by_content(p, appeal, upload, message, code):
    invitation = send_written(p, appeal)

    refused(
        lambda: answer(
            p, invitation, response="written", note="Penjelasan.", files=[pdf(), upload]
        ),
        Invalid,
        message,
        code,
    )
    unchanged(invitation)


def test_a_file_over_the_size_limit_is_refused(p, appeal, settings):
    settings.BANDING_UPLOAD_MAX_BYTES = 20
    invitation = send_written(p, appeal)

    refused(
        lambda: answer(p, invitation, response="written", note="Penjelasan.", files=[pdf()]),
        Invalid,
        "Berkas surat-banding.pdf berukuran 45 byte, melebihi batas 20 byte.",
        "upload_too_large",
    )
