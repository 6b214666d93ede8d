"""The outbox in the admin: read-only, failed mails found by status, "kirim ulang"."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse

from banding.accounts.models import User
from banding.notifications.models import Mail, MailState
from banding.notifications.outbox import mail_enqueue
from banding.notifications.tasks import mail_deliver

CHANGELIST = reverse("admin:notifications_mail_changelist")


@pytest.fixture
def failed(mailable, smtp) -> Mail:
    smtp.refused["bambang@balai.example.go.id"] = "550 Tidak ada"
    with transaction.atomic():
        mail = mail_enqueue(kind="step_assigned", to_user=mailable.head, context={})
    mail_deliver(mail.pk)
    del smtp.refused["bambang@balai.example.go.id"]
    return mail


@pytest.fixture
def root(db) -> User:
    return User.objects.create_superuser("root", "root@balai.example.go.id", "rahasia-root-123")


def test_failed_mails_are_listed_by_status(client, root, failed):
    client.force_login(root)

    response = client.get(CHANGELIST, {"state__exact": "failed"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "bambang@balai.example.go.id" in body
    assert "Kirim ulang surel yang gagal" in body
    assert client.get(reverse("admin:notifications_mail_add")).status_code == 403


def test_the_admin_action_sends_a_failed_mail_again(client, root, failed, smtp):
    client.force_login(root)

    response = client.post(
        CHANGELIST, {"action": "resend", "_selected_action": [failed.pk]}, follow=True
    )

    assert "1 surel dijadwalkan untuk dikirim ulang." in response.content.decode()
    failed.refresh_from_db()
    assert failed.state == MailState.QUEUED
    assert mail_deliver(failed.pk) == "sent"
    assert len(smtp.received) == 1


def test_a_staff_account_without_the_administrator_role_cannot_resend(client, failed, mailable):
    staff = mailable.staff
    staff.is_staff = True
    staff.is_superuser = False
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="view_mail"))
    client.force_login(staff)

    response = client.post(
        CHANGELIST, {"action": "resend", "_selected_action": [failed.pk]}, follow=True
    )

    assert "Hanya administrator yang dapat mengirim ulang surel." in response.content.decode()
    failed.refresh_from_db()
    assert failed.state == MailState.FAILED
