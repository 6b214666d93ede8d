"""Reads of appeals (the same selectors as the staff pages), intake and extra documents."""

from collections.abc import Sequence
from typing import Literal
from uuid import UUID

from django.core.files import uploadedfile
from django.http import FileResponse
from django.http.response import HttpResponseBase
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from banding.accounts.models import CustomerOrganization, TechnicalTeam, User
from banding.api import auth, lookups, present
from banding.api.auth import ApiRequest
from banding.api.idempotency import idempotent
from banding.api.paging import PageQuery, page_of
from banding.api.payloads import (
    BATCH_REQUEST_BODY,
    Day,
    DocumentIn,
    IntakeIn,
    SubmitIn,
    batch_files,
    batch_items,
)
from banding.api.schemas import (
    AppealBatchOut,
    AppealDetail,
    AppealPage,
    DocumentOut,
    Error,
    EventOut,
    InboxPage,
    download,
)
from banding.appeals import exports, inbox_reads, selectors, services, uploads
from banding.appeals.deadlines import DeadlineState
from banding.appeals.downloads import private_download
from banding.appeals.models import ServiceType
from banding.appeals.models import Status as AppealStatus
from banding.appeals.selectors import InboxFilter
from banding.archive.destroyed import require_present
from banding.letters import visibility

router = Router(tags=["banding"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error}


class RegisterQuery(Schema):
    q: str = Field("", description="Nomor register, organisasi, nomor keluhan, dokumen acuan.")
    status: AppealStatus | None = None
    step: int | None = Field(None, description="Langkah SOP yang sedang berjalan.")
    service_type: ServiceType | None = None
    organization: UUID | None = Field(None, description="Id organisasi pelanggan.")
    received_from: Day | None = Field(None, description="Diterima sejak tanggal ini.")
    received_to: Day | None = Field(None, description="Diterima sampai tanggal ini.")
    deadline: DeadlineState | None = Field(
        None, description="Banding berjalan yang tepat waktu, hampir jatuh tempo atau terlambat."
    )

    def as_filters(self) -> selectors.RegisterFilters:
        return selectors.RegisterFilters(
            q=self.q.strip(),
            status=self.status or "",
            step=self.step,
            service_type=self.service_type or "",
            organization=str(self.organization) if self.organization else "",
            received_from=self.received_from,
            received_to=self.received_to,
            deadline=self.deadline or "",
        )


@router.get(
    "/appeals",
    response={200: AppealPage, **ERRORS},
    url_name="appeal_list",
    summary="Buku agenda banding",
)
def appeal_list(
    request: ApiRequest, filters: Query[RegisterQuery], paging: Query[PageQuery]
) -> dict:
    """Buku agenda banding: what the caller may see, filtered, newest first."""
    return page_of(
        selectors.register(request.auth, filters.as_filters()), paging, present.appeal_summary
    )


@router.get(
    "/appeals/export",
    response={200: None, **ERRORS},
    openapi_extra=download("Buku agenda sebagai berkas.", "text/csv", uploads.XLSX),
    url_name="appeal_export",
    summary="Unduh buku agenda banding (CSV atau XLSX)",
)
def appeal_export(
    request: ApiRequest, filters: Query[RegisterQuery], format: Literal["csv", "xlsx"] = "csv"
) -> HttpResponseBase:
    """The register with the same filters as /appeals, as a file; recorded in the audit log."""
    return exports.export_response(
        user=request.auth, filters=filters.as_filters(), file_format=format
    )


class InboxQuery(PageQuery):
    view: InboxFilter = Field(
        InboxFilter.MINE,
        description="giliran (belum diambil siapa pun atau diambil pemanggil), saya (diambil "
        "pemanggil), lain (diambil orang lain), terlambat, hampir (jatuh tempo), semua.",
    )


@router.get("/inbox", response={200: InboxPage, **ERRORS}, url_name="inbox", summary="Tugas saya")
def inbox(request: ApiRequest, query: Query[InboxQuery]) -> dict:
    """Tugas saya: open appeals whose current step is the caller's, nearest due date first,
    in one of the page's views (`view`), with the count of each view."""
    counts = inbox_reads.inbox_counts(request.auth)
    rows = selectors.inbox_pages(request.auth, query.view)
    page = page_of(rows, query, present.inbox_item, count=counts[query.view])
    return {"view": query.view, "counts": counts, **page}


@router.post(
    "/appeals",
    response={201: AppealDetail, **ERRORS},
    url_name="appeal_create",
    summary="Catat banding baru (langkah 1-2)",
    auth=auth.api_auth(permit=services.require_registrar),
)
@idempotent
def appeal_create(
    request: ApiRequest,
    data: Form[IntakeIn],
    # An optional file part: `| None` in its type would make it nullable in the schema.
    letter: File[UploadedFile] = None,  # type: ignore[assignment]
    attachments: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status:
    """Langkah 1-2: staff PJTK mencatat banding yang diterima (multipart/form-data). Bila
    organisasi itu sudah memiliki banding berjalan dengan nomor keluhan yang sama: 409
    `duplicate_suspected` dengan banding yang cocok di `duplicates`, sampai permintaan
    menyertakan `confirm_new: true`."""
    user = request.auth
    appeal = services.appeal_register(
        user=user,
        **_intake_fields(
            data,
            organization=lookups.organization(data.organization),
            involved_persons=lookups.users(data.involved_persons, field="involved_persons"),
            appealed_team=lookups.technical_team(data.appealed_team, field="appealed_team"),
            letter=letter,
            attachments=attachments or [],
        ),
    )
    return Status(201, present.appeal_detail(appeal, user))


def _intake_fields(
    data: IntakeIn,
    *,
    organization: CustomerOrganization | None,
    involved_persons: Sequence[User],
    appealed_team: TechnicalTeam | None,
    letter: uploadedfile.UploadedFile | None,
    attachments: Sequence[uploadedfile.UploadedFile],
) -> services.IntakeFields:
    """The keyword arguments of a staff intake (services.Intake): the payload's fields, with
    the ids and file parts it names resolved to objects."""
    return services.IntakeFields(
        new_organization_name=data.new_organization_name,
        contact_name=data.contact_name,
        contact_email=data.contact_email,
        contact_phone=data.contact_phone,
        channel=data.channel,
        received_at=data.received_at,
        complaint_reference=data.complaint_reference,
        complaint_outcome_date=data.complaint_outcome_date,
        service_type=data.service_type,
        reference_document=data.reference_document,
        grounds=data.grounds,
        remedy_sought=data.remedy_sought,
        involved_note=data.involved_note,
        organization=organization,
        involved_persons=involved_persons,
        no_involved_reason=data.no_involved_reason,
        appealed_team=appealed_team,
        letter=letter,
        attachments=attachments,
        confirm_new=data.confirm_new,
    )


@router.post(
    "/appeals/batch",
    response={201: AppealBatchOut, **ERRORS},
    url_name="appeal_create_batch",
    summary="Catat beberapa banding sekaligus (langkah 1-2)",
    openapi_extra={"requestBody": BATCH_REQUEST_BODY},
    auth=auth.api_auth(permit=services.require_registrar),
)
@idempotent
def appeal_create_batch(request: ApiRequest) -> Status:
    """Langkah 1-2 untuk 1-50 banding sekaligus, mis. diteruskan oleh sistem lain
    (multipart/form-data): isian `appeals` berisi daftar JSON banding dengan isian yang sama
    seperti POST /appeals, dan `letter`/`attachments` tiap banding menyebut nama bagian
    berkas dalam permintaan yang sama. Semua dicatat dalam satu transaksi, bernomor urut
    sesuai daftar, atau tidak satu pun: kesalahan menyebut banding ke-i (`appeals.<i>.…`)."""
    user = request.auth
    items = batch_items(request.POST.get("appeals", ""))
    organizations = lookups.organizations_of(items)
    persons = lookups.users_of(items)
    teams = lookups.teams_of(items)
    files = batch_files(request, items)
    appeals = services.appeals_register(
        user=user,
        intakes=[
            services.Intake(
                **_intake_fields(
                    item,
                    organization=(
                        organizations.get(item.organization) if item.organization else None
                    ),
                    involved_persons=[persons[i] for i in item.involved_persons],
                    appealed_team=teams.get(item.appealed_team or ""),
                    letter=letter,
                    attachments=attached,
                )
            )
            for item, (letter, attached) in zip(items, files, strict=True)
        ],
    )
    return Status(
        201, {"count": len(appeals), "items": [present.appeal_summary(a) for a in appeals]}
    )


@router.post(
    "/appeals/submit",
    response={201: AppealDetail, **ERRORS},
    url_name="appeal_submit",
    summary="Ajukan banding secara daring (langkah 1, pelanggan)",
)
@idempotent
def appeal_submit(
    request: ApiRequest,
    data: Form[SubmitIn],
    # An optional file part: `| None` in its type would make it nullable in the schema.
    letter: File[UploadedFile] = None,  # type: ignore[assignment]
    attachments: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status:
    """Langkah 1: pelanggan mengajukan banding (multipart/form-data). Nomor register
    diberikan saat itu juga; langkah 2 terbuka bagi staff PJTK. Banding berjalan dengan nomor
    keluhan yang sama: 409 `duplicate_suspected` sampai `confirm_new: true`."""
    user = request.auth
    appeal = services.appeal_submit(
        user=user,
        complaint_reference=data.complaint_reference,
        complaint_outcome_date=data.complaint_outcome_date,
        service_type=data.service_type,
        reference_document=data.reference_document,
        grounds=data.grounds,
        remedy_sought=data.remedy_sought,
        contact_name=data.contact_name,
        contact_phone=data.contact_phone,
        letter=letter,
        attachments=attachments or [],
        confirm_new=data.confirm_new,
    )
    return Status(201, present.appeal_detail(appeal, user))


@router.get(
    "/appeals/{public_id}",
    response={200: AppealDetail, **ERRORS},
    url_name="appeal",
    summary="Rincian banding",
)
def appeal_detail(request: ApiRequest, public_id: UUID) -> dict:
    return present.appeal_detail(selectors.appeal_for(request.auth, public_id), request.auth)


@router.get(
    "/appeals/{public_id}/timeline",
    response={200: list[EventOut], **ERRORS},
    url_name="appeal_timeline",
    summary="Linimasa banding",
)
def appeal_timeline(request: ApiRequest, public_id: UUID) -> list[dict]:
    appeal = selectors.appeal_for(request.auth, public_id)
    return [present.event_out(e) for e in visibility.events(appeal, request.auth)]


@router.get(
    "/appeals/{public_id}/documents",
    response={200: list[DocumentOut], **ERRORS},
    url_name="appeal_documents",
    summary="Dokumen banding",
)
def appeal_documents(request: ApiRequest, public_id: UUID) -> list[dict]:
    appeal = selectors.appeal_for(request.auth, public_id)
    return [present.document_out(d, appeal) for d in visibility.documents(appeal, request.auth)]


@router.post(
    "/appeals/{public_id}/documents",
    response={200: AppealDetail, **ERRORS},
    url_name="appeal_document_add",
    summary="Tambah dokumen",
)
@idempotent
def appeal_document_add(
    request: ApiRequest,
    public_id: UUID,
    data: Form[DocumentIn],
    file: File[UploadedFile],
) -> dict:
    """Dokumen tambahan oleh staff PJTK atau pelaksana langkah yang sedang berjalan."""
    appeal = selectors.appeal_for(request.auth, public_id)
    services.document_add(appeal=appeal, user=request.auth, upload=file, kind=data.kind)
    return present.appeal_detail(appeal, request.auth)


@router.get(
    "/appeals/{public_id}/documents/{doc_id}/file",
    response={200: None, **ERRORS},
    openapi_extra=download("Berkas dokumen, dengan jenis isinya.", *uploads.CONTENT_TYPES),
    url_name="document_file",
    summary="Unduh berkas dokumen",
)
def document_file(request: ApiRequest, public_id: UUID, doc_id: UUID) -> FileResponse:
    """The stored file, to those who may see the appeal and that document."""
    appeal = selectors.appeal_for(request.auth, public_id)
    doc = visibility.document_for(request.auth, appeal, doc_id)
    require_present(appeal)  # destroyed under the retention schedule: 410 with the BA number
    return private_download(
        doc.file.open("rb"), filename=doc.original_name, content_type=doc.content_type
    )
