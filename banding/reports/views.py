"""The gate of the report pages (who reads them: banding.reports.access)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpResponseBase

from banding.accounts.http import AuthedRequest
from banding.appeals.views.common import refuse, staff_required
from banding.reports.access import reads_reports, refusal

View = Callable[..., HttpResponseBase]


def readers_only(report: str) -> Callable[[View], View]:
    """Staff only (customers and anonymous visitors as everywhere); then only report readers,
    others get the 403 page naming who may open `report`."""

    def decorate(view: View) -> View:
        @staff_required
        @wraps(view)
        def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not reads_reports(request.user):
                return refuse(request, refusal(report))
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
