"""The e-mail outbox: every e-mail is a Mail row, written with the task that delivers it in
the transaction of the action that causes it, so a committed action always yields its mails
and an aborted one none (DESIGN principle 4).

Delivery (`mail_deliver`, run by the task `deliver_mail` in `banding worker`; both in
banding.notifications.tasks, since a failed delivery enqueues the task again):
  1. claim the row with a conditional UPDATE (queued → sending WHERE state = queued AND
     next_attempt_at <= now): of two workers holding the same task, or a task and the
     outbox sweep, exactly one matches the row, and only that one sends;
  2. render it from its template files (banding.notifications.rendering) and send it through
     django.core.mail.mailers.default, with a Message-ID chosen once and kept for retries;
  3. mark it sent and, when it belongs to an appeal, write an `email.sent` event on the
     appeal's timeline; or, when the mail server failed, put it back in the queue with an
     exponential backoff (1, 2, 4, … minutes, at most an hour) and a new task to run then,
     until BANDING_MAIL_MAX_ATTEMPTS attempts have failed (then `failed`, an `email.failed`
     event, and the admin's "kirim ulang").

A worker that dies between its claim and step 3 leaves the row in `sending`. The outbox sweep
puts such a row back in the queue after BANDING_MAIL_STALE_MINUTES: at-least-once rather than
at-most-once, because a crash while connecting or rendering (then nothing was sent) is far more
likely than one in the instant between the server's acceptance and our commit, and a mail the
customer never gets is worse than a rare duplicate (which carries the same Message-ID, so a
mail client can recognise it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from threading import local
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from banding.accounts.roles import Role, has_role
from banding.audit.actions import Action
from banding.audit.log import record
from banding.errors import Forbidden
from banding.notifications import tasks
from banding.notifications.models import Mail, MailState, Notification

if TYPE_CHECKING:
    from banding.accounts.models import User
    from banding.appeals.models import Appeal

KIND = re.compile(r"^[a-z][a-z0-9_]{0,39}$")  # a template base name, nothing else
# A queued mail whose task should have run this long ago is sent by the outbox sweep.
ORPHAN_GRACE = timedelta(minutes=2)


def stale_after() -> timedelta:
    return timedelta(minutes=max(1, settings.BANDING_MAIL_STALE_MINUTES))


# --- enqueueing ----------------------------------------------------------------------------


def new_mail(
    *,
    kind: str,
    to_user: User | None = None,
    to_address: str = "",
    appeal: Appeal | None = None,
    notification: Notification | None = None,
    context: dict[str, Any] | None = None,
) -> Mail:
    """An unsaved outbox row; its address is the account's e-mail, else `to_address`."""
    if not KIND.match(kind):
        raise ValueError(f"Not a mail kind (a template base name): {kind!r}")
    address = ((to_user.email if to_user is not None else "") or to_address or "").strip()
    return Mail(
        kind=kind,
        to_user=to_user,
        to_address=address,
        appeal=appeal,
        notification=notification,
        context=context or {},
    )


_collecting = local()


@contextmanager
def collected() -> Iterator[None]:
    """Gather the mails that the block enqueues and write them all as it ends (still inside
    the caller's transaction): two inserts for the whole block instead of two per
    `enqueue_all`, for an action that tells several people several things at once (an
    intake). An exception in the block writes nothing. Blocks do not nest: an inner one
    joins the outer one."""
    if getattr(_collecting, "rows", None) is not None:
        yield
        return
    _collecting.rows = []
    try:
        yield
        rows = _collecting.rows
    finally:
        _collecting.rows = None
    _write(rows)


def enqueue_all(mails: Iterable[Mail]) -> list[Mail]:
    """Write the rows that have an address, and one task that delivers them, in the caller's
    transaction: two inserts however many mails (inside `collected`, at the block's end,
    when the rows get their ids)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Mails are enqueued inside the transaction of what causes them.")
    rows = [m for m in mails if m.to_address]
    pending = getattr(_collecting, "rows", None)
    if pending is not None:
        pending.extend(rows)
    else:
        _write(rows)
    return rows


def _write(rows: list[Mail]) -> None:
    if not rows:
        return
    now = timezone.now()
    for row in rows:
        row.created_at = row.next_attempt_at = now
    Mail.objects.bulk_create(rows)
    tasks.deliver_mail.enqueue(*[row.pk for row in rows])


def mail_enqueue(
    *,
    kind: str,
    to_user: User | None = None,
    to_address: str = "",
    appeal: Appeal | None = None,
    notification: Notification | None = None,
    context: dict[str, Any] | None = None,
) -> Mail | None:
    """Queue one e-mail (templates notifications/email/<kind>-subject.txt, -body.txt,
    -body.html) in the caller's transaction. No address (no account e-mail, no `to_address`):
    nothing is written, None is returned. `context` must be JSON-serialisable; the mail is
    rendered with it, `user`, `appeal`, `notification` and `public_url` when it is sent."""
    rows = enqueue_all(
        [
            new_mail(
                kind=kind,
                to_user=to_user,
                to_address=to_address,
                appeal=appeal,
                notification=notification,
                context=context,
            )
        ]
    )
    return rows[0] if rows else None


# --- sweeping ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    requeued: int = 0  # stuck in "sending" and put back in the queue

    def __bool__(self) -> bool:
        return bool(self.sent or self.retried or self.failed or self.requeued)

    def __str__(self) -> str:
        text = f"{self.sent} surel terkirim, {self.retried} dicoba lagi nanti, {self.failed} gagal"
        return f"{text}, {self.requeued} macet dikembalikan ke antrean" if self.requeued else text


def mail_deliver_pending(*, older_than: timedelta | None = None) -> DeliveryResult:
    """Send every mail ready now, one by one, here and now (tests; the worker's sweep with
    `older_than` for mails whose own task should have sent them already)."""
    cutoff = timezone.now() - (older_than or timedelta(0))
    ids = list(
        Mail.objects.filter(state=MailState.QUEUED, next_attempt_at__lte=cutoff)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
    )
    outcomes = [tasks.mail_deliver(pk) for pk in ids]
    return DeliveryResult(
        sent=outcomes.count(tasks.Outcome.SENT),
        retried=outcomes.count(tasks.Outcome.RETRY),
        failed=outcomes.count(tasks.Outcome.FAILED),
    )


def mail_requeue_stale() -> int:
    """Put mails left in "sending" by a worker that died back in the queue, each with a new
    task (at-least-once: see the module notes). Returns how many."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Mail.objects.filter(state=MailState.SENDING, claimed_at__lt=now - stale_after())
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        # A row whose worker was only slow and has marked it sent meanwhile is left alone;
        # the extra task then finds nothing to claim.
        Mail.objects.filter(pk__in=ids, state=MailState.SENDING).update(
            state=MailState.QUEUED,
            next_attempt_at=now,
            last_error="Pengirim berhenti di tengah pengiriman; dicoba lagi.",
        )
        if ids:
            tasks.deliver_mail.enqueue(*ids)
    return len(ids)


def outbox_sweep() -> DeliveryResult:
    """The worker's periodic job: requeue stuck mails, send mails whose task did not."""
    requeued = mail_requeue_stale()
    result = mail_deliver_pending(older_than=ORPHAN_GRACE)
    return DeliveryResult(
        sent=result.sent, retried=result.retried, failed=result.failed, requeued=requeued
    )


def mail_resend(*, user: User, mails: Iterable[Mail]) -> int:
    """An administrator sends failed mails again: back in the queue with fresh attempts.
    Mails sent or still in the queue are left alone. Returns how many were requeued."""
    if not has_role(user, Role.ADMIN):
        raise Forbidden(N_("Hanya administrator yang dapat mengirim ulang surel."))
    now = timezone.now()
    with transaction.atomic():
        chosen = list(
            Mail.objects.select_related("appeal")
            .filter(pk__in=[m.pk for m in mails], state=MailState.FAILED)
            .order_by("pk")
        )
        Mail.objects.filter(pk__in=[m.pk for m in chosen], state=MailState.FAILED).update(
            state=MailState.QUEUED, attempts=0, next_attempt_at=now
        )
        for mail in chosen:
            record(
                action=Action.EMAIL_RESEND,
                actor=user,
                appeal=mail.appeal,
                summary=f"Surel kepada {mail.to_address} dijadwalkan untuk dikirim ulang",
                data={"mail": str(mail.public_id), "kind": mail.kind, "to": mail.to_address},
            )
        if chosen:
            tasks.deliver_mail.enqueue(*[m.pk for m in chosen])
    return len(chosen)
