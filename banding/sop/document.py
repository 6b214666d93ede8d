"""The SOP document (Permenpan-RB 35/2012 format) generated from banding.sop.definition:
the identity sheet and the flowchart table in the signed SOP's own words, then, on a page of
their own, SiBanding's provisions beyond them (banding/sop/additions.py); as HTML (web page,
`banding sop --format html`) and PDF (A4 landscape, WeasyPrint). The paper and the system
cannot disagree because both come from the same definition, read when the document is built
(never at import).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils import translation

from banding.sop import additions as sibanding
from banding.sop import definition as sop
from banding.sop import flowchart
from banding.sop.definition import ACTOR_LABELS, Actor

STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "css" / "sop.css"

# Column widths in mm; they add up to the A4 landscape text width (297 - 2 × 10 mm margins).
COLUMNS = {
    "no": 6.0,
    "aktivitas": 47.0,
    "lanes": flowchart.LANES * flowchart.LANE_WIDTH,
    "kelengkapan": 34.0,
    "waktu": 12.0,
    "output": 30.0,
    "keterangan": 52.0,
}
PAGE_ROWS_HEIGHT = 163.0  # mm left for rows under the page heading and the table head
ROW_BORDER = 0.3  # mm each row adds to its SVG's height
# Text metrics of the table body (7 pt DejaVu Sans, line-height 1.3, as sop.css sets it), on
# the safe side: a row's SVG must be at least as tall as its text, or the lines would not meet.
CHAR_WIDTH = 1.45  # mm, an average character
LINE_HEIGHT = 3.25  # mm
CELL_PADDING = 3.0  # mm, top + bottom and left + right

SECTIONS = (
    (("dasar_hukum", "Dasar Hukum"), ("kualifikasi_pelaksana", "Kualifikasi Pelaksana")),
    (("keterkaitan", "Keterkaitan"), ("peralatan", "Peralatan/Perlengkapan")),
    (("peringatan", "Peringatan"), ("pencatatan", "Pencatatan dan Pendataan")),
)
IDENTITY_LABELS = {
    "tanggal_pembuatan": "Tanggal Pembuatan",
    "tanggal_revisi": "Tanggal Revisi",
    "tanggal_efektif": "Tanggal Efektif",
    "disahkan_oleh": "Disahkan oleh",
}
# How the definition marks an item whose beginning the scan lost ("… Kerja Unit …").
LOST = "…"


@dataclass(frozen=True)
class Page:
    number: int
    rows: list[flowchart.Row]
    continued: bool  # the table goes on from the page before


@dataclass(frozen=True)
class Document:
    identity: dict
    header: list[tuple[str, str]]  # the identity block beside the unit's name
    sections: list[tuple[tuple[str, list[str]], tuple[str, list[str]]]]  # side by side
    lanes: list[str]
    pages: list[Page]
    columns: dict[str, float]
    lanes_width: float
    additions: sibanding.Additions  # printed after the flowchart, never inside it


def _lines(texts: list[str], width: float) -> int:
    per_line = max(int((width - CELL_PADDING) / CHAR_WIDTH), 8)
    return sum(max(len(textwrap.wrap(t, per_line)), 1) for t in texts if t)


def text_height(step: sop.Step) -> float:
    """The height the row's text needs in its tallest column."""
    lines = max(
        _lines([step.activity], COLUMNS["aktivitas"]),
        _lines([step.kelengkapan], COLUMNS["kelengkapan"]),
        _lines([step.waktu.text], COLUMNS["waktu"]),
        _lines([step.output], COLUMNS["output"]),
        _lines([step.keterangan], COLUMNS["keterangan"]),
    )
    return lines * LINE_HEIGHT + CELL_PADDING


def _paginate(rows: list[flowchart.Row]) -> list[int]:
    page_of, page, used = [], 0, 0.0
    for row in rows:
        if used and used + row.height + ROW_BORDER > PAGE_ROWS_HEIGHT:
            page, used = page + 1, 0.0
        used += row.height + ROW_BORDER
        page_of.append(page)
    return page_of


def flowchart_pages() -> list[Page]:
    steps = list(sop.STEPS)
    lanes = list(Actor)
    rows = [
        flowchart.Row(
            step=s, lane=lanes.index(s.actor), symbol=flowchart.symbol_of(s, first=i == 0)
        )
        for i, s in enumerate(steps)
    ]
    for row in rows:
        row.height = max(text_height(row.step), flowchart.min_height(row))
    page_of = _paginate(rows)
    # Rows that hold an off-page connector need room for it; paginate again with that room.
    for _ in range(2):
        flowchart.count_connectors(rows, page_of)
        for row in rows:
            row.height = max(text_height(row.step), flowchart.min_height(row))
        page_of = _paginate(rows)
    flowchart.count_connectors(rows, page_of)
    flowchart.draw(rows, page_of)
    pages: list[Page] = []
    for row, page in zip(rows, page_of, strict=True):
        if not pages or pages[-1].number != page + 1:
            pages.append(Page(number=page + 1, rows=[], continued=page > 0))
        pages[-1].rows.append(row)
    return pages


def completed_identity() -> dict:
    """The definition's identity sheet completed by the administrator's BANDING_SOP_IDENTITY:
    the sheet's blanks (IDENTITY_LABELS) and the lost beginning of an item. The signed words
    themselves cannot be replaced through a setting: a completion must end with the item's
    legible words, and any other key is refused."""
    given = getattr(settings, "BANDING_SOP_IDENTITY", None) or {}
    if not isinstance(given, dict):
        raise ImproperlyConfigured("BANDING_SOP_IDENTITY harus berupa objek JSON {kunci: isi}.")
    merged = dict(sop.IDENTITY)
    for key, value in given.items():
        current = merged.get(key)
        if key in IDENTITY_LABELS:
            if not isinstance(value, str):
                raise ImproperlyConfigured(f"BANDING_SOP_IDENTITY[{key!r}] harus berupa teks.")
            merged[key] = value
        elif _has_lost(current):
            merged[key] = _completed(key, current, value)
        else:
            fillable = [*IDENTITY_LABELS, *(k for k, v in sop.IDENTITY.items() if _has_lost(v))]
            raise ImproperlyConfigured(
                f"BANDING_SOP_IDENTITY: {key!r} tidak dapat diisi lewat setelan (teks SOP yang "
                f"ditandatangani); yang dapat diisi: {', '.join(fillable)}."
            )
    return merged


def _has_lost(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and any(item.startswith(LOST) for item in value)


def _completed(key: str, items: list[str], value: object) -> list[str]:
    """`items` with the lost beginnings completed from {item number: full text}."""
    if not isinstance(value, dict):
        raise ImproperlyConfigured(
            f"BANDING_SOP_IDENTITY[{key!r}] harus berupa {{nomor butir: teks lengkap}}, "
            f'mis. {{"4": "Peraturan …"}}.'
        )
    items = list(items)
    for number, text in value.items():
        digits = str(number)
        index = int(digits) - 1 if digits.isascii() and digits.isdigit() else -1
        if not 0 <= index < len(items) or not items[index].startswith(LOST):
            raise ImproperlyConfigured(
                f"BANDING_SOP_IDENTITY[{key!r}]: butir {number} tidak kehilangan awalnya; "
                f"hanya butir yang diawali {LOST} yang dapat dilengkapi."
            )
        legible = items[index].removeprefix(LOST).strip()
        if not isinstance(text, str) or not text.strip().endswith(legible):
            raise ImproperlyConfigured(
                f"BANDING_SOP_IDENTITY[{key!r}]: butir {number} harus diakhiri dengan bagian "
                f"yang terbaca: {legible!r}."
            )
        items[index] = text.strip()
    return items


def build() -> Document:
    identity = completed_identity()
    header = [("Nomor SOP", identity.get("nomor", ""))]
    header += [(label, identity.get(key, "")) for key, label in IDENTITY_LABELS.items()]
    header.append(("Nama SOP", identity.get("judul", "")))

    def items(key: str) -> list[str]:
        value = identity.get(key) or []
        return [value] if isinstance(value, str) else list(value)

    sections = [
        ((left_label, items(left)), (right_label, items(right)))
        for (left, left_label), (right, right_label) in SECTIONS
    ]
    return Document(
        identity=identity,
        header=header,
        sections=sections,
        lanes=[ACTOR_LABELS[a] for a in Actor],
        pages=flowchart_pages(),
        columns=COLUMNS,
        lanes_width=COLUMNS["lanes"],
        additions=sibanding.build(),
    )


def render_html(*, standalone: bool = True) -> str:
    """The document as one HTML file; standalone carries its stylesheet so that the file
    opens anywhere (the templates themselves hold no <style>: CSP, tests/test_csp.py)."""
    with translation.override("id"):
        html: str = render_to_string("sop/document_print.html", {"doc": build()})
    if standalone:
        html = html.replace("</head>", f"<style>\n{STYLESHEET.read_text()}</style>\n</head>", 1)
    return html


def render_pdf() -> bytes:
    from weasyprint import CSS, HTML  # imported on use: loading pango costs time at startup

    html = render_html(standalone=False)
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])


def pdf_name() -> str:
    number = sop.IDENTITY["nomor"]
    assert isinstance(number, str), "the SOP's number is one line of the signed text"
    return f"sop-{number.replace('/', '-')}.pdf"
