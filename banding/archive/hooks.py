"""The archive's hook: the evidence pack asks the delivery layer above it (notifications)
for the notices and e-mails sent to the customer, without importing it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from banding.hooks import hook

if TYPE_CHECKING:
    from banding.appeals.models import Appeal


@dataclass(frozen=True)
class Sent:
    """One notice or e-mail to the customer, as the customer received it."""

    at: datetime | None  # when it was sent (None: not sent yet)
    channel: str  # "Notifikasi portal" or "Surel"
    to: str
    subject: str
    text: str
    state: str  # for an e-mail: its outbox state


@hook
def correspondence(*, appeal: Appeal, into: list[Sent]) -> None:
    """Append to `into` every notice and e-mail sent to the appeal's customer (its contact
    accounts and contact address), oldest first."""
