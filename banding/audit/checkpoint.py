"""Signed checkpoints of the audit log: every chain head at one instant, signed with Ed25519.

The chains' MACs stop anyone without the key from rewriting events unseen, but not from cutting
events off the end of a chain and setting its head back, nor from deleting a whole chain with
its head: what is left still holds. A checkpoint records, at one instant, every chain's head
(its chain, last event id, last MAC and count) and the whole log's count and highest id, signed
with the checkpoint key (banding.audit.keys). It is written to BANDING_AUDIT_CHECKPOINT_DIR
every BANDING_AUDIT_CHECKPOINT_HOURS (`banding worker`) and at every evidence-pack export, and
mailed to the auditors (the hook `checkpoint_written`): `banding audit verify` checks the log
against the latest one (or those given), so what was removed before it is named.

The file is JSON: the signed body (format, created_at, reason, signer's fingerprint, events,
chain_fields, chains) and `signature`, the Ed25519 signature (base64) of the body's canonical
JSON (sorted keys, no spaces, UTF-8) without `signature`."""

from __future__ import annotations

import base64
import binascii
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db import connection
from django.utils import timezone

from banding.audit import keys
from banding.audit.models import ChainHead, Event
from banding.hooks import hook

FORMAT = "sibanding-audit-checkpoint/1"
CHAIN_FIELDS = ["chain", "last_event_id", "last_mac", "count"]
PREFIX = "titik-periksa-"


class Reason:
    SCHEDULED = "terjadwal"
    EXPORT = "ekspor paket bukti"
    MANUAL = "manual"


@hook
def checkpoint_written(*, path: Path, checkpoint: Checkpoint) -> None:
    """A signed checkpoint was written to `path`: the auditors are sent it."""


class BadCheckpoint(ValueError):
    """A checkpoint file that cannot be read, or whose signature does not hold."""


@dataclass(frozen=True)
class ChainState:
    chain: int
    last_event_id: int | None
    last_mac: str
    count: int


@dataclass(frozen=True)
class Checkpoint:
    created_at: datetime
    reason: str
    signer: str  # the signing key's fingerprint
    count: int  # events in the log
    max_id: int | None
    legacy_max_id: int | None  # the highest id of an event sealed without the key
    chains: tuple[ChainState, ...]
    name: str = ""

    @property
    def label(self) -> str:
        return f"titik periksa {self.created_at.isoformat()}"


def directory() -> Path:
    return Path(settings.BANDING_AUDIT_CHECKPOINT_DIR)


def canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _snapshot() -> tuple[int, int | None, int | None, list[list[Any]]]:
    """The heads, the count, the highest id and the highest legacy id, in ONE statement: one
    snapshot of the database (PostgreSQL reads a statement at one instant), so a writer that
    commits meanwhile is either wholly in it or wholly out."""
    q = connection.ops.quote_name
    events, heads = q(Event._meta.db_table), q(ChainHead._meta.db_table)
    none = "CAST(NULL AS BIGINT)"  # typed: PostgreSQL matches the UNION's columns by type
    sql = (
        f"SELECT -2, {none}, '', 0, MAX({q('id')}) FROM {events} WHERE {q('key_id')} IS NULL "
        f"UNION ALL SELECT -1, {none}, '', COUNT(*), MAX({q('id')}) FROM {events} "
        f"UNION ALL SELECT {q('chain')}, {q('last_event_id')}, {q('last_hash')}, {q('count')}, "
        f"{none} FROM {heads} ORDER BY 1"
    )
    count, max_id, legacy_max_id, chains = 0, None, None, []
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for chain, last_id, last_mac, n, top in cursor.fetchall():
            if chain == -2:
                legacy_max_id = top
            elif chain == -1:
                count, max_id = n, top
            else:
                chains.append([chain, last_id, last_mac, n])
    return count, max_id, legacy_max_id, chains


def write_checkpoint(reason: str = Reason.MANUAL) -> tuple[Path, Checkpoint]:
    """Take, sign and write a checkpoint; tell the auditors (checkpoint_written)."""
    signing = keys.signing_key()
    count, max_id, legacy_max_id, chains = _snapshot()
    created_at = timezone.now()
    body = {
        "format": FORMAT,
        "created_at": created_at.isoformat(),
        "reason": reason,
        "signer": keys.fingerprint(signing.public_key()),
        "events": {"count": count, "max_id": max_id, "legacy_max_id": legacy_max_id},
        "chain_fields": CHAIN_FIELDS,
        "chains": chains,
    }
    signature = base64.b64encode(signing.sign(canonical(body))).decode()
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{PREFIX}{created_at:%Y%m%dT%H%M%S%fZ}.json"
    content = json.dumps({**body, "signature": signature}, ensure_ascii=False) + "\n"
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(content)
    os.replace(tmp, path)
    checkpoint = _parsed(body, path.name)
    checkpoint_written(path=path, checkpoint=checkpoint)
    return path, checkpoint


def _parsed(body: dict[str, Any], name: str) -> Checkpoint:
    events = body["events"]
    return Checkpoint(
        created_at=datetime.fromisoformat(body["created_at"]),
        reason=str(body.get("reason", "")),
        signer=str(body.get("signer", "")),
        count=int(events["count"]),
        max_id=events["max_id"],
        legacy_max_id=events.get("legacy_max_id"),
        chains=tuple(ChainState(int(c), i, str(m), int(n)) for c, i, m, n in body["chains"]),
        name=name,
    )


def load_checkpoint(path: Path, public_key: Ed25519PublicKey) -> Checkpoint:
    """Read a checkpoint file and check its signature against `public_key`."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        signature = base64.b64decode(document.pop("signature"), validate=True)
        if document.get("format") != FORMAT:
            raise BadCheckpoint(f"{path.name}: bukan titik periksa SiBanding ({FORMAT})")
    except (OSError, ValueError, KeyError, TypeError, AttributeError, binascii.Error) as error:
        raise BadCheckpoint(f"{path.name}: tidak dapat dibaca ({error})") from None
    try:
        public_key.verify(signature, canonical(document))
    except InvalidSignature:
        raise BadCheckpoint(
            f"{path.name}: tanda tangan titik periksa TIDAK SAH untuk kunci publik "
            f"{keys.fingerprint(public_key)} (berkas dipalsukan atau diubah)"
        ) from None
    try:
        return _parsed(document, path.name)
    except (ValueError, KeyError, TypeError) as error:
        raise BadCheckpoint(f"{path.name}: isi tidak dapat dibaca ({error})") from None


def checkpoint_files() -> list[Path]:
    """The checkpoints in the directory, oldest first (their names sort by time)."""
    folder = directory()
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{PREFIX}*.json"))


def _taken_at(path: Path) -> datetime | None:
    stamp = path.stem.removeprefix(PREFIX)
    try:
        return datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def checkpoint_sweep() -> str:
    """The worker's job: a checkpoint when the latest is BANDING_AUDIT_CHECKPOINT_HOURS old
    (or there is none); otherwise nothing (one listing of the directory)."""
    hours = settings.BANDING_AUDIT_CHECKPOINT_HOURS
    if hours <= 0:
        return ""
    files = checkpoint_files()
    last = _taken_at(files[-1]) if files else None
    if last is not None and timezone.now() - last < timedelta(hours=hours):
        return ""
    path, checkpoint = write_checkpoint(Reason.SCHEDULED)
    return (
        f"titik periksa {path.name} ({checkpoint.count} peristiwa, {len(checkpoint.chains)} rantai)"
    )
