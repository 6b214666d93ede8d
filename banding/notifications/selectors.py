"""Reads of notices: one user's own, through the (recipient, read_at, -created_at) index; what
an appeal's customer was sent (for the evidence pack)."""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils.translation import gettext

from banding.accounts.models import User
from banding.appeals.models import Appeal
from banding.archive.hooks import Sent
from banding.notifications.models import Mail, Notification
from banding.notifications.rendering import PermanentMailError, render_mail


def for_user(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notices, unread first, newest first within each."""
    qs = Notification.objects.filter(recipient=user).select_related("appeal", "step")
    if unread_only:
        return qs.filter(read_at__isnull=True).order_by("-created_at", "-id")
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return qs.order_by(unread.desc(), "-created_at", "-id")


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def sent_to_customer(appeal: Appeal) -> list[Sent]:
    """The notices and e-mails the appeal's customer was sent (its contact accounts, and the
    contact address without an account), oldest first, with each e-mail's text as it was sent
    (kept on its outbox row), or for one not sent yet as the worker would render it now (two
    queries, and the templates for the unsent)."""
    sent: list[Sent] = [
        Sent(
            at=n.created_at,
            channel=gettext("Notifikasi portal"),
            to=n.recipient.display_name,
            subject=n.get_kind_display(),
            text=n.message,
            state="",
        )
        for n in Notification.objects.filter(
            appeal=appeal, recipient__organization__isnull=False
        ).select_related("recipient")
    ]
    mails = Mail.objects.filter(appeal=appeal).filter(
        Q(to_user__isnull=True) | Q(to_user__organization__isnull=False)
    )
    for mail in mails.select_related("to_user", "appeal", "notification"):
        if mail.text:  # as it went out
            subject, text = mail.subject, mail.text
        else:  # not sent (yet): as it would go out now
            try:
                rendered = render_mail(mail)
                subject, text = mail.subject or rendered.subject, rendered.text
            except PermanentMailError as error:
                subject, text = mail.subject, str(error)
        sent.append(
            Sent(
                at=mail.sent_at or mail.created_at,
                channel=gettext("Surel"),
                to=mail.to_address,
                subject=subject,
                text=text,
                state=mail.get_state_display(),
            )
        )
    return sorted(sent, key=lambda s: (s.at is None, s.at))
