"""The portal's account forms: registration, reset request and a new password. They only
read input; the rules (address unique, password strength) are the services' and come back
as ServiceError fields (BootstrapForm.apply_service_error)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from banding.appeals.forms.base import BootstrapForm

MISMATCH = _("Kedua kata sandi tidak sama.")
# Django's password rules, said in the language of the page showing them.
PASSWORD_HELP = lazy(password_validators_help_text_html, str)()


def _password(label: Any, *, help_text: Any = "") -> forms.CharField:
    # label and help_text: text or a lazily translated text
    return forms.CharField(
        label=label,
        strip=False,
        max_length=128,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class RegisterForm(BootstrapForm):
    name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Alamat surel"),
        max_length=254,
        help_text=_("Dipakai untuk masuk dan untuk menerima kabar banding."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none"}),
        error_messages={"invalid": _("Masukkan alamat surel yang benar.")},
    )
    phone = forms.CharField(
        label=_("Telepon"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    organization_name = forms.CharField(
        label=_("Nama organisasi"),
        max_length=200,
        help_text=_(
            "Perusahaan atau instansi yang Anda wakili, mis. PT Sinar Kimia Nusantara. "
            "Staf Balai mengonfirmasi keterkaitan Anda dengan organisasi ini."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    password = _password(_("Kata sandi"), help_text=PASSWORD_HELP)
    password_confirm = _password(_("Ulangi kata sandi"))

    def clean(self) -> dict[str, Any]:
        super().clean()  # Form.clean: the cleaned_data, typed optional by the stubs
        data = self.cleaned_data
        if data.get("password") and data.get("password_confirm") != data["password"]:
            self.add_error("password_confirm", MISMATCH)
        return data


class ResetRequestForm(BootstrapForm):
    email = forms.EmailField(
        label=_("Alamat surel akun Anda"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none"}),
        error_messages={"invalid": _("Masukkan alamat surel yang benar.")},
    )


class NewPasswordForm(BootstrapForm):
    """Django's PasswordResetConfirmView hands its form the account (`user`); the password
    is checked against it by the service."""

    password = _password(_("Kata sandi baru"), help_text=PASSWORD_HELP)
    password_confirm = _password(_("Ulangi kata sandi baru"))

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        super().clean()  # Form.clean: the cleaned_data, typed optional by the stubs
        data = self.cleaned_data
        if data.get("password") and data.get("password_confirm") != data["password"]:
            self.add_error("password_confirm", MISMATCH)
        return data
