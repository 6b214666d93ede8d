"""The one function that writes the audit log."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from banding.audit.models import Event


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
    """Write an event. Must run inside the transaction of the action it records."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("Audit events are written inside the action's transaction.")
    return Event.objects.create(
        appeal=appeal,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        step=step,
        summary=summary[:300],
        data=data or {},
        public=public,
        created_at=timezone.now(),
    )
