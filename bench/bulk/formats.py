"""Values as the database and the product write them, from epoch seconds and random bits,
fast: each generated appeal formats dozens of instants, so days and times of day are looked up
in tables instead of going through datetime."""

from __future__ import annotations

import base64
import random
from datetime import UTC, date, datetime, timedelta

from banding.formats import WIB, format_date

DAY = 86400
CLOCK = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY)]


class Clock:
    """Formats instants (epoch seconds, whole) in the shapes the product stores and shows."""

    def __init__(self, first: int, last: int, *, aware_db: bool) -> None:
        self.base = first // DAY - 2
        days = range(self.base, last // DAY + 3)
        self.days = [(date(1970, 1, 1) + timedelta(days=d)).isoformat() for d in days]
        self._wib_offset = int(datetime(2000, 1, 1, tzinfo=WIB).utcoffset().total_seconds())
        self._wib_days = [format_date(date(1970, 1, 1) + timedelta(days=d)) for d in days]
        self._year_months = [(int(day[:4]), int(day[5:7])) for day in self.days]
        # SQLite: Django stores naive UTC text; PostgreSQL: an instant with its offset.
        self.db_suffix = "+00" if aware_db else ""
        self._minutes: dict[int, str] = {}

    def _day(self, t: int) -> str:
        return self.days[t // DAY - self.base]

    def db(self, t: int | None) -> str | None:
        """A DateTimeField value as Django writes it."""
        if t is None:
            return None
        return f"{self.days[t // DAY - self.base]} {CLOCK[t % DAY]}{self.db_suffix}"

    def iso(self, t: int) -> str:
        """datetime.astimezone(UTC).isoformat(): the audit hash's created_at."""
        return f"{self.days[t // DAY - self.base]}T{CLOCK[t % DAY]}+00:00"

    def json(self, t: int) -> str:
        """A datetime in JSON data as DjangoJSONEncoder writes it (UTC: ...Z)."""
        return f"{self.days[t // DAY - self.base]}T{CLOCK[t % DAY]}Z"

    def local_date(self, t: int) -> str:
        """The date in WIB, ISO (a DateField value)."""
        return self.days[(t + self._wib_offset) // DAY - self.base]

    def local_year_month(self, t: int) -> tuple[int, int]:
        return self._year_months[(t + self._wib_offset) // DAY - self.base]

    def wib(self, t: int) -> str:
        """formats.format_instant(pukul=True): 'Rabu, 25 Maret 2026 pukul 10:00 WIB'."""
        minute = t // 60
        text = self._minutes.get(minute)
        if text is None:
            local = t + self._wib_offset
            clock = CLOCK[local % DAY][:5]
            text = f"{self._wib_days[local // DAY - self.base]} pukul {clock} WIB"
            self._minutes[minute] = text
        return text


def aware(t: int) -> datetime:
    return datetime.fromtimestamp(t, UTC)


_VERSION = ~(0xF000 << 64) & ~(0xC000 << 48)
_UUID4 = (0x4000 << 64) | (0x8000 << 48)


def uuid_hex(rng: random.Random) -> str:
    """A random (version 4) UUID from the seeded generator, as 32 hex digits."""
    return f"{(rng.getrandbits(128) & _VERSION) | _UUID4:032x}"


def dashed(hex_: str) -> str:
    """str(uuid.UUID(hex_)): the form the services put in event data."""
    return f"{hex_[:8]}-{hex_[8:12]}-{hex_[12:16]}-{hex_[16:20]}-{hex_[20:]}"


def token(rng: random.Random) -> str:
    """secrets.token_urlsafe(12), from the seeded generator."""
    return base64.urlsafe_b64encode(rng.randbytes(12)).rstrip(b"=").decode()
