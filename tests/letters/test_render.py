"""Every kind renders from real case data, issued at its own step: the PDF's text carries its
number, its addressee and the facts of the record it documents (which nobody typed into the
letter). (WeasyPrint takes a moment per PDF: one issuance per kind.)"""

import hashlib

import pytest

from banding.appeals import services
from banding.letters.models import LetterStatus
from tests.factories import (
    appoint,
    approve,
    close,
    decide,
    pdf,
    propose,
    verify_relevant,
)
from tests.letters.conftest import issued, rejected_at4, stored_text

# What is checked here is the PDF WeasyPrint makes.
pytestmark = pytest.mark.weasyprint

# kind → texts its PDF must carry (from the case and its records)
TEXTS = {
    "tanda_terima": ["Budi Santoso", "KEL/2026/017", "diskriminatif", "a.n. Kepala Balai"],
    "nota_dinas": ["Ketua Tim Pengujian", "Banding relevan.", "LHU-2026-0456", "Ada dan lengkap"],
    "usulan_panel": ["Kepala Balai", "Panel 1", "Ketua", "Koordinasi."],
    "penunjukan_panel": ["SURAT TUGAS", "Panel 2", "7.9.6"],
    "undangan": ["Budi Santoso", "Ruang Rapat 1", "30 November 2026", "Klarifikasi hasil uji."],
    "daftar_hadir": ["DAFTAR HADIR", "Panel 1", "Ketua", "Hadir", "Ruang Rapat 1"],
    "notulen": ["Panel membahas hasil investigasi.", "Diterima sebagian"],
    "keputusan": ["Budi Santoso", "diterima sebagian", "Pengujian ulang tanpa biaya."],
    "disposisi": ["LEMBAR DISPOSISI", "Tindak lanjuti.", "Sampaikan kepada pelanggan."],
    "penyampaian": ["Budi Santoso", "diterima sebagian", "dinyatakan selesai"],
}


def test_every_kind_renders_from_the_case_at_its_step(p):
    from tests.factories import register

    chair = p.panel[0]
    appeal = register(p)
    issued(appeal, "tanda_terima", p.staff, p.lead)
    verify_relevant(p, appeal)
    propose(p, appeal)
    appoint(p, appeal)
    services.panel_declare(appeal=appeal, user=chair)
    issued(
        appeal,
        "undangan",
        chair,
        p.head,
        waktu="Senin, 30 November 2026 pukul 09.00 WIB",
        tempat="Ruang Rapat 1",
        acara="Klarifikasi hasil uji.",
    )
    services.investigation_report(appeal=appeal, user=chair, report=pdf("laporan.pdf"))
    decide(p, appeal)
    approve(p, appeal)
    issued(appeal, "disposisi", p.lead, p.lead, instruksi="Sampaikan kepada pelanggan.")
    services.decision_disposition(appeal=appeal, user=p.lead, note="Sampaikan kepada pelanggan.")
    close(p, appeal)

    letters = {x.kind: x for x in appeal.letters.all()}
    assert set(letters) == set(TEXTS)
    for kind, texts in TEXTS.items():
        letter = letters[kind]
        text = stored_text(letter)
        assert letter.number in text, kind
        assert appeal.number in text, kind
        for expected in texts:
            assert expected in text, (kind, expected)
        assert "Ditandatangani secara elektronik pada" in text, kind
        assert letter.verification_code in text, kind
        with letter.pdf.open("rb") as f:
            assert hashlib.sha256(f.read()).hexdigest() == letter.sha256
        assert letter.status == LetterStatus.ISSUED


def test_rejection_letter_carries_the_reasons_recorded_at_step_3(p):
    appeal = rejected_at4(p)
    letter = issued(appeal, "penolakan", p.staff, p.head)
    text = stored_text(letter)
    assert letter.number.startswith("B-1/BBSPJIKFK/PJTK/HM.02/")
    assert letter.number in text
    assert "Budi Santoso" in text and "PT Kimia Nusantara" in text
    assert "Keluhan yang dibanding belum selesai ditangani." in text
    assert "tidak dapat kami terima" in text
    assert "Kepala Balai" in text
