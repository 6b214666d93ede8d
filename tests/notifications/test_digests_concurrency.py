"""Two digest jobs at once, with real threads and real transactions on PostgreSQL: every
waiting notice lands in exactly one digest, and each person gets one digest mail.

Not run on SQLite (see tests/sla/test_concurrency.py)."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from banding.accounts.models import User
from banding.appeals.models import Step
from banding.appeals.sla import sla_sweep
from banding.notifications import digests
from banding.notifications.digests import DigestResult, digest_sweep
from banding.notifications.models import DIGEST_KINDS, Mail, Notification
from tests.concurrency import errors_of, in_threads
from tests.factories import register

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIB = ZoneInfo("Asia/Jakarta")
DUE = datetime(2026, 2, 3, 10, 0, tzinfo=WIB)  # a working Tuesday
NOW = datetime(2026, 2, 3, 10, 30, tzinfo=WIB)


@pytest.fixture
def waiting(p, time_machine):
    time_machine.move_to(DUE, tick=False)
    for user in (p.staff, p.lead, p.head):
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@balai.example.go.id")
    for _ in range(20):
        step = register(p).steps.get(completed_at__isnull=True)
        Step.objects.filter(pk=step.pk).update(due_at=DUE, at_risk_at=DUE)
    sla_sweep(NOW)
    assert Notification.objects.filter(digest_pending=True).count() == 40
    return p


def assert_each_notice_in_one_digest(p) -> None:
    notices = Notification.objects.filter(kind__in=DIGEST_KINDS)
    assert not notices.filter(digest_pending=True).exists()
    assert not notices.filter(digest__isnull=True).exists()
    mails = Mail.objects.filter(kind="digest")
    assert Counter(mails.values_list("to_user", flat=True)) == {p.lead.pk: 1, p.head.pk: 1}
    listed = Counter(
        (m.to_user_id, item["number"], item["kind"]) for m in mails for item in m.context["items"]
    )
    assert len(listed) == 40 and set(listed.values()) == {1}


def test_two_digest_jobs_at_once_send_each_notice_once(waiting):
    results = in_threads(2, lambda i: digest_sweep(NOW))

    assert errors_of(results) == []
    assert all(isinstance(r, DigestResult) for r in results)
    assert sum(r.digests for r in results) == 2
    assert sum(r.steps for r in results) == 40
    assert_each_notice_in_one_digest(waiting)


def test_the_conditional_claim_alone_keeps_a_notice_out_of_two_digests(waiting, monkeypatch):
    """Without the lock on the person (both jobs pass it), the conditional UPDATE still lets
    one job claim each notice: the other finds nothing and writes no digest."""
    monkeypatch.setattr(digests, "_lock_recipient", lambda pk: User.objects.get(pk=pk))

    results = in_threads(2, lambda i: digest_sweep(NOW))

    assert errors_of(results) == []
    assert_each_notice_in_one_digest(waiting)


# --- two whole worker cycles at once (the deadline sweep, then the digests) ------------------


@pytest.fixture
def late(p, time_machine):
    """20 appeals whose step 3 (the lead's) fell due, not yet swept: each overdue notice to
    the lead and escalation to the head is still to be written and digested."""
    time_machine.move_to(DUE, tick=False)
    for user in (p.staff, p.lead, p.head):
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@balai.example.go.id")
    for _ in range(20):
        step = register(p).steps.get(completed_at__isnull=True)
        Step.objects.filter(pk=step.pk).update(due_at=DUE, at_risk_at=DUE)
    return p


def cycle(now: datetime) -> tuple:
    """What `banding worker` does each interval, for these notices: sweep, then digest."""
    return sla_sweep(now, batch_size=7), digest_sweep(now)


def test_two_workers_at_once_put_every_overdue_step_in_one_digest_per_recipient(late):
    """The two sweeps share the steps between them (a batch whose appeals one holds, the
    other passes by for the next), each step claimed once. A person's notices written by the
    sweep that finished second may miss the digest the first one sent in this window: they
    wait for the next window, never a second digest in the same one. After the next cycle,
    every notice is in exactly one digest."""
    results = in_threads(2, lambda i: cycle(NOW))

    assert errors_of(results) == []
    assert sum(sweep.overdue for sweep, _ in results) == 20
    first = sum(digest.digests for _, digest in results)
    assert 1 <= first <= 2  # at most one per person (the lead, the head) in this window
    later = in_threads(1, lambda i: cycle(NOW + timedelta(hours=1)))
    assert errors_of(later) == []
    assert later[0][0].overdue == 0  # nothing left to claim
    notices = Notification.objects.filter(kind__in=DIGEST_KINDS)
    assert not notices.filter(digest_pending=True).exists()
    assert not notices.filter(digest__isnull=True).exists()
    mails = Mail.objects.filter(kind="digest")
    per_person = Counter(mails.values_list("to_user", flat=True))
    assert set(per_person) == {late.lead.pk, late.head.pk}
    assert max(per_person.values()) <= 2  # one per window at most
    listed = Counter(
        (m.to_user_id, item["number"], item["kind"]) for m in mails for item in m.context["items"]
    )
    assert len(listed) == 40 and set(listed.values()) == {1}


def test_a_worker_that_dies_between_claim_and_mail_loses_nothing(late, monkeypatch):
    """The worker that first queues a digest's mail dies there, inside that digest's
    transaction, after claiming the notices (SystemExit: nothing of the job catches it); the
    other runs at the same time. Which one it is, the race decides (whichever claims a person
    first): the dead worker's transaction rolls back, so its notices wait again, and the next
    cycle digests them: each notice in exactly one digest, one mail per person."""
    first = threading.Lock()
    died: list[int] = []
    real = digests.mail_enqueue

    def mail_enqueue(**kwargs):
        with first:
            dies = not died
            if dies:
                died.append(threading.get_ident())
        if dies:
            raise SystemExit("pekerja mati")
        return real(**kwargs)

    monkeypatch.setattr(digests, "mail_enqueue", mail_enqueue)

    results = in_threads(2, lambda i: cycle(NOW))

    dead = [r for r in results if isinstance(r, SystemExit)]
    alive = [r for r in results if not isinstance(r, BaseException)]
    assert len(dead) == 1 and len(alive) == 1, results
    later = in_threads(1, lambda i: cycle(NOW + timedelta(hours=1)))
    assert errors_of(later) == []
    assert Notification.objects.filter(digest_pending=True, digest__isnull=False).count() == 0
    assert_each_notice_in_one_digest(late)
