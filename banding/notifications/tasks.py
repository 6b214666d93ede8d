"""Background tasks of the notifications (Django's Tasks API, run by `banding worker`)."""

from __future__ import annotations

from django.tasks import task

from banding.notifications import outbox


@task()
def deliver_mail(*mail_ids: int) -> dict[str, int]:
    """Deliver these outbox mails (one task for the mails of one action). Each mail is
    claimed on its own, so a task run twice, or beside the outbox sweep, sends nothing twice;
    a mail that fails is rescheduled on its own with its own task."""
    counts: dict[str, int] = {}
    for mail_id in mail_ids:
        outcome = outbox.mail_deliver(int(mail_id))
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
