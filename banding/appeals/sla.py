"""The deadline sweep (`banding sla`, and every minute in `banding worker`).

When an open step becomes at risk its actor gets a reminder; when it becomes overdue its actor
is told and the step escalates to the actor's supervisor (banding.appeals.actors). Each notice
is sent once per step, and each is an event on the appeal.

How "once" holds with any number of sweeps at once: the pending steps are read through the
partial indexes step_at_risk_pending and step_overdue_pending (open steps not yet notified),
then each step is handled in its own short transaction that
  1. locks its appeal, skipping one already locked (another sweep, or a user acting on it:
     the next sweep retries) — the same lock order as the services, so never a deadlock;
  2. claims the step with a conditional update (`...notified_at IS NULL` → now), which
     matches no row if another sweep claimed it first or the step was completed meanwhile;
  3. writes the notices and the event.
A step claimed is never notified again; an aborted transaction leaves it unclaimed for the
next sweep.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from banding.appeals.actors import Players, executor
from banding.appeals.models import Appeal, Status, Step
from banding.appeals.notices import Kind, notify
from banding.audit.actions import Action
from banding.audit.log import record
from banding.formats import format_instant
from banding.sop import definition as sop

logger = logging.getLogger(__name__)

BATCH_SIZE = 100


@dataclass(frozen=True)
class SweepResult:
    at_risk: int = 0  # steps whose at-risk reminder was sent by this sweep
    overdue: int = 0  # steps whose overdue notice and escalation were sent
    failed: int = 0  # steps whose notice could not be written (logged; retried next sweep)

    def __bool__(self) -> bool:
        return bool(self.at_risk or self.overdue or self.failed)

    def __str__(self) -> str:
        text = (
            f"{self.at_risk} langkah hampir jatuh tempo diingatkan, "
            f"{self.overdue} langkah terlambat dilaporkan"
        )
        return f"{text}, {self.failed} gagal" if self.failed else text


# --- what is pending ---------------------------------------------------------------------


def overdue_pending(now: datetime) -> QuerySet[Step]:
    """Open steps past their due instant whose overdue notice is not sent: exactly the
    condition of the partial index step_overdue_pending, ranged on due_at."""
    return Step.objects.filter(
        completed_at__isnull=True, overdue_notified_at__isnull=True, due_at__lte=now
    ).order_by("due_at", "pk")


def at_risk_pending(now: datetime) -> QuerySet[Step]:
    """Open steps at risk, not yet reminded and not yet overdue (an overdue step gets the
    overdue notice instead): the partial index step_at_risk_pending, ranged on at_risk_at."""
    return Step.objects.filter(
        completed_at__isnull=True,
        at_risk_notified_at__isnull=True,
        at_risk_at__lte=now,
        due_at__gt=now,
    ).order_by("at_risk_at", "pk")


def overdue_steps(now: datetime | None = None) -> QuerySet[Appeal]:
    """Open steps past their due instant, most overdue first, whoever acts on them: the
    head's overdue list. One row per step, as its appeal (an open appeal carries its one open
    step: current_step, current_actor, current_due_at), so the Appeal (status, current_due_at)
    index answers it whatever the size of the history."""
    now = now or timezone.now()
    return (
        Appeal.objects.select_related("technical_team")
        .filter(status=Status.OPEN, current_due_at__lte=now)
        .order_by("current_due_at", "id")
        # What the list shows, no more: each row its step, who acts (the team by name) and
        # when it was due (51 rows on every request of the head's page).
        .only(
            "public_id",
            "number",
            "current_step",
            "current_actor",
            "current_due_at",
            "technical_team__name",
        )
    )


# --- the sweep -----------------------------------------------------------------------------


def sla_sweep(now: datetime | None = None, *, batch_size: int = BATCH_SIZE) -> SweepResult:
    """Send every at-risk reminder and overdue notice due at `now` (default: the clock)."""
    now = now or timezone.now()
    # Overdue first: a step that went overdue unnoticed (the sweep was down) gets only the
    # overdue notice, and its at-risk reminder is then marked as no longer needed.
    overdue, failed_overdue = _sweep(overdue_pending(now), _overdue, now, batch_size)
    at_risk, failed_at_risk = _sweep(at_risk_pending(now), _at_risk, now, batch_size)
    return SweepResult(at_risk=at_risk, overdue=overdue, failed=failed_overdue + failed_at_risk)


Handler = Callable[[Step, Players, datetime], bool]


def _sweep(
    pending: QuerySet[Step], handle: Handler, now: datetime, batch_size: int
) -> tuple[int, int]:
    """Handle the pending steps batch by batch; returns (claimed, failed). A claimed step
    leaves the pending set; one not claimed (locked, taken by another sweep, failed) is
    excluded for the rest of this sweep, so every batch makes progress."""
    claimed = failed = 0
    passed: list[int] = []
    while True:
        rows = pending.exclude(pk__in=passed).select_related("appeal__technical_team")
        batch = list(rows[:batch_size])
        if not batch:
            break
        players = Players(s.appeal for s in batch)
        for step in batch:
            try:
                done = handle(step, players, now)
            except Exception:
                logger.exception("Pemberitahuan tenggat langkah %s gagal.", step.pk)
                failed += 1
                done = False
            if done:
                claimed += 1
            else:
                passed.append(step.pk)
        if len(batch) < batch_size:
            break
    return claimed, failed


def appeal_locked(appeal_id: int) -> bool:
    """Lock the appeal for this transaction; False if someone else holds it (a sweep passes
    it by and comes back to it later)."""
    qs = Appeal.objects.filter(pk=appeal_id).order_by()
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True)
    return bool(list(qs.values_list("pk", flat=True)))


def _at_risk(step: Step, players: Players, now: datetime) -> bool:
    with transaction.atomic():
        if not appeal_locked(step.appeal_id):
            return False
        claimed = Step.objects.filter(
            pk=step.pk, completed_at__isnull=True, at_risk_notified_at__isnull=True
        ).update(at_risk_notified_at=now)
        if claimed != 1:
            return False
        appeal, s = step.appeal, sop.step(step.number)
        notify(
            recipients=players.of(step.actor, appeal),
            kind=Kind.STEP_AT_RISK,
            appeal=appeal,
            step=step,
            message=(
                N_(
                    "Langkah %(step)s (%(title)s) banding %(number)s hampir jatuh tempo: "
                    "batas waktunya %(when)s."
                )
                % {
                    "step": s.number,
                    "title": s.title,
                    "number": appeal.number,
                    "when": when(step.due_at),
                }
            ),
        )
        record(
            action=Action.DEADLINE_AT_RISK,
            summary=(
                f"Pengingat: langkah {s.number} ({s.title}) hampir jatuh tempo, "
                f"batas waktu {when(step.due_at)}"
            ),
            appeal=appeal,
            step=s.number,
            data=_data(step),
        )
    return True


def _overdue(step: Step, players: Players, now: datetime) -> bool:
    with transaction.atomic():
        if not appeal_locked(step.appeal_id):
            return False
        claimed = Step.objects.filter(
            pk=step.pk, completed_at__isnull=True, overdue_notified_at__isnull=True
        ).update(
            overdue_notified_at=now,
            # An at-risk reminder not sent yet would only arrive after this notice.
            at_risk_notified_at=Coalesce(F("at_risk_notified_at"), now),
        )
        if claimed != 1:
            return False
        appeal, s = step.appeal, sop.step(step.number)
        actors = players.of(step.actor, appeal)
        # Someone who is both actor and supervisor gets the actor's notice only.
        supervisors = players.supervisors(step.actor, appeal) - actors
        due = when(step.due_at)
        notify(
            recipients=actors,
            kind=Kind.STEP_OVERDUE,
            appeal=appeal,
            step=step,
            message=(
                N_(
                    "Langkah %(step)s (%(title)s) banding %(number)s terlambat: batas "
                    "waktunya %(due)s sudah lewat."
                )
                % {"step": s.number, "title": s.title, "number": appeal.number, "due": due}
            ),
        )
        notify(
            recipients=supervisors,
            kind=Kind.ESCALATION,
            appeal=appeal,
            step=step,
            message=(
                N_(
                    "Eskalasi: langkah %(step)s (%(title)s) banding %(number)s, pelaksana "
                    "%(executor)s, terlambat sejak %(due)s."
                )
                % {
                    "step": s.number,
                    "title": s.title,
                    "number": appeal.number,
                    "executor": executor(step.actor, appeal),
                    "due": due,
                }
            ),
        )
        record(
            action=Action.DEADLINE_OVERDUE,
            summary=(
                f"Terlambat: langkah {s.number} ({s.title}) melewati batas waktu {due}"
                + ("; dieskalasi" if supervisors else "")
            ),
            appeal=appeal,
            step=s.number,
            data={**_data(step), "escalated_to": len(supervisors)},
        )
    return True


def when(instant: datetime | None) -> str:
    """'Selasa, 17 Maret 2026 pukul 11:00 WIB', whatever the active locale."""
    if instant is None:
        return "—"
    return format_instant(instant, pukul=True)


def _data(step: Step) -> dict:
    return {"step_id": step.pk, "actor": step.actor, "due_at": step.due_at}
