"""The archive card of the appeal page: retention dates and the evidence pack button."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from banding.accounts.models import User
from banding.appeals.models import Appeal
from banding.archive.destroyed import destruction_shown
from banding.archive.export import may_export
from banding.archive.retention import retention_of

register = template.Library()


@register.inclusion_tag("appeals/includes/archive.html")
def archive_card(appeal: Appeal, user: User | AnonymousUser) -> dict[str, Any]:
    retention = retention_of(appeal)
    return {
        "appeal": appeal,
        "retention": retention,
        "phase": retention.phase(timezone.localdate()) if retention else "",
        "may_export": may_export(user),
        "destruction": destruction_shown(appeal),
    }
