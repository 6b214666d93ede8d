"""The letter pages: the public verification page and, for the appeal page, the draft form,
preview, issue, correction and download."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from banding.appeals.errors import NotFound, ServiceError
from banding.appeals.uploads import PDF, check_upload
from banding.letters import services
from banding.letters.models import LetterStatus


class VerifyForm(forms.Form):
    berkas = forms.FileField(label="Berkas PDF surat")


@require_http_methods(["GET", "POST"])
def verification(request: HttpRequest, code: str) -> HttpResponse:
    """Public (no login): the letter's identity and status, never its content; an uploaded
    PDF is compared byte for byte (SHA-256) with the issued one."""
    try:
        letter = services.letter_by_code(code)
    except NotFound as error:
        raise Http404(error.message) from None
    form = VerifyForm()
    result: dict[str, Any] | None = None
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                checked = check_upload(form.cleaned_data["berkas"])
                if checked.content_type != PDF:
                    result = {"ok": False, "message": "Berkas yang diunggah bukan PDF."}
                elif checked.sha256 == letter.sha256:
                    result = {
                        "ok": True,
                        "message": "Berkas ini sama persis dengan surat yang diterbitkan.",
                    }
                else:
                    result = {
                        "ok": False,
                        "message": "Berkas ini TIDAK sama dengan surat yang diterbitkan: "
                        "isinya berbeda atau telah diubah.",
                    }
                if result and checked.content_type == PDF:
                    result["sha256"] = checked.sha256
            except ServiceError as error:
                form.add_error("berkas", error.message)
    return render(
        request,
        "letters/verification.html",
        {
            "letter": letter,
            "form": form,
            "result": result,
            "valid": letter.status == LetterStatus.ISSUED,
        },
        status=200,
    )
