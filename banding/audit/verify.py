"""Check the whole audit log: its chains against the key, their heads, and signed checkpoints."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.db.models import F

from banding.audit.chain import EMPTY, Break, Head, Kind, Mark, Rules, walk
from banding.audit.checkpoint import Checkpoint
from banding.audit.keys import Keyring, keyring
from banding.audit.log import EVENT_COLUMNS
from banding.audit.models import ChainHead, Event

BATCH = 2000


@dataclass
class Report:
    """What the walk found: the events read and one finding per broken chain (and per
    checkpoint the log falls short of)."""

    count: int = 0
    findings: list[Break] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def broken(self) -> Break | None:
        return self.findings[0] if self.findings else None


def _chain_of(event: Any) -> int:
    return event.appeal_id or ChainHead.NO_APPEAL


def _legacy_until(checkpoints: Sequence[Checkpoint]) -> int | None:
    """The highest id a legacy (unkeyed) event may have: below the first keyed event, and no
    higher than any checkpoint saw one."""
    limits = []
    first_keyed = (
        Event.objects.filter(key_id__isnull=False).order_by("id").values_list("id", flat=True)
    ).first()
    if first_keyed is not None:
        limits.append(first_keyed - 1)
    for checkpoint in checkpoints:
        limits.append(checkpoint.legacy_max_id or 0)
    return min(limits) if limits else None


def verify_log(checkpoints: Sequence[Checkpoint] = (), *, ring: Keyring | None = None) -> Report:
    """Walk every chain in turn, reading the log a batch at a time (memory holds the chain
    heads and the checkpoints' marks, not the events), and name what broke each broken chain;
    then what the checkpoints list that is no longer there."""
    ring = ring if ring is not None else keyring()
    heads = {h.chain: Head(h.last_hash, h.last_event_id, h.count) for h in ChainHead.objects.all()}
    marks: dict[int, list[Mark]] = {}
    listed: dict[int, tuple[Checkpoint, int, int | None]] = {}
    for checkpoint in checkpoints:
        for state in checkpoint.chains:
            marks.setdefault(state.chain, []).append(
                Mark(state.count, state.last_event_id, state.last_mac, checkpoint.label)
            )
            listed[state.chain] = (checkpoint, state.count, state.last_event_id)
    legacy_until = _legacy_until(checkpoints)
    tops = sorted({c.max_id for c in checkpoints if c.max_id is not None})
    below: dict[int, int] = dict.fromkeys(tops, 0)

    def counted(events: Iterator[Any]) -> Iterator[Any]:
        for event in events:
            for top in tops:
                if event.id <= top:
                    below[top] += 1
            yield event

    events: Iterator[Any] = (
        Event.objects.order_by(F("appeal_id").asc(nulls_first=True), "id")
        .only("id", *EVENT_COLUMNS)  # what the seal covers, as the log writes it
        .iterator(chunk_size=BATCH)
    )
    if tops:
        events = counted(events)
    report = Report()
    seen: set[int] = set()
    for chain, chain_events in groupby(events, key=_chain_of):
        seen.add(chain)
        rules = Rules(ring, legacy_until, marks.get(chain, ()))
        verdict = walk(chain_events, heads.pop(chain, EMPTY), rules)
        report.count += verdict.count
        if verdict.broken is not None:
            report.findings.append(_named(chain, verdict.broken))
    for chain, head in heads.items():
        if head.count:
            report.findings.append(
                Break(
                    None,
                    None,
                    "",
                    f"seluruh peristiwa rantai {_label(chain)} dihapus: ujung rantainya mencatat "
                    f"{head.count} peristiwa sampai #{head.last_event_id}, tidak satu pun tersisa",
                    Kind.DELETED,
                )
            )
        seen.add(chain)
    for chain, (checkpoint, count, last_id) in sorted(listed.items()):
        if chain not in seen:
            report.findings.append(
                Break(
                    None,
                    None,
                    "",
                    f"seluruh rantai {_label(chain)} dihapus beserta ujungnya: "
                    f"{checkpoint.label} mencatat {count} peristiwa sampai #{last_id}",
                    Kind.DELETED,
                )
            )
    for checkpoint in checkpoints:
        if checkpoint.max_id is not None and below[checkpoint.max_id] < checkpoint.count:
            report.findings.append(
                Break(
                    None,
                    None,
                    "",
                    f"{checkpoint.label} mencatat {checkpoint.count} peristiwa sampai "
                    f"#{checkpoint.max_id} di seluruh log; kini hanya {below[checkpoint.max_id]}"
                    f": {checkpoint.count - below[checkpoint.max_id]} peristiwa dihapus",
                    Kind.COUNT,
                )
            )
    return report


def _named(chain: int, broken: Break) -> Break:
    """A finding about a chain's head says which chain (an event names itself)."""
    if broken.event_id is not None:
        return broken
    return Break(None, None, "", f"{_label(chain)}: {broken.reason}", broken.kind)


def _label(chain: int) -> str:
    return "peristiwa tanpa banding" if chain == ChainHead.NO_APPEAL else f"banding id {chain}"
