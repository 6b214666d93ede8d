from datetime import date, timedelta

import pytest
from django.utils import timezone

from banding.appeals.models import Appeal, Decision
from banding.corrective import services
from banding.corrective.models import CorrectiveAction
from banding.corrective.services import Due
from banding.workdays.calendar import load_calendar
from tests.factories import Personas, register, walk


def at_step_10(p: Personas, decision: str = Decision.PARTLY) -> Appeal:
    """An appeal whose panel decision is recorded (step 9 complete), waiting for the head."""
    from tests.factories import decide

    appeal = walk(p, register(p), 9)
    appeal = decide(p, appeal, decision=decision)
    appeal.refresh_from_db()
    assert appeal.current_step == 10
    return appeal


@pytest.fixture
def decided(p) -> Appeal:
    return at_step_10(p)


def add(p: Personas, appeal: Appeal, **overrides) -> CorrectiveAction:
    fields = dict(
        appeal=appeal,
        user=p.lead,
        description="Kalibrasi ulang neraca analitik dan pelatihan analis.",
        owner=str(p.tech.public_id),
        due=Due(days=5),
    )
    fields.update(overrides)
    return services.corrective_add(**fields)


def working_day(direction: int, *, start: date | None = None) -> date:
    """The nearest working day after (1) or before (-1) today."""
    calendar = load_calendar()
    day = (start or timezone.localdate()) + timedelta(days=direction)
    while not calendar.is_working_day(day):
        day += timedelta(days=direction)
    return day


def non_working_day() -> date:
    calendar = load_calendar()
    day = timezone.localdate() + timedelta(days=1)
    while calendar.is_working_day(day):
        day += timedelta(days=1)
    return day
