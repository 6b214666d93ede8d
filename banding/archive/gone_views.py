"""The answer to a download of a destroyed appeal's file: a clear page, 410 Gone, naming the
berita acara pemusnahan (banding.archive.destroyed), never a missing-file 500."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from banding.appeals.models import Appeal
from banding.archive.destroyed import destruction_of


def gone_page(request: HttpRequest, appeal: Appeal) -> HttpResponse | None:
    """The 410 page when the appeal's files were destroyed; None while they are kept."""
    found = destruction_of(appeal)
    if found is None:
        return None
    return render(
        request, "archive/destroyed.html", {"appeal": appeal, "destruction": found}, status=410
    )
