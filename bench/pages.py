"""Server time and queries of the pages and API reads, with 100,000 appeals in the database.

    uv run python bench/pages.py [--appeals 100000] [--seed 1] [--db sqlite|postgres]
                                 [--requests 30] [--rebuild] [--explain] [--only TEXT]

Each row is one URL requested in this process through django.test.Client (the whole
middleware stack runs; the user logged in with force_login, the API with a personal token),
warmed up, then timed: server time = wall time of the client call, queries counted on every
request. The floor is a bare page with the same middleware listing 25 rows by one indexed query
(bench/urls.py); "× floor" is a row's median over the floor's.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness
from bench.measure import (
    ONE_REQUEST_S,
    REQUEST_TIMEOUT_S,
    SLOW_S,
    Call,
    Page,
    explain,
    measure,
    statement_timeout,
)

PAGE_BUDGET_MS = 50  # DESIGN.md "Performance budget": inbox, register, appeal page
PAGE_MAX_QUERIES = 12
MONITORING_BUDGET_MS = 1000


# --- what is measured ----------------------------------------------------------------------


@dataclass
class Fixtures:
    year: int
    closed: object | None  # Appeal
    closed_steps: int
    open: object | None
    open_steps: int
    customer: object | None  # User
    customer_appeal: object | None
    search: str
    notes: list[str]


def fixtures() -> Fixtures:
    """The appeals, users and year the rows use, picked from what is in the database."""
    from django.db.models import Count

    from banding.accounts.models import User
    from banding.appeals.models import Appeal, Status, Step

    notes = []
    busiest = Appeal.objects.values("year").annotate(n=Count("id")).order_by("-n", "-year").first()
    year = busiest["year"] if busiest else time.localtime().tm_year

    def fullest(status: str) -> tuple[object | None, int]:
        row = (
            Step.objects.filter(appeal__status=status)
            .values("appeal_id")
            .annotate(n=Count("id"))
            .order_by("-n", "-appeal_id")
            .first()
        )
        if row is None:
            return None, 0
        return Appeal.objects.select_related("organization").get(pk=row["appeal_id"]), row["n"]

    closed, closed_steps = fullest(Status.CLOSED)
    opened, open_steps = fullest(Status.OPEN)
    customer = (
        User.objects.filter(is_active=True, organization__isnull=False, groups__isnull=True)
        .annotate(n=Count("organization__appeals"))
        .order_by("-n", "id")
        .first()
    )
    customer_appeal = None
    if customer is not None:
        mine = Appeal.objects.filter(organization_id=customer.organization_id)
        customer_appeal = (
            mine.filter(status=Status.CLOSED).order_by("-id").first()
            or mine.order_by("-id").first()
        )
        notes.append(
            f"customer `{customer.username}`: {mine.count():,} appeals of its organisation"
        )
    search = closed.organization.name if closed else "Sinar"
    return Fixtures(
        year, closed, closed_steps, opened, open_steps, customer, customer_appeal, search, notes
    )


def pages(f: Fixtures) -> list[Page]:
    from banding.appeals.models import ServiceType
    from bench.urls import FLOOR_PATH

    B, Q = PAGE_BUDGET_MS, PAGE_MAX_QUERIES
    year = f"jenis=tahun&tahun={f.year}"
    service = ServiceType.TESTING.value
    rows = [
        Page("FLOOR: bare page, 25 rows, 1 indexed query", "staff", "/" + FLOOR_PATH),
        Page("inbox, PJTK staff (staf)", "staff", "/", B, Q),
        Page("inbox, head (kepala): + nota dinas, overdue list", "head", "/", B, Q),
        Page("register, first page", "staff", "/banding/", B, Q),
        Page(
            f"register, status=open & service_type={service}",
            "staff",
            f"/banding/?status=open&service_type={service}",
            B,
            Q,
        ),
        Page(
            f"register, q={f.search!r}",
            "staff",
            "/banding/?" + _query(q=f.search),
            B,
            Q,
        ),
        Page("register, page 2000", "staff", "/banding/?page=2000", B, Q),
        # A technical team member sees only the appeals it has a part in (need to know).
        Page("register, technical team member (need to know)", "tech", "/banding/", B, Q),
        Page("register page 50, technical team member", "tech", "/banding/?page=50", B, Q),
        Page("notifications, staff", "staff", "/notifikasi/", B, Q),
        # Retention (JRA): the closed files past their periods, over the whole history.
        Page("retention (JRA) page, PJTK staff", "staff", "/arsip/retensi/", B, Q),
        Page("corrective actions list, head", "head", "/tindakan-perbaikan/", B, Q),
    ]
    if f.closed is not None:
        detail = f"/banding/{f.closed.public_id}/"
        rows += [
            Page(f"appeal page, closed ({f.closed_steps} steps), staff", "staff", detail, B, Q),
            Page("appeal page, closed, head (similar appeals: next row)", "head", detail, B, Q),
            # The card the page loads after itself with htmx, for the same user.
            Page(
                "appeal page: similar appeals fragment, head",
                "head_htmx",
                f"{detail}serupa/",
                B,
                Q,
            ),
        ]
    if f.open is not None:
        rows.append(
            Page(
                f"appeal page, open at step {f.open.current_step} ({f.open_steps} steps), staff",
                "staff",
                f"/banding/{f.open.public_id}/",
                B,
                Q,
            )
        )
    api = "/api/v1"
    rows += [
        Page("API list /appeals", "api", f"{api}/appeals", B, Q),
        Page(
            "API list ?status=open&service_type",
            "api",
            f"{api}/appeals?status=open&service_type={service}",
            B,
            Q,
        ),
        Page("API list ?page=2000", "api", f"{api}/appeals?page=2000", B, Q),
        Page("API /inbox", "api", f"{api}/inbox", B, Q),
        Page("API list /appeals, technical team member", "api_tech", f"{api}/appeals", B, Q),
    ]
    if f.closed is not None:
        one = f"{api}/appeals/{f.closed.public_id}"
        rows += [
            Page("API detail (closed appeal)", "api", one, B, Q),
            Page("API timeline (closed appeal)", "api", f"{one}/timeline", B, Q),
            Page("API similar appeals, head", "api_head", f"{one}/similar", B, Q),
        ]
    rows += [
        Page(f"dashboard, year {f.year}", "head", f"/laporan/?{year}", heavy=True),
        Page(
            f"SOP monitoring, year {f.year}",
            "head",
            f"/laporan/monitoring/?{year}",
            MONITORING_BUDGET_MS,
            heavy=True,
        ),
        Page(
            f"SOP monitoring XLSX, year {f.year}",
            "head",
            f"/laporan/monitoring/formulir.xlsx?{year}",
            heavy=True,
        ),
        Page(f"management review, year {f.year}", "head", f"/laporan/tinjauan/?{year}", heavy=True),
        Page(f"survey IKM, year {f.year}", "head", f"/survei/?{year}", heavy=True),
        Page(f"survey CSV, year {f.year}", "head", f"/survei/unduh.csv?{year}", heavy=True),
        Page(
            f"register CSV, received January {f.year}",
            "staff",
            f"/banding/unduh.csv?received_from={f.year}-01-01&received_to={f.year}-01-31",
            heavy=True,
        ),
    ]
    month = f"jenis=bulan&tahun={f.year}&bulan=1"
    rows += [
        Page(f"audit log, January {f.year}", "auditor", f"/log-audit/?{month}", B, Q),
        Page(
            f"audit log, January {f.year}, page 200",
            "auditor",
            f"/log-audit/?{month}&page=200",
            B,
            Q,
        ),
        Page(
            f"audit log, January {f.year}, actor staf",
            "auditor",
            f"/log-audit/?{month}&pelaku=staf",
            B,
            Q,
        ),
        Page(f"API audit events, January {f.year}", "api_auditor", f"{api}/audit-events?{month}"),
        Page(
            f"audit log CSV, January {f.year}",
            "auditor",
            f"/log-audit/unduh.csv?{month}",
            heavy=True,
        ),
    ]
    if f.customer is not None:
        rows.append(Page("portal home, customer", "customer", "/portal/", B, Q))
    if f.customer_appeal is not None:
        rows.append(
            Page(
                f"portal appeal ({f.customer_appeal.get_status_display().lower()}), customer",
                "customer",
                f"/portal/banding/{f.customer_appeal.public_id}/",
                B,
                Q,
            )
        )
    return rows


def _query(**params: str) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


# --- callers -------------------------------------------------------------------------------


def callers(f: Fixtures) -> dict[str, Call]:
    from django.test import Client

    from banding.accounts.models import ApiToken, hash_token
    from banding.accounts.roles import Role

    def web(user, headers: dict | None = None) -> Call:
        client = Client()
        client.force_login(user)
        return lambda path: _fetch(client, path, headers or {})

    def token(user) -> Call:
        # A token with a known value, made once per database (api_token_create would show
        # the value only once and write an audit event on every run).
        raw = f"{ApiToken.PREFIX}bench-{user.username}"
        ApiToken.objects.update_or_create(
            key_hash=hash_token(raw),
            defaults={"user": user, "name": "bench", "hint": raw[:8], "revoked_at": None},
        )
        client = Client()
        return lambda path: _fetch(client, path, {"HTTP_AUTHORIZATION": f"Bearer {raw}"})

    staff, head = harness.person(Role.PJTK_STAFF, "staf"), harness.person(Role.HEAD, "kepala")
    auditor = harness.person(Role.AUDITOR, "auditor")
    tech = harness.person(Role.TECHNICAL, "teknis.uji")
    found = {
        "tech": web(tech),
        "api_tech": token(tech),
        "staff": web(staff),
        "head": web(head),
        "head_htmx": web(head, {"HTTP_HX_REQUEST": "true"}),  # as htmx asks for a fragment
        "api": token(staff),
        "api_head": token(head),
        "auditor": web(auditor),
        "api_auditor": token(auditor),
    }
    if f.customer is not None:
        found["customer"] = web(f.customer)
    return found


def _fetch(client, path: str, headers: dict) -> tuple[int, int]:
    response = client.get(path, **headers)
    if response.streaming:
        return response.status_code, sum(len(chunk) for chunk in response.streaming_content)
    return response.status_code, len(response.content)


def database_counts() -> str:
    from banding.appeals.models import Appeal, Document, Step
    from banding.audit.models import Event
    from banding.letters.models import Letter
    from banding.notifications.models import Notification

    parts = [
        (m._meta.verbose_name_plural, m.objects.count())
        for m in (Appeal, Step, Event, Notification, Document, Letter)
    ]
    return ", ".join(f"{n:,} {label}" for label, n in parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--appeals", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per row")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument(
        "--explain", action="store_true", help="plans of the slowest queries of every row"
    )
    parser.add_argument("--only", default="", help="rows whose label contains this text")
    parser.add_argument(
        "--timeout",
        type=float,
        default=REQUEST_TIMEOUT_S,
        help=f"seconds before a request's query is interrupted (default {REQUEST_TIMEOUT_S})",
    )
    args = parser.parse_args(argv)
    # A page that fails or times out is reported in the table; its traceback is not wanted.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)

    target = harness.Target(args.db, args.appeals, args.seed)
    info = harness.ensure(target, rebuild=args.rebuild)
    env = target.env()
    if args.db == "postgres":
        env["BANDING_CONN_MAX_AGE"] = "3600"  # one connection for the run, as a busy server
    harness.setup_django(env)
    harness.log("picking the appeals and users to measure …")
    f = fixtures()
    counts = database_counts()
    if args.db == "postgres":
        statement_timeout(args.timeout)
    call = callers(f)
    rows = [p for p in pages(f) if args.only.lower() in p.label.lower() or p.label[:5] == "FLOOR"]
    results = []
    for page in rows:
        requests = max(5, args.requests // 3) if page.heavy else args.requests
        warmup = 1 if page.heavy else args.warmup
        harness.log(f"{page.label} ({page.path})")
        results.append(
            measure(page, call[page.who], requests=requests, warmup=warmup, timeout=args.timeout)
        )

    floor = results[0].median
    print(f"## bench/pages.py — {args.appeals:,} appeals (seed {args.seed}), {args.db}")
    print()
    print(harness.machine(postgres=args.db == "postgres"))
    print()
    print(f"Database ({info['source']}): {counts}.")
    print(
        f"Method: in-process django.test.Client, DEBUG off, full middleware; {args.warmup} "
        f"warm-up + {args.requests} timed requests per row (reports and files: 1 + "
        f"{max(5, args.requests // 3)}; a page over {SLOW_S} s: 5, over {ONE_REQUEST_S} s: its "
        f"first request only; n = timed requests); server time in ms."
    )
    for note in f.notes:
        print(f"Note: {note}.")
    print()
    print(
        harness.table(
            ["page", "n", "median ms", "p95 ms", "queries", "× floor", "KB", "budget"],
            [
                [
                    r.page.label,
                    len(r.times),
                    harness.fmt_ms(r.median),
                    harness.fmt_ms(r.p95),
                    r.query_text(),
                    f"{r.median / floor:.1f}" if r.median and floor else "—",
                    f"{r.size / 1024:.0f}",
                    r.verdict(),
                ]
                for r in results
            ],
            align="lrrrrrrl",
        )
    )
    misses = [r for r in results if "MISS" in r.verdict() or r.error.startswith("TIMEOUT")]
    shown = results[1:] if args.explain else misses
    if shown:
        print()
        print("## What the rows over budget spend" if not args.explain else "## Queries")
        print()
        for r in shown:
            if r.captured:
                print(explain(r, everything=args.explain))
                print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
