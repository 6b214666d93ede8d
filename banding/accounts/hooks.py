"""What the account services trigger in the layers above them (banding.hooks): their e-mails.
The notifications connect the receivers in their AppConfig.ready(); what they write commits or
rolls back with the action."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from banding.hooks import hook

if TYPE_CHECKING:
    from banding.accounts.models import User


@hook
def queue_mail(*, kind: str, to_user: User, context: dict[str, Any]) -> None:
    """Queue the e-mail `kind` (its templates) to `to_user`, rendered with `context`, in the
    caller's transaction (notifications: banding.notifications.outbox.mail_enqueue)."""


@hook
def count_mails(*, kind: str, to_user: User, since: datetime, data: dict[str, Any]) -> None:
    """Put in `data["count"]` how many e-mails `kind` were queued to `to_user` since `since`
    (notifications: banding.notifications.receivers.count_mails)."""
