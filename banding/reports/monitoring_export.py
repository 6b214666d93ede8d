"""The monitoring form as files: a PDF (A4 landscape, WeasyPrint, with a stylesheet file since
templates carry no <style>) and an XLSX workbook (sheet "Monitoring": the form; sheet
"Statistik": the figures per step)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from banding.formats import spreadsheet_cell
from banding.letters.models import Letterhead
from banding.reports.monitoring import Sheet
from banding.sop.definition import IDENTITY

STYLESHEET = Path(__file__).resolve().parent / "pdf" / "monitoring.css"
TITLE = _("Formulir Monitoring Pelaksanaan SOP")
FORM_HEADER = [
    "No",
    _("Prosedur"),
    _("Penilaian"),
    _("Catatan hasil penilaian"),
    _("Tindakan yang harus diambil"),
    _("Paraf penilai"),
]
STATS_HEADER = [
    "No",
    _("Langkah"),
    _("Pelaksana"),
    _("Mutu baku waktu"),
    _("Kejadian"),
    _("Median (menit kerja)"),
    _("Persentil 90 (menit kerja)"),
    _("Dalam mutu baku"),
    _("Dalam mutu baku (%)"),
    _("Terlambat"),
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
    form.title = gettext("Monitoring")
    form.append([str(TITLE)])
    form["A1"].font = Font(bold=True, size=13)
    form.append([f"SOP {IDENTITY['nomor']} {IDENTITY['judul']}"])
    form.append([gettext("Periode: %(period)s") % {"period": sheet.period.label}])
    status = gettext("Final") if sheet.is_final else gettext("Draf")
    evaluator = sheet.form.evaluator.get_full_name() if sheet.form else ""
    if evaluator:
        said = gettext("Status: %(status)s · Penilai: %(evaluator)s") % {
            "status": status,
            "evaluator": evaluator,
        }
    else:
        said = gettext("Status: %(status)s") % {"status": status}
    form.append([said])
    form.append([])
    form.append([str(h) for h in FORM_HEADER])
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

    stats = book.create_sheet(gettext("Statistik"))
    stats.append([str(h) for h in STATS_HEADER])
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
