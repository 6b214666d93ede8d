"""The error pages (handler400/403/404/500 in banding/urls.py, and the CSRF failure): in
Indonesian, in the portal's layout under /portal/ and in the staff layout elsewhere; JSON in
the API's error shape under /api/ (banding.api.errors).

The 500 page is rendered without the request's context processors: it must not need the
database (which may be what failed) nor a signed-in user.
"""

from __future__ import annotations

from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from banding.api.errors import error_response, is_api
from banding.platform.inputs import ControlCharactersRefused

PORTAL = "/portal/"


def _template(request: HttpRequest, code: int) -> str:
    return f"portal/{code}.html" if request.path.startswith(PORTAL) else f"{code}.html"


def _too_large(exception: Exception | None) -> bool:
    return isinstance(exception, (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent))


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return error_response(400, too_large=_too_large(exception))
    context = {
        "too_large": _too_large(exception),
        # Why, when it is ours to say (banding.inputs): said in the page's language.
        "reason": _(str(exception)) if isinstance(exception, ControlCharactersRefused) else "",
    }
    return render(request, _template(request, 400), context, status=400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return error_response(403)
    # A refusal's reason (PermissionDenied("…")) is shown; Django's own are not messages.
    message = str(exception or "")
    if isinstance(exception, SuspiciousOperation):
        message = ""
    return render(request, _template(request, 403), {"exception": message}, status=403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return error_response(404)
    return render(request, _template(request, 404), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return error_response(500)
    # No context processors: no query, no user (the database may be what failed).
    return HttpResponse(loader.render_to_string(_template(request, 500)), status=500)


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: mostly a page left open past its session, or
    cookies blocked (CSRF_FAILURE_VIEW)."""
    if is_api(request):
        return error_response(403, message=_("Token CSRF tidak ada atau tidak valid."))
    message = _(
        "Formulir ini tidak dapat diterima karena sesinya sudah kedaluwarsa atau cookie "
        "diblokir. Muat ulang halaman, lalu kirim formulir sekali lagi."
    )
    return render(request, _template(request, 403), {"exception": message}, status=403)
