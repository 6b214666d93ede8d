"""The "Retensi arsip" page (/arsip/retensi/) and its actions: transfer to the inactive
archive, appraisal, disposal proposal, the Kepala Balai's decision, and the two PDFs. Thin:
each action calls its service (banding.archive.services); a refusal re-renders the page with
the service's Indonesian message and status."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from banding.accounts.http import AuthedRequest
from banding.appeals.downloads import private_download
from banding.appeals.views.common import refuse, staff_required
from banding.archive import selectors, services
from banding.archive.access import NOT_READER, decides_disposal, keeps_archive, reads_retention
from banding.archive.models import Disposal, DisposalStatus, Transfer
from banding.archive.retention import schedule
from banding.errors import ServiceError
from banding.platform.inputs import checked_post


def _page(request: AuthedRequest, *, error: ServiceError | None = None) -> HttpResponse:
    context: dict[str, Any] = {
        "current": "retention",
        "page": selectors.retention_page(timezone.localdate()),
        "schedule": schedule(),
        "may_keep": keeps_archive(request.user),
        "may_decide": decides_disposal(request.user),
        "error": error,
    }
    return render(request, "archive/retention.html", context, status=error.status if error else 200)


def _readers(request: AuthedRequest) -> HttpResponse | None:
    return None if reads_retention(request.user) else refuse(request, NOT_READER)


@staff_required
@require_GET
def retention(request: AuthedRequest) -> HttpResponseBase:
    return _readers(request) or _page(request)


def _done(request: AuthedRequest, message: str) -> HttpResponseBase:
    messages.success(request, message)
    return redirect(reverse("archive:retention"))


@staff_required
@require_POST
@checked_post
def transfer(request: AuthedRequest) -> HttpResponseBase:
    if refused := _readers(request):
        return refused
    try:
        done = services.records_transfer(
            user=request.user,
            appeals=request.POST.getlist("appeals"),
            note=request.POST.get("note", ""),
        )
    except ServiceError as error:
        return _page(request, error=error)
    return _done(
        request,
        _("Berkas dipindahkan ke arsip inaktif: daftar %(number)s.") % {"number": done.number},
    )


@staff_required
@require_POST
@checked_post
def propose(request: AuthedRequest) -> HttpResponseBase:
    if refused := _readers(request):
        return refused
    try:
        services.disposal_propose(
            user=request.user,
            appeals=request.POST.getlist("appeals"),
            note=request.POST.get("note", ""),
        )
    except ServiceError as error:
        return _page(request, error=error)
    return _done(request, _("Usul musnah diajukan kepada Kepala Balai."))


@staff_required
@require_POST
@checked_post
def appraise(request: AuthedRequest, public_id: Any) -> HttpResponseBase:
    if refused := _readers(request):
        return refused
    try:
        rec = services.record_appraise(
            user=request.user,
            appeal=public_id,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        )
    except ServiceError as error:
        return _page(request, error=error)
    return _done(
        request,
        _("Penilaian kembali dicatat: %(appraisal)s.")
        % {"appraisal": rec.get_appraisal_display().lower()},
    )


@staff_required
@require_POST
@checked_post
def decide(request: AuthedRequest, public_id: Any) -> HttpResponseBase:
    if refused := _readers(request):
        return refused
    approve = request.POST.get("decision") == "approve"
    try:
        item = services.disposal_decide(
            user=request.user,
            disposal=public_id,
            approve=approve,
            reason=request.POST.get("reason", ""),
        )
    except ServiceError as error:
        return _page(request, error=error)
    if item.status == DisposalStatus.APPROVED:
        return _done(
            request,
            _("Usul musnah disetujui: berita acara %(number)s.") % {"number": item.ba_number},
        )
    return _done(request, _("Usul musnah ditolak; berkasnya tetap disimpan."))


def _pdf(name: str, filename: str) -> HttpResponseBase:
    if not name or not default_storage.exists(name):
        raise Http404("Berkas PDF tidak ditemukan.")
    return private_download(
        default_storage.open(name, "rb"), filename=filename, content_type="application/pdf"
    )


@staff_required
@require_GET
def transfer_pdf(request: AuthedRequest, public_id: Any) -> HttpResponseBase:
    if refused := _readers(request):
        return refused
    item = get_object_or_404(Transfer, public_id=public_id)
    return _pdf(item.pdf.name or "", f"daftar-usul-pindah-{item.number.replace('/', '-')}.pdf")


@staff_required
@require_GET
def minutes_pdf(request: AuthedRequest, public_id: Any) -> HttpResponseBase:
    if refused := _readers(request):
        return refused
    item = get_object_or_404(Disposal, public_id=public_id)
    name = f"berita-acara-pemusnahan-{item.ba_number.replace('/', '-')}.pdf"
    return _pdf(item.ba_pdf.name or "", name)
