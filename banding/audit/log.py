"""The one function that writes the audit log."""

from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from banding.audit.chain import GENESIS, event_hash, normalized
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
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("Audit events are written inside the action's transaction.")
    chain = appeal.pk if appeal is not None else ChainHead.NO_APPEAL
    prev_hash, count = _claim_head(chain, with_appeal=appeal is not None)
    event = Event(
        appeal=appeal,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        step=step,
        summary=summary[:300],
        data=normalized(data),
        public=public,
        created_at=timezone.now(),
        prev_hash=prev_hash,
    )
    event.hash = event_hash(
        appeal_id=event.appeal_id,
        actor_id=event.actor_id,
        action=event.action,
        step=event.step,
        summary=event.summary,
        data=event.data,
        public=event.public,
        created_at=event.created_at,
        prev_hash=event.prev_hash,
    )
    event.save(force_insert=True)
    ChainHead.objects.filter(chain=chain).update(
        last_hash=event.hash, last_event_id=event.pk, count=count
    )
    return event


def _claim_head(chain: int, *, with_appeal: bool) -> tuple[str, int]:
    """Lock the chain's head for this transaction; return its last hash and the new count.
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
    values, params = "VALUES (%s, %s, 1)", [chain, GENESIS]
    prefix = ""
    if with_appeal and connection.vendor == "postgresql":
        appeals = connection.ops.quote_name(
            Event._meta.get_field("appeal").related_model._meta.db_table
        )
        prefix = f'WITH appeal AS (SELECT 1 FROM {appeals} WHERE "id" = %s FOR KEY SHARE) '
        values, params = "SELECT %s, %s, 1 FROM appeal", [chain, chain, GENESIS]
    sql = (
        f'{prefix}INSERT INTO {table} ("chain", "last_hash", {count}) {values} '
        f'ON CONFLICT ("chain") DO UPDATE SET {count} = {table}.{count} + 1 '
        f'RETURNING "last_hash", {count}'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0], row[1]
