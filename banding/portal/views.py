"""The customer's pages of the portal: its organisation's appeals, online submission, one
appeal's progress in the customer's words, the receipt, and its notifications.

Staff have their own workspace: a staff member opening a portal page is sent there. Someone
else's appeal is answered 404, never 403 (appeals.selectors.appeal_for)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from banding.accounts.http import AuthedRequest
from banding.accounts.roles import is_customer
from banding.appeals import progress, services
from banding.appeals.downloads import private_download
from banding.appeals.forms.base import INVALID_FORM
from banding.appeals.models import Appeal
from banding.archive.destroyed import destruction_shown
from banding.errors import ServiceError, said
from banding.letters.outcome import outcome_of
from banding.paging import Paginator
from banding.portal import receipt, selectors
from banding.portal.forms import SubmitForm, WithdrawForm
from banding.portal.hearing_views import hearing_context
from banding.portal.pages import appeal_or_404, customer_page
from banding.sop import definition as sop
from banding.sop.definition import Stage


def _waiting(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    """An account whose organisation the staff have not confirmed yet."""
    return render(
        request, "portal/waiting.html", {"message": services.NOT_CONFIRMED}, status=status
    )


@dataclass(frozen=True)
class Row:
    appeal: Appeal
    stage: Stage
    next_stage: Stage | None
    expected_at: datetime | None


@customer_page
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    if not is_customer(request.user):
        return _waiting(request)
    paginator = Paginator(selectors.appeals_of(request.user), settings.BANDING_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        Row(a, progress.stage_of(a), progress.next_stage(a), progress.next_milestone_expected_at(a))
        for a in page.object_list
    ]
    return render(request, "portal/home.html", {"page": page, "rows": rows})


@customer_page
@require_http_methods(["GET", "POST"])
def submit(request: AuthedRequest) -> HttpResponse:
    if not is_customer(request.user):
        return _waiting(request, status=403 if request.method == "POST" else 200)
    posted = request.method == "POST"
    form = SubmitForm(
        request.POST if posted else None, request.FILES if posted else None, user=request.user
    )
    form.keep_files(request.user)
    error, status = "", 200
    duplicates: list = []
    if posted:
        if form.is_valid():
            try:
                appeal = services.appeal_submit(user=request.user, **form.service_kwargs())
            except ServiceError as exc:
                form.apply_service_error(exc)
                error, status = said(exc.message), exc.status
                if isinstance(exc, services.DuplicateSuspected):
                    # The organisation's own appeals: the customer may open each.
                    duplicates = [
                        (a, reverse("portal:appeal", args=[a.public_id])) for a in exc.matches
                    ]
            else:
                form.files_saved()
                messages.success(
                    request,
                    gettext(
                        "Permohonan banding Anda diterima dengan nomor register %(number)s. "
                        "Tanda terima ini juga dikirim ke email Anda."
                    )
                    % {"number": appeal.number},
                )
                return redirect("portal:receipt", public_id=appeal.public_id)
        else:
            error, status = said(INVALID_FORM), 400
        form.stage_files()  # the files chosen are listed, not asked for again
    context = {"form": form, "error": error, "step": sop.step(1), "duplicates": duplicates}
    return render(request, "portal/submit.html", context, status=status)


@customer_page
@require_GET
def appeal(request: AuthedRequest, public_id: Any) -> HttpResponse:
    item = appeal_or_404(request, public_id)
    return render(request, "portal/appeal.html", _appeal_context(request, item))


@customer_page
@require_POST
def withdraw(request: AuthedRequest, public_id: Any) -> HttpResponse:
    """The customer withdraws its open appeal (portal/_withdraw.html)."""
    item = appeal_or_404(request, public_id)
    form = WithdrawForm(request.POST, prefix="cabut")
    if form.is_valid():
        try:
            services.appeal_withdraw(
                appeal=item, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ServiceError as exc:
            form.apply_service_error(exc)
            error, status = exc.message, exc.status
        else:
            messages.success(
                request,
                gettext("Banding %(number)s telah dicabut; penanganannya dihentikan.")
                % {"number": item.number},
            )
            return redirect("portal:appeal", public_id=item.public_id)
    else:
        error, status = gettext(INVALID_FORM), 400
    item = appeal_or_404(request, public_id)
    context = {**_appeal_context(request, item, withdraw_form=form), "error": error}
    return render(request, "portal/appeal.html", context, status=status)


def _appeal_context(
    request: AuthedRequest, item: Appeal, *, withdraw_form: WithdrawForm | None = None
) -> dict[str, Any]:
    page = selectors.appeal_page(item, request.user)
    context = {
        "appeal": item,
        "stage": progress.stage_of(item),
        "milestones": progress.milestones_of(item, page["steps"]),
        "outcome": outcome_of(item, page["letters"]),
        **page,
        # The panel's invitations and the satisfaction survey (portal/_invitations.html,
        # portal/_survey.html).
        **hearing_context(item),
        # Destroyed under the retention schedule (banding.archive): says so, with the BA.
        "destruction": destruction_shown(item),
        # The withdrawal (portal/_withdraw.html), while the appeal runs.
        "withdraw_form": (withdraw_form or WithdrawForm(prefix="cabut")) if item.is_open else None,
    }
    return context


@customer_page
@require_GET
def receipt_view(request: AuthedRequest, public_id: Any) -> HttpResponseBase:
    item = appeal_or_404(request, public_id)
    data = receipt.receipt_of(item)
    if request.GET.get("format") == "pdf":
        content = receipt.receipt_pdf(data)
        return private_download(
            io.BytesIO(content), filename=receipt.pdf_name(item), content_type="application/pdf"
        )
    return render(request, "portal/receipt.html", {"receipt": data, "appeal": item})
