"""POST /banding/<uuid>/aksi/<slug>/: every action on an appeal, through the registry.

A refusal re-renders the page (or, for htmx, the current-step panel) with the service's
message and its status: 400 for invalid data, 403 for the wrong person, 409 for the wrong
state. The services guarantee a refused action changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from banding.accounts.http import AuthedRequest
from banding.appeals import access
from banding.appeals.forms.base import INVALID_FORM
from banding.appeals.models import Appeal
from banding.appeals.views import actions
from banding.appeals.views.common import appeal_or_404, staff_required
from banding.appeals.views.detail import TEMPLATE, Shown, detail_context
from banding.errors import Invalid, ServiceError


def _refused(
    request: AuthedRequest, appeal: Appeal, shown: Shown | None, message: str, status: int
) -> HttpResponse:
    template = f"{TEMPLATE}#step_panel" if request.htmx else TEMPLATE
    context = detail_context(request, appeal, bound=shown, error=message)
    return render(request, template, context, status=status)


@staff_required
@require_POST
def act(request: AuthedRequest, public_id: Any, slug: str) -> HttpResponse:
    action = actions.ACTIONS.get(slug)
    if action is None:
        raise Http404("Aksi tidak dikenal.")
    appeal = appeal_or_404(request, public_id)
    form = action.form(
        request.POST, request.FILES, appeal=appeal, user=request.user, auto_id=f"{slug}-%s"
    )
    form.keep_files(request.user)
    shown: Shown | None = Shown(action, form)
    try:
        # Who and when first, so the wrong person or state hears that rather than about
        # the fields; the service checks both again under the row lock.
        if action.step is not None:
            access.require_turn(request.user, appeal, action.step)
        if not form.is_valid():
            form.stage_files()  # the files chosen are listed, not asked for again
            return _refused(request, appeal, shown, INVALID_FORM, 400)
        action.call(appeal, request.user, form.cleaned_data)
    except ServiceError as error:
        if isinstance(error, Invalid):
            form.apply_service_error(error)
            form.stage_files()
        else:
            shown = None  # the form does not apply to this user or state: show fresh ones
        appeal.refresh_from_db()
        return _refused(request, appeal, shown, error.message, error.status)
    form.files_saved()
    messages.success(request, action.done % {"number": appeal.number})
    url = reverse("appeals:detail", args=[appeal.public_id])
    if action is actions.DECLARE and form.cleaned_data["answer"]:
        # A declared conflict vacated the user's seat, and with it their part in the appeal.
        url = reverse("appeals:inbox")
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
