"""The language of each request, and the portal's language switch.

Staff work in Indonesian: every page outside the portal (the workspace, /admin/, letters,
reports, exports, the login page) is rendered in Indonesian whatever the browser asks for,
so dates read "5 Desember 2026". The customer's pages (/portal/), the public verification page
a letter's QR code opens (/verifikasi/: whoever received the letter) and the API (/api/)
follow the customer: the account's stored choice when logged in (an API token's account: see
banding.api.auth), else the language cookie set by the switch, else the browser's
Accept-Language, else Indonesian. Only Indonesian and English are offered."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from banding.accounts.http import local_path
from banding.accounts.language import INDONESIAN, known, refuse_unknown, user_language_set
from banding.accounts.roles import is_internal
from banding.errors import ServiceError, said

CUSTOMER_PREFIXES = ("/portal/", "/verifikasi/", "/api/")
COOKIE_MAX_AGE = 365 * 24 * 60 * 60


def customer_path(path: str) -> bool:
    return path.startswith(CUSTOMER_PREFIXES)


def customer_language(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        chosen = known(getattr(user, "language", ""))
        if chosen:
            return chosen
    chosen = known(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen:
        return chosen
    # Accept-Language, reduced to an offered language; Indonesian when none is offered.
    return known(translation.get_language_from_request(request)) or INDONESIAN


class LanguageMiddleware:
    """Replaces Django's LocaleMiddleware; placed after AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        customer = customer_path(request.path_info)
        language = customer_language(request) if customer else INDONESIAN
        request.LANGUAGE_CODE = language
        # override, not activate: the thread's language is restored after the response, so a
        # customer's English never leaks into what the same thread does next.
        with translation.override(language):
            response = self.get_response(request)
        if customer:
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response


@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    """The portal's id/EN switch: stored on a logged-in account (audited) and in a cookie for
    the pages seen before logging in. An unknown code is refused (400), nothing written."""
    code = request.POST.get("language", "")
    try:
        # Staff work in Indonesian: only a customer's (or a registrant's) account stores it.
        if request.user.is_authenticated and not is_internal(request.user):
            user_language_set(user=request.user, language=code)
        else:
            refuse_unknown(code)
    except ServiceError as error:
        return render(request, "portal/bahasa.html", {"error": said(error.message)}, status=400)
    language = known(code) or INDONESIAN
    target = local_path(request, request.POST.get("next", ""))
    response = redirect(target if target and customer_path(target) else "/portal/")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=COOKIE_MAX_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response
