from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from banding.workdays.calendar import DEFAULT_OFFICE_HOURS, WorkCalendar, calendar_from

WIB = ZoneInfo("Asia/Jakarta")


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def cal() -> WorkCalendar:
    """The default calendar (settings' defaults, holidays package, no overrides), no database."""
    return calendar_from(
        office_hours=DEFAULT_OFFICE_HOURS,
        time_zone="Asia/Jakarta",
        calendar_days_for_max=False,
        overrides=[],
    )
