"""Writing notices and marking them read: the only code that changes Notification rows.

`notify` is called by the code that decides a notice is due (the deadline sweep, and
banding.notifications.events when a step opens or a milestone is reached), inside that code's
transaction. Every channel reads the same rows: the in-app list and the navbar count, and the
e-mail that notify queues in the outbox for each notice, so a notice is written once whatever
reaches the person.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from banding.accounts.models import User
from banding.appeals.errors import NotFound
from banding.appeals.models import Appeal, Step
from banding.audit.log import record
from banding.notifications.links import portal_url, staff_url
from banding.notifications.models import CUSTOMER_KINDS, Kind, Notification
from banding.notifications.outbox import enqueue_all, new_mail

NOT_FOUND = "Notifikasi tidak ditemukan."


def notify(
    *,
    recipients: Iterable[User | int],
    kind: Kind | str,
    appeal: Appeal,
    step: Step | None,
    message: str,
    email: bool = True,
    mail_context: dict[str, Any] | None = None,
) -> list[Notification]:
    """Write one notice per recipient and, unless `email` is false, queue its e-mail (kind
    = the notice's kind: templates notifications/email/<kind>-*; context `message`, `link`
    and `mail_context`) to each recipient who has an address — so do not also call
    mail_enqueue for them. A person holds at most one notice of a kind about a step (a unique
    constraint), so a concurrent caller never duplicates it; when a deadline moved and the
    sweep tells again, that notice is renewed: new text, unread again, e-mailed again. Runs
    inside the caller's transaction: the notices and mails commit or roll back with the
    change they tell about. Four queries however many recipients."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Notices are written inside the transaction of what they tell.")
    ids = sorted({r.pk if isinstance(r, User) else int(r) for r in recipients})
    if not ids:
        return []
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
    # The rows just inserted or renewed (an upsert does not return them everywhere): this
    # instant, this step and kind.
    notices = list(
        Notification.objects.filter(
            recipient_id__in=ids, kind=kind, appeal=appeal, step=step, created_at=now
        )
        .select_related("recipient")
        .order_by("recipient_id")
    )
    if email:
        link = portal_url(appeal) if kind in CUSTOMER_KINDS else staff_url(appeal)
        context = {"message": message, "link": link, **(mail_context or {})}
        enqueue_all(
            new_mail(
                kind=str(kind),
                to_user=notice.recipient,
                appeal=appeal,
                notification=notice,
                context=context,
            )
            for notice in notices
        )
    return notices


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
