"""banding.sop.document: the SOP document (identity sheet, flowchart, then SiBanding's own
provisions) from the definition."""

from __future__ import annotations

import dataclasses
import html as htmllib
import re
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from pypdf import PdfReader

from banding.sop import additions, document, flowchart
from banding.sop import definition as sop
from banding.sop.definition import ACTOR_LABELS, Actor, Duration, Unit
from tests.sop import verbatim

OFFICIAL = [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]
CELLS = ("no", "aktivitas", "pelaksana", "kelengkapan", "waktu", "output", "keterangan")
RETURN = 'Hasil "Dikembalikan ke panel": kembali ke langkah 9 (Rapat panel dan keputusan).'


class Rows(HTMLParser):
    """The flowchart's body rows: the step's id, its lanes' aria-label and the text of each
    cell (the lanes' cell holds the SVG's labels)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict] = []
        self.in_row = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "tr" and (a.get("id") or "").startswith("sop-langkah-"):
            self.rows.append({"id": a["id"], "svg": "", "cells": []})
            self.in_row = True
        elif self.in_row and tag == "td":
            self.rows[-1]["cells"].append("")
        elif self.in_row and tag == "svg":
            self.rows[-1]["svg"] = a.get("aria-label", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self.in_row = False

    def handle_data(self, data: str) -> None:
        if self.in_row and self.rows[-1]["cells"]:
            cells = self.rows[-1]["cells"]
            cells[-1] = " ".join(f"{cells[-1]} {data}".split())


def rows_of(html: str) -> list[dict]:
    parser = Rows()
    parser.feed(html)
    for row in parser.rows:
        row["cell"] = dict(zip(CELLS, row["cells"], strict=True))
    return parser.rows


def pdf_text() -> list[str]:
    """Each page's text, its whitespace (line breaks inside a cell) as single spaces."""
    reader = PdfReader(BytesIO(document.render_pdf()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_it_lists_the_official_steps_in_order_with_actor_and_standard_time():
    rows = rows_of(document.render_html())

    assert [int(r["id"].removeprefix("sop-langkah-")) for r in rows] == OFFICIAL
    for row, step in zip(rows, sop.STEPS, strict=True):
        assert row["cell"]["no"] == str(step.number)
        assert row["svg"].startswith(f"Langkah {step.number}: {step.actor_label}")
        assert row["cell"]["waktu"] == step.waktu.text
    waktu = {r["id"]: r["cell"]["waktu"] for r in rows}
    assert waktu["sop-langkah-1"] == "15 Menit"
    assert waktu["sop-langkah-3"] == "1 Hari"
    assert waktu["sop-langkah-7"] == "Maks. 30 Hari"
    assert "sop-langkah-8" not in waktu


def test_each_row_prints_the_signed_cells_word_for_word():
    rows = {
        int(r["id"].removeprefix("sop-langkah-")): r["cell"]
        for r in rows_of(document.render_html())
    }

    for signed in verbatim.rows():
        cell = rows[signed.number]
        assert cell["aktivitas"] == signed.activity
        assert cell["kelengkapan"] == signed.kelengkapan
        assert cell["waktu"] == signed.waktu
        assert cell["output"] == signed.output
        assert cell["keterangan"] == signed.keterangan
    # Nothing else is written in the row: the lanes hold only the signed branch labels and
    # the off-page connector's letter.
    assert {n: cell["pelaksana"] for n, cell in rows.items() if cell["pelaksana"]} == {
        3: "Relevan Tidak relevan",
        7: "A",
        9: "A",
    }
    assert rows[12]["output"] == ""  # empty in the source, printed empty
    assert [n for n, cell in rows.items() if cell["keterangan"] == "-"] == [2, 5, 9]
    assert [n for n, cell in rows.items() if not cell["keterangan"]] == [4, 6, 10, 11, 12]


def test_it_has_one_swimlane_per_actor_in_the_original_order():
    html = document.render_html()

    lanes = re.findall(r'<th scope="col" class="sop-lane">([^<]+)</th>', html)
    assert lanes[:6] == [
        "Pelanggan",
        "Staff PJTK",
        "Ketua Tim PJTK",
        "Bagian/Tim Teknis",
        "Kepala Balai",
        "Tim Panel Banding",
    ]
    assert [ACTOR_LABELS[a] for a in Actor] == lanes[:6]
    for heading in ("No", "Aktivitas", "Pelaksana", "Mutu Baku", "Kelengkapan", "Waktu"):
        assert f">{heading}</th>" in html
    assert ">Output</th>" in html and ">Keterangan</th>" in html


def test_it_prints_the_identity_sheet():
    html = document.render_html()

    assert "5.1.24/BBSPJIKFK/2025" in html
    assert "Penanganan Banding Pelanggan" in html
    for label in ("Dasar Hukum", "Kualifikasi Pelaksana", "Keterkaitan"):
        assert f">{label}</th>" in html
    for label in ("Peralatan/Perlengkapan", "Peringatan", "Pencatatan dan Pendataan"):
        assert f">{label}</th>" in html
    for label in ("Tanggal Pembuatan", "Tanggal Revisi", "Tanggal Efektif", "Disahkan oleh"):
        assert f">{label}</th>" in html
    assert html.count('aria-label="belum diisi"') == 4


def test_it_prints_every_signed_identity_item():
    html = htmllib.unescape(document.render_html())

    for heading, items in verbatim.identity().items():
        for item in items if isinstance(items, list) else []:
            assert f"<li>{item}</li>" in html, heading
    assert "<li>Mampu berkomunikasi dengan lancar</li>" in html
    assert "<li>… Kerja Unit Pelaksana Teknis di Lingkungan Badan Standardisasi" in html


# The lost beginning of dasar hukum item 4, as an administrator would complete it (the words
# here are a test's, not the regulation's).
ITEM_4 = (
    "Peraturan (uji) tentang Organisasi dan Tata Kerja Unit Pelaksana Teknis di Lingkungan "
    "Badan Standardisasi dan Kebijakan Jasa Industri"
)


def test_the_administrator_completes_the_blanks_of_the_identity_sheet(settings):
    settings.BANDING_SOP_IDENTITY = {
        "tanggal_pembuatan": "2 Januari 2025",
        "tanggal_efektif": "6 Januari 2025",
        "disahkan_oleh": "Kepala Balai",
        "dasar_hukum": {"4": ITEM_4},
    }

    doc = document.build()
    html = document.render_html()

    assert doc.header == [
        ("Nomor SOP", "5.1.24/BBSPJIKFK/2025"),
        ("Tanggal Pembuatan", "2 Januari 2025"),
        ("Tanggal Revisi", ""),
        ("Tanggal Efektif", "6 Januari 2025"),
        ("Disahkan oleh", "Kepala Balai"),
        ("Nama SOP", "Penanganan Banding Pelanggan"),
    ]
    assert doc.sections[0][0] == ("Dasar Hukum", [*sop.IDENTITY["dasar_hukum"][:3], ITEM_4])
    assert "<td>2 Januari 2025</td>" in html and "<td>Kepala Balai</td>" in html
    assert html.count('aria-label="belum diisi"') == 1  # tanggal revisi stays blank
    assert f"<li>{ITEM_4}</li>" in html and "… Kerja Unit" not in html
    # The definition itself keeps the signed words.
    assert sop.IDENTITY["dasar_hukum"][3].startswith("… Kerja Unit")
    assert "tanggal_pembuatan" not in sop.IDENTITY


def test_the_completion_is_read_from_a_json_environment_variable(monkeypatch):
    from banding.settings import env_json_object

    monkeypatch.setenv("BANDING_SOP_IDENTITY", '{"disahkan_oleh": "Kepala Balai"}')
    assert env_json_object("BANDING_SOP_IDENTITY") == {"disahkan_oleh": "Kepala Balai"}
    monkeypatch.setenv("BANDING_SOP_IDENTITY", " ")
    assert env_json_object("BANDING_SOP_IDENTITY") == {}
    monkeypatch.setenv("BANDING_SOP_IDENTITY", '["Kepala Balai"]')
    with pytest.raises(ImproperlyConfigured) as info:
        env_json_object("BANDING_SOP_IDENTITY")
    assert str(info.value) == (
        'BANDING_SOP_IDENTITY harus berupa objek JSON, mis. {"kunci": "isi"}.'
    )
    monkeypatch.setenv("BANDING_SOP_IDENTITY", "{disahkan_oleh: Kepala Balai}")
    with pytest.raises(ImproperlyConfigured) as info:
        env_json_object("BANDING_SOP_IDENTITY")
    assert str(info.value) == (
        "BANDING_SOP_IDENTITY bukan JSON yang sah: Expecting property name enclosed in double "
        "quotes: line 1 column 2 (char 1)."
    )


def test_the_completion_is_read_when_the_document_is_built(settings):
    settings.BANDING_SOP_IDENTITY = {"tanggal_revisi": "1 Juli 2025"}
    assert ("Tanggal Revisi", "1 Juli 2025") in document.build().header

    settings.BANDING_SOP_IDENTITY = {}
    assert ("Tanggal Revisi", "") in document.build().header


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            {"kualifikasi_pelaksana": ["Mampu berkomunikasi dengan baik"]},
            "BANDING_SOP_IDENTITY: 'kualifikasi_pelaksana' tidak dapat diisi lewat setelan (teks "
            "SOP yang ditandatangani); yang dapat diisi: tanggal_pembuatan, tanggal_revisi, "
            "tanggal_efektif, disahkan_oleh, dasar_hukum.",
        ),
        (
            {"judul": "Penanganan Keluhan"},
            "BANDING_SOP_IDENTITY: 'judul' tidak dapat diisi lewat setelan (teks SOP yang "
            "ditandatangani); yang dapat diisi: tanggal_pembuatan, tanggal_revisi, "
            "tanggal_efektif, disahkan_oleh, dasar_hukum.",
        ),
        (
            {"tanggal_efektif": 2025},
            "BANDING_SOP_IDENTITY['tanggal_efektif'] harus berupa teks.",
        ),
        (
            {"dasar_hukum": {"1": "Peraturan lain"}},
            "BANDING_SOP_IDENTITY['dasar_hukum']: butir 1 tidak kehilangan awalnya; hanya butir "
            "yang diawali … yang dapat dilengkapi.",
        ),
        (
            {"dasar_hukum": {"4": "Peraturan tentang Organisasi dan Tata Kerja UPT"}},
            "BANDING_SOP_IDENTITY['dasar_hukum']: butir 4 harus diakhiri dengan bagian yang "
            "terbaca: 'Kerja Unit Pelaksana Teknis di Lingkungan Badan Standardisasi dan "
            "Kebijakan Jasa Industri'.",
        ),
        (
            {"dasar_hukum": [ITEM_4]},
            "BANDING_SOP_IDENTITY['dasar_hukum'] harus berupa {nomor butir: teks lengkap}, "
            'mis. {"4": "Peraturan …"}.',
        ),
    ],
)
def test_the_completion_cannot_replace_the_signed_words(settings, given, message):
    settings.BANDING_SOP_IDENTITY = given

    with pytest.raises(ImproperlyConfigured) as info:
        document.build()

    assert str(info.value) == message


def test_it_changes_when_the_definition_changes(monkeypatch):
    steps = list(sop.STEPS)
    steps[6] = dataclasses.replace(
        steps[6], activity="Investigasi banding oleh panel (uji)", waktu=Duration(14, Unit.DAY)
    )
    steps[2] = dataclasses.replace(steps[2], actor=Actor.STF)
    monkeypatch.setattr(sop, "STEPS", tuple(steps))

    rows = {r["id"]: r for r in rows_of(document.render_html())}

    assert rows["sop-langkah-7"]["cell"]["aktivitas"] == "Investigasi banding oleh panel (uji)"
    assert rows["sop-langkah-7"]["cell"]["waktu"] == "14 Hari"
    assert rows["sop-langkah-3"]["svg"].startswith("Langkah 3: Staff PJTK")


def test_it_draws_the_permenpan_symbols_in_the_actors_lanes():
    pages = document.flowchart_pages()
    rows = {row.step.number: row for page in pages for row in page.rows}

    symbols = {n: row.symbol for n, row in rows.items()}
    assert symbols == {
        1: "terminator",
        2: "process",
        3: "decision",
        4: "terminator",
        5: "process",
        6: "process",
        7: "process",
        9: "process",
        10: "process",  # its return to the panel is SiBanding's, not the signed SOP's
        11: "process",
        12: "terminator",
    }
    assert {n: row.lane for n, row in rows.items()} == {
        1: 0,
        2: 1,
        3: 2,
        4: 1,
        5: 3,
        6: 4,
        7: 5,
        9: 5,
        10: 4,
        11: 2,
        12: 1,
    }
    for row in rows.values():
        drawn = [s for s in row.shapes if s.kind == row.symbol]
        assert len(drawn) == 1
        x = float(drawn[0].points.split(",")[0]) if drawn[0].points else drawn[0].x
        assert row.lane * flowchart.LANE_WIDTH <= x <= (row.lane + 1) * flowchart.LANE_WIDTH


def test_it_draws_the_signed_branches_with_their_labels():
    rows = [row for page in document.flowchart_pages() for row in page.rows]
    edges = {
        (rows[e.source].step.number, rows[e.target].step.number): e for e in flowchart.edges(rows)
    }

    assert set(edges) == {(1, 2), (2, 3), (3, 4), (3, 5), (5, 6), (6, 7), (7, 9), (9, 10),
                          (10, 11), (11, 12)}  # fmt: skip
    assert edges[(3, 4)].down and edges[(3, 4)].label == "Tidak relevan"
    assert not edges[(3, 5)].down and edges[(3, 5)].label == "Relevan"
    by_number = {row.step.number: row for row in rows}
    assert [s.text for s in by_number[3].shapes if s.kind == "label"] == [
        "Relevan",
        "Tidak",
        "relevan",
    ]
    # Every target has an arrowhead; the ends (4, 12) lead nowhere.
    for number in (2, 3, 4, 5, 6, 7, 9, 10, 11, 12):
        assert any(s.kind == "arrowhead" for s in by_number[number].shapes), number
    assert not any(e.source == rows.index(by_number[4]) for e in flowchart.edges(rows))


def test_step_10_is_a_process_with_no_line_back_to_the_panel():
    rows = {row.step.number: row for page in document.flowchart_pages() for row in page.rows}
    ten, nine = rows[10], rows[9]

    assert ten.symbol == "process"
    assert not [s for s in ten.shapes if s.kind in {"decision", "label"}]
    assert ten.label == "Langkah 10: Kepala Balai"
    # Row 9 is entered once, from step 7 above it: nothing comes back into its side.
    assert [s.kind for s in nine.shapes].count("arrowhead") == 1
    # Row 10 has two lines: in from step 9 above, out of its bottom to step 11.
    lines = [s.points.split() for s in ten.shapes if s.kind == "line"]
    assert len(lines) == 2 and lines[1][0] == f"{ten.cx:.2f},{ten.bottom:.2f}"
    html = document.render_html()
    assert 'aria-label="Langkah 10: Kepala Balai"' in html
    assert "Keputusan disetujui?" not in html
    assert 'aria-label="Langkah 3: Ketua Tim PJTK, keputusan: Relevan / Tidak relevan"' in html


def test_a_step_is_a_diamond_only_where_the_signed_sop_branches(monkeypatch):
    steps = list(sop.STEPS)
    ten = steps[8]
    steps[8] = dataclasses.replace(
        ten, outcomes=tuple(dataclasses.replace(o, signed=True) for o in ten.outcomes)
    )
    monkeypatch.setattr(sop, "STEPS", tuple(steps))

    rows = [row for page in document.flowchart_pages() for row in page.rows]

    assert rows[8].symbol == "decision"
    assert (8, 7) in {(e.source, e.target) for e in flowchart.edges(rows)}  # 10 back to 9


def test_it_breaks_the_table_across_pages_with_off_page_connectors():
    pages = document.flowchart_pages()

    # As in the signed original: steps 1–7 on the first sheet, 9–12 on the second.
    assert [[r.step.number for r in page.rows] for page in pages] == [OFFICIAL[:7], OFFICIAL[7:]]
    for page in pages:
        assert sum(r.height + document.ROW_BORDER for r in page.rows) <= document.PAGE_ROWS_HEIGHT
    seven, nine = pages[0].rows[-1], pages[1].rows[0]
    assert [s.text for s in seven.shapes if s.kind == "label"] == ["A"]
    assert [s.kind for s in seven.shapes].count("connector") == 1
    assert [s.kind for s in nine.shapes].count("connector") == 1
    assert [s.text for s in nine.shapes if s.kind == "label"] == ["A"]


def test_every_row_is_as_tall_as_its_text_needs():
    for page in document.flowchart_pages():
        for row in page.rows:
            assert row.height >= document.text_height(row.step)
            assert row.height >= flowchart.min_height(row)


def test_the_stylesheet_has_the_column_widths_the_flowchart_is_computed_with():
    css = document.STYLESHEET.read_text()

    assert "size: A4 landscape" in css
    widths = dict(re.findall(r"col\.sop-c-([a-z]+) \{ width: ([0-9.]+)mm; \}", css))
    assert float(widths["lane"]) == flowchart.LANE_WIDTH
    for name in ("no", "aktivitas", "kelengkapan", "waktu", "output", "keterangan"):
        assert float(widths[name]) == document.COLUMNS[name], name
    assert sum(document.COLUMNS.values()) == 277.0  # A4 landscape less 2 × 10 mm margins


def test_the_pdf_is_a4_landscape_with_the_identity_sheet_the_flowchart_and_the_provisions():
    reader = PdfReader(BytesIO(document.render_pdf()))

    assert len(reader.pages) == 4
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width == pytest.approx(841.89, abs=0.5) and height == pytest.approx(595.28, abs=0.5)
    first, second, third, fourth = (" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Nomor SOP" in first and "Dasar Hukum" in first
    assert "SOP PENANGANAN BANDING PELANGGAN" in second and "Tim Panel Banding" in second
    assert "Melakukan investigasi banding" in second
    assert "Menyampaikan hasil keputusan" in third
    assert "KETENTUAN PELAKSANAAN DI SIBANDING" in fourth
    assert "Halaman 4 dari 4" in fourth


def test_the_pdf_carries_the_signed_words():
    first, second, third, fourth = pdf_text()

    assert "Mampu berkomunikasi dengan lancar" in first
    assert "Mengetahui sistem penyimpanan (arsip) data" in first
    assert "Standar Opersional Prosedur" in first
    assert "Maks. 30 Hari" in second
    assert "15 Menit" in second and "1 Hari" in second
    assert "Surat permohonan banding dan dokumen kelengkapan banding" in second
    assert "Dikembalikan" not in second + third
    assert "Dikembalikan ke panel" in fourth


def test_the_standalone_html_carries_its_stylesheet():
    html = document.render_html()

    assert html.count("<style>") == 1 and "size: A4 landscape" in html
    assert "<style>" not in document.render_html(standalone=False)
    assert not Path(document.STYLESHEET).read_text().count("<")


# --- SiBanding's own provisions, after the flowchart ------------------------------------------


def test_the_provisions_follow_the_flowchart_on_their_own_sheet():
    html = document.render_html()

    sheets = re.findall(r'<section class="sop-sheet ([a-z-]+)"', html)
    assert sheets == ["sop-identitas", "sop-halaman", "sop-halaman", "sop-ketentuan"]
    assert 'aria-label="Ketentuan pelaksanaan di SiBanding"' in html
    assert htmllib.unescape(additions.NOTE) in htmllib.unescape(html)


def test_the_provisions_list_the_return_and_the_required_outputs():
    text = htmllib.unescape(document.render_html().split('class="sop-sheet sop-ketentuan"')[1])

    assert f"<li>{RETURN}</li>" in text
    for line in (
        "Langkah 3 selesai setelah Nota dinas permohonan penyelesaian banding terbit "
        "(bila Relevan).",
        "Langkah 4 selesai setelah Surat penolakan banding terbit.",
        "Langkah 7 selesai setelah Laporan hasil investigasi diunggah.",
        "Langkah 9 selesai setelah Daftar hadir rapat panel terbit.",
        "Langkah 9 selesai setelah Notulen rapat panel terbit.",
        "Langkah 10 selesai setelah Keputusan penyelesaian banding terbit (bila Disetujui).",
        "Langkah 12 selesai setelah Surat penyampaian keputusan banding terbit.",
    ):
        assert f"<li>{line}</li>" in text
    for rule in (*sop.step(3).rules, *sop.step(10).rules, sop.IMPARTIALITY):
        assert f"<li>{rule}</li>" in text
    numbers = [int(n) for n in re.findall(r'id="sop-ketentuan-(\d+)"', text)]
    assert numbers == [3, 4, 5, 6, 7, 9, 10, 11, 12]


def test_none_of_the_provisions_is_inside_the_flowchart_table():
    html = document.render_html()
    rows = rows_of(html)
    table = " ".join([*(c for r in rows for c in r["cells"]), *(r["svg"] for r in rows)])

    texts = additions.build().texts
    assert RETURN in texts
    for text in texts:
        assert text not in table
    for word in ("Dikembalikan", "selesai setelah", "Jam kantor", "ISO/IEC 17025 7.9.6"):
        assert word not in table


def test_the_calibration_exception_is_the_sops_own_not_an_addition():
    assert sop.CALIBRATION_PT_EXCEPTION not in additions.build().texts
    assert not any("Profisiensi" in text for text in additions.build().texts)


def test_the_working_time_rules_come_from_the_settings(settings):
    assert additions.working_time() == [
        "Jam kantor (Asia/Jakarta): Senin–Kamis 07:30–16:00; Jumat 07:30–16:30; Sabtu dan "
        "Minggu tutup.",
        'Waktu baku dihitung dalam waktu kerja: "15 Menit" = 15 menit dalam jam kantor, '
        '"1 Hari" = 1 hari kerja; waktu di luar jam kantor tidak dihitung.',
        "Hari libur nasional dan cuti bersama (paket holidays, Indonesia) bukan hari kerja; "
        "administrator dapat menambah hari tutup atau menetapkan hari libur sebagai hari kerja "
        "(Pengecualian kalender).",
        '"Maks. 30 Hari" (langkah 7) dihitung dalam hari kerja.',
    ]

    settings.BANDING_CALENDAR_DAYS_FOR_MAX = True
    settings.BANDING_OFFICE_HOURS = {0: ("08:00", "15:00"), 2: ("08:00", "15:00")}

    text = additions.working_time()
    assert text[0] == (
        "Jam kantor (Asia/Jakarta): Senin 08:00–15:00; Rabu 08:00–15:00; Selasa, Kamis, Jumat, "
        "Sabtu dan Minggu tutup."
    )
    assert text[-1] == '"Maks. 30 Hari" (langkah 7) dihitung dalam hari kalender.'
    assert text[-1] in htmllib.unescape(document.render_html())


def test_the_customer_is_told_at_each_milestone():
    assert additions.customer()[0] == (
        "Pelanggan mengikuti bandingnya di portal pelanggan dan diberi tahu, di aplikasi dan "
        "lewat e-mail, pada setiap tahap: Diterima (langkah 1), Diverifikasi (langkah 3), "
        "Ditolak dengan alasan (langkah 4), Panel dibentuk (langkah 6), Investigasi (langkah "
        "7), Rapat panel (langkah 9), Diputuskan (langkah 10), Selesai (langkah 12)."
    )
