"""The definition carries the signed SOP's words verbatim: every cell of the flowchart table and
every item of the identity sheet, compared field by field with the checked-in transcription
(tests/sop/SOP-5.1.24.verbatim.md, a copy of the shared one: CI reads this copy)."""

from __future__ import annotations

import pytest

from banding.sop import definition as sop
from banding.sop import document
from banding.sop.definition import Duration
from tests.sop import verbatim

ROWS = {row.number: row for row in verbatim.rows()}


def test_the_transcription_has_the_steps_of_the_definition_and_no_other():
    assert list(ROWS) == list(sop.STEP_NUMBERS) == [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]
    assert 8 not in ROWS


@pytest.mark.parametrize("number", sop.STEP_NUMBERS)
def test_each_step_carries_the_signed_cells_word_for_word(number):
    signed, step = ROWS[number], sop.step(number)

    assert step.activity == signed.activity
    assert step.kelengkapan == signed.kelengkapan
    assert step.waktu.text == signed.waktu
    assert Duration.parse(signed.waktu) == step.waktu
    assert step.output == signed.output
    assert step.keterangan == signed.keterangan


def test_step_3s_decision_labels_are_its_signed_outcomes_labels():
    assert ROWS[3].decision_labels == ("Relevan", "Tidak relevan")
    assert tuple(o.label for o in sop.step(3).outcomes if o.signed) == ROWS[3].decision_labels
    # No other activity of the table carries decision labels.
    assert [n for n, row in ROWS.items() if row.decision_labels] == [3]


def test_each_step_has_the_actor_the_transcription_reads():
    assert {n: sop.step(n).actor_label for n in ROWS} == {n: r.pelaksana for n, r in ROWS.items()}


def test_the_dashes_and_the_empty_cells_are_the_sources():
    assert [s.number for s in sop.STEPS if s.keterangan == "-"] == [2, 5, 9]
    assert [s.number for s in sop.STEPS if not s.keterangan] == [4, 6, 10, 11, 12]
    assert [s.number for s in sop.STEPS if not s.output] == [12]


def test_the_signed_spelling_of_the_standard_times():
    assert {s.number: s.waktu.text for s in sop.STEPS} == {
        1: "15 Menit",
        2: "15 Menit",
        3: "1 Hari",
        4: "1 Hari",
        5: "1 Hari",
        6: "1 Hari",
        7: "Maks. 30 Hari",
        9: "1 Hari",
        10: "1 Hari",
        11: "15 Menit",
        12: "15 Menit",
    }


def test_the_identity_sheet_is_the_signed_one():
    signed = verbatim.identity()

    assert signed.pop("NAMA SOP") == sop.IDENTITY["judul"].upper()
    assert signed.pop("NOMOR") == sop.IDENTITY["nomor"]
    sections = {label.upper(): key for row in document.SECTIONS for key, label in row}
    assert set(signed) == set(sections)
    for heading, items in signed.items():
        assert sop.IDENTITY[sections[heading]] == items, heading


def test_the_identity_keeps_the_sources_spelling_and_its_lost_beginning():
    assert sop.IDENTITY["kualifikasi_pelaksana"][2] == "Mampu berkomunikasi dengan lancar"
    assert "Standar Opersional Prosedur" in sop.IDENTITY["dasar_hukum"][1]
    assert sop.IDENTITY["dasar_hukum"][3] == (
        "… Kerja Unit Pelaksana Teknis di Lingkungan Badan Standardisasi dan Kebijakan Jasa "
        "Industri"
    )
    assert sop.IDENTITY["peralatan"] == [
        "Komputer",
        "ATK",
        "Koneksi Internet",
        "Fax",
        "Telepon",
        "Printer",
    ]
