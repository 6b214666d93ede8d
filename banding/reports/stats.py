"""Working-time figures per SOP step for a period: the raw material of the SOP monitoring
(Permenpan-RB 35/2012) and of the management review.

They come from the per-month rollups (banding.reports.rollups): counts summed and exact
histograms of working minutes ranked together over the period's months, so the median (the
mean of the two middle values for an even count) and the nearest-rank 90th percentile are the
ones ranking every occurrence would give, at a cost that does not grow with the years.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from banding.appeals.models import Status
from banding.reports import rollups
from banding.reports.histogram import median_and_p90
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


def _rounded(value: float | None) -> int | None:
    """Halves rounded up, as the figures have always been shown."""
    if value is None:
        return None
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def step_stats(
    period: Period, *, service_type: str | None = None, found: rollups.Figures | None = None
) -> list[StepStats]:
    """One row per SOP step (1–7, 9–12) in order, zeros where nothing happened: the period's
    frozen months and its live rest merged (banding.reports.rollups), a fixed number of small
    queries whatever the number of appeals."""
    found = found or rollups.figures(period)
    result = []
    for s in sop.STEPS:
        cells = [
            c
            for (n, st), c in found.steps.items()
            if n == s.number and service_type in (None, "", st)
        ]
        count, within = sum(c.count for c in cells), sum(c.within for c in cells)
        median, p90 = median_and_p90(run for c in cells for run in c.runs)
        still_open = sum(
            n
            for (number, st), n in found.open_overdue.items()
            if number == s.number and service_type in (None, "", st)
        )
        result.append(
            StepStats(
                number=s.number,
                title=s.title,
                actor_label=s.actor_label,
                standard=str(s.waktu),
                count=count,
                median_minutes=_rounded(median),
                p90_minutes=p90,
                within=within,
                overdue=count - within + still_open,
            )
        )
    return result


def ended_early(period: Period) -> dict[str, int]:
    """The appeals withdrawn and closed as duplicates in the period: their stopped steps are
    not among the figures above, so the monitoring says how many."""
    ended = rollups.figures(period, steps=False).ended
    return {
        key: sum(c.count for (_, st, _), c in ended.items() if st == status)
        for key, status in (("withdrawn", Status.WITHDRAWN), ("duplicate", Status.DUPLICATE))
    }
