"""The deadline sweep (`banding sla`, and every minute in `banding worker`).

When an open step becomes at risk its actor gets a reminder; when it becomes overdue its actor
is told and the step escalates up the SOP's ladder (sop.ladder): to the actor's direct
supervisor at once, and — for a step whose ladder has a second rung (a Staff PJTK step: Ketua
Tim PJTK, then Kepala Balai) — to the next one up when it is still open
BANDING_ESCALATION_HEAD_DELAY_DAYS working days later (the work calendar: weekends, holidays
and closures do not count). Each notice is written once per step, and each is an event on the
appeal. The notices wait for their person's digest e-mail (banding.notifications.digests); the
sweep itself never mails.

Set speed: the ids of the pending steps are read once per sweep, from the partial indexes
step_overdue_pending, step_head_escalation_pending and step_at_risk_pending alone (open steps
not yet told), and handled a batch at a time (BATCH_SIZE) in id order, each batch in one
transaction of a fixed number of statements whatever its size (past 64 rows, one more per
chunk of rows: banding.rows):
  1. read the batch's steps and appeals as values, outside the transaction (instances made
     without Model.__init__: banding.rows.loaded);
  2. lock the batch's appeals in one SELECT … FOR UPDATE SKIP LOCKED (PostgreSQL; SQLite's
     IMMEDIATE transaction already holds the write lock): the appeals returned are this
     sweep's, one another sweep or a user holds is passed by — the same lock order as the
     services, so never a deadlock;
  3. claim the still-pending steps of those appeals with one conditional UPDATE … RETURNING
     (`…_at IS NULL` → now): a step another sweep claimed first, or completed meanwhile, is
     not returned;
  4. write the notices of the claimed steps (one upsert, through the notices hook) and their
     events (banding.audit.log.record_each: three statements).
A step claimed is never notified again; a batch that fails rolls back whole (claims, notices,
events), is logged, and is retried by the next sweep; this sweep goes on with the next batch.
On SQLite a thread checkpoints the log alongside (banding.appeals.batching).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Case, F, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import TechnicalTeam
from banding.appeals.actors import Players, executor
from banding.appeals.batching import checkpointed_alongside, lock_appeals, update_returning
from banding.appeals.models import Appeal, Status, Step
from banding.appeals.notices import Kind, Notice, notify_each
from banding.audit.actions import Action
from banding.audit.log import Entry, record_each
from banding.configured import whole_number
from banding.formats import format_instant
from banding.rows import loaded
from banding.sop import definition as sop
from banding.workdays.calendar import current_calendar

logger = logging.getLogger(__name__)

# Measured on 100,000 all-open steps (bench/sweep.py, docs/performance.md): 500 to 2,000 cost
# about the same per step; 1,000 keeps a batch's transaction (and SQLite's write lock) short.
BATCH_SIZE = 1000

# The actors whose late steps have a second rung (today: Staff PJTK), from the SOP definition.
TWO_RUNGS = tuple(actor.value for actor in sop.Actor if len(sop.ladder(actor)) > 1)


def head_escalation_delay() -> int:
    """BANDING_ESCALATION_HEAD_DELAY_DAYS as a number of working days; ImproperlyConfigured
    when it makes no sense (not a whole number, zero or negative)."""
    return whole_number("BANDING_ESCALATION_HEAD_DELAY_DAYS", "hari kerja")


@dataclass(frozen=True)
class SweepResult:
    at_risk: int = 0  # steps whose at-risk reminder was sent by this sweep
    overdue: int = 0  # steps whose overdue notice and first escalation were sent
    escalated: int = 0  # steps escalated to the ladder's second rung (the Kepala Balai)
    failed: int = 0  # steps of batches that could not be written (logged; retried next sweep)

    def __bool__(self) -> bool:
        return bool(self.at_risk or self.overdue or self.escalated or self.failed)

    def __str__(self) -> str:
        text = (
            f"{self.at_risk} langkah hampir jatuh tempo diingatkan, "
            f"{self.overdue} langkah terlambat dilaporkan"
        )
        if self.escalated:
            text += f", {self.escalated} langkah dieskalasi kepada Kepala Balai"
        return f"{text}, {self.failed} gagal" if self.failed else text


# --- what is pending ---------------------------------------------------------------------


def overdue_pending(now: datetime) -> QuerySet[Step]:
    """Open steps past their due instant whose overdue notice is not sent: exactly the
    condition of the partial index step_overdue_pending, ranged on due_at."""
    return Step.objects.filter(
        completed_at__isnull=True, overdue_notified_at__isnull=True, due_at__lte=now
    ).order_by("due_at", "pk")


def head_escalation_pending(now: datetime) -> QuerySet[Step]:
    """Open steps whose second escalation is due and not sent: the partial index
    step_head_escalation_pending, ranged on head_escalation_due_at."""
    return Step.objects.filter(
        completed_at__isnull=True,
        head_escalated_at__isnull=True,
        head_escalation_due_at__isnull=False,
        head_escalation_due_at__lte=now,
    ).order_by("head_escalation_due_at", "pk")


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


Told = tuple[list[Notice], list[tuple[Appeal, list[Entry]]]]


@dataclass(frozen=True)
class Phase:
    """One kind of notice the sweep sends: which steps are pending, what claiming one writes
    on it, and what is told about the steps claimed."""

    pending: Callable[[datetime], QuerySet[Step]]
    claim: Callable[[datetime], dict[str, Any]]
    tell: Callable[[Sequence[Step], Players, datetime], Told]


def sla_sweep(now: datetime | None = None, *, batch_size: int = BATCH_SIZE) -> SweepResult:
    """Send every at-risk reminder, overdue notice and escalation due at `now` (default: the
    clock)."""
    now = now or timezone.now()
    # Overdue first: a step that went overdue unnoticed (the sweep was down) gets only the
    # overdue notice, and its at-risk reminder is then marked as no longer needed. A step
    # told overdue now is escalated further only after the delay, by a later sweep. The three
    # are read first, from their partial indexes alone: they cannot overlap (overdue is due
    # at or before `now`, at risk after it; the second rung is due a working day or more
    # after the overdue notice that sets it), and each claim checks its step again.
    phases = (OVERDUE, HEAD, AT_RISK)
    pending = [
        sorted(phase.pending(now).order_by().values_list("pk", flat=True)) for phase in phases
    ]
    if not any(pending):
        return SweepResult()
    teams = _teams()
    with checkpointed_alongside():
        (overdue, failed_overdue), (escalated, failed_head), (at_risk, failed_at_risk) = (
            _sweep(phase, ids, teams, now, batch_size)
            for phase, ids in zip(phases, pending, strict=True)
        )
    return SweepResult(
        at_risk=at_risk,
        overdue=overdue,
        escalated=escalated,
        failed=failed_overdue + failed_head + failed_at_risk,
    )


# What a batch reads of its steps and their appeals, as values: what the notices and events
# say but the deadlines, which the claim returns as it finds them.
BATCH_FIELDS = ("id", "appeal_id", "number", "actor", "appeal__number", "appeal__technical_team_id")
TEAM = Appeal._meta.get_field("technical_team")
STEP = Step._meta.get_field("appeal")


def _teams() -> dict[int, TechnicalTeam]:
    """The technical teams by id (a handful), read once per sweep."""
    return {team.pk: team for team in TechnicalTeam.objects.only("name")}


def _read(ids: list[int], teams: dict[int, TechnicalTeam], db: str) -> list[Step]:
    """The batch's steps with their appeals, read as values (one query) and made into
    instances holding those fields alone (banding.rows.loaded): model instances through
    the ORM cost 1.5 s of a sweep of 100,000 open steps, for five fields each."""
    steps = []
    rows = Step.objects.filter(pk__in=ids).order_by("pk").values_list(*BATCH_FIELDS)
    for pk, appeal_id, number, actor, appeal_number, team_id in rows:
        appeal = loaded(
            Appeal,
            {"id": appeal_id, "number": appeal_number, "technical_team_id": team_id},
            db=db,
        )
        # One object per team, not one per step: a notice names the team.
        TEAM.set_cached_value(appeal, teams.get(team_id or 0))
        step = loaded(
            Step, {"id": pk, "appeal_id": appeal_id, "number": number, "actor": actor}, db=db
        )
        STEP.set_cached_value(step, appeal)
        steps.append(step)
    return steps


def _sweep(
    phase: Phase,
    pending: list[int],
    teams: dict[int, TechnicalTeam],
    now: datetime,
    batch_size: int,
) -> tuple[int, int]:
    """Handle the phase's pending steps (their ids, ascending) batch by batch; returns
    (claimed, failed). Taken in id order, the steps, their appeals, chains and notices of one
    batch sit together in their tables and indexes, so a batch writes a few thousand pages,
    not several pages per row (ordered by due instant, most of the sweep's time on 100,000
    open steps was its commits). A step passed by (its appeal locked, its batch failed) is
    left for the next sweep, as is a step that became pending meanwhile."""
    claimed = failed = 0
    claim: dict[str, Any] | None = None  # what a claim writes: the same for every batch
    db = Step.objects.db
    for start in range(0, len(pending), batch_size):
        ids = pending[start : start + batch_size]
        try:
            batch = _read(ids, teams, db)
            claim = claim if claim is not None else phase.claim(now)
            claimed += _batch(phase, batch, claim, now)
        except Exception:
            logger.exception(
                "Pemberitahuan tenggat %s langkah (id %s–%s) gagal; diulang pada sapuan "
                "berikutnya.",
                len(ids),
                ids[0],
                ids[-1],
            )
            failed += len(ids)
    return claimed, failed


def _batch(phase: Phase, batch: list[Step], claim: dict[str, Any], now: datetime) -> int:
    """One batch in one transaction: lock its appeals, claim its still-pending steps, tell."""
    with transaction.atomic():
        appeals = lock_appeals({step.appeal_id for step in batch})
        if not appeals:
            return 0
        claimable = [step.pk for step in batch if step.appeal_id in appeals]
        fresh = update_returning(
            phase.pending(now).filter(pk__in=claimable).order_by(),
            claim,
            returning=("id", "due_at", "overdue_notified_at"),
        )
        if not fresh:
            return 0
        by_pk = {step.pk: step for step in batch}
        steps = []
        for pk, due_at, overdue_notified_at in fresh:
            # What the claim found, not what the read before it did (a deadline may have moved).
            step = by_pk[pk]
            step.due_at, step.overdue_notified_at = due_at, overdue_notified_at
            steps.append(step)
        steps.sort(key=lambda step: step.pk)  # RETURNING's order is the engine's
        notices, events = phase.tell(steps, Players(s.appeal for s in steps), now)
        notify_each(notices=[n for n in notices if n.recipients])
        record_each(events, returning=False)
    return len(steps)


# --- what each phase writes and tells ------------------------------------------------------


def _overdue_claim(now: datetime) -> dict[str, Any]:
    # The second rung, for the steps whose ladder has one: the same instant for the whole
    # sweep (counted from this notice), so one set-based UPDATE writes it.
    head_due = current_calendar().add_days(now, head_escalation_delay())
    return {
        "overdue_notified_at": now,
        # An at-risk reminder not sent yet would only arrive after this notice.
        "at_risk_notified_at": Coalesce(F("at_risk_notified_at"), Value(now)),
        "head_escalation_due_at": Case(
            When(actor__in=TWO_RUNGS, then=Value(head_due)), default=Value(None)
        ),
    }


def _overdue(steps: Sequence[Step], players: Players, now: datetime) -> Told:
    notices: list[Notice] = []
    events: list[tuple[Appeal, list[Entry]]] = []
    for step in steps:
        appeal, s = step.appeal, sop.step(step.number)
        actors = players.of(step.actor, appeal)
        rungs = sop.ladder(step.actor)
        # Someone who is both actor and supervisor gets the actor's notice only.
        supervisors = (players.of(rungs[0], appeal) if rungs else frozenset()) - actors
        due = when(step.due_at)
        words = {"step": s.number, "title": s.title, "number": appeal.number, "due": due}
        notices.append(
            Notice(
                recipients=actors,
                kind=Kind.STEP_OVERDUE,
                appeal=appeal,
                step=step,
                message=N_(
                    "Langkah %(step)s (%(title)s) banding %(number)s terlambat: batas "
                    "waktunya %(due)s sudah lewat."
                )
                % words,
            )
        )
        notices.append(
            Notice(
                recipients=supervisors,
                kind=Kind.ESCALATION,
                appeal=appeal,
                step=step,
                message=N_(
                    "Eskalasi: langkah %(step)s (%(title)s) banding %(number)s, pelaksana "
                    "%(executor)s, terlambat sejak %(due)s."
                )
                % {**words, "executor": executor(step.actor, appeal)},
            )
        )
        summary = f"Terlambat: langkah {s.number} ({s.title}) melewati batas waktu {due}"
        entry = Entry(
            action=Action.DEADLINE_OVERDUE,
            summary=summary + ("; dieskalasi" if supervisors else ""),
            step=s.number,
            data={**_data(step), "escalated_to": len(supervisors)},
        )
        events.append((appeal, [entry]))
    return notices, events


def _head(steps: Sequence[Step], players: Players, now: datetime) -> Told:
    """The ladder's second rung: what the first rung could not resolve, to the one above."""
    notices: list[Notice] = []
    events: list[tuple[Appeal, list[Entry]]] = []
    for step in steps:
        appeal, s = step.appeal, sop.step(step.number)
        first, second = sop.ladder(step.actor)[:2]
        # Those told already (the actors, the first rung) are not told again as the second.
        told = players.of(step.actor, appeal) | players.of(first, appeal)
        heads = players.of(second, appeal) - told
        words = {
            "step": s.number,
            "title": s.title,
            "number": appeal.number,
            "executor": executor(step.actor, appeal),
            "due": when(step.due_at),
            "before": sop.ACTOR_LABELS[first],
            "since": when(step.overdue_notified_at),
        }
        notices.append(
            Notice(
                recipients=heads,
                kind=Kind.ESCALATION,
                appeal=appeal,
                step=step,
                message=N_(
                    "Eskalasi lanjutan: langkah %(step)s (%(title)s) banding %(number)s, "
                    "pelaksana %(executor)s, terlambat sejak %(due)s dan belum selesai "
                    "walaupun sudah dieskalasi kepada %(before)s sejak %(since)s."
                )
                % words,
            )
        )
        entry = Entry(
            action=Action.DEADLINE_ESCALATED,
            summary=(
                f"Eskalasi lanjutan: langkah {s.number} ({s.title}) terlambat sejak "
                f"{words['due']}, dieskalasi kepada {words['before']} sejak {words['since']}, "
                f"kini kepada {sop.ACTOR_LABELS[second]}"
            ),
            step=s.number,
            data={
                **_data(step),
                "rung": second.value,
                "before": first.value,
                "since": step.overdue_notified_at,
                "escalated_to": len(heads),
            },
        )
        events.append((appeal, [entry]))
    return notices, events


def _at_risk(steps: Sequence[Step], players: Players, now: datetime) -> Told:
    notices: list[Notice] = []
    events: list[tuple[Appeal, list[Entry]]] = []
    for step in steps:
        appeal, s = step.appeal, sop.step(step.number)
        due = when(step.due_at)
        notices.append(
            Notice(
                recipients=players.of(step.actor, appeal),
                kind=Kind.STEP_AT_RISK,
                appeal=appeal,
                step=step,
                message=N_(
                    "Langkah %(step)s (%(title)s) banding %(number)s hampir jatuh tempo: "
                    "batas waktunya %(when)s."
                )
                % {"step": s.number, "title": s.title, "number": appeal.number, "when": due},
            )
        )
        entry = Entry(
            action=Action.DEADLINE_AT_RISK,
            summary=(
                f"Pengingat: langkah {s.number} ({s.title}) hampir jatuh tempo, batas waktu {due}"
            ),
            step=s.number,
            data=_data(step),
        )
        events.append((appeal, [entry]))
    return notices, events


OVERDUE = Phase(pending=overdue_pending, claim=_overdue_claim, tell=_overdue)
HEAD = Phase(
    pending=head_escalation_pending,
    claim=lambda now: {"head_escalated_at": now},
    tell=_head,
)
AT_RISK = Phase(
    pending=at_risk_pending,
    claim=lambda now: {"at_risk_notified_at": now},
    tell=_at_risk,
)


def when(instant: datetime | None) -> str:
    """'Selasa, 17 Maret 2026 pukul 11:00 WIB', whatever the active locale."""
    if instant is None:
        return "—"
    return format_instant(instant, pukul=True)


def _data(step: Step) -> dict:
    return {"step_id": step.pk, "actor": step.actor, "due_at": step.due_at}
