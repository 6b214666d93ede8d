"""seed-bulk on SQLite against its floor: how long SQLite alone takes to write the rows that
seed-bulk writes, with no Python generating or binding them, beside seed-bulk's own run on the
same machine at the same time.

    uv run python bench/seed_floor.py [--appeals 100000] [--seed 1] [--runs 3] [--rebuild]

The source is the cached bench database (bench/var/, built as for bench/pages.py). Each run
works on a scratch database that `banding migrate` made empty:
- *seed-bulk*: `banding seed_bulk --appeals N --seed S` on it, timed around the command's own
  work (the figure it prints itself).
- *floor*: what seed-bulk finds there before it writes (people, organisations, the calendar)
  copied from the source untimed; then, timed, under seed-bulk's own load settings and with its
  own writer setting the insert triggers aside and putting them back (the same code:
  bench.bulk.load and .writer), each table seed-bulk writes filled by one
  `INSERT … SELECT` from the attached source in key order, the full-text tables caught up, and
  the commit. That is the least work SQLite does to hold these rows with the product's
  indexes: whatever generates them, a load cannot be faster than this on this machine.

The table gives each part's median over the runs, and the appeals/s each whole makes.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

SCRIPT = Path(__file__).resolve()
_SEED_FIGURE = re.compile(r"dalam ([\d.,]+) detik")


def floor_phase(source: Path) -> dict:
    """In a child process on the scratch database: the untimed copy of what is there before a
    load, then the timed copy of what a load writes."""
    from django.db import connection, transaction

    from bench.bulk import load
    from bench.bulk.writer import TABLES, Writer

    connection.ensure_connection()
    raw = connection.connection
    quote = connection.ops.quote_name

    def attach() -> None:
        raw.execute("ATTACH DATABASE ? AS src", (f"file:{source}?mode=ro",))

    attach()
    written = {model._meta.db_table: model for model, _names in TABLES.values()}
    virtual = [
        name
        for (name,) in raw.execute(
            "SELECT name FROM src.sqlite_master WHERE sql LIKE 'CREATE VIRTUAL%'"
        )
    ]

    def columns(table: str) -> str:
        return ", ".join(
            quote(r[1]) for r in raw.execute(f"PRAGMA main.table_info({quote(table)})")
        )

    before = [
        name
        for (name,) in raw.execute(
            "SELECT name FROM src.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        if name not in written
        and name != "django_migrations"
        and name not in virtual
        and not any(name.startswith(f"{v}_") for v in virtual)
    ]
    raw.execute("BEGIN")
    for table in before:
        cols = columns(table)
        raw.execute(f"DELETE FROM main.{quote(table)}")
        raw.execute(
            f"INSERT INTO main.{quote(table)} ({cols}) SELECT {cols} FROM src.{quote(table)}"
        )
    raw.execute("COMMIT")
    # The load switches the journal mode of every database the connection has (a PRAGMA
    # without a schema name), and the source's cannot change: it is attached again once the
    # load's settings are in force, and detached before they are undone.
    raw.execute("DETACH DATABASE src")

    def triggers() -> int:
        (count,) = raw.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
        return count[0]

    triggers_before = triggers()
    parts: dict[str, float] = {}
    rows: dict[str, int] = {}
    started = time.perf_counter()
    with load._sqlite_pragmas():
        journal = raw.execute("PRAGMA main.journal_mode").fetchone()[0]
        attach()
        with transaction.atomic():
            writer = Writer()
            ids = writer.next_ids()
            writer.begin(ids, rebuild=True)
            for model, _names in TABLES.values():
                table, key = model._meta.db_table, model._meta.pk.column
                cols = columns(table)
                t0 = time.perf_counter()
                cursor = raw.execute(
                    f"INSERT INTO main.{quote(table)} ({cols}) SELECT {cols} "
                    f"FROM src.{quote(table)} ORDER BY {quote(key)}"
                )
                parts[table] = time.perf_counter() - t0
                rows[table] = cursor.rowcount
            t0 = time.perf_counter()
            writer.finish()
            parts["full-text tables caught up, triggers back"] = time.perf_counter() - t0
            t0 = time.perf_counter()
        parts["commit"] = time.perf_counter() - t0
        raw.execute("DETACH DATABASE src")
        t0 = time.perf_counter()
    parts["the load's settings undone"] = time.perf_counter() - t0
    total = time.perf_counter() - started
    appeals = rows.get(TABLES["appeal"][0]._meta.db_table, 0)
    # What the load must leave as it found it: the triggers, and search rows for every appeal.
    searchable = {
        name: raw.execute(f"SELECT count(*) FROM main.{quote(name)}").fetchone()[0]
        for name in virtual
    }
    return {
        "parts": parts,
        "rows": rows,
        "total": total,
        "appeals": appeals,
        "triggers": [triggers_before, triggers()],
        "searchable": searchable,
        "journal_mode": journal,
    }


@functools.cache
def _empty_database() -> Path:
    """One `banding migrate` per process, into bench/var/scratch/seed-floor-empty/."""
    empty = harness.VAR / "scratch" / "seed-floor-empty"
    if empty.exists():
        shutil.rmtree(empty)
    empty.mkdir(parents=True)
    harness.banding(["migrate", "--verbosity", "0"], harness.Target("sqlite").env(empty))
    return empty / harness.SQLITE_NAME


def scratch(target: harness.Target, label: str) -> dict[str, str]:
    """An empty migrated SQLite database in bench/var/scratch/<label>/ (a copy of
    _empty_database)."""
    directory = harness.VAR / "scratch" / label
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    shutil.copyfile(_empty_database(), directory / harness.SQLITE_NAME)
    return target.env(directory)


def seed_bulk_run(target: harness.Target) -> float:
    env = scratch(target, "seed-floor-seed-bulk")
    try:
        out = harness.banding(
            ["seed_bulk", "--appeals", str(target.appeals), "--seed", str(target.seed)], env
        )
    finally:
        harness.discard(target, "seed-floor-seed-bulk")
    match = _SEED_FIGURE.search(out)
    if match is None:
        raise SystemExit(f"seed_bulk did not print its time:\n{out}")
    return float(match.group(1).replace(",", ""))


def floor_run(target: harness.Target) -> dict:
    env = scratch(target, "seed-floor")
    try:
        source = target.directory / harness.SQLITE_NAME
        return harness.phase(SCRIPT, ["--phase=floor", f"--source={source}"], env)
    finally:
        harness.discard(target, "seed-floor")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--appeals", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true", help="build the cached database again")
    parser.add_argument("--phase", choices=["floor"], help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        harness.setup_django({}, "banding.settings")
        print(json.dumps(floor_phase(Path(args.source))))
        return 0

    target = harness.Target("sqlite", args.appeals, args.seed)
    harness.ensure(target, rebuild=args.rebuild)
    seeded, floors = [], []
    for run in range(1, args.runs + 1):
        harness.log(
            f"run {run}/{args.runs}: seed-bulk --appeals {args.appeals:,} on an empty database"
        )
        seeded.append(seed_bulk_run(target))
        harness.log(f"run {run}/{args.runs}: the floor (INSERT … SELECT of the same rows)")
        floors.append(floor_run(target))

    def med(values: list[float]) -> float:
        return statistics.median(values)

    first = floors[0]
    lines = []
    for part in first["parts"]:
        seconds = med([f["parts"][part] for f in floors])
        count = first["rows"].get(part)
        lines.append(
            [
                f"floor: {part}",
                f"{count:,}" if count is not None else "",
                f"{seconds:.2f}",
                f"{seconds / count * 1e6:.1f}" if count else "",
                "",
            ]
        )
    appeals = first["appeals"] or args.appeals
    total = med([f["total"] for f in floors])
    rows_total = sum(first["rows"].values())
    lines.append(
        [
            "**floor: the whole load (SQLite alone)**",
            f"{rows_total:,}",
            f"{total:.2f}",
            f"{total / rows_total * 1e6:.1f}",
            f"{appeals / total:,.0f}",
        ]
    )
    seed_s = med(seeded)
    lines.append(
        [
            "**seed-bulk (generate in Python, write)**",
            f"{rows_total:,}",
            f"{seed_s:.2f}",
            f"{seed_s / rows_total * 1e6:.1f}",
            f"{args.appeals / seed_s:,.0f}",
        ]
    )
    print(f"## bench/seed_floor.py — seed-bulk and its floor, {args.appeals:,} appeals, SQLite")
    print()
    print(harness.machine())
    print()
    print(
        f"Median of {args.runs} runs, each on an empty migrated database. seed-bulk runs: "
        + ", ".join(f"{s:.1f} s" for s in seeded)
        + "; floor runs: "
        + ", ".join(f"{f['total']:.1f} s" for f in floors)
        + "."
    )
    print()
    print(harness.table(["part", "rows", "seconds", "µs/row", "appeals/s"], lines, "lrrrr"))
    print()
    target_s = args.appeals / 5000
    print(
        f"The issue's target, ≥ 5,000 appeals/s, is {target_s:.1f} s for {args.appeals:,} appeals: "
        + (
            f"SQLite alone needs {total:.1f} s for these rows on this machine."
            if total > target_s
            else f"SQLite alone needs {total:.1f} s, leaving {target_s - total:.1f} s for the rest."
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
