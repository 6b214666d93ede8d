"""What every customer page of the portal shares: the decorator that lets only customers in,
and the appeal a URL names, 404 for anyone else's."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from banding.accounts.http import AuthedRequest
from banding.accounts.roles import is_internal
from banding.appeals import selectors
from banding.appeals.models import Appeal
from banding.errors import NotFound


def customer_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Log in first; staff are sent to their workspace (to the same appeal when there is
    one), everyone else reaches the page, which shows only their organisation's data."""

    @login_required
    @wraps(view)
    def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if is_internal(request.user):
            if "public_id" in kwargs:
                return redirect("appeals:detail", public_id=kwargs["public_id"])
            return redirect("appeals:inbox")
        return view(request, *args, **kwargs)

    return wrapper


def appeal_or_404(request: AuthedRequest, public_id: Any) -> Appeal:
    """The appeal the URL names, if the user may see it; 404 otherwise (never 403)."""
    try:
        return selectors.appeal_for(request.user, public_id)
    except NotFound as error:
        raise Http404(error.message) from None
