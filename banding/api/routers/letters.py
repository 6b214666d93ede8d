"""Letters of an appeal: list, draft, edit a draft, preview, issue (= sign, by the signer),
correct, discard a draft and download the issued PDF — the same services and visibility rules
as the staff pages (banding.letters)."""

from datetime import datetime
from uuid import UUID

from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext_noop as N_
from ninja import Field, Router, Schema

from banding.api.auth import ApiRequest
from banding.api.idempotency import idempotent
from banding.api.present import user_ref
from banding.api.routers.appeals import ERRORS
from banding.api.schemas import UserRef, download
from banding.appeals import selectors as appeal_selectors
from banding.appeals.downloads import private_download
from banding.archive.destroyed import require_present
from banding.errors import NotFound
from banding.letters import selectors, services
from banding.letters.kinds import Kind
from banding.letters.models import Letter, LetterStatus
from banding.letters.render import verification_url

router = Router(tags=["surat"])


class LetterOut(Schema):
    id: UUID
    kind: Kind
    kind_label: str
    step: int
    status: LetterStatus
    version: int
    number: str
    fields: dict[str, str] = Field(description="Bagian surat yang ditulis orang.")
    supersedes: UUID | None
    correction_reason: str
    sha256: str
    verification_url: str
    signed_as: str = Field(description="Jabatan penanda tangan, mis. 'a.n. Kepala Balai'.")
    on_behalf: bool
    withdrawn_at: datetime | None
    withdrawal_reason: str
    created_by: UserRef
    issued_at: datetime | None
    signer: UserRef | None
    signed_at: datetime | None


class DraftIn(Schema):
    kind: Kind
    fields: dict[str, str] = Field(default_factory=dict, description="Menimpa isian bawaan.")


class FieldsIn(Schema):
    fields: dict[str, str]


class SupersedeIn(Schema):
    reason: str
    fields: dict[str, str] = Field(default_factory=dict)


class IssueIn(Schema):
    password: str = Field(description="Kata sandi penanda tangan (tanda tangan dikonfirmasi).")


class WithdrawIn(Schema):
    reason: str


def _out(letter: Letter) -> dict:
    return {
        "id": letter.public_id,
        "kind": letter.kind,
        "kind_label": letter.get_kind_display(),
        "step": letter.step,
        "status": letter.status,
        "version": letter.version,
        "number": letter.number,
        "fields": letter.fields,
        "supersedes": letter.supersedes.public_id if letter.supersedes is not None else None,
        "correction_reason": letter.correction_reason,
        "sha256": letter.sha256,
        "verification_url": verification_url(letter.verification_code)
        if letter.verification_code
        else "",
        "signed_as": letter.signed_as,
        "on_behalf": letter.on_behalf,
        "withdrawn_at": letter.withdrawn_at,
        "withdrawal_reason": letter.withdrawal_reason,
        "created_by": user_ref(letter.created_by),
        "issued_at": letter.issued_at,
        "signer": user_ref(letter.signer),
        "signed_at": letter.signed_at,
    }


def _letter(request: ApiRequest, public_id: UUID, letter_id: UUID) -> Letter:
    appeal = appeal_selectors.appeal_for(request.auth, public_id)
    return selectors.letter_for(request.auth, appeal, letter_id)


@router.get(
    "/appeals/{public_id}/letters",
    response={200: list[LetterOut], **ERRORS},
    url_name="appeal_letters",
    summary="Surat banding",
)
def letter_list(request: ApiRequest, public_id: UUID) -> list[dict]:
    """Pegawai: semua surat. Pelanggan: surat terbit yang ditujukan kepadanya."""
    appeal = appeal_selectors.appeal_for(request.auth, public_id)
    letters = selectors.letters_of(appeal, request.auth).select_related("supersedes")
    return [_out(letter) for letter in letters]


@router.post(
    "/appeals/{public_id}/letters",
    response={200: LetterOut, **ERRORS},
    url_name="letter_draft",
    summary="Buat draf surat",
)
@idempotent
def letter_draft(request: ApiRequest, public_id: UUID, payload: DraftIn) -> dict:
    appeal = appeal_selectors.appeal_for(request.auth, public_id)
    letter = services.letter_draft(
        appeal=appeal, user=request.auth, kind=payload.kind, fields=payload.fields
    )
    return _out(letter)


@router.patch(
    "/appeals/{public_id}/letters/{letter_id}",
    response={200: LetterOut, **ERRORS},
    url_name="letter_update",
    summary="Ubah draf surat",
)
def letter_update(request: ApiRequest, public_id: UUID, letter_id: UUID, payload: FieldsIn) -> dict:
    """Hanya draf; surat yang sudah terbit ditolak (409)."""
    letter = _letter(request, public_id, letter_id)
    return _out(services.letter_update(letter=letter, user=request.auth, fields=payload.fields))


@router.delete(
    "/appeals/{public_id}/letters/{letter_id}",
    response={204: None, **ERRORS},
    url_name="letter_discard",
    summary="Hapus draf surat",
)
def letter_discard(request: ApiRequest, public_id: UUID, letter_id: UUID) -> tuple[int, None]:
    services.letter_discard(letter=_letter(request, public_id, letter_id), user=request.auth)
    return 204, None


@router.get(
    "/appeals/{public_id}/letters/{letter_id}/preview",
    response={200: None, **ERRORS},
    openapi_extra=download("PDF surat.", "application/pdf"),
    url_name="letter_preview",
    summary="Pratinjau draf (PDF)",
)
def letter_preview(request: ApiRequest, public_id: UUID, letter_id: UUID) -> HttpResponse:
    content = services.letter_preview(letter=_letter(request, public_id, letter_id))
    return HttpResponse(content, content_type="application/pdf")


@router.post(
    "/appeals/{public_id}/letters/{letter_id}/issue",
    response={200: LetterOut, **ERRORS},
    url_name="letter_issue",
    summary="Terbitkan dan tandatangani",
)
@idempotent
def letter_issue(request: ApiRequest, public_id: UUID, letter_id: UUID, payload: IssueIn) -> dict:
    """Oleh penanda tangan jenis surat itu, yang mengonfirmasi dengan kata sandinya: memberi
    nomor, menandatangani secara elektronik dan menyimpan PDF beserta SHA-256-nya
    (docs/letters.md). Kata sandi salah: 400 `reauthentication_failed`."""
    letter = _letter(request, public_id, letter_id)
    return _out(services.letter_issue(letter=letter, user=request.auth, password=payload.password))


@router.post(
    "/appeals/{public_id}/letters/{letter_id}/withdraw",
    response={200: LetterOut, **ERRORS},
    url_name="letter_withdraw",
    summary="Cabut surat (langkah yang sedang berjalan)",
)
@idempotent
def letter_withdraw(
    request: ApiRequest, public_id: UUID, letter_id: UUID, payload: WithdrawIn
) -> dict:
    """Surat terbit dari langkah yang sedang berjalan dicabut oleh penanda tangannya atau
    Kepala Balai, dengan alasan; halaman verifikasinya menyatakan "Dicabut"."""
    letter = _letter(request, public_id, letter_id)
    return _out(services.letter_withdraw(letter=letter, user=request.auth, reason=payload.reason))


@router.post(
    "/appeals/{public_id}/letters/{letter_id}/supersede",
    response={200: LetterOut, **ERRORS},
    url_name="letter_supersede",
    summary="Koreksi surat (versi baru)",
)
@idempotent
def letter_supersede(
    request: ApiRequest, public_id: UUID, letter_id: UUID, payload: SupersedeIn
) -> dict:
    letter = _letter(request, public_id, letter_id)
    new = services.letter_supersede(
        letter=letter, user=request.auth, reason=payload.reason, fields=payload.fields
    )
    return _out(new)


@router.get(
    "/appeals/{public_id}/letters/{letter_id}/file",
    response={200: None, **ERRORS},
    openapi_extra=download("PDF surat.", "application/pdf"),
    url_name="letter_file",
    summary="Unduh PDF surat terbit",
)
def letter_file(request: ApiRequest, public_id: UUID, letter_id: UUID) -> FileResponse:
    letter = _letter(request, public_id, letter_id)
    if not letter.pdf:
        raise NotFound(N_("Surat ini masih draf; belum ada berkas terbit."))
    require_present(letter.appeal)  # destroyed under the retention schedule: 410
    return private_download(
        letter.pdf.open("rb"), filename=letter.download_name, content_type="application/pdf"
    )
