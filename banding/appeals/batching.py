"""Writing many rows at once, as the deadline sweep does a batch at a time: the appeals
locked in one statement, the rows claimed by one UPDATE … RETURNING, and SQLite's log
checkpointed once at the end instead of at every batch's commit."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import QuerySet
from django.db.models.sql import UpdateQuery

from banding.appeals.models import Appeal, Step


@contextmanager
def checkpointed_once() -> Iterator[None]:
    """SQLite (WAL): the log copied into the database once, when the sweep ends, instead of at
    every batch's commit. SQLite checkpoints at the first commit past wal_autocheckpoint
    pages (1,000 by default) and a batch of 1,000 steps writes about 2,600 (its notices,
    events, chain heads and steps, with their indexes), so each batch paid a checkpoint and
    its fsync: on 100,000 open steps 4.5 s of commits, against 2.4 s for one checkpoint of
    the whole sweep (bench/sweep.py). The log grows meanwhile (about 10 MB a batch) and is
    checkpointed (PASSIVE: never waiting for readers) before the sweep returns; the setting
    is put back even when a batch fails. PostgreSQL: nothing to do."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        (before,) = cursor.fetchone()
        cursor.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint = {int(before)}")
            if not connection.in_atomic_block:  # (SQLite checkpoints outside transactions)
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


def lock_appeals(appeal_ids: set[int]) -> set[int]:
    """Lock these appeals for this transaction in one statement; those returned are locked,
    one someone else holds is skipped (a sweep passes it by and comes back later). SQLite:
    the IMMEDIATE transaction already holds the database's write lock, so every one."""
    if not connection.features.has_select_for_update_skip_locked:
        return appeal_ids
    qs = Appeal.objects.filter(pk__in=appeal_ids).order_by("pk").select_for_update(skip_locked=True)
    return set(qs.values_list("pk", flat=True))


def appeal_locked(appeal_id: int) -> bool:
    """Lock one appeal for this transaction; False if someone else holds it."""
    return bool(lock_appeals({appeal_id}))


def update_returning(
    qs: QuerySet[Step], values: dict[str, Any], *, returning: Sequence[str]
) -> list[tuple]:
    """`qs.update(**values)` as one UPDATE … RETURNING `returning` (PostgreSQL, and SQLite
    from 3.35): the rows it changed, read by the statement that changed them, so a row
    another transaction claimed first is never among them."""
    if not connection.features.can_return_rows_from_update:
        raise ImproperlyConfigured("The deadline sweep needs UPDATE … RETURNING (SQLite ≥ 3.35).")
    query = cast(UpdateQuery, qs.query.chain(UpdateQuery))
    query.add_update_values(values)
    fields = [qs.model._meta.get_field(name) for name in returning]
    return query.get_compiler(qs.db).execute_returning_sql(fields)
