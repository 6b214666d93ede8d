"""GET /banding/<uuid>/serupa/: the "Banding serupa sebelumnya" card of the appeal page.

The page loads it after itself with htmx (the search over the closed appeals costs as much as
the rest of the page); without JavaScript the card's link opens it as a page of its own. Only
the verifier (Ketua Tim PJTK), the appeal's panel, the Kepala Balai and auditors may see it,
as on the card (banding.appeals.similar.may_see)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from banding.accounts.http import AuthedRequest
from banding.appeals import similar
from banding.appeals.views.common import appeal_or_404, refuse, staff_required

TEMPLATE = "appeals/similar.html"


@staff_required
@require_GET
def similar_card(request: AuthedRequest, public_id: Any) -> HttpResponse:
    appeal = appeal_or_404(request, public_id)
    # htmx swaps the card in place; a history restore or a plain link wants the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    if not similar.may_see(request.user, appeal):
        if partial:
            context = {"appeal": appeal, "refused": similar.MAY_SEE}
            return render(request, f"{TEMPLATE}#card", context, status=403)
        return refuse(request, similar.MAY_SEE)
    found = similar.similar_to(appeal)
    context = {
        "appeal": appeal,
        "similar": found,
        "openable": similar.openable(request.user, found),
    }
    return render(request, f"{TEMPLATE}#card" if partial else TEMPLATE, context)
