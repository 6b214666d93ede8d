"""Taking and releasing a shared step (Saya kerjakan / Lepaskan): the same services as the
staff pages (banding.appeals.services.claims)."""

from datetime import datetime
from uuid import UUID

from ninja import Field, Router, Schema

from banding.api import present
from banding.api.auth import ApiRequest
from banding.api.routers.appeals import ERRORS
from banding.api.schemas import StepRef, UserRef
from banding.appeals import selectors, services
from banding.appeals.models import Appeal, Step

router = Router(tags=["langkah SOP"])


class ClaimIn(Schema):
    step: int | None = Field(
        None,
        description="Langkah yang dimaksud (yang dilihat pemanggil); ditolak 409 `wrong_step` "
        "bila banding sudah berada di langkah lain. Tanpa isian: langkah yang terbuka.",
    )


class ClaimOut(Schema):
    appeal: UUID
    number: str
    step: StepRef
    taken_by: UserRef | None
    taken_at: datetime | None


def _claim(appeal: Appeal, step: Step) -> dict:
    return {
        "appeal": appeal.public_id,
        "number": appeal.number,
        "step": present.step_fields(step.number),
        "taken_by": present.user_ref(step.taken_by),
        "taken_at": step.taken_at,
    }


@router.post(
    "/appeals/{public_id}/take",
    response={200: ClaimOut, **ERRORS},
    url_name="appeal_take",
    summary="Saya kerjakan: mengambil langkah yang menjadi giliran beberapa orang",
)
def take(request: ApiRequest, public_id: UUID, payload: ClaimIn | None = None) -> dict:
    """Langkah yang terbuka, bila pelaksananya peran yang dipegang beberapa orang sekaligus
    (Staff PJTK pada langkah 2, 4, 12; anggota Bagian/Tim Teknis yang dituju pada langkah 5),
    diambil oleh pemanggil: rekan-rekannya melihatnya sebagai *Dikerjakan oleh ...*. Bukan peran
    pemanggil: 403 `not_your_role`; sudah diambil orang lain: 409 `already_taken` (pesannya
    menyebut siapa); oleh pemanggil sendiri: 409 `taken_by_you`; langkah Ketua Tim PJTK,
    Kepala Balai atau Tim Panel Banding: 409 `not_shared`; banding selesai: 409 `appeal_closed`."""
    appeal = selectors.appeal_for(request.auth, public_id)
    number = payload.step if payload else None
    step = services.step_take(appeal=appeal, user=request.auth, number=number)
    return _claim(appeal, step)


@router.post(
    "/appeals/{public_id}/release",
    response={200: ClaimOut, **ERRORS},
    url_name="appeal_release",
    summary="Lepaskan: langkah yang diambil tidak lagi dikerjakan siapa pun",
)
def release(request: ApiRequest, public_id: UUID, payload: ClaimIn | None = None) -> dict:
    """Oleh yang mengambilnya, atasannya (tempat keterlambatan langkah itu dieskalasi) atau
    Kepala Balai; selain itu 403 `not_taker`. Langkah yang tidak diambil siapa pun: 409
    `not_taken`. Langkah yang selesai tidak perlu dilepaskan: langkah berikutnya terbuka tanpa
    pengambil."""
    appeal = selectors.appeal_for(request.auth, public_id)
    number = payload.step if payload else None
    step = services.step_release(appeal=appeal, user=request.auth, number=number)
    return _claim(appeal, step)
