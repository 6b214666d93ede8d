"""A light limit on the account pages anyone can post to without logging in (registration,
password reset), per client address. django-axes already guards the login itself.

Counted in Django's cache: with the default per-process memory cache each app process counts
for itself, which is enough to keep a script from filling the mail queue; a shared cache
(CACHES) makes the limit exact across processes."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.http import HttpRequest

from banding.accounts.lockout import client_ip

WINDOW = timedelta(hours=1)


def allow(request: HttpRequest, scope: str, *, limit: int) -> bool:
    """Count one request of `scope` from this address; False once it passed `limit` within
    the hour that began with its first counted request."""
    key = f"banding:throttle:{scope}:{client_ip(request)}"
    seconds = int(WINDOW.total_seconds())
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, seconds)
        count = 1
    return count <= limit
