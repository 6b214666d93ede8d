"""The SOP progress of one appeal, derived from the definition and the appeal's steps:
every step of SOP 5.1.24 is done, current, still ahead, or not applicable (the other branch
of a decision)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

from banding import formats
from banding.appeals import deadlines
from banding.appeals.deadlines import DeadlineState
from banding.appeals.models import Appeal, Step
from banding.sop import definition as sop

DONE = "done"
CURRENT = "current"
AHEAD = "ahead"
NOT_APPLICABLE = "na"

STATE_LABELS = {
    DONE: N_("Selesai"),
    CURRENT: N_("Sedang berjalan"),
    AHEAD: N_("Belum"),
    NOT_APPLICABLE: N_("Tidak berlaku"),
}


@dataclass(frozen=True)
class Occurrence:
    started_at: datetime
    completed_at: datetime | None
    completed_by: str
    outcome: str  # the outcome label from the definition
    working_minutes: int | None = None
    within_standard: bool | None = None

    @property
    def working_time(self) -> str:
        return formats.format_minutes(self.working_minutes)

    @property
    def standard_label(self) -> str:
        if self.within_standard is None:
            return ""
        return (
            gettext("sesuai mutu baku") if self.within_standard else gettext("melebihi mutu baku")
        )


@dataclass
class Row:
    step: sop.Step
    state: str
    occurrences: list[Occurrence] = field(default_factory=list)
    condition: str = ""  # for a step ahead only on another outcome: "bila Tidak relevan"
    due_at: datetime | None = None  # of the open occurrence (the current step)
    deadline_state: DeadlineState | None = None

    @property
    def state_label(self) -> str:
        return gettext(STATE_LABELS[self.state])


def _ahead(current: int | None) -> tuple[list[int], dict[int, str]]:
    """The main path after the current step, and the steps reachable only through another
    outcome of it (with that outcome's label)."""
    if current is None:
        return [], {}
    main = sop.path_from(current)[1:]
    others: dict[int, str] = {}
    for outcome in sop.step(current).outcomes[1:]:
        if outcome.next_step == sop.END:
            continue
        for number in sop.path_from(outcome.next_step):
            if number not in main and number != current:
                others.setdefault(number, outcome.label)
    return main, others


def progress(appeal: Appeal, steps: Iterable[Step], now: datetime | None = None) -> list[Row]:
    by_number: dict[int, list[Step]] = {}
    open_step = None
    for s in steps:
        by_number.setdefault(s.number, []).append(s)
        if s.completed_at is None:
            open_step = s
    current = appeal.current_step if appeal.is_open else None
    main, others = _ahead(current)
    rows = []
    for definition in sop.STEPS:
        done = [s for s in by_number.get(definition.number, []) if s.completed_at is not None]
        occurrences = [
            Occurrence(
                started_at=s.started_at,
                completed_at=s.completed_at,
                completed_by=s.completed_by.display_name if s.completed_by else "",
                outcome=outcome_label(definition, s.outcome),
                working_minutes=s.working_minutes,
                within_standard=s.within_standard,
            )
            for s in done
        ]
        condition = ""
        if definition.number == current:
            state = CURRENT
        elif done:
            state = DONE
        elif definition.number in main:
            state = AHEAD
        elif definition.number in others:
            state = AHEAD
            condition = gettext("bila %(outcome)s") % {"outcome": others[definition.number].lower()}
        else:
            state = NOT_APPLICABLE
        row = Row(definition, state, occurrences, condition)
        if state == CURRENT and open_step is not None and open_step.number == definition.number:
            row.due_at = open_step.due_at
            row.deadline_state = deadlines.state_of(open_step.due_at, open_step.at_risk_at, now)
        rows.append(row)
    return rows


def outcome_label(definition: sop.Step, outcome: str) -> str:
    """An occurrence's outcome in words: the step's own, or the ending that stopped it (a
    withdrawal, a duplicate: banding.appeals.services.ending)."""
    if not outcome:
        return ""
    if outcome in sop.ENDED_EARLY:
        return gettext("Dihentikan: %(ending)s") % {
            "ending": sop.ENDED_EARLY[outcome].label.lower()
        }
    return definition.outcome(outcome).label
