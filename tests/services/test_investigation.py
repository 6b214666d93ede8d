"""Step 7: investigation_note and investigation_report (by the declared panel)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from banding.appeals import services
from banding.appeals.models import Document, DocumentKind, Note
from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid
from tests.factories import pdf, register, walk
from tests.state import (
    assert_completed,
    assert_stands_at,
    capture,
    new_events,
    persona,
    refused,
    stored_files,
)

NOT_PANEL = (
    "Langkah 7 (Investigasi banding) dikerjakan oleh anggota Tim Panel Banding yang ditunjuk "
    "untuk banding ini; Anda tidak berperan itu."
)
UNDECLARED = (
    "Nyatakan dahulu bahwa Anda bebas benturan kepentingan sebelum bertindak sebagai anggota "
    "Tim Panel Banding."
)
OTHERS = ["staff", "lead", "head", "auditor", "admin", "tech", "panel_4"]
CUSTOMERS = ["customer", "customer_other"]


@pytest.fixture
def appeal(p):
    """An appeal at step 7 whose second member (p.panel[1]) has declared."""
    appeal = walk(p, register(p), 7)
    services.panel_declare(appeal=appeal, user=p.panel[1])
    return appeal


def note(p, appeal, **overrides):
    fields = dict(appeal=appeal, user=p.panel[1], kind="note", text="Sampel arsip diperiksa ulang.")
    fields.update(overrides)
    return services.investigation_note(**fields)


def report(p, appeal, **overrides):
    fields = dict(
        appeal=appeal, user=p.panel[1], report=pdf("laporan.pdf"), summary=" Hasil sesuai. "
    )
    fields.update(overrides)
    return services.investigation_report(**fields)


# --- notes ---------------------------------------------------------------------------------


def test_a_declared_member_records_an_investigation_note(p, appeal):
    before = capture()

    written = note(p, appeal, text="  Sampel arsip diperiksa ulang. ")

    assert Note.objects.get() == written
    assert (written.appeal, written.step, written.kind, written.author) == (
        appeal,
        7,
        "note",
        p.panel[1],
    )
    assert written.text == "Sampel arsip diperiksa ulang."
    assert written.occurred_at <= timezone.now()
    assert new_events(before.events) == ["investigation.note"]
    event = Event.objects.last()
    assert (event.summary, event.data, event.public) == (
        "Catatan investigasi dicatat",
        {"note": written.pk},
        False,
    )
    after = capture()
    assert (after.appeals, after.steps) == (before.appeals, before.steps)  # still at step 7


def test_a_contact_with_the_customer_is_recorded_when_it_happened(p, appeal):
    yesterday = timezone.now() - timedelta(days=1)

    written = note(p, appeal, kind="contact", text="Telepon dengan Budi.", occurred_at=yesterday)

    assert (written.kind, written.occurred_at) == ("contact", yesterday)
    assert Event.objects.last().action == "investigation.contact"
    assert Event.objects.last().summary == "Kontak dengan pelanggan dicatat"
    assert_stands_at(appeal, 7)


def test_a_member_who_has_not_declared_may_not_record_notes(p, appeal):
    refused(lambda: note(p, appeal, user=p.panel[0]), Forbidden, UNDECLARED, "declaration_required")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": "rapat"}, "kind", "Jenis catatan tidak dikenal."),
        ({"text": "  "}, "text", "Isi catatan wajib diisi."),
        (
            {"occurred_at": timezone.now() + timedelta(days=1)},
            "occurred_at",
            "Waktu kejadian tidak boleh di masa depan.",
        ),
    ],
)
def test_notes_are_validated(p, appeal, overrides, field, message):
    error = refused(lambda: note(p, appeal, **overrides), Invalid, message, "invalid")

    assert error.fields == {field: [message]}


@pytest.mark.parametrize("who", OTHERS)
def test_only_the_panel_records_notes(p, appeal, who):
    refused(lambda: note(p, appeal, user=persona(p, who)), Forbidden, NOT_PANEL, "not_your_role")


@pytest.mark.parametrize("who", CUSTOMERS)
def test_customers_may_not_record_notes(p, appeal, who):
    refused(lambda: note(p, appeal, user=persona(p, who)), Forbidden, NOT_PANEL, "not_your_role")


def test_no_note_once_the_investigation_is_over(p, appeal):
    report(p, appeal)

    refused(
        lambda: note(p, appeal),
        Conflict,
        f"Banding {appeal.number} sedang berada di langkah 9 (Rapat panel dan keputusan), "
        "bukan langkah 7 (Investigasi banding).",
        "wrong_step",
    )


# --- the report ----------------------------------------------------------------------------


def test_the_report_completes_the_investigation(p, appeal):
    before = capture()

    report(p, appeal)

    doc = Document.objects.get(kind=DocumentKind.INVESTIGATION_REPORT)
    assert (doc.appeal, doc.step, doc.uploaded_by) == (appeal, 7, p.panel[1])
    assert (doc.original_name, doc.content_type) == ("laporan.pdf", "application/pdf")
    assert stored_files() == before.files | {doc.file.name}
    assert_stands_at(appeal, 9)
    step = assert_completed(appeal, 7, by=p.panel[1], outcome="investigated")
    assert step.data == {
        "report": str(doc.public_id),
        "summary": "Hasil sesuai.",
        "outputs": [
            {"kind": "investigation_report", "document": str(doc.public_id), "sha256": doc.sha256}
        ],
    }
    assert new_events(before.events) == ["document.added", "step.7.investigated"]
    assert Event.objects.last().summary == "Laporan hasil investigasi diunggah"


def test_the_report_is_required(p, appeal):
    message = "Laporan hasil investigasi wajib diunggah."

    error = refused(lambda: report(p, appeal, report=None), Invalid, message, "invalid")

    assert error.fields == {"report": [message]}


def test_a_report_that_is_not_an_accepted_file_is_refused(p, appeal):
    refused(
        lambda: report(p, appeal, report=pdf("laporan.pdf", b"<html>bukan pdf</html>")),
        Invalid,
        "Berkas laporan.pdf tidak dapat diterima: isinya bukan PDF, JPEG, PNG, DOCX atau XLSX.",
        "upload_type",
    )


def test_a_member_who_has_not_declared_may_not_upload_the_report(p, appeal):
    refused(
        lambda: report(p, appeal, user=p.panel[0]), Forbidden, UNDECLARED, "declaration_required"
    )


@pytest.mark.parametrize("who", OTHERS)
def test_only_the_panel_uploads_the_report(p, appeal, who):
    refused(lambda: report(p, appeal, user=persona(p, who)), Forbidden, NOT_PANEL, "not_your_role")


@pytest.mark.parametrize("who", CUSTOMERS)
def test_customers_may_not_upload_the_report(p, appeal, who):
    refused(lambda: report(p, appeal, user=persona(p, who)), Forbidden, NOT_PANEL, "not_your_role")


def test_the_report_is_uploaded_once(p, appeal):
    report(p, appeal)

    refused(
        lambda: report(p, appeal),
        Conflict,
        f"Banding {appeal.number} sedang berada di langkah 9 (Rapat panel dan keputusan), "
        "bukan langkah 7 (Investigasi banding).",
        "wrong_step",
    )


def test_no_report_on_a_closed_appeal(p):
    appeal = walk(p, register(p), 13)

    refused(
        lambda: report(p, appeal, user=p.panel[0]),
        Conflict,
        f"Banding {appeal.number} sudah selesai; langkah 7 (Investigasi banding) tidak dapat "
        "dikerjakan lagi.",
        "appeal_closed",
    )
