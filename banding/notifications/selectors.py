"""Reads of notices: one user's own, through the (recipient, read_at, -created_at) index."""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from banding.accounts.models import User
from banding.notifications.models import Notification


def for_user(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notices, unread first, newest first within each."""
    qs = Notification.objects.filter(recipient=user).select_related("appeal", "step")
    if unread_only:
        return qs.filter(read_at__isnull=True).order_by("-created_at", "-id")
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return qs.order_by(unread.desc(), "-created_at", "-id")


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
