"""Check an evidence pack offline, from the ZIP alone (`banding verify-pack`): every file's
SHA-256 and size against the manifest, no file unlisted or missing, the stored files as
recorded when uploaded or issued, and the chain of audit events re-hashed event by event:
its links always, the MACs of keyed events when this installation holds their key (without it
only the links and the legacy SHA-256 events are checked, and the report says so)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from banding.archive.records import CHAIN
from banding.audit.chain import Head, Rules, walk
from banding.audit.keys import MissingKey, keyring

MANIFEST = "manifest.json"


@dataclass
class PackCheck:
    """What the check found: the files checked and each problem, naming its file."""

    checked: int = 0
    events: int = 0
    macs_checked: bool = True
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_pack(path: Path) -> PackCheck:
    result = PackCheck()
    try:
        pack = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        result.problems.append(f"{path}: bukan berkas ZIP yang dapat dibaca ({error})")
        return result
    with pack:
        try:
            manifest = json.loads(pack.read(MANIFEST))
            listed = {entry["name"]: entry for entry in manifest["files"]}
        except (KeyError, ValueError, TypeError) as error:
            result.problems.append(f"{MANIFEST}: tidak ada atau tidak dapat dibaca ({error})")
            return result
        present = set(pack.namelist()) - {MANIFEST}
        for name in sorted(present - set(listed)):
            result.problems.append(f"{name}: tidak tercantum dalam manifest")
        for name, entry in listed.items():
            if name not in present:
                result.problems.append(f"{name}: tercantum dalam manifest tetapi tidak ada")
                continue
            content = pack.read(name)
            result.checked += 1
            digest = hashlib.sha256(content).hexdigest()
            if digest != entry.get("sha256") or len(content) != entry.get("size"):
                result.problems.append(f"{name}: SHA-256 atau ukuran tidak cocok dengan manifest")
            elif entry.get("recorded_sha256", digest) != digest:
                result.problems.append(
                    f"{name}: isi berbeda dari SHA-256 yang dicatat saat diunggah/diterbitkan"
                )
        if CHAIN in present:
            _check_chain(pack.read(CHAIN), result)
        else:
            result.problems.append(f"{CHAIN}: rantai peristiwa tidak ada dalam paket")
    return result


def _check_chain(raw: bytes, result: PackCheck) -> None:
    try:
        chain = json.loads(raw)
        events = [_event(e) for e in chain["events"]]
        head = Head(
            chain["head"]["last_hash"], chain["head"]["last_event_id"], chain["head"]["count"]
        )
    except (KeyError, ValueError, TypeError) as error:
        result.problems.append(f"{CHAIN}: tidak dapat dibaca ({error})")
        return
    try:
        ring = keyring()
    except MissingKey:
        ring = None
    result.macs_checked = ring is not None or all(e.key_id is None for e in events)
    verdict = walk(events, head, Rules(ring))
    result.events = verdict.count
    if verdict.broken is not None:
        result.problems.append(f"{CHAIN}: {verdict.broken.describe()}")


def _event(row: dict[str, Any]) -> SimpleNamespace:
    """An exported event in the shape the chain walk reads (that of an Event row)."""
    return SimpleNamespace(
        id=row["id"],
        appeal_id=row["appeal"],
        actor_id=row["actor"],
        action=row["action"],
        step=row["step"],
        summary=row["summary"],
        data=row["data"],
        public=row["public"],
        created_at=datetime.fromisoformat(row["created_at"]),
        prev_hash=row["prev_hash"],
        hash=row["hash"],
        key_id=row.get("key_id"),
    )
