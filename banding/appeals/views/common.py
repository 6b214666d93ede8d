"""What every staff view shares: the one staff-only gate and the appeal lookup."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext_noop as N_

from banding.accounts.http import AuthedRequest
from banding.accounts.landing import home_url
from banding.accounts.roles import is_internal
from banding.appeals import selectors
from banding.appeals.models import Appeal
from banding.errors import Forbidden, NotFound, said

STAFF_ONLY = N_("Halaman ini khusus pegawai Balai.")


def refuse(request: HttpRequest, message: str, *, status: int = 403) -> HttpResponse:
    return render(request, "403.html", {"message": said(message)}, status=status)


def staff_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Log in first; then only institute staff (a user holding a role) pass. A customer
    opening the staff home is sent to its portal; elsewhere customers and accounts without a
    role get the 403 page saying why."""

    @login_required
    @wraps(view)
    def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_internal(request.user):
            if request.path == "/":
                return redirect(home_url(request.user))
            return refuse(request, STAFF_ONLY)
        return view(request, *args, **kwargs)

    return wrapper


def appeal_or_404(request: AuthedRequest, public_id: Any, *, for_page: bool = False) -> Appeal:
    """The appeal the user may open: 404 for an unknown one (and another customer's), 403
    with the reason for staff without a part in it (need to know: appeals.access)."""
    try:
        return selectors.appeal_for(request.user, public_id, for_page=for_page)
    except NotFound as error:
        raise Http404(error.message) from None
    except Forbidden as error:
        # Rendered by 403.html with the message (Django's permission_denied view).
        raise PermissionDenied(said(error.message)) from None
