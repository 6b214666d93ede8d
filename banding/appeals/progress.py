"""Where an appeal stands in the customer's words: its milestones (banding.sop.definition)
done, current or still ahead, and when the next one is expected if every step on the way
takes its standard time. The portal, the receipt and the API read it from here (what of it
a customer sees: banding.letters.visibility).

Everything but `milestones_of` works from the appeal's own denormalised columns, so a list of
appeals costs no query per row (the working calendar is the process's cached one)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from banding.appeals.deadlines import deadline_for
from banding.appeals.models import Appeal, Status, Step
from banding.sop import definition as sop
from banding.sop.definition import Milestone, Stage, reached_by, steps_until
from banding.workdays.calendar import WorkCalendar, current_calendar

DONE = "done"
CURRENT = "current"
AHEAD = "ahead"

STATE_LABELS = {
    DONE: N_("Sudah"),
    CURRENT: N_("Sedang berjalan"),
    AHEAD: N_("Belum"),
}


def _is_open(appeal: Appeal) -> bool:
    return appeal.status == Status.OPEN and appeal.current_step is not None


def path_of(appeal: Appeal) -> tuple[Stage, ...]:
    """The milestones of the path the appeal is on: the usual one until a decision sent it
    another way the SOP draws (its current step or its closing status is on that way only,
    as the rejection at step 4 is)."""
    usual = sop.path_from(sop.FIRST_STEP)
    for choices in sop.paths()[1:]:
        numbers = sop.path_from(sop.FIRST_STEP, choices)
        closing = sop.outcome_path(sop.FIRST_STEP, choices)[-1].closes_as
        if appeal.status == closing or (
            _is_open(appeal) and appeal.current_step in numbers and appeal.current_step not in usual
        ):
            return sop.stage_path(choices)
    return sop.stage_path()


def next_stage(appeal: Appeal) -> Stage | None:
    """The milestone the customer waits for now; None once the appeal is finished."""
    return sop.next_stage(appeal.open_step_number) if _is_open(appeal) else None


def stage_of(appeal: Appeal) -> Stage:
    """The last milestone reached. A decision returned by the head to the panel puts the
    appeal back before the meeting: it stands at "investigasi" again."""
    if appeal.status in sop.ENDED_EARLY:
        return sop.ENDED_EARLY[appeal.status]
    if appeal.status != Status.OPEN:
        return sop.closing_outcome(appeal.status)[1].milestone or sop.stage_path()[0]
    waiting = next_stage(appeal)
    if waiting is None:
        return sop.stage_path()[0]
    path = path_of(appeal)
    return path[max(path.index(waiting) - 1, 0)]


def next_milestone_expected_at(
    appeal: Appeal, calendar: WorkCalendar | None = None
) -> datetime | None:
    """When the next milestone is expected: the current step's due instant, then the standard
    time of each later step up to the one that reaches the milestone, chained."""
    if not _is_open(appeal) or appeal.current_due_at is None:
        return None
    cal = calendar or current_calendar()
    number = appeal.open_step_number
    instant = appeal.current_due_at
    for later in steps_until(sop.next_stage(number), number)[1:]:
        instant = deadline_for(later, instant, cal).due_at
    return instant


def expected_after(step: Step, calendar: WorkCalendar | None = None) -> datetime | None:
    """When the milestone that step `step` leads to was expected when that step opened (the
    receipt's "perkiraan"): its due instant, then the later steps' standard times."""
    if step.due_at is None or sop.step(step.number).actor == sop.Actor.PEL:
        return None
    stage = sop.next_stage(step.number)
    cal = calendar or current_calendar()
    instant = step.due_at
    for later in steps_until(stage, step.number)[1:]:
        instant = deadline_for(later, instant, cal).due_at
    return instant


@dataclass(frozen=True)
class MilestoneRow:
    stage: Stage
    state: str  # DONE, CURRENT or AHEAD
    reached_at: datetime | None = None  # DONE: when
    told: str = ""  # DONE: what the customer was told then
    expected_at: datetime | None = None  # CURRENT: when it is expected
    late: bool = False  # CURRENT: that instant has passed (a step took longer than its time)

    @property
    def label(self) -> str:
        return self.stage.label

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def milestones_of(
    appeal: Appeal,
    steps: Iterable[Step],
    *,
    now: datetime | None = None,
    calendar: WorkCalendar | None = None,
) -> list[MilestoneRow]:
    """Every milestone of the appeal's path, from its step occurrences (already read)."""
    reached: dict[Stage, tuple[datetime, Milestone]] = {}
    for step in steps:
        completed_at = step.completed_at
        milestone = reached_by(step.number, step.outcome) if completed_at else None
        if completed_at is None or milestone is None:
            continue
        # The latest occurrence counts: a meeting held again after a returned decision.
        earlier = reached.get(milestone.stage)
        if earlier is None or earlier[0] <= completed_at:
            reached[milestone.stage] = (completed_at, milestone)
    if appeal.status in sop.ENDED_EARLY:
        return _ended_early(appeal, reached)
    path = path_of(appeal)
    waiting = next_stage(appeal)
    current = path.index(waiting) if waiting is not None else len(path)
    rows = []
    for index, stage in enumerate(path):
        if index < current:
            at, milestone = reached.get(stage, (None, None))
            rows.append(MilestoneRow(stage, DONE, at, milestone.told if milestone else ""))
        elif index == current:
            expected = next_milestone_expected_at(appeal, calendar)
            late = expected is not None and expected < (now or timezone.now())
            rows.append(MilestoneRow(stage, CURRENT, expected_at=expected, late=late))
        else:
            rows.append(MilestoneRow(stage, AHEAD))
    return rows


def _ended_early(
    appeal: Appeal, reached: dict[Stage, tuple[datetime, Milestone]]
) -> list[MilestoneRow]:
    """A withdrawn appeal, or one closed as a duplicate: the milestones it reached, then
    where it ended (no milestone is ahead of it any more)."""
    rows = [
        MilestoneRow(stage, DONE, at, milestone.told)
        for stage, (at, milestone) in sorted(reached.items(), key=lambda item: item[1][0])
    ]
    ended = sop.ENDED_EARLY[appeal.status]
    return [*rows, MilestoneRow(ended, DONE, appeal.closed_at)]
