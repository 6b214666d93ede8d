"""Writing notices and marking them read: the only code that changes Notification rows.

`notify` is called by the code that decides a notice is due (the deadline sweep now), inside
that code's transaction. Every channel reads the same rows: the in-app list and the navbar
count now, e-mail delivery later, so a notice is written once whatever reaches the person.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from banding.accounts.models import User
from banding.appeals.errors import NotFound
from banding.appeals.models import Appeal, Step
from banding.audit.log import record
from banding.notifications.models import Kind, Notification

NOT_FOUND = "Notifikasi tidak ditemukan."


def notify(
    *,
    recipients: Iterable[User | int],
    kind: Kind | str,
    appeal: Appeal,
    step: Step | None,
    message: str,
) -> None:
    """Write one notice per recipient. A person holds at most one notice of a kind about a
    step (a unique constraint), so a concurrent caller never duplicates it; when a deadline
    moved and the sweep tells again, that notice is renewed: new text, unread again. Runs
    inside the caller's transaction: the notices commit or roll back with the change they
    tell about."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Notices are written inside the transaction of what they tell.")
    ids = sorted({r.pk if isinstance(r, User) else int(r) for r in recipients})
    if not ids:
        return
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user_id,
                kind=kind,
                appeal=appeal,
                step=step,
                message=message,
                created_at=now,
            )
            for user_id in ids
        ],
        update_conflicts=True,
        unique_fields=["recipient", "step", "kind"],
        update_fields=["message", "created_at", "read_at"],
    )


def _own(user: User, public_id) -> Notification:
    try:
        found = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("appeal", "step")
            .filter(recipient=user, public_id=public_id)
            .first()
        )
    except (ValidationError, ValueError, TypeError):
        found = None
    if found is None:
        # Someone else's notice is "not found" too: never reveal that it exists.
        raise NotFound(NOT_FOUND)
    return found


def notification_read(*, user: User, public_id) -> Notification:
    """Mark one of the user's own notices read. Reading it again changes nothing."""
    with transaction.atomic():
        notification = _own(user, public_id)
        if notification.read_at is not None:
            return notification
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        record(
            action="notification.read",
            actor=user,
            summary=f"Notifikasi dibaca: {notification.message}",
            data={
                "notification": str(notification.public_id),
                "kind": notification.kind,
                "appeal": notification.appeal.number,
            },
        )
    return notification


def notifications_read_all(*, user: User) -> int:
    """Mark every unread notice of the user read; returns how many."""
    with transaction.atomic():
        now = timezone.now()
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
            read_at=now
        )
        if count:
            record(
                action="notification.read_all",
                actor=user,
                summary=f"{count} notifikasi ditandai dibaca",
                data={"count": count},
            )
    return count
