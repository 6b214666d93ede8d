"""Check the whole audit log against its hash chains."""

from collections.abc import Iterator
from itertools import groupby
from typing import Any

from django.db.models import F

from banding.audit.chain import EMPTY, Break, Head, Verdict, walk
from banding.audit.log import EVENT_COLUMNS
from banding.audit.models import ChainHead, Event

BATCH = 2000


def _chain_of(event: Event) -> int:
    return event.appeal_id or ChainHead.NO_APPEAL


def verify_log() -> Verdict:
    """Walk every chain in turn, reading the log a batch at a time (memory holds the chain
    heads, not the events), and say where the first broken chain breaks."""
    heads = {h.chain: Head(h.last_hash, h.last_event_id, h.count) for h in ChainHead.objects.all()}
    events: Iterator[Any] = (
        Event.objects.order_by(F("appeal_id").asc(nulls_first=True), "id")
        .only("id", *EVENT_COLUMNS)  # what the hash covers, as the log writes it
        .iterator(chunk_size=BATCH)
    )
    total = 0
    for chain, chain_events in groupby(events, key=_chain_of):
        verdict = walk(chain_events, heads.pop(chain, EMPTY))
        total += verdict.count
        if not verdict.ok:
            return Verdict(total, verdict.broken)
    for chain, head in heads.items():
        if head.count:
            # A head whose every event is gone.
            return Verdict(
                total,
                Break(
                    None,
                    None,
                    "",
                    f"ujung rantai {_label(chain)} mencatat {head.count} peristiwa sampai "
                    f"#{head.last_event_id}, tetapi tidak ada satu pun yang tersisa",
                ),
            )
    return Verdict(total, None)


def _label(chain: int) -> str:
    return "peristiwa tanpa banding" if chain == ChainHead.NO_APPEAL else f"banding id {chain}"
