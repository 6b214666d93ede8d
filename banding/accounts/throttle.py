"""A light limit on the account pages anyone can post to without logging in (registration,
password reset) and the public letter verification page (banding.letters.views), per client
address, and on wrong passwords given to confirm a signature, per
account. django-axes already guards the login itself.

Counted in Django's cache: with the default per-process memory cache each app process counts
for itself, which is enough to keep a script from filling the mail queue; a shared cache
(CACHES) makes the limit exact across processes."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.http import HttpRequest

from banding.accounts.lockout import client_ip

WINDOW = timedelta(hours=1)


def _count(key: str, window: timedelta) -> int:
    """Count one more under `key`; the count lives `window` from its first increment."""
    seconds = int(window.total_seconds())
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, seconds)
        return 1


def allow(request: HttpRequest, scope: str, *, limit: int) -> bool:
    """Count one request of `scope` from this address; False once it passed `limit` within
    the hour that began with its first counted request."""
    return _count(f"banding:throttle:{scope}:{client_ip(request)}", WINDOW) <= limit


def failed(scope: str, account: int, *, window: timedelta) -> None:
    """One more failure of `scope` (a wrong password confirming a signature) for an account."""
    _count(f"banding:failed:{scope}:{account}", window)


def failures(scope: str, account: int) -> int:
    return cache.get(f"banding:failed:{scope}:{account}", 0)


def forgive(scope: str, account: int) -> None:
    cache.delete(f"banding:failed:{scope}:{account}")
