"""The SOP monitoring page (/laporan/monitoring/): the figures per step and the Permenpan-RB
35/2012 monitoring form of a period, its saving and finalising, and its PDF and XLSX."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.views.decorators.http import require_GET, require_POST

from banding.accounts.http import AuthedRequest
from banding.appeals.views.common import refuse
from banding.errors import ServiceError
from banding.reports import monitoring
from banding.reports.forms import MonitoringRowsForm
from banding.reports.monitoring import Sheet
from banding.reports.monitoring_export import file_stem, monitoring_pdf, monitoring_xlsx
from banding.reports.period_forms import PeriodForm, PeriodKind
from banding.reports.stats import ended_early
from banding.reports.views import readers_only

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period_form(request: AuthedRequest) -> PeriodForm:
    return PeriodForm.from_query(request.GET, default=PeriodKind.SEMESTER)


def _page(
    request: AuthedRequest,
    period_form: PeriodForm,
    *,
    rows_form: MonitoringRowsForm | None = None,
    error: str | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {"form": period_form, "query": request.GET.urlencode()}
    if not period_form.is_valid():
        return render(request, "reports/monitoring.html", context, status=400)
    sheet = monitoring.monitoring_sheet(period_form.period())
    editable = monitoring.may_evaluate(request.user) and not sheet.is_final
    if rows_form is None:
        rows_form = MonitoringRowsForm(rows=sheet.rows, auto_id="isian-%s")
    context.update(
        sheet=sheet,
        editable=editable,
        rows=zip(sheet.rows, rows_form.bound_rows(), strict=True),
        rows_form=rows_form,
        error=error,
        ended_early=ended_early(period_form.period()),
    )
    return render(request, "reports/monitoring.html", context, status=status)


@readers_only(N_("Monitoring SOP"))
@require_GET
def monitoring_page(request: AuthedRequest) -> HttpResponse:
    return _page(request, _period_form(request))


@readers_only(N_("Monitoring SOP"))
@require_POST
def monitoring_save(request: AuthedRequest) -> HttpResponse:
    """Save the draft, or (button "finalkan") save and finalise. The period comes in the
    query string, as on the page."""
    if not monitoring.may_evaluate(request.user):
        return refuse(request, monitoring.NOT_EVALUATOR)
    period_form = _period_form(request)
    if not period_form.is_valid():
        return _page(request, period_form)
    period = period_form.period()
    rows_form = MonitoringRowsForm(request.POST, auto_id="isian-%s")
    if not rows_form.is_valid():
        return _page(request, period_form, rows_form=rows_form, status=400)
    finalise = request.POST.get("aksi") == "finalkan"
    try:
        if finalise:
            monitoring.monitoring_finalise(user=request.user, period=period, rows=rows_form.rows())
        else:
            monitoring.monitoring_save(user=request.user, period=period, rows=rows_form.rows())
    except ServiceError as error:
        return _page(
            request, period_form, rows_form=rows_form, error=error.message, status=error.status
        )
    if finalise:
        done = _("Formulir monitoring SOP %(period)s difinalkan.")
    else:
        done = _("Formulir monitoring SOP %(period)s disimpan sebagai draf.")
    messages.success(request, done % {"period": period.label})
    return redirect(f"{reverse('reports:monitoring')}?{request.GET.urlencode()}")


def _download(
    request: AuthedRequest,
    render_file: Callable[[Sheet], bytes],
    suffix: str,
    content_type: str,
) -> HttpResponse:
    period_form = _period_form(request)
    if not period_form.is_valid():
        return _page(request, period_form)
    sheet = monitoring.monitoring_sheet(period_form.period())
    response = HttpResponse(render_file(sheet), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_stem(sheet)}.{suffix}"'
    return response


@readers_only(N_("Monitoring SOP"))
@require_GET
def monitoring_pdf_view(request: AuthedRequest) -> HttpResponse:
    return _download(request, monitoring_pdf, "pdf", "application/pdf")


@readers_only(N_("Monitoring SOP"))
@require_GET
def monitoring_xlsx_view(request: AuthedRequest) -> HttpResponse:
    return _download(request, monitoring_xlsx, "xlsx", XLSX_TYPE)
