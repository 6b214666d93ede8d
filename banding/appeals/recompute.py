"""When the working calendar changes, the open steps it affects get new deadlines.

A step's `due_at` and `at_risk_at` are computed once, when it opens (services._open_step);
an administrator closing an office day (or working a holiday) afterwards must move them, or
"what is late" would be answered with the old calendar. Completed steps keep what they
recorded: their working time was measured on the calendar of their day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q

from banding import formats
from banding.accounts.models import User
from banding.appeals import deadlines, hooks
from banding.appeals.models import Appeal, Step
from banding.audit.actions import Action
from banding.audit.log import record
from banding.workdays.calendar import WorkCalendar


def _candidates(day: date | None, calendar: WorkCalendar) -> Q:
    """Open steps the change can move. A change on `day` matters only to a step counted
    across it: started before the day ends and due no earlier than it begins. Anything else
    never reaches the day in its arithmetic."""
    condition = Q(completed_at__isnull=True, due_at__isnull=False)
    if day is None:
        return condition
    start = datetime.combine(day, time.min, tzinfo=calendar.tz)
    return condition & Q(due_at__gte=start, started_at__lt=start + timedelta(days=1))


def _renotify(step: Step) -> None:
    # A notice sent before the new instant was about the old deadline: let the sweep send
    # it again when the new one comes.
    notified, at_risk = step.at_risk_notified_at, step.at_risk_at
    if notified is not None and at_risk is not None and at_risk > notified:
        step.at_risk_notified_at = None
    notified, due = step.overdue_notified_at, step.due_at
    if notified is not None and due is not None and due > notified:
        step.overdue_notified_at = None
        # The escalation ladder starts again from the new overdue notice.
        step.head_escalation_due_at = step.head_escalated_at = None


@transaction.atomic
def deadlines_recompute(
    *, calendar: WorkCalendar, actor: User | None, reason: str, day: date | None = None
) -> list[Step]:
    """Recompute the deadlines of the open steps from their start on `calendar` (pass
    `load_calendar()` inside the transaction that changed the overrides: the cached calendar
    is only refreshed after it commits). `day` restricts the scan to the steps a change on
    that date can affect; None rechecks every open step. Each step that moved is saved with
    its appeal's denormalised columns and an audit event on that appeal. Returns the moved
    steps."""
    appeal_ids = list(
        Step.objects.filter(_candidates(day, calendar)).values_list("appeal_id", flat=True)
    )
    if not appeal_ids:
        return []
    # Lock the appeals (in a fixed order) as the SOP services do, then read their open step
    # again: a step completed meanwhile is left alone.
    appeals = {
        a.pk: a for a in Appeal.objects.select_for_update().filter(pk__in=appeal_ids).order_by("pk")
    }
    steps = Step.objects.filter(_candidates(day, calendar), appeal_id__in=appeals).order_by(
        "appeal_id"
    )
    moved: list[Step] = []
    earliest: list[datetime] = []
    for step in steps:
        deadline = deadlines.deadline_for(step.number, step.started_at, calendar)
        if (deadline.due_at, deadline.at_risk_at) == (step.due_at, step.at_risk_at):
            continue
        before = step.due_at
        assert before is not None  # _candidates: an open step with a deadline
        earliest.append(min(before, deadline.due_at))
        step.due_at, step.at_risk_at = deadline.due_at, deadline.at_risk_at
        _renotify(step)
        moved.append(step)
        appeal = appeals[step.appeal_id]
        appeal.current_due_at, appeal.current_at_risk_at = step.due_at, step.at_risk_at
        record(
            action=Action.DEADLINE_MOVED,
            summary=(
                f"Jatuh tempo langkah {step.number} bergeser dari "
                f"{formats.format_instant(before)} ke "
                f"{formats.format_instant(deadline.due_at)}: {reason}"
            ),
            actor=actor,
            appeal=appeal,
            step=step.number,
            data={"from": before, "to": step.due_at, "reason": reason},
            public=True,
        )
    if moved:
        Step.objects.bulk_update(
            moved,
            [
                "due_at",
                "at_risk_at",
                "at_risk_notified_at",
                "overdue_notified_at",
                "head_escalation_due_at",
                "head_escalated_at",
            ],
        )
        Appeal.objects.bulk_update(
            [appeals[s.appeal_id] for s in moved], ["current_due_at", "current_at_risk_at"]
        )
        # Whether a step was open and overdue at the end of a month moves with its due instant.
        hooks.figures_changed(since=min(earliest))
    return moved
