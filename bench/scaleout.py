"""Scale-out shown on PostgreSQL: two app servers and two workers take the intake load together.

    uv run python bench/scaleout.py [--appeals 400]

On a fresh PostgreSQL database (created on --server, dropped at the end): migrate, seed the
demo (accounts and appeals), start two `banding serve` processes (gunicorn, two ports) and two
`banding worker` processes sharing one var directory (media, and mail written as files under
var/mail), send the API intakes from client threads over both servers (and verify every other
appeal at step 3), wait until the outbox and the task queue are drained, then check: register
numbers unique and gapless, failed intakes left nothing, no notification lost or doubled,
every mail sent exactly once, both workers and both servers did work, the audit chain
verifies. Prints one table; exits 1 on any violation.

The run and its checks are shared with the PostgreSQL test (tests/scaleout/).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER = "postgres://postgres@127.0.0.1:5432"


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--appeals", type=int, default=400, help="intakes meant to succeed")
    parser.add_argument("--threads", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--apps", type=int, default=2, help="app processes (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="banding worker processes")
    parser.add_argument(
        "--app-workers", type=int, default=2, help="gunicorn workers per app process (default 2)"
    )
    parser.add_argument("--server", default=SERVER, help=f"PostgreSQL server (default {SERVER})")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database and the var directory (logs)"
    )
    return parser.parse_args(argv)


def admin_execute(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    name = f"banding_scaleout_{os.getpid()}"
    database_url = f"{args.server.rstrip('/')}/{name}"
    var_dir = Path(tempfile.mkdtemp(prefix="banding-scaleout-"))
    admin_execute(args.server, f'CREATE DATABASE "{name}"')
    # This process is configured like the ones it starts: the same database and var directory.
    os.environ.update(
        DJANGO_SETTINGS_MODULE="banding.settings",
        DATABASE_URL=database_url,
        BANDING_VAR_DIR=str(var_dir),
        BANDING_EMAIL_BACKEND="file",
        BANDING_DEVELOPMENT="true",  # plain HTTP and the development key on this computer
    )
    os.environ.pop("BANDING_MEDIA_ROOT", None)
    sys.path.insert(0, str(ROOT))
    ok = False
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections

        from tests.scaleout.run import scaleout

        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            (pg_version,) = cursor.fetchone()
        print(
            f"Scale-out on PostgreSQL {pg_version}: {args.apps} app processes x "
            f"{args.app_workers} gunicorn workers, {args.workers} banding workers, "
            f"{args.threads} client threads, {args.appeals} intakes.",
            flush=True,
        )
        outcome = scaleout(
            database_url=database_url,
            var_dir=var_dir,
            appeals=args.appeals,
            threads=args.threads,
            apps=args.apps,
            workers=args.workers,
            app_workers=args.app_workers,
            demo_appeals=True,
        )
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        from bench.harness import machine

        print(f"\n{machine(postgres=True)}; {now}; whole run {time.monotonic() - started:.0f} s\n")
        print(outcome.verdict.table())
        for violation in outcome.verdict.violations:
            print(f"  - {violation}")
        connections.close_all()
        ok = outcome.verdict.ok
        return 0 if ok else 1
    finally:
        if not args.keep:
            admin_execute(args.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if args.keep or not ok:
            # The logs of the processes explain a failed run: they stay.
            print(f"\nKept: {var_dir} (logs/, media/, mail/)", file=sys.stderr)
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
