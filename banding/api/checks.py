"""Every request's input, checked once before any operation reads it (banding.api.auth, as soon
as the caller is known): no text anywhere — the path, a query parameter, a form field, a JSON
string or key — with a control character (banding.inputs, the forms' check too), and a
multipart body that can be read (Django itself strips a file name's control characters and
cuts it to 255 characters). A refusal is a 400 in the API's error shape naming each field,
before anything is written."""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext_noop as N_

from banding import inputs
from banding.errors import Invalid, NotFound

INVALID_TEXT = N_("Data yang dikirim tidak valid; periksa isian yang ditandai.")
UNREADABLE_MULTIPART = N_(
    "Isi multipart/form-data tidak dapat dibaca (batas bagian hilang atau kepala bagian "
    "lebih dari 1 KB, mis. nama berkas yang sangat panjang)."
)
TOO_LARGE = N_(
    "Permintaan terlalu besar atau berisi terlalu banyak isian atau berkas; kirim dalam "
    "beberapa permintaan."
)
NOT_FOUND = N_("Tidak ditemukan.")

FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def check_request(request: HttpRequest) -> None:
    """Raises Invalid (400) or NotFound (404, a path no resource has) for a bad input."""
    if inputs.has_control_characters(request.path):
        raise NotFound(NOT_FOUND)
    errors: dict[str, list[str]] = {}
    for key, values in request.GET.lists():
        _text(errors, key, [key, *values])
    content_type = request.content_type or ""
    try:
        if request.method not in {"GET", "HEAD", "OPTIONS"} and content_type in FORMS:
            if _small(request):
                # Kept whole before the form is parsed from it: an operation that reads JSON
                # reads the body again after this check (a multipart stream parsed as a form
                # is gone). A larger upload is parsed from its stream (its files to disk).
                request.body  # noqa: B018
            for key, values in request.POST.lists():
                _text(errors, key, [key, *values])
            for key in request.FILES:
                _text(errors, key, [key])
        elif request.method not in {"GET", "HEAD", "OPTIONS"} and request.body:
            # Ninja reads any other body as JSON, whatever its declared type.
            try:
                body = json.loads(request.body)
            except (ValueError, RecursionError):
                body = None  # ninja says what is wrong with it
            for place in inputs.control_character_places(body):
                errors.setdefault(place, []).append(inputs.CONTROL_CHARACTERS)
    except MultiPartParserError:
        raise Invalid(UNREADABLE_MULTIPART, code="validation_error") from None
    except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        raise Invalid(TOO_LARGE, code="request_too_large") from None
    except RecursionError:
        raise Invalid(INVALID_TEXT, code="validation_error") from None
    if errors:
        raise Invalid(INVALID_TEXT, code="validation_error", fields=errors)


def _small(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit is None or length <= limit


def _text(errors: dict[str, list[str]], key: str, texts: list[str]) -> None:
    if any(inputs.has_control_characters(text) for text in texts):
        name = key if not inputs.has_control_characters(key) else "__all__"
        errors.setdefault(name, []).append(inputs.CONTROL_CHARACTERS)
