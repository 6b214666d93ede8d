"""Exact histograms of working minutes: [[minutes, count], ...] in ascending order, as the
rollups store them (banding.reports.rollups). Merged over any number of months they give the
same median and nearest-rank percentile as ranking the raw values would."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import itemgetter

Pairs = Sequence[Sequence[int]]


def histogram(values: Iterable[tuple[int, int]]) -> list[list[int]]:
    """(minutes, count) pairs, in any order and with repeats, as one ascending histogram."""
    counts: dict[int, int] = {}
    for minutes, count in values:
        counts[minutes] = counts.get(minutes, 0) + count
    return [[minutes, counts[minutes]] for minutes in sorted(counts)]


def merged(runs: Iterable[Pairs]) -> list[Sequence[int]]:
    """Several ascending histograms as one ascending list of pairs (repeats kept: only the
    order matters for ranks). Sorting concatenated sorted runs is a merge for Timsort."""
    pairs: list[Sequence[int]] = []
    for run in runs:
        pairs.extend(run)
    pairs.sort(key=itemgetter(0))
    return pairs


def _at_ranks(pairs: Sequence[Sequence[int]], ranks: Sequence[int]) -> list[int]:
    """The values at the given 1-based ranks (ascending ranks) of the merged histogram."""
    found: list[int] = []
    wanted = iter(ranks)
    rank = next(wanted, None)
    seen = 0
    for minutes, count in pairs:
        seen += count
        while rank is not None and rank <= seen:
            found.append(minutes)
            rank = next(wanted, None)
        if rank is None:
            break
    return found


def median_and_p90(pairs: Sequence[Sequence[int]]) -> tuple[float | None, int | None]:
    """The median (the middle value, or the mean of the two middle ones for an even count) and
    the 90th percentile by nearest rank (the ceil(0.9 n)-th smallest), as the reports have
    always computed them (stats.py's window functions did the same in SQL)."""
    n = sum(count for _, count in pairs)
    if not n:
        return None, None
    low, high, p90 = (n + 1) // 2, (n + 2) // 2, (9 * n + 9) // 10
    ranks = sorted({low, high, p90})
    values = dict(zip(ranks, _at_ranks(pairs, ranks), strict=True))
    return (values[low] + values[high]) / 2, values[p90]


def median(pairs: Sequence[Sequence[int]]) -> float | None:
    return median_and_p90(pairs)[0]
