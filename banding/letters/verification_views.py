"""The public verification page of a letter (/verifikasi/<kode>/, no login): the letter's
identity and status, never its content; an uploaded PDF is compared byte for byte (SHA-256) with
the issued one and its PAdES signature checked (banding.letters.signing.verification): intact,
who signed and when, and whether the certificate chains to the trust root."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from banding.accounts.throttle import WINDOW as THROTTLE_WINDOW
from banding.accounts.throttle import allow
from banding.appeals.uploads import PDF, check_upload, human_size
from banding.errors import NotFound, ServiceError
from banding.letters import services
from banding.letters.forms import VerifyForm
from banding.letters.models import Letter, LetterStatus
from banding.letters.signing.verification import check_signature


@csrf_exempt  # checked by _verified below, once the limits have let the request in
@require_http_methods(["GET", "POST"])
def verification(request: HttpRequest, code: str) -> HttpResponse:
    """Public (no login): the letter's identity and status, never its content; an uploaded
    PDF is compared byte for byte (SHA-256) with the issued one.

    Anyone can reach it, so it is limited per client address (banding.accounts.throttle, in
    Django's cache): BANDING_VERIFY_LOOKUPS_PER_HOUR page views and
    BANDING_VERIFY_UPLOADS_PER_HOUR uploads, then 429; and an upload larger than
    BANDING_VERIFY_UPLOAD_MAX_BYTES is refused from its Content-Length, before its body is
    read (the CSRF check, which reads the form, comes after these)."""
    uploading = request.method == "POST"
    if uploading:
        allowed = allow(request, "verify_upload", limit=settings.BANDING_VERIFY_UPLOADS_PER_HOUR)
    else:
        allowed = allow(request, "verify_lookup", limit=settings.BANDING_VERIFY_LOOKUPS_PER_HOUR)
    if not allowed:
        response = render(
            request, "letters/verification_limited.html", {"uploading": uploading}, status=429
        )
        response["Retry-After"] = str(int(THROTTLE_WINDOW.total_seconds()))
        return response
    try:
        letter = services.letter_by_code(code)
    except NotFound as error:
        raise Http404(error.message) from None
    if uploading and _content_length(request) > (
        settings.BANDING_VERIFY_UPLOAD_MAX_BYTES + FORM_OVERHEAD
    ):
        form = VerifyForm({}, {})
        form.is_valid()
        form.errors["berkas"] = form.error_class([_too_large()])
        return _verification_page(request, letter, form, None, status=413)
    return _verified(request, letter)


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _too_large() -> str:
    return _("Berkas terlalu besar untuk diperiksa: batasnya %(limit)s.") % {
        "limit": human_size(settings.BANDING_VERIFY_UPLOAD_MAX_BYTES)
    }


# Room for the form's other parts (the CSRF token, the part headers) in the Content-Length.
FORM_OVERHEAD = 16 * 1024


@csrf_protect
def _verified(request: HttpRequest, letter: Letter) -> HttpResponse:
    form = VerifyForm()
    result: dict[str, Any] | None = None
    status = 200
    limit = settings.BANDING_VERIFY_UPLOAD_MAX_BYTES
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["berkas"]
            if upload.size is not None and upload.size > limit:
                form.add_error("berkas", _too_large())
                status = 413
            else:
                result = _compare(form, upload, letter)
    return _verification_page(request, letter, form, result, status=status)


def _verification_page(
    request: HttpRequest,
    letter: Letter,
    form: VerifyForm,
    result: dict[str, Any] | None,
    *,
    status: int,
) -> HttpResponse:
    return render(
        request,
        "letters/verification.html",
        {
            "letter": letter,
            "form": form,
            "result": result,
            "valid": letter.status == LetterStatus.ISSUED,
            "replacement": getattr(letter, "superseded_by", None),
            "institute": settings.BANDING_INSTITUTE_NAME,
            "upload_limit": human_size(settings.BANDING_VERIFY_UPLOAD_MAX_BYTES),
        },
        status=status,
    )


def _compare(form: VerifyForm, upload: Any, letter: Letter) -> dict[str, Any] | None:
    try:
        checked = check_upload(upload)
    except ServiceError as error:
        form.add_error("berkas", error.message)
        return None
    if checked.content_type != PDF:
        return {"ok": False, "message": _("Berkas yang diunggah bukan PDF.")}
    if checked.sha256 == letter.sha256:
        result = {"ok": True, "message": _("Berkas ini sama persis dengan surat yang diterbitkan.")}
    else:
        result = {
            "ok": False,
            "message": _(
                "Berkas ini TIDAK sama dengan surat yang diterbitkan: "
                "isinya berbeda atau telah diubah."
            ),
        }
    result["sha256"] = checked.sha256
    # Within BANDING_VERIFY_UPLOAD_MAX_BYTES (checked before): read whole for the signature.
    upload.seek(0)
    result["signature"] = check_signature(upload.read())
    return result
