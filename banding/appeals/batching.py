"""Writing many rows at once, as the deadline sweep does a batch at a time: the appeals
locked in one statement, the rows claimed by one UPDATE … RETURNING, and SQLite's log
checkpointed alongside by a thread instead of at every batch's commit."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import QuerySet
from django.db.models.sql import UpdateQuery

from banding.appeals.models import Appeal, Step

logger = logging.getLogger(__name__)


# How often the checkpointer copies what the sweep's batches committed into the database.
CHECKPOINT_EVERY_S = 0.5


@contextmanager
def checkpointed_alongside(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """SQLite (WAL): the log copied into the database by a thread of its own while the sweep
    goes on, instead of at batch commits. SQLite checkpoints at the first commit past
    wal_autocheckpoint pages (1,000 by default) and a batch of 1,000 steps writes about 2,600
    (its notices, events, chain heads and steps, with their indexes), so each batch paid a
    checkpoint and its fsync: on 100,000 open steps 4.5 s of commits; one checkpoint at the
    end cost 1.9 s more on top of the sweep. So the connection's automatic checkpoint is off
    for the sweep, and a thread with a connection of its own checkpoints every
    CHECKPOINT_EVERY_S (PASSIVE: never waiting for the sweep or for readers; SQLite copies
    the pages in C, without Python's lock), alongside the sweep's own work; when the sweep
    ends, one last checkpoint copies what is left and the setting is put back, even when a
    batch failed. In a transaction (a test's) nothing is committed, so nothing to do; on
    PostgreSQL neither."""
    sweeping = connections[using]
    if sweeping.vendor != "sqlite" or sweeping.in_atomic_block:
        yield
        return
    with sweeping.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        (before,) = cursor.fetchone()
        cursor.execute("PRAGMA wal_autocheckpoint = 0")
    done = threading.Event()
    checkpointer = threading.Thread(
        target=_checkpoint_until, args=(using, done), name="sla-checkpoint"
    )
    checkpointer.start()
    try:
        yield
    finally:
        done.set()
        checkpointer.join()
        with sweeping.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint = {int(before)}")
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


def _checkpoint_until(alias: str, done: threading.Event) -> None:
    """Checkpoint `alias`'s log every CHECKPOINT_EVERY_S until `done`, on this thread's own
    connection (Django's connections are per thread), closed at the end. A checkpoint that
    fails is logged: the sweep's last checkpoint copies its pages instead."""
    own = connections[alias]
    try:
        while not done.wait(CHECKPOINT_EVERY_S):
            with own.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except Exception:
        logger.exception("Checkpoint log SQLite selama penyisiran gagal; diulang di akhirnya.")
    finally:
        own.close()


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
