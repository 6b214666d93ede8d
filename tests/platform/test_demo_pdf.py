"""The small PDFs of the demo (and of the tests' letters): a long word stays whole, so a
letter's verification address, whose code has hyphens, is in the file as written."""

from __future__ import annotations

from banding.platform.demo import pdf_bytes


def test_an_address_with_hyphens_is_not_broken_across_lines():
    url = "http://localhost:53065/verifikasi/0KM-mcR-eO5z_Vxh/"
    for lead in range(0, 95, 7):  # wherever the address falls against the width of a line
        paragraph = "x" * lead + " Verifikasi keaslian surat ini di " + url
        assert url.encode() in pdf_bytes("Tanda terima", [paragraph]), lead


def test_a_word_longer_than_a_line_is_kept_whole():
    word = "a" * 120
    assert word.encode() in pdf_bytes("Judul", [f"awal {word} akhir"])
