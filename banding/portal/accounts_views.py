"""The portal's account pages, open without logging in: registration, e-mail verification,
the invitation's first password, and password reset (for staff too). Thin: the rules are
in banding.accounts.onboarding and banding.accounts.passwords."""

from __future__ import annotations

from typing import Any, Literal

from django.conf import settings
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods

from banding.accounts import onboarding, passwords
from banding.accounts.landing import home_url
from banding.accounts.throttle import allow
from banding.accounts.tokens import link_valid_days
from banding.errors import ServiceError
from banding.portal.forms_accounts import NewPasswordForm, RegisterForm, ResetRequestForm

REGISTERED_EMAIL = "banding_registered_email"  # shown on the "check your mail" page


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/akun/batas.html", status=429)


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(home_url(request.user))
    if request.method != "POST":
        return render(request, "portal/akun/daftar.html", {"form": RegisterForm()})
    if not allow(request, "register", limit=settings.BANDING_REGISTRATIONS_PER_HOUR):
        return _too_many(request)
    form = RegisterForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            registration = onboarding.customer_register(
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                organization_name=data["organization_name"],
                password=data["password"],
            )
        except ServiceError as error:
            form.apply_service_error(error)
        else:
            request.session[REGISTERED_EMAIL] = registration.user.email
            return redirect("portal:register_done")
    return render(request, "portal/akun/daftar.html", {"form": form}, status=400)


@require_GET
def register_done(request: HttpRequest) -> HttpResponse:
    email = request.session.get(REGISTERED_EMAIL, "")
    return render(
        request,
        "portal/akun/daftar_terkirim.html",
        {"email": email, "link_days": link_valid_days()},
    )


@require_http_methods(["GET", "POST"])
def verify_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """GET shows a button and leaves the link unused (mail scanners open links); POST
    verifies."""
    if request.method != "POST":
        registration = onboarding.verification_for(uidb64, token)
        context: dict[str, Any] = {"registration": registration, "valid": bool(registration)}
        response = render(
            request, "portal/akun/verifikasi.html", context, status=200 if registration else 400
        )
    else:
        try:
            registration = onboarding.customer_verify_email(uidb64=uidb64, token=token)
        except ServiceError:
            context = {"registration": None, "valid": False}
            response = render(request, "portal/akun/verifikasi.html", context, status=400)
        else:
            context = {"registration": registration, "verified": True}
            response = render(request, "portal/akun/verifikasi.html", context)
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Always the same answer, known address or not."""
    if request.method != "POST":
        return render(request, "portal/akun/sandi.html", {"form": ResetRequestForm()})
    if not allow(request, "password_reset", limit=settings.BANDING_RESETS_PER_HOUR):
        return _too_many(request)
    form = ResetRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/akun/sandi.html", {"form": form}, status=400)
    passwords.password_reset_request(email=form.cleaned_data["email"])
    return redirect("portal:password_reset_done")


@require_GET
def password_reset_done(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/akun/sandi_terkirim.html", {"link_days": link_valid_days()})


class NewPasswordView(PasswordResetConfirmView):
    """Django's link handling (the token is moved into the session so it never shows in a
    Referer), with the password set by the service that writes the audit event."""

    # The view needs of its form only what NewPasswordForm takes (the account, then the
    # data); the stubs ask for a SetPasswordForm, whose fields this form does not use.
    form_class = NewPasswordForm  # type: ignore[assignment]
    template_name = "portal/akun/sandi_baru.html"
    via: Literal["invite", "reset"] = "reset"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "via": self.via}

    # The form is a NewPasswordForm, not the SetPasswordForm of the stubs (see form_class).
    def form_valid(self, form: NewPasswordForm) -> HttpResponse:  # type: ignore[override]
        # dispatch() shows the form only for a valid link, which names its account.
        assert self.user is not None, "a valid link names its account"
        try:
            passwords.account_password_set(
                user=self.user, password=form.cleaned_data["password"], via=self.via
            )
        except ServiceError as error:
            form.apply_service_error(error)
            return self.form_invalid(form)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())

    # As form_valid: a NewPasswordForm.
    def form_invalid(self, form: NewPasswordForm) -> HttpResponse:  # type: ignore[override]
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        if not context.get("validlink"):
            response.status_code = 400
        return response


password_reset_confirm = NewPasswordView.as_view(
    via="reset", success_url=reverse_lazy("portal:password_reset_complete")
)
password_set = NewPasswordView.as_view(
    via="invite", success_url=reverse_lazy("portal:password_set_done")
)


@require_GET
def password_reset_complete(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/akun/sandi_selesai.html", {"via": "reset"})


@require_GET
def password_set_done(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/akun/sandi_selesai.html", {"via": "invite"})
