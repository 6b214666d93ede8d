"""Every kind renders from real case data; the PDF's text carries its number, its addressee
and the case-specific text. (WeasyPrint takes a moment per PDF: one issuance per kind.)"""

import hashlib

from banding.letters.models import LetterStatus
from tests.letters.conftest import issued, rejected_at4, stored_text

# kind → (drafter, signer, fields written by people, texts the PDF must carry)
CASES = {
    "tanda_terima": ("staff", "staff", {}, ["Budi Santoso", "KEL/2026/017", "diskriminatif"]),
    "nota_dinas": (
        "lead",
        "lead",
        {},
        ["Ketua Tim Pengujian", "Banding relevan.", "LHU-2026-0456"],
    ),
    "usulan_panel": ("tech", "tech", {}, ["Kepala Balai", "Panel 1 (Ketua)", "Koordinasi lisan."]),
    "penunjukan_panel": ("head", "head", {}, ["SURAT TUGAS", "Panel 2", "7.9.6"]),
    "undangan": (
        "chair",
        "chair",
        {"waktu": "Senin, 30 November 2026 pukul 09.00 WIB", "acara": "Klarifikasi hasil uji."},
        ["Budi Santoso", "Ruang Rapat 1", "30 November 2026", "Klarifikasi hasil uji."],
    ),
    "daftar_hadir": ("chair", "chair", {}, ["DAFTAR HADIR", "Panel 1", "Ketua", "Hadir"]),
    "notulen": ("chair", "chair", {}, ["Panel membahas hasil investigasi.", "Diterima sebagian"]),
    "keputusan": (
        "staff",
        "head",
        {},
        ["Budi Santoso", "diterima sebagian", "Pengujian ulang tanpa biaya."],
    ),
    "disposisi": (
        "lead",
        "lead",
        {},
        ["LEMBAR DISPOSISI", "Untuk ditindaklanjuti.", "Sampaikan kepada pelanggan."],
    ),
    "penyampaian": (
        "staff",
        "staff",
        {},
        ["Budi Santoso", "diputuskan diterima sebagian", "selesai"],
    ),
}


def _who(p, name):
    return p.panel[0] if name == "chair" else getattr(p, name)


def test_every_kind_renders_from_the_case(p, at12):
    for kind, (drafter, signer, fields, texts) in CASES.items():
        letter = issued(at12, kind, _who(p, drafter), _who(p, signer), **fields)
        text = stored_text(letter)
        assert letter.number in text, kind
        assert at12.number in text, kind
        for expected in texts:
            assert expected in text, (kind, expected)
        assert "Ditandatangani secara elektronik pada" in text, kind
        assert letter.verification_code in text, kind
        with letter.pdf.open("rb") as f:
            assert hashlib.sha256(f.read()).hexdigest() == letter.sha256
        assert letter.status == LetterStatus.ISSUED


def test_rejection_letter_carries_its_reasons(p):
    appeal = rejected_at4(p)
    letter = issued(appeal, "penolakan", p.staff, p.staff)
    text = stored_text(letter)
    assert letter.number.startswith("B-1/BBSPJIKFK/PJTK/HM.02/")
    assert letter.number in text
    assert "Budi Santoso" in text and "PT Kimia Nusantara" in text
    assert "Keluhan yang dibanding belum selesai ditangani." in text
    assert "tidak dapat kami terima" in text
