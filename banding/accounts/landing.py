"""Where a user lands: institute staff where their work is (Tugas saya for those who act on
the SOP's steps, the dashboard for the head, the audit log for the auditor), everyone else
(customers, and registrants waiting for confirmation) in the customer portal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from banding.accounts.models import User
from banding.accounts.roles import Role, is_internal, roles_of

# Roles whose work arrives as turns in Tugas saya: with one of them, a user lands there
# whatever else they hold.
WORKING_ROLES = frozenset({Role.PJTK_STAFF, Role.PJTK_LEAD, Role.TECHNICAL, Role.ADMIN})


def home_url(user: User | AnonymousUser) -> str:
    if is_internal(user):
        roles = roles_of(user)
        if roles & WORKING_ROLES:
            return reverse("appeals:inbox")
        # The head oversees (the dashboard; their few turns are one click away in Tugas
        # saya), the auditor reads the log: neither lands on an inbox that is mostly empty.
        if Role.HEAD in roles:
            return reverse("reports:dashboard")
        if Role.AUDITOR in roles:
            return reverse("audit:log")
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
