"""POST /banding/<uuid>/undangan/: a panel member invites the customer (the note on SOP
step 7). The invitations card of the appeal page is the inclusion tag `invitations_card`
(templatetags/hearing.py); a refusal re-renders that card (htmx) or the whole page with the
bound form and the service's message, with the service's status."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from banding.accounts.http import AuthedRequest
from banding.accounts.models import User
from banding.appeals import invitations
from banding.appeals.forms.invitations import InvitationForm
from banding.appeals.models import Appeal, Document, PanelSeat, Status
from banding.appeals.views.common import appeal_or_404, staff_required
from banding.appeals.views.detail import TEMPLATE, detail_context
from banding.errors import Invalid, ServiceError, said

CARD = "appeals/invitations/card.html"
INVALID_FORM = N_("Periksa kembali isian undangan yang ditandai.")
AUTO_ID = "undangan-%s"


def new_form() -> InvitationForm:
    return InvitationForm(auto_id=AUTO_ID)


def card_context(
    appeal: Appeal,
    user: User,
    seats: list[PanelSeat] | None = None,
    *,
    documents: Sequence[Document] | None = None,
    reached: Collection[int] | None = None,
    form: InvitationForm | None = None,
    error: str = "",
) -> dict[str, Any]:
    """What the card shows: the invitations with their answers and, for a declared member
    of the panel while the appeal stands at step 7 or 9, the invite form. `seats` and
    `documents` (all of the appeal's), when the page has them loaded already, save a query
    each; so do the step numbers `reached` (no invitation before the panel's steps)."""
    if seats is None:
        seats = list(appeal.panel_seats.select_related("user"))
    seat = next((s for s in seats if s.user_id == user.pk), None)
    at_step = appeal.status == Status.OPEN and appeal.current_step in invitations.INVITING_STEPS
    panel_here = seat is not None and user.is_active and at_step
    declared = seat is not None and seat.declared_at is not None
    may_invite = panel_here and declared
    return {
        "appeal": appeal,
        "rows": invitations.invitations_of(appeal, documents, reached=reached),
        "may_invite": may_invite,
        "declare_first": panel_here and not declared,
        "invitation_form": (form or new_form()) if may_invite else None,
        "invitation_error": error,
    }


def _refused(
    request: AuthedRequest, appeal: Appeal, form: InvitationForm | None, message: str, status: int
) -> HttpResponse:
    if request.htmx:
        context = card_context(appeal, request.user, form=form, error=said(message))
        return render(request, CARD, context, status=status)
    # The whole page: the message at its top (where every refusal is said), the fields'
    # errors on the card's form.
    context = detail_context(request, appeal, error=message)
    context.update(invitation_form=form)
    return render(request, TEMPLATE, context, status=status)


@staff_required
@require_POST
def invite(request: AuthedRequest, public_id: Any) -> HttpResponse:
    appeal = appeal_or_404(request, public_id)
    form = InvitationForm(request.POST, auto_id=AUTO_ID)
    try:
        if not form.is_valid():
            # Who and when first: the wrong person or state hears that, not about fields.
            invitations.require_may_invite(request.user, appeal)
            return _refused(request, appeal, form, INVALID_FORM, 400)
        invitations.invitation_send(appeal=appeal, user=request.user, **form.cleaned_data)
    except ServiceError as error:
        shown: InvitationForm | None = None  # the form does not apply to this user or state
        if isinstance(error, Invalid):
            form.apply_service_error(error)
            shown = form
        appeal.refresh_from_db()
        return _refused(request, appeal, shown, error.message, error.status)
    messages.success(
        request,
        _("Undangan kepada pelanggan banding %(number)s dikirim.") % {"number": appeal.number},
    )
    # No "#undangan": an HX-Redirect to the same page with only a fragment added would
    # scroll instead of loading the page (and its message).
    url = reverse("appeals:detail", args=[appeal.public_id])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
