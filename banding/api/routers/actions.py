"""Every SOP step action: each handler resolves ids and calls the same service function as
the staff pages, then answers with the appeal as it now stands."""

from uuid import UUID

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from ninja import File, Form, Path, Router
from ninja.files import UploadedFile

from banding.accounts.roles import is_customer
from banding.api import lookups, present
from banding.api.auth import ApiRequest
from banding.api.idempotency import idempotent
from banding.api.payloads import (
    ApproveIn,
    CloseDuplicateIn,
    CloseIn,
    DecideIn,
    DeclareIn,
    DispositionIn,
    DissentAddIn,
    NoteIn,
    PanelIn,
    ProposeIn,
    RecordIn,
    RejectIn,
    ReplaceIn,
    ReportIn,
    ReturnIn,
    TeamExemptIn,
    VerifyIn,
    WithdrawIn,
)
from banding.api.routers.appeals import ERRORS
from banding.api.schemas import AppealDetail
from banding.appeals import selectors, services
from banding.appeals.models import Appeal
from banding.errors import Invalid, NotFound
from banding.sop import definition as sop

router = Router(tags=["langkah SOP"])
RESPONSES = {200: AppealDetail, **ERRORS}


def _appeal(request: ApiRequest, public_id: UUID) -> Appeal:
    return selectors.appeal_for(request.auth, public_id)


def _done(request: ApiRequest, appeal: Appeal) -> dict:
    return present.appeal_detail(appeal, request.auth)


@router.post(
    "/appeals/{public_id}/record",
    response=RESPONSES,
    url_name="appeal_record",
    summary="Pencatatan banding daring (langkah 2)",
)
@idempotent
def record(request: ApiRequest, public_id: UUID, payload: RecordIn) -> dict:
    """Langkah 2 banding yang diajukan melalui portal: staff PJTK memeriksa dan mencatatnya,
    dengan jawaban wajib siapa yang terlibat dalam kegiatan atau keluhan semula (pegawai,
    pihak luar, tim teknis yang hasil kerjanya dibanding) atau `no_involved_reason`. Tanpa
    jawaban: 400 `involvement_missing`; keduanya: 400 `involvement_conflict`."""
    appeal = _appeal(request, public_id)
    services.appeal_record(
        appeal=appeal,
        user=request.auth,
        involved_persons=lookups.users(payload.involved_persons, field="involved_persons"),
        involved_note=payload.involved_note,
        no_involved_reason=payload.no_involved_reason,
        appealed_team=lookups.technical_team(payload.appealed_team, field="appealed_team"),
    )
    return _done(request, appeal)


@router.post(
    "/appeals/{public_id}/involvement/team-exempt",
    response=RESPONSES,
    url_name="team_exempt",
    summary="Anggota tim teknis yang hasil kerjanya dibanding tidak dianggap terlibat",
)
@idempotent
def team_exempt(request: ApiRequest, public_id: UUID, payload: TeamExemptIn) -> dict:
    """Ketua Tim PJTK mencatat alasan anggota tim teknis yang hasil kerjanya dibanding tidak
    dianggap terlibat, sebelum Tim Panel Banding ditunjuk; sesudahnya mereka dapat diusulkan
    sebagai anggota panel."""
    appeal = _appeal(request, public_id)
    services.team_exempt(appeal=appeal, user=request.auth, reason=payload.reason)
    return _done(request, appeal)


@router.post(
    "/appeals/{public_id}/steps/{number}/complete",
    response=RESPONSES,
    url_name="step_complete",
    summary="Selesaikan langkah yang hasilnya dicatat (langkah 3, 5, 6, 9)",
)
@idempotent
def step_complete(
    request: ApiRequest,
    public_id: UUID,
    number: int = Path(..., ge=min(sop.STEP_NUMBERS), le=max(sop.STEP_NUMBERS)),
) -> dict:
    """Langkah yang suratnya dibuat dari catatannya sendiri (3 relevan, 5, 6, 9) selesai
    dengan hasil yang dicatat, setelah suratnya terbit. Surat yang belum terbit: 409
    `output_missing` dengan jenisnya di `fields.outputs`; belum ada catatan: 409
    `record_missing`."""
    if number not in sop.STEP_NUMBERS:  # within the bounds, but not a step (the SOP has no 8)
        raise NotFound(N_("SOP 5.1.24 tidak memiliki langkah itu."))
    appeal = _appeal(request, public_id)
    services.step_complete(appeal=appeal, user=request.auth, number=number)
    return _done(request, appeal)


@router.post(
    "/appeals/{public_id}/verify",
    response=RESPONSES,
    url_name="appeal_verify",
    summary="Verifikasi (langkah 3)",
)
@idempotent
def verify(request: ApiRequest, public_id: UUID, payload: VerifyIn) -> dict:
    """Langkah 3: verifikasi kelengkapan dan relevansi (Ketua Tim PJTK). Tidak relevan: langkah
    selesai, banding ke langkah 4. Relevan: hasilnya dicatat; nota dinas dibuat dari catatan itu
    dan diterbitkan, lalu langkah diselesaikan (`.../steps/3/complete`)."""
    appeal = _appeal(request, public_id)
    unknown = sorted(set(payload.checklist) - set(sop.step(3).checklist))
    if unknown:
        message = _("Butir daftar periksa tidak dikenal: %(items)s.") % {
            "items": ", ".join(unknown)
        }
        raise Invalid(message, fields={"checklist": [message]})
    services.appeal_verify(
        appeal=appeal,
        user=request.auth,
        checklist=payload.checklist,
        relevant=payload.relevant,
        reasons=payload.reasons,
        technical_team=lookups.technical_team(payload.technical_team),
        similar_considered=[str(i) for i in payload.similar_considered],
        similar_confirmed=payload.similar_confirmed,
    )
    return _done(request, appeal)


@router.post(
    "/appeals/{public_id}/reject",
    response=RESPONSES,
    url_name="appeal_reject",
    summary="Surat penolakan (langkah 4)",
)
@idempotent
def reject(request: ApiRequest, public_id: UUID, payload: RejectIn) -> dict:
    """Langkah 4: surat penolakan, yang telah terbit, dikirim kepada pelanggan (staff PJTK).
    Tanpa surat penolakan yang terbit: 409 `output_missing`."""
    appeal = _appeal(request, public_id)
    services.appeal_reject(
        appeal=appeal,
        user=request.auth,
        delivered_at=payload.delivered_at,
        channel=payload.channel,
    )
    return _done(request, appeal)


@router.post(
    "/appeals/{public_id}/panel/propose",
    response=RESPONSES,
    url_name="panel_propose",
    summary="Usulan Tim Panel (langkah 5)",
)
@idempotent
def panel_propose(request: ApiRequest, public_id: UUID, payload: ProposeIn) -> dict:
    """Langkah 5: usulan Tim Panel Banding dicatat (Bagian/Tim Teknis yang dituju); surat
    usulan dibuat dan diterbitkan, lalu `.../steps/5/complete`."""
    appeal = _appeal(request, public_id)
    services.panel_propose(
        appeal=appeal,
        user=request.auth,
        members=lookups.users(payload.members, field="members"),
        chair=lookups.user(payload.chair, field="chair"),
        note=payload.note,
    )
    return _done(request, appeal)


@router.post(
    "/appeals/{public_id}/panel/appoint",
    response=RESPONSES,
    url_name="panel_appoint",
    summary="Penunjukan Tim Panel (langkah 6)",
)
@idempotent
def panel_appoint(request: ApiRequest, public_id: UUID, payload: PanelIn) -> dict:
    """Langkah 6: penunjukan Tim Panel Banding dicatat (Kepala Balai); surat tugas dibuat dan
    diterbitkan, lalu `.../steps/6/complete` mendudukkan panel."""
    appeal = _appeal(request, public_id)
    services.panel_appoint(
        appeal=appeal,
        user=request.auth,
        members=lookups.users(payload.members, field="members"),
        chair=lookups.user(payload.chair, field="chair"),
    )
    return _done(request, appeal)


@router.post(
    "/appeals/{public_id}/panel/declare",
    response=RESPONSES,
    url_name="panel_declare",
    summary="Pernyataan benturan kepentingan",
)
@idempotent
def panel_declare(request: ApiRequest, public_id: UUID, payload: DeclareIn | None = None) -> dict:
    """Pernyataan anggota panel sebelum bertindak: `conflict` false (tidak ada konflik; juga
    tanpa isi permintaan) atau true (ada konflik) dengan `description` wajib (400
    `description_required`). Konflik mengosongkan kursinya dan memberi tahu Kepala Balai; Tim
    Panel tidak dapat bertindak (409 `panel_incomplete`) sampai pengganti ditunjuk
    (`.../panel/replace`) dan surat tugas yang diperbarui terbit."""
    appeal = _appeal(request, public_id)
    declared = payload or DeclareIn()
    services.panel_declare(
        appeal=appeal,
        user=request.auth,
        conflict=declared.conflict,
        description=declared.description,
    )
    return _done(request, appeal)


@router.post(
    "/appeals/{public_id}/panel/replace",
    response=RESPONSES,
    url_name="panel_replace",
    summary="Penunjukan pengganti anggota Tim Panel",
)
@idempotent
def panel_replace(request: ApiRequest, public_id: UUID, payload: ReplaceIn) -> dict:
    """Kepala Balai menunjuk pengganti kursi yang dikosongkan karena benturan kepentingan
    (`vacated`: anggota yang kursinya dikosongkan; `member`: penggantinya; `chair`: wajib bila
    kursi ketua yang kosong). Draf koreksi surat tugas yang menyebut panel baru dibuat; Tim
    Panel bertindak lagi setelah koreksi itu terbit dan pengganti membuat pernyataan."""
    appeal = _appeal(request, public_id)
    services.panel_replace(
        appeal=appeal,
        user=request.auth,
        vacated=lookups.users([payload.vacated], field="vacated")[0],
        member=lookups.users([payload.member], field="member")[0],
        chair=lookups.user(payload.chair, field="chair"),
    )
    return _done(request, appeal)


@router.post(
    "/appeals/{public_id}/investigation/notes",
    response=RESPONSES,
    url_name="investigation_note",
    summary="Catatan investigasi (langkah 7)",
)
@idempotent
def investigation_note(request: ApiRequest, public_id: UUID, payload: NoteIn) -> dict:
    """Langkah 7: catatan investigasi atau kontak dengan pelanggan (Tim Panel Banding)."""
    appeal = _appeal(request, public_id)
    services.investigation_note(
        appeal=appeal,
        user=request.auth,
        kind=payload.kind,
        text=payload.text,
        occurred_at=payload.occurred_at,
    )
    return _done(request, appeal)


@router.post(
    "/appeals/{public_id}/investigation/report",
    response=RESPONSES,
    url_name="investigation_report",
    summary="Laporan hasil investigasi (langkah 7)",
)
@idempotent
def investigation_report(
    request: ApiRequest,
    public_id: UUID,
    data: Form[ReportIn],
    # An optional file part: `| None` in its type would make it nullable in the schema.
    report: File[UploadedFile] = None,  # type: ignore[assignment]
) -> dict:
    """Langkah 7 selesai: laporan hasil investigasi diunggah (multipart/form-data)."""
    appeal = _appeal(request, public_id)
    services.investigation_report(
        appeal=appeal, user=request.auth, report=report, summary=data.summary
    )
    return _done(request, appeal)


@router.post(
    "/appeals/{public_id}/decision",
    response=RESPONSES,
    url_name="panel_decide",
    summary="Rapat panel dan keputusan (langkah 9)",
)
@idempotent
def panel_decide(request: ApiRequest, public_id: UUID, payload: DecideIn) -> dict:
    """Langkah 9: rapat panel, daftar hadir per kursi panel, notulen, keputusan dan
    pertimbangannya dicatat oleh anggota panel yang duduk dan sudah menyatakan bebas
    benturan kepentingan; daftar hadir dan notulen dibuat dari catatan itu dan ditandatangani
    ketua panel, lalu `.../steps/9/complete`. Tidak kuorum: 400 `no_quorum`; rapat sebelum
    panel ditunjuk: 400 `meeting_before_panel`; orang di luar panel: 400 `not_on_panel`;
    kursi ganda: 400 `duplicate_seat`; banding serupa belum dinyatakan dipertimbangkan:
    400 `similar_unconfirmed`."""
    appeal = _appeal(request, public_id)
    services.panel_decide(
        appeal=appeal,
        user=request.auth,
        meeting_at=payload.meeting_at,
        place=payload.place,
        attendance=[{"member": str(a.member), "present": a.present} for a in payload.attendance],
        guests=[g.model_dump() for g in payload.guests],
        minutes=payload.minutes,
        decision=payload.decision,
        reasons=payload.reasons,
        remedy=payload.remedy,
        dissent=[{"member": str(d.member), "opinion": d.opinion} for d in payload.dissent],
        similar_considered=[str(i) for i in payload.similar_considered],
        similar_confirmed=payload.similar_confirmed,
    )
    return _done(request, appeal)


@router.post(
    "/appeals/{public_id}/decision/dissent",
    response=RESPONSES,
    url_name="panel_dissent",
    summary="Pendapat berbeda anggota panel (langkah 9)",
)
@idempotent
def panel_dissent(request: ApiRequest, public_id: UUID, payload: DissentAddIn) -> dict:
    """Langkah 9, setelah hasil rapat dicatat dan sebelum daftar hadir/notulen terbit:
    anggota panel yang hadir menambahkan (atau mengganti) pendapat berbedanya sendiri;
    notulen dibuat ulang dari catatan itu. Surat sudah terbit: 409 `output_issued`."""
    appeal = _appeal(request, public_id)
    services.panel_dissent(appeal=appeal, user=request.auth, opinion=payload.opinion)
    return _done(request, appeal)


@router.post(
    "/appeals/{public_id}/decision/approve",
    response=RESPONSES,
    url_name="decision_approve",
    summary="Setujui keputusan (langkah 10)",
)
@idempotent
def decision_approve(request: ApiRequest, public_id: UUID, payload: ApproveIn) -> dict:
    """Langkah 10: Kepala Balai menyetujui dan mendisposisikan keputusan; surat keputusan harus
    sudah terbit (ditandatangani Kepala Balai), bila tidak: 409 `output_missing`."""
    appeal = _appeal(request, public_id)
    services.decision_approve(appeal=appeal, user=request.auth, disposition=payload.disposition)
    return _done(request, appeal)


@router.post(
    "/appeals/{public_id}/decision/return",
    response=RESPONSES,
    url_name="decision_return",
    summary="Kembalikan keputusan ke panel (langkah 10)",
)
@idempotent
def decision_return(request: ApiRequest, public_id: UUID, payload: ReturnIn) -> dict:
    """Langkah 10: keputusan dikembalikan kepada Tim Panel dengan alasannya; surat keputusan
    yang sudah terbit dicabut."""
    appeal = _appeal(request, public_id)
    services.decision_return(appeal=appeal, user=request.auth, reasons=payload.reasons)
    return _done(request, appeal)


@router.post(
    "/appeals/{public_id}/disposition",
    response=RESPONSES,
    url_name="decision_disposition",
    summary="Disposisi ke staff PJTK (langkah 11)",
)
@idempotent
def decision_disposition(request: ApiRequest, public_id: UUID, payload: DispositionIn) -> dict:
    """Langkah 11: Ketua Tim PJTK mendisposisikan keputusan kepada staff PJTK."""
    appeal = _appeal(request, public_id)
    services.decision_disposition(appeal=appeal, user=request.auth, note=payload.note)
    return _done(request, appeal)


@router.post(
    "/appeals/{public_id}/close",
    response=RESPONSES,
    url_name="appeal_close",
    summary="Penyampaian dan pengarsipan (langkah 12)",
)
@idempotent
def appeal_close(request: ApiRequest, public_id: UUID, payload: CloseIn) -> dict:
    """Langkah 12: keputusan disampaikan kepada pelanggan dan berkas diarsipkan; surat
    penyampaian harus sudah terbit, bila tidak: 409 `output_missing`."""
    appeal = _appeal(request, public_id)
    services.appeal_close(
        appeal=appeal,
        user=request.auth,
        delivered_at=payload.delivered_at,
        channel=payload.channel,
        cabinet=payload.cabinet,
        box=payload.box,
        folder=payload.folder,
    )
    return _done(request, appeal)


@router.post(
    "/appeals/{public_id}/withdraw",
    response=RESPONSES,
    url_name="appeal_withdraw",
    summary="Pencabutan banding",
)
@idempotent
def appeal_withdraw(request: ApiRequest, public_id: UUID, payload: WithdrawIn) -> dict:
    """Pencabutan banding yang masih berjalan: dengan token pelanggan, banding organisasinya
    sendiri (`reason` opsional); dengan token staff PJTK, Ketua Tim PJTK atau Kepala Balai,
    pencabutan yang diterima dengan surat (`letter_date` wajib). Langkah yang berjalan
    dihentikan; pelanggan dan pelaksana langkah diberi tahu. Banding yang sudah selesai,
    ditolak atau dicabut: 409 `appeal_closed`."""
    appeal = _appeal(request, public_id)
    if is_customer(request.auth):
        services.appeal_withdraw(appeal=appeal, user=request.auth, reason=payload.reason)
    else:
        services.withdrawal_record(
            appeal=appeal,
            user=request.auth,
            letter_date=payload.letter_date,
            reason=payload.reason,
        )
    return _done(request, appeal)


@router.post(
    "/appeals/{public_id}/close-duplicate",
    response=RESPONSES,
    url_name="appeal_close_duplicate",
    summary="Tutup sebagai duplikat banding lain",
)
@idempotent
def appeal_close_duplicate(request: ApiRequest, public_id: UUID, payload: CloseDuplicateIn) -> dict:
    """Staff PJTK, Ketua Tim PJTK atau Kepala Balai menutup banding yang masih berjalan
    sebagai duplikat dari banding lain organisasi yang sama (`original`: ID publik atau nomor
    register), dengan alasan. Banding organisasi lain, dirinya sendiri, atau banding yang
    sendiri duplikat: 400 (`duplicate_other_organization`, `duplicate_self`,
    `duplicate_chain`)."""
    appeal = _appeal(request, public_id)
    services.appeal_close_duplicate(
        appeal=appeal,
        user=request.auth,
        original=services.original_named(payload.original),
        reason=payload.reason,
    )
    return _done(request, appeal)
