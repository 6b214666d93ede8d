"""Staff pages on customer accounts: confirming self-registrations, inviting contacts, and
each organisation's contacts. Open to staff PJTK, the PJTK lead and administrators."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from banding.accounts import onboarding, selectors
from banding.accounts.forms import ConfirmForm, InviteForm, RejectForm
from banding.accounts.http import AuthedRequest
from banding.accounts.models import CustomerOrganization
from banding.accounts.roles import has_role
from banding.appeals.views.common import refuse
from banding.errors import NotFound, ServiceError
from banding.paging import Paginator

View = Callable[..., HttpResponse]


def manager_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_role(request.user, *onboarding.MANAGERS):
            return refuse(request, onboarding.NOT_MANAGER)
        return view(request, *args, **kwargs)

    return wrapper


def _registrations_page(
    request: AuthedRequest,
    *,
    invite: InviteForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "waiting": list(selectors.registrations_waiting()),
        "unverified": selectors.registrations_unverified(),
        "decided": list(selectors.registrations_decided()[:10]),
        "organizations": selectors.organization_choices(),
        "invite": invite or InviteForm(),
        "error": error,
    }
    return render(request, "accounts/registrations.html", context, status=status)


def _invite(request: AuthedRequest, form: InviteForm) -> CustomerOrganization | ServiceError:
    """The invitation from a valid form: the organisation on success, else the refusal."""
    organization = form.cleaned_data["organization"]
    try:
        contact = onboarding.customer_invite(
            user=request.user,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            organization=organization,
        )
    except ServiceError as error:
        form.apply_service_error(error)
        return error
    messages.success(
        request,
        _("Undangan dikirim kepada %(display_name)s <%(email)s>.")
        % {"display_name": contact.display_name, "email": contact.email},
    )
    return organization


@manager_required
@require_http_methods(["GET", "POST"])
def registrations(request: AuthedRequest) -> HttpResponse:
    """GET: the registrations waiting and the invitation form; POST: invite a contact."""
    if request.method != "POST":
        return _registrations_page(request)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _registrations_page(request, invite=form, status=400)
    result = _invite(request, form)
    if isinstance(result, ServiceError):
        return _registrations_page(request, invite=form, error=result.message, status=400)
    return redirect("accounts:organization", public_id=result.public_id)


def _decided(request: AuthedRequest, call: Callable[[], Any], done: str) -> HttpResponse:
    try:
        call()
    except NotFound as error:
        raise Http404(error.message) from None
    except ServiceError as error:
        return _registrations_page(request, error=error.message, status=error.status)
    messages.success(request, done)
    return redirect("accounts:registrations")


@manager_required
@require_POST
def registration_confirm(request: AuthedRequest, public_id: Any) -> HttpResponse:
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        message = str(next(iter(form.errors.values()))[0])
        return _registrations_page(request, error=message, status=400)
    organization = form.cleaned_data["organization"]
    return _decided(
        request,
        lambda: onboarding.registration_confirm(
            user=request.user, registration=public_id, organization=organization
        ),
        _("Pendaftaran dikonfirmasi; pendaftar diberi tahu lewat surel."),
    )


@manager_required
@require_POST
def registration_reject(request: AuthedRequest, public_id: Any) -> HttpResponse:
    form = RejectForm(request.POST)
    if not form.is_valid():
        message = str(next(iter(form.errors.values()))[0])
        return _registrations_page(request, error=message, status=400)
    return _decided(
        request,
        lambda: onboarding.registration_reject(
            user=request.user, registration=public_id, reason=form.cleaned_data["reason"]
        ),
        _("Pendaftaran ditolak; pendaftar diberi tahu alasannya lewat surel."),
    )


@manager_required
@require_GET
def organizations(request: AuthedRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    paginator = Paginator(selectors.organizations(search), settings.BANDING_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "accounts/organizations.html", {"page": page, "q": search})


def _organization_or_404(public_id: Any) -> CustomerOrganization:
    organization = CustomerOrganization.objects.filter(public_id=public_id).first()
    if organization is None:
        raise Http404("Organisasi tidak ditemukan.")
    return organization


def _organization_page(
    request: AuthedRequest,
    organization: CustomerOrganization,
    *,
    invite: InviteForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "organization": organization,
        "contacts": list(selectors.contacts(organization)),
        "invite": invite or InviteForm(initial={"organization": organization.public_id}),
        "error": error,
    }
    return render(request, "accounts/organization.html", context, status=status)


@manager_required
@require_http_methods(["GET", "POST"])
def organization(request: AuthedRequest, public_id: Any) -> HttpResponse:
    """An organisation's contacts; POST invites one more."""
    org = _organization_or_404(public_id)
    if request.method != "POST":
        return _organization_page(request, org)
    # The organisation is the page's own, whatever the form says.
    form = InviteForm({**request.POST.dict(), "organization": str(org.public_id)})
    if not form.is_valid():
        return _organization_page(request, org, invite=form, status=400)
    result = _invite(request, form)
    if isinstance(result, ServiceError):
        return _organization_page(request, org, invite=form, error=result.message, status=400)
    return redirect("accounts:organization", public_id=org.public_id)


@manager_required
@require_POST
def invite_resend(request: AuthedRequest, public_id: Any, contact_id: Any) -> HttpResponse:
    org = _organization_or_404(public_id)
    if not org.contacts.filter(public_id=contact_id).exists():
        raise Http404("Narahubung tidak ditemukan.")
    try:
        contact = onboarding.customer_invite_resend(user=request.user, contact=contact_id)
    except NotFound as error:
        raise Http404(error.message) from None
    except ServiceError as error:
        return _organization_page(request, org, error=error.message, status=error.status)
    messages.success(
        request, _("Undangan dikirim ulang kepada %(email)s.") % {"email": contact.email}
    )
    return redirect("accounts:organization", public_id=org.public_id)
