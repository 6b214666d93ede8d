"""document_add: an extra document on an open appeal."""

import pytest

from banding.appeals import services
from banding.appeals.models import DocumentKind
from banding.audit.models import Event
from banding.errors import Conflict, Forbidden, Invalid
from tests.factories import pdf, register, rejection_letter, similar_confirmed, walk
from tests.state import capture, new_events, persona, refused, stored_files

NOT_ALLOWED = "Dokumen ditambahkan oleh staff PJTK atau pelaksana langkah yang sedang berjalan."
UNDECLARED = (
    "Nyatakan dahulu bahwa Anda bebas benturan kepentingan sebelum bertindak sebagai anggota "
    "Tim Panel Banding."
)


def add(appeal, user, *, kind=DocumentKind.SUPPORTING, upload=None):
    return services.document_add(
        appeal=appeal, user=user, upload=upload or pdf("tambahan.pdf"), kind=kind
    )


def test_staff_add_a_document_to_the_current_step(p):
    appeal = register(p)
    before = capture()

    doc = add(appeal, p.staff)

    assert (doc.appeal, doc.step, doc.kind, doc.uploaded_by) == (appeal, 3, "supporting", p.staff)
    assert doc.original_name == "tambahan.pdf"
    assert stored_files() == before.files | {doc.file.name}
    assert new_events(before.events) == ["document.added"]
    event = Event.objects.last()
    assert (event.step, event.public) == (3, False)
    assert event.summary == "Dokumen ditambahkan: Dokumen pendukung (tambahan.pdf)"
    after = capture()
    assert (after.appeals, after.steps) == (before.appeals, before.steps)


@pytest.mark.parametrize(
    ("at", "who", "kind"),
    [
        (3, "lead", DocumentKind.SUPPORTING),
        (5, "tech", DocumentKind.OTHER),
        (6, "head", DocumentKind.OTHER),
        (7, "panel_1", DocumentKind.INVESTIGATION_EVIDENCE),
        (9, "panel_1", DocumentKind.MINUTES),
    ],
)
def test_the_actor_of_the_current_step_adds_documents(p, at, who, kind):
    appeal = walk(p, register(p), at)
    if at == 7:
        services.panel_declare(appeal=appeal, user=p.panel[0])

    doc = add(appeal, persona(p, who), kind=kind)

    assert (doc.step, doc.kind, doc.uploaded_by) == (at, kind, persona(p, who))


@pytest.mark.parametrize(
    ("at", "who"),
    [
        (3, "head"),
        (3, "tech"),
        (3, "auditor"),
        (3, "admin"),
        (5, "tech_other"),
        (5, "lead"),
        (7, "panel_4"),
        (7, "head"),
    ],
)
def test_others_may_not_add_documents(p, at, who):
    appeal = walk(p, register(p), at)

    refused(lambda: add(appeal, persona(p, who)), Forbidden, NOT_ALLOWED, "not_your_role")


@pytest.mark.parametrize("who", ["customer", "customer_other"])
def test_customers_may_not_add_documents_here(p, who):
    appeal = register(p)

    refused(lambda: add(appeal, persona(p, who)), Forbidden, NOT_ALLOWED, "not_your_role")


def test_a_panel_member_who_has_not_declared_may_not_add_documents(p):
    appeal = walk(p, register(p), 7)

    refused(
        lambda: add(appeal, p.panel[1], kind=DocumentKind.INVESTIGATION_EVIDENCE),
        Forbidden,
        UNDECLARED,
        "declaration_required",
    )


def test_a_deactivated_staff_member_may_not_add_documents(p):
    appeal = register(p)
    p.staff.is_active = False
    p.staff.save()

    refused(lambda: add(appeal, p.staff), Forbidden, NOT_ALLOWED, "not_your_role")


@pytest.mark.parametrize("to_step", [4, 13])
def test_no_document_is_added_to_a_closed_appeal(p, to_step):
    appeal = register(p)
    if to_step == 4:
        services.appeal_verify(
            appeal=appeal,
            **similar_confirmed(appeal),
            user=p.lead,
            checklist={},
            relevant=False,
            reasons="Tidak relevan.",
        )
        rejection_letter(p, appeal)
        appeal = services.appeal_reject(
            appeal=appeal,
            user=p.staff,
            delivered_at=appeal.received_at,
            channel="email",
        )
    else:
        appeal = walk(p, appeal, to_step)

    refused(
        lambda: add(appeal, p.staff),
        Conflict,
        f"Banding {appeal.number} sudah ditutup; berkasnya tidak dapat ditambah.",
        "appeal_closed",
    )


@pytest.mark.parametrize("kind", ["surat", DocumentKind.INVESTIGATION_REPORT])
def test_the_kind_must_be_known_and_not_the_investigation_report(p, kind):
    # The investigation report has its own action: it completes step 7.
    appeal = register(p)
    message = "Jenis dokumen tidak dikenal."

    error = refused(lambda: add(appeal, p.staff, kind=kind), Invalid, message, "invalid")

    assert error.fields == {"kind": [message]}


def test_a_file_that_is_not_accepted_is_refused(p):
    appeal = register(p)

    refused(
        lambda: add(appeal, p.staff, upload=pdf("tambahan.pdf", b"MZ\x90\x00 bukan pdf")),
        Invalid,
        "Berkas tambahan.pdf tidak dapat diterima: isinya bukan PDF, JPEG, PNG, DOCX atau XLSX.",
        "upload_type",
    )


def test_a_file_above_the_limit_is_refused(p, settings):
    appeal = register(p)
    settings.BANDING_UPLOAD_MAX_BYTES = 1_048_576
    big = pdf("besar.pdf", b"%PDF-1.4\n" + b"0" * (1_572_864 - 9))

    refused(
        lambda: add(appeal, p.staff, upload=big),
        Invalid,
        "Berkas besar.pdf berukuran 1,5 MB, melebihi batas 1 MB.",
        "upload_too_large",
    )
