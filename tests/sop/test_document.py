"""banding.sop.document: the SOP document (identity sheet, flowchart) from the definition."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from banding.sop import definition as sop
from banding.sop import document, flowchart
from banding.sop.definition import ACTOR_LABELS, Actor, Duration, Unit

OFFICIAL = [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]


class Rows(HTMLParser):
    """The flowchart's body rows: (step number, lane aria-label, the texts of the cells)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict] = []
        self.in_row = False
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "tr" and (a.get("id") or "").startswith("sop-langkah-"):
            self.rows.append({"id": a["id"], "svg": "", "text": []})
            self.in_row = True
        elif self.in_row and tag == "svg":
            self.rows[-1]["svg"] = a.get("aria-label", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self.in_row = False

    def handle_data(self, data: str) -> None:
        if self.in_row and data.strip():
            self.rows[-1]["text"].append(data.strip())


def rows_of(html: str) -> list[dict]:
    parser = Rows()
    parser.feed(html)
    return parser.rows


def test_it_lists_the_official_steps_in_order_with_actor_and_standard_time():
    rows = rows_of(document.render_html())

    assert [int(r["id"].removeprefix("sop-langkah-")) for r in rows] == OFFICIAL
    for row, step in zip(rows, sop.STEPS, strict=True):
        assert row["text"][0] == str(step.number)
        assert row["text"][1] == step.activity
        assert row["svg"].startswith(f"Langkah {step.number}: {step.actor_label}")
        assert str(step.waktu) in row["text"]
        assert step.output in row["text"]
    waktu = {r["id"]: r["text"] for r in rows}
    assert "15 menit" in waktu["sop-langkah-1"]
    assert "1 hari" in waktu["sop-langkah-3"]
    assert "maks. 30 hari" in waktu["sop-langkah-7"]
    assert "sop-langkah-8" not in waktu


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
    for item in (*sop.IDENTITY["dasar_hukum"], *sop.IDENTITY["peralatan"]):
        assert f"<li>{item}</li>" in html
    for label in ("Tanggal Pembuatan", "Tanggal Revisi", "Tanggal Efektif", "Disahkan oleh"):
        assert f">{label}</th>" in html


def test_it_changes_when_the_definition_changes(monkeypatch):
    steps = list(sop.STEPS)
    steps[6] = dataclasses.replace(
        steps[6], activity="Investigasi banding oleh panel (uji)", waktu=Duration(14, Unit.DAY)
    )
    steps[2] = dataclasses.replace(steps[2], actor=Actor.STF)
    monkeypatch.setattr(sop, "STEPS", tuple(steps))

    rows = {r["id"]: r for r in rows_of(document.render_html())}

    assert rows["sop-langkah-7"]["text"][1] == "Investigasi banding oleh panel (uji)"
    assert "14 hari" in rows["sop-langkah-7"]["text"]
    assert "maks. 30 hari" not in rows["sop-langkah-7"]["text"]
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
        10: "decision",
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


def test_it_draws_the_branches_and_the_return_with_their_labels():
    rows = [row for page in document.flowchart_pages() for row in page.rows]
    edges = {
        (rows[e.source].step.number, rows[e.target].step.number): e for e in flowchart.edges(rows)
    }

    assert set(edges) == {(1, 2), (2, 3), (3, 4), (3, 5), (5, 6), (6, 7), (7, 9), (9, 10),
                          (10, 11), (10, 9), (11, 12)}  # fmt: skip
    assert edges[(3, 4)].down and edges[(3, 4)].label == "Tidak relevan"
    assert not edges[(3, 5)].down and edges[(3, 5)].label == "Relevan"
    assert not edges[(10, 9)].down and edges[(10, 9)].label == "Dikembalikan ke panel"
    by_number = {row.step.number: row for row in rows}
    labels = [s.text for s in by_number[10].shapes if s.kind == "label"]
    assert labels == ["Disetujui", "Dikembalikan", "ke panel"]
    # Every target has an arrowhead; the ends (4, 12) lead nowhere.
    for number in (2, 3, 4, 5, 6, 7, 9, 10, 11, 12):
        assert any(s.kind == "arrowhead" for s in by_number[number].shapes), number
    assert not any(e.source == rows.index(by_number[4]) for e in flowchart.edges(rows))


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


def test_the_pdf_is_a4_landscape_with_the_identity_sheet_and_the_flowchart():
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(document.render_pdf()))

    assert len(reader.pages) == 3
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width == pytest.approx(841.89, abs=0.5) and height == pytest.approx(595.28, abs=0.5)
    first, second, third = (page.extract_text() for page in reader.pages)
    assert "Nomor SOP" in first and "Dasar Hukum" in first
    assert "SOP PENANGANAN BANDING PELANGGAN" in second and "Tim Panel Banding" in second
    assert "Melakukan investigasi banding" in second
    assert "Menyampaikan hasil keputusan" in third
    assert "Halaman 3 dari 3" in third


def test_the_standalone_html_carries_its_stylesheet():
    html = document.render_html()

    assert html.count("<style>") == 1 and "size: A4 landscape" in html
    assert "<style>" not in document.render_html(standalone=False)
    assert not Path(document.STYLESHEET).read_text().count("<")
