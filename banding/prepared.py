"""Queries compiled once per shape and run with each request's values.

Building a queryset (Q objects, joins, lookups) and compiling it to SQL costs more than running
it when the query is small and indexed: *Tugas saya* spent ±2 ms of Python per query on it
while SQLite answered in 0.5 ms. A `Prepared` query builds and compiles its queryset once per
shape (what decides the SQL's text: the user's roles, the view, the page) with stand-ins for
what changes from request to request, the user and the instant now; later calls reuse the
SQL and put the user's id and now in the stand-ins' places among its parameters.

The stand-ins are values no request has (a user id beyond any real one, an instant in the
year 2000 with odd microseconds), so their places among the parameters are unambiguous; a
builder that read the database, or wrote a stand-in into the SQL text rather than as a
parameter, is refused when its shape is compiled. Rows come back as dicts (a values()
queryset's names) converted as the ORM converts them (dates, UUIDs, enums)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Model, QuerySet
from django.utils import timezone

# Never a real user's id (a bigint still) nor a real instant.
USER_MARK = 8_640_000_000_000_000_001
NOW_MARK = datetime(2000, 1, 2, 3, 4, 5, 678_901, tzinfo=UTC)
MAX_SHAPES = 256  # compiled shapes kept per query (pages beyond the first are shapes too)

_USER, _NOW, _NOW_ADAPTED = "user", "now", "now_adapted"


class ReadInBuild(RuntimeError):
    """A prepared query's builder ran a query: its SQL would depend on the stand-in."""


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]  # (index among params, what goes there)
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple[list[Callable], Any]], ...]


def stand_in[U: Model](user: U) -> U:
    """A copy of `user` (its roles and attributes as read) whose id is USER_MARK."""
    other = copy.copy(user)
    other.pk = USER_MARK
    return other


def _refuse(execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
    raise ReadInBuild(f"a prepared query's builder ran a query: {sql}")


class Prepared:
    """A values() query built by `build(user, now, *args)`, compiled once per shape: `shape`
    (what its SQL's text depends on in the user besides the id, e.g. the roles) and `args`
    (the rest, e.g. a list's view and page), both hashable."""

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self.build = build
        self._shapes: dict[Hashable, _Compiled | None] = {}

    def compiled(self, user: Model, shape: Hashable, args: tuple = ()) -> _Compiled | None:
        """The SQL of this shape (None: the builder's query is empty, e.g. `none()`)."""
        key = (connection.vendor, shape, args)
        try:
            return self._shapes[key]
        except KeyError:
            pass
        found = self._compile(user, args)
        if len(self._shapes) >= MAX_SHAPES:
            self._shapes.clear()
        self._shapes[key] = found
        return found

    def _compile(self, user: Model, args: tuple) -> _Compiled | None:
        with connection.execute_wrapper(_refuse):
            query = self.build(stand_in(user), NOW_MARK, *args).query
            compiler = query.get_compiler(connection=connection)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:
                return None
            converters = compiler.get_converters(
                [s[0] for s in compiler.select[0 : compiler.col_count]]
            )
        adapted_now = connection.ops.adapt_datetimefield_value(NOW_MARK)
        slots = []
        for i, param in enumerate(params):
            if isinstance(param, int) and not isinstance(param, bool) and param == USER_MARK:
                slots.append((i, _USER))
            elif isinstance(param, datetime) and param == NOW_MARK:
                slots.append((i, _NOW))
            elif isinstance(param, str) and param == adapted_now:
                slots.append((i, _NOW_ADAPTED))
        for mark in (str(USER_MARK), str(adapted_now), NOW_MARK.isoformat()[:19]):
            if mark in sql:
                raise ValueError(f"a stand-in is written into the SQL, not passed: {sql}")
        # As ValuesIterable names a values() row's columns.
        names = tuple(
            query.selected or (*query.extra_select, *query.values_select, *query.annotation_select)
        )
        return _Compiled(sql, tuple(params), tuple(slots), names, tuple(converters.items()))

    def statement(
        self, user: Model, shape: Hashable, *args: Hashable, now: datetime | None = None
    ) -> tuple[_Compiled, list[Any]] | None:
        """The compiled query and its parameters for this user at `now` (default: the
        current instant); None when the query is empty."""
        compiled = self.compiled(user, shape, args)
        if compiled is None:
            return None
        params = list(compiled.params)
        if compiled.slots:
            now = now or timezone.now()
            values = {
                _USER: user.pk,
                _NOW: now,
                _NOW_ADAPTED: connection.ops.adapt_datetimefield_value(now),
            }
            for i, kind in compiled.slots:
                params[i] = values[kind]
        return compiled, params

    def rows(
        self, user: Model, shape: Hashable, *args: Hashable, now: datetime | None = None
    ) -> list[dict[str, Any]]:
        """The rows for this user at `now` (default: the current instant), as dicts."""
        found = self.statement(user, shape, *args, now=now)
        if found is None:
            return []
        compiled, params = found
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        names = compiled.names
        if not compiled.converters:
            return [dict(zip(names, row, strict=True)) for row in fetched]
        rows = []
        for row in fetched:
            values = list(row)
            for i, (functions, expression) in compiled.converters:
                value = values[i]
                for function in functions:
                    value = function(value, expression, connection)
                values[i] = value
            rows.append(dict(zip(names, values, strict=True)))
        return rows
