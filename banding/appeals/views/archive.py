"""The evidence pack download (the "Unduh paket bukti" button on the appeal page)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpResponse
from django.views.decorators.http import require_GET

from banding.accounts.http import AuthedRequest
from banding.appeals.downloads import private_download
from banding.appeals.views.common import appeal_or_404, refuse, staff_required
from banding.archive.export import REFUSED, export_case, may_export, pack_name


@staff_required
@require_GET
def evidence_pack(request: AuthedRequest, public_id: Any) -> HttpResponse | FileResponse:
    if not may_export(request.user):
        return refuse(request, REFUSED)
    appeal = appeal_or_404(request, public_id)
    return private_download(
        export_case(appeal, user=request.user),
        filename=pack_name(appeal),
        content_type="application/zip",
    )
