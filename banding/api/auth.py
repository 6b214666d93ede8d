"""Who is calling: a personal API token (`Authorization: Bearer <token>`) or the Django
session of a logged-in browser, which must then pass the CSRF check on unsafe methods."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_noop as N_
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from banding.accounts.language import known
from banding.accounts.models import User
from banding.accounts.services import api_token_user
from banding.api.checks import check_request
from banding.errors import Forbidden

CSRF_REFUSED = N_(
    "Pemeriksaan CSRF gagal: permintaan yang mengubah data melalui sesi browser harus "
    "menyertakan header X-CSRFToken. Klien non-browser memakai token API."
)


class ApiRequest(HttpRequest):
    """A request ninja has let through `api_auth`: `auth` is the calling account."""

    auth: User


Permit = Callable[[User], None]
"""Raises Forbidden when the caller may not use an operation at all (its role)."""


class _Permits:
    """An operation that needs a role says so with `permit`: it is asked as soon as the caller
    is known, before the request's body is read, so a caller without the role gets 403 and
    not a complaint about a body it was never allowed to send. Then the request's input is
    checked (banding.api.checks)."""

    permit: Permit | None = None

    def _permitted(self, request: HttpRequest, user: User | None) -> User | None:
        if user is not None:
            if self.permit is not None:
                self.permit(user)
            # Then the request's input, once, before any operation reads it.
            check_request(request)
        return user


class TokenAuth(_Permits, HttpBearer):
    def __init__(self, permit: Permit | None = None) -> None:
        self.permit = permit
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_user(token.strip())
        # The token's account speaks its chosen language; LanguageMiddleware restores the
        # thread's language after the response.
        if user is not None and known(user.language):
            translation.activate(user.language)
        return self._permitted(request, user)


class SessionAuth(_Permits, APIKeyCookie):
    """Ninja's SessionAuth, except that an anonymous caller is simply not authenticated
    (so it gets 401, not a CSRF refusal) and the refusal is our JSON error."""

    def __init__(self, permit: Permit | None = None) -> None:
        self.permit = permit
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # A caller that sent a token is judged by the token alone: a revoked token stays
        # refused even from a browser that is also logged in.
        if "Authorization" in request.headers or not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise Forbidden(CSRF_REFUSED, code="csrf_failed")
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        # `key` is None when _get_key declined the session (token sent, or anonymous).
        # _get_key let the session through only for an authenticated user.
        user = request.user if key is not None and request.user.is_authenticated else None
        return self._permitted(request, user)


def api_auth(permit: Permit | None = None) -> list:
    """The API's callers: a token, else a browser session; with `permit`, only those whose
    role the operation admits (see _Permits)."""
    return [TokenAuth(permit), SessionAuth(permit)]
