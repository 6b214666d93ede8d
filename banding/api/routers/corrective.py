"""Corrective actions (tindakan perbaikan): listed (all for those who oversee them, else the
caller's own; filters by status, owner, overdue), an appeal's, added by the panel's chair or
the Ketua Tim PJTK, completed by the owner, checked by the Ketua Tim PJTK. The same services
and rules as the staff pages."""

from datetime import datetime
from uuid import UUID

from django.utils.translation import gettext_noop as N_
from ninja import Field, Query, Router, Schema, Status

from banding.accounts.roles import is_internal
from banding.api import present
from banding.api.auth import ApiRequest
from banding.api.paging import PageQuery, page_of
from banding.api.payloads import Day
from banding.api.routers.appeals import ERRORS
from banding.api.schemas import UserRef
from banding.appeals import selectors as appeal_selectors
from banding.corrective import selectors, services
from banding.corrective.models import CorrectiveAction
from banding.corrective.services import Due, FollowUp
from banding.errors import Forbidden

router = Router(tags=["tindakan perbaikan"])
STAFF_ONLY = N_("Tindakan perbaikan hanya untuk pegawai Balai.")


class CorrectiveOut(Schema):
    id: UUID
    appeal: str  # the register number
    appeal_id: UUID
    description: str
    owner: UserRef | None
    due_at: datetime
    status: str
    status_label: str
    overdue: bool
    created_at: datetime
    completed_at: datetime | None
    completion_note: str
    checked_at: datetime | None
    checked_by: UserRef | None
    effectiveness_note: str
    follows: UUID | None


class CorrectivePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CorrectiveOut]


class ListQuery(PageQuery):
    status: str = Field("", description="terbuka, selesai, efektif, tidak_efektif, terlambat")
    owner: UUID | None = Field(None, description="id penanggung jawab")


class DueIn(Schema):
    """`due_days` working days from now, or `due_date` (a working day): one of them."""

    due_days: int | None = None
    due_date: Day | None = None


class CorrectiveIn(DueIn):
    description: str = ""
    owner: UUID | None = None


class CompleteIn(Schema):
    note: str = ""


class CheckIn(Schema):
    """`effective` true or false; when false, the follow-up action (`follow_up_*`)."""

    effective: bool | None = None
    note: str = ""
    follow_up_description: str = ""
    follow_up_owner: UUID | None = None
    follow_up_days: int | None = None
    follow_up_date: Day | None = None


def _out(a: CorrectiveAction) -> dict:
    return {
        "id": a.public_id,
        "appeal": a.appeal.number,
        "appeal_id": a.appeal.public_id,
        "description": a.description,
        "owner": present.user_ref(a.owner),
        "due_at": a.due_at,
        "status": a.status,
        "status_label": a.get_status_display(),
        "overdue": a.is_overdue(),
        "created_at": a.created_at,
        "completed_at": a.completed_at,
        "completion_note": a.completion_note,
        "checked_at": a.checked_at,
        "checked_by": present.user_ref(a.checked_by),
        "effectiveness_note": a.effectiveness_note,
        "follows": a.follows.public_id if a.follows else None,
    }


def _staff(request: ApiRequest) -> None:
    if not is_internal(request.auth):
        raise Forbidden(STAFF_ONLY, code="staff_only")


@router.get(
    "/corrective-actions",
    response={200: CorrectivePage, **ERRORS},
    url_name="corrective_list",
    summary="Daftar tindakan perbaikan",
)
def corrective_list(request: ApiRequest, query: Query[ListQuery]) -> dict:
    """Every action for the Ketua Tim PJTK, Kepala Balai, auditors and administrators; the
    caller's own for other staff. The soonest due first."""
    _staff(request)
    owner = None
    if query.owner is not None:
        owner = services.owner_from(query.owner)
    rows = selectors.listed(request.auth, status=query.status, owner=owner)
    return page_of(rows, query, _out)


@router.get(
    "/appeals/{public_id}/corrective-actions",
    response={200: list[CorrectiveOut], **ERRORS},
    url_name="corrective_of_appeal",
    summary="Tindakan perbaikan satu banding",
)
def corrective_of_appeal(request: ApiRequest, public_id: UUID) -> list[dict]:
    _staff(request)
    appeal = appeal_selectors.appeal_for(request.auth, public_id)
    return [_out(a) for a in selectors.of_appeal(appeal)]


@router.post(
    "/appeals/{public_id}/corrective-actions",
    response={201: CorrectiveOut, **ERRORS},
    url_name="corrective_add",
    summary="Tambah tindakan perbaikan (ketua Tim Panel atau Ketua Tim PJTK)",
)
def corrective_add(request: ApiRequest, public_id: UUID, payload: CorrectiveIn) -> Status:
    _staff(request)
    appeal = appeal_selectors.appeal_for(request.auth, public_id)
    action = services.corrective_add(
        appeal=appeal,
        user=request.auth,
        description=payload.description,
        owner=payload.owner,
        due=Due(days=payload.due_days, on=payload.due_date),
    )
    return Status(201, _out(selectors.action_for(request.auth, action.public_id)))


@router.post(
    "/corrective-actions/{action_id}/complete",
    response={200: CorrectiveOut, **ERRORS},
    url_name="corrective_complete",
    summary="Tandai tindakan perbaikan selesai (penanggung jawab)",
)
def corrective_complete(request: ApiRequest, action_id: UUID, payload: CompleteIn) -> dict:
    action = selectors.action_for(request.auth, action_id)
    services.corrective_complete(action=action, user=request.auth, note=payload.note)
    return _out(selectors.action_for(request.auth, action_id))


@router.post(
    "/corrective-actions/{action_id}/check",
    response={200: CorrectiveOut, **ERRORS},
    url_name="corrective_check",
    summary="Verifikasi keefektifan tindakan perbaikan (Ketua Tim PJTK)",
)
def corrective_check(request: ApiRequest, action_id: UUID, payload: CheckIn) -> dict:
    action = selectors.action_for(request.auth, action_id)
    follow_up = None
    if payload.effective is False:
        follow_up = FollowUp(
            description=payload.follow_up_description,
            owner=payload.follow_up_owner,
            due=Due(days=payload.follow_up_days, on=payload.follow_up_date),
        )
    services.corrective_check(
        action=action,
        user=request.auth,
        effective=payload.effective,
        note=payload.note,
        follow_up=follow_up,
    )
    return _out(selectors.action_for(request.auth, action_id))
