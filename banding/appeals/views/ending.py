"""The staff end an appeal early (appeals/includes/ending.html): a withdrawal received by
letter, or the closure as a duplicate of another appeal (banding.appeals.services.ending)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from banding.accounts.http import AuthedRequest
from banding.appeals import services
from banding.appeals.forms.base import INVALID_FORM, BootstrapForm
from banding.appeals.forms.ending import DuplicateForm, WithdrawalForm
from banding.appeals.models import Appeal
from banding.appeals.views.common import appeal_or_404, refuse, staff_required
from banding.appeals.views.detail import TEMPLATE, detail_context
from banding.errors import ServiceError

WITHDRAW_PREFIX = "cabut"
DUPLICATE_PREFIX = "duplikat"


@staff_required
@require_POST
def withdraw(request: AuthedRequest, public_id: Any) -> HttpResponse:
    """A withdrawal the customer sent by letter, recorded."""
    appeal = appeal_or_404(request, public_id)
    if not services.may_end(request.user):
        return refuse(request, services.ending.NOT_ENDING_ROLE)
    form = WithdrawalForm(request.POST, request.FILES, prefix=WITHDRAW_PREFIX)
    if not form.is_valid():
        return _again(request, appeal, form, INVALID_FORM, 400)
    try:
        services.withdrawal_record(appeal=appeal, user=request.user, **form.cleaned_data)
    except ServiceError as exc:
        form.apply_service_error(exc)
        return _again(request, appeal, form, exc.message, exc.status)
    messages.success(
        request,
        _("Pencabutan banding %(number)s dicatat; prosesnya dihentikan.")
        % {"number": appeal.number},
    )
    return redirect("appeals:detail", public_id=appeal.public_id)


@staff_required
@require_POST
def close_duplicate(request: AuthedRequest, public_id: Any) -> HttpResponse:
    """The appeal closed as a duplicate of another of the same organisation."""
    appeal = appeal_or_404(request, public_id)
    if not services.may_end(request.user):
        return refuse(request, services.ending.NOT_ENDING_ROLE)
    form = DuplicateForm(request.POST, prefix=DUPLICATE_PREFIX)
    if not form.is_valid():
        return _again(request, appeal, form, INVALID_FORM, 400)
    try:
        services.appeal_close_duplicate(
            appeal=appeal,
            user=request.user,
            original=services.original_named(form.cleaned_data["original"]),
            reason=form.cleaned_data["reason"],
        )
    except ServiceError as exc:
        form.apply_service_error(exc)
        return _again(request, appeal, form, exc.message, exc.status)
    messages.success(
        request, _("Banding %(number)s ditutup sebagai duplikat.") % {"number": appeal.number}
    )
    return redirect("appeals:detail", public_id=appeal.public_id)


def _again(
    request: AuthedRequest, appeal: Appeal, form: BootstrapForm, error: str, status: int
) -> HttpResponse:
    """The appeal page again, with the refusal and the form as sent."""
    appeal = appeal_or_404(request, appeal.public_id, for_page=True)
    context = {**detail_context(request, appeal, error=error), "ending_bound": form}
    return render(request, TEMPLATE, context, status=status)
