"""The request as a view sees it, for the type checker: django-htmx's middleware has set
`htmx`, and behind a login the user is an account, never anonymous."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from banding.accounts.models import User


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class AuthedRequest(HtmxRequest):
    """A request past `login_required` (or the staff gate built on it)."""

    user: User
