"""A small seeded history for every test of the generator (250 appeals by default)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from bench.bulk.load import Result, seed_bulk

APPEALS = 250


@pytest.fixture
def now():
    # A whole second: the generator works in whole seconds.
    return timezone.now().replace(microsecond=0) - timedelta(minutes=1)


@pytest.fixture
def seeded(db, now) -> Result:
    return seed_bulk(appeals=APPEALS, seed=7, now=now)


@pytest.fixture
def all_open(db, now) -> Result:
    """Every appeal open, spread over the steps (the sweep benchmark's data)."""
    return seed_bulk(appeals=APPEALS, seed=11, open_share=1.0, now=now)
