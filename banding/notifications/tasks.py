"""Background tasks of the notifications (Django's Tasks API, run by `banding worker`): the
delivery of the outbox's mails (banding.notifications.outbox, whose module notes describe it).
A failed delivery enqueues its task again, so both live here."""

from __future__ import annotations

import hashlib
import logging
import smtplib
from datetime import timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from banding.accounts.roles import is_customer
from banding.audit.actions import Action
from banding.audit.log import record
from banding.notifications.models import Mail, MailState
from banding.notifications.rendering import (
    ACCOUNT_LINKS,
    PermanentMailError,
    Rendered,
    build_message,
    new_message_id,
    render_mail,
)

logger = logging.getLogger(__name__)

BACKOFF_CAP = timedelta(hours=1)


@task()
def deliver_mail(*mail_ids: int) -> dict[str, int]:
    """Deliver these outbox mails (one task for the mails of one action). Each mail is
    claimed on its own, so a task run twice, or beside the outbox sweep, sends nothing twice;
    a mail that fails is rescheduled on its own with its own task. An unexpected error on one
    mail (the database, a bug) does not keep the others from going out: the task goes on and
    fails at its end with the first such error; the mail it left behind is picked up by the
    outbox sweep (queued: as an orphan; claimed: as stale)."""
    counts: dict[str, int] = {}
    first_error: Exception | None = None
    for mail_id in mail_ids:
        try:
            outcome = mail_deliver(int(mail_id))
        except Exception as error:
            logger.exception("Surel %s: pengiriman terhenti oleh galat tak terduga", mail_id)
            first_error = first_error or error
            continue
        counts[outcome] = counts.get(outcome, 0) + 1
    if first_error is not None:
        raise first_error
    return counts


def max_attempts() -> int:
    return max(1, settings.BANDING_MAIL_MAX_ATTEMPTS)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 2, 4, … minutes, at most an hour."""
    return min(timedelta(minutes=2 ** min(max(attempts, 1) - 1, 10)), BACKOFF_CAP)


# --- delivering ----------------------------------------------------------------------------


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # back in the queue with a backoff
    FAILED = "failed"  # given up: the admin may send it again
    SKIPPED = "skipped"  # not ready, or claimed by someone else, or already sent


def mail_deliver(mail_id: int) -> Outcome:
    """Send one mail if it is ready and this caller wins its claim (see the module notes)."""
    now = timezone.now()
    claimed = Mail.objects.filter(
        pk=mail_id, state=MailState.QUEUED, next_attempt_at__lte=now
    ).update(state=MailState.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return Outcome.SKIPPED
    mail = Mail.objects.select_related("to_user", "appeal", "notification").get(pk=mail_id)
    if not mail.message_id:
        # Chosen once, before the first attempt: a resend after a crash is the same message.
        mail.message_id = new_message_id()
        Mail.objects.filter(pk=mail.pk).update(message_id=mail.message_id)
    try:
        rendered = render_mail(mail)
        if mailers.default.send_messages([build_message(mail, rendered)]) != 1:
            raise smtplib.SMTPException("Server surel tidak menerima pesan.")
    except Exception as error:
        return _not_sent(mail, error)
    _sent(mail, rendered)
    return Outcome.SENT


def _sent(mail: Mail, rendered: Rendered) -> None:
    with transaction.atomic():
        # Any state but sent: if the outbox sweep took this row for stuck meanwhile, marking
        # it sent now keeps it from going out again.
        marked = (
            Mail.objects.filter(pk=mail.pk)
            .exclude(state=MailState.SENT)
            .update(
                state=MailState.SENT,
                sent_at=timezone.now(),
                subject=rendered.subject,
                text="" if mail.kind in ACCOUNT_LINKS else rendered.text,
                last_error="",
            )
        )
        if marked and mail.appeal is not None:
            record(
                action=Action.EMAIL_SENT,
                appeal=mail.appeal,
                summary=f"Surel terkirim kepada {mail.to_address}: {rendered.subject}",
                data={
                    **_event_data(mail),
                    "text_sha256": hashlib.sha256(rendered.text.encode()).hexdigest(),
                },
                public=_to_customer(mail),
            )


def _not_sent(mail: Mail, error: Exception) -> Outcome:
    reason = f"{type(error).__name__}: {error}"[:2000]
    given_up = (
        isinstance(error, PermanentMailError)
        or _refused_for_good(error)
        or mail.attempts >= max_attempts()
    )
    with transaction.atomic():
        if given_up:
            marked = Mail.objects.filter(pk=mail.pk, state=MailState.SENDING).update(
                state=MailState.FAILED, last_error=reason
            )
            if marked and mail.appeal is not None:
                record(
                    action=Action.EMAIL_FAILED,
                    appeal=mail.appeal,
                    summary=(
                        f"Surel kepada {mail.to_address} gagal dikirim setelah "
                        f"{mail.attempts} percobaan"
                    ),
                    data={**_event_data(mail), "error": reason},
                )
            logger.error("Surel %s kepada %s gagal: %s", mail.pk, mail.to_address, reason)
            return Outcome.FAILED
        retry_at = timezone.now() + backoff(mail.attempts)
        marked = Mail.objects.filter(pk=mail.pk, state=MailState.SENDING).update(
            state=MailState.QUEUED, next_attempt_at=retry_at, last_error=reason
        )
        if marked:
            deliver_mail.using(run_after=retry_at).enqueue(mail.pk)
    logger.warning(
        "Surel %s kepada %s belum terkirim (percobaan %s), dicoba lagi %s: %s",
        mail.pk,
        mail.to_address,
        mail.attempts,
        retry_at.isoformat(),
        reason,
    )
    return Outcome.RETRY


def _refused_for_good(error: Exception) -> bool:
    """The server refused every recipient with a permanent (5xx) answer: retrying is useless.
    Other errors (connection, authentication, 4xx) may pass once the server or its
    configuration is fixed, so they are retried."""
    if not isinstance(error, smtplib.SMTPRecipientsRefused) or not error.recipients:
        return False
    return all(code >= 500 for code, _ in error.recipients.values())


def _to_customer(mail: Mail) -> bool:
    # A mail to the customer is on the customer's timeline too; mails to staff are internal.
    return mail.to_user is None or is_customer(mail.to_user)


def _event_data(mail: Mail) -> dict[str, Any]:
    return {
        "mail": str(mail.public_id),
        "kind": mail.kind,
        "to": mail.to_address,
        "message_id": mail.message_id,
        "attempts": mail.attempts,
    }
