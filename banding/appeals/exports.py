"""The buku agenda banding as a file: CSV (streamed) and XLSX, with exactly the register
page's filters. An export of customer data is an audit event (`register.exported`)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.accounts.roles import is_internal
from banding.appeals import actors, selectors
from banding.appeals.models import Appeal, Step
from banding.appeals.selectors import RegisterFilters
from banding.audit.actions import Action
from banding.audit.log import record
from banding.errors import Forbidden, Invalid
from banding.formats import WIB, csv_lines
from banding.sop import definition as sop

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FORMATS = ("csv", "xlsx")
COLUMNS: tuple[tuple[StrOrPromise, int], ...] = (  # header, XLSX column width (characters)
    (_("Nomor"), 22),
    (_("Diterima (WIB)"), 18),
    (_("Pelanggan"), 32),
    (_("Narahubung"), 24),
    (_("Saluran"), 16),
    (_("Jenis layanan"), 24),
    (_("Nomor keluhan"), 20),
    (_("Status"), 22),
    (_("Langkah saat ini"), 36),
    (_("Pelaksana"), 30),
    (_("Tenggat (WIB)"), 18),
    (_("Terlambat?"), 11),
    (_("Keputusan"), 18),
    (_("Ditutup (WIB)"), 18),
)
XLSX_DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register_export(*, user: User, filters: RegisterFilters, file_format: str) -> QuerySet:
    """Record that `user` exports the register with `filters`; return the rows to write
    (one query when iterated, whatever their number)."""
    if not is_internal(user):
        raise Forbidden(N_("Buku agenda banding hanya dapat diunduh pegawai Balai."), code="staff")
    if file_format not in FORMATS:
        raise Invalid(N_("Format unduhan harus csv atau xlsx."), code="format")
    with transaction.atomic():
        record(
            action=Action.REGISTER_EXPORTED,
            summary=f"Buku agenda banding diunduh ({file_format.upper()})",
            actor=user,
            data={"format": file_format, "filters": _filters_data(filters)},
        )
    return rows_of(user, filters)


def _filters_data(filters: RegisterFilters) -> dict[str, Any]:
    data = asdict(filters)
    return {
        key: value.isoformat() if isinstance(value, date) else value
        for key, value in data.items()
        if value not in ("", None)
    }


ANY_STEP_LATE = "any_step_late"  # the annotation of rows_of(): some step exceeded its time


def rows_of(user: User, filters: RegisterFilters) -> QuerySet[Appeal]:
    late_step = Step.objects.filter(appeal=OuterRef("pk"), within_standard=False)
    return selectors.register(user, filters).annotate(**{ANY_STEP_LATE: Exists(late_step)})


def _local(value: datetime | None) -> datetime | None:
    # Spreadsheets have no time zones: WIB wall-clock time, as the page shows it.
    return value.astimezone(WIB).replace(tzinfo=None) if value else None


def _late(appeal: Appeal, now: datetime) -> str:
    """Open: the current step is past its due instant. Ended: some step exceeded its
    standard time."""
    if appeal.is_open:
        late = appeal.current_due_at is not None and appeal.current_due_at <= now
    else:
        late = getattr(appeal, ANY_STEP_LATE)
    return gettext("Ya") if late else gettext("Tidak")


def values(appeal: Appeal, now: datetime) -> list[Any]:
    """One register row; instants as naive WIB datetimes."""
    step = appeal.current_step
    return [
        appeal.number,
        _local(appeal.received_at),
        appeal.organization.name,
        appeal.contact_name,
        appeal.get_channel_display(),
        appeal.get_service_type_display(),
        appeal.complaint_reference,
        appeal.get_status_display(),
        f"{step}. {sop.step(step).title}" if step else "",
        actors.executor(appeal.current_actor, appeal),
        _local(appeal.current_due_at) if appeal.is_open else None,
        _late(appeal, now),
        appeal.get_decision_display(),
        _local(appeal.closed_at),
    ]


Columns = Sequence[tuple["StrOrPromise", int]]  # header, XLSX column width (characters)


def headers(columns: Columns) -> list[StrOrPromise]:
    """The columns' headers (the CSV's first line)."""
    return [header for header, _width in columns]


def xlsx_file(title: StrOrPromise, columns: Columns, lines: Iterable[Sequence[Any]]) -> bytes:
    """A table as XLSX: a bold header row, dates as real dates, set column widths, a text that
    starts with "=" kept as text (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(title))
    for index, (_header, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for heading, _width in columns:
        cell = WriteOnlyCell(sheet, value=str(heading))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for cells in lines:
        line = []
        for value in cells:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime):
                cell.number_format = XLSX_DATETIME_FORMAT
            elif isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            line.append(cell)
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _register_lines(rows: QuerySet[Appeal]) -> Iterator[list[Any]]:
    now = timezone.now()
    for appeal in rows.iterator(chunk_size=500):
        yield values(appeal, now)


def export_response(*, user: User, filters: RegisterFilters, file_format: str) -> HttpResponseBase:
    """The download (staff page and API alike): the event is recorded, then the file."""
    rows = register_export(user=user, filters=filters, file_format=file_format)
    name = f"buku-agenda-banding-{timezone.localdate():%Y%m%d}.{file_format}"
    if file_format == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            csv_lines(headers(COLUMNS), _register_lines(rows)),
            content_type="text/csv; charset=utf-8",
        )
    else:
        response = HttpResponse(
            xlsx_file(gettext("Buku agenda banding"), COLUMNS, _register_lines(rows)),
            content_type=XLSX_TYPE,
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
