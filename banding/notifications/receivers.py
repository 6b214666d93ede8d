"""The receivers of the domain's hooks that no service of the notifications answers as it is
(banding.notifications.apps connects them)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from banding.notifications.links import portal_url
from banding.notifications.models import Kind, Mail
from banding.notifications.outbox import mail_enqueue
from banding.notifications.selectors import sent_to_customer
from banding.notifications.services import Notice, notify_all
from banding.notifications.services import notify as notify_service

if TYPE_CHECKING:
    from banding.accounts.models import User
    from banding.appeals import notices
    from banding.appeals.models import Appeal, Step
    from banding.archive.hooks import Sent


def notify(
    *,
    recipients: Iterable[User | int],
    kind: Kind,
    appeal: Appeal,
    step: Step | None,
    message: str,
    mail_context: dict[str, Any] | None = None,
) -> None:
    """banding.appeals.notices.notify: services.notify, its notices not returned."""
    notify_service(
        recipients=recipients,
        kind=kind,
        appeal=appeal,
        step=step,
        message=message,
        mail_context=mail_context,
    )


def notify_each(*, notices: Sequence[notices.Notice]) -> None:
    """banding.appeals.notices.notify_each: services.notify_all, nothing read back."""
    notify_all(
        [
            Notice(
                recipients=n.recipients,
                kind=n.kind,
                appeal=n.appeal,
                step=n.step,
                message=n.message,
            )
            for n in notices
        ],
        returning=False,
    )


def queue_mail(*, kind: str, to_user: User, context: dict[str, Any]) -> None:
    """banding.accounts.hooks.queue_mail: outbox.mail_enqueue, its mail not returned."""
    mail_enqueue(kind=kind, to_user=to_user, context=context)


def mail_contact(
    *, kind: Kind, address: str, appeal: Appeal, message: str, context: dict[str, Any]
) -> None:
    """banding.appeals.notices.mail_contact: the mail to an address without an account."""
    mail_enqueue(
        kind=Kind(kind).value,
        to_address=address,
        appeal=appeal,
        context={"message": message, "link": portal_url(appeal), **context},
    )


def correspondence(*, appeal: Appeal, into: list[Sent]) -> None:
    """banding.archive.hooks.correspondence: what the customer was sent, for the pack."""
    into.extend(sent_to_customer(appeal))


def count_mails(*, kind: str, to_user: User, since: datetime, data: dict[str, Any]) -> None:
    """banding.accounts.hooks.count_mails."""
    data["count"] = Mail.objects.filter(to_user=to_user, kind=kind, created_at__gte=since).count()
