"""The bench's shared pieces and its intake and sweep phases on a small database."""

import os
from datetime import timedelta

import time_machine
from django.utils import timezone

from banding.appeals import sla
from bench import harness, intake, sweep
from tests.factories import register


def test_p95_is_the_nearest_rank():
    samples = [i / 1000 for i in range(1, 101)]  # 1..100 ms
    assert harness.p95_ms(samples) == 95
    assert harness.median_ms([0.001, 0.003, 0.002]) == 2


def test_the_table_is_markdown_with_aligned_columns():
    text = harness.table(["page", "ms"], [["inbox", "4.2"], ["register", "12.0"]])
    assert text.splitlines() == [
        "| page     |   ms |",
        "| -------- | ---: |",
        "| inbox    |  4.2 |",
        "| register | 12.0 |",
    ]


def test_targets_are_cached_by_engine_size_seed_and_open_share():
    assert harness.Target("sqlite", 100_000, 1).name == "sqlite-a100000-s1"
    opened = harness.Target("postgres", 500, 2, open_share=1.0)
    assert opened.name == "postgres-a500-s2-open1"
    env = opened.env()
    assert env["DATABASE_URL"].endswith("/bench_postgres_a500_s2_open1")
    assert env["BANDING_VAR_DIR"] == str(harness.VAR / "postgres-a500-s2-open1")


def test_intake_phase_registers_every_appeal_once(p):
    result = intake.sqlite_phase(3, warmup=1)
    assert result["check"] == {"stored": 4, "expected": 4, "distinct_numbers": 4, "ok": True}
    assert result["errors"] == 0 and result["queries"][0] > 0


def test_the_intake_floor_answers_without_writing(p, settings):
    settings.ROOT_URLCONF = "bench.urls"
    result = intake.sqlite_phase(3, warmup=1, floor=True)
    assert result["check"] == {"stored": 0, "expected": 0, "distinct_numbers": 0, "ok": True}
    assert result["queries"] == [1, 1]  # the token


def test_batched_intake_phase_registers_every_appeal_once(p):
    # 5 appeals in batches of 2: 3 requests, 6 appeals (and 2 to warm up).
    result = intake.sqlite_phase(5, batch=2, warmup=1)
    assert result["requests"] == 6
    assert result["check"] == {"stored": 8, "expected": 8, "distinct_numbers": 8, "ok": True}


def test_sweep_phase_notifies_then_has_nothing_left(p):
    register(p)
    with time_machine.travel(timezone.now() + timedelta(days=60), tick=False):
        result = sweep.sweep_phase()
    first, second = result["runs"]
    assert result["open_steps"] == 1
    assert first["overdue"] == 1 and first["failed"] == 0
    assert second["overdue"] + second["at_risk"] == 0


def test_the_second_sweep_runs_at_the_first_ones_instant(p, monkeypatch):
    # A step crossing its threshold while the first run works (minutes, on 100,000 open
    # steps) would otherwise be notified by the second, which is meant to measure an idle
    # sweep.
    late = register(p)
    with time_machine.travel(timezone.now() + timedelta(days=7), tick=False):
        later = register(p)
    counted_at = later.current_at_risk_at - timedelta(minutes=1)
    assert late.current_due_at < counted_at
    first_sweep = sla.sla_sweep
    with time_machine.travel(counted_at, tick=False) as clock:

        def sweep_then_time_passes(*args, **kwargs):
            result = first_sweep(*args, **kwargs)
            clock.move_to(later.current_due_at + timedelta(minutes=1))
            return result

        monkeypatch.setattr(sla, "sla_sweep", sweep_then_time_passes)
        result = sweep.sweep_phase()
    first, second = result["runs"]
    assert result["pending"] == {"overdue": 1, "at_risk": 0, "head": 0}
    assert (first["overdue"], first["at_risk"]) == (1, 0)
    assert second["overdue"] + second["at_risk"] == 0


def test_a_running_process_reports_its_peak_memory():
    hwm, cpu = sweep._proc(os.getpid())
    assert hwm > 0 and cpu > 0


def test_a_key_file_is_created_once_whole(tmp_path):
    """Two processes making the bench's audit keys at once (CI runs the suite on both engines
    in one clone): the first file stays, the second writer leaves no trace."""
    key = tmp_path / "audit-mac.keys"
    harness._create_once(key, b"first\n")
    harness._create_once(key, b"second\n")
    assert key.read_bytes() == b"first\n"
    assert [p.name for p in tmp_path.iterdir()] == ["audit-mac.keys"]
