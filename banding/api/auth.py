"""Who is calling: a personal API token (`Authorization: Bearer <token>`) or the Django
session of a logged-in browser, which must then pass the CSRF check on unsafe methods."""

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from banding.accounts.models import User
from banding.accounts.services import api_token_user
from banding.appeals.errors import Forbidden

CSRF_REFUSED = (
    "Pemeriksaan CSRF gagal: permintaan yang mengubah data melalui sesi browser harus "
    "menyertakan header X-CSRFToken. Klien non-browser memakai token API."
)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return api_token_user(token.strip())


class SessionAuth(APIKeyCookie):
    """Ninja's SessionAuth, except that an anonymous caller is simply not authenticated
    (so it gets 401, not a CSRF refusal) and the refusal is our JSON error."""

    def __init__(self) -> None:
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
        return request.user if key is not None else None


def api_auth() -> list:
    return [TokenAuth(), SessionAuth()]
