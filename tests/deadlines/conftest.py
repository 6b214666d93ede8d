"""The deadline tests run on a frozen clock, with real 2026 dates of the Indonesian calendar
(March 2026: 18 cuti bersama Nyepi, 19 Nyepi, 20–24 Idul Fitri and its cuti bersama)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.api.conftest import api  # noqa: F401  (the API callers fixture, shared)

WIB = ZoneInfo("Asia/Jakarta")


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def clock(time_machine):
    """`clock(dt)` stops the clock at dt (never ticking) until it is moved again."""

    def move(instant: datetime) -> datetime:
        time_machine.move_to(instant, tick=False)
        return instant

    return move
