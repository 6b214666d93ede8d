"""Every bench script in turn (pages on SQLite and on PostgreSQL, intake, sweep, the signed
letter, seed-bulk's floor), their tables printed together and saved in
bench/var/results-<UTC time>.md.

    uv run python bench/run.py [--appeals 100000] [--seed 1] [--rebuild] [--skip-postgres]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--appeals", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="forget every cached database")
    parser.add_argument(
        "--skip-postgres", action="store_true", help="SQLite only (no PostgreSQL server here)"
    )
    args = parser.parse_args(argv)
    if args.rebuild and harness.VAR.exists():
        shutil.rmtree(harness.VAR)

    common = [f"--seed={args.seed}"]
    scripts = [("pages.py", [f"--appeals={args.appeals}", *common])]
    if not args.skip_postgres:
        scripts.append(("pages.py", [f"--appeals={args.appeals}", "--db=postgres", *common]))
    intake = [f"--base={args.appeals}", f"--pg-base={args.appeals}", *common]
    scripts.append(("intake.py", intake + (["--skip-postgres"] if args.skip_postgres else [])))
    scripts.append(("sweep.py", [f"--appeals={args.appeals}", *common]))
    scripts.append(("letters.py", [f"--appeals={args.appeals}", *common]))
    scripts.append(("seed_floor.py", [f"--appeals={args.appeals}", *common]))
    outputs = []
    for script, script_args in scripts:
        harness.log(f"== {script} {' '.join(script_args)}")
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(HERE / script), *script_args],
            cwd=harness.ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        sys.stdout.write(result.stdout + "\n")
        sys.stdout.flush()
        outputs.append(result.stdout)
        harness.log(f"== {script} done in {time.perf_counter() - started:.0f} s")
        if result.returncode != 0:
            harness.log(f"{script} failed (exit {result.returncode}).")
            return result.returncode
    harness.VAR.mkdir(parents=True, exist_ok=True)
    saved = harness.VAR / f"results-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.md"
    saved.write_text("\n".join(outputs))
    harness.log(f"tables saved in {saved.relative_to(harness.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
