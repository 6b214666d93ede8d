"""Step 1 online (appeal_submit, by the customer) and step 2 of such an appeal
(appeal_record, by the staff PJTK)."""

import hashlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from banding.accounts.models import User
from banding.appeals import services
from banding.appeals.models import Channel, DocumentKind, RegisterSequence, ServiceType
from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid
from banding.notifications.models import Kind, Notification
from banding.notifications.outbox import mail_deliver_pending
from banding.sop import definition as sop
from tests.factories import PDF_BYTES, PNG_BYTES, make_user, pdf, register, walk
from tests.portal.helpers import record, submit
from tests.services.test_atomicity import Boom, fail_on
from tests.state import (
    assert_completed,
    assert_stands_at,
    capture,
    new_events,
    persona,
    refused,
    step_numbers,
    stored_files,
)

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=WIB)  # a Monday, office hours
NOT_CUSTOMER = "Langkah 1 (Pengajuan banding) dikerjakan oleh Pelanggan; Anda tidak berperan itu."
NOT_STAFF = (
    "Langkah 2 (Penerimaan dan pencatatan) dikerjakan oleh Staff PJTK; Anda tidak berperan itu."
)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


# --- appeal_submit -------------------------------------------------------------------------


def test_a_customer_submits_an_appeal_numbered_at_once_waiting_for_staff_at_step_2(p):
    appeal = submit(p)

    assert appeal.number == "BDG/2026/0001"
    assert (appeal.organization, appeal.created_by) == (p.org, p.customer)
    assert (appeal.channel, appeal.received_at, appeal.created_at) == (Channel.PORTAL, NOW, NOW)
    assert_stands_at(appeal, 2)
    assert step_numbers(appeal) == [1, 2]
    first, second = appeal.steps.order_by("pk")
    assert (first.actor, first.outcome, first.completed_by) == ("PEL", "submitted", p.customer)
    assert first.started_at == first.completed_at == NOW
    assert (second.actor, second.started_at, second.completed_at) == ("STF", NOW, None)
    # Step 2 takes 15 working minutes.
    assert second.due_at == NOW + timedelta(minutes=15)


def test_the_submission_is_one_public_event_and_its_documents(p):
    appeal = submit(p, attachments=[pdf("lampiran.pdf")])

    assert new_events(0) == ["appeal.submitted", "document.added", "document.added"]
    event = Event.objects.get(action="appeal.submitted")
    assert (event.public, event.actor, event.step, event.appeal) == (True, p.customer, 1, appeal)
    assert event.summary == "Banding BDG/2026/0001 diajukan melalui portal pelanggan"
    assert event.data == {
        "number": "BDG/2026/0001",
        "channel": "portal",
        "service_type": "pengujian",
    }


def test_the_letter_and_attachments_are_stored_hashed_as_the_customers(p):
    png = SimpleUploadedFile("foto.png", PNG_BYTES, content_type="image/png")

    appeal = submit(p, attachments=[png])

    docs = list(appeal.documents.order_by("pk"))
    assert [(d.kind, d.step, d.uploaded_by) for d in docs] == [
        (DocumentKind.APPEAL_LETTER, 1, p.customer),
        (DocumentKind.SUPPORTING, 1, p.customer),
    ]
    assert docs[0].sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert docs[0].file.name == f"appeals/{appeal.public_id}/{docs[0].public_id}"
    assert stored_files() == {d.file.name for d in docs}


def test_the_contact_is_the_customer_unless_given(p):
    p.customer.email, p.customer.phone = "budi@kimia.example", "0812-1111"
    p.customer.save()

    own = submit(p)
    other = submit(p, contact_name="  Sari  ", contact_phone=" 0813-2222 ")

    assert (own.contact_name, own.contact_email, own.contact_phone) == (
        "Pelanggan",
        "budi@kimia.example",
        "0812-1111",
    )
    assert (other.contact_name, other.contact_email, other.contact_phone) == (
        "Sari",
        "budi@kimia.example",
        "0813-2222",
    )


def test_text_fields_are_stored_trimmed(p):
    appeal = submit(p, grounds="\n Alasan \n", complaint_reference=" KEL/1 ")

    assert (appeal.grounds, appeal.complaint_reference) == ("Alasan", "KEL/1")


def test_online_and_staff_intake_share_one_gapless_register(p):
    assert register(p).number == "BDG/2026/0001"
    assert submit(p).number == "BDG/2026/0002"
    assert register(p).number == "BDG/2026/0003"


def test_staff_are_told_it_is_their_turn_and_the_customer_that_it_was_received(p):
    p.customer.email = "budi@kimia.example"
    p.customer.save()

    appeal = submit(p)

    assigned = Notification.objects.get(kind=Kind.STEP_ASSIGNED)
    assert (assigned.recipient, assigned.appeal, assigned.step.number) == (p.staff, appeal, 2)
    received = Notification.objects.get(kind=Kind.MILESTONE)
    assert (received.recipient, received.step.number) == (p.customer, 1)
    assert "Diterima" in received.message
    mail_deliver_pending()
    to_customer = [m for m in mail.outbox if m.to == ["budi@kimia.example"]]
    assert len(to_customer) == 1
    assert appeal.number in to_customer[0].body


def test_proficiency_testing_of_testing_is_accepted(p):
    assert_stands_at(submit(p, service_type=ServiceType.PT_TESTING), 2)


def test_calibration_proficiency_testing_is_refused_with_the_sop_exception(p):
    error = refused(
        lambda: submit(p, service_type=ServiceType.PT_CALIBRATION),
        Invalid,
        sop.CALIBRATION_PT_EXCEPTION,
        "calibration_pt_excluded",
    )

    assert error.fields == {"service_type": [sop.CALIBRATION_PT_EXCEPTION]}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"service_type": "kimia"}, "service_type", "Jenis layanan tidak dikenal."),
        ({"complaint_reference": " "}, "complaint_reference", "Nomor keluhan wajib diisi."),
        ({"grounds": "\n"}, "grounds", "Alasan banding wajib diisi."),
        ({"remedy_sought": ""}, "remedy_sought", "Penyelesaian yang diminta wajib diisi."),
        (
            {"complaint_outcome_date": NOW.date() + timedelta(days=1)},
            "complaint_outcome_date",
            "Tanggal hasil keluhan tidak boleh di masa depan.",
        ),
        ({"letter": None}, "letter", "Surat permohonan banding wajib diunggah."),
    ],
)
def test_a_submission_is_validated_and_nothing_is_written(p, overrides, field, message):
    error = refused(lambda: submit(p, **overrides), Invalid, message, "invalid")

    assert error.fields == {field: [message]}


def test_a_letter_that_is_not_an_accepted_file_is_refused(p):
    refused(
        lambda: submit(p, letter=pdf("surat.pdf", b"Ini hanya teks biasa, bukan PDF.")),
        Invalid,
        "Berkas surat.pdf tidak dapat diterima: isinya bukan PDF, JPEG, PNG, DOCX atau XLSX.",
        "upload_type",
    )


def test_a_bad_attachment_refuses_the_whole_submission(p):
    refused(
        lambda: submit(p, attachments=[pdf("kosong.pdf", b"")]),
        Invalid,
        "Berkas kosong.pdf kosong.",
        "upload_empty",
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failure_inside_the_transaction_leaves_no_appeal_number_or_file(p, monkeypatch):
    before = capture()
    fail_on(monkeypatch, "document.added", nth=2)  # the attachment, after both files are written

    with pytest.raises(Boom):
        submit(p, attachments=[pdf("lampiran.pdf")])

    assert capture() == before
    assert not RegisterSequence.objects.exists()
    monkeypatch.undo()
    assert submit(p).number == "BDG/2026/0001"


@pytest.mark.parametrize("who", ["staff", "lead", "head", "auditor", "admin", "tech", "panel_1"])
def test_only_a_customer_may_submit(p, who):
    refused(lambda: submit(p, user=persona(p, who)), Forbidden, NOT_CUSTOMER, "not_your_role")


def test_an_inactive_customer_may_not_submit(p):
    p.customer.is_active = False
    p.customer.save()

    refused(lambda: submit(p), Forbidden, NOT_CUSTOMER, "not_your_role")


def test_a_customer_whose_organisation_is_not_confirmed_is_told_so(p):
    waiting = make_user("calon")

    refused(lambda: submit(p, user=waiting), Forbidden, services.NOT_CONFIRMED, "not_confirmed")


def test_an_account_deactivated_meanwhile_submits_nothing(p):
    # The service re-reads the account inside its transaction.
    stale = User.objects.get(pk=p.customer.pk)
    User.objects.filter(pk=p.customer.pk).update(is_active=False)

    refused(lambda: submit(p, user=stale), Forbidden, NOT_CUSTOMER, "not_your_role")


# --- appeal_record -------------------------------------------------------------------------


def test_staff_record_an_online_appeal_which_goes_to_verification(p):
    appeal = submit(p)
    before = Event.objects.count()

    appeal = record(p, appeal, involved_persons=[p.tech], involved_note=" Analis sampling ")

    assert_stands_at(appeal, 3)
    step = assert_completed(appeal, 2, by=p.staff, outcome="recorded")
    assert step.data == {
        "involved_persons": [str(p.tech.public_id)],
        "involved_note": "Analis sampling",
        "no_involved_reason": "",
        "appealed_team": "",
    }
    assert list(appeal.involved_persons.all()) == [p.tech]
    assert appeal.involved_note == "Analis sampling"
    assert new_events(before) == ["step.2.recorded"]
    event = Event.objects.get(action="step.2.recorded")
    assert (event.public, event.actor) == (True, p.staff)
    assert event.summary == "Permohonan banding diperiksa dan dicatat oleh staff PJTK"


def test_recording_tells_the_lead_it_is_their_turn(p):
    appeal = record(p, submit(p))

    turn = Notification.objects.get(kind=Kind.STEP_ASSIGNED, recipient=p.lead)
    assert (turn.appeal, turn.step.number) == (appeal, 3)


def test_a_customer_cannot_be_named_as_involved(p):
    appeal = submit(p)
    message = "Pihak terlibat harus pegawai Balai."

    error = refused(
        lambda: record(p, appeal, involved_persons=[p.customer]), Invalid, message, "invalid"
    )

    assert error.fields == {"involved_persons": [message]}


@pytest.mark.parametrize(
    "who", ["lead", "head", "auditor", "tech", "panel_1", "customer", "customer_other"]
)
def test_only_pjtk_staff_may_record(p, who):
    appeal = submit(p)

    refused(lambda: record(p, appeal, user=persona(p, who)), Forbidden, NOT_STAFF, "not_your_role")


def test_recording_an_appeal_past_step_2_is_refused(p):
    appeal = walk(p, register(p), 5)

    refused(
        lambda: record(p, appeal),
        Conflict,
        f"Banding {appeal.number} sedang berada di langkah 5 (Usulan Tim Panel Banding), "
        "bukan langkah 2 (Penerimaan dan pencatatan).",
        "wrong_step",
    )


def test_a_recorded_online_appeal_walks_on_like_any_other(p):
    appeal = walk(p, record(p, submit(p)), 12)

    assert appeal.current_step == 12
    assert appeal.steps.filter(number=2).count() == 1
