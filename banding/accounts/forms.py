"""Staff forms for customer accounts: confirm or reject a registration, invite a contact."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from banding.accounts.models import CustomerOrganization
from banding.appeals.forms.base import BootstrapForm, textarea


class OrganizationChoice(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", CustomerOrganization.objects.order_by("name"))
        kwargs.setdefault("to_field_name", "public_id")
        super().__init__(**kwargs)


class ConfirmForm(BootstrapForm):
    organization = OrganizationChoice(
        label=_("Organisasi"),
        required=False,
        empty_label=_("Organisasi baru (sesuai nama yang diisi pendaftar)"),
        error_messages={"invalid_choice": _("Pilih organisasi dari daftar.")},
    )


class RejectForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Alasan penolakan"),
        max_length=1000,
        widget=textarea(2),
        help_text=_("Disampaikan kepada pendaftar lewat surel."),
    )


class InviteForm(BootstrapForm):
    name = forms.CharField(label=_("Nama narahubung"), max_length=150)
    email = forms.EmailField(
        label=_("Alamat surel"),
        max_length=254,
        error_messages={"invalid": _("Masukkan alamat surel yang benar.")},
    )
    organization = OrganizationChoice(
        label=_("Organisasi"),
        empty_label=_("— pilih organisasi —"),
        error_messages={"invalid_choice": _("Pilih organisasi dari daftar.")},
    )
