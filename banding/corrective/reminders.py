"""The corrective actions' reminders, run by `banding worker` beside the deadline sweep
(banding.appeals.sla) and by `banding sla`: an open action within a working day of its due
instant reminds its owner; an overdue one tells its owner and escalates to the Ketua Tim PJTK.
Each is sent once per action, and each is an event on the appeal.

"Once" holds as in the deadline sweep: each pending action is handled in its own short
transaction that locks its appeal (skipping one already locked: the next sweep retries), then
claims the action with a conditional update (`..._notified_at IS NULL` and still open), which
matches no row when another sweep claimed it first or the owner completed it meanwhile."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.accounts.roles import Role
from banding.appeals import batching
from banding.appeals.notices import Kind, notify
from banding.audit.actions import Action
from banding.audit.log import record
from banding.corrective.models import CorrectiveAction, Status
from banding.formats import format_instant

logger = logging.getLogger(__name__)

BATCH_SIZE = 100


@dataclass(frozen=True)
class ReminderResult:
    due_soon: int = 0
    overdue: int = 0
    failed: int = 0

    def __bool__(self) -> bool:
        return bool(self.due_soon or self.overdue or self.failed)

    def __str__(self) -> str:
        text = (
            f"{self.due_soon} tindakan perbaikan hampir jatuh tempo diingatkan, "
            f"{self.overdue} tindakan perbaikan terlambat dilaporkan"
        )
        return f"{text}, {self.failed} gagal" if self.failed else text


def overdue_pending(now: datetime) -> QuerySet[CorrectiveAction]:
    """The partial index corrective_overdue_pending, ranged on due_at."""
    return CorrectiveAction.objects.filter(
        status=Status.OPEN, overdue_notified_at__isnull=True, due_at__lte=now
    ).order_by("due_at", "pk")


def due_soon_pending(now: datetime) -> QuerySet[CorrectiveAction]:
    """The partial index corrective_due_soon_pending, ranged on remind_at (not yet overdue:
    an overdue action gets the overdue notice instead)."""
    return CorrectiveAction.objects.filter(
        status=Status.OPEN, due_soon_notified_at__isnull=True, remind_at__lte=now, due_at__gt=now
    ).order_by("remind_at", "pk")


def corrective_sweep(
    now: datetime | None = None, *, batch_size: int = BATCH_SIZE
) -> ReminderResult:
    now = now or timezone.now()
    leads = list(
        User.objects.filter(is_active=True, groups__name=Role.PJTK_LEAD).values_list(
            "pk", flat=True
        )
    )
    overdue, failed_overdue = _sweep(overdue_pending(now), _overdue, now, leads, batch_size)
    due_soon, failed_soon = _sweep(due_soon_pending(now), _due_soon, now, leads, batch_size)
    return ReminderResult(due_soon=due_soon, overdue=overdue, failed=failed_overdue + failed_soon)


Handler = Callable[[CorrectiveAction, datetime, list[int]], bool]


def _sweep(
    pending: QuerySet[CorrectiveAction],
    handle: Handler,
    now: datetime,
    leads: list[int],
    batch_size: int,
) -> tuple[int, int]:
    claimed = failed = 0
    passed: list[int] = []
    while True:
        batch = list(pending.exclude(pk__in=passed).select_related("appeal")[:batch_size])
        if not batch:
            break
        for action in batch:
            try:
                done = handle(action, now, leads)
            except Exception:
                logger.exception("Pengingat tindakan perbaikan %s gagal.", action.pk)
                failed += 1
                done = False
            if done:
                claimed += 1
            else:
                passed.append(action.pk)
        if len(batch) < batch_size:
            break
    return claimed, failed


def _data(action: CorrectiveAction) -> dict:
    return {"corrective_action": str(action.public_id), "due_at": action.due_at}


def _due_soon(action: CorrectiveAction, now: datetime, leads: list[int]) -> bool:
    with transaction.atomic():
        if not batching.appeal_locked(action.appeal_id):
            return False
        claimed = CorrectiveAction.objects.filter(
            pk=action.pk, status=Status.OPEN, due_soon_notified_at__isnull=True
        ).update(due_soon_notified_at=now)
        if claimed != 1:
            return False
        appeal, due = action.appeal, format_instant(action.due_at, pukul=True)
        notify(
            recipients=[action.owner_id],
            kind=Kind.STEP_AT_RISK,
            appeal=appeal,
            step=None,
            message=(
                N_(
                    "Tindakan perbaikan banding %(number)s hampir jatuh tempo (%(due)s): "
                    "%(description)s"
                )
                % {"number": appeal.number, "due": due, "description": action.description[:200]}
            ),
        )
        record(
            action=Action.CORRECTIVE_ACTION_DUE_SOON,
            summary=f"Pengingat: tindakan perbaikan hampir jatuh tempo, tenggat {due}",
            appeal=appeal,
            data=_data(action),
        )
    return True


def _overdue(action: CorrectiveAction, now: datetime, leads: list[int]) -> bool:
    with transaction.atomic():
        if not batching.appeal_locked(action.appeal_id):
            return False
        claimed = CorrectiveAction.objects.filter(
            pk=action.pk, status=Status.OPEN, overdue_notified_at__isnull=True
        ).update(
            overdue_notified_at=now,
            # A due-soon reminder not sent yet would only arrive after this notice.
            due_soon_notified_at=Coalesce(F("due_soon_notified_at"), now),
        )
        if claimed != 1:
            return False
        appeal, due = action.appeal, format_instant(action.due_at, pukul=True)
        # An owner who is also Ketua Tim PJTK gets the owner's notice only.
        supervisors = set(leads) - {action.owner_id}
        notify(
            recipients=[action.owner_id],
            kind=Kind.STEP_OVERDUE,
            appeal=appeal,
            step=None,
            message=(
                N_(
                    "Tindakan perbaikan banding %(number)s terlambat: tenggatnya %(due)s sudah "
                    "lewat. %(description)s"
                )
                % {"number": appeal.number, "due": due, "description": action.description[:200]}
            ),
        )
        notify(
            recipients=supervisors,
            kind=Kind.ESCALATION,
            appeal=appeal,
            step=None,
            message=(
                N_(
                    "Eskalasi: tindakan perbaikan banding %(number)s terlambat sejak %(due)s: "
                    "%(description)s"
                )
                % {"number": appeal.number, "due": due, "description": action.description[:200]}
            ),
        )
        record(
            action=Action.CORRECTIVE_ACTION_OVERDUE,
            summary=(
                f"Terlambat: tindakan perbaikan melewati tenggat {due}"
                + ("; dieskalasi kepada Ketua Tim PJTK" if supervisors else "")
            ),
            appeal=appeal,
            data={**_data(action), "escalated_to": len(supervisors)},
        )
    return True
