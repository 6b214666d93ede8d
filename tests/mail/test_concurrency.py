"""Two workers at once, with real threads, real transactions and a real SMTP server, on
PostgreSQL: every mail arrives exactly once, whichever worker claims it.

Not run on SQLite: its in-memory test database fails a second writer at once instead of making
it wait (see tests/services/test_concurrency.py).
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import transaction

from banding.notifications.models import Mail, MailState
from banding.notifications.outbox import DeliveryResult, mail_deliver_pending, mail_enqueue
from banding.notifications.taskqueue import TaskRunner
from banding.notifications.tasks import mail_deliver
from tests.concurrency import in_threads
from tests.factories import register

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def queue(p, count: int) -> list[Mail]:
    with transaction.atomic():
        return [
            mail_enqueue(
                kind="step_assigned",
                to_user=p.head,
                context={"message": f"Pesan {i}.", "link": "http://x/"},
            )
            for i in range(count)
        ]


def test_two_workers_claiming_one_mail_send_it_once(mailable, smtp):
    (mail,) = queue(mailable, 1)

    outcomes = in_threads(2, lambda i: mail_deliver(mail.pk))

    assert sorted(outcomes) == ["sent", "skipped"], outcomes
    assert len(smtp.received) == 1
    assert Mail.objects.get(pk=mail.pk).attempts == 1


def test_two_workers_sweeping_the_outbox_send_every_mail_once(mailable, smtp):
    mails = queue(mailable, 20)

    results = in_threads(2, lambda i: mail_deliver_pending())

    assert all(isinstance(r, DeliveryResult) for r in results), results
    assert sum(r.sent for r in results) == 20
    bodies = Counter(r.text.split("\n\n")[1] for r in smtp.received)
    assert bodies == Counter(f"Pesan {i}." for i in range(20))
    assert set(Mail.objects.values_list("state", flat=True)) == {MailState.SENT}
    assert len(mails) == 20


def test_two_workers_running_the_task_queue_send_every_mail_once(mailable, smtp):
    for _ in range(5):
        register(mailable)  # three mails each, in one task

    results = in_threads(2, lambda i: TaskRunner(worker_id=f"w{i}").run_ready())

    assert sum(r.ran for r in results) == 5, results
    assert len(smtp.received) == 15
    assert Counter(tuple(r.recipients) for r in smtp.received) == {
        ("rina@balai.example.go.id",): 5,
        ("pelanggan@kimia.example",): 5,
        ("budi@kimia.example",): 5,
    }
