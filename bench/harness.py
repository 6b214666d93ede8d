"""What the bench scripts share: the databases they build (cached under bench/var/), the
`banding` commands they run, the machine they ran on, the figures and the table they print.

Nothing here imports Django at module level: a script decides which database it talks to
(environment variables read by banding.settings) before Django is set up.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import platform
import secrets
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var"
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
BULK = ROOT / "bench" / "bulk"  # the history generator and its seed_bulk command
SEED_BULK = BULK / "management" / "commands" / "seed_bulk.py"
SQLITE_NAME = "banding.sqlite3"
READY = "ready.json"


def log(message: str) -> None:
    """Progress goes to stderr; stdout carries only the table (and a phase's JSON)."""
    print(
        f"[bench {time.strftime('%H:%M:%S', time.gmtime())}] {message}", file=sys.stderr, flush=True
    )


# --- the databases -------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One bench database: an engine and what seed-bulk put in it."""

    engine: str = "sqlite"  # or "postgres"
    appeals: int = 100_000
    seed: int = 1
    open_share: float | None = None  # None: seed-bulk's own realistic share

    @property
    def name(self) -> str:
        name = f"{self.engine}-a{self.appeals}-s{self.seed}"
        if self.open_share is not None:
            name += f"-open{self.open_share:g}"
        return name

    @property
    def directory(self) -> Path:
        return VAR / self.name

    @property
    def database_name(self) -> str:
        """The PostgreSQL database of this target."""
        return "bench_" + "".join(c if c.isalnum() else "_" for c in self.name.lower())

    def env(self, directory: Path | None = None, database: str | None = None) -> dict[str, str]:
        """The environment a `banding` process needs to use this database (or a copy of it in
        `directory` / `database`)."""
        directory = directory or self.directory
        env = {
            "BANDING_VAR_DIR": str(directory),
            "BANDING_DEBUG": "0",
            # a development server and worker: no production secret key or HTTPS needed
            "BANDING_DEVELOPMENT": "true",
            "BANDING_EMAIL_BACKEND": "file",  # no mail server here; the worker writes files
            # SQLite unless said otherwise: a DATABASE_URL in the caller's environment (a shell
            # that exported it, the test run on PostgreSQL) must not turn a SQLite row into one
            # on PostgreSQL.
            "DATABASE_URL": "",
            **audit_keys(),
        }
        if self.engine == "postgres":
            env["DATABASE_URL"] = f"{POSTGRES_SERVER}/{database or self.database_name}"
            env["BANDING_CONN_MAX_AGE"] = "60"
        return env


def audit_keys() -> dict[str, str]:
    """The audit log's keys of every bench database (banding.audit.keys: a production process
    refuses to start without them), made once under bench/var/keys/; the cached databases'
    events are sealed with them (generator_fingerprint covers the MAC key, so new keys rebuild
    the caches)."""
    folder = VAR / "keys"
    mac, signing = folder / "audit-mac.keys", folder / "audit-checkpoint.pem"
    folder.mkdir(parents=True, exist_ok=True)
    if not mac.exists():
        _create_once(
            mac, f"bench-1:{base64.b64encode(secrets.token_bytes(32)).decode()}\n".encode()
        )
    if not signing.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        _create_once(
            signing,
            Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
        )
    return {
        "BANDING_AUDIT_KEY": "",
        "BANDING_AUDIT_KEY_FILE": str(mac),
        "BANDING_AUDIT_SIGNING_KEY_FILE": str(signing),
    }


def _create_once(path: Path, content: bytes) -> None:
    """Write `path` whole unless it exists, even with another process doing the same (CI runs
    the suite on SQLite and PostgreSQL at once in one clone): the content goes to a file of
    its own, then is linked into place, which fails if the other process got there first; a
    reader never sees a half-written key."""
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    draft.write_bytes(content)
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()


def seed_bulk_available() -> bool:
    return SEED_BULK.exists()


def generator_fingerprint() -> str:
    """What the data depends on: seed-bulk's code. A change there rebuilds the caches."""
    if not seed_bulk_available():
        return "demo"
    digest = hashlib.sha256(Path(audit_keys()["BANDING_AUDIT_KEY_FILE"]).read_bytes())
    sources = sorted(BULK.rglob("*.py"))  # the command is among them
    for path in sources:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def banding(args: Sequence[str], env: dict[str, str], *, quiet: bool = True) -> str:
    """Run `banding <args>` (manage.py) on the database `env` names; its output on failure."""
    command = [sys.executable, "-m", "banding.cli", *args]
    full_env = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "banding.settings"}
    result = subprocess.run(command, cwd=ROOT, env=full_env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"`banding {' '.join(args)}` failed (exit {result.returncode}).")
    if not quiet:
        sys.stderr.write(result.stdout)
    return result.stdout


def ensure(target: Target, *, rebuild: bool = False) -> dict:
    """The target's database, built once and then reused (migrated on every use, so a new
    index in the product applies to the cache too). Returns what the build recorded."""
    marker = target.directory / READY
    info = json.loads(marker.read_text()) if marker.exists() else None
    fingerprint = generator_fingerprint()
    if info and not rebuild and info.get("generator") != fingerprint:
        log(f"{target.name}: the data generator changed since the cache was built; rebuilding.")
        rebuild = True
    if info and not rebuild and target.engine == "postgres" and not pg_exists(target.database_name):
        log(f"{target.name}: database {target.database_name} is gone; rebuilding.")
        rebuild = True
    if info and not rebuild:
        log(f"{target.name}: cached ({info['source']}, built {info['built_at']}); migrating.")
        banding(["migrate", "--verbosity", "0"], target.env())
        return info
    return build(target, fingerprint)


def build(target: Target, fingerprint: str) -> dict:
    if target.directory.exists():
        shutil.rmtree(target.directory)
    target.directory.mkdir(parents=True)
    if target.engine == "postgres":
        pg_drop(target.database_name)
        pg_create(target.database_name)
    env = target.env()
    started = time.perf_counter()
    banding(["migrate", "--verbosity", "0"], env)
    migrated = time.perf_counter()
    if seed_bulk_available():
        args = ["seed_bulk", "--appeals", str(target.appeals), "--seed", str(target.seed)]
        if target.open_share is not None:
            args += ["--open-share", f"{target.open_share:g}"]
        log(f"{target.name}: banding {' '.join(args)} …")
        banding(args, env, quiet=False)
        source = "seed-bulk"
    else:
        log(
            f"{target.name}: seed-bulk is not there yet; using `banding demo --no-serve` "
            "(a handful of appeals: the figures do not mean anything yet)."
        )
        banding(["demo", "--no-serve"], env)
        source = "demo"
    seeded = time.perf_counter()
    info = {
        "source": source,
        "generator": fingerprint,
        "appeals_requested": target.appeals,
        "seed": target.seed,
        "open_share": target.open_share,
        "built_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "migrate_seconds": round(migrated - started, 1),
        "seed_seconds": round(seeded - migrated, 1),
    }
    (target.directory / READY).write_text(json.dumps(info, indent=2))
    log(f"{target.name}: built in {seeded - started:.0f} s ({source}).")
    return info


# --- copies of a cached database (for the scripts that write: sweep, worker, intake) -------


def sqlite_copy(target: Target, directory: Path) -> Path:
    """A private copy of the target's SQLite file in `directory` (its uploaded files are not
    copied: nothing that runs on a copy reads them)."""
    source = target.directory / SQLITE_NAME
    with sqlite3.connect(source) as db:  # fold the WAL into the file before copying it
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    shutil.copyfile(source, directory / SQLITE_NAME)
    # Written out now, not by the kernel while the copy is being timed: a copy of 1–2 GB
    # flushed in the background slowed the sweep timed right after by 1–2 s.
    os.sync()
    return directory


def clone(target: Target, label: str) -> dict[str, str]:
    """A scratch copy of the target's database, for a run that writes (the cache stays as
    built); returns the environment that points at it. `discard` removes it."""
    directory = VAR / "scratch" / label
    if target.engine == "sqlite":
        return target.env(sqlite_copy(target, directory))
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    database = scratch_database(label)
    pg_drop(database)
    pg_create(database, template=target.database_name)
    return target.env(directory, database)


def discard(target: Target, label: str) -> None:
    shutil.rmtree(VAR / "scratch" / label, ignore_errors=True)
    if target.engine == "postgres":
        pg_drop(scratch_database(label))


def scratch_database(label: str) -> str:
    return "bench_scratch_" + "".join(c if c.isalnum() else "_" for c in label.lower())


def _pg(sql: str, *params: object) -> list[tuple]:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        cursor = conn.execute(sql, params or None)
        return cursor.fetchall() if cursor.description else []


def pg_exists(name: str) -> bool:
    return bool(_pg("select 1 from pg_database where datname = %s", name))


def pg_create(name: str, *, template: str | None = None) -> None:
    import psycopg
    from psycopg import sql

    query = sql.SQL("create database {}").format(sql.Identifier(name))
    if template:
        query = sql.SQL("create database {} template {}").format(
            sql.Identifier(name), sql.Identifier(template)
        )
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(query)


def pg_drop(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
        )


def pg_version() -> str:
    try:
        return _pg("show server_version")[0][0].split()[0]
    except Exception:
        return "unreachable"


# --- Django in this process --------------------------------------------------------------


def setup_django(env: dict[str, str], settings_module: str = "bench.settings") -> None:
    """Point this process at a database and set Django up (once per process)."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def person(role: str, preferred: str):
    """An active user with `role` (a banding.accounts.roles.Role value): the demo account
    `preferred` when it is there, else the first one."""
    from django.db.models import Case, Value, When

    from banding.accounts.models import User

    user = (
        User.objects.filter(groups__name=role, is_active=True)
        .order_by(Case(When(username=preferred, then=Value(0)), default=Value(1)), "id")
        .first()
    )
    if user is None:
        raise SystemExit(f"No active user with the role {role!r} in the database.")
    return user


def phase(script: Path, args: Sequence[str], env: dict[str, str]) -> dict:
    """Run `script --phase …` in a child process on the database `env` names; the child
    prints one JSON line last, which is returned."""
    command = [sys.executable, str(script), *args]
    full_env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(command, cwd=ROOT, env=full_env, stdout=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{script.name} {' '.join(args)} failed (exit {result.returncode}).")
    return json.loads(result.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- figures and the table ------------------------------------------------------------------


def median_ms(seconds: Sequence[float]) -> float:
    return statistics.median(seconds) * 1000


def p95_ms(seconds: Sequence[float]) -> float:
    """Nearest rank: the value 95% of the samples do not exceed."""
    ordered = sorted(seconds)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] * 1000


def machine(*, postgres: bool = False) -> str:
    """One line: the machine, the software and the load when the figures were taken."""
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages / 2**30:.0f} GB RAM"
    except (ValueError, OSError):
        memory = "? RAM"
    import django

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {cpu}, {os.cpu_count()} cores, "
        f"{memory} · {platform.system()} {platform.release()} · Python "
        f"{platform.python_version()}, Django {django.get_version()}, SQLite "
        f"{sqlite3.sqlite_version}"
        + (f", PostgreSQL {pg_version()}" if postgres else "")
        + f" · load average {load}"
    )


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], align: str = "") -> str:
    """A markdown table; `align` gives each column "l" or "r" (default: left for the first,
    right for the others)."""
    align = align or "l" + "r" * (len(headers) - 1)
    cells = [[str(c) for c in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(3, *(len(row[i]) for row in cells)) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        parts = [
            c.ljust(widths[i]) if align[i] == "l" else c.rjust(widths[i]) for i, c in enumerate(row)
        ]
        return "| " + " | ".join(parts) + " |"

    rule = [
        "-" * widths[i] if align[i] == "l" else "-" * (widths[i] - 1) + ":"
        for i in range(len(headers))
    ]
    return "\n".join(
        [line(cells[0]), "|" + "|".join(f" {r} " for r in rule) + "|"]
        + [line(r) for r in cells[1:]]
    )


def fmt_duration(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds >= 1 else f"{seconds * 1000:.1f} ms"


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}"
