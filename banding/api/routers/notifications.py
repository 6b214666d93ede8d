"""The caller's own notices: reminders, overdue notices and escalations."""

from datetime import datetime
from uuid import UUID

from ninja import Field, Query, Router, Schema

from banding.api.auth import ApiRequest
from banding.api.paging import PageQuery, page_of
from banding.api.routers.appeals import ERRORS
from banding.notifications import selectors, services
from banding.notifications.models import Kind, Notification

router = Router(tags=["notifikasi"])


class AppealLink(Schema):
    id: UUID
    number: str


class NotificationOut(Schema):
    id: UUID
    # Not `Kind` itself: the schema would name it "Kind", which is the letters' kind.
    kind: str = Field(
        description="Jenis notifikasi.", json_schema_extra={"enum": list(Kind.values)}
    )
    kind_label: str
    message: str
    appeal: AppealLink
    step: int | None = Field(description="Nomor langkah SOP yang diberitahukan.")
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Schema):
    count: int
    unread: int
    limit: int
    offset: int
    items: list[NotificationOut]


class NotificationQuery(Schema):
    unread: bool = Field(False, description="Hanya yang belum dibaca.")


def notification_out(n: Notification) -> dict:
    return {
        "id": n.public_id,
        "kind": n.kind,
        "kind_label": n.get_kind_display(),
        "message": n.message,
        "appeal": {"id": n.appeal.public_id, "number": n.appeal.number},
        "step": n.step.number if n.step is not None else None,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


@router.get(
    "/notifications",
    response={200: NotificationPage, **ERRORS},
    url_name="notification_list",
    summary="Notifikasi saya",
)
def notification_list(
    request: ApiRequest, filters: Query[NotificationQuery], paging: Query[PageQuery]
) -> dict:
    """The caller's notices, unread first, newest first."""
    page = page_of(
        selectors.for_user(request.auth, unread_only=filters.unread), paging, notification_out
    )
    return {**page, "unread": selectors.unread_count(request.auth)}


@router.post(
    "/notifications/{public_id}/read",
    response={200: NotificationOut, **ERRORS},
    url_name="notification_read",
    summary="Tandai notifikasi sudah dibaca",
)
def notification_read(request: ApiRequest, public_id: UUID) -> dict:
    return notification_out(services.notification_read(user=request.auth, public_id=public_id))
