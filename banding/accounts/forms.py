"""Staff forms for customer accounts: confirm or reject a registration, invite a contact."""

from __future__ import annotations

from typing import Any

from django import forms

from banding.accounts.models import CustomerOrganization
from banding.appeals.forms.base import BootstrapForm, textarea


class OrganizationChoice(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", CustomerOrganization.objects.order_by("name"))
        kwargs.setdefault("to_field_name", "public_id")
        super().__init__(**kwargs)


class ConfirmForm(BootstrapForm):
    organization = OrganizationChoice(
        label="Organisasi",
        required=False,
        empty_label="Organisasi baru (sesuai nama yang diisi pendaftar)",
        error_messages={"invalid_choice": "Pilih organisasi dari daftar."},
    )


class RejectForm(BootstrapForm):
    reason = forms.CharField(
        label="Alasan penolakan",
        max_length=1000,
        widget=textarea(2),
        help_text="Disampaikan kepada pendaftar lewat surel.",
    )


class InviteForm(BootstrapForm):
    name = forms.CharField(label="Nama narahubung", max_length=150)
    email = forms.EmailField(
        label="Alamat surel",
        max_length=254,
        error_messages={"invalid": "Masukkan alamat surel yang benar."},
    )
    organization = OrganizationChoice(
        label="Organisasi",
        empty_label="— pilih organisasi —",
        error_messages={"invalid_choice": "Pilih organisasi dari daftar."},
    )
