"""Similar earlier appeals (ISO/IEC 17021-1): the same selector as the staff appeal page,
for the verifier, the appeal's panel, the head and auditors."""

from datetime import datetime
from uuid import UUID

from ninja import Router, Schema

from banding.api import present
from banding.api.auth import ApiRequest
from banding.api.routers.appeals import ERRORS
from banding.api.schemas import OrganizationRef
from banding.appeals import selectors, similar

router = Router(tags=["banding"])


class SimilarOut(Schema):
    id: UUID
    number: str
    organization: OrganizationRef
    service_type: str
    service_type_label: str
    status: str
    closed_at: datetime | None
    outcome: str
    score: float
    reasons: list[str]
    may_open: bool  # whether the caller may open that appeal (need to know)


@router.get(
    "/appeals/{public_id}/similar",
    response={200: list[SimilarOut], **ERRORS},
    url_name="appeal_similar",
    summary="Banding serupa sebelumnya",
)
def appeal_similar(request: ApiRequest, public_id: UUID) -> list[dict]:
    """Paling banyak lima banding yang sudah selesai atau ditolak yang paling mirip: dokumen
    acuan, pelanggan, jenis layanan yang sama dan kata yang sama dalam alasan (pencarian teks
    penuh basis data). Untuk Ketua Tim PJTK, Tim Panel Banding banding ini, Kepala Balai dan
    auditor."""
    appeal = selectors.appeal_for(request.auth, public_id)
    similar.require_may_see(request.auth, appeal)
    found = similar.similar_to(appeal)
    openable = similar.openable(request.auth, found)
    return [
        {
            "id": s.appeal.public_id,
            "number": s.appeal.number,
            "organization": present.organization_ref(s.appeal.organization),
            "service_type": s.appeal.service_type,
            "service_type_label": s.appeal.get_service_type_display(),
            "status": s.appeal.status,
            "closed_at": s.appeal.closed_at,
            "outcome": s.outcome,
            "score": s.score,
            "reasons": list(s.reasons),
            "may_open": s.appeal.pk in openable,
        }
        for s in found
    ]
