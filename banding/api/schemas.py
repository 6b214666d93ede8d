"""What the API answers. Appeals, documents and users are named by their public UUID (and
appeals also by register number), never by database id; labels come from the models'
choices and the SOP definition."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

BINARY = {"schema": {"type": "string", "format": "binary"}}


def download(description: str, *content_types: str) -> dict:
    """`openapi_extra` of an operation that answers a file (its 200 declared `None`): the
    content types it may have."""
    content = {content_type: BINARY for content_type in content_types}
    return {"responses": {"200": {"description": description, "content": content}}}


class Error(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


class UserRef(Schema):
    id: UUID
    name: str


class OrganizationRef(Schema):
    id: UUID
    name: str


class TeamRef(Schema):
    code: str
    name: str


class StepRef(Schema):
    number: int
    title: str
    actor: str
    actor_label: str


class AppealSummary(Schema):
    id: UUID
    number: str
    organization: OrganizationRef
    contact_name: str
    channel: str
    channel_label: str
    received_at: datetime
    service_type: str
    service_type_label: str
    status: str
    status_label: str
    current_step: StepRef | None
    current_since: datetime | None
    current_due_at: datetime | None = Field(
        description="Jatuh tempo langkah yang sedang berjalan (waktu kerja; docs/working-time.md)."
    )
    deadline_state: Literal["on_time", "at_risk", "overdue"] | None = Field(
        description="Tepat waktu, hampir jatuh tempo atau terlambat; null bila banding selesai."
    )
    deadline_state_label: str
    technical_team: TeamRef | None
    created_at: datetime
    closed_at: datetime | None
    stage: str = Field(
        description="Tonggak terakhir yang dicapai, dalam kata-kata pelanggan: diterima, "
        "diverifikasi, ditolak, panel_dibentuk, investigasi, rapat_panel, diputuskan, selesai."
    )
    stage_label: str
    next_stage: str | None = Field(description="Tonggak berikutnya; null bila banding selesai.")
    next_stage_label: str
    next_milestone_expected_at: datetime | None = Field(
        description="Perkiraan tonggak berikutnya bila setiap langkah memakai mutu baku waktunya."
    )


class AppealPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AppealSummary]


class AppealBatchOut(Schema):
    """The appeals a batch intake registered, in the order sent."""

    count: int
    items: list[AppealSummary]


class StepOccurrence(StepRef):
    started_at: datetime
    completed_at: datetime | None
    completed_by: UserRef | None
    outcome: str
    outcome_label: str
    due_at: datetime | None
    working_minutes: int | None = Field(
        description="Waktu kerja yang terpakai (menit), bila selesai."
    )
    within_standard: bool | None = Field(description="Selesai dalam mutu baku waktunya.")


class PanelSeatOut(Schema):
    user: UserRef
    role: str
    role_label: str
    appointed_at: datetime
    declared_at: datetime | None
    conflict: bool | None = Field(
        description="Jawaban pernyataan: false tidak ada konflik, true ada konflik, null belum."
    )
    conflict_description: str
    vacated_at: datetime | None = Field(
        description="Kursi dikosongkan karena benturan kepentingan yang dinyatakan."
    )
    replaces: UserRef | None = Field(description="Anggota yang kursinya digantikan.")


class NoteOut(Schema):
    kind: str
    kind_label: str
    text: str
    occurred_at: datetime
    author: UserRef


class DecisionOut(Schema):
    decision: str
    label: str
    remedy: str
    approved_at: datetime | None


class ArchiveOut(Schema):
    cabinet: str
    box: str
    folder: str


class RecordOut(Schema):
    outcome: str
    outcome_label: str
    data: dict
    recorded_at: datetime
    recorded_by: UserRef | None


class OutputOut(Schema):
    kind: str = Field(description="Jenis surat (kind surat) atau jenis dokumen.")
    label: str
    letter: bool
    state: str = Field(description="missing, draft atau issued.")
    letter_id: UUID | None
    number: str


class OutcomeOut(Schema):
    """Hasil banding dengan kata-kata untuk pelanggan, setelah disampaikan."""

    sentence: str
    reasons: str
    remedy: str
    next: str
    letters: list[UUID]
    delivered_at: datetime | None


class AppealDetail(AppealSummary):
    contact_email: str
    contact_phone: str
    complaint_reference: str
    complaint_outcome_date: date
    reference_document: str
    grounds: str
    remedy_sought: str
    involved_persons: list[UserRef]
    involved_note: str
    no_involved_reason: str
    appealed_team: str | None  # the code of the team whose work is appealed
    team_exempt_reason: str  # why its members are not involved (Ketua Tim PJTK), if so
    relevant: bool | None
    relevance_reasons: str
    decision: DecisionOut | None
    delivered_at: datetime | None
    delivery_channel: str
    archive: ArchiveOut | None
    panel: list[PanelSeatOut]
    steps: list[StepOccurrence]
    remaining_steps: list[StepRef]
    notes: list[NoteOut]
    your_turn: bool
    current_record: RecordOut | None = Field(
        description="Hasil langkah berjalan yang sudah dicatat dan menunggu suratnya (pegawai)."
    )
    current_outputs: list[OutputOut] = Field(
        description="Output yang diperlukan langkah berjalan dan keadaannya (pegawai)."
    )
    outcome: OutcomeOut | None = Field(
        description="Hasil banding setelah disampaikan kepada pelanggan (langkah 4 atau 12)."
    )
    expected_completion: datetime | None = Field(
        description="Perkiraan selesai bila setiap langkah berikutnya memakai mutu baku waktunya."
    )
    working_minutes_so_far: int = Field(
        description="Waktu kerja sejak diterima sampai ditutup atau sampai sekarang (menit)."
    )


class EventOut(Schema):
    at: datetime
    action: str
    step: int | None
    summary: str
    actor: UserRef | None


class DocumentOut(Schema):
    id: UUID
    kind: str
    kind_label: str
    step: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: UserRef | None
    uploaded_at: datetime
    download_url: str


class RoleOut(Schema):
    code: str
    label: str


class MeOut(Schema):
    id: UUID
    username: str
    name: str
    email: str
    roles: list[RoleOut]
    organization: OrganizationRef | None
    technical_teams: list[TeamRef]


class TokenOut(Schema):
    id: UUID
    name: str
    hint: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(Schema):
    token: TokenOut
    raw: str


class InboxItem(AppealSummary):
    """A row of Tugas saya: the appeal, what it is about, and who took its open step."""

    complaint_reference: str
    grounds_summary: str = Field(description="Sekitar 100 huruf pertama alasan banding.")
    taken_by: UserRef | None = Field(
        description="Yang mengambil langkah yang sedang berjalan (Saya kerjakan), bila ada."
    )
    taken_at: datetime | None


class InboxPage(Schema):
    view: str
    counts: dict[str, int] = Field(description="Jumlah banding pada setiap saringan `view`.")
    count: int
    limit: int
    offset: int
    items: list[InboxItem]
