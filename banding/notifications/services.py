"""Writing notices and marking them read: the only code that changes Notification rows.

`notify` is called by the code that decides a notice is due (the deadline sweep, and
banding.notifications.events when a step opens or a milestone is reached), inside that code's
transaction. Every channel reads the same rows: the in-app list and the navbar count, and the
e-mail that notify queues in the outbox for each notice (or, for the deadline sweep's notices,
the digest that lists it: banding.notifications.digests), so a notice is written once whatever
reaches the person.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.appeals.models import Appeal, Step
from banding.audit.actions import Action
from banding.audit.log import record
from banding.errors import NotFound
from banding.notifications.links import portal_url, staff_url
from banding.notifications.models import CUSTOMER_KINDS, DIGEST_KINDS, Kind, Notification
from banding.notifications.outbox import enqueue_all, new_mail
from banding.rows import write_rows

NOT_FOUND = N_("Notifikasi tidak ditemukan.")


@dataclass(frozen=True)
class Notice:
    """Something to tell some people: `notify`'s arguments, for `notify_all`."""

    recipients: Iterable[User | int]
    kind: Kind | str
    appeal: Appeal
    step: Step | None
    message: str
    email: bool = True
    mail_context: dict[str, Any] | None = None


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
    mail_enqueue for them; a deadline notice (DIGEST_KINDS) is not mailed alone but marked to
    wait for its person's next digest. A person holds at most one notice of a kind about a
    step (a unique constraint), so a concurrent caller never duplicates it; when a deadline
    moved and the sweep tells again, that notice is renewed: new text, unread again, e-mailed
    (or waiting for a digest) again. Runs inside the caller's transaction: the notices and
    mails commit or roll back with the change they tell about. `notify_all` with one notice."""
    return notify_all(
        [
            Notice(
                recipients=recipients,
                kind=kind,
                appeal=appeal,
                step=step,
                message=message,
                email=email,
                mail_context=mail_context,
            )
        ]
    )


def notify_all(notices: Sequence[Notice], *, returning: bool = True) -> list[Notification]:
    """Write several notices as `notify` writes one (several kinds, appeals and steps at
    once: a batch intake tells about each new appeal), in four queries however many: the
    notices upserted together, read back, their mails and the task that delivers them.
    Returns the notices in the order given, each one's recipients by id. With `returning`
    false, notices that are not mailed alone (the deadline sweep's: they wait for a digest)
    are not read back: one query however many, and nothing returned."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Notices are written inside the transaction of what they tell.")
    now = timezone.now()
    wanted: dict[tuple, tuple[int, Notice]] = {}  # (recipient, appeal, step, kind) -> notice
    for index, notice in enumerate(notices):
        step_id = notice.step.pk if notice.step is not None else None
        for user_id in sorted({r.pk if isinstance(r, User) else int(r) for r in notice.recipients}):
            # One upsert may not touch a row twice: the first notice of a key is written.
            wanted.setdefault(
                (user_id, notice.appeal.pk, step_id, str(notice.kind)), (index, notice)
            )
    if not wanted:
        return []
    if not returning and not any(n.email and n.kind not in DIGEST_KINDS for n in notices):
        _upsert(wanted, now)
        return []
    rows = [
        Notification(
            recipient_id=user_id,
            kind=notice.kind,
            appeal=notice.appeal,
            step=notice.step,
            message=notice.message,
            created_at=now,
            digest_pending=notice.email and notice.kind in DIGEST_KINDS,
            digest=None,
        )
        for (user_id, *_), (_, notice) in wanted.items()
    ]
    Notification.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["recipient", "step", "kind"],
        update_fields=UPSERTED,
    )
    # The rows just inserted or renewed (an upsert does not return them everywhere): this
    # instant, these people, appeals and kinds.
    found = Notification.objects.filter(
        created_at=now,
        recipient_id__in={key[0] for key in wanted},
        appeal_id__in={key[1] for key in wanted},
        kind__in={key[3] for key in wanted},
    ).select_related("recipient")
    written = sorted(
        (
            (*wanted[key], n)
            for n in found
            if (key := (n.recipient_id, n.appeal_id, n.step_id, n.kind)) in wanted
        ),
        key=lambda item: (item[0], item[2].recipient_id),
    )
    mails = [
        new_mail(
            kind=str(notice.kind),
            to_user=n.recipient,
            appeal=notice.appeal,
            notification=n,
            context={
                "message": notice.message,
                "link": (portal_url if notice.kind in CUSTOMER_KINDS else staff_url)(notice.appeal),
                **(notice.mail_context or {}),
            },
        )
        for _, notice, n in written
        # A deadline notice waits for its person's digest (banding.notifications.digests).
        if notice.email and notice.kind not in DIGEST_KINDS
    ]
    enqueue_all(mails)
    return [n for _, _, n in written]


# What a notice told again renews (notification_once_per_step: recipient, step, kind).
UPSERTED = ["message", "created_at", "read_at", "digest_pending", "digest"]


def time_ordered_uuid() -> UUID:
    """A version-7 UUID (RFC 9562: the Unix time in milliseconds, then 74 random bits): as
    unguessable for a link as uuid4, but the ids of one batch sort together, so the unique
    index on public_id takes them as a few appended pages instead of one random page each
    (a batch of 4,000 notices dirtied 4,000 pages of that index: on 100,000 steps, half the
    sweep's time)."""
    return UUID(int=_time_ordered())


def time_ordered_hex() -> str:
    """time_ordered_uuid() as SQLite's UUIDField stores it (32 hex digits), without making
    the UUID object (the deadline sweep's notices: a few hundred thousand)."""
    return f"{_time_ordered():032x}"


def _time_ordered() -> int:
    value = (time.time_ns() // 1_000_000) << 80 | secrets.randbits(80)
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    return (value & ~(0x3 << 62)) | (0x2 << 62)  # variant RFC 9562


def _upsert(wanted: dict[tuple, tuple[int, Notice]], now: datetime) -> None:
    """notify_all's bulk_create(update_conflicts=True) as INSERT … ON CONFLICT DO UPDATE
    (both engines' syntax) over VALUES lists of fixed sizes (banding.rows), its parameters
    built straight from `wanted` (recipient, appeal, step, kind → notice): a model instance
    and bulk_create's preparation of every value through its field cost about 60 µs a row,
    and the deadline sweep's first run writes a few hundred thousand."""
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    columns = [
        "public_id",
        "recipient_id",
        "kind",
        "appeal_id",
        "step_id",
        "message",
        "created_at",
        "read_at",
        "digest_pending",
        "digest_id",
    ]
    # UUIDField's value for the database: the UUID, or its hex digits.
    new_id = time_ordered_uuid if connection.features.has_native_uuid_field else time_ordered_hex
    created_at = connection.ops.adapt_datetimefield_value(now)
    params = [
        (
            new_id(),
            user_id,
            kind,
            appeal_id,
            step_id,
            notice.message,
            created_at,
            None,
            notice.email and notice.kind in DIGEST_KINDS,
            None,
        )
        for (user_id, appeal_id, step_id, kind), (_, notice) in wanted.items()
    ]
    renewed = ["message", "created_at", "read_at", "digest_pending", "digest_id"]  # UPSERTED
    updates = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in renewed)
    with connection.cursor() as cursor:
        write_rows(
            cursor,
            Notification,
            columns,
            params,
            f"ON CONFLICT ({quote('recipient_id')}, {quote('step_id')}, {quote('kind')}) "
            f"DO UPDATE SET {updates}",
        )


def _own(user: User, public_id: UUID | str) -> Notification:
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


def notification_read(*, user: User, public_id: UUID | str) -> Notification:
    """Mark one of the user's own notices read. Reading it again changes nothing."""
    with transaction.atomic():
        notification = _own(user, public_id)
        if notification.read_at is not None:
            return notification
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        record(
            action=Action.NOTIFICATION_READ,
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
                action=Action.NOTIFICATION_READ_ALL,
                actor=user,
                summary=f"{count} notifikasi ditandai dibaca",
                data={"count": count},
            )
    return count
