"""The staff page of the satisfaction survey's results (/survei/) and its CSV download."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_
from django.views.decorators.http import require_GET

from banding.formats import csv_lines
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
    return csv_lines(CSV_HEADER, _cells(period))


def _cells(period: Period) -> Iterator[list[Any]]:
    for response in selectors.for_export(period).iterator(chunk_size=500):
        yield [
            response.appeal.number,
            timezone.localtime(response.submitted_at),
            *(getattr(response, e.code) for e in ELEMENTS),
            response.comment,
        ]


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
