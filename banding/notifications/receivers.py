"""The receivers of the domain's hooks that no service of the notifications answers as it is
(banding.notifications.apps connects them)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from banding.notifications.links import portal_url
from banding.notifications.models import Kind, Mail
from banding.notifications.outbox import mail_enqueue

if TYPE_CHECKING:
    from banding.accounts.models import User
    from banding.appeals.models import Appeal


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


def count_mails(*, kind: str, to_user: User, since: datetime, data: dict[str, Any]) -> None:
    """banding.accounts.hooks.count_mails."""
    data["count"] = Mail.objects.filter(to_user=to_user, kind=kind, created_at__gte=since).count()
