"""Background tasks of the notifications (Django's Tasks API, run by `banding worker`)."""

from __future__ import annotations

import logging

from django.tasks import task

from banding.notifications import outbox

logger = logging.getLogger(__name__)


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
            outcome = outbox.mail_deliver(int(mail_id))
        except Exception as error:
            logger.exception("Surel %s: pengiriman terhenti oleh galat tak terduga", mail_id)
            first_error = first_error or error
            continue
        counts[outcome] = counts.get(outcome, 0) + 1
    if first_error is not None:
        raise first_error
    return counts
