"""Tugas saya: the open steps the user must act on, oldest first."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from banding.appeals import selectors
from banding.appeals.views.common import staff_required


@staff_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.inbox(request.user), settings.BANDING_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    # Shown to the head only, and never paginated: a handful at a time at most.
    acknowledgements = list(selectors.for_acknowledgement(request.user)[:50])
    return render(
        request, "appeals/inbox.html", {"page": page, "acknowledgements": acknowledgements}
    )
