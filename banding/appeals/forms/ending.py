"""The staff's forms that end an appeal early (appeals/includes/ending.html): a withdrawal
received by letter, and the closure as a duplicate. The services decide what is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from banding.appeals.forms.base import BootstrapForm, DateInput, textarea

UPLOAD_HELP = _("Opsional. PDF, JPEG, PNG, DOCX atau XLSX; dapat dilihat pelanggan.")


class WithdrawalForm(BootstrapForm):
    letter_date = forms.DateField(label=_("Tanggal surat pencabutan"), widget=DateInput())
    reason = forms.CharField(
        label=_("Alasan yang disebut pelanggan"), widget=textarea(3), required=False
    )
    letter = forms.FileField(
        label=_("Pindaian surat pencabutan"), required=False, help_text=UPLOAD_HELP
    )


class DuplicateForm(BootstrapForm):
    original = forms.CharField(
        label=_("Nomor register banding asli"),
        max_length=40,
        help_text=_("Banding organisasi pelanggan yang sama yang penanganannya dilanjutkan."),
    )
    reason = forms.CharField(label=_("Alasan"), widget=textarea(3))
