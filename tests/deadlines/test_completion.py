"""A step's deadline state as the clock moves, and what a step records when it completes: the
working time it took and whether it kept its standard time."""

from __future__ import annotations

from banding import formats
from banding.appeals import deadlines
from banding.appeals.deadlines import DeadlineState
from tests.deadlines.conftest import wib
from tests.factories import register, verify_relevant, walk


def verify(p, appeal):
    """Step 3 the relevant way, its nota dinas issued, completed at the clock's instant."""
    return verify_relevant(p, appeal)


def test_state_moves_from_on_time_to_at_risk_to_overdue_on_the_stored_instants(p, clock):
    clock(wib(2026, 3, 9, 7, 30))
    appeal = register(p)
    due, at_risk = appeal.current_due_at, appeal.current_at_risk_at
    assert deadlines.state_of(due, at_risk, wib(2026, 3, 9, 13, 52)) == DeadlineState.ON_TIME
    assert deadlines.state_of(due, at_risk, wib(2026, 3, 9, 13, 53)) == DeadlineState.AT_RISK
    assert deadlines.state_of(due, at_risk, wib(2026, 3, 10, 7, 29)) == DeadlineState.AT_RISK
    assert deadlines.state_of(due, at_risk, wib(2026, 3, 10, 7, 30)) == DeadlineState.OVERDUE


def test_completing_within_the_standard_records_working_time_and_within(p, clock):
    clock(wib(2026, 3, 17, 10, 0))
    appeal = register(p)
    clock(wib(2026, 3, 25, 9, 0))
    verify(p, appeal)
    step = appeal.steps.get(number=3)
    # 10:00–16:00 on 17 March, 07:30–09:00 on 25 March; the closed days in between count not.
    assert (step.working_minutes, step.within_standard) == (450, True)
    assert formats.format_minutes(step.working_minutes) == "7 jam 30 menit"


def test_completing_exactly_on_the_due_instant_is_within_the_standard(p, clock):
    clock(wib(2026, 3, 17, 10, 0))
    appeal = register(p)
    clock(wib(2026, 3, 25, 10, 0))
    verify(p, appeal)
    step = appeal.steps.get(number=3)
    assert (step.working_minutes, step.within_standard) == (510, True)


def test_completing_after_the_due_instant_exceeds_the_standard(p, clock):
    clock(wib(2026, 3, 17, 10, 0))
    appeal = register(p)
    clock(wib(2026, 3, 25, 10, 1))
    appeal = verify(p, appeal)
    step = appeal.steps.get(number=3)
    assert (step.working_minutes, step.within_standard) == (511, False)
    # The next step counts from its own start.
    appeal.refresh_from_db()
    assert appeal.current_step == 5
    assert appeal.current_due_at == wib(2026, 3, 26, 10, 1)


def test_intake_measures_steps_1_and_2_from_the_letters_arrival(p, clock):
    clock(wib(2026, 3, 9, 9, 0))
    appeal = register(p, received_at=wib(2026, 3, 6, 15, 50))  # Friday before
    submitted, recorded = appeal.steps.get(number=1), appeal.steps.get(number=2)
    assert (submitted.working_minutes, submitted.within_standard) == (0, True)
    # Friday 15:50–16:30 and Monday 07:30–09:00: 130 minutes for a 15-minute step.
    assert (recorded.working_minutes, recorded.within_standard) == (130, False)
    assert recorded.due_at == wib(2026, 3, 6, 16, 5)


def test_closing_clears_the_appeals_deadline_but_keeps_each_steps(p, clock):
    clock(wib(2026, 3, 9, 9, 0))
    appeal = walk(p, register(p), 13)
    assert appeal.current_due_at is None and appeal.current_at_risk_at is None
    assert all(s.due_at is not None for s in appeal.steps.all())
    # Recorded an hour after the letter arrived: step 2 (15 menit) alone exceeded.
    assert [s.number for s in appeal.steps.all() if not s.within_standard] == [2]
