"""The hash chain of the audit log: how an event is hashed, and the walk that checks it.

Each appeal's events form one chain (events of no appeal form one more), in the order they
were written: their id, as the writer holds the chain head locked while it inserts. A chain per
appeal, not one for the whole log, so that actions on different appeals never wait for each
other, and so that an appeal's chain stands alone in its evidence pack. Each event's hash is
SHA-256 over a canonical JSON of its own fields and the previous event's hash, so changing any
field of an event, or removing one, breaks the chain at that point; the chain head (ChainHead)
also records the last event and the count, so events cut off the end are seen too."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS = ""  # prev_hash of the first event


def normalized(data: Any) -> Any:
    """The data as the database gives it back (datetimes, decimals and UUIDs as strings), so
    the hash written and the hash checked later see the same values."""
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))


def event_hash(
    *,
    appeal_id: int | None,
    actor_id: int | None,
    action: str,
    step: int | None,
    summary: str,
    data: Any,
    public: bool,
    created_at: datetime,
    prev_hash: str,
) -> str:
    payload = {
        "appeal": appeal_id,
        "actor": actor_id,
        "action": action,
        "step": step,
        "summary": summary,
        "data": normalized(data),
        "public": bool(public),
        "created_at": created_at.astimezone(UTC).isoformat(),
        "prev": prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def hash_of(event: Any) -> str:
    """The hash an event row should carry (works on historical models in migrations too)."""
    return event_hash(
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


@dataclass(frozen=True)
class Break:
    """Where the chain is broken: the first event that does not hold, and why."""

    event_id: int | None
    created_at: datetime | None
    action: str
    reason: str

    def describe(self) -> str:
        if self.event_id is None:
            return self.reason
        when = self.created_at.astimezone(UTC).isoformat() if self.created_at else "-"
        return f"peristiwa #{self.event_id} ({when}, {self.action}): {self.reason}"


@dataclass(frozen=True)
class Verdict:
    count: int
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


@dataclass(frozen=True)
class Head:
    last_hash: str
    last_event_id: int | None
    count: int


EMPTY = Head(GENESIS, None, 0)


def walk(events: Iterable[Any], head: Head) -> Verdict:
    """Check one chain's events, given in chain order, against each other and its head."""
    prev, prev_event, count = GENESIS, None, 0
    for event in events:
        count += 1
        if event.prev_hash != prev:
            before = f"#{prev_event.id}" if prev_event is not None else "awal rantai"
            return Verdict(
                count,
                Break(
                    event.id,
                    event.created_at,
                    event.action,
                    f"rantai putus sebelum peristiwa ini: ada peristiwa yang dihapus atau diubah "
                    f"antara {before} dan peristiwa ini",
                ),
            )
        if hash_of(event) != event.hash:
            return Verdict(
                count,
                Break(event.id, event.created_at, event.action, "isi peristiwa telah diubah"),
            )
        prev, prev_event = event.hash, event
    last_id = prev_event.id if prev_event is not None else None
    if (prev, last_id, count) != (head.last_hash, head.last_event_id, head.count):
        after = f"#{last_id}" if last_id is not None else "kosong"
        return Verdict(
            count,
            Break(
                None,
                None,
                "",
                f"ujung rantai mencatat {head.count} peristiwa sampai #{head.last_event_id}, "
                f"tetapi rantai berisi {count} sampai {after}: ada peristiwa yang dihapus atau "
                "diubah di ujung rantai",
            ),
        )
    return Verdict(count, None)
