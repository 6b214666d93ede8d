"""/portal/banding/<id>/ (progress, documents, letters, timeline) and its receipt."""

from __future__ import annotations

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banding.appeals import services
from banding.appeals.models import DocumentKind, NoteKind
from tests.factories import (
    PASSWORD,
    PDF_BYTES,
    issued,
    not_relevant,
    pdf,
    register,
    reject,
    walk,
)
from tests.letters.conftest import pdf_text
from tests.portal.helpers import record, submit
from tests.test_csp import assert_strict

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def page(client, user, appeal):
    client.force_login(user)
    response = client.get(reverse("portal:appeal", args=[appeal.public_id]))
    assert response.status_code == 200
    return response


def test_a_submitted_appeal_shows_its_milestones_and_the_next_expected_date(client, p):
    appeal = submit(p)

    html = page(client, p.customer, appeal).content.decode()

    assert "Banding BDG/2026/0001" in html
    assert "Diterima</strong>" in html
    assert "Permohonan banding Anda telah kami terima." in html
    assert "perkiraan 3 Maret 2026" in html
    assert "Panel dibentuk" in html  # ahead
    assert "Ditolak dengan alasan" not in html  # not this appeal's path
    assert reverse("portal:receipt", args=[appeal.public_id]) in html


def test_the_customer_sees_its_own_documents_never_internal_ones(client, p):
    appeal = walk(p, record(p, submit(p, attachments=[pdf("lampiran.pdf")])), 9)
    services.document_add(appeal=appeal, user=p.staff, upload=pdf("memo.pdf"), kind="other")

    response = page(client, p.customer, appeal)

    docs = response.context["documents"]
    assert [d.kind for d in docs] == [DocumentKind.APPEAL_LETTER, DocumentKind.SUPPORTING]
    html = response.content.decode()
    for doc in docs:
        assert reverse("appeals:document", args=[appeal.public_id, doc.public_id]) in html
    for hidden in appeal.documents.exclude(pk__in=[d.pk for d in docs]):
        assert str(hidden.public_id) not in html
        assert hidden.original_name not in html


def test_the_customer_downloads_its_document_from_the_page(client, p):
    appeal = submit(p)
    doc = appeal.documents.get()
    client.force_login(p.customer)

    response = client.get(reverse("appeals:document", args=[appeal.public_id, doc.public_id]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_letters_addressed_to_the_customer_are_listed_once_delivered(client, p):
    appeal = walk(p, register(p), 12)
    decision = appeal.letters.get(kind="keputusan")
    memo = appeal.letters.get(kind="nota_dinas")
    from banding.letters import services as letters

    draft = letters.letter_draft(appeal=appeal, user=p.staff, kind="penyampaian")

    # Approved and signed, but the SOP has not delivered it yet: not the customer's yet.
    response = page(client, p.customer, appeal)
    assert response.context["letters"] == []
    assert response.context["outcome"] is None
    assert "Belum ada surat untuk Anda." in response.content.decode()

    letters.letter_issue(letter=draft, user=p.lead, password=PASSWORD)
    appeal = walk(p, appeal, 99)  # delivered and archived: the appeal closes
    response = page(client, p.customer, appeal)

    delivery = appeal.letters.get(kind="penyampaian")
    assert response.context["letters"] == [decision, delivery]
    html = response.content.decode()
    assert reverse("letters:download", args=[appeal.public_id, decision.public_id]) in html
    assert decision.number in html
    assert str(memo.public_id) not in html
    client.force_login(p.customer)
    download = client.get(reverse("letters:download", args=[appeal.public_id, decision.public_id]))
    assert download.status_code == 200
    memo_url = reverse("letters:download", args=[appeal.public_id, memo.public_id])
    assert client.get(memo_url).status_code == 404


def test_the_outcome_is_stated_in_words_beside_the_letters(client, p):
    appeal = walk(p, register(p), 99)

    response = page(client, p.customer, appeal)

    html = response.content.decode()
    assert "Hasil banding" in html
    assert "Permohonan banding Anda diterima sebagian." in html
    assert "Hasil investigasi panel." in html  # the considerations, as the letter states them
    assert "Pengujian ulang tanpa biaya." in html
    assert "Balai melaksanakan tindakan perbaikan" in html
    decision = appeal.letters.get(kind="keputusan")
    assert f"Unduh keputusan penyelesaian banding {decision.number}" in html


def test_a_rejection_is_stated_in_words_with_its_reasons(client, p):
    appeal = reject(p, not_relevant(p, register(p), "Keluhan semula masih ditangani."))

    html = page(client, p.customer, appeal).content.decode()

    assert "Permohonan banding Anda tidak dapat diterima." in html
    assert "Keluhan semula masih ditangani." in html
    assert "hasil penanganan keluhan semula tetap berlaku" in html


def test_the_timeline_is_public_and_in_customer_words(client, p):
    appeal = walk(p, record(p, submit(p)), 7)
    chair = p.panel[0]
    services.panel_declare(appeal=appeal, user=chair)
    services.investigation_note(
        appeal=appeal, user=chair, kind=NoteKind.NOTE, text="Catatan rahasia panel."
    )

    response = page(client, p.customer, appeal)

    texts = [(e.title, e.text) for e in response.context["timeline"]]
    assert texts == [
        ("Diajukan", "Permohonan banding diajukan melalui portal dan diberi nomor BDG/2026/0001."),
        ("Proses", "Permohonan banding Anda diperiksa dan dicatat oleh staff PJTK."),
        (
            "Diverifikasi",
            "Permohonan banding Anda lengkap dan relevan; diteruskan kepada tim teknis.",
        ),
        ("Proses", "Bagian/Tim Teknis mengusulkan Tim Panel Banding kepada Kepala Balai."),
        ("Panel dibentuk", "Kepala Balai telah menunjuk Tim Panel Banding; investigasi dimulai."),
    ]
    html = response.content.decode()
    # Never the panel's notes, who sits on it, nor the team the nota dinas went to.
    for internal in (
        "Catatan rahasia panel",
        "bebas benturan",
        chair.display_name,
        "Tim Pengujian",
    ):
        assert internal not in html


def test_a_returned_decision_is_told_without_the_heads_reasons(client, p):
    appeal = walk(p, register(p), 10)
    services.decision_return(appeal=appeal, user=p.head, reasons="Remedi belum jelas.")

    response = page(client, p.customer, appeal)

    html = response.content.decode()
    assert "Kepala Balai meminta Tim Panel Banding menyempurnakan keputusannya" in html
    assert "Remedi belum jelas." not in html
    assert [m.state for m in response.context["milestones"]][3:5] == ["done", "current"]


def test_the_appeal_page_has_the_invitation_and_survey_places(client, p):
    response = page(client, p.customer, submit(p))

    names = [t.name for t in response.templates]
    assert "portal/_invitations.html" in names
    assert "portal/_survey.html" in names


def test_the_appeal_pages_queries_do_not_grow_with_its_history(client, p):
    small = submit(p)
    big = submit(p, attachments=[pdf(f"lampiran-{i}.pdf") for i in range(5)])
    big = walk(p, record(p, big), 12)
    issued(big, "penyampaian", p.staff, p.head)
    client.force_login(p.customer)
    counts = []
    for appeal in (small, big):
        url = reverse("portal:appeal", args=[appeal.public_id])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))

    assert counts[0] == counts[1]


# --- the receipt ---------------------------------------------------------------------------


def test_the_receipt_names_what_was_received_and_what_comes_next(client, p):
    p.customer.email = "budi@kimia.example"
    p.customer.save()
    appeal = submit(p, attachments=[pdf("lampiran.pdf", PDF_BYTES + b"%lampiran")])
    client.force_login(p.customer)

    response = client.get(reverse("portal:receipt", args=[appeal.public_id]))

    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "BDG/2026/0001",
        "2 Maret 2026 10:00 WIB",
        "PT Kimia Nusantara",
        "budi@kimia.example",
        "KEL/2026/017",
        hashlib.sha256(PDF_BYTES).hexdigest(),
        hashlib.sha256(PDF_BYTES + b"%lampiran").hexdigest(),
        "Penerimaan dan pencatatan oleh Staff PJTK, paling lambat 2 Maret 2026 10:15 WIB",
        "perkiraan diverifikasi 3 Maret 2026",
    ):
        assert text in html, text


def test_the_receipt_of_an_appeal_recorded_by_staff_names_the_verification(client, p):
    appeal = walk(p, register(p), 5)
    client.force_login(p.customer)

    html = client.get(reverse("portal:receipt", args=[appeal.public_id])).content.decode()

    assert "melalui Email" in html
    # As at intake, whatever happened since.
    assert "Verifikasi kelengkapan dan relevansi oleh Ketua Tim PJTK" in html


def test_the_receipt_as_pdf(client, p):
    appeal = submit(p)
    client.force_login(p.customer)

    response = client.get(reverse("portal:receipt", args=[appeal.public_id]), {"format": "pdf"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="tanda-terima-BDG-2026-0001.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "Tanda terima permohonan banding" in text
    assert "BDG/2026/0001" in text
    assert hashlib.sha256(PDF_BYTES).hexdigest() in text.replace(" ", "")


def test_every_portal_page_is_sent_with_the_strict_policy_and_no_inline_code(client, p):
    appeal = submit(p)
    client.force_login(p.customer)

    for name, args in (
        ("portal:home", []),
        ("portal:submit", []),
        ("portal:appeal", [appeal.public_id]),
        ("portal:receipt", [appeal.public_id]),
        ("portal:notifications", []),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert_strict(response)
