"""Through a real SMTP server on loopback (aiosmtpd): what arrives, and what happens while
the server is down."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from banding.notifications.models import Mail, MailState
from banding.notifications.outbox import DeliveryResult, mail_deliver_pending, mail_enqueue
from banding.notifications.tasks import Outcome, mail_deliver
from tests.factories import register, verify_relevant


def verify(p, appeal):
    """Step 3 the relevant way, its nota dinas issued, completed."""
    return verify_relevant(p, appeal)


def test_the_mails_of_an_action_arrive_with_subject_body_and_recipient(mailable, smtp):
    appeal = register(mailable)

    assert mail_deliver_pending() == DeliveryResult(sent=3)

    (lead,) = smtp.to("rina@balai.example.go.id")
    assert lead.subject == (
        f"[SiBanding] Giliran Anda: langkah 3 (Verifikasi kelengkapan dan relevansi) banding "
        f"{appeal.number}"
    )
    assert lead.sender == "sibanding@bbspjikfk.kemenperin.go.id"
    assert "Yth. Ketua," in lead.text
    assert "Giliran Anda: langkah 3 (Verifikasi kelengkapan dan relevansi) banding " in lead.text
    assert f"http://127.0.0.1:8000/banding/{appeal.public_id}/" in lead.text
    assert f'href="http://127.0.0.1:8000/banding/{appeal.public_id}/"' in lead.html
    assert lead.message["Message-ID"] == Mail.objects.get(to_address=lead.recipients[0]).message_id
    (customer,) = smtp.to("pelanggan@kimia.example")
    assert customer.subject == f"[SiBanding] Banding {appeal.number}: Diterima"
    assert "Permohonan banding Anda telah kami terima." in customer.text
    assert f"Nomor register  : {appeal.number}" in customer.text
    (contact,) = smtp.to("budi@kimia.example")  # the contact named on the appeal
    assert "Yth. Budi Santoso," in contact.text
    assert len(smtp.received) == 3


def test_with_the_server_down_the_action_succeeds_and_the_mail_waits(
    mailable, smtp, caplog, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    appeal = register(mailable)
    mail_deliver_pending()
    smtp.stop()
    smtp.received.clear()

    appeal = verify(mailable, appeal)  # succeeds: the mails only wait in the outbox

    assert appeal.current_step == 5
    result = mail_deliver_pending()
    assert result == DeliveryResult(retried=3)
    for mail in Mail.objects.filter(state=MailState.QUEUED):
        assert mail.attempts == 1
        assert mail.next_attempt_at == timezone.now() + timedelta(minutes=1)
        assert "ConnectionRefusedError" in mail.last_error
    assert "belum terkirim" in caplog.text


def test_after_the_server_is_back_the_mail_arrives_exactly_once(mailable, smtp, time_machine):
    register(mailable)
    smtp.stop()
    mail_deliver_pending()
    assert mail_deliver_pending() == DeliveryResult()  # not yet: backing off
    mail = Mail.objects.get(to_address="rina@balai.example.go.id")
    # The retry is a task of its own, run when the backoff ends.
    retry = DBTaskResult.objects.filter(args_kwargs={"args": [mail.pk], "kwargs": {}})
    assert retry.filter(run_after=mail.next_attempt_at).count() == 1

    smtp.start()
    time_machine.move_to(mail.next_attempt_at + timedelta(seconds=1))
    assert mail_deliver(mail.pk) == Outcome.SENT
    assert mail_deliver(mail.pk) == Outcome.SKIPPED
    assert mail_deliver_pending() == DeliveryResult(sent=2)
    assert mail_deliver_pending() == DeliveryResult()

    assert len(smtp.to("rina@balai.example.go.id")) == 1
    assert len(smtp.received) == 3
    mail.refresh_from_db()
    assert (mail.state, mail.attempts) == (MailState.SENT, 2)


def test_a_mail_enqueued_while_the_server_is_down_arrives_later(mailable, smtp, time_machine):
    smtp.stop()
    with transaction.atomic():
        mail = mail_enqueue(
            kind="step_assigned",
            to_user=mailable.head,
            context={"message": "Giliran Anda.", "link": "http://x/"},
        )
    for attempt in range(1, 4):
        assert mail_deliver(mail.pk) == Outcome.RETRY
        mail.refresh_from_db()
        assert mail.attempts == attempt
        time_machine.move_to(mail.next_attempt_at)
    smtp.start()

    assert mail_deliver(mail.pk) == Outcome.SENT
    assert [r.recipients for r in smtp.received] == [["bambang@balai.example.go.id"]]
    assert timezone.now() >= mail.next_attempt_at
