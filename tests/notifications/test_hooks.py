"""The domain's mail and notice hooks (banding.accounts.hooks, banding.appeals.notices) reach
the outbox once Django is set up, and what they write rolls back with the action."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from banding.accounts import hooks as account_hooks
from banding.appeals import notices
from banding.notifications.links import portal_url
from banding.notifications.models import Kind, Mail, Notification
from tests.factories import register


def test_an_account_mail_is_queued_and_counted(p):
    p.customer.email = "pelanggan@kimia.example"
    p.customer.save(update_fields=["email"])
    since = timezone.now() - timedelta(minutes=1)
    with transaction.atomic():
        account_hooks.queue_mail(kind="password_reset", to_user=p.customer, context={"a": 1})
    counted: dict = {}
    account_hooks.count_mails(kind="password_reset", to_user=p.customer, since=since, data=counted)
    mail = Mail.objects.get()
    assert (mail.kind, mail.to_user, mail.context) == ("password_reset", p.customer, {"a": 1})
    assert counted == {"count": 1}


def test_a_mail_to_the_contact_links_to_the_portal(p):
    appeal = register(p)
    Mail.objects.all().delete()
    with transaction.atomic():
        notices.mail_contact(
            kind=Kind.PANEL_INVITATION,
            address="kontak@kimia.example",
            appeal=appeal,
            message="Undangan",
            context={"terms": "hadir"},
        )
    mail = Mail.objects.get()
    assert (mail.kind, mail.to_address, mail.to_user, mail.appeal) == (
        "panel_invitation",
        "kontak@kimia.example",
        None,
        appeal,
    )
    assert mail.context == {"message": "Undangan", "link": portal_url(appeal), "terms": "hadir"}


def test_a_notice_rolls_back_with_the_action(p):
    appeal = register(p)
    Notification.objects.all().delete()
    Mail.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        notices.notify(
            recipients=[p.lead],
            kind=Kind.STEP_AT_RISK,
            appeal=appeal,
            step=appeal.steps.get(completed_at__isnull=True),
            message="Hampir jatuh tempo",
        )
        assert Notification.objects.filter(recipient=p.lead).count() == 1
        raise RuntimeError("the action fails")
    assert not Notification.objects.exists()
    assert not Mail.objects.exists()
