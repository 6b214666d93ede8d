"""Real concurrent writers for the PostgreSQL-only race tests."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def in_threads(count: int, body: Callable[[int], object]) -> list[object]:
    """Run `body(i)` in `count` threads that start together; each closes its connection.
    Returns each thread's result, or the exception it raised."""
    results: list[object] = [None] * count
    barrier = threading.Barrier(count)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = body(i)
        except BaseException as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def errors_of(results: list[object]) -> list[BaseException]:
    return [r for r in results if isinstance(r, BaseException)]
