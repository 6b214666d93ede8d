"""The one function that writes the audit log."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from banding.accounts.models import User
from banding.audit.actions import Action, known
from banding.audit.chain import GENESIS, event_mac, normalized
from banding.audit.keys import keyring
from banding.audit.models import ChainHead, Event
from banding.rows import unnest, write_rows


def record(
    *,
    action: Action | str,
    summary: str,
    actor: User | None = None,
    appeal: Model | None = None,
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

    action: Action | str
    summary: str
    actor: User | None = None
    step: int | None = None
    data: dict[str, Any] | None = None
    public: bool = False


def record_all(appeal: Model | None, entries: Sequence[Entry]) -> list[Event]:
    """Write several events of one appeal (or of none) in this order, as `record` writes one:
    `record_each` for one appeal. For an action that records more than one thing at once
    (an intake: the appeal and its documents)."""
    return record_each([(appeal, entries)])


def record_each(
    batches: Sequence[tuple[Model | None, Sequence[Entry]]], *, returning: bool = True
) -> list[Event]:
    """Write the events of several appeals (each appeal's chain, or the chain of events with
    no appeal), each batch's in its order, in three queries however many (past 64 events,
    one more per chunk of banding.rows): every chain head claimed by one upsert, the events
    inserted together, the heads moved to their last events by one more. For a batch intake,
    which records many new appeals at once. Returns the events written, unless `returning`
    is false (the deadline sweep's tens of thousands: no model instance is made)."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("Audit events are written inside the action's transaction.")
    batches = [(appeal, entries) for appeal, entries in batches if entries]
    for _, entries in batches:
        for entry in entries:
            if not known(entry.action):
                raise ValueError(f"Unknown audit action {entry.action!r}: see audit.actions.")
    if not batches:
        return []
    added: dict[int, int] = {}
    for appeal, entries in batches:
        chain = _chain(appeal)
        added[chain] = added.get(chain, 0) + len(entries)
    ring = keyring()  # read once per process, then kept in memory
    key_id, key = ring.signing, ring.signing_key
    heads = _claim_heads(added)
    now = timezone.now()
    rows: list[tuple] = []  # EVENT_COLUMNS of each event, in the chain's order
    last: dict[int, int] = {}  # chain -> index of its last event among rows
    for appeal, entries in batches:
        chain = _chain(appeal)
        appeal_id = appeal.pk if appeal is not None else None
        prev_hash = heads[chain][0]
        for entry in entries:
            actor = entry.actor
            actor_id = actor.pk if actor is not None and actor.is_authenticated else None
            action, summary, data = str(entry.action), entry.summary[:300], normalized(entry.data)
            seal = event_mac(
                key,
                appeal_id=appeal_id,
                actor_id=actor_id,
                action=action,
                step=entry.step,
                summary=summary,
                data=data,
                public=entry.public,
                created_at=now,
                prev_hash=prev_hash,
                key_id=key_id,
                normalize=False,  # (normalized just above)
            )
            # EVENT_COLUMNS' order.
            rows.append(
                (
                    appeal_id,
                    actor_id,
                    action,
                    entry.step,
                    summary,
                    data,
                    entry.public,
                    now,
                    prev_hash,
                    seal,
                    key_id,
                )
            )
            prev_hash = seal
            last[chain] = len(rows) - 1
        heads[chain] = (prev_hash, heads[chain][1])
    # The chain's order is the id order: the rows of one INSERT get their ids in the order
    # given (PostgreSQL's sequence and SQLite's rowid both count up along the VALUES list),
    # and the chunks of banding.rows are inserted in that order too.
    ids = _insert(rows)
    hash_at = EVENT_COLUMNS.index("hash")
    _move_heads([(rows[i][hash_at], ids[i], chain) for chain, i in sorted(last.items())])
    if not returning:
        return []
    appeals = {appeal.pk: appeal for appeal, _ in batches if appeal is not None}
    events = []
    for pk, row in zip(ids, rows, strict=True):
        event = Event(pk=pk, **dict(zip(EVENT_COLUMNS, row, strict=True)))
        event._state.adding = False
        if event.appeal_id is not None:  # the appeal given, not read again
            Event.appeal.field.set_cached_value(event, appeals[event.appeal_id])
        events.append(event)
    return events


EVENT_COLUMNS = (
    "appeal_id",
    "actor_id",
    "action",
    "step",
    "summary",
    "data",
    "public",
    "created_at",
    "prev_hash",
    "hash",
    "key_id",
)


def _insert(rows: list[tuple]) -> list[int]:
    """Event.objects.bulk_create() of these rows (EVENT_COLUMNS) as INSERT … RETURNING id
    over VALUES lists of fixed sizes (banding.rows), their values prepared here: bulk_create
    prepares every value through its field, about 100 µs an event, and the deadline sweep's
    first run records tens of thousands. Returns the ids, in the order of the rows, as
    bulk_create's come (the chain's order, see record_each)."""
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    data = Event._meta.get_field("data")
    data_at, created_at = EVENT_COLUMNS.index("data"), EVENT_COLUMNS.index("created_at")
    instants: dict[Any, Any] = {}

    def prepared(row: tuple) -> tuple:
        instant = row[created_at]
        if instant not in instants:
            instants[instant] = connection.ops.adapt_datetimefield_value(instant)
        values = list(row)
        values[data_at] = data.get_db_prep_save(row[data_at], connection)
        values[created_at] = instants[instant]
        return tuple(values)

    with connection.cursor() as cursor:
        returned = write_rows(
            cursor,
            Event,
            EVENT_COLUMNS,
            [prepared(row) for row in rows],
            f"RETURNING {quote('id')}",
        )
    return [pk for (pk,) in returned]


def _move_heads(rows: list[tuple[str, int | None, int]]) -> None:
    """Each chain head (claimed, its count already moved, by _claim_heads) set to its last
    event: (last hash, last event id, chain) per head. SQLite: one UPDATE by primary key
    executed for every row; PostgreSQL: one UPDATE … FROM unnest(arrays), as banding.rows
    writes rows there (a thousand UPDATEs per batch of the deadline sweep cost 1.4 s of its
    PostgreSQL run). A bulk upsert of model rows compiled a statement of a thousand VALUES
    for each batch of the sweep (2.3 s of its 30 on 100,000 steps)."""
    if not rows:
        return
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    table = quote(ChainHead._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays, params = unnest(
                connection, ChainHead, ("last_hash", "last_event_id", "chain"), rows
            )
            cursor.execute(
                f"UPDATE {table} SET {quote('last_hash')} = u.last_hash, "
                f"{quote('last_event_id')} = u.last_event_id FROM {arrays} "
                f"AS u(last_hash, last_event_id, chain) WHERE {table}.{quote('chain')} = u.chain",
                params,
            )
            return
        cursor.executemany(
            f"UPDATE {table} SET {quote('last_hash')} = %s, {quote('last_event_id')} = %s "
            f"WHERE {quote('chain')} = %s",
            rows,
        )


def _chain(appeal: Model | None) -> int:
    return appeal.pk if appeal is not None else ChainHead.NO_APPEAL


def _claim_heads(added: dict[int, int]) -> dict[int, tuple[str, int]]:
    """Lock the chain heads for this transaction; return each chain's last hash and its
    count with its `added` events counted.
    One upsert ... RETURNING both locks (PostgreSQL: the rows, in chain order; SQLite: the
    IMMEDIATE transaction already holds the write lock) and reads, so no other writer of
    these chains reads the same last hash before this transaction commits. A chain's first
    event creates its head at the genesis: were events of this chain already there (its head
    deleted), the chain breaks here, visibly, rather than being silently continued.

    On PostgreSQL the same statement first takes FOR KEY SHARE on the appeals, which the
    events' foreign keys would take at commit anyway. Taken first, every writer locks in the
    order appeal -> chain head; otherwise an action holding the appeal (FOR UPDATE) and
    waiting for the head, and a writer holding the head (a worker recording a sent mail) and
    waiting at commit for the appeal, deadlock. FOR KEY SHARE does not block ordinary updates
    of the appeal, only FOR UPDATE."""
    table, count = (connection.ops.quote_name(n) for n in (ChainHead._meta.db_table, "count"))
    chains = sorted(added)
    rows = ", ".join(["(%s, %s, %s)"] * len(chains))
    params: list = [x for chain in chains for x in (chain, GENESIS, added[chain])]
    source, prefix = f"VALUES {rows}", ""
    appeal_ids = [chain for chain in chains if chain != ChainHead.NO_APPEAL]
    if appeal_ids and connection.vendor == "postgresql":
        appeals = connection.ops.quote_name(
            Event._meta.get_field("appeal").related_model._meta.db_table
        )
        marks = ", ".join(["%s"] * len(appeal_ids))
        prefix = (
            f'WITH appeal AS (SELECT "id" FROM {appeals} WHERE "id" IN ({marks}) '
            'ORDER BY "id" FOR KEY SHARE) '
        )
        typed = ", ".join(["(%s::bigint, %s::varchar, %s::integer)"] * len(chains))
        source = (
            f"SELECT v.chain, v.last_hash, v.n FROM (VALUES {typed}) AS v(chain, last_hash, n) "
            'WHERE v.chain = %s OR v.chain IN (SELECT "id" FROM appeal) ORDER BY v.chain'
        )
        params = [*appeal_ids, *params, ChainHead.NO_APPEAL]
    sql = (
        f'{prefix}INSERT INTO {table} ("chain", "last_hash", {count}) {source} '
        f'ON CONFLICT ("chain") DO UPDATE SET {count} = {table}.{count} + EXCLUDED.{count} '
        f'RETURNING "chain", "last_hash", {count}'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {chain: (last_hash, total) for chain, last_hash, total in cursor.fetchall()}
    missing = set(chains) - set(found)
    if missing:
        raise RuntimeError(f"No appeal for the audit chains {sorted(missing)}.")
    return found
