"""Session limits (OWASP ASVS L2, 3.3): a signed-in session ends after a spell without
activity (BANDING_SESSION_IDLE_MINUTES_STAFF for institute staff, _CUSTOMER for customers) and,
whatever the activity, once it is BANDING_SESSION_MAX_HOURS old.

The middleware keeps two instants in the session: when the user signed in and when they were
last active. A request past either limit is signed out (with an audit event) and goes on as an
anonymous one, so a page that needs a login sends the user to the login page, where the
message says why. Pages with a form carry a notice (includes/session_notice.html, driven by
js/session.js) that appears a few minutes before the idle limit and keeps the session alive
through `session_keepalive`; `session_status` tells the script what is left without counting
as activity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from banding.accounts.lockout import client_ip
from banding.accounts.models import User
from banding.accounts.roles import is_customer
from banding.audit.actions import Action
from banding.audit.log import record

LOGIN_AT = "banding_login_at"
SEEN_AT = "banding_seen_at"
AS_CUSTOMER = "banding_as_customer"  # whose idle limit: the customers' or the staff's
# Activity is written to the session at most this often (a session write per request would be
# a database write per page); the idle limit is therefore exact to within this many seconds.
SEEN_GRANULARITY = 30


@dataclass(frozen=True)
class Remaining:
    idle: int  # seconds until the idle limit
    absolute: int  # seconds until the session's maximum age
    idle_limit: int  # the idle limit itself, seconds

    @property
    def warn(self) -> int:
        return warn_seconds()

    @property
    def warn_minutes(self) -> int:
        return warn_seconds() // 60

    @property
    def max_hours(self) -> str:
        return f"{settings.BANDING_SESSION_MAX_HOURS:g}"

    def as_json(self) -> dict[str, int]:
        return {
            "idle_seconds": max(0, self.idle),
            "absolute_seconds": max(0, self.absolute),
            "idle_limit_seconds": self.idle_limit,
            "warn_seconds": warn_seconds(),
        }


def idle_limit(*, customer: bool) -> int:
    """The idle limit, in seconds: customers' is longer than staff's."""
    minutes = (
        settings.BANDING_SESSION_IDLE_MINUTES_CUSTOMER
        if customer
        else settings.BANDING_SESSION_IDLE_MINUTES_STAFF
    )
    return int(minutes) * 60


def absolute_limit() -> int:
    return int(settings.BANDING_SESSION_MAX_HOURS * 3600)


def warn_seconds() -> int:
    return int(settings.BANDING_SESSION_WARN_MINUTES) * 60


def _now() -> int:
    return int(timezone.now().timestamp())


def started(
    sender: Any, request: HttpRequest | None = None, user: User | None = None, **kwargs: Any
) -> None:
    """At sign-in (the user_logged_in signal): the session's clocks start now, and it notes
    whose limit applies, so that the middleware reads only the session on each request."""
    if request is None or not hasattr(request, "session"):
        return
    now = _now()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    request.session[AS_CUSTOMER] = user is not None and is_customer(user)


def remaining(request: HttpRequest) -> Remaining | None:
    """What is left of this signed-in session, or None without a session login."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return None
    now = _now()
    login_at = session.get(LOGIN_AT, now)
    seen_at = session.get(SEEN_AT, login_at)
    customer = session.get(AS_CUSTOMER)
    if customer is None:  # a session from before these limits
        customer = session[AS_CUSTOMER] = is_customer(request.user)
    limit = idle_limit(customer=customer)
    return Remaining(
        idle=seen_at + limit - now, absolute=login_at + absolute_limit() - now, idle_limit=limit
    )


class SessionLimits:
    """Signs out a session past its idle limit or maximum age; records activity otherwise."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        left = remaining(request)
        if left is not None:
            if left.idle <= 0 or left.absolute <= 0:
                _expire(request, "idle" if left.idle <= 0 else "absolute", left)
                if request.headers.get("HX-Request") == "true":
                    # A part of a page: the whole page goes to the login page, which comes
                    # back to it afterwards.
                    page = urlsplit(request.headers.get("HX-Current-URL", "")).path or "/"
                    return HttpResponseClientRedirect(redirect_to_login(page)["Location"])
            elif request.path != reverse("session_status"):
                now = _now()
                session = request.session
                if LOGIN_AT not in session:  # a session from before these limits
                    session[LOGIN_AT] = now
                if now - session.get(SEEN_AT, 0) >= SEEN_GRANULARITY:
                    session[SEEN_AT] = now
        return self.get_response(request)


def _expire(request: HttpRequest, reason: str, left: Remaining) -> None:
    user = request.user
    if not user.is_authenticated:  # a session Django no longer honours (password changed)
        logout(request)
        return
    # Said on the login page, which is always in Indonesian (whatever the portal's language).
    with translation.override(settings.LANGUAGE_CODE):
        if reason == "idle":
            minutes = left.idle_limit // 60
            summary = f"Sesi {user.username} berakhir: tidak aktif {minutes} menit"
            message = gettext(
                "Sesi Anda berakhir karena tidak ada aktivitas selama %(minutes)d menit. "
                "Silakan masuk lagi."
            ) % {"minutes": minutes}
        else:
            hours = settings.BANDING_SESSION_MAX_HOURS
            summary = f"Sesi {user.username} berakhir: batas {hours:g} jam sejak masuk"
            message = gettext(
                "Sesi Anda berakhir karena sudah %(hours)s jam sejak Anda masuk. "
                "Silakan masuk lagi."
            ) % {"hours": f"{hours:g}"}
    with transaction.atomic():
        record(
            action=Action.ACCOUNT_SESSION_EXPIRED,
            summary=summary,
            actor=user,
            data={"reason": reason, "ip": client_ip(request)},
        )
    logout(request)  # a new, empty session: the messages below travel in it
    messages.warning(request, message)


def context(request: HttpRequest) -> dict[str, Any]:
    """The session notice's numbers for the page (includes/session_notice.html)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"session_remaining": None}
    return {"session_remaining": remaining(request)}


def _answer(left: Remaining | None) -> HttpResponse:
    if left is None:  # signed out (perhaps by the middleware, just now)
        response = JsonResponse(
            {"expired": True, "detail": gettext("Sesi Anda sudah berakhir. Silakan masuk lagi.")},
            status=401,
        )
    else:
        response = JsonResponse({"expired": False, **left.as_json()})
    add_never_cache_headers(response)
    return response


@require_GET
def status(request: HttpRequest) -> HttpResponse:
    """What is left of the session; not counted as activity (the middleware skips it)."""
    return _answer(remaining(request))


@require_POST
def keepalive(request: HttpRequest) -> HttpResponse:
    """ "Tetap masuk": the request itself is the activity; recorded here to the second."""
    if remaining(request) is not None:
        request.session[SEEN_AT] = _now()
    return _answer(remaining(request))
