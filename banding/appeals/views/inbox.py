"""Tugas saya: the open steps the user must act on, nearest due first, in views with their
counts (selectors.InboxFilter); and taking or releasing a shared step (Saya kerjakan /
Lepaskan, banding.appeals.services.claims) from it or from the appeal page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from banding.accounts.http import AuthedRequest, local_path
from banding.accounts.roles import Role, has_role
from banding.appeals import selectors, services, sla
from banding.appeals.deadlines import DeadlineState
from banding.appeals.models import Status
from banding.appeals.selectors import InboxFilter
from banding.appeals.views.common import appeal_or_404, refuse, staff_required
from banding.appeals.views.links import RowLink, with_links
from banding.errors import ServiceError
from banding.letters import selectors as letter_selectors
from banding.paging import Paginator
from banding.sop import definition as sop

# The head's lists beside the turns (nota dinas to acknowledge, letters to sign, late steps):
# the first few, each with a link to the whole list (the register filtered, the letters to
# sign): a page of 150 rows is neither read nor quick.
SIDE_SHOWN = 10


@staff_required
@require_GET
def inbox(request: AuthedRequest) -> HttpResponse:
    # An unknown view is the default one: the link may be old, the page still useful.
    view = request.GET.get("tampil", "")
    if view not in InboxFilter.values:
        view = InboxFilter.MINE
    counts = selectors.inbox_counts(request.user)
    paginator = Paginator(selectors.inbox_pages(request.user, view), settings.BANDING_PAGE_SIZE)
    paginator.count = counts[view]  # counted above, with the other views, in one query
    page = paginator.get_page(request.GET.get("page"))
    # Shown to the head only: the oldest nota dinas, then a link to all of them.
    acknowledgements = list(selectors.for_acknowledgement(request.user)[: SIDE_SHOWN + 1])
    # The head's: panels that cannot act until a replacement is appointed (a handful).
    vacancies = list(selectors.panel_vacancies(request.user)[:50])
    # Drafts others prepared for this user's signature, the oldest first.
    to_sign = list(letter_selectors.to_sign(request.user)[: SIDE_SHOWN + 1])
    # The head's overdue list: late steps of every actor, the head's own included (those have
    # no one to escalate to). The most overdue first.
    overdue = (
        list(sla.overdue_steps()[: SIDE_SHOWN + 1]) if has_role(request.user, Role.HEAD) else []
    )
    # Every row's links, reversed once per page (views.links.RowLink), not once per row.
    detail = RowLink("appeals:detail")
    page.object_list = with_links(
        list(page.object_list),
        detail_url=detail,
        take_url=RowLink("appeals:take"),
        release_url=RowLink("appeals:release"),
    )
    for appeals in (acknowledgements, vacancies, overdue):
        with_links(appeals, detail_url=detail)
    with_links(
        to_sign,
        key=lambda letter: (letter.appeal.public_id, letter.public_id),
        url=RowLink("letters:letter", arity=2),
    )
    return render(
        request,
        "appeals/inbox.html",
        {
            "page": page,
            "view": view,
            "views": [(v.value, _(v.label), counts[v.value]) for v in InboxFilter],
            "here": request.get_full_path(),
            "acknowledgements": acknowledgements[:SIDE_SHOWN],
            "acknowledgements_more": len(acknowledgements) > SIDE_SHOWN,
            "at_step_url": _register(status=Status.OPEN, step=sop.step_of(sop.Result.PROPOSED)),
            "vacancies": vacancies,
            "to_sign": to_sign[:SIDE_SHOWN],
            "to_sign_more": len(to_sign) > SIDE_SHOWN,
            "overdue": overdue[:SIDE_SHOWN],
            "overdue_more": len(overdue) > SIDE_SHOWN,
            "overdue_url": _register(deadline=DeadlineState.OVERDUE),
            "head_delay_days": sla.head_escalation_delay() if overdue else None,
        },
    )


def _register(**filters: Any) -> str:
    """The register with these filters (banding.appeals.forms.register)."""
    return f"{reverse('appeals:register')}?{urlencode(filters)}"


def _step_number(request: AuthedRequest) -> int | None:
    """The step the user saw (the form's `langkah`); None when not given or not a number."""
    try:
        return int(request.POST["langkah"])
    except (KeyError, ValueError):
        return None


def _back(request: AuthedRequest, public_id: Any) -> str:
    """Where the form came from (`kembali`, a path of this site), else the appeal page."""
    return local_path(request, request.POST.get("kembali", "")) or reverse(
        "appeals:detail", args=[public_id]
    )


@staff_required
@require_POST
def take(request: AuthedRequest, public_id: Any) -> HttpResponse:
    """Saya kerjakan: the user takes the appeal's open step."""
    appeal = appeal_or_404(request, public_id)
    try:
        step = services.step_take(appeal=appeal, user=request.user, number=_step_number(request))
    except ServiceError as error:
        return refuse(request, error.message, status=error.status)
    messages.success(
        request,
        _("Anda mengerjakan langkah %(step)s banding %(number)s.")
        % {"step": step.number, "number": appeal.number},
    )
    return redirect(_back(request, public_id))


@staff_required
@require_POST
def release(request: AuthedRequest, public_id: Any) -> HttpResponse:
    """Lepaskan: the open step is nobody's again."""
    appeal = appeal_or_404(request, public_id)
    try:
        step = services.step_release(appeal=appeal, user=request.user, number=_step_number(request))
    except ServiceError as error:
        return refuse(request, error.message, status=error.status)
    messages.success(
        request,
        _("Langkah %(step)s banding %(number)s dilepaskan.")
        % {"step": step.number, "number": appeal.number},
    )
    return redirect(_back(request, public_id))
