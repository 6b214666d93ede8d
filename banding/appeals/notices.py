"""The notices the appeal services give, and the hooks (banding.hooks) through which they
give them: the notifications connect the receivers in their AppConfig.ready(), which write the
notices and queue their e-mails in the caller's transaction, so they commit or roll back with
the change they tell about."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_noop as N_

from banding.hooks import hook

if TYPE_CHECKING:
    from banding.accounts.models import User
    from banding.appeals.models import Appeal, Step


class Kind(models.TextChoices):
    STEP_AT_RISK = "step_at_risk", N_("Hampir jatuh tempo")
    STEP_OVERDUE = "step_overdue", N_("Terlambat")
    ESCALATION = "escalation", N_("Eskalasi keterlambatan")
    STEP_ASSIGNED = "step_assigned", N_("Giliran Anda")
    MILESTONE = "milestone", N_("Kemajuan banding")
    PANEL_INVITATION = "panel_invitation", N_("Undangan Tim Panel")
    INVITATION_ANSWERED = "invitation_answered", N_("Jawaban undangan")
    PANEL_VACANCY = "panel_vacancy", N_("Kursi panel kosong")
    # An appeal ended early (banding.appeals.services.ending): the customer's confirmation,
    # and the staff whose step stopped.
    APPEAL_WITHDRAWN = "appeal_withdrawn", N_("Banding dicabut")
    APPEAL_DUPLICATE = "appeal_duplicate", N_("Banding ditutup (duplikat)")
    APPEAL_ENDED = "appeal_ended", N_("Langkah dihentikan")


@hook
def notify(
    *,
    recipients: Iterable[User | int],
    kind: Kind,
    appeal: Appeal,
    step: Step | None,
    message: str,
    mail_context: dict[str, Any] | None = None,
) -> None:
    """Tell `recipients` `message` about `appeal` (a notice of `kind` each, and its e-mail to
    those who have an address), in the caller's transaction (notifications:
    banding.notifications.services.notify)."""


@dataclass(frozen=True)
class Notice:
    """One notice for `notify_each`: `notify`'s arguments."""

    recipients: Iterable[User | int]
    kind: Kind
    appeal: Appeal
    step: Step | None
    message: str


@hook
def notify_each(*, notices: Sequence[Notice]) -> None:
    """Tell each notice's recipients its message, as `notify` tells one, for a whole batch of
    notices in a fixed number of statements however many (the deadline sweep's batches), in
    the caller's transaction (notifications: banding.notifications.receivers.notify_each)."""


@hook
def mail_contact(
    *, kind: Kind, address: str, appeal: Appeal, message: str, context: dict[str, Any]
) -> None:
    """E-mail `message` to the appeal's contact `address`, which has no account, with the link
    to the appeal in the portal and `context`, in the caller's transaction (notifications:
    banding.notifications.receivers.mail_contact)."""
