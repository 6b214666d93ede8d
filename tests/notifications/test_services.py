"""notify, notification_read, notifications_read_all."""

from __future__ import annotations

import uuid

import pytest
from django.db import transaction

from banding.audit.models import Event
from banding.errors import NotFound
from banding.notifications.models import Kind, Mail, Notification
from banding.notifications.services import notification_read, notifications_read_all, notify
from tests.factories import register


def test_notify_writes_one_notice_per_recipient_and_never_twice(p, django_assert_num_queries):
    appeal = register(p)
    step = appeal.steps.get(completed_at__isnull=True)
    Notification.objects.all().delete()  # the registration's own (giliran, kemajuan)

    def send(*recipients):
        notify(
            recipients=recipients,
            kind=Kind.STEP_OVERDUE,
            appeal=appeal,
            step=step,
            message="Langkah 3 terlambat.",
        )

    with transaction.atomic():
        # One upsert and one read-back, however many recipients (no addresses: no mail).
        with django_assert_num_queries(2):
            send(p.lead, p.staff.pk, p.lead)
        send(p.lead, p.head)  # the lead's notice exists already: skipped, not an error

    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "kepala",
        "ketua",
        "staff",
    ]
    notice = Notification.objects.get(recipient=p.lead)
    assert (notice.kind, notice.appeal, notice.step) == (Kind.STEP_OVERDUE, appeal, step)
    assert notice.read_at is None
    assert str(notice) == "Terlambat: Langkah 3 terlambat."


def test_notify_with_no_one_writes_nothing(p, django_assert_num_queries):
    appeal = register(p)
    with transaction.atomic(), django_assert_num_queries(0):
        notify(recipients=[], kind=Kind.ESCALATION, appeal=appeal, step=None, message="x")


def test_notify_runs_only_inside_the_callers_transaction():
    # No database here, so no test transaction around this call either.
    with pytest.raises(RuntimeError, match="inside the transaction"):
        notify(recipients=[1], kind=Kind.ESCALATION, appeal=None, step=None, message="x")


def test_notify_rolls_back_with_the_callers_transaction(p):
    appeal = register(p)
    p.lead.email = "rina@balai.example.go.id"
    p.lead.save(update_fields=["email"])
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        notify(recipients=[p.lead], kind=Kind.APPEAL_ENDED, appeal=appeal, step=None, message="x")
        assert Mail.objects.filter(kind=Kind.APPEAL_ENDED).exists()
        1 / 0  # noqa: B018

    assert not Notification.objects.filter(kind=Kind.APPEAL_ENDED).exists()
    assert not Mail.objects.filter(kind=Kind.APPEAL_ENDED).exists()


def test_notify_mails_each_notice_to_its_recipient(p, django_assert_num_queries):
    appeal = register(p)
    step = appeal.steps.get(completed_at__isnull=True)
    for user, address in ((p.lead, "rina@balai.example.go.id"), (p.head, "bambang@x.example")):
        user.email = address
        user.save(update_fields=["email"])

    with transaction.atomic(), django_assert_num_queries(4):  # + the mails and their task
        notices = notify(
            recipients=[p.lead, p.head, p.staff],  # the staff has no address: in-app only
            kind=Kind.APPEAL_ENDED,
            appeal=appeal,
            step=step,
            message="Langkah 3 terlambat.",
            mail_context={"extra": 1},
        )

    assert [n.recipient for n in notices] == sorted([p.lead, p.head, p.staff], key=lambda u: u.pk)
    mails = Mail.objects.filter(kind=Kind.APPEAL_ENDED).order_by("to_address")
    assert [(m.to_address, m.notification.recipient) for m in mails] == [
        ("bambang@x.example", p.head),
        ("rina@balai.example.go.id", p.lead),
    ]
    assert mails[0].context == {
        "message": "Langkah 3 terlambat.",
        "link": f"http://127.0.0.1:8000/banding/{appeal.public_id}/",
        "extra": 1,
    }


def test_a_renewed_notice_is_mailed_again_and_email_can_be_left_out(p):
    appeal = register(p)
    step = appeal.steps.get(completed_at__isnull=True)
    p.lead.email = "rina@balai.example.go.id"
    p.lead.save(update_fields=["email"])

    for message, email in (("Pertama.", True), ("Diperbarui.", True), ("Diam.", False)):
        with transaction.atomic():
            notify(
                recipients=[p.lead],
                kind=Kind.APPEAL_ENDED,
                appeal=appeal,
                step=step,
                message=message,
                email=email,
            )

    notice = Notification.objects.get(kind=Kind.APPEAL_ENDED)
    assert notice.message == "Diam."
    assert list(
        Mail.objects.filter(notification=notice).order_by("pk").values_list("context__message")
    ) == [("Pertama.",), ("Diperbarui.",)]


def test_a_deadline_notice_is_not_mailed_alone_but_waits_for_a_digest(p):
    """The sweep's kinds (reminder, overdue, escalation) are e-mailed only in a digest
    (banding.notifications.digests): the notice waits; a renewed one waits again."""
    appeal = register(p)
    step = appeal.steps.get(completed_at__isnull=True)
    p.lead.email = "rina@balai.example.go.id"
    p.lead.save(update_fields=["email"])

    def tell(message: str, email: bool = True) -> Notification:
        with transaction.atomic():
            (notice,) = notify(
                recipients=[p.lead],
                kind=Kind.STEP_AT_RISK,
                appeal=appeal,
                step=step,
                message=message,
                email=email,
            )
        notice.refresh_from_db()
        return notice

    first = tell("Pertama.")
    assert (first.digest_pending, first.digest) == (True, None)
    assert not Mail.objects.filter(to_user=p.lead).exists()
    # As a digest claims it; a renewed notice (the deadline moved) waits again.
    Notification.objects.filter(pk=first.pk).update(digest_pending=False)
    assert tell("Diperbarui.").digest_pending is True
    assert tell("Diam.", email=False).digest_pending is False
    assert not Mail.objects.filter(to_user=p.lead).exists()


def test_reading_a_notice_marks_it_read_once_with_an_event(p, notices):
    notice = notices(p.lead)[0]

    read = notification_read(user=p.lead, public_id=notice.public_id)
    again = notification_read(user=p.lead, public_id=str(notice.public_id))

    notice.refresh_from_db()
    assert notice.read_at is not None
    assert read.read_at == again.read_at == notice.read_at
    event = Event.objects.get(action="notification.read")
    assert (event.actor, event.appeal) == (p.lead, None)
    assert event.summary == f"Notifikasi dibaca: {notice.message}"
    assert event.data["notification"] == str(notice.public_id)


@pytest.mark.parametrize("which", ["someone_elses", "unknown", "malformed"])
def test_reading_a_notice_that_is_not_ones_own_is_not_found(p, notices, which):
    theirs = notices(p.head)[0]
    public_id = {
        "someone_elses": theirs.public_id,
        "unknown": uuid.uuid4(),
        "malformed": "bukan-uuid",
    }[which]

    with pytest.raises(NotFound) as error:
        notification_read(user=p.lead, public_id=public_id)

    assert error.value.message == "Notifikasi tidak ditemukan."
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert not Event.objects.filter(action="notification.read").exists()


def test_reading_all_marks_only_ones_own_unread_notices(p, notices):
    mine = notices(p.lead, 3)
    notification_read(user=p.lead, public_id=mine[0].public_id)
    theirs = notices(p.head, 2)

    assert notifications_read_all(user=p.lead) == 2
    assert notifications_read_all(user=p.lead) == 0

    assert not Notification.objects.filter(recipient=p.lead, read_at__isnull=True).exists()
    assert Notification.objects.filter(pk__in=[n.pk for n in theirs], read_at=None).count() == 2
    event = Event.objects.get(action="notification.read_all")  # none for the empty second call
    assert (event.actor, event.summary, event.data) == (
        p.lead,
        "2 notifikasi ditandai dibaca",
        {"count": 2},
    )
