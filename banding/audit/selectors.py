"""The audit log as a list: every event of a period, filtered by appeal, actor and action,
in the log's order (time, then id)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from banding.audit.models import Event


@dataclass(frozen=True)
class LogFilters:
    since: datetime
    until: datetime  # exclusive
    appeal_id: int | None = None
    no_appeal: bool = False  # only the events of no appeal (log-ins, tokens, exports...)
    actor_id: int | None = None
    action: str = ""  # a whole name ("account.logged_in") or an object ("account": all its)


def events(filters: LogFilters) -> QuerySet[Event]:
    """The events of `filters`, with their actor and appeal (one query when iterated)."""
    rows = Event.objects.filter(created_at__gte=filters.since, created_at__lt=filters.until)
    if filters.no_appeal:
        rows = rows.filter(appeal__isnull=True)
    elif filters.appeal_id is not None:
        rows = rows.filter(appeal_id=filters.appeal_id)
    if filters.actor_id is not None:
        rows = rows.filter(actor_id=filters.actor_id)
    if filters.action:
        if "." in filters.action:
            rows = rows.filter(action=filters.action)
        else:
            rows = rows.filter(action__startswith=f"{filters.action}.")
    return rows.select_related("actor", "appeal").order_by("created_at", "id")
