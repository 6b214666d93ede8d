"""The invitations card of the appeal page (the panel's invitation to the customer).

`{% invitations_card %}` reads the page's context: `appeal`, the user, the panel `seats` and
the `documents` and the steps `reached` already loaded by the staff page (no query for them
again), and, after a
refused invitation, the bound `invitation_form` and `invitation_error`."""

from __future__ import annotations

from typing import Any

from django import template

from banding.appeals.views.invitations import card_context

register = template.Library()


@register.inclusion_tag("appeals/invitations/card.html", takes_context=True)
def invitations_card(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    return card_context(
        context["appeal"],
        request.user,
        context.get("seats"),
        documents=context.get("documents"),
        reached=context.get("reached"),
        form=context.get("invitation_form"),
        error=context.get("invitation_error") or "",  # the message of a refusal, if any
    ) | {"request": request, "csrf_token": context.get("csrf_token")}
