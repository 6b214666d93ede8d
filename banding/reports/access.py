"""Who reads the reports (dashboard, SOP monitoring, management review, survey results): the
head, the team leader, auditors and administrators. One rule, one gate for their views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from banding.accounts.roles import Role, has_role
from banding.appeals.views.common import refuse, staff_required

READER_ROLES = (Role.HEAD, Role.PJTK_LEAD, Role.AUDITOR, Role.ADMIN)
READERS = "Kepala Balai, Ketua Tim PJTK, auditor dan administrator"

View = Callable[..., HttpResponse]


def reads_reports(user) -> bool:
    return user.is_authenticated and user.is_active and has_role(user, *READER_ROLES)


def refusal(report: str) -> str:
    return f"{report} dibuka oleh {READERS}."


def readers_only(report: str) -> Callable[[View], View]:
    """Staff only (customers and anonymous visitors as everywhere); then only report readers,
    others get the 403 page naming who may open `report`."""

    def decorate(view: View) -> View:
        @staff_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not reads_reports(request.user):
                return refuse(request, refusal(report))
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
