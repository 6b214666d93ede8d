"""The reports' figures per month, at a cost that does not grow with the years.

A finished month's figures are computed once from the raw steps and appeals, stored
(StepMonth, EndedMonth, marked frozen in RollupMonth) and read from then on; the running month
(and a month ended less than GRACE ago, whose last actions may still be committing) is
computed live from the raw rows, which is at most about a month of them. A period that does
not start or end on a month's edge takes its partial edges live as well.

A change that reaches into a finished month (a letter received earlier and recorded now, a
deadline moved by a calendar change) calls banding.appeals.hooks.figures_changed in its own
transaction; `invalidate` clears the month's frozen mark there, and the month is computed
again when next read. Both writers take the month's RollupMonth row first (an upsert, then a
row lock), so a change committed while a month is being frozen is never lost: the one that
comes second waits for the first and sees what it wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from banding.appeals.models import Appeal, Status, Step
from banding.reports.histogram import EMPTY, Run, pack, run, unpack
from banding.reports.models import EndedMonth, RollupMonth, StepMonth
from banding.workdays.periods import Period

# A month is frozen only this long after its end: an action that took its instant before
# midnight commits well within it, and its invalidation (which looks at finished months only)
# cannot pass a freeze unseen.
GRACE = timedelta(hours=1)

Range = tuple[datetime, datetime]


# --- months ------------------------------------------------------------------------------------


def month_of(instant: datetime) -> date:
    day = timezone.localtime(instant).date()
    return day.replace(day=1)


def _next(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def bounds(month: date) -> Range:
    period = Period.month(month.year, month.month)
    return period.since, period.until


def whole_months(period: Period) -> list[date]:
    """The months lying wholly inside the period, in order."""
    month = period.start if period.start.day == 1 else _next(period.start.replace(day=1))
    months = []
    while month <= period.end and _next(month) - timedelta(days=1) <= period.end:
        months.append(month)
        month = _next(month)
    return months


def finished(months: Iterable[date], now: datetime) -> list[date]:
    """The months that may be frozen at `now` (ended at least GRACE ago)."""
    return [m for m in months if bounds(m)[1] <= now - GRACE]


# --- the raw rows: what a frozen month stores, and the live part of a period --------------------


@dataclass
class StepCell:
    count: int = 0
    within: int = 0
    runs: list[Run] = field(default_factory=list)


@dataclass
class EndedCell:
    count: int = 0
    runs: list[Run] = field(default_factory=list)


def _in(name: str, ranges: Sequence[Range]) -> Q:
    return reduce(or_, (Q(**{f"{name}__gte": a, f"{name}__lt": b}) for a, b in ranges))


def raw_steps(ranges: Sequence[Range]) -> dict[tuple[int, str], StepCell]:
    """Per (step, service type): the occurrences completed in the ranges with a working time
    (a stopped step has none), how many within the standard, and their histogram. One
    query."""
    rows = (
        Step.objects.filter(_in("completed_at", ranges), working_minutes__isnull=False)
        .values_list("number", "appeal__service_type", "working_minutes")
        .annotate(n=Count("id"), w=Count("id", filter=Q(within_standard=True)))
        .order_by()
    )
    found: dict[tuple[int, str], tuple[int, list[tuple[int, int]]]] = {}
    for number, service, minutes, n, w in rows:
        within, values = found.setdefault((number, service), (0, []))
        values.append((minutes, n))
        found[(number, service)] = (within + w, values)
    return {
        key: StepCell(sum(n for _, n in values), within, [run(values)])
        for key, (within, values) in found.items()
    }


def raw_open_overdue(at: datetime) -> dict[tuple[int, str], int]:
    """Per (step, service type): the steps open at `at` whose due instant had passed by then.
    One query."""
    rows = (
        Step.objects.filter(started_at__lt=at, due_at__lt=at)
        .filter(Q(completed_at__isnull=True) | Q(completed_at__gte=at))
        .values_list("number", "appeal__service_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(number, service): n for number, service, n in rows}


def raw_ended(ranges: Sequence[Range]) -> dict[tuple[str, str, str], EndedCell]:
    """Per (service type, status, decision): the appeals that ended in the ranges and the
    histogram of their total working time (left out where none was measured). One query."""
    rows = (
        Appeal.objects.filter(_in("closed_at", ranges))
        .exclude(status=Status.OPEN)
        .values_list("service_type", "status", "decision", "working_minutes")
        .annotate(n=Count("id"))
        .order_by()
    )
    found: dict[tuple[str, str, str], tuple[int, list[tuple[int, int]]]] = {}
    for service, status, decision, minutes, n in rows:
        count, values = found.setdefault((service, status, decision), (0, []))
        if minutes is not None:
            values.append((minutes, n))
        found[(service, status, decision)] = (count + n, values)
    return {key: EndedCell(count, [run(values)]) for key, (count, values) in found.items()}


# --- freezing and invalidating -----------------------------------------------------------------


def _lock(months: Sequence[date], *, stale: bool) -> None:
    """Take the months' RollupMonth rows (inserted when missing) for this transaction; with
    `stale`, clear their frozen mark as well. An upsert waits for a concurrent writer of the
    same row, on PostgreSQL as on SQLite (whose writers queue for the whole database)."""
    rows = [RollupMonth(month=m) for m in months]
    if stale:
        RollupMonth.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["month"], update_fields=["frozen"]
        )
    else:
        RollupMonth.objects.bulk_create(rows, ignore_conflicts=True)


def freeze(month: date, now: datetime | None = None) -> bool:
    """Compute and store a finished month's figures from the raw rows, unless they are frozen
    already. Returns whether it computed them."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock([month], stale=False)
        marker = RollupMonth.objects.select_for_update().get(month=month)
        if marker.frozen:
            return False
        since, until = bounds(month)
        steps, overdue = raw_steps([(since, until)]), raw_open_overdue(until)
        ended = raw_ended([(since, until)])
        StepMonth.objects.filter(month=month).delete()
        EndedMonth.objects.filter(month=month).delete()
        empty = StepCell(runs=[EMPTY])
        StepMonth.objects.bulk_create(
            StepMonth(
                month=month,
                number=number,
                service_type=service,
                count=(cell := steps.get((number, service), empty)).count,
                within=cell.within,
                open_overdue=overdue.get((number, service), 0),
                minutes=pack(cell.runs[0]),
            )
            for number, service in sorted(steps.keys() | overdue.keys())
        )
        EndedMonth.objects.bulk_create(
            EndedMonth(
                month=month,
                service_type=service,
                status=status,
                decision=decision,
                count=cell.count,
                minutes=pack(cell.runs[0]),
            )
            for (service, status, decision), cell in sorted(ended.items())
        )
        marker.frozen, marker.frozen_at = True, now
        marker.save(update_fields=["frozen", "frozen_at"])
    return True


def invalidate(*, since: datetime) -> None:
    """banding.appeals.hooks.figures_changed: the finished months from the month of `since`
    on are to be computed again (in the caller's transaction): one statement for a change in
    the running month, which has nothing frozen."""
    now = timezone.now()
    months = []
    month = month_of(since)
    while bounds(month)[1] <= now:
        months.append(month)
        month = _next(month)
    if months:
        _lock(months, stale=True)
    # Months frozen "after" now exist only where the clock was set back (a test travelling
    # in time, a server's clock corrected): cleared too, in one statement that finds nothing
    # otherwise.
    RollupMonth.objects.filter(month__gte=month, frozen=True).update(frozen=False)


def freeze_all(now: datetime | None = None) -> int:
    """Freeze every finished month since the first appeal was received, that is not frozen
    yet (the `banding rollup` command, run by the worker nightly). Returns how many."""
    now = now or timezone.now()
    first = Appeal.objects.order_by("received_at").values_list("received_at", flat=True).first()
    if first is None:
        return 0
    months = []
    month = month_of(first)
    while bounds(month)[1] <= now - GRACE:
        months.append(month)
        month = _next(month)
    frozen = set(
        RollupMonth.objects.filter(month__in=months, frozen=True).values_list("month", flat=True)
    )
    return sum(freeze(m, now) for m in months if m not in frozen)


# --- reading a period --------------------------------------------------------------------------


@dataclass
class Figures:
    """A period's figures, per (step, service type) and per (service type, status, decision),
    gathered from its frozen months and the live rest."""

    steps: dict[tuple[int, str], StepCell]
    ended: dict[tuple[str, str, str], EndedCell]
    open_overdue: dict[tuple[int, str], int]


def _live_ranges(period: Period, stored: Sequence[date]) -> list[Range]:
    """The parts of the period outside its stored months (contiguous: the finished whole
    months come first, so what is live is an edge before them and the rest after them)."""
    if not stored:
        return [(period.since, period.until)]
    first, last = bounds(stored[0])[0], bounds(stored[-1])[1]
    return [(a, b) for a, b in ((period.since, first), (last, period.until)) if a < b]


def _stored(period: Period, now: datetime) -> list[date]:
    """The period's finished whole months, frozen now if they were not (one query when they
    all are)."""
    months = finished(whole_months(period), now)
    if months:
        frozen = set(
            RollupMonth.objects.filter(month__in=months, frozen=True).values_list(
                "month", flat=True
            )
        )
        for month in months:
            if month not in frozen:
                freeze(month, now)
    return months


def figures(period: Period, *, now: datetime | None = None, steps: bool = True) -> Figures:
    """The figures of `period`: a fixed number of small queries whatever its size once its
    finished months are frozen (the markers, the stored rows of each kind, the live rows of
    each kind, and the open steps at the period's end when that is not a frozen month's)."""
    now = now or timezone.now()
    months = _stored(period, now)
    live = _live_ranges(period, months)
    ended: dict[tuple[str, str, str], EndedCell] = raw_ended(live) if live else {}
    for row in EndedMonth.objects.filter(month__in=months).values_list(
        "service_type", "status", "decision", "count", "minutes"
    ):
        cell = ended.setdefault(row[:3], EndedCell())
        cell.count += row[3]
        cell.runs.append(unpack(row[4]))
    if not steps:
        return Figures({}, ended, {})
    cells: dict[tuple[int, str], StepCell] = raw_steps(live) if live else {}
    at = min(period.until, now)
    last_stored = months and bounds(months[-1])[1] == at
    overdue: dict[tuple[int, str], int] = {} if last_stored else raw_open_overdue(at)
    for month, number, service, count, within, open_overdue, minutes in StepMonth.objects.filter(
        month__in=months
    ).values_list("month", "number", "service_type", "count", "within", "open_overdue", "minutes"):
        cell = cells.setdefault((number, service), StepCell())
        cell.count += count
        cell.within += within
        cell.runs.append(unpack(minutes))
        if last_stored and month == months[-1]:
            overdue[(number, service)] = open_overdue
    return Figures(cells, ended, overdue)
