"""The arithmetic agrees with walking the clock minute by minute (hypothesis)."""

from datetime import date, datetime, time, timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from banding.workdays.calendar import DEFAULT_OFFICE_HOURS, WorkCalendar, calendar_from
from tests.workdays.conftest import wib

MINUTE = timedelta(minutes=1)
# March-April 2026: Nyepi, Idul Fitri with its cuti bersama, Good Friday, plain weeks.
BASE = wib(2026, 3, 1)
SPAN_MINUTES = 60 * 24 * 61
WALK_LIMIT = 60 * 24 * 40  # a brute-force walk longer than this is not worth the time

PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def default_calendar() -> WorkCalendar:
    return calendar_from(
        office_hours=DEFAULT_OFFICE_HOURS,
        time_zone="Asia/Jakarta",
        calendar_days_for_max=False,
        overrides=[],
    )


DEFAULT = default_calendar()


def working_minute(cal: WorkCalendar, instant: datetime) -> bool:
    """Is the minute starting at `instant` worked? From the definition only: the day is a
    working day and the minute lies in that weekday's office hours."""
    local = instant.astimezone(cal.tz)
    if not cal.is_working_day(local.date()):
        return False
    opening, closing = cal.hours[local.weekday()]
    return opening <= local.time() < closing


def walk_minutes(cal: WorkCalendar, start: datetime, minutes: int) -> datetime | None:
    """The end of the `minutes`-th worked minute after `start`, one minute at a time."""
    counted, instant = 0, start
    for _ in range(WALK_LIMIT):
        if working_minute(cal, instant):
            counted += 1
            if counted == minutes:
                return instant + MINUTE
        instant += MINUTE
    return None


def count_minutes(cal: WorkCalendar, start: datetime, end: datetime) -> int:
    counted, instant = 0, start
    while instant < end:
        counted += working_minute(cal, instant)
        instant += MINUTE
    return counted


@st.composite
def near_a_boundary(draw) -> datetime:
    """A few minutes around an opening or a closing, where off-by-one mistakes live."""
    day = BASE.date() + timedelta(days=draw(st.integers(0, 60)))
    opening, closing = DEFAULT_OFFICE_HOURS.get(day.weekday(), ("07:30", "16:00"))
    edge = datetime.combine(day, time.fromisoformat(draw(st.sampled_from([opening, closing]))))
    return (edge + draw(st.integers(-20, 20)) * MINUTE).replace(tzinfo=BASE.tzinfo)


instants = st.one_of(
    st.integers(0, SPAN_MINUTES).map(lambda m: BASE + m * MINUTE), near_a_boundary()
)


@PROPERTY
@given(start=instants, minutes=st.one_of(st.integers(1, 1500), st.integers(1, 40)))
def test_add_minutes_matches_a_minute_walk(start, minutes):
    assert DEFAULT.add_minutes(start, minutes) == walk_minutes(DEFAULT, start, minutes)


@PROPERTY
@given(start=instants, length=st.one_of(st.integers(0, 60 * 24 * 10), st.integers(0, 40)))
def test_working_minutes_between_matches_a_minute_count(start, length):
    end = start + length * MINUTE
    expected = count_minutes(DEFAULT, start, end)
    assert DEFAULT.working_minutes_between(start, end) == expected
    assert DEFAULT.working_minutes_between(end, start) == -expected


@PROPERTY
@given(start=instants, minutes=st.one_of(st.integers(0, 3000), st.integers(0, 40)))
def test_minutes_added_are_the_minutes_between(start, minutes):
    due = DEFAULT.add_minutes(start, minutes)
    assert DEFAULT.working_minutes_between(start, due) == minutes


@PROPERTY
@given(start=instants, days=st.integers(0, 35))
def test_add_days_lands_on_the_nth_working_day_within_its_hours(start, days):
    due = DEFAULT.add_days(start, days)
    begin = DEFAULT.next_open(start)
    day, found = begin.date(), 0
    while found < days:  # walk the calendar one day at a time
        day += timedelta(days=1)
        found += DEFAULT.is_working_day(day)
    assert due.date() == day
    opening, closing = DEFAULT.hours[day.weekday()]
    assert opening <= due.time() <= closing
    assert due.time() == min(max(begin.time(), opening), closing)


# Arbitrary calendars: office hours per weekday (some closed), holidays and overrides.
clock = st.integers(0, 24 * 60 - 1).map(lambda m: time(m // 60, m % 60))


@st.composite
def office_hours(draw) -> dict[int, tuple[str, str]]:
    hours = {}
    for weekday in range(7):
        if draw(st.booleans()):
            a, b = sorted(draw(st.lists(clock, min_size=2, max_size=2, unique=True)))
            hours[weekday] = (a.strftime("%H:%M"), b.strftime("%H:%M"))
    assume(hours)
    return hours


dates = st.integers(0, 70).map(lambda d: date(2026, 3, 1) + timedelta(days=d))


@st.composite
def calendars(draw) -> WorkCalendar:
    listed = {day: "Libur" for day in draw(st.sets(dates, max_size=12))}
    overrides = [(day, "closed", "Tutup") for day in draw(st.sets(dates, max_size=5))]
    overrides += [
        (day, "working", "Masuk")
        for day in draw(st.sets(st.sampled_from(sorted(listed) or [date(2026, 3, 1)])))
        if day not in {o[0] for o in overrides}
    ]
    return calendar_from(
        office_hours=draw(office_hours()),
        time_zone="Asia/Jakarta",
        calendar_days_for_max=False,
        overrides=overrides,
        holidays=lambda year: {d: n for d, n in listed.items() if d.year == year},
    )


@PROPERTY
@given(
    cal=calendars(),
    start=st.integers(0, 60 * 24 * 21),
    minutes=st.one_of(st.integers(1, 900), st.integers(1, 30)),
)
def test_any_calendar_add_minutes_matches_a_minute_walk(cal, start, minutes):
    begin = BASE + start * MINUTE
    expected = walk_minutes(cal, begin, minutes)
    assume(expected is not None)
    assert cal.add_minutes(begin, minutes) == expected
    assert cal.working_minutes_between(begin, expected) == minutes


@PROPERTY
@given(cal=calendars(), start=st.integers(0, 60 * 24 * 21), length=st.integers(0, 60 * 24 * 8))
def test_any_calendar_working_minutes_between_matches_a_minute_count(cal, start, length):
    begin = BASE + start * MINUTE
    end = begin + length * MINUTE
    assert cal.working_minutes_between(begin, end) == count_minutes(cal, begin, end)


@PROPERTY
@given(start=instants)
def test_minutes_that_end_at_closing_stay_at_closing(start):
    begin = DEFAULT.next_open(start)
    _, closing = DEFAULT.window(begin.date())
    left = DEFAULT.working_minutes_between(begin, closing)
    assume(left > 0)
    assert DEFAULT.add_minutes(begin, left) == closing
    assert walk_minutes(DEFAULT, begin, left) == closing
