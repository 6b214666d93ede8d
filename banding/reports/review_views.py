"""The management review input page (/laporan/tinjauan/) and its PDF, for the head, the team
leader, auditors and administrators; and the review's full lists, paged (tindakan/,
tindak-lanjut/) and as files (tindakan/unduh.xlsx, ….csv), for the same readers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_
from django.views.decorators.http import require_GET

from banding.accounts.http import AuthedRequest
from banding.appeals.views.common import refuse
from banding.letters.models import Letterhead
from banding.paging import Paginator
from banding.reports.access import refusal
from banding.reports.period_forms import PeriodForm, PeriodKind
from banding.reports.review import Review, review
from banding.reports.review_lists import FORMATS, LISTS, ReviewList, download, format_refusal
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


def review_pdf(report: Review, query: str = "") -> bytes:
    """The PDF; `query` names the period in the links to the full lists it prints."""
    from weasyprint import CSS, HTML  # imported on use: loading pango costs time at startup

    with translation.override("id"):
        html = render_to_string(
            "reports/review_pdf.html",
            {
                "review": report,
                "title": TITLE,
                "identity": IDENTITY,
                "letterhead": Letterhead.current(),
                "public_url": settings.BANDING_PUBLIC_URL,
                "query": query,
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
    response = HttpResponse(
        review_pdf(report, request.GET.urlencode()), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# --- the full lists: paged, and as files ----------------------------------------------------


def _list_spec(kind: str) -> ReviewList:
    try:
        return LISTS[kind]
    except KeyError:
        raise Http404("Daftar tinjauan tidak dikenal.") from None


@readers_only(N_("Masukan tinjauan manajemen"))
@require_GET
def listing(request: HttpRequest, kind: str) -> HttpResponse:
    """One of the review's lists in full, BANDING_PAGE_SIZE rows a page, the latest first."""
    spec = _list_spec(kind)
    form = _form(request)
    context: dict[str, Any] = {"form": form, "title": TITLE, "list": spec}
    if not form.is_valid():
        return render(request, "reports/review_list.html", context, status=400)
    period = form.period()
    page = Paginator(spec.rows(period), settings.BANDING_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = [spec.item(row) for row in page.object_list]
    others = request.GET.copy()
    others.pop("page", None)
    query = others.urlencode()
    context.update(period=period, page=page, query=query)
    return render(request, "reports/review_list.html", context)


@readers_only(N_("Masukan tinjauan manajemen"))
@require_GET
def list_download(request: AuthedRequest, kind: str, file_format: str) -> HttpResponseBase:
    spec = _list_spec(kind)
    if file_format not in FORMATS:
        return refuse(request, format_refusal(), status=400)
    form = _form(request)
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return refuse(
            request,
            gettext("Periode tidak valid: %(errors)s") % {"errors": errors},
            status=400,
        )
    return download(request.user, spec, form.period(), file_format)
