"""The request as a view sees it, for the type checker: django-htmx's middleware has set
`htmx`, and behind a login the user is an account, never anonymous."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

from banding.accounts.models import User


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class AuthedRequest(HtmxRequest):
    """A request past `login_required` (or the staff gate built on it)."""

    user: User


def local_path(request: HttpRequest, target: str) -> str | None:
    """`target` (a form's `next` or `kembali`) when it is a path of this site, else None: a
    redirect never leaves for another host."""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None
