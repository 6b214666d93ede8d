"""What the appeal services trigger in the layers above them (banding.hooks).

The services call these inside their transaction; the letters app and the notifications
connect the receivers in their AppConfig.ready(). What a receiver writes commits or rolls
back with the action, and what it raises refuses the action.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from banding.hooks import hook

if TYPE_CHECKING:
    from datetime import datetime

    from banding.accounts.models import User
    from banding.appeals.models import Appeal, Step
    from banding.sop.definition import Milestone


@hook
def announce(
    *,
    opened: Sequence[tuple[Appeal, Step]] = (),
    reached: Sequence[tuple[Appeal, Milestone, Step | None]] = (),
) -> None:
    """Steps opened, whose actors are told it is their turn, and milestones reached, of which
    the customer is told, each with the step occurrence that reached it (notifications:
    banding.notifications.events.tell)."""


@hook
def completing(*, appeal: Appeal, step: Step, outcome: str, data: dict) -> None:
    """Open step `step` is about to complete with `outcome`: refuse (Conflict,
    `output_missing`) while an output the SOP requires for it is missing, and describe the
    outputs it has in `data["outputs"]` (letters: banding.letters.outputs.check)."""


@hook
def record_changed(*, appeal: Appeal, step: Step, user: User, outcome: str) -> None:
    """The actor of a record-first step recorded `outcome` on open step `step`: the letters
    made from an earlier record are reconciled with it, or the change is refused while one of
    them is issued (letters: banding.letters.services.reconcile_with_record)."""


@hook
def decision_returned(*, appeal: Appeal, step: Step, user: User, reason: str, data: dict) -> None:
    """The head returned the decision at open step `step` (10) to the panel: the letters of
    that decision are withdrawn and their drafts discarded; the withdrawn letters' public ids
    go into `data["withdrawn"]` (letters: banding.letters.services.withdraw_returned)."""


@hook
def panel_replaced(*, appeal: Appeal, user: User, reason: str, into: dict) -> None:
    """The head appointed a replacement for a seat vacated by a declared conflict of interest:
    the surat tugas is updated (a correction drafted, naming the panel as it now sits, for the
    head to issue), in the caller's transaction; the draft's public id goes into
    `into["letter"]` (letters: banding.letters.services.appointment_update)."""


@hook
def appointment_issued(*, appeal: Appeal, into: dict) -> None:
    """When the surat tugas in force (the latest issued version) of `appeal` was issued, into
    `into["issued_at"]` (None when none is): a replacement seat counts once a version issued
    after it names it (letters: banding.letters.services.appointment_in_force)."""


@hook
def figures_changed(*, since: datetime) -> None:
    """Steps completed, stopped or written, appeals received or ended, or deadlines moved, at
    instants from `since` on: the reports' figures frozen for the finished months from the
    month of `since` on are recomputed when next read (reports: banding.reports.rollups.
    invalidate). Called with the instant of the change."""
