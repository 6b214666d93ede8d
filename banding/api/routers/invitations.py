"""The panel's invitation to the customer (the note on SOP step 7): read by whoever may see
the appeal, sent by a declared panel member, answered once by the customer. The same
services as the staff page and the portal."""

from datetime import datetime
from uuid import UUID

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from banding.api import present
from banding.api.auth import ApiRequest
from banding.api.idempotency import idempotent
from banding.api.payloads import AwareDatetime
from banding.api.routers.appeals import ERRORS
from banding.api.schemas import DocumentOut, UserRef
from banding.appeals import invitations, selectors
from banding.appeals.models import Appeal

router = Router(tags=["undangan Tim Panel"])


class InvitationIn(Schema):
    """`mode` meeting (with `meeting_at` and `place`; `respond_by` optional, the deadline to
    confirm) or written (with `respond_by`)."""

    mode: str = ""
    meeting_at: AwareDatetime | None = None
    place: str = ""
    respond_by: AwareDatetime | None = None
    message: str = ""


class AnswerIn(Schema):
    """`response`: attend or decline (meeting), written (written explanation, `note`
    required, files optional)."""

    response: str = ""
    note: str = ""


class InvitationOut(Schema):
    id: UUID
    mode: str
    mode_label: str
    meeting_at: datetime | None
    place: str
    respond_by: datetime | None
    message: str
    invited_by: UserRef | None
    invited_at: datetime
    open: bool
    response: str
    response_label: str
    response_note: str
    responded_by: UserRef | None
    responded_at: datetime | None
    documents: list[DocumentOut]


def _out(shown: invitations.Shown, appeal: Appeal) -> dict:
    inv = shown.invitation
    return {
        "id": inv.public_id,
        "mode": inv.mode,
        "mode_label": inv.get_mode_display(),
        "meeting_at": inv.meeting_at,
        "place": inv.place,
        "respond_by": inv.respond_by,
        "message": inv.message,
        "invited_by": present.user_ref(inv.invited_by),
        "invited_at": inv.invited_at,
        "open": shown.open,
        "response": inv.response,
        "response_label": inv.get_response_display() if inv.response else "",
        "response_note": inv.response_note,
        "responded_by": present.user_ref(inv.responded_by),
        "responded_at": inv.responded_at,
        "documents": [present.document_out(d, appeal) for d in shown.files],
    }


def _one(appeal: Appeal, public_id: UUID) -> dict:
    shown = next(
        s for s in invitations.invitations_of(appeal) if s.invitation.public_id == public_id
    )
    return _out(shown, appeal)


@router.get(
    "/appeals/{public_id}/invitations",
    response={200: list[InvitationOut], **ERRORS},
    url_name="invitation_list",
    summary="Undangan Tim Panel kepada pelanggan",
)
def invitation_list(request: ApiRequest, public_id: UUID) -> list[dict]:
    """The appeal's invitations, newest first, with the customer's answers and files."""
    appeal = selectors.appeal_for(request.auth, public_id)
    return [_out(s, appeal) for s in invitations.invitations_of(appeal)]


@router.post(
    "/appeals/{public_id}/invitations",
    response={201: InvitationOut, **ERRORS},
    url_name="invitation_send",
    summary="Undang pelanggan (langkah 7 atau 9, Tim Panel)",
)
@idempotent
def invitation_send(request: ApiRequest, public_id: UUID, payload: InvitationIn) -> Status:
    """A declared member of the appeal's panel invites the customer to explain its appeal."""
    appeal = selectors.appeal_for(request.auth, public_id)
    invitation = invitations.invitation_send(
        appeal=appeal,
        user=request.auth,
        mode=payload.mode,
        meeting_at=payload.meeting_at,
        place=payload.place,
        respond_by=payload.respond_by,
        message=payload.message,
    )
    return Status(201, _one(appeal, invitation.public_id))


@router.post(
    "/appeals/{public_id}/invitations/{inv_id}/answer",
    response={200: InvitationOut, **ERRORS},
    url_name="invitation_answer",
    summary="Jawab undangan Tim Panel (pelanggan)",
)
@idempotent
def invitation_answer(
    request: ApiRequest,
    public_id: UUID,
    inv_id: UUID,
    data: Form[AnswerIn],
    # An optional file part: `| None` in its type would make it nullable in the schema.
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> dict:
    """The customer answers once (multipart/form-data): attendance, or a written
    explanation with optional files."""
    appeal = selectors.appeal_for(request.auth, public_id)
    invitation = invitations.invitation_for(appeal, inv_id)
    invitations.invitation_answer(
        invitation=invitation,
        user=request.auth,
        response=data.response,
        note=data.note,
        files=files or [],
    )
    return _one(appeal, invitation.public_id)
