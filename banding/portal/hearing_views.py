"""The customer's answers in the portal: to a panel invitation, and to the satisfaction
survey once the appeal is closed. Both are shown on the portal's appeal page through
hearing_context (includes portal/_invitations.html and portal/_survey.html); a refused
answer re-renders its include (htmx) or a small page with it, keeping what was typed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from banding.accounts.http import AuthedRequest, HtmxRequest
from banding.appeals import invitations
from banding.appeals.forms.base import INVALID_FORM
from banding.appeals.models import Appeal, PanelInvitation
from banding.errors import Invalid, NotFound, ServiceError, said
from banding.notifications.links import portal_path
from banding.portal.hearing_forms import AnswerForm
from banding.portal.pages import appeal_or_404, customer_page
from banding.survey import services as survey_services
from banding.survey.forms import SurveyForm
from banding.survey.models import SurveyResponse
from banding.survey.services import CLOSED

PAGE = "portal/hearing.html"


@dataclass
class InvitationBox:
    """One invitation on the portal page, with its answer form while it is open."""

    shown: invitations.Shown
    form: AnswerForm | None = None
    error: str = ""

    @property
    def invitation(self) -> PanelInvitation:
        return self.shown.invitation


@dataclass
class SurveyBox:
    closed: bool
    response: SurveyResponse | None = None
    form: SurveyForm | None = None
    error: str = ""


def invitation_boxes(
    appeal: Appeal, bound: tuple[Any, AnswerForm | None, str] | None = None
) -> list[InvitationBox]:
    boxes = []
    for shown in invitations.invitations_of(appeal):
        inv = shown.invitation
        if bound is not None and bound[0] == inv.public_id:
            boxes.append(InvitationBox(shown, bound[1] if shown.open else None, bound[2]))
        else:
            form = AnswerForm(invitation=inv) if shown.open else None
            boxes.append(InvitationBox(shown, form))
    return boxes


def survey_box(appeal: Appeal, form: SurveyForm | None = None, error: str = "") -> SurveyBox:
    if appeal.status not in CLOSED:
        return SurveyBox(closed=False, error=error)
    response = SurveyResponse.objects.filter(appeal=appeal).first()
    if response is not None:
        return SurveyBox(closed=True, response=response, error=error)
    return SurveyBox(closed=True, form=form or SurveyForm(auto_id="survei-%s"), error=error)


def hearing_context(appeal: Appeal) -> dict[str, Any]:
    """What portal/_invitations.html and portal/_survey.html show: merged into the appeal
    page's context by banding.portal.views.appeal."""
    return {
        "hearing_invitations": invitation_boxes(appeal),
        "hearing_survey": survey_box(appeal),
    }


def _done(request: HtmxRequest, appeal: Appeal, message: str) -> HttpResponse:
    messages.success(request, message)
    # No "#section": an HX-Redirect to the same page with only a fragment added would scroll
    # instead of loading the page (and its message).
    url = portal_path(appeal)
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _refused(
    request: HtmxRequest, appeal: Appeal, include: str, context: dict[str, Any], status: int
) -> HttpResponse:
    context = {"appeal": appeal, **context}
    if request.htmx:
        return render(request, include, context, status=status)
    return render(request, PAGE, {**context, "include": include}, status=status)


@customer_page
@require_POST
def invitation_answer(request: AuthedRequest, public_id: Any, inv_id: Any) -> HttpResponse:
    appeal = appeal_or_404(request, public_id)
    try:
        invitation = invitations.invitation_for(appeal, inv_id)
    except NotFound as error:
        raise Http404(error.message) from None
    form = AnswerForm(request.POST, request.FILES, invitation=invitation)
    form.keep_files(request.user)
    try:
        if not form.is_valid():
            raise Invalid(INVALID_FORM)
        invitations.invitation_answer(
            invitation=invitation,
            user=request.user,
            response=form.cleaned_data["response"],
            note=form.cleaned_data["note"],
            files=form.cleaned_data.get("files") or [],
        )
    except NotFound as error:
        raise Http404(error.message) from None
    except ServiceError as error:
        shown: AnswerForm | None = form
        if isinstance(error, Invalid):
            form.apply_service_error(error)
            form.stage_files()  # the files chosen are listed, not asked for again
        else:
            shown = None  # answered meanwhile, closed, expired: the form no longer applies
        appeal.refresh_from_db()
        boxes = invitation_boxes(appeal, (invitation.public_id, shown, said(error.message)))
        context = {"hearing_invitations": boxes}
        return _refused(request, appeal, "portal/_invitations.html", context, error.status)
    form.files_saved()
    return _done(request, appeal, gettext("Jawaban Anda atas undangan Tim Panel Banding terkirim."))


@customer_page
@require_POST
def survey_answer(request: AuthedRequest, public_id: Any) -> HttpResponse:
    appeal = appeal_or_404(request, public_id)
    form = SurveyForm(request.POST, auto_id="survei-%s")
    try:
        if not form.is_valid():
            raise Invalid(INVALID_FORM)
        survey_services.survey_answer(
            appeal=appeal,
            user=request.user,
            scores=form.scores(),
            comment=form.cleaned_data["comment"],
        )
    except NotFound as error:
        raise Http404(error.message) from None
    except ServiceError as error:
        if isinstance(error, Invalid):
            form.apply_service_error(error)
        appeal.refresh_from_db()
        context = {"hearing_survey": survey_box(appeal, form, said(error.message))}
        return _refused(request, appeal, "portal/_survey.html", context, error.status)
    return _done(request, appeal, gettext("Terima kasih; jawaban survei Anda tersimpan."))
