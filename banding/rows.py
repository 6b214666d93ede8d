"""Many rows written by a few statements of a few fixed shapes.

Writing thousands of rows (the deadline sweep's notices and audit events, a batch at a
time) one statement per row (`executemany`) binds and steps each row on its own: on 100,000
open steps the notices' upsert cost 1.5 s more that way than as VALUES lists. But a VALUES
list as long as each batch is a new statement text every time, compiled anew, and the driver
keeps the last 128 texts it compiled (SQLite's statement cache: 170 MB in a worker after one
sweep). So on SQLite many rows go in chunks of 512, 256, 128 and 64 rows, and what is left (fewer
than 64) in one statement of its own size: a statement kind has at most 67 texts whatever
the counts, the long ones four, and a few rows (an action's events) still take one
statement. On PostgreSQL the rows go as one array per column, in one statement.

And rows read as values made into model instances without Model.__init__ (`loaded`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Model
from django.db.models.base import ModelState

ROWS_PER_STATEMENT = 512
SMALLEST_CHUNK = 64


def chunk_sizes(count: int, cap: int = ROWS_PER_STATEMENT) -> Iterator[int]:
    """The rows per statement for `count` rows: `cap` (a power of two) as often as it fits,
    then the halves of it down to SMALLEST_CHUNK that fit, then the rest as one."""
    while count >= cap:
        count -= cap
        yield cap
    size = cap // 2
    while size >= SMALLEST_CHUNK:
        if count >= size:
            count -= size
            yield size
        size //= 2
    if count:
        yield count


def write_rows(
    cursor: CursorWrapper,
    model: type[Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    tail: str = "",
) -> list[tuple]:
    """INSERT `rows` (values of `columns`, by attname, ready for the database) into `model`'s
    table, `tail` after them (ON CONFLICT …, RETURNING …); return what the statements return,
    in the order of `rows`. SQLite: `VALUES (%s, …), (%s, …)` lists in chunks of fixed sizes.
    PostgreSQL: one statement whatever the count, each column one array parameter
    (`SELECT * FROM unnest(%s::bigint[], …)`): psycopg binds parameters on the client, so a
    VALUES list is a text of thousands of literals the server parses anew each time, while an
    array is one literal per column (the deadline sweep's notices: 9.7 s of its 28 s that
    way)."""
    if not rows:
        return []
    connection = cursor.db
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)})"
    returning = "RETURNING" in tail.upper()
    if connection.vendor == "postgresql":
        arrays, params = unnest(connection, model, columns, rows)
        cursor.execute(f"{head} SELECT * FROM {arrays} {tail}".rstrip(), params)
        return cursor.fetchall() if returning else []
    width = len(columns)
    limit = connection.features.max_query_params
    cap = ROWS_PER_STATEMENT
    while limit is not None and cap > 1 and cap * width > limit:
        cap //= 2
    one = "(" + ", ".join(["%s"] * width) + ")"
    returned: list[tuple] = []
    start = 0
    for size in chunk_sizes(len(rows), cap):
        chunk = rows[start : start + size]
        start += size
        cursor.execute(
            f"{head} VALUES {', '.join([one] * size)} {tail}".rstrip(),
            [value for row in chunk for value in row],
        )
        if returning:
            returned.extend(cursor.fetchall())
    return returned


def unnest(
    connection: BaseDatabaseWrapper,
    model: type[Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> tuple[str, list[list[Any]]]:
    """PostgreSQL: `unnest(%s::bigint[], …)` over `rows` (values of `model`'s `columns`), and
    its parameters, one array per column: a set of rows as one literal per column."""
    types = [model._meta.get_field(column).db_type(connection) for column in columns]
    arrays = ", ".join(f"%s::{kind}[]" for kind in types)
    return f"unnest({arrays})", [list(values) for values in zip(*rows, strict=True)]


def loaded[M: Model](model: type[M], values: dict[str, Any], *, db: str = "default") -> M:
    """An instance of `model` as the ORM makes one from a row read with `.only(*values)`:
    those attributes set (by attname: "appeal_id"), every other field deferred (read from
    the database when touched), but without Model.__init__, whose signals and per-field
    work cost about 15 µs an instance (the deadline sweep reads a hundred thousand steps and
    their appeals as value rows and makes its instances with this, 1.5 s less)."""
    instance = model.__new__(model)
    instance.__dict__.update(values)
    state = ModelState()
    state.adding, state.db = False, db
    instance._state = state
    return instance
