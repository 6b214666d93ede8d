"""Steps whose letters are made from their own record (3, 5, 6, 9: `Step.record_first`):
the actor's facts kept on the open step, then the step completed with them once the letters
are issued.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from banding.accounts.models import User
from banding.appeals import access, hooks
from banding.appeals.models import (
    Appeal,
    Step,
)
from banding.appeals.services.shared import (
    complete,
    locked,
    open_occurrence,
    require_declared,
)
from banding.audit.actions import PENDING, step_action
from banding.audit.log import record
from banding.errors import Conflict
from banding.sop import definition as sop


@dataclass(frozen=True)
class RecordFirst:
    """What completing a record-first step applies to the appeal, and what its event says."""

    summary: Callable[[dict], str]
    apply: Callable[[Appeal, dict], None]


# Each phase registers its record-first steps (register) when the package is imported.
RECORD_FIRST: dict[int, RecordFirst] = {}


def register(
    number: int,
    *,
    summary: Callable[[dict], str],
    apply: Callable[[Appeal, dict], None] = lambda appeal, data: None,
) -> None:
    """Declare how record-first step `number` completes (its phase's module does)."""
    assert sop.step(number).record_first, f"step {number} is not record-first"
    RECORD_FIRST[number] = RecordFirst(summary=summary, apply=apply)


def settle(appeal: Appeal, *, user: User, number: int, outcome: str, data: dict) -> None:
    """What the actor of a record-first step submitted: kept on the open step while the
    letters it requires are to be made from it (the step completes with step_complete), or
    applied and the step completed at once when that outcome requires none. Letters already
    made from an earlier record are reconciled with the new one first."""
    step = open_occurrence(appeal, number)
    summary = RECORD_FIRST[number].summary(data)
    hooks.record_changed(appeal=appeal, step=step, user=user, outcome=outcome)
    if sop.step(number).required(outcome):
        step.recorded_outcome = outcome
        step.recorded_data = data
        step.recorded_at = timezone.now()
        step.recorded_by = user
        step.save(update_fields=["recorded_outcome", "recorded_data", "recorded_at", "recorded_by"])
        wanted = ", ".join(o.label for o in sop.step(number).required(outcome))
        record(
            action=step_action(number, PENDING),
            summary=f"Hasil langkah {number} dicatat: {summary}; menunggu {wanted}",
            actor=user,
            appeal=appeal,
            step=number,
            data=data,
        )
        return
    RECORD_FIRST[number].apply(appeal, data)
    complete(appeal, user=user, number=number, outcome=outcome, data=data, summary=summary)


def step_complete(*, appeal: Appeal, user: User, number: int) -> Appeal:
    """A record-first step (3, 5, 6, 9) completes with what its actor recorded, once the
    letters made from that record are issued."""
    with transaction.atomic():
        appeal = locked(appeal)
        access.require_turn(user, appeal, number)
        s = sop.step(number)
        if not s.record_first:
            raise Conflict(
                _("Langkah %(step)s (%(title)s) diselesaikan dengan formulirnya sendiri.")
                % {"step": s.number, "title": s.title},
                code="wrong_step",
            )
        if s.actor == sop.Actor.TPB:
            require_declared(appeal, user)
        step = open_occurrence(appeal, number)
        if not step.recorded_outcome:
            raise Conflict(
                _(
                    "Catat dahulu hasil langkah %(step)s (%(title)s); surat langkah ini "
                    "dibuat dari catatan itu."
                )
                % {"step": s.number, "title": s.title},
                code="record_missing",
            )
        data = dict(step.recorded_data)
        RECORD_FIRST[number].apply(appeal, data)
        complete(
            appeal,
            user=user,
            number=number,
            outcome=step.recorded_outcome,
            data=data,
            summary=RECORD_FIRST[number].summary(data),
        )
    return appeal


def recorded_step(appeal: Appeal) -> Step | None:
    """The appeal's open step when its facts are recorded and wait for their letters."""
    if not appeal.is_open:
        return None
    step = next((s for s in appeal.steps.all() if s.completed_at is None), None)
    return step if step is not None and step.recorded_outcome else None
