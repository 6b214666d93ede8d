"""Retries with backoff, giving up, mails stuck in "sending", and the admin's resend."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from banding.audit.models import Event
from banding.errors import Forbidden
from banding.notifications.models import Mail, MailState
from banding.notifications.outbox import (
    DeliveryResult,
    mail_requeue_stale,
    mail_resend,
    outbox_sweep,
)
from banding.notifications.tasks import Outcome, backoff, mail_deliver
from tests.factories import register


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    return time_machine


def queue(p, user=None, appeal=None) -> Mail:
    from banding.notifications.outbox import mail_enqueue

    with transaction.atomic():
        return mail_enqueue(
            kind="step_assigned",
            to_user=user or p.head,
            appeal=appeal,
            context={"message": "Giliran Anda.", "link": "http://x/"},
        )


def test_the_backoff_doubles_from_one_minute_up_to_an_hour():
    minutes = [backoff(n) / timedelta(minutes=1) for n in range(1, 10)]

    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert backoff(1000) == timedelta(hours=1)


def test_after_the_last_attempt_the_mail_fails_for_good_with_an_event(
    mailable, smtp, frozen, settings
):
    settings.BANDING_MAIL_MAX_ATTEMPTS = 3
    smtp.stop()
    mail = queue(mailable, appeal=register(mailable))

    outcomes = []
    for _ in range(3):
        outcomes.append(mail_deliver(mail.pk))
        mail.refresh_from_db()
        frozen.move_to(mail.next_attempt_at, tick=False)

    assert outcomes == [Outcome.RETRY, Outcome.RETRY, Outcome.FAILED]
    assert (mail.state, mail.attempts) == (MailState.FAILED, 3)
    assert mail_deliver(mail.pk) == Outcome.SKIPPED  # a failed mail is not retried by itself
    event = Event.objects.get(action="email.failed")
    assert event.summary == (
        "Surel kepada bambang@balai.example.go.id gagal dikirim setelah 3 percobaan"
    )
    assert "ConnectionRefusedError" in event.data["error"]
    assert event.public is False


def test_a_recipient_refused_for_good_is_not_retried(mailable, smtp):
    smtp.refused["bambang@balai.example.go.id"] = "550 5.1.1 Mailbox tidak ada"
    mail = queue(mailable)

    assert mail_deliver(mail.pk) == Outcome.FAILED

    mail.refresh_from_db()
    assert mail.state == MailState.FAILED
    assert "SMTPRecipientsRefused" in mail.last_error
    assert smtp.received == []


def test_a_recipient_refused_for_now_is_retried(mailable, smtp):
    smtp.refused["bambang@balai.example.go.id"] = "450 4.2.1 Coba lagi nanti"
    mail = queue(mailable)

    assert mail_deliver(mail.pk) == Outcome.RETRY


def test_a_mail_left_sending_by_a_dead_worker_is_requeued_and_sent(mailable, smtp, frozen):
    mail = queue(mailable)
    # A worker claimed it and died before sending.
    Mail.objects.filter(pk=mail.pk).update(state=MailState.SENDING, claimed_at=timezone.now())
    assert mail_deliver(mail.pk) == Outcome.SKIPPED

    frozen.move_to(timezone.now() + timedelta(minutes=14), tick=False)
    assert mail_requeue_stale() == 0  # it may still be sending: 15 minutes by default
    frozen.move_to(timezone.now() + timedelta(minutes=2), tick=False)
    tasks_before = DBTaskResult.objects.count()
    assert mail_requeue_stale() == 1

    mail.refresh_from_db()
    assert mail.state == MailState.QUEUED
    assert mail.last_error == "Pengirim berhenti di tengah pengiriman; dicoba lagi."
    assert DBTaskResult.objects.count() == tasks_before + 1
    assert mail_deliver(mail.pk) == Outcome.SENT
    assert len(smtp.received) == 1


def test_the_outbox_sweep_sends_only_mails_whose_task_is_late(mailable, smtp, frozen):
    mail = queue(mailable)

    assert outbox_sweep() == DeliveryResult()  # its task will send it
    frozen.move_to(timezone.now() + timedelta(minutes=3), tick=False)
    assert outbox_sweep() == DeliveryResult(sent=1)
    assert str(DeliveryResult(sent=1, requeued=2)) == (
        "1 surel terkirim, 0 dicoba lagi nanti, 0 gagal, 2 macet dikembalikan ke antrean"
    )
    assert Mail.objects.get(pk=mail.pk).state == MailState.SENT


def test_an_administrator_sends_failed_mails_again(mailable, smtp, frozen):
    smtp.refused["bambang@balai.example.go.id"] = "550 Tidak ada"
    failed, other = queue(mailable), queue(mailable, user=mailable.lead)
    mail_deliver(failed.pk)
    del smtp.refused["bambang@balai.example.go.id"]

    assert mail_resend(user=mailable.admin, mails=[failed, other]) == 1

    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == (MailState.QUEUED, 0)
    event = Event.objects.get(action="email.resend")
    assert (event.actor, event.summary) == (
        mailable.admin,
        "Surel kepada bambang@balai.example.go.id dijadwalkan untuk dikirim ulang",
    )
    assert mail_deliver(failed.pk) == Outcome.SENT
    assert smtp.received[0].recipients == ["bambang@balai.example.go.id"]


@pytest.mark.parametrize("who", ["staff", "lead", "head", "auditor", "customer"])
def test_only_an_administrator_may_send_mails_again(mailable, smtp, who):
    smtp.refused["bambang@balai.example.go.id"] = "550 Tidak ada"
    mail = queue(mailable)
    mail_deliver(mail.pk)

    with pytest.raises(Forbidden) as error:
        mail_resend(user=getattr(mailable, who), mails=[mail])

    assert error.value.message == "Hanya administrator yang dapat mengirim ulang surel."
    assert Mail.objects.get(pk=mail.pk).state == MailState.FAILED
