"""The letter pages of the appeal page: the draft form, preview, issue, correction and
download (the public verification page is banding.letters.verification_views)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from banding.accounts.http import AuthedRequest
from banding.accounts.roles import Role, has_role
from banding.appeals.downloads import private_download
from banding.appeals.models import Appeal
from banding.appeals.views.common import appeal_or_404, refuse, staff_required
from banding.appeals.views.links import RowLink, with_links
from banding.archive.gone_views import gone_page
from banding.errors import NotFound, ServiceError
from banding.letters import selectors, services
from banding.letters.forms import CorrectionForm, IssueForm, PartsForm, WithdrawForm
from banding.letters.kinds import spec
from banding.letters.models import Letter, LetterStatus
from banding.letters.render import defaults, verification_url
from banding.letters.signing import certificates
from banding.paging import Paginator

# --- the appeal's letters (staff; the download also customers) ----------------------------


def _letter(request: AuthedRequest, public_id: Any, letter_id: Any) -> tuple[Appeal, Letter]:
    appeal = appeal_or_404(request, public_id)
    try:
        return appeal, selectors.letter_for(request.user, appeal, letter_id)
    except NotFound as error:
        raise Http404(error.message) from None


def _posted(request: AuthedRequest, cleaned: dict[str, Any]) -> dict[str, Any]:
    """The parts the request sent: a part left out is kept, not blanked."""
    return {k: v for k, v in cleaned.items() if k in request.POST}


def _here(letter: Letter) -> str:
    return reverse("letters:letter", args=[letter.appeal.public_id, letter.public_id])


@staff_required
@require_GET
def to_sign(request: AuthedRequest) -> HttpResponse:
    """Every draft waiting for the user's signature, the oldest first, paged (Tugas saya shows
    the first few)."""
    paginator = Paginator(selectors.to_sign(request.user), settings.BANDING_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = with_links(
        list(page.object_list),
        key=lambda letter: (letter.appeal.public_id, letter.public_id),
        url=RowLink("letters:letter", arity=2),
    )
    return render(request, "letters/to_sign.html", {"page": page})


@staff_required
@require_POST
def draft(request: AuthedRequest, public_id: Any, kind: str) -> HttpResponse:
    appeal = appeal_or_404(request, public_id)
    try:
        letter = services.letter_draft(appeal=appeal, user=request.user, kind=kind)
    except ServiceError as error:
        return refuse(request, error.message, status=error.status)
    messages.success(
        request, _("Draf %(kind)s dibuat; periksa isinya.") % {"kind": letter.get_kind_display()}
    )
    return redirect(_here(letter))


def _page(request: AuthedRequest, letter: Letter, **forms_: Any) -> dict[str, Any]:
    kind = spec(letter.kind)
    user = request.user
    appeal = letter.appeal
    editable = letter.is_draft and (
        services.may_draft(user, appeal, kind) or services.may_sign(user, appeal, kind)
    )
    corrector = (
        has_role(user, Role.HEAD)
        if not appeal.is_open
        else services.may_draft(user, appeal, kind) or services.may_sign(user, appeal, kind)
    )
    correctable = (
        letter.status == LetterStatus.ISSUED
        and corrector
        and not Letter.objects.filter(supersedes=letter).exists()
    )
    withdrawable = (
        letter.status == LetterStatus.ISSUED
        and appeal.is_open
        and letter.occurrence is not None
        and letter.occurrence.completed_at is None
        and (services.may_sign(user, appeal, kind) or has_role(user, Role.HEAD))
    )
    initial = {**defaults(appeal, letter.kind), **letter.fields}
    may_sign = letter.is_draft and services.may_sign(user, appeal, kind)
    return {
        "appeal": appeal,
        "letter": letter,
        "spec": kind,
        "parts": [(p, initial.get(p.name, "")) for p in kind.parts],
        "form": forms_.get("form") or (PartsForm(initial=initial, kind=kind) if editable else None),
        "correction": forms_.get("correction")
        or (CorrectionForm(initial=initial, kind=kind) if correctable else None),
        "closed_amendment": correctable and not appeal.is_open,
        "issue_form": forms_.get("issue_form") or (IssueForm() if may_sign else None),
        "withdraw_form": forms_.get("withdraw_form") or (WithdrawForm() if withdrawable else None),
        "may_sign": may_sign,
        # Said before the signer tries: a certificate that cannot sign, or expires soon.
        "certificate": certificates.describe(user.username, at=timezone.now())
        if may_sign
        else None,
        "may_discard": letter.is_draft and services.may_draft(user, appeal, kind),
        "signer_rule": kind.signer.describe(),
        "verification_url": verification_url(letter.verification_code)
        if letter.verification_code
        else "",
        "error": forms_.get("error", ""),
    }


@staff_required
@require_http_methods(["GET", "POST"])
def letter(request: AuthedRequest, public_id: Any, letter_id: Any) -> HttpResponse:
    """The letter: its parts (a form while it is a draft), preview, issue, correction."""
    _appeal, item = _letter(request, public_id, letter_id)
    if request.method == "POST":
        form = PartsForm(request.POST, kind=spec(item.kind))
        if form.is_valid():
            try:
                services.letter_update(
                    letter=item, user=request.user, fields=_posted(request, form.cleaned_data)
                )
            except ServiceError as error:
                return refuse(request, error.message, status=error.status)
            messages.success(request, _("Draf disimpan."))
            return redirect(_here(item))
        return render(request, "letters/letter.html", _page(request, item, form=form), status=400)
    return render(request, "letters/letter.html", _page(request, item))


@staff_required
@require_GET
def preview(request: AuthedRequest, public_id: Any, letter_id: Any) -> HttpResponse:
    _appeal, item = _letter(request, public_id, letter_id)
    try:
        content = services.letter_preview(letter=item)
    except ServiceError as error:
        return refuse(request, error.message, status=error.status)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="draf-{item.kind}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_POST
def issue(request: AuthedRequest, public_id: Any, letter_id: Any) -> HttpResponse:
    _appeal, item = _letter(request, public_id, letter_id)
    form = IssueForm(request.POST)
    if not form.is_valid():
        page = _page(request, item, issue_form=form, error=_("Masukkan kata sandi Anda."))
        return render(request, "letters/letter.html", page, status=400)
    try:
        item = services.letter_issue(
            letter=item, user=request.user, password=form.cleaned_data["password"]
        )
    except ServiceError as error:
        if "password" in error.fields:
            form.add_error("password", error.fields["password"])
            page = _page(request, item, issue_form=form, error=error.message)
            return render(request, "letters/letter.html", page, status=error.status)
        return refuse(request, error.message, status=error.status)
    messages.success(
        request,
        _("Surat %(number)s terbit dan ditandatangani secara elektronik.")
        % {"number": item.number},
    )
    return redirect(_here(item))


@staff_required
@require_POST
def withdraw(request: AuthedRequest, public_id: Any, letter_id: Any) -> HttpResponse:
    _appeal, item = _letter(request, public_id, letter_id)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        page = _page(request, item, withdraw_form=form)
        return render(request, "letters/letter.html", page, status=400)
    try:
        services.letter_withdraw(letter=item, user=request.user, reason=form.cleaned_data["reason"])
    except ServiceError as error:
        return refuse(request, error.message, status=error.status)
    messages.success(request, _("Surat %(number)s dicabut.") % {"number": item.number})
    return redirect(_here(item))


@staff_required
@require_POST
def correct(request: AuthedRequest, public_id: Any, letter_id: Any) -> HttpResponse:
    _appeal, item = _letter(request, public_id, letter_id)
    form = CorrectionForm(request.POST, kind=spec(item.kind))
    if not form.is_valid():
        page = _page(request, item, correction=form)
        return render(request, "letters/letter.html", page, status=400)
    fields = {k: v for k, v in _posted(request, form.cleaned_data).items() if k != "reason"}
    try:
        new = services.letter_supersede(
            letter=item, user=request.user, reason=form.cleaned_data["reason"], fields=fields
        )
    except ServiceError as error:
        return refuse(request, error.message, status=error.status)
    messages.success(
        request, _("Draf koreksi (versi %(version)s) dibuat.") % {"version": new.version}
    )
    return redirect(_here(new))


@staff_required
@require_POST
def discard(request: AuthedRequest, public_id: Any, letter_id: Any) -> HttpResponse:
    appeal, item = _letter(request, public_id, letter_id)
    try:
        services.letter_discard(letter=item, user=request.user)
    except ServiceError as error:
        return refuse(request, error.message, status=error.status)
    messages.success(request, _("Draf dihapus."))
    return redirect(reverse("appeals:detail", args=[appeal.public_id]))


@login_required
@require_GET
def download(request: AuthedRequest, public_id: Any, letter_id: Any) -> HttpResponseBase:
    """The stored PDF of an issued letter: staff, or the customer for letters addressed to
    them (selectors.letters_of)."""
    appeal, item = _letter(request, public_id, letter_id)
    if not item.pdf:
        raise Http404("Surat ini masih draf; belum ada berkas terbit.")
    if gone := gone_page(request, appeal):
        return gone
    return private_download(
        item.pdf.open("rb"), filename=item.download_name, content_type="application/pdf"
    )
