"""The reports' figures per month, at a cost that does not grow with the years.

A finished month's figures are computed once from the raw steps and appeals
(banding.reports.raw), stored (StepMonth, EndedMonth, AppealMonth, OutcomeMonth, marked frozen
in RollupMonth) and read from then on; the running month (and a month ended less than GRACE
ago, whose last actions may still be committing) is computed live from the raw rows, which is
at most about a month of them. A period that does not start or end on a month's edge takes its
partial edges live as well.

A change that reaches into a finished month (a letter received earlier and recorded now, a
deadline moved by a calendar change) calls banding.appeals.hooks.figures_changed in its own
transaction; `invalidate` clears the month's frozen mark there, and the month is computed
again when next read. Both writers take the month's RollupMonth row first (an upsert, then a
row lock), so a change committed while a month is being frozen is never lost: the one that
comes second waits for the first and sees what it wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from banding.appeals.models import Appeal
from banding.reports import raw
from banding.reports.histogram import EMPTY, pack, unpack
from banding.reports.models import AppealMonth, EndedMonth, OutcomeMonth, RollupMonth, StepMonth
from banding.reports.months import Range, bounds, month_of, next_month, whole_months
from banding.reports.raw import EndedCell, StepCell
from banding.workdays.periods import Period

# A month is frozen only this long after its end: an action that took its instant before
# midnight commits well within it, and its invalidation (which looks at finished months only)
# cannot pass a freeze unseen.
GRACE = timedelta(hours=1)


def finished(months: Iterable[date], now: datetime) -> list[date]:
    """The months that may be frozen at `now` (ended at least GRACE ago)."""
    return [m for m in months if bounds(m)[1] <= now - GRACE]


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


def _store(month: date, since: datetime, until: datetime) -> None:
    """A month's rows, computed from the raw ones (the month's earlier rows replaced)."""
    ranges = [(since, until)]
    steps, overdue = raw.raw_steps(ranges), raw.raw_open_overdue(until)
    ended, outcomes = raw.raw_ended(ranges), raw.raw_outcomes(ranges)
    received, still_open = raw.raw_received(ranges), raw.raw_open_at(until)
    for model in (StepMonth, EndedMonth, AppealMonth, OutcomeMonth):
        model.objects.filter(month=month).delete()
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
            count=ended_cell.count,
            minutes=pack(ended_cell.runs[0]),
        )
        for (service, status, decision), ended_cell in sorted(ended.items())
    )
    services = {s for _, s in received} | still_open.keys()
    AppealMonth.objects.bulk_create(
        AppealMonth(
            month=month,
            service_type=service,
            received=received.get((month, service), 0),
            open_at_end=still_open.get(service, 0),
        )
        for service in sorted(services)
    )
    OutcomeMonth.objects.bulk_create(
        OutcomeMonth(
            month=month, number=number, outcome=outcome, decision=decision, count=n, remedies=r
        )
        for (number, outcome, decision), (n, r) in sorted(outcomes.items())
    )


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
        _store(month, since, until)
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
        month = next_month(month)
    if months:
        _lock(months, stale=True)
    # Months frozen "after" now exist only where the clock was set back (a test travelling
    # in time, a server's clock corrected): cleared too, in one statement that finds nothing
    # otherwise.
    RollupMonth.objects.filter(month__gte=month, frozen=True).update(frozen=False)


def freeze_all(now: datetime | None = None) -> int:
    """Freeze every finished month since the first appeal was received, that is not frozen
    yet (the `banding rollup` command; the worker runs it on each pass, which finds nothing
    to do but once a month). Returns how many."""
    now = now or timezone.now()
    first = Appeal.objects.order_by("received_at").values_list("received_at", flat=True).first()
    if first is None:
        return 0
    months = []
    month = month_of(first)
    while bounds(month)[1] <= now - GRACE:
        months.append(month)
        month = next_month(month)
    frozen = set(
        RollupMonth.objects.filter(month__in=months, frozen=True).values_list("month", flat=True)
    )
    return sum(freeze(m, now) for m in months if m not in frozen)


# --- reading a period --------------------------------------------------------------------------


@dataclass
class Figures:
    """A period's figures, gathered from its frozen months and the live rest: per (step,
    service type), per (service type, status, decision) of the appeals ended, and with
    `appeals`: received per (month, service type), open at the period's end (all service
    types), and per (step, outcome, decision) [count, remedies]."""

    steps: dict[tuple[int, str], StepCell]
    ended: dict[tuple[str, str, str], EndedCell]
    open_overdue: dict[tuple[int, str], int]
    received: dict[tuple[date, str], int]
    open_at_end: int | None
    outcomes: dict[tuple[int, str, str], list[int]]


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


def _ended(months: list[date], live: list[Range]) -> dict[tuple[str, str, str], EndedCell]:
    ended = raw.raw_ended(live) if live else {}
    for row in EndedMonth.objects.filter(month__in=months).values_list(
        "service_type", "status", "decision", "count", "minutes"
    ):
        cell = ended.setdefault(row[:3], EndedCell())
        cell.count += row[3]
        cell.runs.append(unpack(row[4]))
    return ended


def _steps(
    months: list[date], live: list[Range], at: datetime, last_stored: bool
) -> tuple[dict[tuple[int, str], StepCell], dict[tuple[int, str], int]]:
    cells = raw.raw_steps(live) if live else {}
    overdue = {} if last_stored else raw.raw_open_overdue(at)
    for month, number, service, count, within, open_overdue, minutes in StepMonth.objects.filter(
        month__in=months
    ).values_list("month", "number", "service_type", "count", "within", "open_overdue", "minutes"):
        cell = cells.setdefault((number, service), StepCell())
        cell.count += count
        cell.within += within
        cell.runs.append(unpack(minutes))
        if last_stored and month == months[-1]:
            overdue[(number, service)] = open_overdue
    return cells, overdue


def _received(
    months: list[date], live: list[Range], at: datetime, last_stored: bool, *, open_at_end: bool
) -> tuple[dict[tuple[date, str], int], int | None]:
    """The appeals received per (month, service type), and with `open_at_end` how many were
    open at the period's end (the last stored month's, or counted live)."""
    received = raw.raw_received(live) if live else {}
    still_open = raw.raw_open_total(at) if open_at_end and not last_stored else 0
    for month, service, n, at_end in AppealMonth.objects.filter(month__in=months).values_list(
        "month", "service_type", "received", "open_at_end"
    ):
        received[(month, service)] = received.get((month, service), 0) + n
        if last_stored and month == months[-1]:
            still_open += at_end
    return received, still_open if open_at_end else None


def _outcomes(months: list[date], live: list[Range]) -> dict[tuple[int, str, str], list[int]]:
    outcomes = raw.raw_outcomes(live) if live else {}
    for number, outcome, decision, n, remedies in OutcomeMonth.objects.filter(
        month__in=months
    ).values_list("number", "outcome", "decision", "count", "remedies"):
        cell = outcomes.setdefault((number, outcome, decision), [0, 0])
        cell[0] += n
        cell[1] += remedies
    return outcomes


def figures(
    period: Period,
    *,
    now: datetime | None = None,
    steps: bool = True,
    received: bool = False,
    review: bool = False,
) -> Figures:
    """The figures of `period`: a fixed number of small queries whatever its size once its
    finished months are frozen (the frozen marks, the stored rows of each kind asked for, the
    live rows of each kind, and what stood open at the period's end when that is not a frozen
    month's end). The appeals ended are always read; `steps` adds the steps' figures,
    `received` the appeals received per month, `review` the appeals open at the period's end
    and the outcomes the management review counts."""
    now = now or timezone.now()
    months = _stored(period, now)
    live = _live_ranges(period, months)
    at = min(period.until, now)
    last_stored = bool(months) and bounds(months[-1])[1] == at
    found = Figures({}, _ended(months, live), {}, {}, None, {})
    if steps:
        found.steps, found.open_overdue = _steps(months, live, at, last_stored)
    if received or review:
        found.received, found.open_at_end = _received(
            months, live, at, last_stored, open_at_end=review
        )
    if review:
        found.outcomes = _outcomes(months, live)
    return found
