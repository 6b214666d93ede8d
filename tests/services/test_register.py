"""Steps 1-2: appeal_register (intake by staff)."""

import dataclasses
import hashlib
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from banding.accounts.models import CustomerOrganization
from banding.appeals.models import Channel, Document, DocumentKind, RegisterSequence, ServiceType
from banding.appeals.services.intake import Intake, IntakeFields
from banding.audit.models import Event
from banding.errors import Forbidden, Invalid
from banding.sop import definition as sop
from tests.factories import PDF_BYTES, PNG_BYTES, pdf, register
from tests.state import (
    assert_stands_at,
    new_events,
    persona,
    refused,
    step_numbers,
    stored_files,
)

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=WIB)
NOT_STAFF = (
    "Langkah 2 (Penerimaan dan pencatatan) dikerjakan oleh Staff PJTK; Anda tidak berperan itu."
)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def test_staff_registers_an_appeal_that_then_waits_at_step_3(p):
    appeal = register(p)

    assert appeal.number == "BDG/2026/0001"
    assert (appeal.year, appeal.sequence) == (2026, 1)
    assert appeal.created_by == p.staff
    assert_stands_at(appeal, 3)
    assert step_numbers(appeal) == [1, 2, 3]
    first, second, _ = appeal.steps.order_by("pk")
    # Step 1 is the customer's and happened when the letter arrived.
    assert (first.actor, first.outcome, first.completed_by) == ("PEL", "submitted", None)
    assert first.started_at == first.completed_at == NOW - timedelta(hours=1)
    assert (second.actor, second.outcome, second.completed_by) == ("STF", "recorded", p.staff)
    assert second.completed_at == NOW
    assert new_events(0) == ["appeal.registered", "document.added"]
    registered = Event.objects.get(action="appeal.registered")
    assert registered.public
    assert registered.actor == p.staff
    assert registered.step == 2
    assert registered.data == {
        "number": "BDG/2026/0001",
        "channel": "email",
        "service_type": "pengujian",
    }


def test_the_appeal_letter_is_stored_hashed_under_the_media_root(p):
    appeal = register(p)

    doc = Document.objects.get()
    assert (doc.appeal, doc.kind, doc.step) == (appeal, DocumentKind.APPEAL_LETTER, 2)
    assert (doc.original_name, doc.content_type) == ("surat-banding.pdf", "application/pdf")
    assert doc.size == len(PDF_BYTES)
    assert doc.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert doc.uploaded_by == p.staff
    # The stored name carries no user input.
    assert doc.file.name == f"appeals/{appeal.public_id}/{doc.public_id}"
    assert stored_files() == {doc.file.name}
    assert (Path(default_storage.location) / doc.file.name).read_bytes() == PDF_BYTES


def test_attachments_are_stored_as_supporting_documents(p):
    png = SimpleUploadedFile("foto.png", PNG_BYTES, content_type="image/png")

    appeal = register(p, attachments=[png, pdf("lampiran.pdf")])

    docs = list(appeal.documents.order_by("pk").values_list("kind", "original_name"))
    assert docs == [
        ("appeal_letter", "surat-banding.pdf"),
        ("supporting", "foto.png"),
        ("supporting", "lampiran.pdf"),
    ]
    assert new_events(0) == [
        "appeal.registered",
        "document.added",
        "document.added",
        "document.added",
    ]
    assert len(stored_files()) == 3


def test_register_numbers_follow_each_other_and_restart_each_local_year(p, time_machine):
    assert register(p).number == "BDG/2026/0001"
    assert register(p).number == "BDG/2026/0002"
    time_machine.move_to(datetime(2026, 12, 31, 23, 59, tzinfo=WIB), tick=False)
    assert register(p).number == "BDG/2026/0003"
    # 00:01 WIB on 1 January is still 31 December in UTC: the year is Jakarta's.
    time_machine.move_to(datetime(2027, 1, 1, 0, 1, tzinfo=WIB), tick=False)
    assert register(p).number == "BDG/2027/0001"
    assert dict(RegisterSequence.objects.values_list("year", "last")) == {2026: 3, 2027: 1}


def test_a_new_organization_is_created_by_name_and_reused_after(p):
    first = register(p, organization=None, new_organization_name="  CV Kemasan Jaya ")
    second = register(p, organization=None, new_organization_name="CV Kemasan Jaya")

    assert first.organization.name == "CV Kemasan Jaya"
    assert second.organization == first.organization
    assert CustomerOrganization.objects.filter(name="CV Kemasan Jaya").count() == 1


def test_involved_persons_are_recorded(p):
    appeal = register(p, involved=[p.tech, p.panel[0]], involved_note="Analis sampling lapangan")

    assert set(appeal.involved_persons.all()) == {p.tech, p.panel[0]}
    assert appeal.involved_note == "Analis sampling lapangan"


def test_text_fields_are_stored_trimmed(p):
    appeal = register(p, contact_name="  Budi  ", grounds="\n Alasan \n")

    appeal.refresh_from_db()
    assert (appeal.contact_name, appeal.grounds) == ("Budi", "Alasan")


def test_proficiency_testing_of_testing_is_accepted(p):
    appeal = register(p, service_type=ServiceType.PT_TESTING)

    assert_stands_at(appeal, 3)


def test_calibration_proficiency_testing_is_refused_with_the_sop_exception(p):
    error = refused(
        lambda: register(p, service_type=ServiceType.PT_CALIBRATION),
        Invalid,
        sop.CALIBRATION_PT_EXCEPTION,
        "calibration_pt_excluded",
    )

    assert error.fields == {"service_type": [sop.CALIBRATION_PT_EXCEPTION]}
    assert "ISO/IEC 17043:2023" in error.message


@pytest.mark.parametrize(
    "who",
    ["lead", "head", "auditor", "admin", "tech", "panel_1", "customer", "customer_other"],
)
def test_only_pjtk_staff_may_register(p, who):
    refused(lambda: register(p, user=persona(p, who)), Forbidden, NOT_STAFF, "not_your_role")


def test_an_inactive_staff_member_may_not_register(p):
    p.staff.is_active = False
    p.staff.save()

    refused(lambda: register(p), Forbidden, NOT_STAFF, "not_your_role")


TEXT_AS_PDF = b"Ini hanya teks biasa, bukan PDF."


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"service_type": "kimia"}, "service_type", "Jenis layanan tidak dikenal."),
        (
            {"channel": Channel.PORTAL},
            "channel",
            "Saluran harus email, ekspedisi atau langsung.",
        ),
        ({"channel": "fax"}, "channel", "Saluran harus email, ekspedisi atau langsung."),
        (
            {"organization": None},
            "organization",
            "Pilih organisasi pelanggan atau tuliskan nama organisasi baru.",
        ),
        (
            {"organization": None, "new_organization_name": "   "},
            "organization",
            "Pilih organisasi pelanggan atau tuliskan nama organisasi baru.",
        ),
        ({"contact_name": "  "}, "contact_name", "Narahubung wajib diisi."),
        ({"complaint_reference": ""}, "complaint_reference", "Nomor keluhan wajib diisi."),
        ({"grounds": "\n"}, "grounds", "Alasan banding wajib diisi."),
        ({"remedy_sought": ""}, "remedy_sought", "Penyelesaian yang diminta wajib diisi."),
        (
            {"received_at": NOW + timedelta(minutes=1)},
            "received_at",
            "Waktu diterima tidak boleh di masa depan.",
        ),
        (
            {"complaint_outcome_date": NOW.date() + timedelta(days=1)},
            "complaint_outcome_date",
            "Tanggal hasil keluhan tidak boleh di masa depan.",
        ),
        (
            {"received_at": NOW - timedelta(days=2), "complaint_outcome_date": NOW.date()},
            "complaint_outcome_date",
            "Tanggal hasil penanganan keluhan tidak boleh setelah tanggal banding diterima.",
        ),
        ({"letter": None}, "letter", "Surat permohonan banding wajib diunggah."),
    ],
)
def test_intake_is_validated_and_nothing_is_written(p, overrides, field, message):
    error = refused(lambda: register(p, **overrides), Invalid, message, "invalid")

    assert error.fields == {field: [message]}


def test_a_customer_cannot_be_recorded_as_involved_person(p):
    message = "Pihak terlibat harus pegawai Balai."

    error = refused(lambda: register(p, involved=[p.customer]), Invalid, message, "invalid")

    assert error.fields == {"involved_persons": [message]}


def test_a_letter_that_is_not_an_accepted_file_is_refused(p):
    refused(
        lambda: register(p, letter=pdf("surat.pdf", TEXT_AS_PDF)),
        Invalid,
        "Berkas surat.pdf tidak dapat diterima: isinya bukan PDF, JPEG, PNG, DOCX atau XLSX.",
        "upload_type",
    )


def test_an_empty_letter_is_refused(p):
    refused(
        lambda: register(p, letter=pdf("surat.pdf", b"")),
        Invalid,
        "Berkas surat.pdf kosong.",
        "upload_empty",
    )


def test_a_refused_intake_takes_no_register_number(p):
    register(p)
    with pytest.raises(Invalid):
        register(p, grounds="")

    assert register(p).number == "BDG/2026/0002"


def test_the_keywords_of_appeal_register_are_the_fields_of_an_intake():
    fields = {f.name: f.default is dataclasses.MISSING for f in dataclasses.fields(Intake)}
    keywords = {
        name: name in IntakeFields.__required_keys__ for name in IntakeFields.__annotations__
    }
    assert keywords == fields
