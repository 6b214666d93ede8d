"""Every API error is `{"code", "message", "fields"}` with its HTTP status; the message is
for a person, the code for a program. Messages are written in Indonesian and answered in the
caller's language (banding.portal.language: the account's choice, else Accept-Language): this
module's own through the catalog, a service's through `ServiceError.said`."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.http.request import RawPostDataException
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from banding import inputs
from banding.api.checks import UNREADABLE_MULTIPART
from banding.errors import ServiceError, said

logger = logging.getLogger("django.request")

UNAUTHENTICATED = N_(
    "Autentikasi diperlukan: kirim token API pada header 'Authorization: Bearer <token>' "
    "atau masuk terlebih dahulu."
)
NOT_FOUND = N_("Tidak ditemukan.")
SERVER_ERROR = N_("Terjadi kesalahan pada server; coba lagi nanti atau hubungi administrator.")
UNREADABLE = N_("Isi permintaan tidak dapat dibaca: kirim JSON yang valid.")
INVALID_PAYLOAD = N_("Data yang dikirim tidak valid; periksa isian yang ditandai.")
TOO_LARGE = N_(
    "Permintaan terlalu besar atau berisi terlalu banyak isian atau berkas; kirim dalam "
    "beberapa permintaan."
)

# Pydantic's error types, said in Indonesian. Anything else gets the generic message.
MESSAGES = {
    "missing": N_("Wajib diisi."),
    "json_invalid": N_("Isi permintaan bukan JSON yang valid."),
    "model_attributes_type": N_("Harus berupa objek JSON."),
    "dict_type": N_("Harus berupa objek JSON."),
    "list_type": N_("Harus berupa daftar."),
    "string_type": N_("Harus berupa teks."),
    "bool_type": N_("Harus true atau false."),
    "bool_parsing": N_("Harus true atau false."),
    "int_type": N_("Harus bilangan bulat."),
    "int_parsing": N_("Harus bilangan bulat."),
    "uuid_type": N_("Harus berupa UUID."),
    "uuid_parsing": N_("Harus berupa UUID."),
    "date_type": N_("Harus tanggal dengan format YYYY-MM-DD."),
    "date_parsing": N_("Harus tanggal dengan format YYYY-MM-DD."),
    "date_from_datetime_parsing": N_("Harus tanggal dengan format YYYY-MM-DD."),
    "datetime_type": N_("Harus tanggal dan waktu ISO 8601, mis. 2026-05-04T09:30:00+07:00."),
    "datetime_parsing": N_("Harus tanggal dan waktu ISO 8601, mis. 2026-05-04T09:30:00+07:00."),
    "datetime_from_date_parsing": N_(
        "Harus tanggal dan waktu ISO 8601, mis. 2026-05-04T09:30:00+07:00."
    ),
    "greater_than_equal": N_("Terlalu kecil."),
    "less_than_equal": N_("Terlalu besar."),
    "string_too_long": N_("Terlalu panjang."),
    "string_too_short": N_("Wajib diisi."),
    # banding.inputs, said by the API's types (payloads.py).
    "control_characters": inputs.CONTROL_CHARACTERS,
    "date_out_of_range": inputs.DATE_OUT_OF_RANGE,
}
# Where ninja puts a parameter; stripped from the field path shown to the client.
SOURCES = {"body", "query", "form", "file", "path", "header", "cookie"}
# Every JSON body is the operation parameter of this name (a name the client never sees).
BODY_PARAM = "payload"


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"code": code, "message": said(message), "fields": fields or {}}


def field_messages(errors: list[dict]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        if loc and loc[0] in SOURCES:
            loc = loc[1:]
        if loc and loc[0] == BODY_PARAM:
            loc = loc[1:]
        name = ".".join(loc) or "__all__"
        fields.setdefault(name, []).append(_message(error))
    return fields


def _message(error: dict) -> str:
    kind = error.get("type", "")
    expected = (error.get("ctx") or {}).get("expected")
    if kind in {"enum", "literal_error"} and expected:
        choices = expected.replace(" or ", gettext(" atau "))
        return gettext("Nilai tidak dikenal; pilihan: %(choices)s.") % {"choices": choices}
    return said(MESSAGES.get(kind, N_("Nilai tidak valid.")))


def _handle[E: Exception](
    api: NinjaAPI, exc_class: type[E], handler: Callable[[HttpRequest, E], HttpResponse]
) -> None:
    # django-ninja types a handler as taking the exception or its class; it is given the
    # exception.
    api.add_exception_handler(exc_class, handler)  # type: ignore[arg-type]


# --- every path under /api/ answers JSON, known or not (banding/urls.py, the middleware) -----

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _status_body(status: int, *, too_large: bool = False) -> dict:
    """The error body of a status Django or ninja answered without ours."""
    if status == 404:
        return error_body("not_found", gettext("Tidak ditemukan."))
    if status == 405:
        return error_body("method_not_allowed", gettext("Metode permintaan ini tidak diizinkan."))
    if status == 400:
        if too_large:
            return error_body("request_too_large", TOO_LARGE)
        return error_body("bad_request", gettext("Permintaan tidak dapat dibaca atau tidak sah."))
    if status == 403:
        return error_body("forbidden", gettext("Anda tidak berhak melakukan ini."))
    if status >= 500:
        return error_body("server_error", SERVER_ERROR)
    return error_body("http_error", gettext("Permintaan tidak dapat diproses."))


def error_response(status: int, *, too_large: bool = False, message: str = "") -> JsonResponse:
    body = _status_body(status, too_large=too_large)
    if message:
        body["message"] = message
    return JsonResponse(body, status=status)


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any path under /api/v1/ the API does not have (after its own routes)."""
    return error_response(404)


class JsonErrors:
    """Middleware (first in MIDDLEWARE): an error answer under /api/ that is not JSON (ninja's
    405 "Method not allowed", a page of Django's) gets the API's JSON error as its body, with
    the same status and headers (Allow, the security headers). In DEBUG a 500 keeps Django's
    page with its traceback."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not is_api(request)
            or response.get("Content-Type", "").startswith("application/json")
            or (settings.DEBUG and response.status_code >= 500)
        ):
            return response
        replaced = error_response(response.status_code)
        if response.streaming:
            return replaced
        # The same answer with the JSON body: its headers (Allow, the security headers) stay.
        response.content = replaced.content
        response["Content-Type"] = replaced["Content-Type"]
        return response


def register(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict) -> HttpResponse:
        return api.create_response(request, body, status=status)

    def on_service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        return respond(request, exc.status, exc.said())

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        # A malformed id in the path names nothing that exists: that is a 404, not a 400.
        if any(e.get("loc", ("",))[0] == "path" for e in exc.errors):
            return respond(request, 404, error_body("not_found", NOT_FOUND))
        fields = field_messages(exc.errors)
        return respond(request, 400, error_body("validation_error", INVALID_PAYLOAD, fields))

    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(request, 401, error_body("unauthenticated", UNAUTHENTICATED))
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # Ninja raises these in English; the one a client meets is an unreadable body.
        if exc.status_code == 400:
            return respond(request, 400, error_body("validation_error", UNREADABLE))
        return respond(request, exc.status_code, error_body("http_error", str(exc)))

    def on_too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Django's limits on a request (DATA_UPLOAD_MAX_NUMBER_FILES, _FIELDS, _MEMORY_SIZE).
        return respond(request, 400, error_body("request_too_large", TOO_LARGE))

    def on_unreadable_multipart(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Normally refused by banding.api.checks first; a body read later is refused alike.
        return respond(request, 400, error_body("validation_error", UNREADABLE_MULTIPART))

    def on_body_read(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A multipart body too large to keep (banding.api.checks keeps the smaller ones),
        # sent to an operation that reads JSON: its stream was read as a form.
        return respond(request, 400, error_body("validation_error", UNREADABLE))

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body("not_found", NOT_FOUND))

    def on_crash(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Logged as Django logs an unhandled exception, so operators see the traceback.
        logger.error("Internal Server Error: %s", request.path, exc_info=exc)
        return respond(request, 500, error_body("server_error", SERVER_ERROR))

    _handle(api, Exception, on_crash)
    _handle(api, ServiceError, on_service_error)
    _handle(api, ValidationError, on_validation_error)
    _handle(api, AuthenticationError, on_unauthenticated)
    _handle(api, HttpError, on_http_error)
    _handle(api, Http404, on_not_found)
    _handle(api, MultiPartParserError, on_unreadable_multipart)
    _handle(api, RawPostDataException, on_body_read)
    for limit in (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        _handle(api, limit, on_too_large)
