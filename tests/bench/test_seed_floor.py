"""bench/seed_floor.py on a small database: the floor copies exactly the rows seed-bulk wrote,
into the product's schema with its triggers back, and seed-bulk's own run gives its time. No
timing is asserted. It runs `banding` in child processes on SQLite files of its own, whatever
the test database is, so it runs once: on SQLite."""

import sqlite3

import pytest
from django.db import connection  # noqa: F401  (the skipif condition reads it)

from bench import harness, seed_floor
from bench.bulk.writer import TABLES


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_the_floor_copies_every_row_seed_bulk_wrote(tmp_path, monkeypatch, request):
    monkeypatch.setattr(harness, "VAR", tmp_path)
    seed_floor._empty_database.cache_clear()  # its template goes under this test's VAR
    request.addfinalizer(seed_floor._empty_database.cache_clear)
    target = harness.Target("sqlite", 12, 3)
    harness.ensure(target)
    with sqlite3.connect(target.directory / harness.SQLITE_NAME) as source:
        expected = {
            model._meta.db_table: source.execute(
                f'SELECT count(*) FROM "{model._meta.db_table}"'
            ).fetchone()[0]
            for model, _names in TABLES.values()
        }
    assert expected["appeals_appeal"] == 12 and expected["audit_event"] > 12

    result = seed_floor.floor_run(target)

    assert result["rows"] == expected
    assert result["appeals"] == 12 and result["total"] > 0
    before, after = result["triggers"]
    assert before == after > 0
    assert result["searchable"] and set(result["searchable"].values()) == {12}
    assert seed_floor.seed_bulk_run(target) > 0
    # Scratch copies go; the cached source and the migrated template stay.
    assert sorted(p.name for p in (tmp_path / "scratch").iterdir()) == ["seed-floor-empty"]
