"""Context the portal's appeal page gets from other features (panel invitations, the
satisfaction survey): `appeal_extras` is called by banding.portal.views.appeal and its
result merged into the page context, for the includes portal/_invitations.html and
portal/_survey.html."""

from __future__ import annotations

from django.http import HttpRequest

from banding.appeals.models import Appeal


def appeal_extras(request: HttpRequest, appeal: Appeal) -> dict:
    # Imported here: the hearing views use the portal views' decorator, and the portal views
    # import this module.
    from banding.portal.hearing_views import hearing_context

    return {**hearing_context(appeal)}
