"""Where a user lands: institute staff in their inbox, everyone else (customers, and
registrants waiting for confirmation) in the customer portal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from banding.accounts.models import User
from banding.accounts.roles import is_internal


def home_url(user: User | AnonymousUser) -> str:
    if is_internal(user):
        return reverse("appeals:inbox")
    try:
        return reverse("portal:home")
    except NoReverseMatch:  # the portal's appeal pages are mounted at /portal/
        return "/portal/"


@login_required
@require_GET
def after_login(request: HttpRequest) -> HttpResponse:
    """The login form's default destination (its `next` when none was asked for)."""
    return redirect(home_url(request.user))
