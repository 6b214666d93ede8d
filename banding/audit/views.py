"""The audit log at /log-audit/ (namespace "audit"): the auditor's read-only list of every
event, filtered, paged like the register; and the same list as CSV or JSON."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from banding.accounts.http import AuthedRequest
from banding.appeals.views.common import refuse, staff_required
from banding.audit import export, selectors
from banding.audit.access import REFUSAL, reads_audit_log
from banding.audit.forms import AuditLogForm
from banding.errors import ServiceError
from banding.paging import Paginator

TEMPLATE = "audit/log.html"


@staff_required
@require_GET
def log(request: AuthedRequest) -> HttpResponse:
    if not reads_audit_log(request.user):
        return refuse(request, REFUSAL)
    form = AuditLogForm.from_query(request.GET)
    filters = form.filters()
    page = None
    if filters is not None:
        paginator = Paginator(selectors.events(filters), settings.BANDING_PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
    partial = request.htmx and not request.htmx.history_restore_request
    template = f"{TEMPLATE}#results" if partial else TEMPLATE
    # The downloads take the period shown (the current month when none was chosen).
    query = {k: v for k, v in form.data.items() if k != "page" and v not in ("", None)}
    context = {"form": form, "page": page, "export_query": urlencode(query)}
    return render(request, template, context)


@staff_required
@require_GET
def log_export(request: AuthedRequest, file_format: str) -> HttpResponseBase:
    if file_format not in export.FORMATS:
        raise Http404("Format unduhan tidak dikenal.")
    if not reads_audit_log(request.user):
        return refuse(request, REFUSAL)
    form = AuditLogForm.from_query(request.GET)
    filters = form.filters()
    if filters is None:
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return refuse(
            request,
            _("Saringan log audit tidak valid: %(errors)s") % {"errors": errors},
            status=400,
        )
    try:
        return export.export_response(user=request.user, filters=filters, file_format=file_format)
    except ServiceError as error:
        return refuse(request, error.message, status=error.status)
