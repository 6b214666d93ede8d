"""Template filters of the retention workflow: who sees the "Retensi arsip" menu."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import AnonymousUser

from banding.accounts.models import User
from banding.archive import access

register = template.Library()


@register.filter
def reads_retention(user: User | AnonymousUser) -> bool:
    return access.reads_retention(user)
