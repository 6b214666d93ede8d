"""Steps 1-2: staff PJTK register an appeal received by e-mail, courier or in person."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from banding.accounts.http import AuthedRequest
from banding.appeals import access, services
from banding.appeals.forms.base import INVALID_FORM
from banding.appeals.forms.intake import IntakeForm
from banding.appeals.views.common import refuse, staff_required
from banding.errors import ServiceError, said
from banding.sop import definition as sop
from banding.sop.definition import Actor


@staff_required
@require_http_methods(["GET", "POST"])
def intake(request: AuthedRequest) -> HttpResponse:
    if not access.may_register(request.user):
        return refuse(request, access.actor_refusal(Actor.STF, 2))
    posted = request.method == "POST"
    form = IntakeForm(request.POST if posted else None, request.FILES if posted else None)
    form.keep_files(request.user)
    error, status = "", 200
    duplicates: list = []
    if posted:
        if form.is_valid():
            try:
                appeal = services.appeal_register(user=request.user, **form.service_kwargs())
            except ServiceError as exc:
                form.apply_service_error(exc)
                error, status = exc.message, exc.status
                if isinstance(exc, services.DuplicateSuspected):
                    # Each linked where this user may open it (need to know).
                    duplicates = [
                        (
                            a,
                            reverse("appeals:detail", args=[a.public_id])
                            if access.can_view(request.user, a)
                            else "",
                        )
                        for a in exc.matches
                    ]
            else:
                form.files_saved()
                messages.success(
                    request,
                    _("Banding tercatat dengan nomor register %(number)s.")
                    % {"number": appeal.number},
                )
                return redirect("appeals:detail", public_id=appeal.public_id)
        else:
            error, status = INVALID_FORM, 400
        form.stage_files()  # the files chosen are listed, not asked for again
    context = {
        "form": form,
        "error": said(error),
        "steps": [sop.step(1), sop.step(2)],
        "duplicates": duplicates,
    }
    return render(request, "appeals/intake.html", context, status=status)
