"""Working-time figures per SOP step for a period: the raw material of the SOP monitoring
(Permenpan-RB 35/2012) and of the management review.

Everything is computed in the database, in two queries whatever the number of appeals. The
median and the 90th percentile use window functions (ROW_NUMBER and COUNT over each step's
occurrences) and pick the middle / nearest-rank rows, so SQLite (which has no
percentile_cont) and PostgreSQL give the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from banding.appeals.models import Appeal, Status, Step
from banding.sop import definition as sop
from banding.workdays.periods import Period


@dataclass(frozen=True)
class StepStats:
    number: int
    title: str
    actor_label: str
    standard: str  # the SOP's waktu: "1 hari", "maks. 30 hari"
    count: int  # occurrences completed in the period
    median_minutes: int | None  # working minutes; the mean of the two middle ones if even
    p90_minutes: int | None  # 90th percentile, nearest rank: the ceil(0.9 n)-th smallest
    within: int  # completed in the period within the standard
    overdue: int  # completed late in the period + open and past due at the period's end

    @property
    def late(self) -> int:
        """Completed in the period, but after their due instant."""
        return self.count - self.within

    @property
    def open_overdue(self) -> int:
        return self.overdue - self.late

    @property
    def within_share(self) -> float | None:
        return self.within / self.count if self.count else None

    @property
    def within_percent(self) -> int | None:
        """The share within the standard as a whole percent, halves rounded up."""
        if not self.count:
            return None
        return int((Decimal(100 * self.within) / self.count).quantize(1, rounding=ROUND_HALF_UP))


def _completed(period: Period, service_type: str | None) -> QuerySet[Step, Any]:
    steps = Step.objects.filter(
        completed_at__gte=period.since,
        completed_at__lt=period.until,
        working_minutes__isnull=False,
    )
    if service_type:
        steps = steps.filter(appeal__service_type=service_type)
    return (
        steps.annotate(
            k=F("number"),
            m=F("working_minutes"),
            w=F("within_standard"),
            rn=Window(
                RowNumber(), partition_by=[F("number")], order_by=[F("working_minutes").asc()]
            ),
            n=Window(Count("id"), partition_by=[F("number")]),
        )
        .values("k", "m", "w", "rn", "n")
        .order_by()
    )


# Over the windowed rows: the count, the within count, the median (the one middle row when n
# is odd, the mean of the two when even: 2·rn ∈ [n, n+2]) and the nearest-rank p90 (the one rn
# in [0.9 n, 0.9 n + 1), in integers so no float rounding decides it).
_FIGURES = """
SELECT done.k, COUNT(*),
       SUM(CASE WHEN done.w THEN 1 ELSE 0 END),
       AVG(CASE WHEN 2 * done.rn BETWEEN done.n AND done.n + 2 THEN done.m END),
       MAX(CASE WHEN 10 * done.rn >= 9 * done.n AND 10 * done.rn < 9 * done.n + 10
                THEN done.m END)
FROM ({inner}) done
GROUP BY done.k
"""


def _rounded(value: float | Decimal | None) -> int | None:
    if value is None:
        return None
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _open_overdue(period: Period, service_type: str | None, at: datetime) -> dict[int, int]:
    """Steps open at `at` (the period's end, or now for a period still running) whose due
    instant had passed by then."""
    steps = Step.objects.filter(started_at__lt=at, due_at__lt=at).filter(
        Q(completed_at__isnull=True) | Q(completed_at__gte=at)
    )
    if service_type:
        steps = steps.filter(appeal__service_type=service_type)
    rows = steps.values("number").annotate(c=Count("id")).values_list("number", "c")
    return dict(rows)


def step_stats(period: Period, *, service_type: str | None = None) -> list[StepStats]:
    """One row per SOP step (1–7, 9–12) in order, zeros where nothing happened."""
    inner, params = _completed(period, service_type).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_FIGURES.format(inner=inner), params)
        figures = {row[0]: row[1:] for row in cursor.fetchall()}
    at = min(period.until, timezone.now())
    still_open = _open_overdue(period, service_type, at)
    result = []
    for s in sop.STEPS:
        count, within, median, p90 = figures.get(s.number, (0, 0, None, None))
        count, within = int(count), int(within or 0)
        result.append(
            StepStats(
                number=s.number,
                title=s.title,
                actor_label=s.actor_label,
                standard=str(s.waktu),
                count=count,
                median_minutes=_rounded(median),
                p90_minutes=_rounded(p90),
                within=within,
                overdue=count - within + still_open.get(s.number, 0),
            )
        )
    return result


def ended_early(period: Period) -> dict[str, int]:
    """The appeals withdrawn and closed as duplicates in the period (one query): their
    stopped steps are not among the figures above, so the monitoring says how many."""
    return Appeal.objects.filter(closed_at__gte=period.since, closed_at__lt=period.until).aggregate(
        withdrawn=Count("pk", filter=Q(status=Status.WITHDRAWN)),
        duplicate=Count("pk", filter=Q(status=Status.DUPLICATE)),
    )
