"""The management review input page (/laporan/tinjauan/) and its PDF, for the head, the team
leader, auditors and administrators."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_
from django.views.decorators.http import require_GET

from banding.letters.models import Letterhead
from banding.reports.access import refusal
from banding.reports.period_forms import PeriodForm, PeriodKind
from banding.reports.review import Review, review
from banding.reports.views import readers_only
from banding.sop.definition import IDENTITY

REFUSAL = refusal(N_("Masukan tinjauan manajemen"))
TITLE = _("Masukan Tinjauan Manajemen — Banding Pelanggan")
STYLESHEET = Path(__file__).resolve().parent / "pdf" / "tinjauan.css"


def _form(request: HttpRequest) -> PeriodForm:
    # A semester by default: the rhythm of the SOP monitoring the review draws on.
    return PeriodForm.from_query(request.GET, default=PeriodKind.SEMESTER)


@readers_only(N_("Masukan tinjauan manajemen"))
@require_GET
def page(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    context: dict[str, Any] = {"form": form, "title": TITLE}
    if not form.is_valid():
        return render(request, "reports/review.html", context, status=400)
    context.update(review=review(form.period()), query=request.GET.urlencode())
    return render(request, "reports/review.html", context)


def review_pdf(report: Review) -> bytes:
    from weasyprint import CSS, HTML  # imported on use: loading pango costs time at startup

    with translation.override("id"):
        html = render_to_string(
            "reports/review_pdf.html",
            {
                "review": report,
                "title": TITLE,
                "identity": IDENTITY,
                "letterhead": Letterhead.current(),
            },
        )
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])


@readers_only(N_("Masukan tinjauan manajemen"))
@require_GET
def pdf(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        context = {"form": form, "title": TITLE}
        return render(request, "reports/review.html", context, status=400)
    report = review(form.period())
    name = f"tinjauan-manajemen-banding-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}"
    response = HttpResponse(review_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
