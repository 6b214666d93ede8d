"""Steps 1-2: the intake form of an appeal received by e-mail, courier or in person."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from banding.accounts.models import CustomerOrganization
from banding.appeals.forms.base import (
    DateInput,
    DateTimeLocalInput,
    MultipleFileField,
    textarea,
)
from banding.appeals.forms.record import InvolvementFields
from banding.appeals.models import Channel, ServiceType
from banding.appeals.services import INTAKE_CHANNELS
from banding.sop import definition as sop

# Shown with the duplicate warning only (includes/duplicate_warning.html): unchecked, an
# intake of a complaint an open appeal of the organisation already carries is refused.
CONFIRM_NEW = _("Ini banding baru (bukan pengajuan ulang banding di atas)")


class IntakeForm(InvolvementFields):
    organization = forms.ModelChoiceField(
        label=_("Organisasi pelanggan"),
        queryset=CustomerOrganization.objects.order_by("name"),
        required=False,
        empty_label=_("— pilih organisasi terdaftar —"),
    )
    new_organization_name = forms.CharField(
        label=_("Atau nama organisasi baru"),
        max_length=200,
        required=False,
        help_text=_("Isi hanya bila organisasi belum terdaftar."),
    )
    contact_name = forms.CharField(label=_("Narahubung"), max_length=150)
    contact_email = forms.EmailField(label=_("Email narahubung"), required=False)
    contact_phone = forms.CharField(label=_("Telepon narahubung"), max_length=50, required=False)
    channel = forms.ChoiceField(
        label=_("Saluran"),
        choices=[(c.value, Channel(c).label) for c in INTAKE_CHANNELS],
        help_text=_("Banding melalui portal pelanggan tidak dicatat di sini."),
    )
    received_at = forms.DateTimeField(
        label=_("Waktu diterima"), widget=DateTimeLocalInput(), help_text=_("Waktu WIB.")
    )
    complaint_reference = forms.CharField(label=_("Nomor keluhan yang dibanding"), max_length=100)
    complaint_outcome_date = forms.DateField(
        label=_("Tanggal hasil penanganan keluhan"), widget=DateInput()
    )
    service_type = forms.ChoiceField(
        label=_("Jenis layanan"),
        choices=ServiceType.choices,
        help_text=sop.step(1).keterangan,
    )
    reference_document = forms.CharField(
        label=_("Nomor dokumen acuan"),
        max_length=100,
        required=False,
        help_text=_("Nomor laporan hasil uji, sertifikat, dsb."),
    )
    grounds = forms.CharField(label=_("Alasan banding"), widget=textarea(4))
    remedy_sought = forms.CharField(label=_("Penyelesaian yang diminta"), widget=textarea(3))
    letter = forms.FileField(
        label=_("Surat permohonan banding"),
        error_messages={"required": _("Surat permohonan banding wajib diunggah.")},
        help_text=_("PDF, JPEG, PNG, DOCX atau XLSX."),
    )
    attachments = MultipleFileField(
        label=_("Dokumen pendukung"), required=False, help_text=_("Boleh lebih dari satu berkas.")
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("organization") and (data.get("new_organization_name") or "").strip():
            self.add_error(
                "new_organization_name",
                gettext("Pilih organisasi terdaftar atau tuliskan nama baru, bukan keduanya."),
            )
        return data

    confirm_new = forms.BooleanField(label=CONFIRM_NEW, required=False)

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned data as keyword arguments of services.appeal_register."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in InvolvementFields.base_fields
        }
        return {**data, **self.involvement_kwargs()}
