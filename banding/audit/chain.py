"""The chain of the audit log: how an event is sealed, and the walk that checks it.

Each appeal's events form one chain (events of no appeal form one more), in the order they
were written: their id, as the writer holds the chain head locked while it inserts. A chain per
appeal, not one for the whole log, so that actions on different appeals never wait for each
other, and so that an appeal's chain stands alone in its evidence pack.

Each event's `hash` is an HMAC-SHA256 (a MAC: it needs the key, banding.audit.keys) over a
canonical JSON of its own fields, the id of its key (`key_id`) and the previous event's
`hash`, so changing any field of an event, or removing one, breaks the chain at that point,
and only the holder of the key can compute a chain that holds. The chain head (ChainHead)
also records the last event and the count, so events cut off the end are seen too; a head set
back with them is seen against the signed checkpoints (banding.audit.checkpoint).

Events written before the key (key_id NULL) carry a plain SHA-256 of the same JSON without
`key`: they still verify, but only before the first keyed event of their chain and below the
id where the key took over (a legacy event anywhere else is a rewrite without the key)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.serializers.json import DjangoJSONEncoder

from banding.audit.keys import Keyring, keyring

GENESIS = ""  # prev_hash of the first event


_ENCODER = DjangoJSONEncoder()
_PLAIN = (str, int, float, bool, type(None))  # exactly these types: JSON gives them back as is
_STRINGS = (datetime, date, time, timedelta, Decimal, UUID)  # DjangoJSONEncoder's strings


class _Unusual(Exception):
    """A value the walk does not know how JSON would give back."""


def normalized(data: Any) -> Any:
    """The data as the database gives it back (datetimes, decimals and UUIDs as strings), so
    the hash written and the hash checked later see the same values: what JSON's round trip
    gives, built by walking the data (the deadline sweep's tens of thousands of events paid
    a dump and a parse each), or by the round trip itself for anything the walk does not
    know (keys that are not strings, subclasses, lazy texts)."""
    try:
        return _walked(data or {})
    except _Unusual:
        return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))


def _walked(value: Any) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        if kind is float and value != value:  # NaN: let the round trip decide
            raise _Unusual
        return value
    if kind is dict:
        if not all(type(key) is str for key in value):
            raise _Unusual
        return {key: _walked(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [_walked(item) for item in value]
    if kind in _STRINGS:
        return _ENCODER.default(value)
    raise _Unusual


def canonical(
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
    key_id: str | None = None,
    normalize: bool = True,
) -> bytes:
    """The bytes an event's seal covers: a canonical JSON (sorted keys, no spaces, UTF-8).
    `normalize=False` for data read back from the database (or a pack's JSON), which is
    already what JSON gives: the walk skips a round trip through JSON per event."""
    payload = {
        "appeal": appeal_id,
        "actor": actor_id,
        "action": action,
        "step": step,
        "summary": summary,
        "data": normalized(data) if normalize else (data or {}),
        "public": bool(public),
        "created_at": created_at.astimezone(UTC).isoformat(),
        "prev": prev_hash,
    }
    if key_id is not None:
        payload["key"] = key_id
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def event_hash(**fields: Any) -> str:
    """The plain SHA-256 of a legacy event (written before the key; key_id NULL)."""
    return hashlib.sha256(canonical(**fields)).hexdigest()


_KEYED: dict[bytes, Any] = {}  # an HMAC-SHA256 keyed once per key, copied per event


def event_mac(key: bytes, **fields: Any) -> str:
    """The HMAC-SHA256 of a keyed event (fields include its key_id). A copy of an HMAC keyed
    once costs half of keying a new one (3 µs against 6 µs an event)."""
    keyed = _KEYED.get(key)
    if keyed is None:
        keyed = _KEYED[key] = hmac.new(key, digestmod="sha256")
    mac = keyed.copy()
    mac.update(canonical(**fields))
    return mac.hexdigest()


def fields_of(event: Any, *, keyed: bool = True) -> dict[str, Any]:
    return {
        "appeal_id": event.appeal_id,
        "actor_id": event.actor_id,
        "action": event.action,
        "step": event.step,
        "summary": event.summary,
        "data": event.data,
        "public": event.public,
        "created_at": event.created_at,
        "prev_hash": event.prev_hash,
        "key_id": getattr(event, "key_id", None) if keyed else None,
    }


def hash_of(event: Any, ring: Keyring | None = None) -> str:
    """The seal an event row should carry: its MAC under its key_id's key (the process's
    keyring unless `ring`), or the plain SHA-256 of a legacy event (key_id None; works on
    historical models in migrations too)."""
    key_id = getattr(event, "key_id", None)
    if key_id is None:
        return event_hash(**fields_of(event, keyed=False))
    ring = ring if ring is not None else keyring()
    return event_mac(ring.keys[key_id], **fields_of(event))


class Kind:
    """What a finding says happened (Break.kind)."""

    EDITED = "edited"  # a field changed, its seal not recomputed
    REMOVED_FIRST = "removed_first"
    REMOVED_MIDDLE = "removed_middle"
    REMOVED_LAST = "removed_last"  # the head still names the removed event
    TRUNCATED = "truncated"  # events cut off the end and the head set back with them
    REORDERED = "reordered"
    REWRITTEN = "rewritten"  # seals recomputed without the key (or legacy after keyed)
    UNKNOWN_KEY = "unknown_key"
    RESTARTED = "restarted"  # a chain begun again at the genesis (its head deleted)
    DELETED = "deleted"  # a whole chain gone, its head included
    HEAD = "head"  # the head does not match the chain otherwise
    CHECKPOINT = "checkpoint"  # the chain differs from a signed checkpoint otherwise
    COUNT = "count"  # fewer events than a checkpoint counted


@dataclass(frozen=True)
class Break:
    """Where the chain is broken: the first event that does not hold, and why."""

    event_id: int | None
    created_at: datetime | None
    action: str
    reason: str
    kind: str = Kind.HEAD

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


@dataclass(frozen=True)
class Mark:
    """A chain's head as a signed checkpoint recorded it: its `count`-th event was
    `last_event_id`, sealed `last_hash`."""

    count: int
    last_event_id: int | None
    last_hash: str
    label: str  # which checkpoint, for the message


@dataclass
class Rules:
    """What the walk checks beyond the links: the MACs against `ring` (None: links and legacy
    hashes only, e.g. an evidence pack checked without the key), legacy events allowed only
    up to `legacy_until` (an id), the chain's heads at signed checkpoints (`marks`)."""

    ring: Keyring | None
    legacy_until: int | None = None
    marks: Sequence[Mark] = field(default_factory=tuple)


def _break(event: Any, reason: str, kind: str) -> Break:
    return Break(event.id, event.created_at, event.action, reason, kind)


def _seal_ok(event: Any, ring: Keyring | None) -> bool | None:
    """Whether the event's seal holds (None: a keyed event whose key is not at hand)."""
    key_id = event.key_id
    if key_id is None:
        return hmac.compare_digest(event_hash(**fields_of(event, keyed=False)), event.hash)
    if ring is None or key_id not in ring.keys:
        return None
    return hmac.compare_digest(event_mac(ring.keys[key_id], **fields_of(event)), event.hash)


def _seal_problem(
    event: Any, rules: Rules, keyed_before: int | None, rest: list[Any] | None
) -> Break | None:
    """Why the event's seal does not hold, or None. `rest` (the events after it) is read
    only once something is wrong, to tell an edit from a rewrite."""
    if event.key_id is None:
        if keyed_before is not None:
            return _break(
                event,
                f"peristiwa tanpa kunci (SHA-256 biasa) sesudah peristiwa berkunci #{keyed_before}:"
                " rantai ditulis ulang tanpa kunci",
                Kind.REWRITTEN,
            )
        if rules.legacy_until is not None and event.id > rules.legacy_until:
            return _break(
                event,
                f"peristiwa tanpa kunci (SHA-256 biasa) sesudah log memakai kunci (peristiwa "
                f"tanpa kunci hanya sah sampai #{rules.legacy_until}): ditulis ulang tanpa kunci",
                Kind.REWRITTEN,
            )
    elif rules.ring is not None and event.key_id not in rules.ring.keys:
        return _break(
            event,
            f"kunci {event.key_id!r} tidak dikenal: ditulis dengan kunci lain, atau kunci itu "
            "tidak ada lagi di BANDING_AUDIT_KEY/BANDING_AUDIT_KEY_FILE",
            Kind.UNKNOWN_KEY,
        )
    if _seal_ok(event, rules.ring) is not False:
        return None
    if event.key_id is not None and event.hash in {
        event_hash(**fields_of(event, keyed=False)),
        hashlib.sha256(canonical(**fields_of(event))).hexdigest(),
    }:
        return _break(
            event,
            "MAC peristiwa dihitung ulang dengan SHA-256 biasa, tanpa kunci: rantai ditulis ulang",
            Kind.REWRITTEN,
        )
    following = rest[0] if rest else None
    if (
        following is not None
        and following.prev_hash == event.hash
        and _seal_ok(following, rules.ring) is False
    ):
        return _break(
            event,
            "isi peristiwa diubah dan rantai dihitung ulang dari sini tanpa kunci yang sah "
            "(MAC peristiwa ini dan sesudahnya tidak cocok)",
            Kind.REWRITTEN,
        )
    return _break(event, "isi peristiwa telah diubah", Kind.EDITED)


def _link_problem(event: Any, previous: Any | None, rest: list[Any]) -> Break:
    """Why the event's prev_hash is not the previous event's seal."""
    later = next((e for e in rest if e.hash == event.prev_hash), None)
    if later is not None:
        return _break(
            event,
            f"urutan peristiwa diubah: peristiwa ini merujuk #{later.id}, yang tercatat sesudahnya",
            Kind.REORDERED,
        )
    if previous is None:
        return _break(
            event,
            "peristiwa pertama rantai dihapus: peristiwa ini merujuk pendahulu yang tidak ada",
            Kind.REMOVED_FIRST,
        )
    if event.prev_hash == GENESIS:
        return _break(
            event,
            f"rantai dimulai ulang sesudah #{previous.id}: ujung rantainya pernah dihapus",
            Kind.RESTARTED,
        )
    return _break(
        event,
        f"rantai putus sebelum peristiwa ini: ada peristiwa yang dihapus di tengah rantai antara "
        f"#{previous.id} dan peristiwa ini",
        Kind.REMOVED_MIDDLE,
    )


def walk(events: Iterable[Any], head: Head, rules: Rules | None = None) -> Verdict:
    """Check one chain's events, given in chain order, against each other, the key, its head
    and the checkpoints' marks. Reads the events once, one at a time; only a chain found
    broken is read to its end (to say what happened)."""
    if rules is None:
        rules = Rules(keyring())
    marks = sorted(rules.marks, key=lambda m: m.count)
    next_mark = 0
    prev, prev_event, count, keyed_before = GENESIS, None, 0, None
    stream = iter(events)
    for event in stream:
        count += 1
        if event.prev_hash != prev:
            rest = list(stream)
            return Verdict(count + len(rest), _link_problem(event, prev_event, rest))
        # The cheap test first, per event; what went wrong is worked out only on a failure.
        if not _fast_ok(event, rules, keyed_before):
            rest = list(stream)
            problem = _seal_problem(event, rules, keyed_before, rest)
            return Verdict(
                count + len(rest), problem or _break(event, "segel tidak cocok", Kind.EDITED)
            )
        if event.key_id is not None and keyed_before is None:
            keyed_before = event.id
        while next_mark < len(marks) and marks[next_mark].count == count:
            mark = marks[next_mark]
            next_mark += 1
            if (event.id, event.hash) != (mark.last_event_id, mark.last_hash):
                rest = list(stream)
                return Verdict(
                    count + len(rest),
                    _break(
                        event,
                        f"{mark.label} mencatat peristiwa ke-{mark.count} rantai ini sebagai "
                        f"#{mark.last_event_id}; kini #{event.id} dengan MAC lain: rantai "
                        "ditulis ulang sesudah titik periksa",
                        Kind.CHECKPOINT,
                    ),
                )
        prev, prev_event = event.hash, event
    last_id = prev_event.id if prev_event is not None else None
    if (prev, last_id, count) != (head.last_hash, head.last_event_id, head.count):
        after = f"#{last_id}" if last_id is not None else "kosong"
        kind = Kind.REMOVED_LAST if head.count > count else Kind.HEAD
        what = (
            "peristiwa terakhir rantai dihapus"
            if kind == Kind.REMOVED_LAST
            else "ujung rantai tidak cocok dengan rantai"
        )
        return Verdict(
            count,
            Break(
                None,
                None,
                "",
                f"{what}: ujung rantai mencatat {head.count} peristiwa sampai "
                f"#{head.last_event_id}, tetapi rantai berisi {count} sampai {after}",
                kind,
            ),
        )
    if next_mark < len(marks):
        mark = marks[-1]
        after = f"#{last_id}" if last_id is not None else "kosong"
        return Verdict(
            count,
            Break(
                None,
                None,
                "",
                f"rantai dipotong dan ujungnya dimundurkan: {mark.label} mencatat "
                f"{mark.count} peristiwa sampai #{mark.last_event_id}, kini {count} sampai "
                f"{after}",
                Kind.TRUNCATED,
            ),
        )
    return Verdict(count, None)


def _fast_ok(event: Any, rules: Rules, keyed_before: int | None) -> bool:
    """The seal holds and the event may stand where it is (the common case, per event)."""
    key_id = event.key_id
    if key_id is None:
        if keyed_before is not None or (
            rules.legacy_until is not None and event.id > rules.legacy_until
        ):
            return False
        return event_hash(**fields_of(event, keyed=False), normalize=False) == event.hash
    ring = rules.ring
    if ring is None:
        return True
    key = ring.keys.get(key_id)
    return key is not None and event_mac(key, **fields_of(event), normalize=False) == event.hash
