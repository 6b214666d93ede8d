"""mail_enqueue and delivery (banding.notifications.outbox), with Django's locmem mailer."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from banding.audit.models import Event
from banding.letters import visibility
from banding.notifications.models import Mail, MailState
from banding.notifications.outbox import DeliveryResult, mail_deliver_pending, mail_enqueue
from banding.notifications.tasks import Outcome, mail_deliver
from tests.factories import register


def enqueue(**kwargs) -> Mail | None:
    with transaction.atomic():
        return mail_enqueue(**kwargs)


@pytest.fixture
def appeal(mailable, mailoutbox):
    """A registered appeal whose own mails (registration) are already sent."""
    registered = register(mailable)
    mail_deliver_pending()
    mailoutbox.clear()
    return registered


def notice_mail(p, appeal=None) -> Mail:
    return enqueue(
        kind="step_assigned",
        to_user=p.lead,
        appeal=appeal,
        context={
            "message": "Giliran Anda: langkah 3.",
            "link": "http://x/",
            "step": 3,
            "step_title": "Verifikasi",
        },
    )


def test_it_writes_the_row_and_its_task_in_the_callers_transaction(mailable):
    before = DBTaskResult.objects.count()

    mail = notice_mail(mailable)

    assert (mail.state, mail.attempts, mail.to_address) == (
        MailState.QUEUED,
        0,
        "rina@balai.example.go.id",
    )
    assert mail.next_attempt_at == mail.created_at
    task = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert DBTaskResult.objects.count() == before + 1
    assert task.task_path == "banding.notifications.tasks.deliver_mail"
    assert task.args_kwargs == {"args": [mail.pk], "kwargs": {}}


def test_it_uses_the_given_address_without_an_account(p):
    mail = enqueue(kind="milestone", to_address=" budi@kimia.example ", context={"a": 1})

    assert (mail.to_user, mail.to_address, mail.context) == (None, "budi@kimia.example", {"a": 1})


def test_it_writes_nothing_without_an_address(p):
    # The personas have no e-mail address of their own.
    assert enqueue(kind="step_assigned", to_user=p.lead) is None
    assert enqueue(kind="step_assigned", to_address="  ") is None

    assert not Mail.objects.exists()


def test_it_runs_only_inside_the_callers_transaction():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        mail_enqueue(kind="milestone", to_address="budi@kimia.example")


@pytest.mark.parametrize("kind", ["../base", "Milestone", "", "a" * 41])
def test_it_refuses_a_kind_that_is_not_a_template_name(db, kind):
    with pytest.raises(ValueError, match="Not a mail kind"), transaction.atomic():
        mail_enqueue(kind=kind, to_address="budi@kimia.example")


def test_an_aborted_action_leaves_no_mail_and_no_task(mailable):
    p = mailable
    appeal = register(p)
    mails, tasks = Mail.objects.count(), DBTaskResult.objects.count()

    with pytest.raises(ZeroDivisionError), transaction.atomic():
        from tests.factories import walk

        walk(p, appeal, 5)  # verified: the technical team's turn, the customer's milestone
        assert Mail.objects.count() > mails
        1 / 0  # noqa: B018

    assert (Mail.objects.count(), DBTaskResult.objects.count()) == (mails, tasks)


def test_delivery_sends_it_once_with_its_message_id_and_marks_it_sent(mailable, mailoutbox):
    mail = notice_mail(mailable)

    assert mail_deliver(mail.pk) == Outcome.SENT
    assert mail_deliver(mail.pk) == Outcome.SKIPPED  # a second task, another worker

    mail.refresh_from_db()
    assert len(mailoutbox) == 1
    sent = mailoutbox[0]
    assert sent.to == ["rina@balai.example.go.id"]
    assert sent.subject == mail.subject
    assert sent.extra_headers["Message-ID"] == mail.message_id
    assert re.fullmatch(r"<.+@127\.0\.0\.1>", mail.message_id)
    assert (mail.state, mail.attempts, mail.last_error) == (MailState.SENT, 1, "")
    assert mail.sent_at is not None


def test_a_sent_mail_of_an_appeal_is_on_its_timeline(mailable, appeal):
    mail = notice_mail(mailable, appeal)
    mail_deliver(mail.pk)
    mail.refresh_from_db()

    event = Event.objects.get(action="email.sent", data__mail=str(mail.public_id))
    assert event.appeal == appeal
    assert event.summary == f"Surel terkirim kepada rina@balai.example.go.id: {mail.subject}"
    assert event.data["mail"] == str(mail.public_id)
    assert event.public is False  # a mail to staff is internal
    assert event in visibility.events(mail.appeal, mailable.staff)
    assert event not in visibility.events(mail.appeal, mailable.customer)


def test_a_mail_to_the_customer_is_on_the_customers_timeline(mailable, appeal):
    mail = enqueue(
        kind="milestone",
        to_user=mailable.customer,
        appeal=appeal,
        context={"stage_label": "Diterima", "told": "Diterima.", "link": "http://x/"},
    )
    contact = enqueue(
        kind="milestone",
        to_address="budi@kimia.example",
        appeal=appeal,
        context={"stage_label": "Diterima", "told": "Diterima.", "link": "http://x/"},
    )

    mail_deliver_pending()

    timeline = list(visibility.events(appeal, mailable.customer))
    for m in (mail, contact):
        event = Event.objects.get(action="email.sent", data__mail=str(m.public_id))
        assert event.public is True
        assert event in timeline


def test_a_mail_without_an_appeal_writes_no_event(mailable, mailoutbox):
    enqueue(kind="step_assigned", to_user=mailable.lead, context={"message": "x", "link": "y"})

    assert mail_deliver_pending() == DeliveryResult(sent=1)
    assert not Event.objects.filter(action="email.sent").exists()


def test_pending_delivery_sends_only_what_is_ready(mailable, mailoutbox, time_machine):
    ready = notice_mail(mailable)
    later = notice_mail(mailable)
    Mail.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now() + timedelta(hours=1))

    assert mail_deliver_pending() == DeliveryResult(sent=1)
    assert mail_deliver_pending() == DeliveryResult()

    assert Mail.objects.get(pk=ready.pk).state == MailState.SENT
    assert Mail.objects.get(pk=later.pk).state == MailState.QUEUED
    time_machine.move_to(timezone.now() + timedelta(hours=1, seconds=1))
    assert mail_deliver_pending() == DeliveryResult(sent=1)
    assert len(mailoutbox) == 2


def test_the_task_delivers_its_mails(mailable, mailoutbox):
    from banding.notifications.tasks import deliver_mail

    first, second = notice_mail(mailable), notice_mail(mailable)

    assert deliver_mail.call(first.pk, second.pk) == {"sent": 2}
    assert deliver_mail.call(first.pk) == {"skipped": 1}
    assert len(mailoutbox) == 2


def test_an_unexpected_error_on_one_mail_does_not_hold_back_the_others(
    mailable, mailoutbox, monkeypatch
):
    from banding.notifications import tasks
    from banding.notifications.tasks import deliver_mail

    first, second = notice_mail(mailable), notice_mail(mailable)
    deliver = tasks.mail_deliver

    def broken_for_the_first(mail_id: int):
        if mail_id == first.pk:
            raise RuntimeError("basis data terputus")
        return deliver(mail_id)

    monkeypatch.setattr(tasks, "mail_deliver", broken_for_the_first)
    with pytest.raises(RuntimeError, match="basis data terputus"):
        deliver_mail.call(first.pk, second.pk)  # the task fails, after sending the second

    assert [m.to for m in mailoutbox] == [[second.to_address]]
    assert Mail.objects.get(pk=second.pk).state == MailState.SENT
    assert Mail.objects.get(pk=first.pk).state == MailState.QUEUED  # for the outbox sweep


def test_a_mail_whose_template_is_missing_fails_for_good(mailable, appeal, mailoutbox, caplog):
    mail = enqueue(kind="tidak_ada", to_user=mailable.lead, appeal=appeal)

    assert mail_deliver(mail.pk) == Outcome.FAILED

    mail.refresh_from_db()
    assert mail.state == MailState.FAILED
    assert "notifications/email/tidak_ada-subject.txt" in mail.last_error
    assert mailoutbox == []
    event = Event.objects.get(action="email.failed")
    assert event.summary == (
        "Surel kepada rina@balai.example.go.id gagal dikirim setelah 1 percobaan"
    )
    assert "gagal" in caplog.text
