"""The management review's lists that grow with the year, in full: the corrective actions
decided in the period (`tindakan`) and the corrective actions added in it (`tindak-lanjut`).
The review shows their counts and the latest 50 (banding.reports.review.LISTED); here each is
a paged page and a file (CSV or XLSX, as the register's: banding.appeals.exports), of exactly
the period the review shows. Each file is one query, read in chunks, whatever its length."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from banding.accounts.models import User
from banding.appeals.exports import XLSX_TYPE, headers, xlsx_file
from banding.audit.actions import Action
from banding.audit.log import record
from banding.corrective.models import CorrectiveAction
from banding.corrective.selectors import added_in
from banding.formats import WIB, csv_lines
from banding.reports.review import corrective_action, decided_in
from banding.workdays.periods import Period

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FORMATS = ("csv", "xlsx")
CHUNK = 500


def _local(value: datetime | None) -> datetime | None:
    # Spreadsheets have no time zones: WIB wall-clock time, as the page shows it.
    return value.astimezone(WIB).replace(tzinfo=None) if value else None


@dataclass(frozen=True)
class ReviewList:
    kind: str  # in the URL and the file's name
    title: StrOrPromise  # the page's heading and the sheet's title (at most 31 characters)
    sheet: StrOrPromise
    columns: tuple[tuple[StrOrPromise, int], ...]  # header, XLSX column width (characters)
    rows: Callable[[Period], QuerySet[Any]]  # the latest first
    values: Callable[[Any], list[Any]]  # one row of the file; instants as naive WIB times
    table: str  # the page's table (a template of `rows`, each row as `item` gives it)
    item: Callable[[Any], Any] = lambda row: row


def _decided_values(step: Any) -> list[Any]:
    appeal = step.appeal
    return [
        appeal.number,
        appeal.get_decision_display(),
        appeal.decision_remedy,
        _local(step.completed_at),
    ]


def _follow_up_values(action: CorrectiveAction) -> list[Any]:
    return [
        _local(action.created_at),
        action.get_status_display(),
        action.appeal.number,
        action.description,
        action.owner.display_name,
        _local(action.due_at),
    ]


DECIDED = ReviewList(
    kind="tindakan",
    title=_("Tindakan perbaikan/pemulihan yang diputuskan"),
    sheet=_("Tindakan diputuskan"),
    columns=(
        (_("Nomor register"), 22),
        (_("Keputusan"), 20),
        (_("Tindakan perbaikan/pemulihan"), 60),
        (_("Disetujui (WIB)"), 18),
    ),
    rows=decided_in,
    values=_decided_values,
    table="reports/review_list_decided.html",
    item=corrective_action,
)
FOLLOW_UP = ReviewList(
    kind="tindak-lanjut",
    title=_("Tindak lanjut tindakan perbaikan"),
    sheet=_("Tindak lanjut"),
    columns=(
        (_("Ditambahkan (WIB)"), 18),
        (_("Status"), 16),
        (_("Nomor register"), 22),
        (_("Tindakan"), 60),
        (_("Penanggung jawab"), 28),
        (_("Tenggat (WIB)"), 18),
    ),
    rows=added_in,
    values=_follow_up_values,
    table="reports/review_list_follow_up.html",
)
LISTS = {spec.kind: spec for spec in (DECIDED, FOLLOW_UP)}


def _lines(spec: ReviewList, rows: QuerySet[Model]) -> Iterator[list[Any]]:
    for row in rows.iterator(chunk_size=CHUNK):
        yield spec.values(row)


def file_name(spec: ReviewList, period: Period, file_format: str) -> str:
    return f"tinjauan-{spec.kind}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{file_format}"


def download(user: User, spec: ReviewList, period: Period, file_format: str) -> HttpResponseBase:
    """The whole list of the period as a file; `file_format` is one of FORMATS. Like the
    register's, a download of the institute's records is an audit event
    (`review_list.exported`), written before the file."""
    with transaction.atomic():
        record(
            action=Action.REVIEW_LIST_EXPORTED,
            summary=f"Daftar tinjauan manajemen diunduh: {spec.kind}, {period.label} "
            f"({file_format.upper()})",
            actor=user,
            data={
                "list": spec.kind,
                "format": file_format,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
            },
        )
    rows = spec.rows(period)
    if file_format == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            csv_lines(headers(spec.columns), _lines(spec, rows)),
            content_type="text/csv; charset=utf-8",
        )
    else:
        response = HttpResponse(
            xlsx_file(spec.sheet, spec.columns, _lines(spec, rows)), content_type=XLSX_TYPE
        )
    response["Content-Disposition"] = (
        f'attachment; filename="{file_name(spec, period, file_format)}"'
    )
    response["Cache-Control"] = "no-store"
    return response


def format_refusal() -> str:
    return gettext("Format unduhan harus csv atau xlsx.")
