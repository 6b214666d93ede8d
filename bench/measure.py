"""Measuring one page of bench/pages.py: timed requests, query counts, a deadline for
runaway queries, and the slow-query report (EXPLAIN) of a row over budget."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from bench import harness

SLOW_S = 2  # a request slower than this: no more warm-up, at most 5 timed requests
ONE_REQUEST_S = 10  # slower than this: that one request is the row's figure
ROW_S = 60  # stop timing a row after this much (once it has 3 requests)
REQUEST_TIMEOUT_S = 60  # a request still running then has its query interrupted

Call = Callable[[str], tuple[int, int]]


@dataclass(frozen=True)
class Page:
    label: str
    who: str  # a key of the callers: "staff", "head", "customer", "api", "api_head"
    path: str
    budget_ms: float | None = None
    max_queries: int | None = None
    heavy: bool = False  # a report or a file: fewer requests


@dataclass
class Result:
    page: Page
    status: int = 0
    times: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    size: int = 0
    captured: list[dict] = field(default_factory=list)  # one warm request's queries
    error: str = ""

    @property
    def median(self) -> float | None:
        return harness.median_ms(self.times) if self.times else None

    @property
    def p95(self) -> float | None:
        return harness.p95_ms(self.times) if self.times else None

    def query_text(self) -> str:
        if not self.queries:
            return "—"
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}–{high}"

    def verdict(self) -> str:
        page = self.page
        if self.error:
            return self.error
        if page.budget_ms is None:
            return ""
        misses = []
        if self.median is not None and self.median > page.budget_ms:
            misses.append("time")
        if page.max_queries is not None and (
            max(self.queries) > page.max_queries or min(self.queries) != max(self.queries)
        ):
            misses.append("queries")
        budget = f"≤ {page.budget_ms:g} ms" + (
            f", ≤ {page.max_queries} q" if page.max_queries else ""
        )
        return f"{budget}: " + ("MISS " + " & ".join(misses) if misses else "ok")


class TimedOut(Exception):
    pass


@contextmanager
def deadline(seconds: float):
    """Interrupt the query running after `seconds` (SQLite: sqlite3 interrupt from a timer;
    PostgreSQL: statement_timeout) and raise TimedOut instead of the database's error."""
    from django.db import DatabaseError, connection

    timer = None
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        timer = threading.Timer(seconds, connection.connection.interrupt)
        timer.start()
    # PostgreSQL: the connection has a statement_timeout (statement_timeout), no query here.
    try:
        yield
    except DatabaseError as error:
        text = str(error)
        if "interrupted" in text or "statement timeout" in text:
            raise TimedOut(text) from error
        raise
    finally:
        if timer is not None:
            timer.cancel()


def measure(
    page: Page, call: Call, *, requests: int, warmup: int, timeout: float = REQUEST_TIMEOUT_S
) -> Result:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    result = Result(page)
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    gc.collect()
    for _ in range(warmup):
        # The warm-up requests capture the SQL (with its time), for the slow-query report.
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            try:
                with deadline(timeout):
                    result.status, result.size = call(page.path)
            except TimedOut:
                result.status = 500
            except Exception as error:  # the page crashed: say so and go on with the others
                result.error = f"ERROR {type(error).__name__}: {str(error)[:80]}"
                return result
            took = time.perf_counter() - started
        if result.status == 500 and took >= timeout * 0.99:  # the API answers 500 itself
            result.captured = list(captured.captured_queries)
            result.error = f"TIMEOUT: over {timeout:g} s, query interrupted"
            return result
        if result.status != 200:
            result.error = f"HTTP {result.status}"
            return result
        result.captured = list(captured.captured_queries)
        if took > ONE_REQUEST_S:  # so slow that one request tells it all
            result.times, result.queries = [took], [len(result.captured)]
            return result
        if took > SLOW_S:  # a slow page: a few requests tell enough
            requests = min(requests, 5)
            break
    reset_queries()
    spent = 0.0
    with connection.execute_wrapper(counter):
        for _ in range(requests):
            count[0] = 0
            started = time.perf_counter()
            try:
                with deadline(timeout):
                    status, _ = call(page.path)
            except TimedOut:
                status = 500
            except Exception as error:
                result.error = f"ERROR {type(error).__name__}: {str(error)[:80]}"
                return result
            took = time.perf_counter() - started
            if status == 500 and took >= timeout * 0.99:
                result.error = f"TIMEOUT: over {timeout:g} s, query interrupted"
                return result
            result.times.append(took)
            result.queries.append(count[0])
            if status != 200:
                result.error = f"HTTP {status}"
                return result
            spent += took
            if spent > ROW_S and len(result.times) >= 3:
                break
    return result


def statement_timeout(seconds: float) -> None:
    """PostgreSQL cancels a query still running after `seconds`: set on the raw connection
    (not counted as a query of any page), now and on every new connection."""
    from django.db import connection
    from django.db.backends.signals import connection_created

    def apply(sender=None, connection=connection, **kwargs) -> None:
        connection.connection.execute(f"SET statement_timeout = {int(seconds * 1000)}")

    connection.ensure_connection()
    apply()
    connection_created.connect(apply, weak=False)


def explain(result: Result, *, everything: bool = False, top: int = 3) -> str:
    """What a row spends: over the query budget (or `everything`), every query of one warm
    request; over the time budget or timed out (or `everything`), its slowest queries with the
    database's plan."""
    from django.db import connection

    lines = [f"### {result.page.label} — `{result.page.path}`", ""]
    verdict = result.verdict()
    over_queries = "MISS" in verdict and "queries" in verdict
    over_time = ("MISS" in verdict and "time" in verdict) or bool(result.error)
    if everything or over_queries:
        lines.append(f"{len(result.captured)} queries:")
        for i, q in enumerate(result.captured, start=1):
            lines.append(f"{i:3}. {float(q['time']) * 1000:6.1f} ms  {_short(q['sql'])}")
        lines.append("")
    if not (everything or over_time):
        return "\n".join(lines)
    slowest = sorted(result.captured, key=lambda q: float(q["time"]), reverse=True)[:top]
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    for q in slowest:
        lines.append(f"- {float(q['time']) * 1000:.1f} ms: `{_short(q['sql'], 400)}`")
        try:
            with connection.cursor() as cursor:
                cursor.execute(prefix + q["sql"])
                plan = cursor.fetchall()
        except Exception as error:  # SQL quoted by Django for display only
            lines.append(f"  (no plan: {error})")
            continue
        lines += ["      " + _cut(str(row[-1]), 200) for row in plan]
    return "\n".join(lines)


def _short(sql: str, width: int = 160) -> str:
    """The SQL without its column list, cut to `width` characters."""
    upper = sql.upper()
    start, end = upper.find("SELECT "), upper.find(" FROM ")
    if start == 0 and end > 0:
        sql = "SELECT … " + sql[end + 1 :]
    return _cut(sql, width)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
