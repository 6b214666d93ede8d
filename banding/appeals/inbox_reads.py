"""Tugas saya's reads as prepared queries (banding.prepared): the counts of its views, a page
of its rows and the head's lists beside them, each compiled once per shape (the user's roles,
the view, the page) and run with the request's user and instant; rows come back as dicts.
The querysets they compile are those of banding.appeals.selectors (inbox_count, inbox_pages,
for_acknowledgement, panel_vacancies) and banding.appeals.sla.overdue_steps."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, overload

from django.db.models import Count, QuerySet, Value

from banding.accounts.models import User
from banding.accounts.roles import roles_of
from banding.appeals import actors, sla
from banding.appeals.models import Appeal
from banding.appeals.selectors import (
    GROUNDS_HEAD,
    INBOX_ORDER,
    TAKEN_AT,
    TAKER,
    TAKER_ID,
    InboxFilter,
    for_acknowledgement,
    inbox_annotations,
    inbox_condition,
    inbox_count,
    open_turns,
    panel_vacancies,
)
from banding.prepared import Prepared


def _counts_query(user: User, now: datetime) -> QuerySet[Appeal]:
    """inbox_counts as a values() query: one row without GROUP BY (a constant grouped by
    nothing), which a Prepared query can compile where aggregate() would run it."""
    counts = {
        view.value: Count("pk", filter=inbox_condition(user, view, now))
        if view != InboxFilter.ALL
        else Count("pk")
        for view in InboxFilter
    }
    return (
        open_turns(user)
        .order_by()
        .annotate(_one=Value(1))
        .values("_one")
        .annotate(**counts)
        .values(*counts)
    )


COUNTS_SQL = Prepared(_counts_query)


def inbox_counts(user: User) -> dict[str, int]:
    """How many rows each InboxFilter view holds: one query, its SQL compiled once per set
    of roles (banding.prepared)."""
    return COUNTS_SQL.rows(user, actors.turns_shape(user))[0]


# What a row of the page Tugas saya shows (the API's rows are INBOX_FIELDS, api.present).
INBOX_ROW = (
    *("pk", "public_id", "number", "status", "service_type", "complaint_reference"),
    *("current_step", "current_actor", "current_since", "current_due_at"),
    *("current_at_risk_at", "organization__name", "technical_team__name"),
    *(TAKER_ID, TAKER, TAKEN_AT, GROUNDS_HEAD),
)


def _inbox_rows_query(user: User, now: datetime, view: str, start: int, stop: int) -> QuerySet:
    ids = (
        open_turns(user)
        .filter(inbox_condition(user, view, now))
        .order_by(*INBOX_ORDER)
        .values("pk")[start:stop]
    )
    return (
        Appeal.objects.filter(pk__in=ids)
        .annotate(**inbox_annotations())
        .order_by(*INBOX_ORDER)
        .values(*INBOX_ROW)
    )


INBOX_ROWS_SQL = Prepared(_inbox_rows_query)


class InboxRows(Sequence[dict[str, Any]]):
    """Tugas saya of the page, to be paged (banding.paging.Paginator): a page is its rows as
    dicts of INBOX_ROW, the ids read from the appeal_queue index and the rows by those ids in
    one query (as inbox_pages), compiled once per roles, view and page (banding.prepared)."""

    def __init__(self, user: User, view: str = InboxFilter.MINE) -> None:
        self.user, self.view = user, view

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, int):
            found = self[index : index + 1] if index >= 0 else []
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop = index.start or 0, index.stop
        shape = actors.turns_shape(self.user)
        return INBOX_ROWS_SQL.rows(self.user, shape, self.view, start, stop)

    def __len__(self) -> int:
        # The page sets its paginator's count from inbox_counts instead (no query of its own).
        return inbox_count(self.user, self.view)


# The head's lists on Tugas saya (a few rows each, on every request of the page) as prepared
# queries (banding.prepared): their SQL compiled once per set of roles, the rows as dicts.
ACKNOWLEDGEMENTS_SQL = Prepared(
    lambda user, now, limit: for_acknowledgement(user).values(
        "pk", "public_id", "number", "current_since", "organization__name", "technical_team__name"
    )[:limit]
)
VACANCIES_SQL = Prepared(
    lambda user, now, limit: panel_vacancies(user).values(
        "pk", "public_id", "number", "current_step", "organization__name"
    )[:limit]
)


def _overdue_query(user: User, now: datetime, limit: int) -> QuerySet[Appeal]:
    return sla.overdue_steps(now).values(
        *("pk", "public_id", "number", "current_step", "current_actor", "current_due_at"),
        "technical_team__name",
    )[:limit]


OVERDUE_SQL = Prepared(_overdue_query)


def acknowledgement_rows(user: User, limit: int) -> list[dict]:
    """The first `limit` of for_acknowledgement(user), as dicts (none unless the head)."""
    return ACKNOWLEDGEMENTS_SQL.rows(user, roles_of(user), limit)


def vacancy_rows(user: User, limit: int) -> list[dict]:
    """The first `limit` of panel_vacancies(user), as dicts (none unless the head)."""
    return VACANCIES_SQL.rows(user, roles_of(user), limit)


def overdue_rows(user: User, limit: int, now: datetime | None = None) -> list[dict]:
    """The first `limit` of sla.overdue_steps (the head's overdue list, whoever asks), as
    dicts with the technical team's name."""
    return OVERDUE_SQL.rows(user, None, limit, now=now)
