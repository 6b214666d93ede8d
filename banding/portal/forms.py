"""The customer's online submission form (step 1): the fields of the staff intake that are
the customer's to give. The service (appeals.services.appeal_submit) decides what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

from banding.accounts.models import User
from banding.appeals.forms.base import BootstrapForm, DateInput, MultipleFileField, textarea
from banding.appeals.models import ServiceType
from banding.sop import definition as sop

UPLOAD_HELP = _("PDF, JPEG, PNG, DOCX atau XLSX.")


# The labels are the models' Indonesian words, translated when the form is shown.
CHOICES = [("", N_("— pilih jenis layanan —")), *ServiceType.choices]


class SubmitForm(BootstrapForm):
    complaint_reference = forms.CharField(
        label=_("Nomor keluhan yang dibanding"),
        max_length=100,
        help_text=_("Nomor keluhan dari surat hasil penanganan keluhan yang Anda terima."),
    )
    complaint_outcome_date = forms.DateField(
        label=_("Tanggal hasil penanganan keluhan"), widget=DateInput()
    )
    # Every type is accepted here, so that the service answers the calibration PT exception
    # in the SOP's own words; the menu simply does not offer it.
    service_type = forms.ChoiceField(
        label=_("Jenis layanan"),
        choices=[(value, _(label)) for value, label in CHOICES],
        help_text=_(sop.CALIBRATION_PT_EXCEPTION),
    )
    reference_document = forms.CharField(
        label=_("Nomor dokumen acuan"),
        max_length=100,
        required=False,
        help_text=_("Nomor laporan hasil uji, sertifikat, dsb."),
    )
    grounds = forms.CharField(label=_("Alasan banding"), widget=textarea(5))
    remedy_sought = forms.CharField(label=_("Penyelesaian yang diminta"), widget=textarea(3))
    contact_name = forms.CharField(
        label=_("Narahubung"),
        max_length=150,
        required=False,
        help_text=_("Kosongkan bila Anda sendiri narahubungnya."),
    )
    contact_phone = forms.CharField(label=_("Telepon narahubung"), max_length=50, required=False)
    letter = forms.FileField(
        label=_("Surat permohonan banding"),
        error_messages={"required": _("Surat permohonan banding wajib diunggah.")},
        help_text=UPLOAD_HELP,
    )
    attachments = MultipleFileField(
        label=_("Dokumen pendukung"),
        required=False,
        help_text=_("Boleh lebih dari satu berkas; PDF, JPEG, PNG, DOCX atau XLSX."),
    )

    # Shown with the duplicate warning only (includes/duplicate_warning.html).
    confirm_new = forms.BooleanField(
        label=_("Ini banding baru (bukan pengajuan ulang banding di atas)"), required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service_type"]
        assert isinstance(field, forms.ChoiceField)  # declared above
        # A ChoiceField reads back its choices as (value, label) pairs; the stubs give them
        # the wider type the setter accepts.
        choices: list[tuple[Any, Any]] = field.choices  # type: ignore[assignment]
        field.widget.choices = [c for c in choices if c[0] != ServiceType.PT_CALIBRATION]
        self.fields["contact_name"].widget.attrs["placeholder"] = user.display_name
        if user.phone:
            self.fields["contact_phone"].widget.attrs["placeholder"] = user.phone

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned data as keyword arguments of services.appeal_submit."""
        return dict(self.cleaned_data)


class WithdrawForm(BootstrapForm):
    """The customer withdraws its appeal (portal/_withdraw.html): an optional reason, and
    the confirmation that it means to."""

    reason = forms.CharField(
        label=_("Alasan pencabutan (opsional)"), widget=textarea(3), required=False
    )
    confirm = forms.BooleanField(
        label=_(
            "Saya mengerti bahwa penanganan banding ini dihentikan dan tidak dapat dilanjutkan."
        ),
        error_messages={"required": _("Centang pernyataan ini untuk mencabut banding.")},
    )
