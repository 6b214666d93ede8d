"""Buku agenda banding: every appeal, filtered and paginated; and the same list as a file."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from banding.accounts.http import AuthedRequest
from banding.appeals import exports, selectors
from banding.appeals.forms.register import RegisterFilterForm
from banding.appeals.views.common import refuse, staff_required
from banding.errors import ServiceError
from banding.paging import Paginator

TEMPLATE = "appeals/register.html"


@staff_required
@require_GET
def register(request: AuthedRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET)
    paginator = Paginator(
        selectors.register(request.user, form.filters()), settings.BANDING_PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    # htmx swaps only the results (and the form's errors); a history restore wants it all.
    partial = request.htmx and not request.htmx.history_restore_request
    template = f"{TEMPLATE}#results" if partial else TEMPLATE
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "export_query": query.urlencode()}
    return render(request, template, context)


@staff_required
@require_GET
def register_export(request: AuthedRequest, file_format: str) -> HttpResponseBase:
    """The filtered register as CSV (streamed) or XLSX; the same filters as the page (a wrong
    value is ignored there, and here too)."""
    if file_format not in exports.FORMATS:
        raise Http404("Format unduhan tidak dikenal.")
    form = RegisterFilterForm(request.GET)
    try:
        return exports.export_response(
            user=request.user, filters=form.filters(), file_format=file_format
        )
    except ServiceError as error:
        return refuse(request, error.message)
