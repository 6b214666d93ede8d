"""Buku agenda banding: every appeal, filtered and paginated."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from banding.appeals import selectors
from banding.appeals.forms.register import RegisterFilterForm
from banding.appeals.views.common import staff_required

TEMPLATE = "appeals/register.html"


@staff_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET)
    paginator = Paginator(
        selectors.register(request.user, form.filters()), settings.BANDING_PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    # htmx swaps only the results (and the form's errors); a history restore wants it all.
    partial = request.htmx and not request.htmx.history_restore_request
    template = f"{TEMPLATE}#results" if partial else TEMPLATE
    return render(request, template, {"form": form, "page": page})
