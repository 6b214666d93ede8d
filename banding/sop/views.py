"""The SOP document on the web: /sop/ for every staff user, ?format=pdf to download it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from banding.appeals.views.common import staff_required
from banding.sop import document


@require_GET
@staff_required
def sop_document(request: HttpRequest) -> HttpResponse:
    if request.GET.get("format") == "pdf":
        response = HttpResponse(document.render_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{document.pdf_name()}"'
        return response
    return render(request, "sop/document.html", {"doc": document.build()})
