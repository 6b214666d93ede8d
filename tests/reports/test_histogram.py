"""The histograms' ranks equal ranking the raw values (random samples, several runs)."""

import random

import pytest

from banding.reports.histogram import median_and_p90, pack, run, unpack


def _raw(values: list[int]) -> tuple[float | None, int | None]:
    values = sorted(values)
    n = len(values)
    if not n:
        return None, None
    median = (values[(n + 1) // 2 - 1] + values[(n + 2) // 2 - 1]) / 2
    return median, values[-(-9 * n // 10) - 1]


@pytest.mark.parametrize("seed", range(40))
def test_runs_ranked_together_give_the_raw_median_and_p90(seed):
    rng = random.Random(seed)
    samples = [
        [rng.choice([0, 0, 5, rng.randrange(3000)]) for _ in range(rng.randrange(0, 30))]
        for _ in range(rng.randrange(1, 6))
    ]
    runs = [unpack(pack(run((v, 1) for v in sample))) for sample in samples]
    assert median_and_p90(runs) == _raw([v for sample in samples for v in sample])


def test_an_empty_run_packs_and_counts_nothing():
    assert unpack(pack(run([]))).count == 0
    assert median_and_p90([run([])]) == (None, None)
