"""An appeal's timeline as actions, each with the deliveries it caused folded under it.

Every e-mail sent (or given up) is an audit event of its own, written by the worker after
the action that queued it: read one per line, a case's timeline was mostly "Surel terkirim
kepada …". The staff page and the customer's history show the actions, each with a count of
the e-mails that followed it ("3 surel terkirim") that expands to the list. An e-mail is put
under the action written last before it, which is the action that queued it unless another
action came in between (the e-mails then read under the later one; none is lost)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from banding.audit.actions import Action
from banding.audit.models import Event

# The events that tell a notice reached (or did not reach) someone, not something done.
DELIVERIES = frozenset({Action.EMAIL_SENT.value, Action.EMAIL_FAILED.value})


@dataclass
class Folded:
    """One action of the timeline and the deliveries that followed it, oldest first."""

    event: Event
    deliveries: list[Event] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(1 for e in self.deliveries if e.action == Action.EMAIL_FAILED)

    @property
    def sent(self) -> int:
        return len(self.deliveries) - self.failed


def is_delivery(event: Event) -> bool:
    return event.action in DELIVERIES


def fold(events: Iterable[Event]) -> list[Folded]:
    """The events (oldest first) as actions with their deliveries. A delivery before any
    action (none in practice: an appeal starts with its registration) stands alone."""
    folded: list[Folded] = []
    for event in events:
        if is_delivery(event) and folded:
            folded[-1].deliveries.append(event)
        else:
            folded.append(Folded(event))
    return folded
