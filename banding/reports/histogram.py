"""Exact histograms of working minutes, as the rollups store them (banding.reports.rollups):
a run is the ascending distinct values with the running count up to each, packed as unsigned
32-bit integers (read back with one copy, whatever their number). The median and the
nearest-rank percentile of any number of runs together are found by bisecting the values
(how many are at most v, summed over the runs), without merging them: the same figures as
ranking every raw value, at a cost that grows with the number of months, not of values."""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    values: Sequence[int]  # ascending, distinct
    cumulative: Sequence[int]  # how many are at most values[i]

    @property
    def count(self) -> int:
        return self.cumulative[-1] if self.cumulative else 0

    def at_most(self, value: int) -> int:
        i = bisect_right(self.values, value)
        return self.cumulative[i - 1] if i else 0


EMPTY = Run((), ())


def run(values: Iterable[tuple[int, int]]) -> Run:
    """(minutes, count) pairs, in any order and with repeats, as one run."""
    counts: dict[int, int] = {}
    for minutes, count in values:
        counts[minutes] = counts.get(minutes, 0) + count
    ordered = sorted(counts)
    cumulative, seen = [], 0
    for minutes in ordered:
        seen += counts[minutes]
        cumulative.append(seen)
    return Run(ordered, cumulative)


def pack(r: Run) -> bytes:
    packed = array("I", [*r.values, *r.cumulative])
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def unpack(blob: bytes | memoryview) -> Run:
    packed = array("I")
    packed.frombytes(bytes(blob))
    if sys.byteorder == "big":
        packed.byteswap()
    half = len(packed) // 2
    return Run(packed[:half], packed[half:])


def _at_rank(runs: Sequence[Run], rank: int, low: int, high: int) -> int:
    """The rank-th smallest value (1-based) of the runs together: the least v in
    [low, high] with at least `rank` values at most v."""
    while low < high:
        middle = (low + high) // 2
        if sum(r.at_most(middle) for r in runs) >= rank:
            high = middle
        else:
            low = middle + 1
    return low


def median_and_p90(runs: Iterable[Run]) -> tuple[float | None, int | None]:
    """The median (the middle value, or the mean of the two middle ones for an even count) and
    the 90th percentile by nearest rank (the ceil(0.9 n)-th smallest), as the reports have
    always computed them (with window functions in SQL, before the rollups)."""
    runs = [r for r in runs if r.count]
    n = sum(r.count for r in runs)
    if not n:
        return None, None
    low = min(r.values[0] for r in runs)
    high = max(r.values[-1] for r in runs)
    first = _at_rank(runs, (n + 1) // 2, low, high)
    second = first if n % 2 else _at_rank(runs, n // 2 + 1, first, high)
    p90 = _at_rank(runs, (9 * n + 9) // 10, first, high)
    return (first + second) / 2, p90


def median(runs: Iterable[Run]) -> float | None:
    return median_and_p90(runs)[0]
