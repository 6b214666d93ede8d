"""The monitoring form as files: a PDF (A4 landscape, WeasyPrint, with a stylesheet file since
templates carry no <style>) and an XLSX workbook (sheet "Monitoring": the form; sheet
"Statistik": the figures per step)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation

from banding.formats import spreadsheet_cell
from banding.letters.models import Letterhead
from banding.reports.monitoring import Sheet
from banding.sop.definition import IDENTITY

STYLESHEET = Path(__file__).resolve().parent / "pdf" / "monitoring.css"
TITLE = "Formulir Monitoring Pelaksanaan SOP"
FORM_HEADER = [
    "No",
    "Prosedur",
    "Penilaian",
    "Catatan hasil penilaian",
    "Tindakan yang harus diambil",
    "Paraf penilai",
]
STATS_HEADER = [
    "No",
    "Langkah",
    "Pelaksana",
    "Mutu baku waktu",
    "Kejadian",
    "Median (menit kerja)",
    "Persentil 90 (menit kerja)",
    "Dalam mutu baku",
    "Dalam mutu baku (%)",
    "Terlambat",
]


def file_stem(sheet: Sheet) -> str:
    return f"monitoring-sop-{sheet.period.start:%Y%m%d}-{sheet.period.end:%Y%m%d}"


def monitoring_pdf(sheet: Sheet) -> bytes:
    from weasyprint import CSS, HTML  # imported on use: loading pango costs time at startup

    with translation.override("id"):
        html = render_to_string(
            "reports/monitoring_pdf.html",
            {
                "sheet": sheet,
                "identity": IDENTITY,
                "title": TITLE,
                "letterhead": Letterhead.current(),
                "printed_at": timezone.now(),
            },
        )
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])


def monitoring_xlsx(sheet: Sheet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    form = book.worksheets[0]  # the one sheet a new workbook has (its active one)
    form.title = "Monitoring"
    form.append([TITLE])
    form["A1"].font = Font(bold=True, size=13)
    form.append([f"SOP {IDENTITY['nomor']} {IDENTITY['judul']}"])
    form.append([f"Periode: {sheet.period.label}"])
    status = "Final" if sheet.is_final else "Draf"
    evaluator = sheet.form.evaluator.get_full_name() if sheet.form else ""
    form.append([f"Status: {status}" + (f" · Penilai: {evaluator}" if evaluator else "")])
    form.append([])
    form.append(FORM_HEADER)
    for cell in form[6]:
        cell.font = Font(bold=True)
    for row in sheet.rows:
        form.append(
            [
                row.number,
                row.stats.title,
                row.penilaian_label,
                spreadsheet_cell(row.catatan),
                spreadsheet_cell(row.tindakan),
                sheet.paraf,
            ]
        )
    for column, width in zip("ABCDEF", (5, 38, 26, 50, 40, 12), strict=True):
        form.column_dimensions[column].width = width
    for cells in form.iter_rows(min_row=7):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    stats = book.create_sheet("Statistik")
    stats.append(STATS_HEADER)
    for cell in stats[1]:
        cell.font = Font(bold=True)
    for s in sheet.stats:
        stats.append(
            [
                s.number,
                s.title,
                s.actor_label,
                s.standard,
                s.count,
                s.median_minutes,
                s.p90_minutes,
                s.within,
                s.within_percent,
                s.overdue,
            ]
        )
    stats.column_dimensions["B"].width = 38
    stats.column_dimensions["C"].width = 20
    out = BytesIO()
    book.save(out)
    return out.getvalue()
