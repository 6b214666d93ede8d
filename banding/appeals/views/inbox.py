"""Tugas saya: the open steps the user must act on, oldest first."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from banding.accounts.http import AuthedRequest
from banding.accounts.roles import Role, has_role
from banding.appeals import selectors, sla
from banding.appeals.views.common import staff_required
from banding.letters import selectors as letter_selectors
from banding.paging import Paginator

OVERDUE_SHOWN = 50
TO_SIGN_SHOWN = 20


@staff_required
@require_GET
def inbox(request: AuthedRequest) -> HttpResponse:
    paginator = Paginator(selectors.inbox(request.user), settings.BANDING_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    # Shown to the head only, and never paginated: a handful at a time at most.
    acknowledgements = list(selectors.for_acknowledgement(request.user)[:50])
    # The head's: panels that cannot act until a replacement is appointed (a handful).
    vacancies = list(selectors.panel_vacancies(request.user)[:50])
    # Drafts others prepared for this user's signature, the oldest first: a handful at a time.
    to_sign = list(letter_selectors.to_sign(request.user)[: TO_SIGN_SHOWN + 1])
    # The head's overdue list: late steps of every actor, the head's own included (those have
    # no one to escalate to). The most overdue first, a bounded number.
    overdue = (
        list(sla.overdue_steps()[: OVERDUE_SHOWN + 1]) if has_role(request.user, Role.HEAD) else []
    )
    return render(
        request,
        "appeals/inbox.html",
        {
            "page": page,
            "acknowledgements": acknowledgements,
            "vacancies": vacancies,
            "to_sign": to_sign[:TO_SIGN_SHOWN],
            "to_sign_more": len(to_sign) > TO_SIGN_SHOWN,
            "overdue": overdue[:OVERDUE_SHOWN],
            "overdue_more": len(overdue) > OVERDUE_SHOWN,
        },
    )
