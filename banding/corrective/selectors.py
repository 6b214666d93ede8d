"""Reads of corrective actions: one action for a reader, an appeal's actions, the list with
its filters, the owner's open ones, and the counts by status of the management review. Each
is one query (or one aggregate) whatever the number of rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.appeals.models import Appeal
from banding.corrective import rules
from banding.corrective.models import CorrectiveAction, Status
from banding.errors import NotFound
from banding.workdays.periods import Period

NOT_FOUND = N_("Tindakan perbaikan tidak ditemukan.")
OVERDUE = "terlambat"  # the list's filter value beside the statuses


def _rows() -> QuerySet[CorrectiveAction]:
    return CorrectiveAction.objects.select_related("appeal", "owner", "checked_by", "follows")


def action_for(user: User, public_id: uuid.UUID | str) -> CorrectiveAction:
    """The action, if the user may read it (banding.corrective.rules.may_read); else not
    found, never saying whether it exists."""
    try:
        action = _rows().filter(public_id=public_id).first()
    except (ValidationError, ValueError):
        action = None
    if action is None or not rules.may_read(user, action):
        raise NotFound(NOT_FOUND)
    return action


def of_appeal(appeal: Appeal) -> list[CorrectiveAction]:
    return list(_rows().filter(appeal=appeal).order_by("created_at", "id"))


def visible_to(user: User) -> QuerySet[CorrectiveAction]:
    """Every action for those who oversee them, else the user's own."""
    if rules.oversees(user):
        return _rows()
    return _rows().filter(owner=user)


def listed(
    user: User,
    *,
    status: str = "",
    owner: User | None = None,
    now: datetime | None = None,
) -> QuerySet[CorrectiveAction]:
    """The list page and the API's list: filtered by status (or OVERDUE: open and past due)
    and owner, the soonest due first."""
    qs = visible_to(user)
    if status == OVERDUE:
        qs = qs.filter(status=Status.OPEN, due_at__lte=now or timezone.now())
    elif status:
        qs = qs.filter(status=status)
    if owner is not None:
        qs = qs.filter(owner=owner)
    return qs.order_by("due_at", "id")


def open_of(user: User) -> QuerySet[CorrectiveAction]:
    """The user's own open actions (Tugas saya), the soonest due first."""
    return _rows().filter(owner=user, status=Status.OPEN).order_by("due_at", "id")


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int
    previous: int = 0  # of the actions added in the period before, by their status now


@dataclass(frozen=True)
class ReviewActions:
    """The management review's corrective actions: those added in the period, counted by
    their status now (beside those added in the period before, counted the same way), the
    open ones past due, and the latest LISTED of them (the whole list: `added_in`)."""

    counts: list[StatusCount]
    total: int
    overdue: int
    actions: list[CorrectiveAction]
    shown: int  # at most LISTED of them are listed
    previous_total: int = 0
    previous_overdue: int = 0

    @property
    def more(self) -> int:
        return self.total - self.shown


LISTED = 50


def added_in(period: Period) -> QuerySet[CorrectiveAction]:
    """The actions added in the period, the latest first: the review's list, its paged page
    and its files."""
    return (
        CorrectiveAction.objects.filter(created_at__gte=period.since, created_at__lt=period.until)
        .select_related("appeal", "owner")
        .order_by("-created_at", "-id")
    )


def for_review(
    period: Period, now: datetime | None = None, previous: Period | None = None
) -> ReviewActions:
    """Two queries: the counts by status of both periods (one aggregate) and the latest
    LISTED actions of the period."""
    now = now or timezone.now()
    previous = previous or period.previous()
    periods = {"cur": period, "prev": previous}

    def added(p: Period) -> Q:
        return Q(created_at__gte=p.since, created_at__lt=p.until)

    totals = CorrectiveAction.objects.filter(added(period) | added(previous)).aggregate(
        **{f"total_{k}": Count("pk", filter=added(p)) for k, p in periods.items()},
        **{
            f"overdue_{k}": Count("pk", filter=added(p) & Q(status=Status.OPEN, due_at__lte=now))
            for k, p in periods.items()
        },
        **{
            f"{s.value}_{k}": Count("pk", filter=added(p) & Q(status=s.value))
            for s in Status
            for k, p in periods.items()
        },
    )
    actions = list(added_in(period)[:LISTED])
    return ReviewActions(
        counts=[
            StatusCount(s.value, str(s.label), totals[f"{s.value}_cur"], totals[f"{s.value}_prev"])
            for s in Status
        ],
        total=totals["total_cur"],
        overdue=totals["overdue_cur"],
        actions=actions,
        shown=len(actions),
        previous_total=totals["total_prev"],
        previous_overdue=totals["overdue_prev"],
    )
