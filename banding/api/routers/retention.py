"""Retention (JRA) at /api/v1/retention: the lists of the "Retensi arsip" page and its actions
(transfer, appraisal, disposal proposal, the Kepala Balai's decision), through the same
services (banding.archive.services) and with the same refusals."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.utils import timezone
from ninja import Router, Schema, Status

from banding.api.auth import ApiRequest
from banding.api.routers.appeals import ERRORS
from banding.appeals.models import Appeal
from banding.archive import selectors, services
from banding.archive.access import NOT_READER, reads_retention
from banding.archive.models import Disposal, Transfer
from banding.errors import Forbidden

router = Router(tags=["retensi arsip"])


class RecordOut(Schema):
    appeal: UUID
    number: str
    organization: str
    closed_at: datetime | None


class ListOut(Schema):
    count: int
    items: list[RecordOut]


class ProposalOut(Schema):
    id: UUID
    status: str
    proposed_at: datetime
    proposed_by: str
    note: str
    decided_at: datetime | None
    decided_by: str | None
    reason: str
    berita_acara: str
    appeals: list[str]


class TransferOut(Schema):
    id: UUID
    number: str
    transferred_at: datetime
    transferred_by: str
    sha256: str
    appeals: list[str]


class RetentionOut(Schema):
    due_for_transfer: ListOut
    to_appraise: ListOut
    to_propose: ListOut
    permanent: ListOut
    proposals: list[ProposalOut]


class ChosenIn(Schema):
    appeals: list[UUID]
    note: str = ""


class AppraisalIn(Schema):
    appeal: UUID
    decision: Literal["permanen", "musnah"]
    reason: str


class DecisionIn(Schema):
    reason: str = ""


def _rows(listing: selectors.Listing) -> ListOut:
    return ListOut(count=listing.count, items=[_row(a) for a in listing.rows])


def _row(appeal: Appeal) -> RecordOut:
    return RecordOut(
        appeal=appeal.public_id,
        number=appeal.number,
        organization=appeal.organization.name,
        closed_at=appeal.closed_at,
    )


def _proposal(item: Disposal) -> ProposalOut:
    return ProposalOut(
        id=item.public_id,
        status=item.status,
        proposed_at=item.proposed_at,
        proposed_by=item.proposed_by.get_username(),
        note=item.note,
        decided_at=item.decided_at,
        decided_by=item.decided_by.get_username() if item.decided_by else None,
        reason=item.reason,
        berita_acara=item.ba_number,
        appeals=[r.appeal.number for r in item.records.all()],
    )


def _transfer(item: Transfer) -> TransferOut:
    return TransferOut(
        id=item.public_id,
        number=item.number,
        transferred_at=item.transferred_at,
        transferred_by=item.transferred_by.get_username(),
        sha256=item.sha256,
        appeals=[r.appeal.number for r in item.records.select_related("appeal")],
    )


@router.get("/retention", response={200: RetentionOut, **ERRORS}, url_name="retention")
def retention(request: ApiRequest) -> RetentionOut:
    """The files due for transfer, to appraise, to propose for disposal, kept permanently,
    and the proposals awaiting the Kepala Balai."""
    if not reads_retention(request.auth):
        raise Forbidden(NOT_READER)
    page = selectors.retention_page(timezone.localdate())
    return RetentionOut(
        due_for_transfer=_rows(page.transfer),
        to_appraise=_rows(page.appraise),
        to_propose=_rows(page.propose),
        permanent=_rows(page.permanent),
        proposals=[_proposal(d) for d in page.proposals],
    )


@router.post(
    "/retention/transfers",
    response={201: TransferOut, **ERRORS},
    url_name="retention_transfer",
)
def transfer(request: ApiRequest, payload: ChosenIn) -> Status:
    """Record the move of the chosen files to the inactive archive (daftar arsip usul pindah)."""
    done = services.records_transfer(user=request.auth, appeals=payload.appeals, note=payload.note)
    return Status(201, _transfer(done))


@router.post("/retention/appraisals", response={200: dict, **ERRORS}, url_name="retention_appraise")
def appraise(request: ApiRequest, payload: AppraisalIn) -> dict:
    rec = services.record_appraise(
        user=request.auth,
        appeal=payload.appeal,
        decision=payload.decision,
        reason=payload.reason,
    )
    return {"appeal": str(payload.appeal), "appraisal": rec.appraisal}


@router.post(
    "/retention/disposals", response={201: ProposalOut, **ERRORS}, url_name="disposal_propose"
)
def propose(request: ApiRequest, payload: ChosenIn) -> Status:
    """Propose the chosen files for disposal (usul musnah), for the Kepala Balai."""
    done = services.disposal_propose(user=request.auth, appeals=payload.appeals, note=payload.note)
    return Status(201, _proposal(done))


@router.post(
    "/retention/disposals/{disposal_id}/approve",
    response={200: ProposalOut, **ERRORS},
    url_name="disposal_approve",
)
def approve(request: ApiRequest, disposal_id: UUID, payload: DecisionIn) -> ProposalOut:
    """The Kepala Balai approves: the berita acara pemusnahan is made and the files removed,
    their hashes kept."""
    done = services.disposal_decide(
        user=request.auth, disposal=disposal_id, approve=True, reason=payload.reason
    )
    return _proposal(done)


@router.post(
    "/retention/disposals/{disposal_id}/reject",
    response={200: ProposalOut, **ERRORS},
    url_name="disposal_reject",
)
def reject(request: ApiRequest, disposal_id: UUID, payload: DecisionIn) -> ProposalOut:
    done = services.disposal_decide(
        user=request.auth, disposal=disposal_id, approve=False, reason=payload.reason
    )
    return _proposal(done)
