"""The client address django-axes counts failed logins against (AXES_CLIENT_IP_CALLABLE)."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind the reverse proxy (BANDING_BEHIND_HTTPS_PROXY) the address the
    proxy appended to X-Forwarded-For. Only that last entry is trusted: earlier ones come from
    the client and could be forged to dodge the lockout."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")
