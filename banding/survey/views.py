"""The staff page of the satisfaction survey's results (/survei/) and its CSV download."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_
from django.views.decorators.http import require_GET

from banding.formats import Echo, spreadsheet_cell
from banding.reports.period_forms import PeriodForm
from banding.reports.views import readers_only
from banding.survey import selectors
from banding.survey.elements import ELEMENTS, QUALITY
from banding.workdays.periods import Period

CSV_HEADER = [
    _("Nomor register"),
    _("Diisi (WIB)"),
    *(e.label for e in ELEMENTS),
    _("Saran dan komentar"),
]


@readers_only(N_("Hasil Survei Kepuasan Masyarakat"))
@require_GET
def results(request: HttpRequest) -> HttpResponse:
    form = PeriodForm.from_query(request.GET)
    context: dict[str, Any] = {"form": form, "quality_table": QUALITY}
    if form.is_valid():
        period = form.period()
        context.update(
            results=selectors.results(period),
            comments=selectors.comments(period),
            comments_shown=selectors.COMMENTS_SHOWN,
            query=request.GET.urlencode(),
        )
    return render(request, "survey/results.html", context, status=200 if form.is_valid() else 400)


def _rows(period: Period) -> Iterator[str]:
    writer = csv.writer(Echo())
    yield "\ufeff"  # a byte-order mark, so spreadsheet programs read the file as UTF-8
    yield writer.writerow(CSV_HEADER)
    for response in selectors.for_export(period).iterator(chunk_size=500):
        submitted = timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M")
        yield writer.writerow(
            [
                spreadsheet_cell(response.appeal.number),
                submitted,
                *(getattr(response, e.code) for e in ELEMENTS),
                spreadsheet_cell(response.comment),
            ]
        )


@readers_only(N_("Hasil Survei Kepuasan Masyarakat"))
@require_GET
def export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    form = PeriodForm.from_query(request.GET)
    if not form.is_valid():
        context = {"form": form, "quality_table": QUALITY}
        return render(request, "survey/results.html", context, status=400)
    period = form.period()
    name = f"survei-kepuasan-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    response = StreamingHttpResponse(_rows(period), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
