"""The audit log as a list (auditors and administrators): the staff page's filters, by the
same names, paged like every API list."""

from typing import Any

from django.utils.translation import gettext_noop as N_
from ninja import Field, Query, Router, Schema

from banding.api.auth import ApiRequest
from banding.api.paging import PageQuery, page_of
from banding.api.payloads import Day
from banding.api.routers.appeals import ERRORS
from banding.audit import export, selectors
from banding.audit.access import require_reader
from banding.audit.forms import AuditLogForm
from banding.errors import Invalid

router = Router(tags=["log audit"])


class AuditEventOut(Schema):
    id: int
    time_wib: str
    time_utc: str
    actor: str | None
    action: str
    appeal: str | None
    step: int | None
    summary: str
    public: bool
    data: Any
    hash: str
    prev_hash: str
    key_id: str | None = Field(
        description="Kunci HMAC yang menyegel peristiwa ini (kosong: peristiwa sebelum kunci, "
        "disegel SHA-256 saja).",
    )


class AuditEventPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AuditEventOut]


class AuditLogQuery(Schema):
    jenis: str | None = Field(
        None, description="tahun, semester, triwulan, bulan atau rentang (bawaan: bulan ini)."
    )
    tahun: int | None = None
    semester: int | None = None
    triwulan: int | None = None
    bulan: int | None = None
    dari: Day | None = Field(None, description="Awal rentang (WIB), dengan jenis=rentang.")
    sampai: Day | None = Field(None, description="Akhir rentang (WIB), termasuk.")
    banding: str | None = Field(None, description="Nomor register; '-' tanpa banding.")
    pelaku: str | None = Field(None, description="Username pelaku.")
    tindakan: str | None = Field(None, description="Nama tindakan, atau objeknya (account).")


@router.get(
    "/audit-events",
    response={200: AuditEventPage, **ERRORS},
    url_name="audit_events",
    summary="Log audit",
)
def audit_events(
    request: ApiRequest, filters: Query[AuditLogQuery], paging: Query[PageQuery]
) -> dict:
    """Every event of the period (bawaan: bulan berjalan) in the log's order, with its hash."""
    require_reader(request.auth)
    query = {k: str(v) for k, v in filters.dict().items() if v is not None}
    form = AuditLogForm.from_query(query)
    log_filters = form.filters()
    if log_filters is None:
        fields = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
        raise Invalid(N_("Saringan log audit tidak valid."), code="filters", fields=fields)
    return page_of(selectors.events(log_filters), paging, export.row)
