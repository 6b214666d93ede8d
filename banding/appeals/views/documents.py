"""Document download: the only way an uploaded file leaves the server, after the same
visibility check as the appeal (staff: need to know, appeals.access; customers: their
organisation's customer-visible files)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBase
from django.views.decorators.http import require_GET

from banding.accounts.http import AuthedRequest
from banding.appeals.downloads import private_download
from banding.appeals.views.common import appeal_or_404
from banding.archive.gone_views import gone_page
from banding.errors import NotFound
from banding.letters import visibility


@login_required
@require_GET
def download(request: AuthedRequest, public_id: Any, doc_id: Any) -> HttpResponseBase:
    appeal = appeal_or_404(request, public_id)
    try:
        document = visibility.document_for(request.user, appeal, doc_id)
    except NotFound as error:
        raise Http404(error.message) from None
    if gone := gone_page(request, appeal):
        return gone
    return private_download(
        document.file.open("rb"),
        filename=document.original_name,
        content_type=document.content_type,
    )
