"""The one function that writes the audit log."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from banding.audit.chain import GENESIS, hash_of, normalized
from banding.audit.models import ChainHead, Event


def record(
    *,
    action: str,
    summary: str,
    actor=None,
    appeal=None,
    step: int | None = None,
    data: dict[str, Any] | None = None,
    public: bool = False,
) -> Event:
    """Write an event. Must run inside the transaction of the action it records, after the
    action has taken its own row locks: the chain head stays locked until that transaction
    commits, so the action's locks are never waited for while holding it."""
    (event,) = record_all(
        appeal,
        [Entry(action=action, summary=summary, actor=actor, step=step, data=data, public=public)],
    )
    return event


@dataclass(frozen=True)
class Entry:
    """One event to write with `record_all`: `record`'s arguments but the appeal."""

    action: str
    summary: str
    actor: Any = None
    step: int | None = None
    data: dict[str, Any] | None = None
    public: bool = False


def record_all(appeal, entries: Sequence[Entry]) -> list[Event]:
    """Write several events of one appeal (or of none) in this order, as `record` writes one,
    in three queries however many: the chain head claimed once for all of them, the events
    inserted together, the head moved to the last one. For an action that records more than
    one thing at once (an intake: the appeal and its documents)."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("Audit events are written inside the action's transaction.")
    if not entries:
        return []
    chain = appeal.pk if appeal is not None else ChainHead.NO_APPEAL
    prev_hash, count = _claim_head(chain, len(entries), with_appeal=appeal is not None)
    now = timezone.now()
    events = []
    for entry in entries:
        actor = entry.actor
        event = Event(
            appeal=appeal,
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=entry.action,
            step=entry.step,
            summary=entry.summary[:300],
            data=normalized(entry.data),
            public=entry.public,
            created_at=now,
            prev_hash=prev_hash,
        )
        event.hash = prev_hash = hash_of(event)
        events.append(event)
    # The chain's order is the id order: the rows of one INSERT get their ids in the order
    # given (PostgreSQL's sequence and SQLite's rowid both count up along the VALUES list).
    if len(events) == 1:
        events[0].save(force_insert=True)
    else:
        Event.objects.bulk_create(events)
    last = events[-1]
    ChainHead.objects.filter(chain=chain).update(
        last_hash=last.hash, last_event_id=last.pk, count=count
    )
    return events


def _claim_head(chain: int, added: int, *, with_appeal: bool) -> tuple[str, int]:
    """Lock the chain's head for this transaction; return its last hash and its count with
    the `added` events counted.
    One upsert ... RETURNING both locks (PostgreSQL: the row; SQLite: the IMMEDIATE
    transaction already holds the write lock) and reads, so no other writer of this chain
    reads the same last hash before this transaction commits. A chain's first event creates
    its head at the genesis: were events of this chain already there (its head deleted), the
    chain breaks here, visibly, rather than being silently continued.

    On PostgreSQL the same statement first takes FOR KEY SHARE on the appeal, which the
    event's foreign key would take at commit anyway. Taken first, every writer locks in the
    order appeal -> chain head; otherwise an action holding the appeal (FOR UPDATE) and
    waiting for the head, and a writer holding the head (a worker recording a sent mail) and
    waiting at commit for the appeal, deadlock. FOR KEY SHARE does not block ordinary updates
    of the appeal, only FOR UPDATE."""
    table, count = (connection.ops.quote_name(n) for n in (ChainHead._meta.db_table, "count"))
    values, params = "VALUES (%s, %s, %s)", [chain, GENESIS, added]
    prefix = ""
    if with_appeal and connection.vendor == "postgresql":
        appeals = connection.ops.quote_name(
            Event._meta.get_field("appeal").related_model._meta.db_table
        )
        prefix = f'WITH appeal AS (SELECT 1 FROM {appeals} WHERE "id" = %s FOR KEY SHARE) '
        values, params = "SELECT %s, %s, %s FROM appeal", [chain, chain, GENESIS, added]
    sql = (
        f'{prefix}INSERT INTO {table} ("chain", "last_hash", {count}) {values} '
        f'ON CONFLICT ("chain") DO UPDATE SET {count} = {table}.{count} + %s '
        f'RETURNING "last_hash", {count}'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, added])
        row = cursor.fetchone()
    return row[0], row[1]
