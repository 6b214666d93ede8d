"""API intake throughput: appeals registered per second through POST /api/v1/appeals (the
real multipart intake, with a small PDF letter), on SQLite in one process and on PostgreSQL
with the production server; and through POST /api/v1/appeals/batch, `--batch` appeals per
request, on SQLite.

    uv run python bench/intake.py [--sqlite-appeals 500] [--pg-appeals 1000] [--threads 8]
                                  [--batch 50] [--base 100000] [--pg-base 100000]
                                  [--skip-postgres]

SQLite: a copy of the cached bench database with `--base` appeals (bench/var/, built as for
bench/pages.py), intake requests sent one after another by django.test.Client in this process
(the same number of appeals one per request, then in batches).
PostgreSQL: a fresh database, created here from the cached one with `--pg-base` appeals (CREATE
DATABASE … TEMPLATE, on BENCH_POSTGRES, default postgres://postgres@127.0.0.1:5432) and dropped
at the end, served by `banding serve --workers 4` (gunicorn, the production settings), driven
over HTTP by `--threads` client threads. Each side checks afterwards that every accepted
appeal is in the database with its own register number.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

SCRIPT = Path(__file__).resolve()
GUNICORN_WORKERS = 4
WARMUP = 20


# --- one intake request --------------------------------------------------------------------


def letter_pdf() -> bytes:
    from banding.platform.demo import pdf_bytes

    return pdf_bytes(
        "Surat permohonan banding",
        ["Dengan hormat, kami mengajukan banding atas hasil penanganan keluhan kami."] * 3,
    )


def fields(run: str, i: int, organization: str) -> dict[str, str]:
    from django.utils import timezone

    now = timezone.localtime()
    return {
        "organization": organization,
        "contact_name": "Budi Santoso",
        "contact_email": "budi@bench.example",
        "channel": "email",
        "received_at": (now - timedelta(hours=1)).isoformat(),
        "complaint_reference": f"BENCH/{run}/{i}",
        "complaint_outcome_date": (now - timedelta(days=7)).date().isoformat(),
        "service_type": "pengujian",
        "reference_document": f"LHU-BENCH-{i}",
        "grounds": "Hasil uji kadar air pada laporan tidak sesuai dengan hasil laboratorium kami.",
        "remedy_sought": "Pengujian ulang sampel pembanding.",
        "no_involved_reason": "Tidak ada pegawai yang terlibat (beban uji).",
    }


def api_token() -> str:
    """A personal token with a known value for a PJTK staff member (made without an audit
    event: the bench's own doing, not a user's)."""
    from banding.accounts.models import ApiToken, hash_token
    from banding.accounts.roles import Role

    user = harness.person(Role.PJTK_STAFF, "staf")
    raw = f"{ApiToken.PREFIX}bench-{user.username}"
    ApiToken.objects.update_or_create(
        key_hash=hash_token(raw),
        defaults={
            "user": user,
            "name": "bench",
            "hint": raw[:8],
            "revoked_at": None,
        },
    )
    return raw


def an_organization() -> str:
    from banding.accounts.models import CustomerOrganization

    return str(CustomerOrganization.objects.order_by("id").values_list("public_id", flat=True)[0])


def check(run: str, expected: int) -> dict:
    """Every accepted appeal of this run is there, each with its own number."""
    from banding.appeals.models import Appeal

    numbers = list(
        Appeal.objects.filter(complaint_reference__startswith=f"BENCH/{run}/").values_list(
            "number", flat=True
        )
    )
    return {
        "stored": len(numbers),
        "expected": expected,
        "distinct_numbers": len(set(numbers)),
        "ok": len(numbers) == expected == len(set(numbers)),
    }


# --- SQLite, one process --------------------------------------------------------------------


def sqlite_phase(n: int, batch: int = 1, warmup: int = WARMUP, floor: bool = False) -> dict:
    """`n` intakes sent one after another: one appeal per POST /api/v1/appeals, or (`batch`
    > 1) `batch` appeals per POST /api/v1/appeals/batch, each with its own letter; or (`floor`)
    the same single-intake request to the bench's floor, which writes nothing."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client

    from bench.urls import FLOOR_INTAKE_PATH

    raw, organization, pdf = api_token(), an_organization(), letter_pdf()
    client, run = Client(), uuid.uuid4().hex[:8]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    def letter() -> SimpleUploadedFile:
        return SimpleUploadedFile("surat-banding.pdf", pdf, "application/pdf")

    def post(first: int) -> None:
        if batch == 1:
            data = {**fields(run, first, organization), "letter": letter()}
            url = f"/{FLOOR_INTAKE_PATH}" if floor else "/api/v1/appeals"
            response = client.post(url, data, **headers)
        else:
            items = [
                {**fields(run, i, organization), "letter": f"surat-{i}"}
                for i in range(first, first + batch)
            ]
            data = {"appeals": json.dumps(items)}
            data.update({f"surat-{i}": letter() for i in range(first, first + batch)})
            response = client.post("/api/v1/appeals/batch", data, **headers)
        if response.status_code != 201:
            raise SystemExit(f"intake refused: {response.status_code} {response.content[:500]!r}")

    warm = -(-warmup // batch) * batch
    for first in range(0, warm, batch):
        post(first)
    times, queries = [], []
    requests = -(-n // batch)
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        for first in range(warm, warm + requests * batch, batch):
            count[0] = 0
            t0 = time.perf_counter()
            post(first)
            times.append(time.perf_counter() - t0)
            queries.append(count[0])
        wall = time.perf_counter() - started
    return {
        "requests": requests * batch,
        "wall_s": wall,
        "rate": requests * batch / wall,
        "median_ms": harness.median_ms(times),
        "p95_ms": harness.p95_ms(times),
        "queries": [min(queries), max(queries)],
        "errors": 0,
        "check": check(run, 0 if floor else warm + requests * batch),
    }


# --- PostgreSQL, gunicorn over HTTP -----------------------------------------------------------


def multipart(values: dict[str, str], pdf: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in values.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="letter"; '
        f'filename="surat-banding.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        + pdf
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class Load:
    """Requests shared out to the client threads."""

    total: int
    next: int = 0
    times: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> int | None:
        with self.lock:
            if self.next >= self.total:
                return None
            self.next += 1
            return self.next - 1


def drive(port: int, raw: str, bodies: list[tuple[bytes, str]], threads: int) -> Load:
    load = Load(len(bodies))

    def client() -> None:
        while (i := load.take()) is not None:
            body, content_type = bodies[i]
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                conn.request(
                    "POST",
                    "/api/v1/appeals",
                    body,
                    {"Content-Type": content_type, "Authorization": f"Bearer {raw}"},
                )
                response = conn.getresponse()
                text = response.read()
                conn.close()
            except OSError as error:
                with load.lock:
                    load.failures.append(repr(error))
                continue
            took = time.perf_counter() - started
            with load.lock:
                if response.status == 201:
                    load.times.append(took)
                else:
                    load.failures.append(f"{response.status} {text[:200]!r}")

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return load


def wait_until_up(port: int, server: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"banding serve ended (exit {server.returncode}); see its log.")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/masuk/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("banding serve did not answer in time.")


def postgres_phase(n: int, threads: int, log_file: Path) -> dict:
    from django.db import connections

    raw, organization, pdf = api_token(), an_organization(), letter_pdf()
    run = uuid.uuid4().hex[:8]
    bodies = [multipart(fields(run, i, organization), pdf) for i in range(WARMUP + n)]
    connections.close_all()
    port = harness.free_port()
    command = [sys.executable, "-m", "banding.cli", "serve", "--port", str(port)]
    command += ["--workers", str(GUNICORN_WORKERS)]
    with log_file.open("w") as out:
        # The production settings, as an operator runs it (not the bench's urlconf).
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "banding.settings"}
        env.setdefault("BANDING_DEVELOPMENT", "true")  # plain HTTP on this computer
        server = subprocess.Popen(command, cwd=harness.ROOT, env=env, stdout=out, stderr=out)
    try:
        wait_until_up(port, server)
        warm = drive(port, raw, bodies[:WARMUP], threads)
        started = time.perf_counter()
        load = drive(port, raw, bodies[WARMUP:], threads)
        wall = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    failures = warm.failures + load.failures
    return {
        "requests": n,
        "wall_s": wall,
        "rate": len(load.times) / wall,
        "median_ms": harness.median_ms(load.times) if load.times else None,
        "p95_ms": harness.p95_ms(load.times) if load.times else None,
        "queries": None,
        "errors": len(failures),
        "first_errors": failures[:3],
        "check": check(run, WARMUP + n - len(failures)),
    }


# --- the script -----------------------------------------------------------------------------


def run_phase(args: argparse.Namespace) -> int:
    harness.setup_django({}, "bench.settings")
    if args.phase == "sqlite":
        result = sqlite_phase(args.sqlite_appeals, args.batch, floor=args.floor)
    else:
        result = postgres_phase(args.pg_appeals, args.threads, Path(args.log))
    print(json.dumps(result))
    return 0


def _queries(low_high: list[int] | None) -> str:
    if not low_high:
        return "—"
    low, high = low_high
    return str(low) if low == high else f"{low}–{high}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sqlite-appeals", type=int, default=500, help="timed intakes, SQLite")
    parser.add_argument("--pg-appeals", type=int, default=1000, help="timed intakes, PostgreSQL")
    parser.add_argument("--threads", type=int, default=8, help="HTTP client threads (PostgreSQL)")
    parser.add_argument("--base", type=int, default=100_000, help="appeals already there (SQLite)")
    parser.add_argument(
        "--pg-base", type=int, default=100_000, help="appeals already there (PostgreSQL)"
    )
    parser.add_argument(
        "--batch", type=int, default=50, help="appeals per batch request (SQLite batch row)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="build the cached database again")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--phase", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--floor", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--log", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        return run_phase(args)

    rows = []
    forwarded = [f"--sqlite-appeals={args.sqlite_appeals}", f"--pg-appeals={args.pg_appeals}"]
    forwarded.append(f"--threads={args.threads}")

    target = harness.Target("sqlite", args.base, args.seed)
    info = harness.ensure(target, rebuild=args.rebuild)
    harness.log(f"SQLite: {args.sqlite_appeals} intakes in one process on a copy of {target.name}")
    try:
        env = harness.clone(target, "intake-sqlite")
        floor = harness.phase(SCRIPT, ["--phase=sqlite", "--batch=1", "--floor", *forwarded], env)
        sqlite = harness.phase(SCRIPT, ["--phase=sqlite", "--batch=1", *forwarded], env)
        batched = harness.phase(
            SCRIPT, ["--phase=sqlite", f"--batch={args.batch}", *forwarded], env
        )
    finally:
        harness.discard(target, "intake-sqlite")
    base = f"{args.base:,} appeals ({info['source']})"
    rows.append(("floor: token + multipart read, no write", base, "1", floor))
    rows.append(("SQLite, 1 process, in-process client", base, "1", sqlite))
    rows.append(
        (f"SQLite, 1 process, batches of {args.batch} (/appeals/batch)", base, "1", batched)
    )

    if not args.skip_postgres:
        # A fresh database made from the cached one (CREATE DATABASE … TEMPLATE), dropped after.
        pg = harness.Target("postgres", args.pg_base, args.seed)
        pg_info = harness.ensure(pg, rebuild=args.rebuild)
        harness.log(f"PostgreSQL: fresh copy of {pg.database_name}")
        try:
            env = harness.clone(pg, "intake-postgres")
            harness.log(
                f"PostgreSQL: {args.pg_appeals} intakes over HTTP, banding serve "
                f"--workers {GUNICORN_WORKERS}, {args.threads} client threads"
            )
            log_file = harness.VAR / "logs" / "intake-gunicorn.log"
            log_file.parent.mkdir(parents=True, exist_ok=True)
            result = harness.phase(
                SCRIPT, ["--phase=postgres", f"--log={log_file}", *forwarded], env
            )
        finally:
            harness.discard(pg, "intake-postgres")
        rows.append(
            (
                f"PostgreSQL {harness.pg_version()}, gunicorn {GUNICORN_WORKERS} workers, HTTP",
                f"{args.pg_base:,} appeals ({pg_info['source']})",
                str(args.threads),
                result,
            )
        )

    print("## bench/intake.py — API intake (POST /api/v1/appeals, multipart, 1 PDF letter)")
    print()
    print(harness.machine(postgres=not args.skip_postgres))
    print()
    print(
        f"Method: {WARMUP} warm-up intakes, then the timed ones; appeals/s = accepted intakes "
        "over the wall time of the timed run; per-request times are client wall times (a batch "
        "request carries all its appeals)."
    )
    print()
    print(
        harness.table(
            [
                "setup",
                "already in DB",
                "clients",
                "intakes",
                "appeals/s",
                "median ms",
                "p95 ms",
                "queries",
                "errors",
                "check",
            ],
            [
                [
                    name,
                    base,
                    clients,
                    f"{r['requests']:,}",
                    f"{r['rate']:.0f}",
                    harness.fmt_ms(r["median_ms"]),
                    harness.fmt_ms(r["p95_ms"]),
                    _queries(r["queries"]),
                    r["errors"],
                    "ok" if r["check"]["ok"] else f"FAILED {r['check']}",
                ]
                for name, base, clients, r in rows
            ],
            align="lrrrrrrrrl",
        )
    )
    print()
    for name, label in (
        (rows[1][3], "one appeal per request"),
        (rows[2][3], f"batches of {args.batch}"),
    ):
        rate = name["rate"]
        print(
            f"Budget: ≥ 200 appeals/s on one process with SQLite, {label}: {rate:.0f}/s, "
            + ("ok." if rate >= 200 else "MISS.")
        )
    for *_, r in rows:
        for error in r.get("first_errors", []):
            print(f"Error: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
