"""SQL both databases run alike, for the reports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import QuerySet


def medians(rows: QuerySet, *, keys: Sequence[str], value: str) -> dict[tuple[Any, ...], float]:
    """The median of `value` per group of `keys` over a queryset that yields them (one query).
    Portable SQL: rank each group's values with ROW_NUMBER() and COUNT() windows, keep the
    middle row (odd count) or the middle two (even count) and average them — SQLite has no
    percentile_cont, and both databases then compute the same figure. NULL values are left out.
    """
    sql, params = rows.values(*keys, value).order_by().query.sql_with_params()
    names = ", ".join(f"base.{k} AS {k}" for k in keys)
    group = ", ".join(f"ranked.{k}" for k in keys)
    partition = ", ".join(f"base.{k}" for k in keys)
    wrapped = (
        f"SELECT {group}, AVG(ranked.v) FROM ("
        f" SELECT {names}, base.{value} AS v,"
        f" ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY base.{value}) AS rn,"
        f" COUNT(*) OVER (PARTITION BY {partition}) AS n"
        f" FROM ({sql}) base WHERE base.{value} IS NOT NULL"
        ") ranked WHERE ranked.rn IN ((ranked.n + 1) / 2, (ranked.n + 2) / 2)"
        f" GROUP BY {group}"
    )
    with connection.cursor() as cursor:
        cursor.execute(wrapped, params)
        return {tuple(row[:-1]): float(row[-1]) for row in cursor.fetchall()}
