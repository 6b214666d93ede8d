"""The corrective actions' pages: the list (filters by status, owner, overdue), one action
with the owner's and the Ketua Tim PJTK's forms, the card of an appeal (loaded by the appeal
page with htmx) with the form to add one, and the owner's open actions for Tugas saya."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from banding.accounts.http import AuthedRequest
from banding.appeals.views.common import appeal_or_404, staff_required
from banding.corrective import rules, selectors, services
from banding.corrective.forms import AddForm, CheckForm, CompleteForm, FilterForm
from banding.corrective.models import CorrectiveAction
from banding.errors import NotFound, ServiceError
from banding.paging import Paginator

CARD = "corrective/appeal.html"
ACTION = "corrective/action.html"
MINE_SHOWN = 20


def _action_or_404(request: AuthedRequest, public_id: Any) -> CorrectiveAction:
    try:
        return selectors.action_for(request.user, public_id)
    except NotFound as error:
        raise Http404(error.message) from None


@staff_required
@require_GET
def action_list(request: AuthedRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    status, owner = "", None
    if form.is_valid():
        status, owner = form.cleaned_data["status"], form.cleaned_data["owner"]
    rows = selectors.listed(request.user, status=status, owner=owner)
    page = Paginator(rows, settings.BANDING_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "now": timezone.now(),
        "oversees": rules.oversees(request.user),
    }
    return render(request, "corrective/list.html", context)


def _action_context(
    request: AuthedRequest, action: CorrectiveAction, **forms: Any
) -> dict[str, Any]:
    user = request.user
    may_complete = action.owner_id == user.pk and action.status == "terbuka"
    may_check = rules.is_lead(user) and action.status == "selesai"
    return {
        "action": action,
        "now": timezone.now(),
        "complete_form": forms.get("complete") or (CompleteForm() if may_complete else None),
        "check_form": forms.get("check") or (CheckForm() if may_check else None),
        "error": forms.get("error", ""),
    }


def _submit(form: Any, act: Callable[[dict[str, Any]], object]) -> tuple[int, str] | None:
    """Run `act` with a valid form's data: None once done, else the refusal's status and
    message (a service's refusal also marks the form's fields)."""
    if not form.is_valid():
        return 400, _("Periksa isian formulir.")
    try:
        act(form.cleaned_data)
    except ServiceError as error:
        form.apply_service_error(error)
        return error.status, error.message
    return None


@staff_required
@require_GET
def action_page(request: AuthedRequest, public_id: Any) -> HttpResponse:
    action = _action_or_404(request, public_id)
    return render(request, ACTION, _action_context(request, action))


@staff_required
@require_POST
def action_complete(request: AuthedRequest, public_id: Any) -> HttpResponse:
    action = _action_or_404(request, public_id)
    form = CompleteForm(request.POST)
    refusal = _submit(
        form,
        lambda data: services.corrective_complete(
            action=action, user=request.user, note=data["note"]
        ),
    )
    if refusal is None:
        return redirect("corrective:action", action.public_id)
    status, message = refusal
    context = _action_context(request, action, complete=form, error=message)
    return render(request, ACTION, context, status=status)


@staff_required
@require_POST
def action_check(request: AuthedRequest, public_id: Any) -> HttpResponse:
    action = _action_or_404(request, public_id)
    form = CheckForm(request.POST)

    def check(data: dict[str, Any]) -> None:
        follow = form.follow_up()
        services.corrective_check(
            action=action,
            user=request.user,
            effective=data["effective"],
            note=data["note"],
            follow_up=services.FollowUp(**follow) if follow else None,
        )

    refusal = _submit(form, check)
    if refusal is None:
        return redirect("corrective:action", action.public_id)
    status, message = refusal
    context = _action_context(request, action, check=form, error=message)
    return render(request, ACTION, context, status=status)


def _card_context(request: AuthedRequest, appeal: Any, **extra: Any) -> dict[str, Any]:
    may_add = rules.may_add(request.user, appeal)
    return {
        "appeal": appeal,
        "actions": selectors.of_appeal(appeal),
        "now": timezone.now(),
        "add_form": extra.get("form") or (AddForm(auto_id="tp-%s") if may_add else None),
        "decided": rules.decided(appeal),
        "error": extra.get("error", ""),
    }


@staff_required
@require_GET
def appeal_card(request: AuthedRequest, public_id: Any) -> HttpResponse:
    appeal = appeal_or_404(request, public_id)
    # htmx swaps the card in place; a history restore or a plain link wants the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    context = _card_context(request, appeal)
    return render(request, f"{CARD}#card" if partial else CARD, context)


@staff_required
@require_POST
def appeal_add(request: AuthedRequest, public_id: Any) -> HttpResponse:
    appeal = appeal_or_404(request, public_id)
    form = AddForm(request.POST, auto_id="tp-%s")
    refusal = _submit(
        form,
        lambda data: services.corrective_add(
            appeal=appeal,
            user=request.user,
            description=data["description"],
            owner=form.owner_id(),
            due=form.due(),
        ),
    )
    if refusal is None:
        return redirect(reverse("appeals:detail", args=[appeal.public_id]) + "#tindakan-perbaikan")
    status, message = refusal
    context = _card_context(request, appeal, form=form, error=message)
    return render(request, CARD, context, status=status)


@staff_required
@require_GET
def mine(request: AuthedRequest) -> HttpResponse:
    """The user's open actions, for Tugas saya (loaded after the page with htmx)."""
    rows = list(selectors.open_of(request.user)[: MINE_SHOWN + 1])
    context = {"mine": rows[:MINE_SHOWN], "more": len(rows) > MINE_SHOWN, "now": timezone.now()}
    return render(request, "corrective/mine.html", context)
