"""Read queries of the retention page and API: the files due for transfer to the inactive
archive, those past their inactive period by disposition, the open proposals, the history.
Each list is one query, capped at LIMIT rows (oldest first) with its full count."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet

from banding.appeals.models import Appeal, Status
from banding.archive.models import Appraisal, Disposal, DisposalStatus, Transfer
from banding.archive.retention import APPEAL_FILE, closed_before, rule_of

LIMIT = 100
HISTORY = 20


def ended() -> QuerySet[Appeal]:
    return Appeal.objects.exclude(status=Status.OPEN).filter(closed_at__isnull=False)


def past_active(today: date) -> QuerySet[Appeal]:
    rule = rule_of(APPEAL_FILE)
    return ended().filter(closed_at__lt=closed_before(int(rule["active_years"]), today))


def past_inactive(today: date) -> QuerySet[Appeal]:
    rule = rule_of(APPEAL_FILE)
    years = int(rule["active_years"]) + int(rule["inactive_years"])
    return ended().filter(closed_at__lt=closed_before(years, today))


def due_for_transfer(today: date) -> QuerySet[Appeal]:
    """Closed files past their active period not yet on a transfer list."""
    return (
        past_active(today)
        .filter(Q(archive_record__isnull=True) | Q(archive_record__transfer__isnull=True))
        .filter(Q(archive_record__isnull=True) | Q(archive_record__destroyed_at__isnull=True))
    )


def _not_in_proposal() -> Q:
    return Q(archive_record__isnull=True) | ~Q(
        archive_record__disposal__status__in=[DisposalStatus.PROPOSED, DisposalStatus.APPROVED]
    )


def to_propose(today: date) -> QuerySet[Appeal]:
    """Past their inactive period, to be destroyed (by the schedule or an appraisal), and
    in no open or approved proposal."""
    disposition = rule_of(APPEAL_FILE)["disposition"]
    qs = past_inactive(today).filter(_not_in_proposal())
    if disposition == "musnah":
        return qs
    if disposition == "dinilai kembali":
        return qs.filter(archive_record__appraisal=Appraisal.DISPOSE)
    return qs.none()


def to_appraise(today: date) -> QuerySet[Appeal]:
    """Past their inactive period, disposition *dinilai kembali*, not appraised yet."""
    if rule_of(APPEAL_FILE)["disposition"] != "dinilai kembali":
        return Appeal.objects.none()
    return past_inactive(today).filter(
        Q(archive_record__isnull=True) | Q(archive_record__appraisal="")
    )


def permanent(today: date) -> QuerySet[Appeal]:
    """Past their inactive period and kept for good: never proposed for disposal."""
    disposition = rule_of(APPEAL_FILE)["disposition"]
    if disposition == "permanen":
        return past_inactive(today)
    if disposition == "dinilai kembali":
        return past_inactive(today).filter(archive_record__appraisal=Appraisal.PERMANENT)
    return Appeal.objects.none()


@dataclass
class Listing:
    count: int
    rows: list[Appeal] = field(default_factory=list)


def listing(qs: QuerySet[Appeal]) -> Listing:
    rows = list(
        qs.select_related("organization", "archive_record").order_by("closed_at", "id")[:LIMIT]
    )
    count = len(rows) if len(rows) < LIMIT else qs.count()
    return Listing(count, rows)


def open_proposals() -> list[Disposal]:
    return list(
        Disposal.objects.filter(status=DisposalStatus.PROPOSED)
        .select_related("proposed_by")
        .prefetch_related("records__appeal")
        .order_by("proposed_at", "id")
    )


def decided_proposals() -> list[Disposal]:
    return list(
        Disposal.objects.exclude(status=DisposalStatus.PROPOSED)
        .select_related("proposed_by", "decided_by")
        .prefetch_related("records__appeal")
        .order_by("-decided_at", "-id")[:HISTORY]
    )


def recent_transfers() -> list[Transfer]:
    return list(
        Transfer.objects.select_related("transferred_by")
        .prefetch_related("records__appeal")
        .order_by("-transferred_at", "-id")[:HISTORY]
    )


@dataclass
class RetentionPage:
    transfer: Listing
    propose: Listing
    appraise: Listing
    permanent: Listing
    proposals: list[Disposal]
    decided: list[Disposal]
    transfers: list[Transfer]


def retention_page(today: date) -> RetentionPage:
    return RetentionPage(
        transfer=listing(due_for_transfer(today)),
        propose=listing(to_propose(today)),
        appraise=listing(to_appraise(today)),
        permanent=listing(permanent(today)),
        proposals=open_proposals(),
        decided=decided_proposals(),
        transfers=recent_transfers(),
    )
